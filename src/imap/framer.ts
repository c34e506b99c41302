/**
 * The one IMAP framer (RFC 9051 4.3, 7.5; RFC 7888; RFC 3516): splits a byte stream into units
 * — a line, and when it ends in a literal announcement (`{n}`, `{n+}`, `{n-}`, `~{n}`) the n
 * octets and the next line, and so on — before any grammar runs. Both the client's
 * `ResponseParser` and the server's `CommandParser` frame through it.
 *
 * It is a pull machine: `push(chunk)` then call `next()` until it returns null. When a line
 * announces a literal, `next()` returns a `literal` event and the caller decides what happens to
 * the octets: {@link LiteralFramer.hold} them in the unit, {@link LiteralFramer.stream} them
 * out as zero-copy chunk events, {@link LiteralFramer.skip} them (the unit then fails), or
 * {@link LiteralFramer.refuse} them (a synchronizing literal the peer will not send without `+`).
 * Sizes are capped (line length, literal size, number of literals, octets held per unit).
 *
 * A held literal is a zero-copy view of the input when one read holds all of it. When it
 * arrives split across reads it is copied once into a buffer of its final size, allocated
 * when its first octets arrive (literals up to {@link PREALLOCATE_LITERAL_MAX}): each read of
 * 256 octets or more is copied straight into it and not kept; tiny reads, which the byte queue
 * gathers into shared blocks anyway, are moved over a block at a time; nothing is grown or
 * joined. Larger literals are gathered by reference and copied once when the last octet
 * arrives, so a peer's `{n}` alone never makes the framer allocate more than 1 MiB ahead of
 * the octets it sent.
 *
 * @packageDocumentation
 */

import { encodeUtf8 } from '../core/bytes';
import { ProtocolError, type ProtocolErrorCode } from '../core/errors';
import type { ByteQueue } from '../core/byte-queue';
import { LineFramer, type LineEndingPolicy } from '../core/line-framer';
import type { FramedUnit, StreamedLiteral } from './syntax';

/** A literal announcement at the end of a line. */
export interface LiteralAnnouncement {
  /** Announced size; `Infinity` for a number too large to be real. */
  readonly size: number;
  /** `{n+}` / `{n-}` (RFC 7888 LITERAL+ / LITERAL-): no `+` continuation is awaited. */
  readonly nonSync: boolean;
  /** `~{n}` literal8 (RFC 3516). */
  readonly binary: boolean;
}

/**
 * Reads the literal announcement at the end of a line: `{n}`, `{n+}`, `{n-}` or `~{n}`.
 * Returns null when the line does not end in one. Looks only at the line's tail (the digits
 * before `}`), so it costs the length of the announcement, not of the line.
 */
export function literalAnnouncement(line: Uint8Array): LiteralAnnouncement | null {
  const n = line.length;
  if (n < 3 || line[n - 1] !== 0x7d) return null;
  let i = n - 2;
  let nonSync = false;
  if (line[i] === 0x2b || line[i] === 0x2d) {
    nonSync = true;
    i--;
  }
  const end = i + 1;
  while (i >= 0 && line[i]! >= 0x30 && line[i]! <= 0x39) i--;
  if (i === end - 1 || i < 0 || line[i] !== 0x7b) return null;
  let size = 0;
  for (let k = i + 1; k < end; k++) size = size * 10 + (line[k]! - 0x30);
  if (end - i - 1 > 15) size = Number.POSITIVE_INFINITY;
  return { size, nonSync, binary: i > 0 && line[i - 1] === 0x7e };
}

/**
 * Frames one complete unit given whole (text or bytes with CRLFs and literals inline) into
 * lines and literals: what the streaming framer does incrementally, for the one-shot
 * `parseResponse` / `parseCommand`. Literals are views of the input.
 */
export function frameUnit(input: string | Uint8Array): FramedUnit | ProtocolError {
  let bytes = typeof input === 'string' ? encodeUtf8(input) : input;
  // A subclass (Node's Buffer) makes every subarray() a slow subclass construction: read a plain view.
  if (bytes.constructor !== Uint8Array) bytes = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  const lines: Uint8Array[] = [];
  const literals: Uint8Array[] = [];
  let pos = 0;
  for (;;) {
    let lf = bytes.indexOf(0x0a, pos);
    if (lf < 0) lf = bytes.length;
    const end = lf > pos && bytes[lf - 1] === 0x0d ? lf - 1 : lf;
    const line = bytes.subarray(pos, end);
    lines.push(line);
    pos = lf + 1;
    const ann = literalAnnouncement(line);
    if (!ann || pos > bytes.length) break;
    if (pos + ann.size > bytes.length) return new ProtocolError('TRUNCATED', 'literal shorter than announced', { offset: pos });
    literals.push(bytes.subarray(pos, pos + ann.size));
    pos += ann.size;
  }
  return { lines, literals };
}

