/**
 * RFC 2047 encoded words (`=?charset?B|Q?text?=`) in ENVELOPE subjects and display names.
 * Charsets go through TextDecoder (WHATWG Encoding: UTF-8, ISO-8859-x, KOI8-R, Windows-125x
 * and more, in every runtime); an unknown charset or bad encoding leaves the word as sent.
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

/**
 * Decodes every encoded word in `text`; white space between two adjacent encoded words is
 * dropped (RFC 2047 6.2).
 *
 * @example
 * ```ts
 * import { imap } from 'mailwire';
 * imap.decodeEncodedWords('=?KOI8-R?B?8NLJ18XU?= world'); // 'Привет world'
 * ```
 */
export function decodeEncodedWords(text: string): string {
  let out = '';
  let last = 0;
  let prevWasWord = false;
  for (const m of text.matchAll(WORD)) {
    const between = text.slice(last, m.index);
    const [, charsetRaw, enc, payload] = m;
    const charset = charsetRaw!.split('*')[0]!; // RFC 2231 language suffix
    const bytes = enc === 'B' || enc === 'b' ? decodeBase64(payload!, true) : decodeQ(payload!);
    let decoded: string | null = null;
    if (bytes) {
      try {
        decoded = new TextDecoder(charset, { fatal: false }).decode(bytes);
      } catch {
        decoded = null;
      }
    }
    if (!(prevWasWord && /^[ \t\r\n]*$/.test(between) && decoded !== null)) out += between;
    out += decoded ?? m[0];
    prevWasWord = decoded !== null;
    last = m.index! + m[0].length;
  }
  return out + text.slice(last);
}
