/**
 * POP3 streaming parsers. {@link ResponseParser} (client side) needs to be told, per
 * command, whether the response will be multiline: only the command decides that (RFC 1939
 * 3). {@link CommandParser} (server side) reads command lines and AUTH continuation lines.
 *
 * @packageDocumentation
 */

import { decodeUtf8 } from '../core/bytes';
import { DotDecoder, type BareLineEndingPolicy } from '../core/dot-stuffing';
import { ProtocolError, type ErrorItem } from '../core/errors';
import { LineFramer, type LineEndingPolicy } from '../core/line-framer';
import { MAX_COMMAND_LINE_LENGTH, parseCommand } from './command';
import { parseResponse } from './response';
import type { Command, Response } from './types';

/**
 * What the next response will look like:
 * - `single`: one line (most commands, the greeting, any `-ERR`).
 * - `listing`: `+OK` then dot-stuffed lines up to "." (LIST, UIDL, CAPA, LANG, AUTH without
 *   a mechanism): the lines come with the response item.
 * - `body`: `+OK` then a dot-stuffed message (RETR, TOP): streamed as data items.
 */
export type Expectation = 'single' | 'listing' | 'body';

/** A response line; for a `listing`, its unstuffed lines too. */
export interface ResponseItem {
  readonly type: 'response';
  readonly response: Response;
  /** The lines of a multiline listing (dot-unstuffed, without CRLF); null for single-line responses and bodies. */
  readonly lines: readonly string[] | null;
}
/** A piece of a RETR/TOP message (dot-unstuffed; a view into the pushed chunk when possible). */
export interface DataItem {
  readonly type: 'data';
  readonly chunk: Uint8Array;
}
/** End of a RETR/TOP message. */
export interface DataEndItem {
  readonly type: 'data-end';
}
/** Everything {@link ResponseParser} yields. */
export type ResponseParserItem = ResponseItem | DataItem | DataEndItem | ErrorItem;

/** Options of {@link ResponseParser}. */
export interface ResponseParserOptions {
  /** Longest status or listing line including CRLF (RFC 2449 4: 512). Default 8192 (real servers exceed 512). */
  readonly maxLineLength?: number;
  /** Most lines in one listing. Default 1,000,000 (`TOO_MANY`). */
  readonly maxListingLines?: number;
  /** Most octets held for one listing (its lines without CRLF). Default 64 MiB (`TOO_MANY`). */
  readonly maxListingSize?: number;
  /** Bare LF in status and listing lines; default `accept` (clients read what servers send). */
  readonly lineEndings?: LineEndingPolicy;
  /** Bare CR/LF inside message bodies; default `accept`. */
  readonly bodyLineEndings?: BareLineEndingPolicy;
  /**
   * Leave a status line unread while no expectation is queued (up to 64 KiB held), instead
   * of reading it as an unsolicited single-line response. A client session uses this: a reply
   * that arrives in the same chunk as the one before it is read only after the session has
   * sent the command it answers and said what to expect, so the result does not depend on
   * how the server's bytes were chunked. Call `push(new Uint8Array(0))` after `expect()` to
   * read what was held. Default false.
   */
  readonly holdUntilExpected?: boolean;
}

/** What a push that completed nothing returns: one shared, frozen empty array (no allocation per push). */
const NO_ITEMS = Object.freeze([]) as unknown as never[];

/** How many held bytes {@link ResponseParserOptions.holdUntilExpected} keeps before reading them as unsolicited. */
const HOLD_LIMIT = 65536;

/**
 * Client-side POP3 response parser.
 *
 * @example
 * ```ts
 * import { pop3 } from 'mailwire';
 * const p = new pop3.ResponseParser();
 * p.expect('single');  // the greeting
 * p.expect('body');    // RETR 1
 * p.push(new TextEncoder().encode('+OK ready\r\n+OK 5 octets\r\n..hi\r\n.\r\n'));
 * // response, response, { type: 'data', chunk: ".hi\r\n" }, { type: 'data-end' }
 * ```
 */
