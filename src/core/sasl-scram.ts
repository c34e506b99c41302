/**
 * SCRAM (RFC 5802) with SHA-1 and SHA-256 (RFC 7677), and their channel-binding `-PLUS`
 * variants: a client that proves the password without sending it and checks the server's
 * signature, and a server that verifies a client against stored keys.
 *
 * Both are pure step functions over the mechanism's messages (the bytes inside the base64 of
 * `AUTH` / `AUTHENTICATE` lines); the sessions carry them.
 *
 * @packageDocumentation
 */

import { decodeBase64, encodeBase64 } from './base64';
import { decodeUtf8Strict, encodeUtf8 } from './bytes';
import { type DigestAlgorithm, SHA1, SHA256, hmac, pbkdf2Block } from './digest';
import { ProtocolError } from './errors';
import { saslPrep } from './saslprep';

/** The SCRAM mechanisms this module runs. */
export type ScramMechanism = 'SCRAM-SHA-1' | 'SCRAM-SHA-1-PLUS' | 'SCRAM-SHA-256' | 'SCRAM-SHA-256-PLUS';

/** Channel binding for the `-PLUS` mechanisms (RFC 5802 6, RFC 5929, RFC 9266). */
export interface ScramChannelBinding {
  /** `tls-exporter` (RFC 9266, TLS 1.3), `tls-server-end-point` or `tls-unique` (RFC 5929). */
  readonly type: string;
  /** The binding data the TLS layer gives for that type (e.g. Node's `exportKeyingMaterial`). */
  readonly data: Uint8Array;
}

/** Options of {@link ScramClient}. */
export interface ScramClientOptions {
  /** The mechanism chosen (from the server's list). */
  readonly mechanism: ScramMechanism;
  /** Authentication identity; SASLprep'd and escaped for you. */
  readonly username: string;
  /** The password; SASLprep'd for you. */
  readonly password: string;
  /** Authorization identity, when it differs from `username`. */
  readonly authzid?: string;
  /** Required for a `-PLUS` mechanism; refused without one. */
  readonly channelBinding?: ScramChannelBinding;
  /**
   * Set when the client could bind to the channel but chose a mechanism without `-PLUS` because
   * the server offered none: the `y` flag lets a server that does offer `-PLUS` detect a
   * downgrade (RFC 5802 6).
   */
  readonly clientSupportsBinding?: boolean;
  /** Client nonce (printable ASCII except `,`); random 24 bytes in base64 by default. */
  readonly nonce?: string;
  /** Lowest iteration count accepted from the server (RFC 7677 4: at least 4096). Default 4096. */
  readonly minIterations?: number;
  /**
   * Highest iteration count accepted, so that a hostile server cannot make the client spin for
   * hours computing `Hi()`. Default 1,000,000.
   */
  readonly maxIterations?: number;
}

function algorithmOf(mechanism: string): DigestAlgorithm {
  return mechanism.startsWith('SCRAM-SHA-256') ? SHA256 : SHA1;
}

