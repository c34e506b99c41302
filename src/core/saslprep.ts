/**
 * SASLprep (RFC 4013): the stringprep profile (RFC 3454) that SCRAM (RFC 5802 2.2) applies to
 * user names and passwords, so that `"I\u00ADX"` and `"\u2168"` authenticate as `"IX"`.
 *
 * @packageDocumentation
 */

import { ProtocolError } from './errors';

// RFC 3454 tables, as the code point ranges RFC 4013 2.1-2.4 names. Regexes are built once;
// SASLprep runs once per authentication, never on a hot path.

/** C.1.2 non-ASCII space characters: mapped to SPACE (RFC 4013 2.1), then prohibited (2.3). */
const NON_ASCII_SPACE = /[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000]/gu;
/** B.1 commonly mapped to nothing (RFC 4013 2.1). */
const MAPPED_TO_NOTHING = /[\u00AD\u034F\u1806\u180B-\u180D\u200B-\u200D\u2060\uFE00-\uFE0F\uFEFF]/gu;
/** C.1.2, C.2.1, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8, C.9 (RFC 4013 2.3). */
const PROHIBITED = new RegExp(
  '[' +
    '\\u00A0\\u1680\\u2000-\\u200B\\u202F\\u205F\\u3000' + // C.1.2
    '\\u0000-\\u001F\\u007F' + // C.2.1
    '\\u0080-\\u009F\\u06DD\\u070F\\u180E\\u200C\\u200D\\u2028\\u2029\\u2060-\\u2063\\u206A-\\u206F\\uFEFF\\uFFF9-\\uFFFC\\u{1D173}-\\u{1D17A}' + // C.2.2
    '\\uE000-\\uF8FF\\u{F0000}-\\u{FFFFD}\\u{100000}-\\u{10FFFD}' + // C.3
    '\\uFDD0-\\uFDEF\\uFFFE\\uFFFF' + // C.4 (plane 0; other planes below)
    '\\p{Cs}' + // C.5: a lone surrogate in a JS string
    '\\uFFF9-\\uFFFD' + // C.6
    '\\u2FF0-\\u2FFB' + // C.7
    '\\u0340\\u0341\\u200E\\u200F\\u202A-\\u202E\\u206A-\\u206F' + // C.8
    '\\u{E0001}\\u{E0020}-\\u{E007F}' + // C.9
    ']',
  'u',
);
/** D.1 characters with bidirectional property R or AL (RFC 3454 6). */
const RAND_AL_CAT =
  /[\u05BE\u05C0\u05C3\u05D0-\u05EA\u05F0-\u05F4\u061B\u061F\u0621-\u063A\u0640-\u064A\u066D-\u066F\u0671-\u06D5\u06DD\u06E5\u06E6\u06FA-\u06FE\u0700-\u070D\u0710\u0712-\u072C\u0780-\u07A5\u07B1\u200F\uFB1D\uFB1F-\uFB28\uFB2A-\uFB36\uFB38-\uFB3C\uFB3E\uFB40\uFB41\uFB43\uFB44\uFB46-\uFBB1\uFBD3-\uFD3D\uFD50-\uFD8F\uFD92-\uFDC7\uFDF0-\uFDFC\uFE70-\uFE74\uFE76-\uFEFC]/u;
/**
 * D.2 characters with bidirectional property L. The table has ~360 ranges; JavaScript has no
 * Bidi_Class property escape, so letters and spacing marks outside D.1 stand for it. That is
 * what the rule needs: a string mixing right-to-left letters with left-to-right ones.
 */
const L_CAT = /[\p{L}\p{Mc}]/u;
/** A.1 unassigned code points, by the engine's Unicode version (newer than stringprep's 3.2). */
const UNASSIGNED = /\p{Cn}/u;

/** Options of {@link saslPrep}. */
export interface SaslPrepOptions {
  /**
   * Allow unassigned code points: true for "queries" (what a client sends), false for "stored
   * strings" (what a server keeps), RFC 3454 7. Default true.
   */
  readonly allowUnassigned?: boolean;
}

/**
 * Prepares a user name or password with SASLprep (RFC 4013): maps non-ASCII spaces to SPACE and
 * removes characters mapped to nothing, normalises to NFKC, then refuses prohibited characters
 * and bad bidirectional strings with a `ProtocolError` (`SYNTAX`).
 *
 * @example
 * ```ts
 * import { saslPrep } from 'mailwire';
 * saslPrep('I\u00ADX'); // 'IX'      (RFC 4013 3, soft hyphen mapped to nothing)
 * saslPrep('\u2168');   // 'IX'      (ROMAN NUMERAL NINE, NFKC)
 * saslPrep('\u0007');   // ProtocolError: prohibited character U+0007
 * ```
 */
export function saslPrep(input: string, options: SaslPrepOptions = {}): string | ProtocolError {
  const mapped = input.replace(NON_ASCII_SPACE, ' ').replace(MAPPED_TO_NOTHING, '');
  const text = mapped.normalize('NFKC');
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const otherPlaneNonChar = cp > 0xffff && (cp & 0xfffe) === 0xfffe; // C.4 planes 1-16
    if (PROHIBITED.test(ch) || otherPlaneNonChar) return new ProtocolError('SYNTAX', `SASLprep: prohibited character U+${hex(cp)}`);
    if (options.allowUnassigned === false && UNASSIGNED.test(ch)) return new ProtocolError('SYNTAX', `SASLprep: unassigned code point U+${hex(cp)}`);
  }
  // RFC 3454 6: a string with any RandALCat character has no LCat character, and starts and
  // ends with a RandALCat character.
  if (RAND_AL_CAT.test(text)) {
    const chars = [...text];
    const randAl = (c: string): boolean => RAND_AL_CAT.test(c);
    if (chars.some((c) => !randAl(c) && L_CAT.test(c))) return new ProtocolError('SYNTAX', 'SASLprep: right-to-left string contains a left-to-right character');
    if (!randAl(chars[0]!) || !randAl(chars[chars.length - 1]!)) return new ProtocolError('SYNTAX', 'SASLprep: right-to-left string must start and end with a right-to-left character');
  }
  return text;
}

function hex(cp: number): string {
  return cp.toString(16).toUpperCase().padStart(4, '0');
}
