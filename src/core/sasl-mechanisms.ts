/**
 * The client steps of every SASL mechanism mailwire runs itself (RFC 4422), once for the three
 * protocols: credentials name a mechanism and {@link createSaslClient} turns them into a step
 * function; `SaslClientExchange` (sasl-client.ts) carries it through the challenges of `AUTH`
 * (SMTP, POP3) or `AUTHENTICATE` (IMAP).
 *
 * @packageDocumentation
 */

import { decodeUtf8Strict } from './bytes';
import { ProtocolError } from './errors';
import { type ScramChannelBinding, ScramClient, type ScramMechanism } from './sasl-scram';
import { saslAnonymous, saslCramMd5, saslExternal, saslLogin, saslOAuthBearer, saslPlain, saslXOAuth2 } from './sasl';

/** Credentials for the mechanisms the sessions run themselves. */
export type SaslBuiltinCredentials =
  | { readonly mechanism: 'PLAIN'; readonly user: string; readonly password: string; readonly authzid?: string }
  | { readonly mechanism: 'LOGIN'; readonly user: string; readonly password: string }
  | { readonly mechanism: 'CRAM-MD5'; readonly user: string; readonly password: string }
  | {
      readonly mechanism: ScramMechanism;
      readonly user: string;
      readonly password: string;
      readonly authzid?: string;
      /** Required for the `-PLUS` mechanisms. */
      readonly channelBinding?: ScramChannelBinding;
      /** Client nonce (tests); random by default. */
      readonly nonce?: string;
    }
  | { readonly mechanism: 'XOAUTH2'; readonly user: string; readonly accessToken: string }
  | { readonly mechanism: 'OAUTHBEARER'; readonly user: string; readonly accessToken: string; readonly host?: string; readonly port?: number }
  | { readonly mechanism: 'EXTERNAL'; readonly authzid?: string }
  | { readonly mechanism: 'ANONYMOUS'; readonly trace?: string };

/** The mechanisms {@link createSaslClient} runs. */
export type SaslMechanismName = SaslBuiltinCredentials['mechanism'];

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
  /** The decoded challenge as text. */
  readonly raw: string;
}

/**
 * Reads the JSON error of an XOAUTH2 / OAUTHBEARER challenge (its bytes, after base64);
 * a `ProtocolError` when it is not a JSON object in UTF-8.
 */
