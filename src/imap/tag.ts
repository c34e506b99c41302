/**
 * Command tags (RFC 3501 9 / RFC 9051 9: `tag = 1*<any ASTRING-CHAR except "+">`).
 *
 * @packageDocumentation
 */

/**
 * True when `s` can be a command tag on the wire. mailwire also refuses `]` (legal in an
 * ASTRING-CHAR but a source of confusion with response codes), so every tag it reads it can
 * also write back in the tagged completion.
 *
 * @example
 * ```ts
 * import { imap } from 'mailwire';
 * imap.isValidTag('A001'); // true
 * imap.isValidTag('\\A1'); // false
 * ```
 */
export function isValidTag(s: string): boolean {
  return /^[^\s()"{}%*\\+\]\x00-\x1f\x7f-\uffff]+$/.test(s);
}
