/**
 * The client side of a SASL exchange (RFC 4422), once for the three protocols: credentials name
 * a mechanism, {@link createSaslClient} turns them into a step function, and
 * {@link SaslExchange} drives it through the challenges of `AUTH` (SMTP, POP3) or `AUTHENTICATE`
 * (IMAP), with or without an initial response on the command line.
 *
 * @packageDocumentation
 */

import { decodeUtf8Strict } from './bytes';
import { ProtocolError } from './errors';
import { type ScramChannelBinding, ScramClient, type ScramMechanism } from './sasl-scram';
import { saslAnonymous, saslCramMd5, saslExternal, saslLogin, saslOAuthBearer, saslPlain, saslXOAuth2 } from './sasl';

/** Credentials for the mechanisms the sessions run themselves. */
export type SaslCredentials =
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
export type SaslMechanismName = SaslCredentials['mechanism'];

/**
 * The error an OAuth server reports inside the exchange (RFC 7628 3.2.2; Google's and
 * Microsoft's XOAUTH2 send the same JSON): a base64 challenge after the initial response.
 */
export interface SaslOAuthError {
  /** `status` (`"401"`, `"invalid_token"`, ...). */
  readonly status: string;
  /** `schemes` (`"bearer"`), when given. */
  readonly schemes: string | undefined;
  /** `scope` the token lacks, when given. */
  readonly scope: string | undefined;
  /** The challenge as text, for logs. */
  readonly raw: string;
}

/**
 * Reads the JSON error of an XOAUTH2 / OAUTHBEARER challenge; a `ProtocolError` when the
 * challenge is not a JSON object with a `status`.
 */
export function decodeOAuthError(challenge: Uint8Array): SaslOAuthError | ProtocolError {
  const raw = decodeUtf8Strict(challenge);
  let v: unknown;
  try {
    v = raw === null ? null : JSON.parse(raw);
  } catch {
    v = null;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return new ProtocolError('SYNTAX', 'OAuth error challenge is not a JSON object');
  const o = v as Record<string, unknown>;
  const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : typeof x === 'number' ? String(x) : undefined);
  const status = str(o['status']);
  if (status === undefined) return new ProtocolError('SYNTAX', 'OAuth error challenge has no status');
  return { status, schemes: str(o['schemes']), scope: str(o['scope']), raw: raw! };
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
  readonly oauthError: SaslOAuthError | null;
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
export function createSaslClient(creds: SaslCredentials): SaslClient {
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
    default: {
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
  let error: SaslOAuthError | null = null;
  return {
    mechanism,
    initialResponse: () => ir,
    respond(challenge) {
      if (error !== null) return unexpected(mechanism, challenge);
      const e = decodeOAuthError(challenge);
      // A server that does not send JSON still ends the exchange on the answer: keep its text.
      error = e instanceof ProtocolError ? { status: '', schemes: undefined, scope: undefined, raw: decodeUtf8Strict(challenge) ?? '' } : e;
      return answer;
    },
    get oauthError() {
      return error;
    },
    serverVerified: null,
  };
}

/**
 * Drives a {@link SaslClient} through one exchange. When the initial response could not go on
 * the command line (IMAP without SASL-IR, or a response too long for the line), the server opens
 * with an empty challenge and the initial response answers it (RFC 4422 5).
 */
export class SaslExchange {
  /** The mechanism's steps. */
  readonly client: SaslClient;
  /** What goes on the command line (`AUTH PLAIN <ir>`), or null. */
  readonly initialResponse: Uint8Array | null;
  private pendingInitial: Uint8Array | null;

  /**
   * @param client the mechanism's steps
   * @param initialOnCommandLine whether the caller sends `initialResponse()` with the command;
   *   when false it is kept for the server's first (empty) challenge.
   */
  constructor(client: SaslClient, initialOnCommandLine: boolean) {
    this.client = client;
    const ir = client.initialResponse();
    this.initialResponse = initialOnCommandLine ? ir : null;
    this.pendingInitial = initialOnCommandLine ? null : ir;
  }

  /** The answer to the next challenge; a `ProtocolError` means cancel (`*`). */
  next(challenge: Uint8Array): Uint8Array | ProtocolError {
    if (this.pendingInitial !== null) {
      const ir = this.pendingInitial;
      this.pendingInitial = null;
      if (challenge.length === 0) return ir;
      // A server that sent a non-empty first challenge to a mechanism that starts with the
      // client (it should not): let the mechanism read it.
    }
    return this.client.respond(challenge);
  }
}

/** The mechanism names of {@link SaslCredentials}, for checking a server's list. */
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
