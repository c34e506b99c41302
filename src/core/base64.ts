/**
 * Strict base64 (RFC 4648 section 4) over bytes, without `Buffer` or `atob`: SASL lines
 * arrive as protocol text and must be refused when malformed, not silently repaired.
 *
 * @packageDocumentation
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = /* @__PURE__ */ (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) t[ALPHABET.charCodeAt(i)] = i;
  return t;
})();

/** Encodes bytes as base64 with padding. */
export function encodeBase64(bytes: Uint8Array): string {
  let s = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    s += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    s += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    s += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + '=';
  }
  return s;
}

/**
 * Decodes padded base64; returns `null` for anything that is not canonical base64
 * (wrong length, bad characters, misplaced padding). Unpadded input is accepted when
 * `allowUnpadded` is set (some SASL clients omit the padding).
 */
export function decodeBase64(text: string, allowUnpadded = false): Uint8Array | null {
  let len = text.length;
  if (allowUnpadded && len % 4 !== 0) {
    if (len % 4 === 1) return null;
    text += len % 4 === 2 ? '==' : '=';
    len = text.length;
  }
  if (len % 4 !== 0) return null;
  let pad = 0;
  if (len > 0 && text.charCodeAt(len - 1) === 0x3d) pad++;
  if (len > 1 && text.charCodeAt(len - 2) === 0x3d) pad++;
  const out = new Uint8Array((len / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < len; i += 4) {
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const c = text.charCodeAt(i + k);
      let v: number;
      if (c === 0x3d && i + k >= len - pad) v = 0;
      else {
        v = c < 128 ? DECODE[c]! : -1;
        if (v < 0) return null;
      }
      n = (n << 6) | v;
    }
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}
