/**
 * A FIFO of byte chunks that never re-copies earlier bytes: pushing keeps a reference,
 * reading hands back zero-copy views when the bytes sit in one chunk and copies only when a
 * unit spans chunks. Positions are absolute stream offsets, so a scan can resume where it
 * stopped and 1-byte chunks cost no more per byte than 16 KiB ones.
 *
 * @packageDocumentation
 */

import { EMPTY_BYTES, indexOfByte } from './bytes';

/** Chunks shorter than this are copied into a shared tail buffer instead of queued one by one. */
const COALESCE_BELOW = 256;
/** Size of each tail buffer that small chunks are copied into. */
const TAIL_SIZE = 8192;

/**
 * Byte FIFO with absolute offsets. `push` takes ownership of a chunk of 256 bytes or more: do
 * not modify it after pushing it (views into it may be handed back as results). Smaller
 * chunks are copied into a tail buffer, so a peer that sends one byte at a time costs one
 * queue entry per 8 KiB rather than one per byte, and a line made of many tiny chunks is
 * taken as one zero-copy view instead of being stitched from a thousand pieces.
 */
export class ByteQueue {
  private chunks: Uint8Array[] = [];
  // The tail buffer: bytes [0, tailLen) are written once and never changed (views handed out
  // may point into them). While `tailOpen`, the last entry of `chunks` covers
  // tailBuf[tailEntryStart, tailLen); `tailStale` says that entry's view is shorter than that
  // and must be rebuilt (sync) before anything but indexOf reads the queue.
  private tailBuf: Uint8Array = EMPTY_BYTES;
  private tailLen = 0;
  private tailEntryStart = 0;
  private tailOpen = false;
  private tailStale = false;
  private starts: number[] = [];
  private head = 0;
  private headOff = 0;
  private startAbs = 0;
  private endAbs = 0;
  /** Hint: index of the chunk where the last scan ended. */
  private hint = 0;
  /** Bounds of the head in the array headChunk() last returned (see there). */
  private headBase = 0;
  private headLimit = 0;

  /** Appends a chunk (kept by reference, or copied when it is small). */
  push(chunk: Uint8Array): void {
    const n = chunk.length;
    if (n === 0) return;
    if (n < COALESCE_BELOW) return this.pushSmall(chunk);
    this.sync();
    this.tailOpen = false;
    // A subclass (Node's Buffer) makes every later subarray() a slow subclass construction
    // and hands Buffers back out; a plain view of the same memory does neither.
    if (chunk.constructor !== Uint8Array) chunk = new Uint8Array(chunk.buffer, chunk.byteOffset, n);
    this.chunks.push(chunk);
    this.starts.push(this.endAbs);
    this.endAbs += chunk.length;
  }

  private pushSmall(chunk: Uint8Array): void {
    const n = chunk.length;
    let buf = this.tailBuf;
    if (!this.tailOpen || this.tailLen + n > buf.length) {
      this.sync();
      if (this.tailLen + n > buf.length) {
        buf = this.tailBuf = new Uint8Array(TAIL_SIZE);
        this.tailLen = 0;
      }
      this.tailEntryStart = this.tailLen;
      this.chunks.push(EMPTY_BYTES);
      this.starts.push(this.endAbs);
      this.tailOpen = true;
    }
    let t = this.tailLen;
    if (n <= 8) for (let k = 0; k < n; k++) buf[t++] = chunk[k]!;
    else {
      buf.set(chunk, t);
      t += n;
    }
    this.tailLen = t;
    this.endAbs += n;
    this.tailStale = true;
  }

  /** Rebuilds the view of the growing tail entry. */
  private sync(): void {
    if (!this.tailStale) return;
    this.tailStale = false;
    this.chunks[this.chunks.length - 1] = this.tailBuf.subarray(this.tailEntryStart, this.tailLen);
  }

  /** Number of buffered bytes. */
  get length(): number {
    return this.endAbs - this.startAbs;
  }

  /** Absolute stream offset of the first buffered byte (= bytes consumed so far). */
  get offset(): number {
    return this.startAbs;
  }

  /** Absolute stream offset just past the last buffered byte (= bytes pushed so far). */
  get end(): number {
    return this.endAbs;
  }

  private chunkIndexAt(abs: number): number {
    let i = this.hint;
    if (i < this.head || i >= this.chunks.length || this.starts[i]! > abs) i = this.head;
    while (i < this.chunks.length && this.starts[i]! + this.chunks[i]!.length <= abs) i++;
    return i;
  }

  /**
   * Absolute offset of the first `byte` at or after absolute offset `from`, or -1.
   * Resumable: scanning from where the previous call stopped touches each byte once.
   */
  indexOf(byte: number, from: number): number {
    if (from < this.startAbs) from = this.startAbs;
    if (from >= this.endAbs) return -1;
    if (this.tailStale) {
      // The common case with tiny chunks: a scan over the few bytes just appended to the tail,
      // without rebuilding its view.
      const ts = this.starts[this.starts.length - 1]!;
      if (from >= ts) {
        const b = this.tailBuf;
        const base = this.tailEntryStart - ts;
        const end = this.tailLen;
        let k = from + base;
        if (end - k <= 64) {
          for (; k < end; k++) if (b[k] === byte) return k - base;
          return -1;
        }
        // The tail buffer past `end` is not written yet; a hit there is no hit.
        const r = indexOfByte(b, byte, k);
        return r < 0 || r >= end ? -1 : r - base;
      }
      this.sync();
    }
    let i = this.chunkIndexAt(from);
    for (; i < this.chunks.length; i++) {
      const c = this.chunks[i]!;
      const s = this.starts[i]!;
      const k = indexOfByte(c, byte, from > s ? from - s : 0);
      if (k >= 0) {
        this.hint = i;
        return s + k;
      }
    }
    this.hint = this.chunks.length - 1;
    return -1;
  }

