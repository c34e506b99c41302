/**
 * Pure SASL helpers shared by SMTP AUTH (RFC 4954), POP3 AUTH (RFC 5034) and IMAP
 * AUTHENTICATE (RFC 3501 6.2.2, RFC 4959): building the client's responses for the common
 * mechanisms and reading/writing the base64 lines of an exchange.
 *
 * @packageDocumentation
 */

import { decodeBase64, encodeBase64 } from './base64';
import { EMPTY_BYTES, assertNoLineBreak, decodeUtf8Strict, encodeUtf8 } from './bytes';
import { MD5, hmac, toHex } from './digest';
import { ProtocolError } from './errors';
import { constantTimeEqual } from './sasl-scram';

/** The line a client sends to abandon an exchange (RFC 4954 4, RFC 3501 6.2.2). */
export const SASL_CANCEL = '*';

/** PLAIN (RFC 4616): `authzid NUL authcid NUL passwd`, as bytes. */
export function saslPlain(authcid: string, password: string, authzid = ''): Uint8Array {
  for (const [v, n] of [
    [authcid, 'authcid'],
    [password, 'password'],
    [authzid, 'authzid'],
  ] as const) {
    if (v.includes('\0')) throw new TypeError(`SASL PLAIN ${n} must not contain NUL`);
  }
  return encodeUtf8(`${authzid}\0${authcid}\0${password}`);
}

/** The three fields of a PLAIN message, as a server reads them. */
export interface SaslPlainCredentials {
  readonly authzid: string;
  readonly authcid: string;
  readonly password: string;
}

/**
 * Reads a PLAIN message (RFC 4616 2): a `ProtocolError` when it is not
 * `authzid NUL authcid NUL passwd` in UTF-8 with a non-empty authcid.
 *
 * @example
 * ```ts
 * import { decodeSaslPlain, ProtocolError } from 'mailwire';
 * const creds = decodeSaslPlain(new TextEncoder().encode('\0alice\0secret'));
 * if (!(creds instanceof ProtocolError)) creds.authcid; // 'alice'
 * ```
 */
export function decodeSaslPlain(message: Uint8Array): SaslPlainCredentials | ProtocolError {
  const text = decodeUtf8Strict(message);
  if (text === null) return new ProtocolError('INVALID_ENCODING', 'SASL PLAIN message is not UTF-8');
  const parts = text.split('\0');
  if (parts.length !== 3 || parts[1] === '') return new ProtocolError('SYNTAX', 'SASL PLAIN message is not authzid NUL authcid NUL password');
  return { authzid: parts[0]!, authcid: parts[1]!, password: parts[2]! };
}

/**
 * Reads the two LOGIN responses (user name, then password) as a server gets them: a
 * `ProtocolError` when either is not UTF-8 or the user name is empty.
 */
export function decodeSaslLogin(user: Uint8Array, password: Uint8Array): { readonly user: string; readonly password: string } | ProtocolError {
  const u = decodeUtf8Strict(user);
  const p = decodeUtf8Strict(password);
  if (u === null || p === null) return new ProtocolError('INVALID_ENCODING', 'SASL LOGIN response is not UTF-8');
  if (u === '') return new ProtocolError('SYNTAX', 'SASL LOGIN user name is empty');
  return { user: u, password: p };
}

/**
 * CRAM-MD5 (RFC 2195 2): the client's answer to the server's challenge, `user SP hex(HMAC-MD5(password, challenge))`.
 *
 * @example
 * ```ts
 * import { saslCramMd5, encodeUtf8 } from 'mailwire';
 * // RFC 2195 2:
 * saslCramMd5('tim', 'tanstaaftanstaaf', encodeUtf8('<1896.697170952@postoffice.reston.mci.net>'));
 * // bytes of 'tim b913a602c7eda7a495b4e6e7334d3890'
 * ```
 */
export function saslCramMd5(user: string, password: string, challenge: Uint8Array): Uint8Array {
  if (/[\0\r\n]/.test(user)) throw new TypeError('CRAM-MD5 user must not contain NUL, CR or LF');
  return encodeUtf8(`${user} ${toHex(hmac(MD5, encodeUtf8(password), challenge))}`);
}

/** A CRAM-MD5 response as a server reads it: the user name and the hex digest. */
export interface CramMd5Response {
  readonly user: string;
  readonly digest: string;
}

/** Reads a CRAM-MD5 response (`user SP 32 lower-case hex digits`), RFC 2195 2. */
export function decodeCramMd5(response: Uint8Array): CramMd5Response | ProtocolError {
  const text = decodeUtf8Strict(response);
  const m = text === null ? null : /^(.+) ([0-9a-f]{32})$/s.exec(text);
  if (!m) return new ProtocolError('SYNTAX', 'CRAM-MD5 response is not "user SP digest"');
  return { user: m[1]!, digest: m[2]! };
}

/**
 * Checks a CRAM-MD5 response against the challenge the server sent and the user's password,
 * in constant time. The server needs the password (or the HMAC-MD5 pads of it), RFC 2195 3.
 */
