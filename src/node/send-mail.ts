/**
 * `sendMail()`: one message through an SMTP submission server (or an LMTP server), with
 * STARTTLS and AUTH, as a Promise.
 *
 * @packageDocumentation
 */

import type { Credentials, Path, Reply } from '../smtp/index';
import { ClientSession } from '../smtp/client';
import { isAsciiBytes, isAsciiString } from '../core/bytes';
import { connect, type ConnectOptions, type SocketSession } from './socket-session';
import { requestStartTls } from './start-tls';

/** Options of {@link sendMail}. */
export interface SendMailOptions extends ConnectOptions {
  /** The client's name for EHLO. Default `localhost`. */
  readonly domain?: string;
  /**
   * STARTTLS before anything else: `'required'` (the default without implicit TLS: fails when
   * the server does not offer it, so credentials and mail never go out in clear text),
   * `'opportunistic'` (when offered), `'never'`.
   */
  readonly startTls?: 'required' | 'opportunistic' | 'never';
  /** SASL credentials: any mechanism the SMTP client runs itself (PLAIN, LOGIN, CRAM-MD5, SCRAM-*, XOAUTH2, OAUTHBEARER, EXTERNAL, ANONYMOUS). */
  readonly auth?: Credentials;
  /** Reverse-path; null or '' for `<>`. */
  readonly from: Path | string | null;
  /** Recipients. */
  readonly to: readonly (Path | string)[];
  /**
   * The message (RFC 5322), any line endings; or chunks of it. One with octets >= 0x80 goes as
   * BODY=8BITMIME (RFC 6152), which a server without 8BITMIME refuses (RangeError); chunks are
   * declared 8-bit whenever the server offers 8BITMIME, and an 8-bit chunk to one that does not
   * throws a RangeError.
   */
  readonly message: Uint8Array | string | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
  /** Speak LMTP (RFC 2033). */
  readonly lmtp?: boolean;
}

/** What {@link sendMail} reports. */
export interface SendMailResult {
  /** The server took the message (for at least one recipient in LMTP). */
  readonly accepted: boolean;
  /** The final reply (or the refusing one). */
  readonly reply: Reply;
  /** Recipients the server accepted. */
  readonly acceptedRecipients: readonly Path[];
  /** Recipients it refused, with its reply. */
  readonly rejectedRecipients: readonly { readonly to: Path; readonly reply: Reply }[];
  /** Whether the message travelled encrypted. */
  readonly encrypted: boolean;
}

/** Thrown when the server refuses the session before the message (greeting, STARTTLS, AUTH). */
export class SmtpError extends Error {
  /** The server's reply, when there was one. */
  readonly reply: Reply | null;
  /**
   * @param message - what failed
   * @param reply - the server's reply
   */
  constructor(message: string, reply: Reply | null) {
    super(reply ? `${message}: ${reply.code} ${reply.lines.join(' ')}` : message);
    this.name = 'SmtpError';
    this.reply = reply;
  }
}

type Conn = SocketSession<ClientSession>;

async function ready(conn: Conn, what: string): Promise<void> {
  const taken = await conn.until((e) => e.type === 'ready' || e.type === 'closed');
  const last = taken[taken.length - 1]!;
  if (last.type === 'closed') throw new SmtpError(`the server closed the session during ${what}`, last.reply);
}

/**
 * Sends one message: connect, EHLO, STARTTLS (required by default), AUTH, MAIL/RCPT/DATA
 * (pipelined when offered), QUIT. Body chunks are written as the socket drains.
 *
 * @example
 * ```ts
 * import { sendMail } from 'mailwire/node';
 * const result = await sendMail({
 *   host: 'submission.example.net', port: 587, auth: { mechanism: 'PLAIN', user: 'alice', password: 'secret' },
 *   from: 'alice@example.org', to: ['bob@example.net'], message: 'Subject: hi\r\n\r\nHello\r\n',
 * });
 * console.log(result.accepted, result.reply.code);
 * ```
 */
export async function sendMail(options: SendMailOptions): Promise<SendMailResult> {
  const conn = await connect(new ClientSession({ domain: options.domain ?? 'localhost', lmtp: options.lmtp ?? false }), options);
  try {
    await ready(conn, 'the greeting');
    const policy = options.startTls ?? (options.implicitTls ? 'never' : 'required');
    if (policy !== 'never' && !conn.encrypted) {
      const offered = conn.session.capabilities?.startTls ?? false;
      if (!offered && policy === 'required') throw new SmtpError('the server does not offer STARTTLS', null);
      if (offered) {
        conn.do((s) => requestStartTls(s));
        await ready(conn, 'STARTTLS');
        if (!conn.encrypted) throw new SmtpError('STARTTLS did not complete', null);
      }
    }
    if (options.auth) {
      const creds = options.auth;
      conn.do((s) => s.authenticate(creds));
      const auth = await conn.next('auth');
      if (!auth.success) throw new SmtpError('authentication failed', auth.reply);
    }
    const rejected: { to: Path; reply: Reply }[] = [];
    conn.onEvent((e) => {
      if (e.type === 'recipient' && !e.accepted) rejected.push({ to: e.to, reply: e.reply });
      return false;
    });
    const m = options.message;
    // RFC 6152: 8-bit octets only under BODY=8BITMIME (writeBody refuses them otherwise). A body
    // known up front declares it when it needs it; a stream, whenever the server offers it.
    const eightBit = typeof m === 'string' ? !isAsciiString(m) : m instanceof Uint8Array ? !isAsciiBytes(m) : (conn.session.capabilities?.eightBitMime ?? false);
    conn.do((s) => s.sendMail({ from: options.from, to: options.to, ...(eightBit ? { body: '8BITMIME' as const } : {}) }));
    if (typeof m === 'string') conn.do((s) => s.writeBody(new TextEncoder().encode(m)));
    else if (m instanceof Uint8Array) conn.do((s) => s.writeBody(m));
    else {
      for await (const chunk of m) {
        conn.do((s) => s.writeBody(chunk));
        await conn.drained();
      }
    }
    conn.do((s) => s.endBody());
    const done = await conn.until((e) => e.type === 'message' || e.type === 'closed');
    const last = done[done.length - 1]!;
    if (last.type === 'closed') throw new SmtpError('the server closed the session during the transaction', last.reply);
    if (last.type !== 'message') throw new SmtpError('no reply to the message', null);
    const encrypted = conn.encrypted;
    conn.do((s) => s.quit());
    await conn.until((e) => e.type === 'closed', 10_000).catch(() => undefined);
    return { accepted: last.accepted, reply: last.reply, acceptedRecipients: last.acceptedRecipients, rejectedRecipients: rejected, encrypted };
  } finally {
    conn.close();
  }
}
