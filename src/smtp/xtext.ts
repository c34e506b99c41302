/**
 * xtext (RFC 3461 4): the encoding of ENVID and ORCPT values (and of AUTH=, RFC 4954 5).
 * Chars outside "!" .. "~", and "+" and "=", are written `+XX`.
 *
 * RFC 3461 4.2 and 4.4: the value before encoding "MUST consist entirely of printable (graphic
 * and white space) characters from the US-ASCII repertoire". These values are copied into DSN
 * header fields (Original-Envelope-Id, Original-Recipient), so a `+0D+0A` that decodes to a
 * line break would let a client write header lines of its own: the decoder refuses it.
 *
 * @packageDocumentation
 */

import { ProtocolError } from '../core/errors';

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** Printable US-ASCII, SP included (RFC 3461 4.2 "graphic and white space"; Postfix's test is the same). */
function isPrintableAscii(c: number): boolean {
  return c >= 0x20 && c <= 0x7e;
}

/**
 * Encodes text as xtext. Throws a `TypeError` for text RFC 3461 does not allow before
 * encoding (anything but printable US-ASCII: a line break, a control char, non-ASCII), since
 * the receiver would refuse it or, worse, copy it into a DSN header.
 *
 * @example
 * ```ts
 * import { smtp } from 'mailwire';
 * smtp.encodeXtext('a+b=c d'); // 'a+2Bb+3Dc+20d'
 * ```
 */
export function encodeXtext(text: string): string {
  if (typeof text !== 'string') throw new TypeError('xtext value must be a string');
  let s = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!isPrintableAscii(c)) throw new TypeError(`xtext value must be printable US-ASCII (RFC 3461 4): char U+${c.toString(16).padStart(4, '0').toUpperCase()} at index ${i}`);
    if (c >= 33 && c !== 0x2b && c !== 0x3d) s += text[i];
    else s += `+${c.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return s;
}

/**
 * Decodes xtext. Gives an `INVALID_ENCODING` ProtocolError for a malformed `+XX` escape, a
 * char outside xtext, or an escape that decodes to anything but printable US-ASCII (CR, LF,
 * NUL, other controls, 8-bit bytes: RFC 3461 4.2, 4.4). Raw non-ASCII chars are kept as
 * they are (SMTPUTF8 peers send UTF-8 addresses unescaped, RFC 6533 3), control chars are not.
 *
 * @example
 * ```ts
 * import { smtp } from 'mailwire';
 * smtp.decodeXtext('a+2Bb+3Dc+20d'); // 'a+b=c d'
 * smtp.decodeXtext('ab+0D+0Acd');    // ProtocolError INVALID_ENCODING
 * ```
 */
export function decodeXtext(text: string): string | ProtocolError {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2b) {
      const h = hexValue(text.charCodeAt(i + 1));
      const l = hexValue(text.charCodeAt(i + 2));
      if (h < 0 || l < 0) return new ProtocolError('INVALID_ENCODING', `xtext: "+" must be followed by two hex digits (at index ${i})`, { offset: i });
      const b = h * 16 + l;
      if (!isPrintableAscii(b)) return new ProtocolError('INVALID_ENCODING', `xtext: +${text.slice(i + 1, i + 3)} decodes to a char that is not printable US-ASCII (RFC 3461 4)`, { offset: i });
      out += String.fromCharCode(b);
      i += 2;
    } else if (c >= 33 && c <= 126 && c !== 0x3d) out += text[i];
    // Raw UTF-8 (SMTPUTF8); C1 controls, line and paragraph separators are refused like C0 ones.
    else if (c >= 0xa0 && c !== 0x2028 && c !== 0x2029 && c !== 0xfffd) out += text[i];
    else return new ProtocolError('INVALID_ENCODING', `xtext: char U+${c.toString(16).padStart(4, '0').toUpperCase()} is not allowed (at index ${i})`, { offset: i });
  }
  return out;
}