export class ResponseParser {
  private readonly framer: LineFramer;
  private readonly dot: DotDecoder;
  private readonly maxListing: number;
  private readonly maxListingSize: number;
  private listingSize = 0;
  private readonly queue: Expectation[] = [];
  private state: 'status' | 'listing' | 'body' = 'status';
  private current: Response | null = null;
  private lines: string[] = [];
  private overflow: ProtocolError | null = null;
  private hold: boolean;
  /** discardUnexpected() dropped part of a line: the rest goes too. */
  private skipRest = false;
  /** Reused for the DotDecoder's output, emptied after each use. */
  private readonly pieces: (Uint8Array | ProtocolError)[] = [];

  constructor(options: ResponseParserOptions = {}) {
    this.hold = options.holdUntilExpected ?? false;
    this.framer = new LineFramer({ maxLineLength: options.maxLineLength ?? 8192, lineEndings: options.lineEndings ?? 'accept' });
    this.dot = new DotDecoder({ lineEndings: options.bodyLineEndings ?? 'accept' });
    this.maxListing = options.maxListingLines ?? 1_000_000;
    this.maxListingSize = options.maxListingSize ?? 64 * 1024 * 1024;
  }

  /** Says what the next unanswered command's response looks like (call once per command sent, in order). */
  expect(kind: Expectation): void {
    this.queue.push(kind);
  }

  /**
   * Drops what is held while no expectation is queued (see
   * {@link ResponseParserOptions.holdUntilExpected}): the lines held, and the rest of a line
   * begun, when it comes. A client session calls it when no command waits for an answer, so
   * that bytes nobody asked for never answer a command sent later. Returns how many lines it
   * dropped, counting a line begun (so the count does not depend on how the bytes were split);
   * 0 while an expectation is queued or a listing or body is being read.
   */
  discardUnexpected(): number {
    if (!this.hold || this.state !== 'status' || this.queue.length > 0) return 0;
    const q = this.framer.queue;
    if (q.length === 0) return 0;
    // The rest of an overlong line, reported already (LINE_TOO_LONG), or of a line dropped
    // before, is not counted again.
    let from = q.offset;
    if (this.framer.isDiscarding) {
      const lf = q.indexOf(0x0a, from);
      from = lf < 0 ? q.end : lf + 1;
    }
    let lines = 0;
    for (let i = from; i < q.end; lines++) {
      const lf = q.indexOf(0x0a, i);
      i = lf < 0 ? q.end : lf + 1;
    }
    this.skipRest = q.byteAt(q.end - 1) !== 0x0a;
    this.framer.discardBuffered();
    return lines;
  }

  /** Number of expectations not yet met. */
  get pending(): number {
    return this.queue.length;
  }