/**
 * Largest held literal whose buffer is allocated from its announcement, when its first octets
 * arrive split across reads: bounds what a peer can make the framer allocate ahead of the
 * octets it actually sent (a `{60000000+}` line costs the peer 14 octets).
 */
export const PREALLOCATE_LITERAL_MAX = 1024 * 1024;

/** Octets of tiny reads gathered in the queue before they are moved into a held literal's buffer. */
const FILL_BLOCK = 4096;

/** Options of a {@link LiteralFramer}. */
export interface LiteralFramerOptions {
  /** Longest line (between literals) including CRLF (`LINE_TOO_LONG`). */
  readonly maxLineLength: number;
  /** Bare CR / LF handling (see LineFramer). */
  readonly lineEndings: LineEndingPolicy;
  /** Largest literal accepted at all (`LITERAL_TOO_LARGE`). */
  readonly maxLiteralSize: number;
  /** Most literals in one unit (`TOO_MANY`). */
  readonly maxLiterals: number;
  /** Most octets held for one unit: its lines plus held literals. */
  readonly maxUnitSize: number;
  /** The code of the error for a unit over `maxUnitSize`. Default `TOO_MANY`. */
  readonly unitSizeCode?: ProtocolErrorCode;
}

/** A complete unit: its lines and literals, and the stream offset of its first byte. */
export interface UnitEvent {
  readonly type: 'unit';
  readonly unit: FramedUnit;
  readonly offset: number;
}

/**
 * A line announced a literal; the framer waits for the caller's decision (hold, stream, skip,
 * refuse). `lines` / `literals` are the unit so far (the announcing line last).
 */
export interface LiteralEvent {
  readonly type: 'literal';
  readonly announcement: LiteralAnnouncement;
  readonly lines: readonly Uint8Array[];
  readonly literals: readonly (Uint8Array | StreamedLiteral)[];
  /** Stream offset of the announcing line. */
  readonly offset: number;
  /** Why the literal cannot be accepted at all (literal size or count caps), or null. */
  readonly limit: ProtocolError | null;
  /** Why its octets cannot be held in the unit (the unit-size cap; streaming them is still possible), or null. */
  readonly holdLimit: ProtocolError | null;
}

/** Octets of a streamed literal, a zero-copy view of the input. */
export interface ChunkEvent {
  readonly type: 'chunk';
  readonly chunk: Uint8Array;
}

/** The streamed literal is complete. */
export interface LiteralEndEvent {
  readonly type: 'literal-end';
  readonly size: number;
  readonly binary: boolean;
}

/** A unit that could not be framed or was failed by a decision; `firstLine` is its first line (for a tag), when read. */
export interface FrameErrorEvent {
  readonly type: 'error';
  readonly error: ProtocolError;
  readonly firstLine: Uint8Array | null;
}

/** What {@link LiteralFramer.next} returns. */
export type FramerEvent = UnitEvent | LiteralEvent | ChunkEvent | LiteralEndEvent | FrameErrorEvent;

/**
 * The streaming IMAP unit framer shared by the response and command parsers.
 *
 * @example
 * ```ts
 * import { imap } from 'mailwire';
 * const f = new imap.LiteralFramer({ maxLineLength: 1024, lineEndings: 'accept', maxLiteralSize: 1e6, maxLiterals: 10, maxUnitSize: 1e7 });
 * f.push(new TextEncoder().encode('* 1 FETCH (BODY[] {5}\r\nhello)\r\n'));
 * f.next(); // { type: 'literal', announcement: { size: 5, ... }, ... }
 * f.hold();
 * f.next(); // { type: 'unit', unit: { lines: [...2 lines], literals: [hello] }, offset: 0 }
 * ```
 */
export class LiteralFramer {
  private readonly lineFramer: LineFramer;
  private readonly opts: LiteralFramerOptions;
  private lines: Uint8Array[] = [];
  private literals: (Uint8Array | StreamedLiteral)[] = [];
  private held = 0;
  private unitOffset = 0;
  private failed: ProtocolError | null = null;
  /** The unit's TOO_MANY error, once it has more than `maxLiterals` literals. */
  private tooMany: ProtocolError | null = null;
  private mode: 'line' | 'decide' | 'hold' | 'stream' | 'skip' = 'line';
  private pending: LiteralEvent | null = null;
  private left = 0;
  /** The held literal being collected across reads (final size), and how many octets of it are in. */
  private collect: Uint8Array | null = null;
  private collected = 0;

  constructor(options: LiteralFramerOptions) {
    this.opts = options;
    this.lineFramer = new LineFramer({ maxLineLength: options.maxLineLength, lineEndings: options.lineEndings });
  }

