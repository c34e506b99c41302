/**
 * The basic SMTP reply codes (RFC 5321 4.2.2-4.2.3, with the codes added by RFC 2645, 3030,
 * 4954, 5248, 7504 and 7505) and what their digits mean (RFC 5321 4.2.1): look up a reply the
 * way {@link describeEnhancedStatus} looks up an enhanced status code.
 *
 * @packageDocumentation
 */

import { describeEnhancedStatus } from './enhanced-status';
import { replyCategory } from './reply';
import type { EnhancedStatus } from './types';

/** Meaning of the first digit (RFC 5321 4.2.1). */
export const REPLY_CLASSES: Readonly<Record<number, string>> = {
  2: 'Positive Completion reply',
  3: 'Positive Intermediate reply',
  4: 'Transient Negative Completion reply',
  5: 'Permanent Negative Completion reply',
};

/** One registered meaning of a reply code, with the document that defines it. */
export interface ReplyCodeMeaning {
  /** The reply text as the defining document gives it. */
  readonly text: string;
  /** `RFC 5321`, `RFC 4954` ... */
  readonly source: string;
}

const m = (text: string, source = 'RFC 5321'): ReplyCodeMeaning => ({ text, source });

/** Every registered reply code with its meanings (some codes have several, by context). */
export const REPLY_CODES: Readonly<Record<number, readonly ReplyCodeMeaning[]>> = {
  211: [m('System status, or system help reply')],
  214: [m('Help message')],
  220: [m('<domain> Service ready')],
  221: [m('<domain> Service closing transmission channel')],
  235: [m('Authentication Succeeded', 'RFC 4954')],
  250: [m('Requested mail action okay, completed')],
  251: [m('User not local; will forward to <forward-path>')],
  252: [m('Cannot VRFY user, but will accept message and attempt delivery')],
  334: [m('Server challenge (base64), continue the authentication exchange', 'RFC 4954')],
  354: [m('Start mail input; end with <CRLF>.<CRLF>')],
  421: [m('<domain> Service not available, closing transmission channel')],
  432: [m('A password transition is needed', 'RFC 4954')],
  450: [m('Requested mail action not taken: mailbox unavailable'), m('ATRN request refused', 'RFC 2645')],
  451: [m('Requested action aborted: local error in processing'), m('Unable to process ATRN request now', 'RFC 2645')],
  452: [m('Requested action not taken: insufficient system storage')],
  453: [m('You have no mail', 'RFC 2645')],
  454: [m('Temporary authentication failure', 'RFC 4954'), m('TLS not available due to temporary reason', 'RFC 3207')],
  455: [m('Server unable to accommodate parameters')],
  500: [m('Syntax error, command unrecognized'), m('Authentication Exchange line is too long', 'RFC 4954')],
  501: [m('Syntax error in parameters or arguments')],
  502: [m('Command not implemented')],
  503: [m('Bad sequence of commands')],
  504: [m('Command parameter not implemented'), m('Unrecognized authentication type', 'RFC 4954')],
  521: [m('Server does not accept mail', 'RFC 7504')],
  523: [m('Encryption Needed', 'RFC 5248')],
  530: [m('Authentication required', 'RFC 4954'), m('Must issue a STARTTLS command first', 'RFC 3207')],
  534: [m('Authentication mechanism is too weak', 'RFC 4954')],
  535: [m('Authentication credentials invalid', 'RFC 4954')],
  538: [m('Encryption required for requested authentication mechanism', 'RFC 4954')],
  550: [m('Requested action not taken: mailbox unavailable')],
  551: [m('User not local; please try <forward-path>')],
  552: [m('Requested mail action aborted: exceeded storage allocation')],
  553: [m('Requested action not taken: mailbox name not allowed')],
  554: [m('Transaction failed'), m('No SMTP service here')],
  555: [m('MAIL FROM/RCPT TO parameters not recognized or not implemented')],
  556: [m('Domain does not accept mail', 'RFC 7504')],
};

/** What {@link describeReply} tells about a reply code. */
export interface ReplyDescription {
  /** The code described. */
  readonly code: number;
  /** Meaning of the first digit; `undefined` outside 2..5. */
  readonly class: string | undefined;
  /** Meaning of the second digit ({@link replyCategory}); `undefined` outside 0..5 or for a bad first digit. */
  readonly category: string | undefined;
  /** Registered meanings of the whole code (empty for an unregistered code). */
  readonly meanings: readonly ReplyCodeMeaning[];
  /** Meaning of the enhanced status code, when one was given and is registered. */
  readonly enhanced: string | undefined;
  /** True for 4xx: the same command may succeed later (RFC 5321 4.2.1). */
  readonly transient: boolean;
  /** True for 5xx: do not repeat the command unchanged. */
  readonly permanent: boolean;
}

/**
 * Describes a reply code, or a parsed reply with its enhanced status code.
 *
 * @example
 * ```ts
 * import { smtp } from 'mailwire';
 * smtp.describeReply(smtp.parseReply('550 5.1.1 <bob@example.net> User unknown') as smtp.Reply);
 * // { code: 550, class: 'Permanent Negative Completion reply', category: 'mail system',
 * //   meanings: [{ text: 'Requested action not taken: mailbox unavailable', source: 'RFC 5321' }],
 * //   enhanced: 'Bad destination mailbox address', transient: false, permanent: true }
 * ```
 */
export function describeReply(reply: number | { readonly code: number; readonly enhanced: EnhancedStatus | null }): ReplyDescription {
  const code = typeof reply === 'number' ? reply : reply.code;
  const enhanced = typeof reply === 'number' || reply.enhanced === null ? undefined : describeEnhancedStatus(reply.enhanced);
  const first = Math.floor(code / 100);
  return {
    code,
    class: Number.isInteger(code) ? REPLY_CLASSES[first] : undefined,
    category: Number.isInteger(code) && first >= 2 && first <= 5 && replyCategory(code) !== 'unknown' ? replyCategory(code) : undefined,
    meanings: REPLY_CODES[code] ?? [],
    enhanced,
    transient: first === 4,
    permanent: first === 5,
  };
}
