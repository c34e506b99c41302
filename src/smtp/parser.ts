/**
 * SMTP streaming parsers: {@link CommandParser} for servers (command lines, DATA bodies,
 * BDAT chunks, AUTH continuation lines) and {@link ReplyParser} for clients (multiline
 * replies grouped). Both take bytes in any chunking and give the same items.
 *
 * @packageDocumentation
 */

import { decodeUtf8 } from '../core/bytes';
import { DotDecoder, type BareLineEndingPolicy } from '../core/dot-stuffing';
import { ProtocolError, type ErrorItem } from '../core/errors';
import { LineFramer, type LineEndingPolicy } from '../core/line-framer';
import { TextCache } from '../core/text-cache';
import { parseCommand } from './command';
import { enhancedStatusLength, readEnhancedStatus } from './enhanced-status';
import { parseReplyLine, readReplyCode, replyTextStart } from './reply';

import type { Command, EnhancedStatus, Reply } from './types';

/** What a push that completed nothing returns: one shared, frozen empty array (no allocation per push). */
const NO_ITEMS = Object.freeze([]) as unknown as never[];

/** The texts of a reply before its first line (replaced, never pushed to: the first line makes the array). */
const NO_TEXTS = Object.freeze([]) as unknown as string[];

/** BDAT octets are handed out in pieces of at least this many bytes (unless the chunk ends first). */
const SMALL_PIECE = 256;

/** A parsed command line. */
export interface CommandItem {
  readonly type: 'command';
  readonly command: Command;
}

/** A line of a SASL exchange sent by the client after a 334 challenge (base64 or `*`). */
export interface AuthLineItem {
  readonly type: 'auth-line';
  readonly line: string;
}

/** A piece of a message body (DATA: dot-unstuffed; BDAT: the raw octets). A view into the pushed chunk when possible. */
export interface DataItem {
  readonly type: 'data';
  readonly chunk: Uint8Array;
}

/** End of a DATA body, or of one BDAT chunk (`last` tells whether it was `BDAT n LAST`). */
export interface DataEndItem {
  readonly type: 'data-end';
  /** DATA: always true. BDAT: true after the LAST chunk. */
  readonly last: boolean;
}

/** Everything {@link CommandParser} yields. */
export type CommandParserItem = CommandItem | AuthLineItem | DataItem | DataEndItem | ErrorItem;

/** Options of {@link CommandParser}. */
export interface CommandParserOptions {
  /** Maximum command line length including CRLF. RFC 5321 4.5.3.1.4 requires at least 512; default 2048. */
  readonly maxLineLength?: number;
  /** Maximum AUTH continuation line including CRLF (RFC 4954 4 suggests 12288). Default 12288. */
  readonly maxAuthLineLength?: number;
  /** Bare CR/LF in command lines: `reject` (default) or `accept`. */
  readonly lineEndings?: LineEndingPolicy;
  /** Bare CR/LF inside DATA: `reject` (default: an error item, message to be refused), `normalize` or `accept`. */
  readonly dataLineEndings?: BareLineEndingPolicy;
  /** Lenient command syntax (see `ParseCommandOptions.lenient`). Default false. */
  readonly lenient?: boolean;
  /** Turns off the default leniencies (see `ParseCommandOptions.strict`: a space after `FROM:`/`TO:`). Default false. */
  readonly strict?: boolean;
}

/** What a {@link CommandParser} expects next. */
export type CommandParserMode = 'command' | 'paused' | 'data' | 'bdat' | 'auth';
type Mode = CommandParserMode;

/**
 * Server-side SMTP stream parser.
 *
 * The parser pauses after a command whose reply decides what the next bytes are (DATA,
 * AUTH, an AUTH line, STARTTLS): the bytes behind it stay buffered until the server calls
 * {@link CommandParser.startData}, {@link CommandParser.expectAuthLine},
 * {@link CommandParser.startTls} or {@link CommandParser.resume}. A BDAT chunk always
 * follows its command (RFC 3030 2), so BDAT needs no call: its octets come out as data
 * items whatever the reply will be.
 *
 * @example
 * ```ts
 * import { smtp } from 'mailwire';
 * const p = new smtp.CommandParser();
 * p.push(new TextEncoder().encode('MAIL FROM:<a@b.example>\r\nDATA\r\nHi\r\n.\r\n'));
 * // [{ type: 'command', command: { verb: 'MAIL', ... } }, { type: 'command', command: { verb: 'DATA' } }]
 * p.startData(); // [{ type: 'data', chunk: "Hi\r\n" }, { type: 'data-end', last: true }]
 * ```
 */