export function verifyCramMd5(response: CramMd5Response, challenge: Uint8Array, password: string): boolean {
  return constantTimeEqual(encodeUtf8(response.digest), encodeUtf8(toHex(hmac(MD5, encodeUtf8(password), challenge))));
}

/**
 * Checks a PLAIN message against a password lookup, in constant time for a known user:
 * the credentials when they hold, a `ProtocolError` (`AUTH_FAILED`, or the decoding error) otherwise.
 */
export function verifySaslPlain(message: Uint8Array, passwordOf: (authcid: string) => string | null): SaslPlainCredentials | ProtocolError {
  const creds = decodeSaslPlain(message);
  if (creds instanceof ProtocolError) return creds;
  const expected = passwordOf(creds.authcid);
  if (expected === null || !constantTimeEqual(encodeUtf8(creds.password), encodeUtf8(expected))) return new ProtocolError('AUTH_FAILED', 'SASL PLAIN: bad user name or password');
  return creds;
}

/**
 * ANONYMOUS (RFC 4505): the optional trace information (an email address or an opaque token of
 * at most 255 characters, no NUL).
 */
export function saslAnonymous(trace = ''): Uint8Array {
  if ([...trace].length > 255 || trace.includes('\0')) throw new RangeError('ANONYMOUS trace must be at most 255 characters without NUL');
  return encodeUtf8(trace);
}

/**
 * LOGIN (draft-murchison-sasl-login): the two responses, user name then password, sent in
 * answer to the server's two challenges ("Username:", "Password:").
 */
export function saslLogin(user: string, password: string): readonly [Uint8Array, Uint8Array] {
  return [encodeUtf8(user), encodeUtf8(password)];
}

/**
 * XOAUTH2 (Google, Microsoft): `user=USER ^A auth=Bearer TOKEN ^A ^A`. After a failure the
 * server sends a base64 JSON challenge; the client answers with an empty response.
 */
export function saslXOAuth2(user: string, accessToken: string): Uint8Array {
  if (user.includes('\x01') || accessToken.includes('\x01')) throw new TypeError('XOAUTH2 fields must not contain ^A');
  return encodeUtf8(`user=${user}\x01auth=Bearer ${accessToken}\x01\x01`);
}

/** OAUTHBEARER (RFC 7628) initial client response. */
export function saslOAuthBearer(user: string, accessToken: string, host?: string, port?: number): Uint8Array {
  const gs2 = `n,a=${user.replace(/=/g, '=3D').replace(/,/g, '=2C')},`;
  let kv = '';
  if (host !== undefined) kv += `host=${host}\x01`;
  if (port !== undefined) kv += `port=${port}\x01`;
  return encodeUtf8(`${gs2}\x01${kv}auth=Bearer ${accessToken}\x01\x01`);
}

/** EXTERNAL (RFC 4422 appendix A): the authorization identity, empty to derive it from TLS. */
export function saslExternal(authzid = ''): Uint8Array {
  return encodeUtf8(authzid);
}

/**
 * Encodes an initial response for a command line (`AUTH PLAIN <ir>`): base64, or `=` for
 * an empty response (RFC 4954 4: an empty initial response is sent as a single "=").
 */
export function encodeInitialResponse(response: Uint8Array): string {
  return response.length === 0 ? '=' : encodeBase64(response);
}

/**
 * Decodes an initial response from a command line: `=` is the empty response.
 * Returns a `ProtocolError` (`INVALID_ENCODING`) for bad base64.
 */
export function decodeInitialResponse(text: string): Uint8Array | ProtocolError {
  if (text === '=') return EMPTY_BYTES;
  return decodeSaslLine(text);
}

/** Encodes one response line of an exchange (empty bytes give an empty line). */
export function encodeSaslResponse(response: Uint8Array): string {
  return encodeBase64(response);
}

/** A client's line in an exchange: a response, or `*` to cancel. */
export type SaslClientLine = { readonly cancel: true } | { readonly cancel: false; readonly response: Uint8Array };

/** Reads a client's continuation line: `*` cancels, anything else must be base64. */
export function parseSaslClientLine(line: string): SaslClientLine | ProtocolError {
  if (line === SASL_CANCEL) return { cancel: true };
  const r = decodeSaslLine(line);
  return r instanceof ProtocolError ? r : { cancel: false, response: r };
}

/** Decodes one base64 line (challenge or response); an empty line is an empty message. */
export function decodeSaslLine(text: string): Uint8Array | ProtocolError {
  const t = text.trim();
  if (t === '') return EMPTY_BYTES;
  const r = decodeBase64(t, true);
  if (r === null) return new ProtocolError('INVALID_ENCODING', `SASL line is not valid base64: ${t.slice(0, 40)}`);
  return r;
}

/** Encodes a server challenge (base64; empty bytes give an empty challenge). */
export function encodeSaslChallenge(challenge: Uint8Array): string {
  const s = encodeBase64(challenge);
  assertNoLineBreak(s, 'SASL challenge');
  return s;
}
