/**
 * MD5 (RFC 1321) in plain TypeScript, for the APOP digest (RFC 1939 7). Not for security:
 * APOP is what it is.
 *
 * @packageDocumentation
 */

import { encodeUtf8 } from '../core/bytes';

const S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const K = /* @__PURE__ */ Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0);

/** MD5 of bytes (or of a string's UTF-8), as 32 lower-case hex digits. */
export function md5Hex(input: Uint8Array | string): string {
  const msg = typeof input === 'string' ? encodeUtf8(input) : input;
  const n = (((msg.length + 8) >>> 6) + 1) * 64;
  const buf = new Uint8Array(n);
  buf.set(msg);
  buf[msg.length] = 0x80;
  const bits = msg.length * 8;
  const dv = new DataView(buf.buffer);
  dv.setUint32(n - 8, bits >>> 0, true);
  dv.setUint32(n - 4, Math.floor(bits / 2 ** 32), true);
  let a0 = 0x67452301;
  let b0 = 0xefcdab89;
  let c0 = 0x98badcfe;
  let d0 = 0x10325476;
  const M = new Uint32Array(16);
  for (let off = 0; off < n; off += 64) {
    for (let i = 0; i < 16; i++) M[i] = dv.getUint32(off + i * 4, true);
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
      const x = (a + f + K[i]! + M[g]!) >>> 0;
      const s = S[(i >> 4) * 4 + (i % 4)]!;
      b = (b + ((x << s) | (x >>> (32 - s)))) >>> 0;
      a = t;
    }
    a0 = (a0 + a) >>> 0;
    b0 = (b0 + b) >>> 0;
    c0 = (c0 + c) >>> 0;
    d0 = (d0 + d) >>> 0;
  }
  let hex = '';
  for (const w of [a0, b0, c0, d0]) for (let i = 0; i < 4; i++) hex += ((w >>> (i * 8)) & 0xff).toString(16).padStart(2, '0');
  return hex;
}

/**
 * The APOP digest: MD5 of the greeting's timestamp followed by the shared secret (RFC 1939 7).
 *
 * @example
 * ```ts
 * import { pop3 } from 'mailwire';
 * pop3.apopDigest('<1896.697170952@dbc.mtview.ca.us>', 'tanstaaf'); // 'c4c9334bac560ecc979e58001b3e22fb'
 * ```
 */
export function apopDigest(timestamp: string, secret: string): string {
  return md5Hex(timestamp + secret);
}
