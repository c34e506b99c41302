/**
 * The dot-stuffing codec shared by SMTP DATA (RFC 5321 4.5.2) and POP3 multiline
 * responses (RFC 1939 3): streaming in both directions.
 *
 * The decoder ends a body only at CRLF "." CRLF (the CRLF before the dot belongs to the
 * body). No other sequence (`LF.LF`, `CR.CR`, `LF.CRLF`, `CRLF.LF`, ...) ends it: that is
 * what keeps SMTP smuggling out.
 *
 * @packageDocumentation
 */

import type { ByteQueue } from './byte-queue';
import { CR, DOT, LF, indexOfByte } from './bytes';
import { ProtocolError } from './errors';

/** Below this many buffered bytes, body bytes wait for a line end (see DotDecoder.decode). */
const SMALL_PIECE = 256;

/**
 * Bare CR / LF inside a dot-stuffed body:
 * - `reject`: pass the bytes through but report one `BARE_LF` / `BARE_CR` error per body,
 *   so the receiver can refuse the message (the stream stays in sync).
 * - `normalize`: turn each bare CR or LF into CRLF (it never becomes a line start for
 *   dot handling, and never ends the body).
 * - `accept`: pass the bytes through silently.
 */
export type BareLineEndingPolicy = 'reject' | 'normalize' | 'accept';

/** Options of a {@link DotDecoder}. */
export interface DotDecoderOptions {
  /** Default `reject`. */
  readonly lineEndings?: BareLineEndingPolicy;
}

const CR_BYTES = Uint8Array.of(CR);
const LF_BYTES = Uint8Array.of(LF);

const S_LINE_START = 0;
const S_MID = 1;
const S_CR = 2;
const S_DOT = 3;
const S_DOT_CR = 4;

/**
 * Streaming dot-unstuffer. Feed it the queue that holds the body bytes; it consumes up to
 * and including the terminating CRLF "." CRLF and appends body pieces (zero-copy views
 * where possible) and at most one error per body to `out`.
 *
 * @example
 * ```ts
 * import { ByteQueue, DotDecoder } from 'mailwire';
 * const q = new ByteQueue();
 * q.push(new TextEncoder().encode('..hi\r\n.\r\nQUIT\r\n'));
 * const out: (Uint8Array | Error)[] = [];
 * new DotDecoder().decode(q, out); // true: the body ".hi\r\n" is in out, "QUIT\r\n" stays queued
 * ```
 */
export class DotDecoder {
  /** Bare CR / LF policy. */
  lineEndings: BareLineEndingPolicy;
  private state = S_LINE_START;
  private reported = false;
  /** Absolute queue offset up to which held bytes were searched for LF and had none. */
  private scanned = 0;

  constructor(options: DotDecoderOptions = {}) {
    this.lineEndings = options.lineEndings ?? 'reject';
  }

  /** Starts a new body (state back to "line start", error flag cleared). */
  reset(): void {
    this.state = S_LINE_START;
    this.reported = false;
    this.scanned = 0;
  }