export function readOAuthError(challenge: Uint8Array): OAuthError | ProtocolError {
  const text = decodeUtf8Strict(challenge);
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

/** One mechanism's steps, as {@link createSaslClient} makes them. */
export interface SaslClient {
  /** The mechanism name for `AUTH` / `AUTHENTICATE`. */
  readonly mechanism: SaslMechanismName;
  /**
   * The initial response (RFC 4422 3.3), or `null` for a mechanism the server starts (LOGIN,
   * CRAM-MD5). Call once.
   */
  initialResponse(): Uint8Array | null;
  /** The answer to a server challenge; a `ProtocolError` means cancel the exchange (`*`). */
  respond(challenge: Uint8Array): Uint8Array | ProtocolError;
  /** The error an OAuth server reported in a challenge, once one came. */
  readonly oauthError: OAuthError | null;
  /** SCRAM: true once the server proved it knows the password; other mechanisms: null. */
  readonly serverVerified: boolean | null;
}

/**
 * Builds the client steps of a mechanism from credentials.
 *
 * @example
 * ```ts
 * import { createSaslClient, encodeUtf8 } from 'mailwire';
 * const sasl = createSaslClient({ mechanism: 'CRAM-MD5', user: 'tim', password: 'tanstaaftanstaaf' });
 * sasl.initialResponse(); // null: the server speaks first
 * sasl.respond(encodeUtf8('<1896.697170952@postoffice.reston.mci.net>'));
 * // bytes of 'tim b913a602c7eda7a495b4e6e7334d3890' (RFC 2195 2)
 * ```
 */
export function createSaslClient(creds: SaslBuiltinCredentials): SaslClient {
  switch (creds.mechanism) {
    case 'PLAIN':
      return oneShot(creds.mechanism, saslPlain(creds.user, creds.password, creds.authzid));
    case 'EXTERNAL':
      return oneShot(creds.mechanism, saslExternal(creds.authzid));
    case 'ANONYMOUS':
      return oneShot(creds.mechanism, saslAnonymous(creds.trace));
    case 'XOAUTH2':
      // After a failure the server sends a JSON challenge; the client answers with an empty response.
      return oauth(creds.mechanism, saslXOAuth2(creds.user, creds.accessToken), new Uint8Array(0));
    case 'OAUTHBEARER':
      // RFC 7628 3.2.3: the answer to the error challenge is a single ^A.
      return oauth(creds.mechanism, saslOAuthBearer(creds.user, creds.accessToken, creds.host, creds.port), Uint8Array.of(1));
    case 'LOGIN': {
      const [user, password] = saslLogin(creds.user, creds.password);
      let step = 0;
      return {
        mechanism: 'LOGIN',
        initialResponse: () => null,
        // "Username:" then "Password:" (draft-murchison-sasl-login); servers vary the wording, so count.
        respond: (challenge) => {
          step++;
          if (step === 1) return user;
          if (step === 2) return password;
          return unexpected('LOGIN', challenge);
        },
        oauthError: null,
        serverVerified: null,
      };
    }
    case 'CRAM-MD5': {
      let done = false;
      return {
        mechanism: 'CRAM-MD5',
        initialResponse: () => null,
        respond: (challenge) => {
          if (done) return unexpected('CRAM-MD5', challenge);
          done = true;
          return saslCramMd5(creds.user, creds.password, challenge);
        },
        oauthError: null,
        serverVerified: null,
      };
    }
    case 'SCRAM-SHA-1':
    case 'SCRAM-SHA-1-PLUS':
    case 'SCRAM-SHA-256':
    case 'SCRAM-SHA-256-PLUS': {
      const scram = new ScramClient({ mechanism: creds.mechanism, username: creds.user, password: creds.password, authzid: creds.authzid, channelBinding: creds.channelBinding, nonce: creds.nonce });
      return {
        mechanism: creds.mechanism,
        initialResponse: () => scram.first(),
        respond: (challenge) => scram.respond(challenge),
        oauthError: null,
        get serverVerified() {
          return scram.verified;
        },
      };
    }
    default:
      throw new TypeError(`no built-in SASL mechanism ${String((creds as { mechanism: unknown }).mechanism)}`);
  }
}

function unexpected(mechanism: string, challenge: Uint8Array): ProtocolError {
  return new ProtocolError('UNEXPECTED', `${mechanism}: no further challenge expected (got ${challenge.length} octets)`);
}

/** A mechanism whose only message is the initial response; a challenge after it is unexpected. */
function oneShot(mechanism: SaslMechanismName, ir: Uint8Array): SaslClient {
  return { mechanism, initialResponse: () => ir, respond: (c) => unexpected(mechanism, c), oauthError: null, serverVerified: null };
}

function oauth(mechanism: 'XOAUTH2' | 'OAUTHBEARER', ir: Uint8Array, answer: Uint8Array): SaslClient {
  let error: OAuthError | null = null;
  return {
    mechanism,
    initialResponse: () => ir,
    respond(challenge) {
      if (error !== null) return unexpected(mechanism, challenge);
      const e = readOAuthError(challenge);
      // A server that does not send JSON still ends the exchange on the answer: keep its text.
      error = e instanceof ProtocolError ? { status: null, schemes: null, scope: null, openidConfiguration: null, raw: decodeUtf8Strict(challenge) ?? '' } : e;
      return answer;
    },
    get oauthError() {
      return error;
    },
    serverVerified: null,
  };
}

/** The mechanism names of {@link SaslBuiltinCredentials}, for checking a server's list. */
export const SASL_CLIENT_MECHANISMS: readonly SaslMechanismName[] = ['PLAIN', 'LOGIN', 'CRAM-MD5', 'SCRAM-SHA-1', 'SCRAM-SHA-1-PLUS', 'SCRAM-SHA-256', 'SCRAM-SHA-256-PLUS', 'XOAUTH2', 'OAUTHBEARER', 'EXTERNAL', 'ANONYMOUS'];

/**
 * Picks the strongest mechanism both sides have, from the server's list (EHLO AUTH, CAPA SASL,
 * CAPABILITY AUTH=): SCRAM-SHA-256(-PLUS), SCRAM-SHA-1(-PLUS), CRAM-MD5, PLAIN, LOGIN. `-PLUS`
 * only when the caller has channel binding data. Null when none fits.
 */
export function chooseSaslMechanism(serverMechanisms: readonly string[], options: { readonly channelBinding?: boolean } = {}): SaslMechanismName | null {
  const offered = new Set(serverMechanisms.map((m) => m.toUpperCase()));
  const order: SaslMechanismName[] = [
    ...(options.channelBinding ? (['SCRAM-SHA-256-PLUS', 'SCRAM-SHA-1-PLUS'] as const) : []),
    'SCRAM-SHA-256',
    'SCRAM-SHA-1',
    'CRAM-MD5',
    'PLAIN',
    'LOGIN',
  ];
  return order.find((m) => offered.has(m)) ?? null;
}
