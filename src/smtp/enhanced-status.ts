/**
 * Enhanced mail system status codes (RFC 3463, registry of RFC 5248 with the codes added by
 * RFC 3886, 4468, 4954, 5248, 6531, 6710, 7293, 7372, 7505, 8617, 8689): parse, format,
 * and look up their meaning.
 *
 * @packageDocumentation
 */

import { ProtocolError } from '../core/errors';
import type { EnhancedStatus } from './types';

/** Meaning of each class digit (RFC 3463 3.1). */
export const ENHANCED_CLASSES: Readonly<Record<number, string>> = {
  2: 'Success',
  4: 'Persistent Transient Failure',
  5: 'Permanent Failure',
};

/** Meaning of each subject digit (RFC 3463 3.2). */
export const ENHANCED_SUBJECTS: Readonly<Record<number, string>> = {
  0: 'Other or Undefined Status',
  1: 'Addressing Status',
  2: 'Mailbox Status',
  3: 'Mail System Status',
  4: 'Network and Routing Status',
  5: 'Mail Delivery Protocol Status',
  6: 'Message Content or Media Status',
  7: 'Security or Policy Status',
};

/** The registry: `"subject.detail"` -> meaning (the class is separate). */
export const ENHANCED_STATUS_CODES: Readonly<Record<string, string>> = {
  '0.0': 'Other undefined Status',
  '1.0': 'Other address status',
  '1.1': 'Bad destination mailbox address',
  '1.2': 'Bad destination system address',
  '1.3': 'Bad destination mailbox address syntax',
  '1.4': 'Destination mailbox address ambiguous',
  '1.5': 'Destination address valid',
  '1.6': 'Destination mailbox has moved, No forwarding address',
  '1.7': "Bad sender's mailbox address syntax",
  '1.8': "Bad sender's system address",
  '1.9': 'Message relayed to non-compliant mailer',
  '1.10': 'Recipient address has null MX',
  '2.0': 'Other or undefined mailbox status',
  '2.1': 'Mailbox disabled, not accepting messages',
  '2.2': 'Mailbox full',
  '2.3': 'Message length exceeds administrative limit',
  '2.4': 'Mailing list expansion problem',
  '3.0': 'Other or undefined mail system status',
  '3.1': 'Mail system full',
  '3.2': 'System not accepting network messages',
  '3.3': 'System not capable of selected features',
  '3.4': 'Message too big for system',
  '3.5': 'System incorrectly configured',
  '3.6': 'Requested priority was changed',
  '4.0': 'Other or undefined network or routing status',
  '4.1': 'No answer from host',
  '4.2': 'Bad connection',
  '4.3': 'Directory server failure',
  '4.4': 'Unable to route',
  '4.5': 'Mail system congestion',
  '4.6': 'Routing loop detected',
  '4.7': 'Delivery time expired',
  '5.0': 'Other or undefined protocol status',
  '5.1': 'Invalid command',
  '5.2': 'Syntax error',
  '5.3': 'Too many recipients',
  '5.4': 'Invalid command arguments',
  '5.5': 'Wrong protocol version',
  '5.6': 'Authentication Exchange line is too long',
  '6.0': 'Other or undefined media error',
  '6.1': 'Media not supported',
  '6.2': 'Conversion required and prohibited',
  '6.3': 'Conversion required but not supported',
  '6.4': 'Conversion with loss performed',
  '6.5': 'Conversion Failed',
  '6.6': 'Message content not available',
  '6.7': 'Non-ASCII addresses not permitted for that sender/recipient',
  '6.8': 'UTF-8 string reply is required, but not permitted by the SMTP client',
  '6.9': 'UTF-8 header message cannot be transferred to one or more recipients, so the message must be rejected',
  '7.0': 'Other or undefined security status',
  '7.1': 'Delivery not authorized, message refused',
  '7.2': 'Mailing list expansion prohibited',
  '7.3': 'Security conversion required but not possible',
  '7.4': 'Security features not supported',
  '7.5': 'Cryptographic failure',
  '7.6': 'Cryptographic algorithm not supported',
  '7.7': 'Message integrity failure',
  '7.8': 'Authentication credentials invalid',
  '7.9': 'Authentication mechanism is too weak',
  '7.10': 'Encryption Needed',
  '7.11': 'Encryption required for requested authentication mechanism',
  '7.12': 'A password transition is needed',
  '7.13': 'User Account Disabled',
  '7.14': 'Trust relationship required',
  '7.15': 'Priority Level is too low',
  '7.16': 'Message is too big for the specified priority',
  '7.17': 'Mailbox owner has changed',
  '7.18': 'Domain owner has changed',
  '7.19': 'RRVS test cannot be completed',
  '7.20': 'No passing DKIM signature found',
  '7.21': 'No acceptable DKIM signature found',
  '7.22': 'No valid author-matched DKIM signature found',
  '7.23': 'SPF validation failed',
  '7.24': 'SPF validation error',
  '7.25': 'Reverse DNS validation failed',
  '7.26': 'Multiple authentication checks failed',
  '7.27': 'Sender address has null MX',
  '7.28': 'Mail flood detected',
  '7.29': 'ARC validation failure',
  '7.30': 'REQUIRETLS support required',
};

