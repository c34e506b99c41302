/**
 * RFC 2047 encoded words (`=?charset?B|Q?text?=`) in ENVELOPE subjects and display names, and
 * RFC 2231 parameter values (`FILENAME*0*=utf-8''...`, continuations and charsets) in
 * BODYSTRUCTURE parameters. Charsets go through TextDecoder (WHATWG Encoding: UTF-8,
 * ISO-8859-x, KOI8-R, Windows-125x and more, in every runtime); an unknown charset or bad
 * encoding leaves the text as sent.
 *
 * @packageDocumentation
 */

import { decodeBase64 } from '../core/base64';

const WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

function decodeQ(text: string): Uint8Array | null {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '_') out.push(0x20);
    else if (c === '=') {
      const h = text.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(h)) return null;
      out.push(parseInt(h, 16));
      i += 2;
    } else out.push(c.charCodeAt(0) & 0xff);
  }
  return Uint8Array.from(out);
}

function decodeCharset(charset: string, bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(charset, { fatal: false }).decode(bytes);
  } catch {
    return null;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Decodes every encoded word in `text`. White space between two adjacent encoded words is
 * dropped (RFC 2047 6.2), and adjacent words in the same charset are joined as octets before
 * decoding, so a character split across two words (`=?UTF-8?Q?=C3?= =?UTF-8?Q?=A9?=`, as
 * some mailers fold long subjects) decodes whole.
 *
 * @example
 * ```ts
 * import { imap } from 'mailwire';
 * imap.decodeEncodedWords('=?KOI8-R?B?8NLJ18XU?= world'); // 'Привет world'
 * imap.decodeEncodedWords('=?UTF-8?Q?=C3?= =?UTF-8?Q?=A9?='); // 'é'
 * ```
 */
export function decodeEncodedWords(text: string): string {
  let out = '';
  let last = 0;
  // The run of adjacent decodable words in one charset, not yet decoded.
  let pending: { charset: string; bytes: Uint8Array; raw: string } | null = null;
  const flush = (): void => {
    if (pending === null) return;
    out += decodeCharset(pending.charset, pending.bytes) ?? pending.raw;
    pending = null;
  };
  for (const m of text.matchAll(WORD)) {
    const between = text.slice(last, m.index);
    const [, charsetRaw, enc, payload] = m;
    const charset = charsetRaw!.split('*')[0]!; // RFC 2231 language suffix
    const bytes = enc === 'B' || enc === 'b' ? decodeBase64(payload!, true) : decodeQ(payload!);
    const usable = bytes !== null && decodeCharset(charset, new Uint8Array(0)) !== null;
    const adjacent = pending !== null && /^[ \t\r\n]*$/.test(between);
    if (usable && adjacent && pending!.charset.toLowerCase() === charset.toLowerCase()) {
      pending!.bytes = concat(pending!.bytes, bytes!);
      pending!.raw += m[0];
    } else {
      if (!(adjacent && usable)) {
        flush();
        out += between;
      } else flush();
      if (usable) pending = { charset, bytes: bytes!, raw: m[0] };
      else out += m[0];
    }
    last = m.index! + m[0].length;
  }
  flush();
  return out + text.slice(last);
}

function percentDecode(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25 && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 0x80) out.push(c);
    else for (const b of new TextEncoder().encode(s[i]!)) out.push(b);
  }
  return Uint8Array.from(out);
}

/**
 * Decodes RFC 2231 parameters: `NAME*=charset'lang'%XX..` (extended value), and continuations
 * `NAME*0*=..`, `NAME*1=..` joined in order before the charset decodes the whole. Returns the
 * parameters with those merged under their plain names (an RFC 2231 value wins over a plain one
 * of the same name); other parameters pass through. Names are compared case-insensitively and
 * returned as the first spelling seen.
 *
 * @example
 * ```ts
 * import { imap } from 'mailwire';
 * imap.decodeParameters({ 'FILENAME*0*': "utf-8''G%C3%B6r", 'FILENAME*1*': '%C3%BCnt%C3%BC1.pdf' });
 * // { FILENAME: 'Görüntü1.pdf' }
 * ```
 */
export function decodeParameters(params: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  const groups = new Map<string, { name: string; parts: { n: number; encoded: boolean; value: string }[] }>();
  for (const [key, value] of Object.entries(params)) {
    const m = /^(.+?)\*(?:(\d{1,3})\*?)?$|^(.+?)\*(\d{1,3})(\*)?$/.exec(key);
    if (!m) {
      if (!groups.has(key.toUpperCase())) out[key] = value;
      continue;
    }
    const name = m[1] ?? m[3]!;
    const n = Number(m[2] ?? m[4] ?? 0);
    const encoded = key.endsWith('*');
    const g = groups.get(name.toUpperCase()) ?? { name, parts: [] };
    g.parts.push({ n, encoded, value });
    groups.set(name.toUpperCase(), g);
    for (const k of Object.keys(out)) if (k.toUpperCase() === name.toUpperCase()) delete out[k];
  }
  for (const { name, parts } of groups.values()) {
    parts.sort((a, b) => a.n - b.n);
    let charset = 'us-ascii';
    const chunks: Uint8Array[] = [];
    parts.forEach((p, i) => {
      let v = p.value;
      if (i === 0 && p.encoded) {
        const q = /^([^']*)'[^']*'(.*)$/s.exec(v);
        if (q) {
          charset = q[1] || 'us-ascii';
          v = q[2]!;
        }
      }
      chunks.push(p.encoded ? percentDecode(v) : new TextEncoder().encode(v));
    });
    const bytes = chunks.reduce(concat, new Uint8Array(0));
    out[name] = decodeCharset(charset === 'us-ascii' ? 'utf-8' : charset, bytes) ?? new TextDecoder().decode(bytes);
  }
  return out;
}
