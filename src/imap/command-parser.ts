/**
 * The server-side IMAP command parser: frames commands (lines and literals), tells the
 * server when a synchronizing literal needs a `+` continuation request, and reads each
 * command with the grammar. Bad input is an error item carrying the tag when it was read.
 *
 * @packageDocumentation
 */

import { decodeLatin1, decodeUtf8 } from '../core/bytes';
import { ProtocolError, type ErrorItem } from '../core/errors';
import { readCommand, type ParseCommandOptions } from './command';
import type { Command } from './command-types';
import { LiteralFramer, type LiteralEvent } from './framer';
import { isValidTag } from './tag';

/** A complete command. */
export interface CommandItem {
  readonly type: 'command';
  readonly command: Command;
}
/**
 * The client announced a synchronizing literal and waits: send `+ ...` now (or refuse the
 * command with `tag NO [TOOBIG]`/`BAD`; the parser has then already dropped it when the
 * literal was over the limit).
 */
export interface ContinuationNeededItem {
  readonly type: 'continuation-needed';
  readonly tag: string | null;
  readonly size: number;
}
/** A raw line read in line mode (AUTHENTICATE responses, IDLE's DONE). */
export interface LineItem {
  readonly type: 'line';
  readonly line: string;
}
/**
 * A piece of an APPEND / REPLACE message literal above `appendStreamThreshold`, in stream
 * order, before the command that holds it (whose message is then a `{ kind: 'streamed' }`
 * stand-in). The chunk is a view of the bytes given to `push()`: copy it to keep it.
 */
export interface CommandLiteralChunkItem {
  readonly type: 'literal-chunk';
  /** The command's tag, when it could be read. */
  readonly tag: string | null;
  readonly chunk: Uint8Array;
}
/** The last chunk of a streamed message literal has been delivered. */
export interface CommandLiteralEndItem {
  readonly type: 'literal-end';
  readonly tag: string | null;
  readonly size: number;
}
/** Everything {@link CommandParser} yields. */
export type CommandParserItem = CommandItem | ContinuationNeededItem | LineItem | CommandLiteralChunkItem | CommandLiteralEndItem | ErrorItem;

/** Options of {@link CommandParser}. */
export interface CommandParserOptions extends ParseCommandOptions {
  /** Longest line between literals, including CRLF. Default 64 KiB (`LINE_TOO_LONG`). */
  readonly maxLineLength?: number;
  /** Largest literal accepted (APPEND messages included). Default 64 MiB (`LITERAL_TOO_LARGE`). */
  readonly maxLiteralSize?: number;
  /** Most literals in one command. Default 1000 (`TOO_MANY`). */
  readonly maxLiterals?: number;
  /**
   * Most octets held for one command: its lines plus its literals. Default `maxLiteralSize`
   * + 1 MiB (65 MiB), so one literal of the largest size still fits with its command line
   * (`LITERAL_TOO_LARGE`, announced like a literal over `maxLiteralSize`). Without it, 1000
   * literals of 64 MiB each could make a server hold 64 GiB for one command.
   */
  readonly maxCommandSize?: number;
  /**
   * APPEND / REPLACE message literals (CATENATE TEXT parts included) of at least this many
   * octets are not held: they come out as `literal-chunk` items as they arrive, then a
   * `literal-end`, and the command holds a `{ kind: 'streamed', size, binary }` stand-in. They
   * do not count against `maxCommandSize` (`maxLiteralSize` still applies). Default: never
   * (every literal is held and handed out in the command).
   */
  readonly appendStreamThreshold?: number;
}

/**
 * True when the literal announced at the end of `line` is a message of an APPEND or REPLACE
 * (not its mailbox name): the command's first line names APPEND / REPLACE / UID REPLACE, and the
 * literal is not the first one right after the name (and number, for REPLACE).
 */