/** An enhanced status code read from the start of a text, and how many characters it took. */
export interface EnhancedStatusMatch {
  readonly status: EnhancedStatus;
  readonly length: number;
}

/**
 * Reads an enhanced status code from `bytes[start, end)` (the start of a reply line's text):
 * the code, or null when there is none there (RFC 3463 2: class 2/4/5, subject and detail of
 * 1-3 digits without leading zeros, then a space or the end). Its length is
 * {@link enhancedStatusLength} of the result. For the reply parser: no string is made to look.
 */
export function readEnhancedStatus(bytes: Uint8Array, start: number, end: number): EnhancedStatus | null {
  if (end - start < 5) return null;
  const cls = bytes[start]!;
  if ((cls !== 0x32 && cls !== 0x34 && cls !== 0x35) || bytes[start + 1] !== 0x2e) return null;
  let i = start + 2;
  let subject = bytes[i]! - 0x30;
  if (subject < 0 || subject > 9) return null;
  i++;
  if (subject !== 0) {
    for (const stop = i + 2; i < stop && i < end; i++) {
      const d = bytes[i]! - 0x30;
      if (d < 0 || d > 9) break;
      subject = subject * 10 + d;
    }
  }
  if (i >= end || bytes[i] !== 0x2e) return null;
  i++;
  if (i >= end) return null;
  let detail = bytes[i]! - 0x30;
  if (detail < 0 || detail > 9) return null;
  i++;
  if (detail !== 0) {
    for (const stop = i + 2; i < stop && i < end; i++) {
      const d = bytes[i]! - 0x30;
      if (d < 0 || d > 9) break;
      detail = detail * 10 + d;
    }
  }
  if (i < end && bytes[i] !== 0x20) return null;
  return { class: cls - 0x30, subject, detail };
}

/** Characters `formatEnhancedStatus(s)` takes, for a code read by {@link readEnhancedStatus}. */
export function enhancedStatusLength(s: EnhancedStatus): number {
  const digits = (n: number) => (n < 10 ? 1 : n < 100 ? 2 : 3);
  return 3 + digits(s.subject) + digits(s.detail);
}

/**
 * Reads `class.subject.detail` at the start of `text` (RFC 3463 2: class 2/4/5, subject and
 * detail of 1-3 digits, no leading zeros beyond one digit), followed by a space or the end of
 * the text. Returns the code and the length it took, or a `SYNTAX` ProtocolError.
 *
 * @example
 * ```ts
 * import { smtp } from 'mailwire';
 * smtp.parseEnhancedStatus('5.1.1 User unknown'); // { status: { class: 5, subject: 1, detail: 1 }, length: 5 }
 * ```
 */
export function parseEnhancedStatus(text: string): EnhancedStatusMatch | ProtocolError {
  // The longest code is 9 characters; the 10th is the space (or end) that must follow it.
  const n = Math.min(text.length, 10);
  const head = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    head[i] = c < 0x80 ? c : 0;
  }
  const status = readEnhancedStatus(head, 0, n);
  if (status === null) return new ProtocolError('SYNTAX', 'no enhanced status code (class.subject.detail, RFC 3463 2) at the start of the text', { offset: 0, line: text.slice(0, 80) });
  return { status, length: enhancedStatusLength(status) };
}

/** Formats an enhanced code as `c.s.d`; throws RangeError for values outside RFC 3463. */
export function formatEnhancedStatus(s: EnhancedStatus): string {
  const ok = (n: number) => Number.isInteger(n) && n >= 0 && n <= 999;
  if (![2, 4, 5].includes(s.class) || !ok(s.subject) || !ok(s.detail)) throw new RangeError('enhanced status must be 2|4|5 . 0-999 . 0-999');
  return `${s.class}.${s.subject}.${s.detail}`;
}

/** The registered meaning of a code, e.g. "Mailbox full" for 4.2.2 / 5.2.2; undefined when unregistered. */
export function describeEnhancedStatus(s: EnhancedStatus): string | undefined {
  return ENHANCED_STATUS_CODES[`${s.subject}.${s.detail}`];
}
