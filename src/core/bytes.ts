/**
 * Byte and text helpers shared by every protocol. Hot paths stay on bytes; text is
 * decoded once, through a shared TextDecoder.
 *
 * @packageDocumentation
 */

/** Carriage return, 0x0D. */
export const CR = 0x0d;
/** Line feed, 0x0A. */
export const LF = 0x0a;
/** Space, 0x20. */
export const SP = 0x20;
/** Horizontal tab, 0x09. */
export const HTAB = 0x09;
/** Full stop, 0x2E (dot-stuffing). */
export const DOT = 0x2e;

/** The two bytes CR LF. */
export const CRLF: Uint8Array = /* @__PURE__ */ Uint8Array.of(CR, LF);
/** An empty byte array, shared so that empty results do not allocate. */
export const EMPTY_BYTES: Uint8Array = /* @__PURE__ */ new Uint8Array(0);

/**
 * A byte search: the index of the first `byte` in `bytes` at or after `from` (which must not
 * be negative), or -1.
 */
export type ByteSearch = (bytes: Uint8Array, byte: number, from: number) => number;

/** The portable search: `TypedArray.prototype.indexOf`, a plain JS builtin on every runtime. */
const portableByteSearch: ByteSearch = (bytes, byte, from) => bytes.indexOf(byte, from);

/**
 * Picks the byte search for a runtime, given its global object.
 *
 * Why this is the one place src/ touches `Buffer`: the design keeps mailwire free of Node
 * (no `node:` import, no `Buffer`, so the same build runs in Deno, browsers and workers) and
 * allows a single exception for speed, here. Every line, dot and terminator search of the
 * framer, the dot decoder and the parsers goes through {@link indexOfByte}, and where the
 * runtime has a native memchr, that search is 2-10x faster than `TypedArray.prototype.indexOf`
 * (measured on Node 20: 15 vs 45 ns for an 80-byte line, 29 vs 366 ns for 1000 bytes).
 * Node exposes one as `Buffer.prototype.indexOf`, which works on any `Uint8Array` when called
 * on it directly, so no Buffer is ever created and values stay plain `Uint8Array`s. `Buffer`
 * is reached through the global object and only used after a probe shows it answers like the
 * portable search, so the file still bundles for browsers and a runtime without it (or with a
 * shim that behaves differently) gets the portable search. Deno and Bun have a global `Buffer`
 * too, but there it is the slower choice (test:runtimes measured, per 1000-byte search: Deno
 * 2.9 1174 ns against 547 for the portable one, its Buffer being written in JavaScript; Bun 1.4
 * 62 against 23 ns, its TypedArray search being native already), so they get the portable one.
 *
 * @param host - the global object to look in (`globalThis`; tests pass `{}` for the fallback)
 */
export function selectByteSearch(host: object): ByteSearch {
  if ('Deno' in host || 'Bun' in host) return portableByteSearch;
  const native = (host as { Buffer?: { prototype?: { indexOf?: unknown } } }).Buffer?.prototype?.indexOf;
  if (typeof native !== 'function') return portableByteSearch;
  const search = native as (this: Uint8Array, byte: number, from: number) => number;
  try {
    const probe = Uint8Array.of(0x0d, 0x0a, 0x2e, 0x0a);
    if (search.call(probe, 0x0a, 0) !== 1 || search.call(probe, 0x0a, 2) !== 3 || search.call(probe, 0x0a, 4) !== -1 || search.call(probe, 0x20, 0) !== -1) {
      return portableByteSearch;
    }
  } catch {
    return portableByteSearch;
  }
  return (bytes, byte, from) => search.call(bytes, byte, from);
}

/**
 * The index of the first `byte` in `bytes` at or after `from` (not negative), or -1: a native
 * memchr where the runtime has one, `TypedArray.prototype.indexOf` elsewhere
 * (see {@link selectByteSearch}).
 */
export const indexOfByte: ByteSearch = /* @__PURE__ */ selectByteSearch(globalThis);