  /**
   * Feeds bytes; returns the items they complete. Never throws for any input. When nothing
   * completed, the returned array is a shared empty one: do not modify it.
   */
  push(chunk: Uint8Array): ResponseParserItem[] {
    this.framer.push(chunk);
    if (this.skipRest) {
      // The rest of a line dropped by discardUnexpected().
      const q = this.framer.queue;
      const lf = q.indexOf(0x0a, q.offset);
      q.skip(lf < 0 ? q.length : lf - q.offset + 1);
      this.framer.resync();
      this.skipRest = lf < 0;
    }
    // Allocated only when an item completes: at small reads most pushes complete nothing.
    let out: ResponseParserItem[] = NO_ITEMS;
    const pieces = this.pieces;
    for (;;) {
      if (this.state === 'body') {
        const done = this.dot.decode(this.framer.queue, pieces);
        if (pieces.length > 0) {
          if (out === NO_ITEMS) out = [];
          for (let i = 0; i < pieces.length; i++) {
            const p = pieces[i]!;
            out.push(p instanceof ProtocolError ? { type: 'error', error: p } : { type: 'data', chunk: p });
          }
          pieces.length = 0;
        }
        if (!done) return out;
        if (out === NO_ITEMS) out = [];
        out.push({ type: 'data-end' });
        this.state = 'status';
        this.framer.resync();
        continue;
      }
      if (this.hold && this.state === 'status' && this.queue.length === 0 && this.framer.queue.length <= HOLD_LIMIT) return out;
      const line = this.framer.readLine();
      if (line === null) return out;
      if (this.state === 'listing') {
        if (line instanceof ProtocolError) {
          this.overflow ??= line;
          continue;
        }
        if (line.length === 1 && line[0] === 0x2e) {
          const response = this.current!;
          if (out === NO_ITEMS) out = [];
          out.push(this.overflow ? { type: 'error', error: this.overflow } : { type: 'response', response, lines: this.lines });
          this.lines = [];
          this.listingSize = 0;
          this.overflow = null;
          this.current = null;
          this.state = 'status';
          continue;
        }
        this.listingSize += line.length;
        if (this.lines.length >= this.maxListing) this.overflow ??= new ProtocolError('TOO_MANY', `listing longer than ${this.maxListing} lines`, { offset: this.framer.lineOffset });
        else if (this.listingSize > this.maxListingSize) this.overflow ??= new ProtocolError('TOO_MANY', `listing larger than ${this.maxListingSize} octets`, { offset: this.framer.lineOffset });
        if (this.overflow === null) this.lines.push(decodeUtf8(line, line[0] === 0x2e ? 1 : 0));
        continue;
      }
      if (out === NO_ITEMS) out = [];
      if (line instanceof ProtocolError) {
        this.queue.shift();
        out.push({ type: 'error', error: line });
        continue;
      }
      const r = parseResponse(line);
      if (r instanceof ProtocolError) {
        // Unknown what this line answers: consume one expectation to stay in step.
        this.queue.shift();
        out.push({ type: 'error', error: new ProtocolError(r.code, r.message, { offset: this.framer.lineOffset, line: r.line }) });
        continue;
      }
      // A "+ " continuation does not answer the command: the exchange goes on.
      const kind = r.status === '+' ? 'single' : (this.queue.shift() ?? 'single');
      if (r.status === '+OK' && kind === 'listing') {
        this.current = r;
        this.state = 'listing';
      } else if (r.status === '+OK' && kind === 'body') {
        out.push({ type: 'response', response: r, lines: null });
        this.dot.reset();
        this.state = 'body';
      } else out.push({ type: 'response', response: r, lines: null });
    }
  }

  /** End of stream: `TRUNCATED` when a line, listing or body was cut short. */
  end(): ResponseParserItem[] {
    // Lines held for an expectation that will never come are read now, as unsolicited.
    this.hold = false;
    const out: ResponseParserItem[] = this.push(new Uint8Array(0)).slice();
    if (this.state === 'body') {
      // The body bytes held back waiting for a line end go out before the error.
      const pieces: (Uint8Array | ProtocolError)[] = [];
      this.dot.decode(this.framer.queue, pieces, true);
      for (const p of pieces) out.push(p instanceof ProtocolError ? { type: 'error', error: p } : { type: 'data', chunk: p });
    }
    if (this.state !== 'status') {
      out.push({ type: 'error', error: new ProtocolError('TRUNCATED', `stream ended inside a ${this.state}`, { offset: this.framer.queue.end }) });
      this.framer.queue.clear();
      this.state = 'status';
    } else {
      const e = this.framer.end();
      if (e) out.push({ type: 'error', error: e });
    }
    return out;
  }
}

/** A parsed command. */
export interface CommandItem {
  readonly type: 'command';
  readonly command: Command;
}
/** A SASL line from the client after a `+ ` challenge (base64 or `*`). */
export interface AuthLineItem {
  readonly type: 'auth-line';
  readonly line: string;
}
/** Everything {@link CommandParser} yields. */
export type CommandParserItem = CommandItem | AuthLineItem | ErrorItem;