export class CommandParser {
  private readonly framer: LineFramer;
  private readonly dot: DotDecoder;
  private readonly maxLine: number;
  private readonly maxAuthLine: number;
  private readonly lenient: boolean;
  private readonly strict: boolean;
  private mode: Mode = 'command';
  /** Reused for the DotDecoder's output, emptied after each use. */
  private readonly pieces: (Uint8Array | ProtocolError)[] = [];
  private bdatLeft = 0;
  private bdatLast = false;

  constructor(options: CommandParserOptions = {}) {
    this.maxLine = options.maxLineLength ?? 2048;
    this.maxAuthLine = options.maxAuthLineLength ?? 12288;
    this.lenient = options.lenient ?? false;
    this.strict = options.strict ?? false;
    this.framer = new LineFramer({ maxLineLength: this.maxLine, lineEndings: options.lineEndings ?? 'reject' });
    this.dot = new DotDecoder({ lineEndings: options.dataLineEndings ?? 'reject' });
  }

  /** What the parser expects next: command lines, a decision (paused), a DATA body, BDAT octets, or an AUTH line. */
  get expecting(): Mode {
    return this.mode;
  }

  /** Bytes buffered and not yet parsed. */
  get buffered(): number {
    return this.framer.buffered;
  }

  /**
   * Feeds bytes; returns the items completed by them, in order. Never throws for any input.
   * When nothing completed, the returned array is a shared empty one: do not modify it.
   */
  push(chunk: Uint8Array): CommandParserItem[] {
    this.framer.push(chunk);
    return this.run();
  }

  /** The server accepted DATA (sent 354): the buffered and following bytes are the body. */
  startData(): CommandParserItem[] {
    this.dot.reset();
    return this.switchTo('data');
  }

  /** The server sent a 334 challenge: the next line is a SASL response (or `*`). */
  expectAuthLine(): CommandParserItem[] {
    this.framer.maxLineLength = this.maxAuthLine;
    return this.switchTo('auth');
  }

  /** The server refused the paused command (or finished an AUTH exchange): back to command lines. */
  resume(): CommandParserItem[] {
    return this.switchTo('command');
  }

  /**
   * The server sent 220 to STARTTLS: anything the client pipelined after STARTTLS was sent in
   * clear text and must not be carried into the TLS session (CVE-2011-0411). It is dropped;
   * the returned count says how many octets that was.
   */
  startTls(): number {
    this.mode = 'command';
    return this.framer.discardBuffered();
  }

  /** End of stream: a `TRUNCATED` error when a line, body or BDAT chunk was cut short. */
  end(): CommandParserItem[] {
    let out: CommandParserItem[] = [];
    if (this.mode === 'data' || this.mode === 'bdat') {
      // What the body had so far goes out before the error (nothing is lost).
      out = this.run(true).slice();
      out.push({ type: 'error', error: new ProtocolError('TRUNCATED', `stream ended inside a ${this.mode === 'data' ? 'DATA body' : 'BDAT chunk'}`, { offset: this.framer.queue.end }) });
      this.framer.queue.clear();
    } else {
      const e = this.framer.end();
      if (e) out.push({ type: 'error', error: e });
    }
    this.mode = 'command';
    return out;
  }

  private switchTo(mode: Mode): CommandParserItem[] {
    this.mode = mode;
    this.framer.resync();
    return this.run();
  }

