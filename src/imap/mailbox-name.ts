/**
 * Mailbox names in modified UTF-7 (RFC 3501 5.1.3): printable ASCII stands for itself,
 * `&` is `&-`, anything else is `&` + modified base64 of UTF-16 + `-`.
 *
 * @packageDocumentation
 */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,';

/**
 * Encodes a mailbox name to modified UTF-7.
 *
 * @example
 * ```ts
 * import { imap } from 'mailwire';
 * imap.encodeMailboxName('~peter/mail/台北/日本語'); // '~peter/mail/&U,BTFw-/&ZeVnLIqe-'
 * ```
 */
export function encodeMailboxName(name: string): string {
  let out = '';
  let pending: number[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const bytes: number[] = [];
    for (const u of pending) bytes.push(u >> 8, u & 0xff);
    let s = '';
    let i = 0;
    for (; i + 2 < bytes.length; i += 3) {
      const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
      s += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
    }
    if (bytes.length - i === 1) s += B64[bytes[i]! >> 2]! + B64[(bytes[i]! & 3) << 4]!;
    else if (bytes.length - i === 2) {
      const n = (bytes[i]! << 8) | bytes[i + 1]!;
      s += B64[n >> 10]! + B64[(n >> 4) & 63]! + B64[(n & 15) << 2]!;
    }
    out += `&${s}-`;
    pending = [];
  };
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e) {
      flush();
      out += c === 0x26 ? '&-' : name[i];
    } else pending.push(c);
  }
  flush();
  return out;
}

/**
 * Decodes a modified UTF-7 mailbox name; throws `TypeError` for malformed input (bad base64,
 * an unterminated shift, raw 8-bit or control characters, a needless shift of printable ASCII).
 */
export function decodeMailboxName(encoded: string): string {
  let out = '';
  for (let i = 0; i < encoded.length; i++) {
    const c = encoded.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) throw new TypeError(`mailbox name has a raw character 0x${c.toString(16)} at ${i}`);
    if (c !== 0x26) {
      out += encoded[i];
      continue;
    }
    const end = encoded.indexOf('-', i + 1);
    if (end < 0) throw new TypeError('unterminated "&" shift in mailbox name');
    const b64 = encoded.slice(i + 1, end);
    i = end;
    if (b64 === '') {
      out += '&';
      continue;
    }
    let bits = 0;
    let acc = 0;
    const units: number[] = [];
    let byteBuf: number[] = [];
    for (const ch of b64) {
      const v = B64.indexOf(ch);
      if (v < 0) throw new TypeError(`bad modified base64 character "${ch}" in mailbox name`);
      acc = (acc << 6) | v;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        byteBuf.push((acc >> bits) & 0xff);
        if (byteBuf.length === 2) {
          units.push((byteBuf[0]! << 8) | byteBuf[1]!);
          byteBuf = [];
        }
      }
    }
    if (byteBuf.length !== 0 || (acc & ((1 << bits) - 1)) !== 0) throw new TypeError('modified base64 in mailbox name has leftover bits');
    const text = String.fromCharCode(...units);
    for (const u of units) if (u >= 0x20 && u <= 0x7e) throw new TypeError('printable ASCII must not be base64-encoded in a mailbox name');
    out += text;
  }
  return out;
}