  /** Appends a chunk (kept by reference; do not modify it afterwards). */
  push(chunk: Uint8Array): void {
    this.lineFramer.push(chunk);
    // A held literal being collected takes a read's octets now (copied into the literal's
    // buffer, the read is not kept). Tiny reads are gathered by the queue (it copies reads
    // under 256 octets into shared blocks) and moved over a block at a time (see collectHeld).
    if (this.collect !== null && chunk.length >= 256) this.fillHeld(this.lineFramer.queue);
  }

  /** Bytes buffered and not yet framed (the part of a held literal collected so far included). */
  get buffered(): number {
    return this.lineFramer.buffered + (this.collect === null ? 0 : this.collected);
  }

  /** True while a unit is partly read (lines or a literal of it seen, not yet complete). */
  get inUnit(): boolean {
    return this.lines.length > 0 || this.mode !== 'line';
  }

  /** Stream offset of the end of the bytes pushed so far. */
  get streamEnd(): number {
    return this.lineFramer.queue.end;
  }

  /** Keep the pending literal's octets in the unit (as a view of the input when they lie in one chunk). */
  hold(): void {
    const ev = this.decision();
    this.held += ev.announcement.size;
    this.left = ev.announcement.size;
    this.mode = 'hold';
  }

  /** Hand the pending literal's octets out as chunk events; the unit holds a {@link StreamedLiteral} marker. */
  stream(): void {
    const ev = this.decision();
    this.left = ev.announcement.size;
    this.mode = 'stream';
  }

  /** Read and discard the pending literal's octets; the unit fails with `error`. */
  skip(error: ProtocolError): void {
    const ev = this.decision();
    this.failed ??= error;
    const size = ev.announcement.size;
    this.left = Number.isSafeInteger(size) ? size : 0;
    this.mode = 'skip';
  }

  /** Drop the unit now without reading the literal (the peer waits for `+` and will not send it). */
  refuse(): void {
    this.decision();
    this.mode = 'line';
    this.resetUnit();
  }

  private decision(): LiteralEvent {
    const ev = this.pending;
    if (this.mode !== 'decide' || ev === null) throw new Error('LiteralFramer: no literal is waiting for a decision');
    this.pending = null;
    return ev;
  }

  /**
   * Reads one line outside the unit grammar (an AUTHENTICATE response, IDLE's DONE): the next
   * line, a ProtocolError for a line that could not be taken, or null when more bytes are needed.
   */
  readRawLine(): Uint8Array | ProtocolError | null {
    return this.lineFramer.readLine();
  }

  /** Drops everything buffered (STARTTLS: clear-text bytes after the switch) and returns how many octets. */
  discardBuffered(): number {
    this.resetUnit();
    this.mode = 'line';
    this.pending = null;
    return this.lineFramer.discardBuffered();
  }

  /** The next event, or null when more bytes are needed. */
  next(): FramerEvent | null {
    const q = this.lineFramer.queue;
    for (;;) {
      switch (this.mode) {
        case 'decide': {
          // No decision made: hold what can be held, skip the rest.
          const limit = this.pending!.limit ?? this.pending!.holdLimit;
          if (limit) this.skip(limit);
          else this.hold();
          continue;
        }
        case 'hold': {
          if (!this.collectHeld(q)) return null;
          this.endLiteral();
          continue;
        }
        case 'stream': {
          if (this.left > 0) {
            if (q.length === 0) return null;
            const chunk = q.takeChunk(this.left);
            this.left -= chunk.length;
            return { type: 'chunk', chunk };
          }
          const ann = this.lastAnnouncement();
          this.literals.push({ kind: 'streamed', size: ann.size, binary: ann.binary });
          this.endLiteral();
          return { type: 'literal-end', size: ann.size, binary: ann.binary };
        }
        case 'skip': {
          const n = Math.min(q.length, this.left);
          q.skip(n);
          this.left -= n;
          if (this.left > 0) return null;
          if (!this.failed) this.literals.push(new Uint8Array(0));
          this.endLiteral();
          continue;
        }
        default:
          break;
      }
      const line = this.lineFramer.readLine();
      if (line === null) return null;
      if (this.lines.length === 0) this.unitOffset = this.lineFramer.lineOffset;
      if (line instanceof ProtocolError) {
        // The rest of this unit is lost with the line.
        const ev: FrameErrorEvent = { type: 'error', error: this.failed ?? line, firstLine: this.lines[0] ?? null };
        this.resetUnit();
        return ev;
      }
      // Once the unit has failed only its first line is kept (for a tag): a unit that never
      // ends costs no memory.
      if (!this.failed || this.lines.length === 0) this.lines.push(line);
      this.held += line.length;
      const ann = literalAnnouncement(line);
      if (ann === null) {
        const ev: FramerEvent = this.failed
          ? { type: 'error', error: this.failed, firstLine: this.lines[0] ?? null }
          : { type: 'unit', unit: { lines: this.lines, literals: this.literals }, offset: this.unitOffset };
        this.resetUnit();
        return ev;
      }
      if (this.failed) {
        // The unit already failed: its further literals are skipped whatever the caller says
        // (no limit is computed: building an error per literal would cost more than the octets).
        this.left = Number.isSafeInteger(ann.size) ? ann.size : 0;
        this.mode = 'skip';
        continue;
      }
      const ev: LiteralEvent = { type: 'literal', announcement: ann, lines: this.lines, literals: this.literals, offset: this.lineFramer.lineOffset, limit: this.limitFor(ann), holdLimit: this.holdLimitFor(ann) };
      this.pending = ev;
      this.mode = 'decide';
      return ev;
    }
  }