  /** Runs the parser over what is buffered; the items, or the shared empty array when none completed. */
  private run(flush = false): CommandParserItem[] {
    // Allocated only when an item completes: at 64-byte reads most pushes complete nothing.
    let out: CommandParserItem[] = NO_ITEMS;
    const pieces = this.pieces;
    for (;;) {
      switch (this.mode) {
        case 'paused':
          return out;
        case 'data': {
          const done = this.dot.decode(this.framer.queue, pieces, flush);
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
          out.push({ type: 'data-end', last: true });
          this.mode = 'command';
          this.framer.resync();
          continue;
        }
        case 'bdat': {
          const q = this.framer.queue;
          // As in DATA: a chunk arriving a few bytes per read goes out in pieces of at least
          // SMALL_PIECE bytes (or whatever completes the chunk), not one piece per read.
          if (!flush && q.length < this.bdatLeft && q.length < SMALL_PIECE) return out;
          if (out === NO_ITEMS) out = [];
          while (this.bdatLeft > 0 && q.length > 0) {
            const c = q.takeChunk(this.bdatLeft);
            this.bdatLeft -= c.length;
            out.push({ type: 'data', chunk: c });
          }
          if (this.bdatLeft > 0) return out;
          out.push({ type: 'data-end', last: this.bdatLast });
          this.mode = 'command';
          this.framer.resync();
          continue;
        }
        case 'auth': {
          const line = this.framer.readLine();
          if (line === null) return out;
          if (out === NO_ITEMS) out = [];
          this.framer.maxLineLength = this.maxLine;
          this.mode = 'paused';
          if (line instanceof ProtocolError) out.push({ type: 'error', error: line });
          else out.push({ type: 'auth-line', line: decodeUtf8(line) });
          continue;
        }
        case 'command': {
          const line = this.framer.readLine();
          if (line === null) return out;
          if (out === NO_ITEMS) out = [];
          if (line instanceof ProtocolError) {
            out.push({ type: 'error', error: line });
            continue;
          }
          const cmd = parseCommand(line, { lenient: this.lenient, strict: this.strict });
          if (cmd instanceof ProtocolError) {
            out.push({ type: 'error', error: new ProtocolError(cmd.code, cmd.message, { offset: this.framer.lineOffset + Math.max(0, cmd.offset), line: cmd.line }) });
            continue;
          }
          out.push({ type: 'command', command: cmd });
          if (cmd.verb === 'BDAT') {
            this.bdatLeft = cmd.size;
            this.bdatLast = cmd.last;
            this.mode = 'bdat';
          } else if (cmd.verb === 'DATA' || cmd.verb === 'AUTH' || cmd.verb === 'STARTTLS') {
            this.mode = 'paused';
          }
          continue;
        }
      }
    }
  }
}

/** A complete (possibly multiline) reply. */
export interface ReplyItem {
  readonly type: 'reply';
  readonly reply: Reply;
}

/** Everything {@link ReplyParser} yields. */
export type ReplyParserItem = ReplyItem | ErrorItem;

/** Options of {@link ReplyParser}. */
export interface ReplyParserOptions {
  /** Maximum reply line including CRLF (RFC 5321 4.5.3.1.5 says 512; real servers send more). Default 4096. */
  readonly maxLineLength?: number;
  /** Maximum lines in one multiline reply. Default 1000. */
  readonly maxLines?: number;
  /** Bare LF handling; default `accept` (clients read what real servers send). */
  readonly lineEndings?: LineEndingPolicy;
}

/**
 * Client-side SMTP reply parser: groups `code-` lines with their final `code SP` line.
 *
 * @example
 * ```ts
 * import { smtp } from 'mailwire';
 * const p = new smtp.ReplyParser();
 * p.push(new TextEncoder().encode('250-mx.example\r\n250 PIPELINING\r\n'));
 * // [{ type: 'reply', reply: { code: 250, enhanced: null, lines: ['mx.example', 'PIPELINING'] } }]
 * ```
 */
export class ReplyParser {
  private readonly framer: LineFramer;
  private readonly maxLines: number;
  // The reply being read: its code (0 before its first line), enhanced code and line texts.
  private code = 0;
  private enhanced: EnhancedStatus | null = null;
  private texts: string[] = NO_TEXTS;
  private bad: ProtocolError | null = null;
  private count = 0;
  /** Reply texts repeat on a connection (`Ok`, the EHLO keywords): each is decoded once. */
  private readonly textCache = new TextCache();

