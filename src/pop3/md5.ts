/**
 * The APOP digest (RFC 1939 7). MD5 itself lives in core/digest.ts, shared with CRAM-MD5.
 *
 * @packageDocumentation
 */

import { encodeUtf8 } from '../core/bytes';
import { MD5, toHex } from '../core/digest';

/** MD5 of bytes (or of a string's UTF-8), as 32 lower-case hex digits. */
export function md5Hex(input: Uint8Array | string): string {
  return toHex(MD5.digest(typeof input === 'string' ? encodeUtf8(input) : input));
}

/**
 * The APOP digest: MD5 of the greeting's timestamp followed by the shared secret (RFC 1939 7).
 *
 * @example
 * ```ts
 * import { pop3 } from 'mailwire';
 * pop3.apopDigest('<1896.697170952@dbc.mtview.ca.us>', 'tanstaaf'); // 'c4c9334bac560ecc979e58001b3e22fb'
 * ```
 */
export function apopDigest(timestamp: string, secret: string): string {
  return md5Hex(timestamp + secret);
}
