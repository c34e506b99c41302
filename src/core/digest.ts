/**
 * Message digests in plain TypeScript for the SASL mechanisms of the three protocols: MD5
 * (RFC 1321: APOP, CRAM-MD5), SHA-1 (FIPS 180-4: SCRAM-SHA-1), SHA-256 (SCRAM-SHA-256), HMAC
 * (RFC 2104) and PBKDF2 (RFC 8018, SCRAM's `Hi()`).
 *
 * Synchronous and dependency-free on purpose: a SASL step is a pure function of its input, so
 * the sessions stay sans-I/O and run unchanged in Node, Deno, Bun and browsers (WebCrypto's
 * `crypto.subtle` is asynchronous only). These digests are fast enough for authentication
 * (SCRAM's 4096 iterations take a few milliseconds); they are not meant for bulk hashing.
 *
 * @packageDocumentation
 */

/** A digest: bytes in, digest bytes out, with the block size HMAC needs. */
export interface DigestAlgorithm {
  /** Name as SASL spells it: `MD5`, `SHA-1`, `SHA-256`. */
  readonly name: 'MD5' | 'SHA-1' | 'SHA-256';
  /** Input block size in bytes (64 for all three). */
  readonly blockSize: number;
  /** Output size in bytes. */
  readonly outputSize: number;
  /** The digest of `data`. */
  digest(data: Uint8Array): Uint8Array;
}

/** Pads `msg` MD-style: 0x80, zeros, 64-bit bit length (big- or little-endian), to 64-byte blocks. */
function pad(msg: Uint8Array, littleEndian: boolean): { buf: Uint8Array; view: DataView } {
  const n = (((msg.length + 8) >>> 6) + 1) * 64;
  const buf = new Uint8Array(n);
  buf.set(msg);
  buf[msg.length] = 0x80;
  const view = new DataView(buf.buffer);
  const bits = msg.length * 8;
  const hi = Math.floor(bits / 2 ** 32);
  const lo = bits >>> 0;
  if (littleEndian) {
    view.setUint32(n - 8, lo, true);
    view.setUint32(n - 4, hi, true);
  } else {
    view.setUint32(n - 8, hi);
    view.setUint32(n - 4, lo);
  }
  return { buf, view };
}

function wordsOut(words: readonly number[], littleEndian: boolean): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  const view = new DataView(out.buffer);
  words.forEach((w, i) => view.setUint32(i * 4, w >>> 0, littleEndian));
  return out;
}

const MD5_S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const MD5_K = /* @__PURE__ */ Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0);

function md5Digest(msg: Uint8Array): Uint8Array {
  const { buf, view } = pad(msg, true);
  let a0 = 0x67452301;
  let b0 = 0xefcdab89;
  let c0 = 0x98badcfe;
  let d0 = 0x10325476;
  const M = new Uint32Array(16);
  for (let off = 0; off < buf.length; off += 64) {
    for (let i = 0; i < 16; i++) M[i] = view.getUint32(off + i * 4, true);
    let a = a0;
    let b = b0;
    let c = c0;
    let d = d0;
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
      }
      const t = d;
      d = c;
      c = b;
      const x = (a + f + MD5_K[i]! + M[g]!) >>> 0;
      const s = MD5_S[(i >> 4) * 4 + (i % 4)]!;
      b = (b + ((x << s) | (x >>> (32 - s)))) >>> 0;
      a = t;
    }
    a0 = (a0 + a) >>> 0;
    b0 = (b0 + b) >>> 0;
    c0 = (c0 + c) >>> 0;
    d0 = (d0 + d) >>> 0;
  }
  return wordsOut([a0, b0, c0, d0], true);
}

