/**
 * A small cache of strings decoded from short ASCII byte runs, for protocol text that repeats
 * on a connection (SMTP reply texts such as `Ok` or the EHLO keywords, status lines).
 *
 * @packageDocumentation
 */

import { decodeUtf8 } from './bytes';

/** Runs longer than this are decoded every time (the compare would cost more than it saves). */
const MAX_CACHED = 64;
/** Slots of the direct-mapped table (a power of two). */
const SLOTS = 256;

/**
 * Decodes `bytes[start, end)` as UTF-8 like {@link decodeUtf8}, and remembers short ASCII
 * results: when the same bytes come again, the string made the first time is returned
 * instead of a new one.
 *
 * Why: a runtime's decoder costs 100-200 ns per call on a ~20-byte run on Node 20 (its JS
 * wrapper, the view it needs, the native call), which was half of what the SMTP reply parser
 * spent per line, while servers send the same texts over and over. A hit costs one pass over
 * the bytes, comparing them with the remembered string (the slot comes from the length and
 * three sampled bytes). The table is direct-mapped and fixed in size (256 strings of at most 64
 * characters), so it can never grow; a run that is not ASCII or longer than 64 bytes is
 * decoded as before and not remembered (only ASCII strings are kept: a remembered string with
 * a char in 0x80-0xff could match bytes that decode to something else). The result is always the string decodeUtf8 gives.
 *
 * @example
 * ```ts
 * import { TextCache } from 'mailwire';
 * const cache = new TextCache();
 * const line = new TextEncoder().encode('250 Ok');
 * cache.decode(line, 4, 6); // "Ok" (decoded)
 * cache.decode(line, 4, 6); // "Ok" (the same string, from the cache)
 * ```
 */
export class TextCache {
  private readonly strings: (string | undefined)[] = new Array<string | undefined>(SLOTS).fill(undefined);

  /** `bytes[start, end)` decoded as UTF-8 (invalid sequences as U+FFFD), from the cache when it is there. */
  decode(bytes: Uint8Array, start: number, end: number): string {
    const n = end - start;
    if (n <= 0) return '';
    if (n > MAX_CACHED) return decodeUtf8(bytes, start, end);
    // The slot comes from the length and three sampled bytes, not a hash of every byte: the
    // compare below reads every byte anyway, and is the only pass a hit makes.
    const slot = (n * 7 + bytes[start]! * 31 + bytes[end - 1]! * 17 + bytes[start + (n >> 1)]!) & (SLOTS - 1);
    const known = this.strings[slot];
    if (known !== undefined && known.length === n) {
      let k = 0;
      while (k < n && known.charCodeAt(k) === bytes[start + k]) k++;
      // Only ASCII strings are remembered, so equal char codes mean equal bytes.
      if (k === n) return known;
    }
    for (let i = start; i < end; i++) if (bytes[i]! > 0x7f) return decodeUtf8(bytes, start, end);
    const s = decodeUtf8(bytes, start, end);
    this.strings[slot] = s;
    return s;
  }
}