/** Options of {@link CommandParser}. */
export interface CommandParserOptions {
  /** Longest command line including CRLF. Default {@link MAX_COMMAND_LINE_LENGTH} (1024). */
  readonly maxLineLength?: number;
  /** Longest argument (RFC 2449 4: 255). Default 255. */
  readonly maxArgumentLength?: number;
  /** Longest AUTH continuation line. Default 12288. */
  readonly maxAuthLineLength?: number;
  /** Bare CR/LF in command lines; default `reject`. */
  readonly lineEndings?: LineEndingPolicy;
}

/**
 * Server-side POP3 command parser. It pauses after AUTH and STLS (the server's answer decides
 * what the next bytes are); call {@link CommandParser.expectAuthLine}, {@link CommandParser.startTls}
 * or {@link CommandParser.resume}.
 */
export class CommandParser {
  private readonly framer: LineFramer;
  private readonly maxLine: number;
  private readonly maxAuthLine: number;
  private readonly maxArg: number;
  private mode: 'command' | 'paused' | 'auth' = 'command';

  constructor(options: CommandParserOptions = {}) {
    this.maxLine = options.maxLineLength ?? MAX_COMMAND_LINE_LENGTH;
    this.maxAuthLine = options.maxAuthLineLength ?? 12288;
    this.maxArg = options.maxArgumentLength ?? 255;
    this.framer = new LineFramer({ maxLineLength: this.maxLine, lineEndings: options.lineEndings ?? 'reject' });
  }

  /** Bytes buffered and not yet parsed. */
  get buffered(): number {
    return this.framer.buffered;
  }

  /** What the parser expects next. */
  get expecting(): 'command' | 'paused' | 'auth' {
    return this.mode;
  }

  /** Feeds bytes; returns the items they complete. Never throws for any input. */
  push(chunk: Uint8Array): CommandParserItem[] {
    this.framer.push(chunk);
    return this.run();
  }

  /** The server sent a `+ ` challenge: the next line is a SASL response. */
  expectAuthLine(): CommandParserItem[] {
    this.mode = 'auth';
    this.framer.maxLineLength = this.maxAuthLine;
    return this.run();
  }

  /** Back to command lines. */
  resume(): CommandParserItem[] {
    this.mode = 'command';
    this.framer.maxLineLength = this.maxLine;
    return this.run();
  }

  /** After `+OK` to STLS: drops clear-text bytes pipelined after it (returns how many). */
  startTls(): number {
    this.mode = 'command';
    return this.framer.discardBuffered();
  }

  /** End of stream. */
  end(): CommandParserItem[] {
    const e = this.framer.end();
    return e ? [{ type: 'error', error: e }] : [];
  }

  private run(): CommandParserItem[] {
    const out: CommandParserItem[] = [];
    while (this.mode !== 'paused') {
      const line = this.framer.readLine();
      if (line === null) break;
      if (line instanceof ProtocolError) {
        out.push({ type: 'error', error: line });
        continue;
      }
      if (this.mode === 'auth') {
        out.push({ type: 'auth-line', line: decodeUtf8(line) });
        this.mode = 'paused';
        this.framer.maxLineLength = this.maxLine;
        continue;
      }
      const c = parseCommand(line, { maxArgumentLength: this.maxArg, maxLineLength: this.framer.maxLineLength });
      if (c instanceof ProtocolError) {
        out.push({ type: 'error', error: new ProtocolError(c.code, c.message, { offset: this.framer.lineOffset + Math.max(0, c.offset), line: c.line }) });
        continue;
      }
      out.push({ type: 'command', command: c });
      if ((c.verb === 'AUTH' && c.mechanism !== null) || c.verb === 'STLS') this.mode = 'paused';
    }
    return out;
  }
}
