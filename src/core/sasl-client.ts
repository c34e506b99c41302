/**
 * The client side of a SASL exchange, shared by the SMTP AUTH (RFC 4954) and POP3 AUTH
 * (RFC 5034) client sessions: the initial response, then one decision per server challenge
 * (answer with a prepared response, hand the challenge to the application, or read an OAuth
 * error and send the response that lets the server finish).
 *
 * @packageDocumentation
 */

import { decodeUtf8Strict } from './bytes';
import { ProtocolError } from './errors';
import { SASL_CANCEL, decodeSaslLine, encodeSaslResponse, saslLogin, saslOAuthBearer, saslPlain, saslXOAuth2 } from './sasl';

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
 * What `authenticate()` of the SMTP and POP3 client sessions takes: the mechanisms the
 * session runs itself (given `user`), or any other through {@link SaslApplicationCredentials}.
 */
export type SaslCredentials = SaslBuiltinCredentials | SaslApplicationCredentials;

/** The mechanisms a client session runs itself. */
export type SaslBuiltinCredentials =
  | { readonly mechanism: 'PLAIN'; readonly user: string; readonly password: string; readonly authzid?: string }
  | { readonly mechanism: 'LOGIN'; readonly user: string; readonly password: string }
  | { readonly mechanism: 'XOAUTH2'; readonly user: string; readonly accessToken: string }
  | { readonly mechanism: 'OAUTHBEARER'; readonly user: string; readonly accessToken: string; readonly host?: string; readonly port?: number };

/**
 * The error a server reports in a challenge after an XOAUTH2 or OAUTHBEARER initial response
 * (RFC 7628 3.2.2; Google and Microsoft send the same JSON for XOAUTH2). Fields the JSON does
 * not carry are null; `raw` is the decoded challenge as text.
 */
export interface OAuthError {
  /** `status`: an RFC 6749 error code (`invalid_token`) or an HTTP status (`401`). */
  readonly status: string | null;
  /** `schemes`: the token schemes the server accepts (`bearer mac`). */
  readonly schemes: string | null;
  /** `scope`: the scope a token needs. */
  readonly scope: string | null;
  /** `openid-configuration`: where the server's OpenID discovery document is. */
  readonly openidConfiguration: string | null;
  /** The decoded challenge (UTF-8, or the base64 text when it did not decode). */
  readonly raw: string;
}

/**
 * Reads the base64 JSON error challenge of XOAUTH2 / OAUTHBEARER. Returns a `ProtocolError`
 * (`INVALID_ENCODING` or `SYNTAX`) when it is not base64 of a JSON object.
 */
export function parseOAuthError(challenge: string): OAuthError | ProtocolError {
  const bytes = decodeSaslLine(challenge);
  if (bytes instanceof ProtocolError) return bytes;
  const text = decodeUtf8Strict(bytes);
  if (text === null) return new ProtocolError('INVALID_ENCODING', 'OAuth error challenge is not UTF-8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return new ProtocolError('SYNTAX', 'OAuth error challenge is not JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return new ProtocolError('SYNTAX', 'OAuth error challenge is not a JSON object');
  const o = json as Record<string, unknown>;
  const field = (k: string): string | null => (typeof o[k] === 'string' ? (o[k] as string) : typeof o[k] === 'number' ? String(o[k]) : null);
  return { status: field('status'), schemes: field('schemes'), scope: field('scope'), openidConfiguration: field('openid-configuration'), raw: text };
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
  /** Prepared responses, in order; null when the application answers the challenges. */
  private readonly steps: Uint8Array[] | null;
  /** OAuth mechanisms: the response that lets the server finish after an error challenge. */
  private readonly oauthDummy: Uint8Array | null;
  private asking = false;

  /** Builds the exchange; throws TypeError for credentials that cannot be encoded (NUL in PLAIN, ^A in XOAUTH2). */
  constructor(credentials: SaslCredentials) {
    this.mechanism = credentials.mechanism;
    this.oauthDummy = null;
    if (!('user' in credentials)) {
      this.steps = null;
      this.initialResponse = credentials.initialResponse ?? null;
      return;
    }
    const c = credentials as SaslBuiltinCredentials;
    if (c.mechanism === 'LOGIN') {
      this.steps = [...saslLogin(c.user, c.password)];
      this.initialResponse = null;
    } else if (c.mechanism === 'PLAIN') {
      this.steps = [];
      this.initialResponse = saslPlain(c.user, c.password, c.authzid);
    } else if (c.mechanism === 'XOAUTH2') {
      this.steps = [];
      this.initialResponse = saslXOAuth2(c.user, c.accessToken);
      // Google and Microsoft: after the error challenge the client sends an empty response.
      this.oauthDummy = new Uint8Array(0);
    } else if (c.mechanism === 'OAUTHBEARER') {
      this.steps = [];
      this.initialResponse = saslOAuthBearer(c.user, c.accessToken, c.host, c.port);
      // RFC 7628 3.2.3: a single %x01 lets the server finish the exchange with its failure.
      this.oauthDummy = Uint8Array.of(1);
    } else throw new TypeError(`no built-in SASL mechanism ${String((c as { mechanism: unknown }).mechanism)}: pass { mechanism, initialResponse } and answer the challenges`);
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
    if (this.oauthDummy !== null) {
      const parsed = parseOAuthError(text);
      const error = parsed instanceof ProtocolError ? { status: null, schemes: null, scope: null, openidConfiguration: null, raw: text } : parsed;
      return { type: 'oauth-error', error, line: encodeSaslResponse(this.oauthDummy) };
    }
    // A prepared response, or a cancel when the server asks more than the mechanism has (RFC 4954 4).
    const next = this.steps.shift();
    const bad = decodeSaslLine(text) instanceof ProtocolError;
    return { type: 'respond', line: next === undefined || bad ? SASL_CANCEL : encodeSaslResponse(next) };
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