  /**
   * Moves the held literal's octets out of the queue; true once the literal is complete (and
   * pushed to the unit). A view when the first read it arrives in holds all of it; otherwise
   * one copy into a buffer of its final size (see {@link PREALLOCATE_LITERAL_MAX}).
   */
  private collectHeld(q: ByteQueue): boolean {
    let buf = this.collect;
    if (buf === null) {
      const size = this.left;
      // Whole in one read: a view. Over PREALLOCATE_LITERAL_MAX: the pieces were gathered by
      // reference and are copied once now (take() does either).
      if (q.length >= size && (size > PREALLOCATE_LITERAL_MAX || q.peekChunk().length >= size)) {
        this.literals.push(q.take(size));
        this.left = 0;
        return true;
      }
      if (size > PREALLOCATE_LITERAL_MAX || q.length === 0) return false;
      buf = this.collect = new Uint8Array(size);
      this.collected = 0;
      // The first octets move now (the read they came in is not kept).
    } else if (q.length < this.left && q.length < FILL_BLOCK) {
      // Tiny reads move over in blocks: a copy per 64-byte read would cost more than the bytes.
      return false;
    }
    this.fillHeld(q);
    if (this.left > 0) return false;
    this.literals.push(buf);
    this.collect = null;
    this.collected = 0;
    return true;
  }

  /** Copies queued octets of the held literal being collected into its buffer. */
  private fillHeld(q: ByteQueue): void {
    const buf = this.collect!;
    while (this.left > 0 && q.length > 0) {
      const c = q.takeChunk(this.left);
      buf.set(c, this.collected);
      this.collected += c.length;
      this.left -= c.length;
    }
    this.lineFramer.resync();
  }

  private lastAnnouncement(): LiteralAnnouncement {
    return literalAnnouncement(this.lines[this.lines.length - 1]!)!;
  }

  private limitFor(ann: LiteralAnnouncement): ProtocolError | null {
    const o = this.opts;
    const offset = this.lineFramer.lineOffset;
    if (!(ann.size <= o.maxLiteralSize) || !Number.isSafeInteger(ann.size)) {
      return new ProtocolError('LITERAL_TOO_LARGE', `literal of ${ann.size} octets exceeds the limit of ${o.maxLiteralSize}`, { offset });
    }
    // One error per unit: every literal past the limit is refused with it. Building an Error
    // per literal (a stack trace each) made a hostile run of `{1+}` literals cost ~10x per byte.
    if (this.literals.length >= o.maxLiterals) return (this.tooMany ??= new ProtocolError('TOO_MANY', `more than ${o.maxLiterals} literals in one unit`, { offset }));
    return null;
  }

  private holdLimitFor(ann: LiteralAnnouncement): ProtocolError | null {
    const o = this.opts;
    const offset = this.lineFramer.lineOffset;
    if (!(this.held + ann.size <= o.maxUnitSize)) {
      return new ProtocolError(o.unitSizeCode ?? 'TOO_MANY', `unit of over ${this.held + ann.size} octets exceeds the limit of ${o.maxUnitSize}`, { offset });
    }
    return null;
  }

  private endLiteral(): void {
    this.mode = 'line';
    this.lineFramer.resync();
  }

  private resetUnit(): void {
    this.collect = null;
    this.collected = 0;
    this.lines = [];
    this.literals = [];
    this.held = 0;
    this.tooMany = null;
    this.failed = null;
  }

  /**
   * End of stream: `TRUNCATED` when a unit or literal was cut short (or a partial line is
   * buffered), else null. Resets the framer.
   */
  end(): ProtocolError | null {
    if (this.inUnit) {
      const err = new ProtocolError('TRUNCATED', 'stream ended inside a unit', { offset: this.lineFramer.queue.end });
      this.lineFramer.queue.clear();
      this.lineFramer.resync();
      this.mode = 'line';
      this.pending = null;
      this.resetUnit();
      return err;
    }
    return this.lineFramer.end();
  }
}