function sha1Digest(msg: Uint8Array): Uint8Array {
  const { buf, view } = pad(msg, false);
  const H = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const W = new Uint32Array(80);
  for (let off = 0; off < buf.length; off += 64) {
    for (let i = 0; i < 16; i++) W[i] = view.getUint32(off + i * 4);
    for (let i = 16; i < 80; i++) {
      const x = W[i - 3]! ^ W[i - 8]! ^ W[i - 14]! ^ W[i - 16]!;
      W[i] = (x << 1) | (x >>> 31);
    }
    let [a, b, c, d, e] = H as [number, number, number, number, number];
    for (let i = 0; i < 80; i++) {
      const f = i < 20 ? (b & c) | (~b & d) : i < 40 ? b ^ c ^ d : i < 60 ? (b & c) | (b & d) | (c & d) : b ^ c ^ d;
      const k = i < 20 ? 0x5a827999 : i < 40 ? 0x6ed9eba1 : i < 60 ? 0x8f1bbcdc : 0xca62c1d6;
      const t = (((a << 5) | (a >>> 27)) + f + e + k + W[i]!) >>> 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    H[0] = (H[0]! + a) >>> 0;
    H[1] = (H[1]! + b) >>> 0;
    H[2] = (H[2]! + c) >>> 0;
    H[3] = (H[3]! + d) >>> 0;
    H[4] = (H[4]! + e) >>> 0;
  }
  return wordsOut(H, false);
}

const SHA256_K = /* @__PURE__ */ Uint32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

function sha256Digest(msg: Uint8Array): Uint8Array {
  const { buf, view } = pad(msg, false);
  const H = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  const W = new Uint32Array(64);
  const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));
  for (let off = 0; off < buf.length; off += 64) {
    for (let i = 0; i < 16; i++) W[i] = view.getUint32(off + i * 4);
    for (let i = 16; i < 64; i++) {
      const w15 = W[i - 15]!;
      const w2 = W[i - 2]!;
      const s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3);
      const s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10);
      W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, h] = H as [number, number, number, number, number, number, number, number];
    for (let i = 0; i < 64; i++) {
      const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + SHA256_K[i]! + W[i]!) >>> 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    const v = [a, b, c, d, e, f, g, h];
    for (let i = 0; i < 8; i++) H[i] = (H[i]! + v[i]!) >>> 0;
  }
  return wordsOut(H, false);
}

/** MD5 (RFC 1321). Broken for collision resistance; here only for APOP and CRAM-MD5. */
export const MD5: DigestAlgorithm = { name: 'MD5', blockSize: 64, outputSize: 16, digest: md5Digest };
/** SHA-1 (FIPS 180-4), for SCRAM-SHA-1. */
export const SHA1: DigestAlgorithm = { name: 'SHA-1', blockSize: 64, outputSize: 20, digest: sha1Digest };
/** SHA-256 (FIPS 180-4), for SCRAM-SHA-256. */
export const SHA256: DigestAlgorithm = { name: 'SHA-256', blockSize: 64, outputSize: 32, digest: sha256Digest };

/**
 * HMAC (RFC 2104) of `message` under `key`.
 *
 * @example
 * ```ts
 * import { hmac, SHA256, encodeUtf8, toHex } from 'mailwire';
 * toHex(hmac(SHA256, encodeUtf8('key'), encodeUtf8('The quick brown fox jumps over the lazy dog')));
 * // 'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8'
 * ```
 */
export function hmac(alg: DigestAlgorithm, key: Uint8Array, message: Uint8Array): Uint8Array {
  const k = key.length > alg.blockSize ? alg.digest(key) : key;
  const inner = new Uint8Array(alg.blockSize + message.length);
  const outer = new Uint8Array(alg.blockSize + alg.outputSize);
  for (let i = 0; i < alg.blockSize; i++) {
    const b = k[i] ?? 0;
    inner[i] = b ^ 0x36;
    outer[i] = b ^ 0x5c;
  }
  inner.set(message, alg.blockSize);
  outer.set(alg.digest(inner), alg.blockSize);
  return alg.digest(outer);
}

/**
 * PBKDF2 with HMAC (RFC 8018 5.2) for one output block: SCRAM's `Hi(str, salt, i)` (RFC 5802 2.2).
 */
export function pbkdf2Block(alg: DigestAlgorithm, password: Uint8Array, salt: Uint8Array, iterations: number): Uint8Array {
  if (!Number.isInteger(iterations) || iterations < 1) throw new RangeError(`PBKDF2 iteration count must be a positive integer, got ${iterations}`);
  const first = new Uint8Array(salt.length + 4);
  first.set(salt);
  first[salt.length + 3] = 1; // INT(1), big-endian
  let u = hmac(alg, password, first);
  const out = u.slice();
  for (let i = 1; i < iterations; i++) {
    u = hmac(alg, password, u);
    for (let j = 0; j < out.length; j++) out[j] = out[j]! ^ u[j]!;
  }
  return out;
}

/** Lower-case hexadecimal of bytes. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += (b < 16 ? '0' : '') + b.toString(16);
  return s;
}
