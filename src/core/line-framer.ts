/**
 * CRLF line framing over a {@link ByteQueue}, with a length limit and a policy for bare
 * line endings. Parsers that switch modes (SMTP DATA/BDAT, POP3 multiline, IMAP literals)
 * read lines through the framer and raw bytes through its queue.
 *
 * @packageDocumentation
 */

import { ByteQueue } from './byte-queue';
import { CR, EMPTY_BYTES, LF, describeBytes, indexOfByte } from './bytes';
import { ProtocolError } from './errors';

/**
 * What to do with a line that ends in a bare LF, or holds a bare CR.
 * - `reject`: the line becomes a `BARE_LF` / `BARE_CR` error item (nothing of it is parsed);
 *   the stream resynchronises after the LF. Safe default for servers.
 * - `accept`: a bare LF ends a line like CRLF; a bare CR stays part of the line.
 */
export type LineEndingPolicy = 'reject' | 'accept';

/** Options of a {@link LineFramer}. */
export interface LineFramerOptions {
  /** Maximum octets of one line including its CRLF. Longer lines become `LINE_TOO_LONG` errors. */
  readonly maxLineLength: number;
  /** Bare CR / LF handling; default `reject`. */
  readonly lineEndings?: LineEndingPolicy;
}

/**
 * Splits a byte stream into lines. Each line is returned without its terminator, as a view
 * into the pushed chunk when it lies in one (a copy otherwise). An overlong line is reported
 * once, its bytes are discarded as they arrive (memory stays bounded) and framing resumes
 * after the next LF.
 *
 * @example
 * ```ts
 * import { LineFramer } from 'mailwire';
 * const framer = new LineFramer({ maxLineLength: 512 });
 * framer.push(new TextEncoder().encode('EHLO a\r\nNO'));
 * framer.readLine(); // bytes of "EHLO a"
 * framer.readLine(); // null: "NO" is not a complete line yet
 * ```
 */
export class LineFramer {
  /** The underlying queue; read raw bytes from it between lines (literals, BDAT). */
  readonly queue = new ByteQueue();
  /** Maximum octets of one line including CRLF. */
  maxLineLength: number;
  /** Bare CR / LF policy. */
  lineEndings: LineEndingPolicy;
  /** After {@link readLineRange} returned true: the array that holds the line (a pushed chunk, or a copy). */
  lineBytes: Uint8Array = EMPTY_BYTES;
  /** After {@link readLineRange} returned true: index of the line's first byte in {@link lineBytes}. */
  lineStart = 0;
  /** After {@link readLineRange} returned true: index just past the line's last byte (its CRLF excluded). */
  lineEnd = 0;
  private scanFrom = 0;
  private discarding = false;
  private lastLineOffset = 0;

  constructor(options: LineFramerOptions) {
    this.maxLineLength = options.maxLineLength;
    this.lineEndings = options.lineEndings ?? 'reject';
  }

  /** Appends a chunk (kept by reference; do not modify it afterwards). */
  push(chunk: Uint8Array): void {
    this.queue.push(chunk);
  }

  /** Bytes buffered and not yet consumed. */
  get buffered(): number {
    return this.queue.length;
  }

  /** Absolute stream offset of the start of the line most recently returned. */
  get lineOffset(): number {
    return this.lastLineOffset;
  }

  /** True while the rest of an overlong line is being thrown away. */
  get isDiscarding(): boolean {
    return this.discarding;
  }

  /**
   * The next complete line (without CRLF), a {@link ProtocolError} for a line that could
   * not be taken (too long, bare line ending), or `null` when more bytes are needed.
   */
  readLine(): Uint8Array | ProtocolError | null {
    const q = this.queue;
    for (;;) {
      const lf = q.indexOf(LF, this.scanFrom);
      const start = q.offset;
      if (lf < 0) {
        this.scanFrom = q.end;
        if (this.discarding) {
          q.skip(q.length);
          return null;
        }
        if (q.length >= this.maxLineLength) {
          const head = q.peekChunk();
          q.skip(q.length);
          this.discarding = true;
          this.lastLineOffset = start;
          return this.tooLong(start, head);
        }
        return null;
      }
      const withLf = lf - start + 1;
      if (this.discarding) {
        q.skip(withLf);
        this.discarding = false;
        this.scanFrom = q.offset;
        continue;
      }
      this.lastLineOffset = start;
      if (withLf > this.maxLineLength) {
        const head = q.peekChunk();
        q.skip(withLf);
        this.scanFrom = q.offset;
        return this.tooLong(start, head);
      }
      const hasCr = withLf >= 2 && q.byteAt(lf - 1) === CR;
      const line = q.take(withLf - (hasCr ? 2 : 1));
      q.skip(hasCr ? 2 : 1);
      this.scanFrom = q.offset;
      if (this.lineEndings === 'reject') {
        const e = this.bareLineEnding(line, 0, line.length, hasCr, start);
        if (e !== null) return e;
      }
      return line;
    }
  }