function isMessageLiteral(first: Uint8Array, line: Uint8Array, literalsSoFar: number): boolean {
  const words: string[] = [];
  let start = 0;
  for (let i = 0; i <= first.length && words.length < 4; i++) {
    if (i === first.length || first[i] === 0x20) {
      words.push(decodeLatin1(first, start, Math.min(i, start + 16)).toUpperCase());
      start = i + 1;
    }
  }
  const uid = words[1] === 'UID';
  const name = uid ? words[2] : words[1];
  if (name !== 'APPEND' && name !== 'REPLACE') return false;
  if (literalsSoFar > 0 || first !== line) return true;
  // The mailbox name is a literal when the announcement comes right after the name (and number).
  const mailboxAt = (uid ? 3 : 2) + (name === 'REPLACE' ? 1 : 0);
  return words.length > mailboxAt && !words[mailboxAt]!.startsWith('{') && !words[mailboxAt]!.startsWith('~{');
}

/**
 * Server-side IMAP command parser.
 *
 * @example
 * ```ts
 * import { imap } from 'mailwire';
 * const p = new imap.CommandParser();
 * p.push(new TextEncoder().encode('A1 LOGIN {5}\r\n'));      // [{ type: 'continuation-needed', tag: 'A1', size: 5 }]
 * p.push(new TextEncoder().encode('smith sesame\r\n'));      // [{ type: 'command', command: { command: 'LOGIN', ... } }]
 * ```
 */
export class CommandParser {
  private readonly opts: CommandParserOptions;
  private readonly framer: LiteralFramer;
  private mode: 'command' | 'line' | 'paused' = 'command';
  /** The current command failed at a literal (over a limit): its octets are read and dropped, and the command ends as this error. */
  private failed: ProtocolError | null = null;
  /** The literal being streamed is dropped (the command already failed), not handed out. */
  private discarding = false;
  /** Tag of the command whose literal is streaming, for its chunk items. */
  private streamTag: string | null = null;

  constructor(options: CommandParserOptions = {}) {
    this.opts = options;
    const maxLiteralSize = options.maxLiteralSize ?? 64 * 1024 * 1024;
    this.framer = new LiteralFramer({
      maxLineLength: options.maxLineLength ?? 64 * 1024,
      lineEndings: 'reject',
      maxLiteralSize,
      maxLiterals: options.maxLiterals ?? 1000,
      maxUnitSize: options.maxCommandSize ?? maxLiteralSize + 1024 * 1024,
      unitSizeCode: 'LITERAL_TOO_LARGE',
    });
  }

  /** Bytes buffered and not yet parsed (a literal being collected included). */
  get buffered(): number {
    return this.framer.buffered;
  }

  /** True while the parser waits for `expectLine()` or `resume()` (after IDLE, AUTHENTICATE, STARTTLS). */
  get paused(): boolean {
    return this.mode === 'paused';
  }

  /** The next line is not a command (an AUTHENTICATE response, or DONE after IDLE): it comes as a `line` item. */
  expectLine(): CommandParserItem[] {
    this.mode = 'line';
    return this.run();
  }

  /**
   * Back to commands after a pause. The parser pauses after IDLE and AUTHENTICATE, whose
   * following lines are not commands: the server calls `expectLine()` or `resume()`.
   */
  resume(): CommandParserItem[] {
    if (this.mode === 'paused' || this.mode === 'line') this.mode = 'command';
    return this.run();
  }

  /** After `OK` to STARTTLS: drops clear-text bytes pipelined after it (returns how many). */
  startTls(): number {
    this.failed = null;
    this.discarding = false;
    this.mode = 'command';
    return this.framer.discardBuffered();
  }

  /** Feeds bytes; returns the items they complete. Never throws for any input. */
  push(chunk: Uint8Array): CommandParserItem[] {
    this.framer.push(chunk);
    return this.run();
  }

  /** End of stream: `TRUNCATED` when a command was cut short. */
  end(): CommandParserItem[] {
    const inCommand = this.framer.inUnit;
    this.failed = null;
    this.discarding = false;
    const e = this.framer.end();
    if (!e) return [];
    return [{ type: 'error', error: inCommand ? new ProtocolError('TRUNCATED', 'stream ended inside a command', { offset: e.offset }) : e }];
  }