const utf8Encoder = /* @__PURE__ */ new TextEncoder();
const utf8Strict = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Lenient = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Encodes a string as UTF-8. */
export function encodeUtf8(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

/**
 * Encodes a string that is known to be ASCII (or Latin-1) one char code per byte.
 * Faster than TextEncoder for short protocol lines.
 */
export function encodeAscii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

/** True when every char code of `text` is below 0x80. */
export function isAsciiString(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** True when `bytes[start, end)` holds only bytes below 0x80. */
export function isAsciiBytes(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
  for (let i = start; i < end; i++) if (bytes[i]! > 0x7f) return false;
  return true;
}

/**
 * Decodes `bytes[start, end)` as UTF-8, replacing invalid sequences with U+FFFD.
 * Use {@link decodeUtf8Strict} where the caller must keep undecodable bytes.
 */
export function decodeUtf8(bytes: Uint8Array, start = 0, end = bytes.length): string {
  // The runtime's decoder has a native ASCII fast path: on Node 20 it beats a char-code loop
  // (which builds a cons string per char) 3x at 6 bytes and 14x at 48.
  if (end <= start) return '';
  return utf8Lenient.decode(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end));
}

/** Decodes `bytes[start, end)` as UTF-8; returns `null` when the bytes are not valid UTF-8. */
export function decodeUtf8Strict(bytes: Uint8Array, start = 0, end = bytes.length): string | null {
  if (isAsciiBytes(bytes, start, end)) return decodeLatin1(bytes, start, end);
  try {
    return utf8Strict.decode(bytes.subarray(start, end));
  } catch {
    return null;
  }
}

/** Decodes each byte to the char code of the same value (lossless for any bytes). */
export function decodeLatin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let s = '';
  // fromCharCode.apply on bounded slices is much faster than per-char concatenation.
  const STEP = 8192;
  for (let i = start; i < end; i += STEP) {
    const j = Math.min(end, i + STEP);
    s += String.fromCharCode.apply(null, bytes.subarray(i, j) as unknown as number[]);
  }
  return s;
}

/** Joins byte arrays into one new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Byte-wise equality. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Index of the first CR or LF in `text`, or -1. Encoders use it to refuse line breaks. */
export function indexOfLineBreak(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === CR || c === LF) return i;
  }
  return -1;
}

/**
 * Throws a `TypeError` when `text` contains CR, LF or NUL: such a value would change the
 * meaning of the line it is written into (CRLF injection).
 *
 * @param text - the value about to be written into a protocol line
 * @param what - a name for the message, e.g. `"SMTP HELO domain"`
 */
export function assertNoLineBreak(text: string, what: string): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === CR || c === LF || c === 0) {
      throw new TypeError(`${what} must not contain ${c === 0 ? 'NUL' : c === CR ? 'CR' : 'LF'} (at index ${i})`);
    }
  }
}

/** Upper-cases ASCII letters only (protocol keywords); leaves every other char alone. */
export function upperAscii(text: string): string {
  // Fast path: most keywords arrive upper-case already.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) return text.replace(/[a-z]+/g, (m) => m.toUpperCase());
  }
  return text;
}

/** Parses a run of ASCII digits as a non-negative safe integer; `null` if empty, not digits or too big. */
export function parseDecimal(text: string): number | null {
  if (text.length === 0 || text.length > 16) return null;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return null;
    n = n * 10 + c;
  }
  return Number.isSafeInteger(n) ? n : null;
}

/** Shortens a line for an error message, escaping control bytes. */
export function describeBytes(bytes: Uint8Array, max = 80): string {
  let s = '';
  const end = Math.min(bytes.length, max);
  for (let i = 0; i < end; i++) {
    const c = bytes[i]!;
    if (c === CR) s += '\\r';
    else if (c === LF) s += '\\n';
    else if (c < 0x20 || c === 0x7f) s += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c > 0x7f) s += `\\x${c.toString(16)}`;
    else s += String.fromCharCode(c);
  }
  return bytes.length > max ? `${s}...` : s;
}
