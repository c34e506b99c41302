/**
 * The client side of a SASL exchange, shared by the SMTP AUTH (RFC 4954) and POP3 AUTH
 * (RFC 5034) client sessions: the initial response, then one decision per server challenge
 * (answer with a prepared response, hand the challenge to the application, or read an OAuth
 * error and send the response that lets the server finish).
 *
 * @packageDocumentation
 */

import { encodeUtf8 } from './bytes';
import { ProtocolError } from './errors';
import { SASL_CANCEL, decodeSaslLine, encodeSaslResponse } from './sasl';
import { type OAuthError, SASL_CLIENT_MECHANISMS, type SaslBuiltinCredentials, type SaslClient, createSaslClient, readOAuthError } from './sasl-mechanisms';

/**
 * A mechanism the application runs itself (CRAM-MD5, SCRAM-*, GSSAPI, ...): the session
 * reports each server challenge as a `sasl-challenge` event and the application answers with
 * `saslRespond()`.
 */
export interface SaslApplicationCredentials {
  /** The SASL mechanism name, as the server lists it. */
  readonly mechanism: string;
  /** The initial response; absent or null to wait for the server's first challenge. */
  readonly initialResponse?: Uint8Array | null;
}

/**
 * What `authenticate()` of the client sessions takes: the mechanisms the session runs itself
 * (given their secrets: {@link SaslBuiltinCredentials}), or any other through
 * {@link SaslApplicationCredentials} (an object with `initialResponse`, or a mechanism name
 * without secrets).
 */
export type SaslCredentials = SaslBuiltinCredentials | SaslApplicationCredentials;

/**
 * Reads the base64 JSON error challenge of XOAUTH2 / OAUTHBEARER. Returns a `ProtocolError`
 * (`INVALID_ENCODING` or `SYNTAX`) when it is not base64 of a JSON object.
 */
export function parseOAuthError(challenge: string): OAuthError | ProtocolError {
  const bytes = decodeSaslLine(challenge);
  return bytes instanceof ProtocolError ? bytes : readOAuthError(bytes);
}

/** Whether credentials name a mechanism the session runs itself (given its secrets). */
function isBuiltin(c: SaslCredentials): c is SaslBuiltinCredentials {
  if ('initialResponse' in c) return false;
  const secrets = 'user' in c || 'accessToken' in c;
  if (secrets && !(SASL_CLIENT_MECHANISMS as readonly string[]).includes(c.mechanism)) {
    throw new TypeError(`no built-in SASL mechanism ${c.mechanism}: pass { mechanism, initialResponse } and answer the challenges`);
  }
  return secrets || c.mechanism === 'EXTERNAL' || c.mechanism === 'ANONYMOUS';
}

/** What to do with one server challenge. */
export type SaslChallengeStep =
  /** Write `line` + CRLF. */
  | { readonly type: 'respond'; readonly line: string }
  /** Report the challenge (null: not valid base64) and wait for the application's answer. */
  | { readonly type: 'ask'; readonly challenge: Uint8Array | null }
  /** Report the OAuth error, then write `line` + CRLF so that the server can finish with its failure reply. */
  | { readonly type: 'oauth-error'; readonly error: OAuthError; readonly line: string };

/**
 * One client-side SASL exchange.
 *
 * @example
 * ```ts
 * import { SaslClientExchange } from 'mailwire';
 * const x = new SaslClientExchange({ mechanism: 'CRAM-MD5' });
 * x.initialResponse; // null: CRAM-MD5 waits for the server's challenge
 * x.challenge('PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+'); // { type: 'ask', challenge: bytes of "<1896.697170952@postoffice.reston.mci.net>" }
 * x.respond(new TextEncoder().encode('tim b913a602c7eda7a495b4e6e7334d3890')); // the base64 line to write
 * ```
 */
export class SaslClientExchange {
  /** The mechanism name for the AUTH command. */
  readonly mechanism: string;
  /** The initial response to put on the AUTH line, or null. */
  readonly initialResponse: Uint8Array | null;
  /** The mechanism's steps; null when the application answers the challenges. */
  private readonly steps: SaslClient | null;
  private asking = false;

  /** Builds the exchange; throws TypeError for credentials that cannot be encoded (NUL in PLAIN, ^A in XOAUTH2, a name SASLprep refuses). */
  constructor(credentials: SaslCredentials) {
    this.mechanism = credentials.mechanism;
    if (!isBuiltin(credentials)) {
      this.steps = null;
      this.initialResponse = (credentials as SaslApplicationCredentials).initialResponse ?? null;
      return;
    }
    this.steps = createSaslClient(credentials);
    this.initialResponse = this.steps.initialResponse();
  }

  /** SCRAM: whether the server proved it knows the password (null for other mechanisms). */
  get serverVerified(): boolean | null {
    return this.steps === null ? null : this.steps.serverVerified;
  }

  /** Whether the application answers the challenges (`sasl-challenge` / `saslRespond()`). */
  get byApplication(): boolean {
    return this.steps === null;
  }

  /** Whether a challenge was handed to the application and is not answered yet. */
  get awaitingResponse(): boolean {
    return this.asking;
  }

  /** Decides what to do with a server challenge (the base64 text after `334 ` or `+ `). */
  challenge(text: string): SaslChallengeStep {
    if (this.steps === null) {
      const bytes = decodeSaslLine(text);
      this.asking = true;
      return { type: 'ask', challenge: bytes instanceof ProtocolError ? null : bytes };
    }
    // A challenge that is not base64, or one the mechanism cannot answer (a wrong SCRAM server
    // signature, more challenges than the mechanism has): cancel (RFC 4954 4, RFC 3501 6.2.2).
    // An OAuth mechanism answers any challenge with its finishing response, even one that is
    // not base64 (its text is kept as the error's raw text), so the server can end with 535.
    const decoded = decodeSaslLine(text);
    const oauth = this.mechanism === 'XOAUTH2' || this.mechanism === 'OAUTHBEARER';
    const bytes = decoded instanceof ProtocolError && oauth ? encodeUtf8(text) : decoded;
    const before = this.steps.oauthError;
    const answer = bytes instanceof ProtocolError ? bytes : this.steps.respond(bytes);
    const error = this.steps.oauthError;
    if (error !== null && error !== before && !(answer instanceof ProtocolError)) return { type: 'oauth-error', error, line: encodeSaslResponse(answer) };
    return { type: 'respond', line: answer instanceof ProtocolError ? SASL_CANCEL : encodeSaslResponse(answer) };
  }

  /**
   * The application's answer to the challenge it was handed: the line to write, or null when no
   * challenge is waiting (the exchange ended in the meantime: nothing must be written).
   * A null `response` cancels the exchange (`*`).
   */
  respond(response: Uint8Array | null): string | null {
    if (!this.asking) return null;
    this.asking = false;
    return response === null ? SASL_CANCEL : encodeSaslResponse(response);
  }

  /** The exchange is over (the server answered with its final reply). */
  finish(): void {
    this.asking = false;
  }
}