  constructor(options: ReplyParserOptions = {}) {
    this.framer = new LineFramer({ maxLineLength: options.maxLineLength ?? 4096, lineEndings: options.lineEndings ?? 'accept' });
    this.maxLines = options.maxLines ?? 1000;
  }

  /** True while the bytes pushed hold the start of a reply not complete yet (part of a line, or lines of a multiline reply). */
  get partial(): boolean {
    return this.framer.buffered > 0 || this.framer.isDiscarding || this.count > 0;
  }

  /**
   * Feeds bytes; returns the replies completed by them. Never throws for any input. When
   * nothing completed, the returned array is a shared empty one: do not modify it.
   */
  push(chunk: Uint8Array): ReplyParserItem[] {
    this.framer.push(chunk);
    let out: ReplyParserItem[] = NO_ITEMS;
    const framer = this.framer;
    for (;;) {
      const got = framer.readLineRange();
      if (got === false) return out;
      // Each line is read in bytes where it lies in the pushed chunk (no view per line): the
      // code, the separator and the enhanced code without a string; one decode for the text.
      const line = framer.lineBytes;
      const start = framer.lineStart;
      const end = framer.lineEnd;
      const kind = got === true ? readReplyCode(line, start, end) : -3;
      if (kind < 0) {
        // A bad line spoils the reply it is in; a bad single line is its own error.
        const parsed = got === true ? parseReplyLine(line.subarray(start, end)) : got;
        const base = parsed instanceof ProtocolError ? parsed : new ProtocolError('SYNTAX', 'unreadable reply line');
        const e = new ProtocolError(base.code, base.message, { offset: this.framer.lineOffset, line: base.line });
        if (this.count === 0) {
          if (out === NO_ITEMS) out = [];
          out.push({ type: 'error', error: e });
          continue;
        }
        this.bad ??= e;
        this.count++;
        continue;
      }
      const code = kind >> 1;
      const last = (kind & 1) === 1;
      const first = this.count === 0;
      this.count++;
      if (!first && code !== this.code) {
        this.bad ??= new ProtocolError('SYNTAX', `reply code ${code} inside a multiline ${this.code} reply`, { offset: this.framer.lineOffset });
      } else if (this.count > this.maxLines) {
        this.bad ??= new ProtocolError('TOO_MANY', `reply longer than ${this.maxLines} lines`, { offset: this.framer.lineOffset });
      } else if (this.bad === null) {
        if (first) this.code = code;
        let t = replyTextStart(line, start, end);
        const e = readEnhancedStatus(line, t, end);
        // RFC 2034 3: the first line's enhanced code is the reply's; later lines lose theirs
        // only when the first line had one.
        if (e !== null && e.class === ((code / 100) | 0)) {
          if (first) this.enhanced = e;
          if (this.enhanced !== null) t = Math.min(end, t + enhancedStatusLength(e) + 1);
        }
        const text = this.textCache.decode(line, t, end);
        // A one-element literal for the first line: an empty array's first push would allocate
        // room for 17, and most replies have one line.
        if (first) this.texts = [text];
        else this.texts.push(text);
      }
      if (!last) continue;
      if (out === NO_ITEMS) out = [];
      if (this.bad) out.push({ type: 'error', error: this.bad });
      else out.push({ type: 'reply', reply: { code: this.code, enhanced: this.enhanced, lines: this.texts } });
      this.texts = NO_TEXTS;
      this.enhanced = null;
      this.code = 0;
      this.bad = null;
      this.count = 0;
    }
  }

  /** End of stream: `TRUNCATED` when a reply or line was cut short. */
  end(): ReplyParserItem[] {
    const out: ReplyParserItem[] = [];
    const e = this.framer.end();
    if (e) out.push({ type: 'error', error: e });
    else if (this.count > 0) out.push({ type: 'error', error: new ProtocolError('TRUNCATED', 'stream ended inside a multiline reply', { offset: this.framer.queue.offset }) });
    this.texts = NO_TEXTS;
    this.enhanced = null;
    this.code = 0;
    this.bad = null;
    this.count = 0;
    return out;
  }
}
