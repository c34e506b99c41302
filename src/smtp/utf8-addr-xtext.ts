/**
 * The `utf-8` address type of DSN ORCPT (RFC 6533 3): an internationalised address written as
 * `utf-8-addr-xtext` (printable US-ASCII, every other character as `\x{HEX}`) or, when the
 * server offers SMTPUTF8, `utf-8-addr-unitext` (raw UTF-8 allowed too).
 *
 * ```
 * utf-8-addr-xtext    = 1*(QCHAR / EmbeddedUnicodeChar)
 * utf-8-addr-unitext  = 1*(QUCHAR / EmbeddedUnicodeChar)
 * QCHAR               = %x21-2a / %x2c-3c / %x3e-5b / %x5d-7e   ; not SP, "+", "=", "\"
 * QUCHAR              = QCHAR / UTF8-2 / UTF8-3 / UTF8-4
 * EmbeddedUnicodeChar = %x5C.78 "{" HEXPOINT "}"               ; "\x{...}"
 * ```
 *
 * HEXPOINT is written without leading zeros (two digits below U+0100). Like xtext, these values
 * are copied into DSN header fields, so an escape of a control character (a line break would
 * let a client write header lines of its own) is refused.
 *
 * @packageDocumentation
 */

import { ProtocolError } from '../core/errors';

/** QCHAR: printable US-ASCII except SP, "+", "=" and "\". */
function isQchar(c: number): boolean {
  return c >= 0x21 && c <= 0x7e && c !== 0x2b && c !== 0x3d && c !== 0x5c;
}

/** What `\x{...}` may stand for: the three xtext specials, "\", SP, or a code point above US-ASCII (no control, no surrogate). */
function isEscapable(cp: number): boolean {
  if (cp === 0x20 || cp === 0x2b || cp === 0x3d || cp === 0x5c) return true;
  return cp >= 0xa0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
}

/** The HEXPOINT digit count of a code point: 2 below U+0100, then no leading zero. */
function hexpointDigits(cp: number): number {
  return cp < 0x100 ? 2 : cp.toString(16).length;
}

/**
 * Decodes a `utf-8-addr-xtext` or `utf-8-addr-unitext` value (the part after `utf-8;`).
 * An `INVALID_ENCODING` ProtocolError names the first character or escape that is not allowed.
 *
 * @example
 * ```ts
 * import { smtp } from 'mailwire';
 * smtp.decodeUtf8AddrXtext('j\\x{F6}rg@b\\x{FC}cher.example'); // 'jörg@bücher.example'
 * smtp.decodeUtf8AddrXtext('a\\x{D}\\x{A}b@c');               // ProtocolError INVALID_ENCODING
 * ```
 */
export function decodeUtf8AddrXtext(text: string): string | ProtocolError {
  if (text === '') return new ProtocolError('INVALID_ENCODING', 'utf-8-addr-xtext: empty address');
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) {
      const close = text.indexOf('}', i);
      const m = text.startsWith('\\x{', i) && close > i + 3 ? /^[0-9A-Fa-f]{2,6}$/.exec(text.slice(i + 3, close)) : null;
      const cp = m ? parseInt(m[0], 16) : -1;
      if (!m || !isEscapable(cp) || m[0].length !== hexpointDigits(cp)) {
        return new ProtocolError('INVALID_ENCODING', `utf-8-addr-xtext: bad \\x{HEX} escape at index ${i} (RFC 6533 3: a code point above US-ASCII, SP, "+", "=" or "\\", no leading zeros)`, { offset: i });
      }
      out += String.fromCodePoint(cp);
      i = close;
    } else if (isQchar(c)) out += text[i];
    // Raw UTF-8 (utf-8-addr-unitext, with SMTPUTF8): letters and marks, not controls or separators.
    else if (c >= 0xa0 && c !== 0x2028 && c !== 0x2029 && c !== 0xfffd && !(c >= 0xd800 && c <= 0xdfff && !isPair(text, i))) {
      out += text[i];
    } else return new ProtocolError('INVALID_ENCODING', `utf-8-addr-xtext: char U+${c.toString(16).padStart(4, '0').toUpperCase()} is not allowed (at index ${i})`, { offset: i });
  }
  return out;
}

/** Whether the surrogate at `i` is half of a well-formed pair. */
function isPair(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c <= 0xdbff) {
    const n = text.charCodeAt(i + 1);
    return n >= 0xdc00 && n <= 0xdfff;
  }
  const p = text.charCodeAt(i - 1);
  return p >= 0xd800 && p <= 0xdbff;
}

/**
 * Encodes an address as `utf-8-addr-xtext` (every non-ASCII character escaped: safe for any
 * server) or, with `unitext`, as `utf-8-addr-unitext` (non-ASCII kept raw: only for a server
 * that offers SMTPUTF8). Throws a `TypeError` for a control character, which the receiver
 * would refuse or copy into a DSN header.
 *
 * @example
 * ```ts
 * import { smtp } from 'mailwire';
 * smtp.encodeUtf8AddrXtext('jörg@bücher.example'); // 'j\\x{F6}rg@b\\x{FC}cher.example'
 * ```
 */
export function encodeUtf8AddrXtext(address: string, unitext = false): string {
  if (typeof address !== 'string' || address === '') throw new TypeError('utf-8 address must be a non-empty string');
  let s = '';
  for (const ch of address) {
    const cp = ch.codePointAt(0)!;
    if (isQchar(cp)) s += ch;
    else if (!isEscapable(cp)) throw new TypeError(`utf-8 address: U+${cp.toString(16).padStart(4, '0').toUpperCase()} cannot be written (RFC 6533 3)`);
    else if (unitext && cp >= 0xa0) s += ch;
    else s += `\\x{${cp.toString(16).toUpperCase().padStart(2, '0')}}`;
  }
  return s;
}
