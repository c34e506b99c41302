/**
 * Command tags (RFC 3501 9 / RFC 9051 9: `tag = 1*<any ASTRING-CHAR except "+">`).
 *
 * @packageDocumentation
 */

/**
 * True when `s` can be a command tag on the wire: one or more ASTRING-CHARs other than `+`.
 * `]` is allowed (it is a resp-special, part of ASTRING-CHAR), so a server answers a client
 * that tags `a]1` under that tag instead of an untagged BAD the client would never match.
 *
 * @example
 * ```ts
 * import { imap } from 'mailwire';
 * imap.isValidTag('A001'); // true
 * imap.isValidTag('a]1'); // true
 * imap.isValidTag('\\A1'); // false
 * ```
 */
export function isValidTag(s: string): boolean {
  return /^[^\s()"{}%*\\+\x00-\x1f\x7f-\uffff]+$/.test(s);
}
