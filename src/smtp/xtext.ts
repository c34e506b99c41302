/**
 * xtext (RFC 3461 4): the encoding of ENVID and ORCPT values. Chars outside "!" .. "~",
 * and "+" and "=", are written `+XX`.
 *
 * @packageDocumentation
 */

/** Encodes text (UTF-8 bytes for non-ASCII) as xtext. */
export function encodeXtext(text: string): string {
  let s = '';
  for (const b of new TextEncoder().encode(text)) {
    if (b >= 33 && b <= 126 && b !== 0x2b && b !== 0x3d) s += String.fromCharCode(b);
    else s += `+${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return s;
}

/** Decodes xtext; returns `null` for a malformed `+XX` escape or a char outside xtext. */
export function decodeXtext(text: string): string | null {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2b) {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c >= 33 && c <= 126 && c !== 0x3d) bytes.push(c);
    else if (c >= 0x80) for (const b of new TextEncoder().encode(text[i]!)) bytes.push(b);
    else return null;
  }
  return new TextDecoder().decode(Uint8Array.from(bytes));
}
