/**
 * Pure SASL helpers shared by SMTP AUTH (RFC 4954), POP3 AUTH (RFC 5034) and IMAP
 * AUTHENTICATE (RFC 3501 6.2.2, RFC 4959): building the client's responses for the common
 * mechanisms and reading/writing the base64 lines of an exchange.
 *
 * @packageDocumentation
 */

import { decodeBase64, encodeBase64 } from './base64';
import { EMPTY_BYTES, assertNoLineBreak, decodeUtf8Strict, encodeUtf8 } from './bytes';
import { ProtocolError } from './errors';

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

/** Reads a PLAIN message; `null` when it is not `authzid NUL authcid NUL passwd` in UTF-8. */
export function decodeSaslPlain(message: Uint8Array): SaslPlainCredentials | null {
  const text = decodeUtf8Strict(message);
  if (text === null) return null;
  const parts = text.split('\0');
  if (parts.length !== 3 || parts[1] === '') return null;
  return { authzid: parts[0]!, authcid: parts[1]!, password: parts[2]! };
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