/** `saslname`: `=` and `,` escaped as `=3D` and `=2C` (RFC 5802 5.1). */
function escapeSaslName(name: string): string {
  return name.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

function unescapeSaslName(name: string): string | null {
  if (/=(?!2C|3D)/.test(name)) return null;
  return name.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

function randomNonce(): string {
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (!c?.getRandomValues) throw new TypeError('SCRAM: no crypto.getRandomValues on this runtime; pass options.nonce');
  return encodeBase64(c.getRandomValues(new Uint8Array(24)));
}

function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

/** Compares two byte strings in time independent of where they differ. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

/** Splits `k=v,k=v` attributes; a repeated or malformed attribute is a SYNTAX error. */
function attributes(text: string): Map<string, string> | ProtocolError {
  const out = new Map<string, string>();
  for (const part of text.split(',')) {
    if (part.length < 2 || part[1] !== '=' || !/^[A-Za-z]$/.test(part[0]!)) return new ProtocolError('SYNTAX', `SCRAM: malformed attribute ${JSON.stringify(part.slice(0, 40))}`);
    if (out.has(part[0]!)) return new ProtocolError('SYNTAX', `SCRAM: repeated attribute ${part[0]}`);
    out.set(part[0]!, part.slice(2));
  }
  return out;
}

/** The keys SCRAM derives from a password (RFC 5802 3). */
interface DerivedKeys {
  readonly clientKey: Uint8Array;
  readonly storedKey: Uint8Array;
  readonly serverKey: Uint8Array;
}

function deriveKeys(alg: DigestAlgorithm, password: string, salt: Uint8Array, iterations: number): DerivedKeys | ProtocolError {
  const prepared = saslPrep(password);
  if (prepared instanceof ProtocolError) return prepared;
  const salted = pbkdf2Block(alg, encodeUtf8(prepared), salt, iterations);
  const clientKey = hmac(alg, salted, encodeUtf8('Client Key'));
  return { clientKey, storedKey: alg.digest(clientKey), serverKey: hmac(alg, salted, encodeUtf8('Server Key')) };
}

/**
 * The client side of SCRAM. Send {@link ScramClient.first} as the initial response, answer the
 * server-first challenge with {@link ScramClient.respond}, and give the server-final message to
 * `respond()` too (sent as a last challenge in IMAP, SMTP and POP3): it checks the server's
 * signature and answers with the empty response. `verified` is true only after that check.
 *
 * @example
 * ```ts
 * import { ScramClient } from 'mailwire';
 * const scram = new ScramClient({ mechanism: 'SCRAM-SHA-256', username: 'user', password: 'pencil' });
 * const initial = scram.first();                 // bytes of "n,,n=user,r=<nonce>"
 * // challenge 1 (server-first) -> scram.respond(challenge) -> client-final bytes
 * // challenge 2 (server-final) -> scram.respond(challenge) -> empty bytes, scram.verified === true
 * ```
 */
export class ScramClient {
  /** The mechanism name, as sent in `AUTH` / `AUTHENTICATE`. */
  readonly mechanism: ScramMechanism;
  private readonly alg: DigestAlgorithm;
  private readonly options: ScramClientOptions;
  private readonly gs2Header: string;
  private readonly clientFirstBare: string;
  private readonly clientNonce: string;
  private step: 'first' | 'server-first' | 'server-final' | 'done' | 'failed' = 'first';
  private expectedServerSignature: Uint8Array | null = null;
  private _verified = false;

  constructor(options: ScramClientOptions) {
    this.options = options;
    this.mechanism = options.mechanism;
    this.alg = algorithmOf(options.mechanism);
    const plus = options.mechanism.endsWith('-PLUS');
    if (plus && !options.channelBinding) throw new TypeError(`${options.mechanism} needs options.channelBinding`);
    if (!plus && options.channelBinding) throw new TypeError(`${options.mechanism} does not bind to the channel: use ${options.mechanism}-PLUS`);
    if (options.channelBinding && !/^[A-Za-z0-9.-]+$/.test(options.channelBinding.type)) throw new TypeError(`bad channel binding type ${JSON.stringify(options.channelBinding.type)}`);
    const user = saslPrep(options.username);
    if (user instanceof ProtocolError) throw new TypeError(`SCRAM user name: ${user.message}`);
    let authz = '';
    if (options.authzid !== undefined && options.authzid !== '') {
      const a = saslPrep(options.authzid);
      if (a instanceof ProtocolError) throw new TypeError(`SCRAM authzid: ${a.message}`);
      authz = `a=${escapeSaslName(a)}`;
    }
    const flag = plus ? `p=${options.channelBinding!.type}` : options.clientSupportsBinding ? 'y' : 'n';
    this.gs2Header = `${flag},${authz},`;
    this.clientNonce = options.nonce ?? randomNonce();
    if (!/^[\x21-\x2b\x2d-\x7e]+$/.test(this.clientNonce)) throw new TypeError('SCRAM nonce must be printable ASCII without ","');
    this.clientFirstBare = `n=${escapeSaslName(user)},r=${this.clientNonce}`;
  }

  /** True once the server-final message carried the right server signature. */
  get verified(): boolean {
    return this._verified;
  }

  /** The client-first message: the initial response. */
  first(): Uint8Array {
    if (this.step === 'first') this.step = 'server-first';
    return encodeUtf8(this.gs2Header + this.clientFirstBare);
  }

  /**
   * Answers a server challenge: the server-first message gives the client-final message; the
   * server-final message is checked and gives the empty response. A `ProtocolError` means the
   * exchange must be cancelled (`*`): a wrong nonce, an iteration count out of bounds, a server
   * error (`e=`), or a server signature that does not match — the server does not know the
   * password, so whatever it says next is not to be trusted.
   */
  respond(challenge: Uint8Array): Uint8Array | ProtocolError {
    const r = this.step === 'server-first' ? this.clientFinal(challenge) : this.step === 'server-final' ? this.checkServerFinal(challenge) : new ProtocolError('UNEXPECTED', `SCRAM: no challenge expected now (${this.step})`);
    if (r instanceof ProtocolError) this.step = 'failed';
    return r;
  }

  private clientFinal(challenge: Uint8Array): Uint8Array | ProtocolError {
    const text = decodeUtf8Strict(challenge);
    if (text === null) return new ProtocolError('INVALID_ENCODING', 'SCRAM server-first message is not UTF-8');
    const attrs = attributes(text);
    if (attrs instanceof ProtocolError) return attrs;
    if (attrs.has('m')) return new ProtocolError('SYNTAX', 'SCRAM: mandatory extension (m=) not supported');
    const nonce = attrs.get('r');
    const saltText = attrs.get('s');
    const iterText = attrs.get('i');
    if (nonce === undefined || saltText === undefined || iterText === undefined) return new ProtocolError('SYNTAX', 'SCRAM server-first message lacks r=, s= or i=');
    if (!nonce.startsWith(this.clientNonce) || nonce.length === this.clientNonce.length) return new ProtocolError('SYNTAX', 'SCRAM: the server nonce does not extend the client nonce');
    const salt = decodeBase64(saltText);
    if (salt === null || salt.length === 0) return new ProtocolError('INVALID_ENCODING', 'SCRAM: salt is not base64');
    if (!/^[1-9][0-9]{0,9}$/.test(iterText)) return new ProtocolError('SYNTAX', `SCRAM: bad iteration count ${JSON.stringify(iterText.slice(0, 12))}`);
    const iterations = Number(iterText);
    const min = this.options.minIterations ?? 4096;
    const max = this.options.maxIterations ?? 1_000_000;
    if (iterations < min || iterations > max) return new ProtocolError('TOO_MANY', `SCRAM: iteration count ${iterations} outside ${min}..${max}`);
    const keys = deriveKeys(this.alg, this.options.password, salt, iterations);
    if (keys instanceof ProtocolError) return keys;
    const cbind = this.options.channelBinding ? concat(encodeUtf8(this.gs2Header), this.options.channelBinding.data) : encodeUtf8(this.gs2Header);
    const withoutProof = `c=${encodeBase64(cbind)},r=${nonce}`;
    const authMessage = encodeUtf8(`${this.clientFirstBare},${text},${withoutProof}`);
    const proof = xor(keys.clientKey, hmac(this.alg, keys.storedKey, authMessage));
    this.expectedServerSignature = hmac(this.alg, keys.serverKey, authMessage);
    this.step = 'server-final';
    return encodeUtf8(`${withoutProof},p=${encodeBase64(proof)}`);
  }

  private checkServerFinal(challenge: Uint8Array): Uint8Array | ProtocolError {
    const text = decodeUtf8Strict(challenge) ?? '';
    const attrs = attributes(text);
    if (attrs instanceof ProtocolError) return attrs;
    const error = attrs.get('e');
    if (error !== undefined) return new ProtocolError('AUTH_FAILED', `SCRAM: server error ${JSON.stringify(error.slice(0, 60))}`);
    const v = attrs.get('v');
    const signature = v === undefined ? null : decodeBase64(v);
    if (signature === null || !constantTimeEqual(signature, this.expectedServerSignature!)) return new ProtocolError('AUTH_FAILED', 'SCRAM: the server signature does not match: the server does not know the password');
    this._verified = true;
    this.step = 'done';
    return new Uint8Array(0);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** What a SCRAM server stores for a user instead of the password (RFC 5802 2.1, 3). */
export interface ScramCredentials {
  readonly salt: Uint8Array;
  readonly iterations: number;
  readonly storedKey: Uint8Array;
  readonly serverKey: Uint8Array;
}

/**
 * Computes the stored SCRAM credentials for a password (once, when the password is set).
 * Throws a TypeError when the password is refused by SASLprep.
 */
export function scramCredentials(mechanism: ScramMechanism, password: string, salt: Uint8Array, iterations = 4096): ScramCredentials {
  const keys = deriveKeys(algorithmOf(mechanism), password, salt, iterations);
  if (keys instanceof ProtocolError) throw new TypeError(`SCRAM password: ${keys.message}`);
  return { salt, iterations, storedKey: keys.storedKey, serverKey: keys.serverKey };
}

/** Options of {@link ScramServer}. */
export interface ScramServerOptions {
  /** The mechanism the client chose. */
  readonly mechanism: ScramMechanism;
  /** Looks up the stored credentials of a user name (SASLprep'd); `null` for an unknown user. */
  readonly lookup: (username: string) => ScramCredentials | null;
  /** Channel binding data of this connection, for `-PLUS` (and to detect a `y` downgrade). */
  readonly channelBinding?: ScramChannelBinding;
  /** Whether this server offers `-PLUS` mechanisms (a client sending `y` then signals a downgrade). */
  readonly offersPlus?: boolean;
  /** Server nonce part; random by default. */
  readonly nonce?: string;
}

/** The outcome of a successful SCRAM exchange on the server. */
export interface ScramServerResult {
  /** The authenticated user name. */
  readonly username: string;
  /** The authorization identity the client asked for, or `''`. */
  readonly authzid: string;
  /** The server-final message (`v=...`) to send as the last challenge. */
  readonly serverFinal: Uint8Array;
}

/**
 * The server side of SCRAM: {@link ScramServer.start} reads the client-first message and gives
 * the server-first challenge, {@link ScramServer.finish} checks the client proof and gives the
 * server-final message. Any `ProtocolError` means "authentication failed" (answer 535 / NO / -ERR,
 * without saying which part failed).
 */
export class ScramServer {
  private readonly options: ScramServerOptions;
  private readonly alg: DigestAlgorithm;
  private state: { bare: string; serverFirst: string; gs2: string; nonce: string; user: string; authzid: string; creds: ScramCredentials } | null = null;

  constructor(options: ScramServerOptions) {
    this.options = options;
    this.alg = algorithmOf(options.mechanism);
  }

  /** Reads the client-first message; returns the server-first message. */
  start(clientFirst: Uint8Array): Uint8Array | ProtocolError {
    const text = decodeUtf8Strict(clientFirst);
    if (text === null) return new ProtocolError('INVALID_ENCODING', 'SCRAM client-first message is not UTF-8');
    const m = /^(n|y|p=[A-Za-z0-9.-]+),(a=[^,]*)?,(.*)$/s.exec(text);
    if (!m) return new ProtocolError('SYNTAX', 'SCRAM: bad GS2 header');
    const flag = m[1]!;
    const plus = this.options.mechanism.endsWith('-PLUS');
    if (plus !== flag.startsWith('p=')) return new ProtocolError('AUTH_FAILED', 'SCRAM: channel binding flag does not match the mechanism');
    if (flag === 'y' && this.options.offersPlus) return new ProtocolError('AUTH_FAILED', 'SCRAM: client saw no -PLUS mechanism that this server offers (downgrade)');
    if (plus && flag.slice(2) !== this.options.channelBinding?.type) return new ProtocolError('AUTH_FAILED', 'SCRAM: unsupported channel binding type');
    const authzid = m[2] ? unescapeSaslName(m[2].slice(2)) : '';
    const bare = m[3]!;
    const attrs = attributes(bare);
    if (attrs instanceof ProtocolError || authzid === null) return new ProtocolError('SYNTAX', 'SCRAM: bad client-first message');
    if (attrs.has('m')) return new ProtocolError('SYNTAX', 'SCRAM: mandatory extension (m=) not supported');
    const name = attrs.get('n');
    const clientNonce = attrs.get('r');
    const user = name === undefined ? null : unescapeSaslName(name);
    if (user === null || clientNonce === undefined || !/^[\x21-\x2b\x2d-\x7e]+$/.test(clientNonce)) return new ProtocolError('SYNTAX', 'SCRAM: bad user name or nonce');
    const prepared = saslPrep(user);
    if (prepared instanceof ProtocolError) return prepared;
    const creds = this.options.lookup(prepared);
    if (creds === null) return new ProtocolError('AUTH_FAILED', 'SCRAM: unknown user');
    const nonce = clientNonce + (this.options.nonce ?? randomNonce());
    const serverFirst = `r=${nonce},s=${encodeBase64(creds.salt)},i=${creds.iterations}`;
    this.state = { bare, serverFirst, gs2: text.slice(0, text.length - bare.length), nonce, user: prepared, authzid, creds };
    return encodeUtf8(serverFirst);
  }

  /** Checks the client-final message; returns the user and the server-final message. */
  finish(clientFinal: Uint8Array): ScramServerResult | ProtocolError {
    const st = this.state;
    this.state = null;
    if (st === null) return new ProtocolError('UNEXPECTED', 'SCRAM: finish() before start()');
    const text = decodeUtf8Strict(clientFinal);
    if (text === null) return new ProtocolError('INVALID_ENCODING', 'SCRAM client-final message is not UTF-8');
    const cut = text.lastIndexOf(',p=');
    if (cut < 0) return new ProtocolError('SYNTAX', 'SCRAM: client-final message without proof');
    const withoutProof = text.slice(0, cut);
    const attrs = attributes(withoutProof);
    if (attrs instanceof ProtocolError) return attrs;
    if (attrs.get('r') !== st.nonce) return new ProtocolError('AUTH_FAILED', 'SCRAM: nonce mismatch');
    const cbind = decodeBase64(attrs.get('c') ?? '');
    const expected = this.options.mechanism.endsWith('-PLUS') ? concat(encodeUtf8(st.gs2), this.options.channelBinding!.data) : encodeUtf8(st.gs2);
    if (cbind === null || !constantTimeEqual(cbind, expected)) return new ProtocolError('AUTH_FAILED', 'SCRAM: channel binding mismatch');
    const proof = decodeBase64(text.slice(cut + 3));
    if (proof === null || proof.length !== this.alg.outputSize) return new ProtocolError('AUTH_FAILED', 'SCRAM: bad proof');
    const authMessage = encodeUtf8(`${st.bare},${st.serverFirst},${withoutProof}`);
    const clientKey = xor(proof, hmac(this.alg, st.creds.storedKey, authMessage));
    if (!constantTimeEqual(this.alg.digest(clientKey), st.creds.storedKey)) return new ProtocolError('AUTH_FAILED', 'SCRAM: wrong password');
    const serverSignature = hmac(this.alg, st.creds.serverKey, authMessage);
    return { username: st.user, authzid: st.authzid, serverFinal: encodeUtf8(`v=${encodeBase64(serverSignature)}`) };
  }
}
