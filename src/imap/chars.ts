/**
 * The bytes the IMAP readers and writers compare against, named once for every file of
 * src/imap/ (they were declared again in each reader). Internal: not re-exported.
 *
 * @packageDocumentation
 */

export { LF, SP } from '../core/bytes';

/** `"` starts and ends a quoted string. */
export const DQUOTE = 0x22;
/** `*` (untagged, a sequence-set's largest number). */
export const STAR = 0x2a;
/** `+` (continuation request, LITERAL+ literal marker). */
export const PLUS = 0x2b;
/** `(` opens a parenthesized list. */
export const LPAREN = 0x28;
/** `)` closes a parenthesized list. */
export const RPAREN = 0x29;
/** `<` opens a partial-fetch origin. */
export const LT = 0x3c;
/** `>` closes a partial-fetch origin. */
export const GT = 0x3e;
/** `[` opens a section or a response code. */
export const LBRACKET = 0x5b;
/** `]` closes a section or a response code. */
export const RBRACKET = 0x5d;
/** `\` escapes in a quoted string, starts a flag. */
export const BACKSLASH = 0x5c;
/** `{` starts a literal's length. */
export const LBRACE = 0x7b;
/** `}` ends a literal's length. */
export const RBRACE = 0x7d;
/** `~` marks a literal8 (RFC 3516). */
export const TILDE = 0x7e;
