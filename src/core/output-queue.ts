/**
 * The outbound side of every session: sessions append the bytes they want written, the
 * owner of the socket drains them with `takeOutput()` after each call. Keeping one drain
 * point makes the three protocols' sessions look alike and keeps I/O out of them.
 *
 * @packageDocumentation
 */

import { encodeUtf8 } from './bytes';

/**
 * Ordered bytes waiting to be written.
 *
 * @example
 * ```ts
 * import { OutputQueue } from 'mailwire';
 * const out = new OutputQueue();
 * out.pushText('EHLO client.example\r\n');
 * out.take(); // [bytes of "EHLO client.example\r\n"]
 * ```
 */
export class OutputQueue {
  private chunks: Uint8Array[] = [];
  private bytes = 0;

  /** Appends bytes (kept by reference). */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.bytes += chunk.length;
  }

  /** Appends text as UTF-8. */
  pushText(text: string): void {
    this.push(encodeUtf8(text));
  }

  /** Number of bytes waiting. */
  get length(): number {
    return this.bytes;
  }

  /** Removes and returns everything waiting, in order. */
  take(): Uint8Array[] {
    const out = this.chunks;
    this.chunks = [];
    this.bytes = 0;
    return out;
  }
}
