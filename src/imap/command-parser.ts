/**
 * The server-side IMAP command parser: frames commands (lines and literals), tells the
 * server when a synchronizing literal needs a `+` continuation request, and reads each
 * command with the grammar. Bad input is an error item carrying the tag when it was read.
 *
 * @packageDocumentation
 */

import { decodeLatin1, decodeUtf8 } from '../core/bytes';
import { ProtocolError, type ErrorItem } from '../core/errors';
import { LineFramer } from '../core/line-framer';
import { readCommand, type ParseCommandOptions } from './command';
import type { StreamedLiteral as StreamedCommandLiteral } from './syntax';
import type { Command } from './command-types';
import { literalAnnouncement } from './lexer';
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
  private readonly framer: LineFramer;
  private lines: Uint8Array[] = [];
  private literals: (Uint8Array | StreamedCommandLiteral)[] = [];
  private literalLeft = 0;
  private streamSize = 0;
  private streamBinary = false;
  /** Octets of the current command held so far (lines and literals). */
  private held = 0;
  private mode: 'command' | 'literal' | 'stream' | 'skip' | 'line' | 'paused' = 'command';
  private failed: ProtocolError | null = null;

  constructor(options: CommandParserOptions = {}) {
    this.opts = options;
    this.framer = new LineFramer({ maxLineLength: options.maxLineLength ?? 64 * 1024, lineEndings: 'reject' });
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
    this.reset();
    return this.framer.discardBuffered();
  }

  /** Feeds bytes; returns the items they complete. Never throws for any input. */
  push(chunk: Uint8Array): CommandParserItem[] {
    this.framer.push(chunk);
    return this.run();
  }

  /** End of stream: `TRUNCATED` when a command was cut short. */
  end(): CommandParserItem[] {
    if (this.lines.length > 0 || this.mode === 'literal' || this.mode === 'stream' || this.mode === 'skip') {
      this.framer.queue.clear();
      this.reset();
      return [{ type: 'error', error: new ProtocolError('TRUNCATED', 'stream ended inside a command') }];
    }
    const e = this.framer.end();
    return e ? [{ type: 'error', error: e }] : [];
  }

  private tagOf(): string | null {
    const first = this.lines[0];
    if (!first) return null;
    const sp = first.indexOf(0x20);
    const t = decodeLatin1(first, 0, sp < 0 ? Math.min(first.length, 64) : Math.min(sp, 64));
    return isValidTag(t) ? t : null;
  }

  private reset(): void {
    this.lines = [];
    this.literals = [];
    this.held = 0;
    this.failed = null;
    this.mode = 'command';
  }

  private run(): CommandParserItem[] {
    const out: CommandParserItem[] = [];
    const q = this.framer.queue;
    for (;;) {
      if (this.mode === 'paused') return out;
      if (this.mode === 'literal') {
        if (q.length < this.literalLeft) return out;
        this.literals.push(q.take(this.literalLeft));
        this.mode = 'command';
        this.framer.resync();
      } else if (this.mode === 'stream') {
        while (this.literalLeft > 0 && q.length > 0) {
          const chunk = q.takeChunk(this.literalLeft);
          this.literalLeft -= chunk.length;
          out.push({ type: 'literal-chunk', tag: this.tagOf(), chunk });
        }
        if (this.literalLeft > 0) return out;
        out.push({ type: 'literal-end', tag: this.tagOf(), size: this.streamSize });
        this.literals.push({ kind: 'streamed', size: this.streamSize, binary: this.streamBinary });
        this.mode = 'command';
        this.framer.resync();
      } else if (this.mode === 'skip') {
        const n = Math.min(q.length, this.literalLeft);
        q.skip(n);
        this.literalLeft -= n;
        if (this.literalLeft > 0) return out;
        // Skipping means the command already failed: keep nothing more of it.
        if (!this.failed) this.literals.push(new Uint8Array(0));
        this.mode = 'command';
        this.framer.resync();
      }
      const line = this.framer.readLine();
      if (line === null) return out;
      if (this.mode === 'line') {
        this.mode = 'paused';
        out.push(line instanceof ProtocolError ? { type: 'error', error: line } : { type: 'line', line: decodeUtf8(line) });
        continue;
      }
      if (line instanceof ProtocolError) {
        const tag = this.tagOf();
        out.push({ type: 'error', error: new ProtocolError(line.code, line.message, { offset: line.offset, tag: tag ?? undefined }) });
        this.reset();
        continue;
      }
      // Once the command has failed only its first line (the tag) is kept, so a command that
      // never ends costs no memory.
      if (!this.failed || this.lines.length === 0) this.lines.push(line);
      this.held += line.length;
      const ann = literalAnnouncement(line);
      if (!ann) {
        if (this.failed) out.push({ type: 'error', error: this.failed });
        else {
          const c = readCommand({ lines: this.lines, literals: this.literals }, this.opts);
          out.push(c instanceof ProtocolError ? { type: 'error', error: c } : { type: 'command', command: c });
          this.reset();
          if (!(c instanceof ProtocolError) && (c.command === 'IDLE' || c.command === 'AUTHENTICATE')) this.mode = 'paused';
          continue;
        }
        this.reset();
        continue;
      }
      const tag = this.tagOf();
      const max = this.opts.maxLiteralSize ?? 64 * 1024 * 1024;
      const maxCommand = this.opts.maxCommandSize ?? max + 1024 * 1024;
      if (this.literals.length >= (this.opts.maxLiterals ?? 1000)) this.failed ??= new ProtocolError('TOO_MANY', 'too many literals in one command', { tag: tag ?? undefined });
      const stream = !this.failed && ann.size >= (this.opts.appendStreamThreshold ?? Number.POSITIVE_INFINITY) && isMessageLiteral(this.lines[0]!, line, this.literals.length);
      // A streamed literal is not held, so only maxLiteralSize bounds it.
      const overCommand = ann.size <= max && !stream && !(this.held + ann.size <= maxCommand);
      if (!(ann.size <= max) || overCommand) {
        const why = overCommand ? `command of over ${this.held + ann.size} octets exceeds the limit of ${maxCommand}` : `literal of ${ann.size} octets exceeds the limit of ${max}`;
        const err = new ProtocolError('LITERAL_TOO_LARGE', why, { tag: tag ?? undefined, offset: this.framer.lineOffset });
        if (!ann.nonSync) {
          // The client waits for "+" and will not send the octets: drop the command now.
          out.push({ type: 'error', error: err });
          this.reset();
          continue;
        }
        // RFC 7888 4: a non-synchronizing literal over the limit is read and thrown away.
        this.failed ??= err;
        this.literalLeft = Number.isSafeInteger(ann.size) ? ann.size : 0;
        this.mode = 'skip';
        continue;
      }
      if (this.failed && !ann.nonSync) {
        // The command already failed (too many literals): refuse now rather than invite octets with "+".
        out.push({ type: 'error', error: this.failed });
        this.reset();
        continue;
      }
      if (!ann.nonSync) out.push({ type: 'continuation-needed', tag, size: ann.size });
      this.literalLeft = ann.size;
      if (stream) {
        this.streamSize = ann.size;
        this.streamBinary = ann.binary;
        this.mode = 'stream';
        continue;
      }
      if (!this.failed) this.held += ann.size;
      this.mode = this.failed ? 'skip' : 'literal';
    }
  }
}