  private withTag(e: ProtocolError, firstLine: Uint8Array | null | undefined): ProtocolError {
    const tag = tagOf(firstLine);
    return new ProtocolError(e.code, e.message, { offset: e.offset, tag: tag ?? undefined });
  }

  private run(): CommandParserItem[] {
    const out: CommandParserItem[] = [];
    for (;;) {
      if (this.mode === 'paused') return out;
      if (this.mode === 'line') {
        const line = this.framer.readRawLine();
        if (line === null) return out;
        this.mode = 'paused';
        out.push(line instanceof ProtocolError ? { type: 'error', error: line } : { type: 'line', line: decodeUtf8(line) });
        continue;
      }
      const ev = this.framer.next();
      if (ev === null) return out;
      switch (ev.type) {
        case 'error':
          this.failed = null;
          out.push({ type: 'error', error: this.withTag(ev.error, ev.firstLine) });
          continue;
        case 'chunk':
          if (!this.discarding) out.push({ type: 'literal-chunk', tag: this.streamTag, chunk: ev.chunk });
          continue;
        case 'literal-end':
          if (!this.discarding) out.push({ type: 'literal-end', tag: this.streamTag, size: ev.size });
          this.discarding = false;
          continue;
        case 'unit': {
          if (this.failed) {
            out.push({ type: 'error', error: this.failed });
            this.failed = null;
            continue;
          }
          const c = readCommand(ev.unit, this.opts);
          out.push(c instanceof ProtocolError ? { type: 'error', error: c } : { type: 'command', command: c });
          if (!(c instanceof ProtocolError) && (c.command === 'IDLE' || c.command === 'AUTHENTICATE')) this.mode = 'paused';
          continue;
        }
        default:
          this.decide(ev, out);
      }
    }
  }

  /** A literal was announced: hold it, stream it (a big APPEND message), drop it, or refuse the command. */
  private decide(ev: LiteralEvent, out: CommandParserItem[]): void {
    const ann = ev.announcement;
    const tag = tagOf(ev.lines[0]);
    const line = ev.lines[ev.lines.length - 1]!;
    const stream = !this.failed && ann.size >= (this.opts.appendStreamThreshold ?? Number.POSITIVE_INFINITY) && isMessageLiteral(ev.lines[0]!, line, ev.literals.length);
    // A streamed literal is not held, so only the literal caps bound it, not the command size.
    const limit = ev.limit ?? (stream ? null : ev.holdLimit);
    // Only the first limit of a command becomes its error: an Error per later literal (a stack
    // trace each) made a hostile run of `{1+}` literals cost ~10x per byte.
    if (limit && !this.failed) this.failed = this.withTag(limit.code === 'TOO_MANY' ? new ProtocolError('TOO_MANY', 'too many literals in one command', { offset: limit.offset }) : limit, ev.lines[0]);
    if (this.failed) {
      if (!ann.nonSync) {
        // The client waits for "+" and will not send the octets: drop the command now.
        out.push({ type: 'error', error: this.failed });
        this.failed = null;
        this.framer.refuse();
        return;
      }
      // RFC 7888 4: a non-synchronizing literal the command cannot take is read and thrown away.
      if (!Number.isSafeInteger(ann.size)) {
        // Absurd sizes (2^64) cannot be counted down: skip nothing, the command fails at its end.
        this.framer.skip(this.failed);
        this.failed = null;
        return;
      }
      this.discarding = true;
      this.framer.stream();
      return;
    }
    if (!ann.nonSync) out.push({ type: 'continuation-needed', tag, size: ann.size });
    if (stream) {
      this.streamTag = tag;
      this.framer.stream();
    } else this.framer.hold();
  }
}

/** The tag at the start of a command's first line, when it is a valid one. */
function tagOf(first: Uint8Array | null | undefined): string | null {
  if (!first) return null;
  const sp = first.indexOf(0x20);
  const t = decodeLatin1(first, 0, sp < 0 ? Math.min(first.length, 64) : Math.min(sp, 64));
  return isValidTag(t) ? t : null;
}