  /**
   * Consumes body bytes from `queue`, appending pieces to `out`. Returns true once the
   * terminator was consumed (the decoder is then reset for the next body). Fewer than 256
   * buffered bytes that do not end a line are left queued unless `flush` is set (at the end
   * of the stream), so tiny reads do not become one piece each.
   */
  decode(queue: ByteQueue, out: (Uint8Array | ProtocolError)[], flush = false): boolean {
    // A peer that sends a body a few bytes at a time would get one piece per read. Short
    // tails are held until a line ends (the terminator always ends with LF, so no body is
    // ever held back whole, nor what follows it in the same read) or SMALL_PIECE bytes gather:
    // one piece per line at worst.
    if (!flush && queue.length < SMALL_PIECE && queue.lastByte() !== LF) {
      // Held bytes are scanned once: only what arrived since the last look. The mark moves only
      // when no LF was found: an LF found here may lie past this body's end, and the next body
      // (in the same queue) must still see it.
      const from = this.scanned > queue.offset && this.scanned <= queue.end ? this.scanned : queue.offset;
      if (queue.indexOf(LF, from) < 0) {
        this.scanned = queue.end;
        return false;
      }
    }
    while (queue.length > 0) {
      const c = queue.peekChunk();
      const base = queue.offset;
      const n = c.length;
      let i = 0;
      let seg = 0;
      let state = this.state;
      let nextCr = -2;
      let nextLf = -2;
      const accept = this.lineEndings === 'accept';
      while (i < n) {
        if (state === S_MID && accept) {
          // Bare CR and bare LF are content, so only a dot right after CRLF needs work (an
          // unstuffing dot or the terminator): search for dots, not for line ends. Base64
          // parts, most of the octets of real mail, have no dots at all.
          // S_MID is never entered with a CR pending just before i, so a CRLF counts only
          // when both of its bytes are at or after i.
          const j = indexOfByte(c, DOT, i);
          if (j < 0) {
            const last = c[n - 1];
            if (last === CR) state = S_CR;
            else if (last === LF && n - 2 >= i && c[n - 2] === CR) state = S_LINE_START;
            i = n;
            break;
          }
          if (j - 2 >= i && c[j - 1] === LF && c[j - 2] === CR) {
            if (j > seg) out.push(c.subarray(seg, j));
            i = j + 1;
            seg = i;
            state = S_DOT;
          } else i = j + 1;
        } else if (state === S_MID) {
          if (nextCr !== -1 && nextCr < i) nextCr = indexOfByte(c, CR, i);
          if (nextLf !== -1 && nextLf < i) nextLf = indexOfByte(c, LF, i);
          let j: number;
          if (nextCr < 0) j = nextLf;
          else if (nextLf < 0) j = nextCr;
          else j = nextCr < nextLf ? nextCr : nextLf;
          if (j < 0) {
            i = n;
            break;
          }
          if (c[j] === CR) {
            // The usual line end: CRLF followed by anything but a dot needs no state change
            // (line start, not a dot: back in the middle of a line). One step per line.
            if (j + 2 < n && c[j + 1] === LF && c[j + 2] !== DOT) {
              i = j + 2;
              continue;
            }
            i = j + 1;
            state = S_CR;
          } else {
            // Bare LF: body content, never a line start.
            if (this.lineEndings === 'normalize') {
              if (j > seg) out.push(c.subarray(seg, j));
              out.push(CR_BYTES);
              seg = j;
            } else if (this.lineEndings === 'reject' && !this.reported) {
              // The bytes before the bare LF go out first, so the error sits where it happened.
              if (j > seg) out.push(c.subarray(seg, j));
              seg = j;
              this.report(out, 'BARE_LF', base + j);
            }
            i = j + 1;
          }
        } else if (state === S_LINE_START) {
          if (c[i] === DOT) {
            if (i > seg) out.push(c.subarray(seg, i));
            i++;
            seg = i;
            state = S_DOT;
          } else state = S_MID;
        } else if (state === S_CR) {
          if (c[i] === LF) {
            i++;
            state = S_LINE_START;
          } else {
            seg = this.bareCr(c, i, seg, base, out);
            state = S_MID;
          }
        } else if (state === S_DOT) {
          if (c[i] === CR) {
            i++;
            seg = i;
            state = S_DOT_CR;
          } else {
            // Under accept, the byte after a stuffing dot is content whatever it is (a dot
            // there, as in "..", starts no line): step over it, or the dot search would stop
            // on it, one more native call per stuffed line.
            if (accept) i++;
            state = S_MID;
          }
        } else {
          // S_DOT_CR: the CR after a line-start dot is held back until we see what follows.
          if (c[i] === LF) {
            queue.skip(i + 1);
            this.reset();
            return true;
          }
          out.push(CR_BYTES);
          if (this.lineEndings === 'normalize') out.push(LF_BYTES);
          else if (this.lineEndings === 'reject') this.report(out, 'BARE_CR', base + i - 1);
          seg = i;
          state = S_MID;
        }
      }
      if (state !== S_DOT_CR && n > seg) out.push(c.subarray(seg, n));
      this.state = state;
      queue.skip(n);
    }
    return false;
  }

  /** A CR (just before `i`) not followed by LF; returns the new start of the unflushed segment. */
  private bareCr(c: Uint8Array, i: number, seg: number, base: number, out: (Uint8Array | ProtocolError)[]): number {
    if (this.lineEndings === 'normalize') {
      if (i > seg) out.push(c.subarray(seg, i));
      out.push(LF_BYTES);
      return i;
    }
    if (this.lineEndings === 'reject' && !this.reported) {
      if (i > seg) out.push(c.subarray(seg, i));
      this.report(out, 'BARE_CR', base + i - 1);
      return i;
    }
    return seg;
  }

  private report(out: (Uint8Array | ProtocolError)[], code: 'BARE_LF' | 'BARE_CR', offset: number): void {
    if (this.reported) return;
    this.reported = true;
    const what = code === 'BARE_LF' ? 'bare LF' : 'bare CR';
    out.push(
      new ProtocolError(code, `${what} in a dot-stuffed body; only CRLF may end a line (the body must be refused)`, {
        offset,
      }),
    );
  }
}