  /** The last buffered byte, or -1 when the queue is empty (no view is built for it). */
  lastByte(): number {
    if (this.endAbs === this.startAbs) return -1;
    if (this.tailStale) return this.tailBuf[this.tailLen - 1]!;
    const c = this.chunks[this.chunks.length - 1]!;
    return c[c.length - 1]!;
  }

  /** The byte at absolute offset `abs` (which must be buffered). */
  byteAt(abs: number): number {
    this.sync();
    const i = this.chunkIndexAt(abs);
    this.hint = i;
    return this.chunks[i]![abs - this.starts[i]!]!;
  }

  /**
   * Consumes and returns the next `n` bytes (n <= length): a view when they lie in one
   * chunk, a fresh copy when they span several.
   */
  take(n: number): Uint8Array {
    if (n === 0) return EMPTY_BYTES;
    if (n > this.length) throw new RangeError(`ByteQueue.take(${n}) with only ${this.length} buffered`);
    this.sync();
    const c = this.chunks[this.head]!;
    const avail = c.length - this.headOff;
    if (n <= avail) {
      const out = c.subarray(this.headOff, this.headOff + n);
      this.advance(n);
      return out;
    }
    const out = new Uint8Array(n);
    let o = 0;
    while (o < n) {
      const h = this.chunks[this.head]!;
      const k = Math.min(n - o, h.length - this.headOff);
      out.set(h.subarray(this.headOff, this.headOff + k), o);
      o += k;
      this.advance(k);
    }
    return out;
  }

  /**
   * Consumes and returns up to `max` bytes from the first chunk only: always a zero-copy
   * view, possibly shorter than `max`. Empty when nothing is buffered.
   */
  takeChunk(max: number): Uint8Array {
    if (this.length === 0 || max <= 0) return EMPTY_BYTES;
    this.sync();
    const c = this.chunks[this.head]!;
    const k = Math.min(max, c.length - this.headOff);
    const out = c.subarray(this.headOff, this.headOff + k);
    this.advance(k);
    return out;
  }

  /** The unread part of the first chunk, without consuming it. */
  peekChunk(): Uint8Array {
    if (this.length === 0) return EMPTY_BYTES;
    this.sync();
    return this.chunks[this.head]!.subarray(this.headOff);
  }

  /**
   * The array that holds the first buffered bytes, as it is stored: not a view of its unread
   * part, so nothing is allocated. Its unread bytes are `[headIndex, headEnd)`; bytes past
   * `headEnd` are not buffered data (for the coalesced tail of small reads they are not
   * written yet). With {@link consumeHead}, for readers that work on (start, end) positions
   * in a chunk instead of taking a view per unit. Empty when nothing is buffered.
   */
  headChunk(): Uint8Array {
    if (this.endAbs === this.startAbs) {
      this.headBase = this.headLimit = 0;
      return EMPTY_BYTES;
    }
    if (this.tailStale && this.head === this.chunks.length - 1) {
      // The growing tail of small reads: its view is stale, and rebuilding it on every 1-byte
      // read would allocate per byte. Hand out the tail buffer itself with its bounds.
      this.headBase = this.tailEntryStart;
      this.headLimit = this.tailLen;
      return this.tailBuf;
    }
    this.sync();
    const c = this.chunks[this.head]!;
    this.headBase = 0;
    this.headLimit = c.length;
    return c;
  }

  /** Index in the array {@link headChunk} returned of the first unread byte. */
  get headIndex(): number {
    return this.headBase + this.headOff;
  }

  /** Index in the array {@link headChunk} returned just past its last buffered byte. */
  get headEnd(): number {
    return this.headLimit;
  }

  /** Consumes `n` bytes that lie in {@link headChunk} (`n <= headEnd - headIndex`). */
  consumeHead(n: number): void {
    if (n <= 0) return;
    this.sync();
    const c = this.chunks[this.head];
    if (c === undefined || n > c.length - this.headOff) throw new RangeError(`ByteQueue.consumeHead(${n}) past the first chunk`);
    this.advance(n);
  }

  /** Discards the next `n` bytes (n <= length). */
  skip(n: number): void {
    if (n > this.length) throw new RangeError(`ByteQueue.skip(${n}) with only ${this.length} buffered`);
    this.sync();
    while (n > 0) {
      const c = this.chunks[this.head]!;
      const k = Math.min(n, c.length - this.headOff);
      this.advance(k);
      n -= k;
    }
  }

  /** Drops everything buffered. */
  clear(): void {
    this.skip(this.length);
  }

  private advance(k: number): void {
    this.startAbs += k;
    this.headOff += k;
    const c = this.chunks[this.head]!;
    if (this.headOff >= c.length) {
      this.head++;
      this.headOff = 0;
      if (this.head === this.chunks.length) {
        // pop() on the usual one-entry queue is much cheaper than truncating with length = 0.
        if (this.chunks.length === 1) {
          this.chunks.pop();
          this.starts.pop();
        } else {
          this.chunks.length = 0;
          this.starts.length = 0;
        }
        this.head = 0;
        this.hint = 0;
        // The tail entry is gone; the unwritten rest of the tail buffer serves the next small chunks.
        this.tailOpen = false;
      } else if (this.head >= 64 && this.head * 2 >= this.chunks.length) {
        this.chunks.splice(0, this.head);
        this.starts.splice(0, this.head);
        this.hint = Math.max(0, this.hint - this.head);
        this.head = 0;
      }
    }
  }
}