  /** Under `reject`: the error for a line `bytes[from, end)` at stream offset `offset` that ended in a bare LF or holds a bare CR. */
  private bareLineEnding(bytes: Uint8Array, from: number, end: number, hasCr: boolean, offset: number): ProtocolError | null {
    if (!hasCr) {
      return new ProtocolError('BARE_LF', 'line ended with a bare LF; lines must end with CRLF', {
        offset: offset + end - from,
        line: describeBytes(bytes.subarray(from, end)),
      });
    }
    const cr = indexOfByte(bytes, CR, from);
    if (cr >= 0 && cr < end) {
      return new ProtocolError('BARE_CR', 'bare CR inside a line; CR is only allowed before LF', {
        offset: offset + cr - from,
        line: describeBytes(bytes.subarray(from, end)),
      });
    }
    return null;
  }

  /**
   * {@link readLine} without a view per line: `true` when a line was read, its bytes then in
   * {@link lineBytes} from {@link lineStart} to {@link lineEnd} (valid until the next read); a
   * {@link ProtocolError} as from readLine; `false` when more bytes are needed. A line that
   * lies in one pushed chunk (the usual case) costs one byte search and no allocation.
   */
  readLineRange(): boolean | ProtocolError {
    const q = this.queue;
    if (!this.discarding && q.length > 0) {
      const c = q.headChunk();
      const h = q.headIndex;
      const start = q.offset;
      const e = q.headEnd;
      // scanFrom never lies before the queue's offset: the part of the head searched before.
      const from = h + this.scanFrom - start;
      let lf = -1;
      if (e - from <= 16) {
        // A few bytes (the usual 1-byte read): a loop beats the native call, and it never
        // reads past e (the tail buffer of small reads goes on unwritten past e).
        for (let k = from; k < e; k++) {
          if (c[k] === LF) {
            lf = k;
            break;
          }
        }
      } else {
        lf = indexOfByte(c, LF, from);
        if (lf >= e) lf = -1;
      }
      if (lf >= 0 && lf - h < this.maxLineLength) {
        const hasCr = lf > h && c[lf - 1] === CR;
        const end = hasCr ? lf - 1 : lf;
        this.lastLineOffset = start;
        q.consumeHead(lf - h + 1);
        this.scanFrom = q.offset;
        if (this.lineEndings === 'reject') {
          const bad = this.bareLineEnding(c, h, end, hasCr, start);
          if (bad !== null) return bad;
        }
        this.lineBytes = c;
        this.lineStart = h;
        this.lineEnd = end;
        return true;
      }
      if (lf < 0 && this.scanFrom < start + e - h) this.scanFrom = start + e - h;
    }
    const line = this.readLine();
    if (line === null || line instanceof ProtocolError) return line ?? false;
    this.lineBytes = line;
    this.lineStart = 0;
    this.lineEnd = line.length;
    return true;
  }

  /**
   * Drops everything buffered and returns how many octets that was. For STARTTLS/STLS: bytes
   * a client pipelined after the command arrived in clear text and must not be read as if
   * they came through TLS (CVE-2011-0411).
   */
  discardBuffered(): number {
    const n = this.queue.length;
    this.queue.clear();
    this.discarding = false;
    this.scanFrom = this.queue.offset;
    return n;
  }

  /** Moves the line scan past bytes consumed directly from {@link queue}. */
  resync(): void {
    this.scanFrom = this.queue.offset;
  }

  /**
   * Call at end of stream: a `TRUNCATED` error if a partial line (or anything else) is
   * still buffered, otherwise `null`.
   */
  end(): ProtocolError | null {
    if (this.queue.length > 0 || this.discarding) {
      // The unfinished line started where its LINE_TOO_LONG error said (its discarded part
      // is gone from the queue, and how much of it is gone depends on how the bytes were
      // split) or else at the first buffered byte: either way the same offset and length
      // whatever the chunking.
      const off = this.discarding ? this.lastLineOffset : this.queue.offset;
      const n = this.queue.end - off;
      this.queue.clear();
      this.discarding = false;
      this.scanFrom = this.queue.offset;
      return new ProtocolError('TRUNCATED', `stream ended inside a line (${n} octets without CRLF)`, { offset: off });
    }
    return null;
  }

  private tooLong(offset: number, head: Uint8Array): ProtocolError {
    return new ProtocolError('LINE_TOO_LONG', `line longer than ${this.maxLineLength} octets; discarded up to the next CRLF`, {
      offset,
      line: describeBytes(head, 60),
    });
  }
}