/** NUL, SP, HTAB: bytes a lenient receiver may drop or trim before a line-start dot. */
function isLeadByte(b: number): boolean {
  return b === 0x00 || b === 0x20 || b === 0x09;
}

/**
 * Streaming dot-stuffer for the sending side. Normalises every bare CR and bare LF to CRLF
 * first, so its output can never contain a line ending other than CRLF, then doubles each
 * dot that starts a line. A line whose first byte other than NUL, SP and HTAB is a dot gets
 * the extra dot too (`" ."` goes out as `". ."`): a receiver that follows RFC 5321 4.5.2
 * removes it and reads the same line, and one that drops NUL or leading white space (an SMTP
 * smuggling vector) still never sees a lone dot. {@link DotEncoder.end} closes the body with
 * CRLF (if missing) and "." CRLF.
 *
 * @example
 * ```ts
 * import { DotEncoder } from 'mailwire';
 * const enc = new DotEncoder();
 * const a = enc.encode(new TextEncoder().encode('.hidden\nline')); // ..hidden\r\nline
 * const b = enc.end();                                            // \r\n.\r\n
 * ```
 */
export class DotEncoder {
  private lineStart = true;
  private prevCr = false;
  /** NUL/SP/HTAB that start the current line, held until the byte after them says whether to stuff. */
  private lead: Uint8Array[] = [];
  private leadLength = 0;

  /** Stuffs one chunk of body bytes; returns the bytes to write. */
  encode(chunk: Uint8Array): Uint8Array {
    const n = this.run(chunk, null);
    const out = new Uint8Array(n);
    this.run(chunk, out);
    return out;
  }

  /** Closes the body: the bytes to write after the last chunk. Resets for the next body. */
  end(): Uint8Array {
    const parts: number[] = [];
    for (const l of this.lead) parts.push(...l);
    if (this.leadLength > 0) this.lineStart = false;
    if (this.prevCr) {
      parts.push(LF);
      this.lineStart = true;
    }
    if (!this.lineStart) parts.push(CR, LF);
    parts.push(DOT, CR, LF);
    this.lineStart = true;
    this.prevCr = false;
    this.lead = [];
    this.leadLength = 0;
    return Uint8Array.from(parts);
  }

  /** With `out` null, counts the output length without changing state; otherwise writes it. */
  private run(c: Uint8Array, out: Uint8Array | null): number {
    let lineStart = this.lineStart;
    let prevCr = this.prevCr;
    let held = this.leadLength;
    let o = 0;
    let i = 0;
    while (i < c.length) {
      const b = c[i]!;
      if (prevCr) {
        prevCr = false;
        if (out) out[o] = LF;
        o++;
        lineStart = true;
        if (b === LF) {
          i++;
          continue;
        }
      }
      if (lineStart && (held > 0 || isLeadByte(b))) {
        // The line starts with NUL/SP/HTAB: whether it gets a stuffing dot depends on the first
        // other byte, which may be in a later chunk.
        let j = i;
        while (j < c.length && isLeadByte(c[j]!)) j++;
        if (j === c.length) {
          if (out) {
            this.lead.push(c.slice(i));
            this.leadLength += c.length - i;
          }
          i = j;
          break;
        }
        if (c[j] === DOT) {
          if (out) out[o] = DOT;
          o++;
        }
        if (out) {
          for (const l of this.lead) {
            out.set(l, o);
            o += l.length;
          }
          out.set(c.subarray(i, j), o);
        } else o += held;
        o += j - i;
        if (out) {
          this.lead = [];
          this.leadLength = 0;
        }
        held = 0;
        lineStart = false;
        i = j;
        continue;
      }
      if (b === CR) {
        if (out) out[o] = CR;
        o++;
        prevCr = true;
        lineStart = false;
      } else if (b === LF) {
        if (out) {
          out[o] = CR;
          out[o + 1] = LF;
        }
        o += 2;
        lineStart = true;
      } else {
        if (lineStart && b === DOT) {
          if (out) out[o] = DOT;
          o++;
        }
        if (out) out[o] = b;
        o++;
        lineStart = false;
      }
      i++;
    }
    if (out) {
      this.lineStart = lineStart;
      this.prevCr = prevCr;
    }
    return o;
  }
}

/** Dot-stuffs a whole body and appends the terminator (convenience over {@link DotEncoder}). */
export function dotStuff(body: Uint8Array): Uint8Array {
  const enc = new DotEncoder();
  const a = enc.encode(body);
  const b = enc.end();
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
