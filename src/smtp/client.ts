/**
 * SMTP/LMTP client session (RFC 5321 3-4, RFC 1869 EHLO with HELO fallback, RFC 2920
 * pipelining, RFC 3030 BDAT, RFC 3207 STARTTLS, RFC 4954 AUTH, RFC 2033 LMTP): turns
 * intents into command bytes, correlates replies with the commands they answer, and reports
 * per-recipient results. No I/O.
 *
 * @packageDocumentation
 */

import { ProtocolError } from '../core/errors';
import { DotEncoder } from '../core/dot-stuffing';
import { OutputQueue } from '../core/output-queue';
import { SASL_CANCEL, decodeSaslLine, encodeInitialResponse, encodeSaslResponse, saslLogin, saslPlain, saslXOAuth2 } from '../core/sasl';
import { makePath } from './address';
import { parseCapabilities, type Capabilities } from './capabilities';
import { encodeCommand } from './command';
import { ReplyParser, type ReplyParserOptions } from './parser';
import type { Command, Parameter, Path, Reply } from './types';

/** Where the client is. */
export type ClientState = 'greeting' | 'hello' | 'ready' | 'transaction' | 'data' | 'auth' | 'starttls' | 'closed';

/**
 * The server's greeting: 220 (any 2xx is taken as one), or a refusal (554, 421, any other code),
 * which is followed by a `closed` event.
 */
export interface ClientGreetingEvent {
  readonly type: 'greeting';
  readonly reply: Reply;
}
/** EHLO/LHLO succeeded (capabilities) or HELO fallback succeeded (capabilities null). */
export interface ClientReadyEvent {
  readonly type: 'ready';
  readonly capabilities: Capabilities | null;
}
/** Every reply, with the command it answers (null for the greeting and unsolicited replies). */
export interface ClientReplyEvent {
  readonly type: 'reply';
  readonly command: Command | null;
  readonly reply: Reply;
}
/** The outcome for one recipient: the RCPT reply, and in LMTP the per-recipient reply after the body. */
export interface ClientRecipientEvent {
  readonly type: 'recipient';
  readonly to: Path;
  readonly accepted: boolean;
  readonly reply: Reply;
  /** `'rcpt'` for the RCPT reply, `'delivery'` for an LMTP reply after the body. */
  readonly stage: 'rcpt' | 'delivery';
}
/** The transaction ended: the message was accepted (by at least one recipient in LMTP) or refused. */
export interface ClientMessageEvent {
  readonly type: 'message';
  readonly accepted: boolean;
  /** Final reply (SMTP) or the last per-recipient reply (LMTP); for a refusal before the body, the refusing reply. */
  readonly reply: Reply;
  /** Recipients the server accepted for delivery. */
  readonly acceptedRecipients: readonly Path[];
}
/** AUTH finished. */
export interface ClientAuthEvent {
  readonly type: 'auth';
  readonly success: boolean;
  readonly reply: Reply;
}
/** The server said 220 to STARTTLS: wrap the socket in TLS, then call `tlsEstablished()`. */
export interface ClientStartTlsEvent {
  readonly type: 'starttls';
}
/**
 * The session is over: 221 after QUIT, a 421, a refusing greeting; with `reply` null, the end of
 * the stream, or a reply it could not read while commands were waiting (after which no reply
 * can be matched to its command).
 */
export interface ClientClosedEvent {
  readonly type: 'closed';
  readonly reply: Reply | null;
}
/** A bad reply stream, or a reply nobody asked for. */
export interface ClientErrorEvent {
  readonly type: 'error';
  readonly error: ProtocolError;
}

/** Everything a {@link ClientSession} reports. */
export type ClientEvent =
  | ClientGreetingEvent
  | ClientReadyEvent
  | ClientReplyEvent
  | ClientRecipientEvent
  | ClientMessageEvent
  | ClientAuthEvent
  | ClientStartTlsEvent
  | ClientClosedEvent
  | ClientErrorEvent;

/** Options of {@link ClientSession}. */
export interface ClientSessionOptions {
  /** The client's host name for EHLO/HELO/LHLO. */
  readonly domain: string;
  /** Speak LMTP (RFC 2033). Default false. */
  readonly lmtp?: boolean;
  /** Pipeline when the server offers PIPELINING. Default true. */
  readonly pipelining?: boolean;
  /** Send bodies with BDAT when the server offers CHUNKING. Default false (DATA). */
  readonly chunking?: boolean;
  /** Reply parser options. */
  readonly parser?: ReplyParserOptions;
}

/** A message envelope for {@link ClientSession.sendMail}. */
export interface Envelope {
  /** Reverse-path; null or '' for `<>`. A string is split at its last "@". */
  readonly from: Path | string | null;
  /** Forward-paths. */
  readonly to: readonly (Path | string)[];
  /** MAIL parameters (SIZE, BODY, SMTPUTF8, RET, ENVID ...). */
  readonly mailParams?: readonly Parameter[];
  /** RCPT parameters for every recipient (NOTIFY, ORCPT ...). */
  readonly rcptParams?: readonly Parameter[];
}

/** SASL credentials for {@link ClientSession.authenticate}. */
export type Credentials =
  | { readonly mechanism: 'PLAIN'; readonly user: string; readonly password: string; readonly authzid?: string }
  | { readonly mechanism: 'LOGIN'; readonly user: string; readonly password: string }
  | { readonly mechanism: 'XOAUTH2'; readonly user: string; readonly accessToken: string };

type Kind = 'hello' | 'helo-fallback' | 'mail' | 'rcpt' | 'data' | 'body' | 'bdat' | 'auth' | 'starttls' | 'rset' | 'quit' | 'other';
interface Sent {
  readonly kind: Kind;
  readonly command: Command | null;
  readonly to?: Path;
  readonly last?: boolean;
  /** BDAT: the chunk that follows the command line. */
  readonly payload?: Uint8Array;
}

function toPath(p: Path | string): Path {
  if (typeof p !== 'string') return p;
  const at = p.lastIndexOf('@');
  return at < 0 ? makePath(p, '') : makePath(p.slice(0, at), p.slice(at + 1));
}

/**
 * A client-side SMTP/LMTP session.
 *
 * @example
 * ```ts
 * import { smtp } from 'mailwire';
 * const c = new smtp.ClientSession({ domain: 'client.example' });
 * c.receive(new TextEncoder().encode('220 mx.example ESMTP\r\n')); // greeting; EHLO is queued
 * c.takeOutput(); // [ "EHLO client.example\r\n" ]
 * ```
 */
export class ClientSession {
  private readonly opts: ClientSessionOptions;
  private parser: ReplyParser;
  private readonly out = new OutputQueue();
  private readonly inflight: Sent[] = [];
  /** Commands held back until the server has answered the previous one (no PIPELINING). */
  private readonly outbox: Sent[] = [];
  private _state: ClientState = 'greeting';
  private caps: Capabilities | null = null;
  private accepted: Path[] = [];
  private lmtpWaiting: Path[] = [];
  private delivered: Path[] = [];
  private bodyQueue: Uint8Array[] = [];
  private bodyEnded = false;
  private dataOpen = false;
  private dot = new DotEncoder();
  private authSteps: Uint8Array[] = [];
  private txFailed: Reply | null = null;
  private useBdat = false;

  constructor(options: ClientSessionOptions) {
    this.opts = options;
    this.parser = new ReplyParser(options.parser);
  }

  /** Current state. */
  get state(): ClientState {
    return this._state;
  }

  /** Capabilities from the last EHLO/LHLO, or null. */
  get capabilities(): Capabilities | null {
    return this.caps;
  }

  /** Drains the bytes to write to the server. */
  takeOutput(): Uint8Array[] {
    return this.out.take();
  }

  /** Feeds bytes from the server; returns events in order. */
  receive(chunk: Uint8Array): ClientEvent[] {
    const events: ClientEvent[] = [];
    for (const it of this.parser.push(chunk)) {
      if (it.type === 'error') {
        events.push(it);
        if (this.inflight.length > 0 && this._state !== 'closed') {
          // A reply that cannot be read answers some command, but with what is unknown, and
          // skipping it would match every later reply to the wrong command (under pipelining a
          // RCPT's reply read as MAIL's, DATA's as RCPT's). The session gives up, as after 421.
          this.close(null, events);
        }
      } else {
        this.onReply(it.reply, events);
        if (this._state !== 'closed') this.flushOutbox();
      }
    }
    return events;
  }

  /** End of the server's stream. */
  end(): ClientEvent[] {
    const events: ClientEvent[] = [];
    for (const it of this.parser.end()) if (it.type === 'error') events.push(it);
    if (this._state !== 'closed') {
      if (this.inflight.length > 0) events.push({ type: 'error', error: new ProtocolError('TRUNCATED', `connection closed with ${this.inflight.length} command(s) unanswered`) });
      this._state = 'closed';
      events.push({ type: 'closed', reply: null });
    }
    return events;
  }

  /** Asks for STARTTLS (RFC 3207). After the `starttls` event, wrap the socket and call {@link tlsEstablished}. */
  startTls(): void {
    this.requireReady('STARTTLS');
    this._state = 'starttls';
    this.send({ kind: 'starttls', command: { verb: 'STARTTLS' } });
  }

  /** TLS is up: the session forgets what it knew (RFC 3207 4.2) and says EHLO again. */
  tlsEstablished(): void {
    if (this._state !== 'starttls') throw new Error('tlsEstablished() without a STARTTLS 220');
    this.caps = null;
    this.parser = new ReplyParser(this.opts.parser);
    this.hello();
  }

  /** Authenticates (RFC 4954); uses an initial response for PLAIN and XOAUTH2. Result arrives as an `auth` event. */
  authenticate(creds: Credentials): void {
    this.requireReady('AUTH');
    this._state = 'auth';
    if (creds.mechanism === 'LOGIN') {
      this.authSteps = [...saslLogin(creds.user, creds.password)];
      this.send({ kind: 'auth', command: { verb: 'AUTH', mechanism: 'LOGIN', initialResponse: null } });
      return;
    }
    const ir = creds.mechanism === 'PLAIN' ? saslPlain(creds.user, creds.password, creds.authzid) : saslXOAuth2(creds.user, creds.accessToken);
    this.authSteps = [];
    this.send({ kind: 'auth', command: { verb: 'AUTH', mechanism: creds.mechanism, initialResponse: encodeInitialResponse(ir) } });
  }

  /**
   * Starts a transaction: MAIL, one RCPT per recipient, then DATA (or BDAT). With PIPELINING
   * they go out together. Write the body with {@link writeBody} and finish with {@link endBody}
   * (before or after the server's replies: bytes are held until the body may be sent).
   */
  sendMail(envelope: Envelope): void {
    this.requireReady('MAIL');
    const to = envelope.to.map(toPath);
    if (to.length === 0) throw new TypeError('sendMail needs at least one recipient');
    const from = envelope.from === null || envelope.from === '' ? null : toPath(envelope.from);
    this._state = 'transaction';
    this.accepted = [];
    this.lmtpWaiting = [];
    this.bodyQueue = [];
    this.bodyEnded = false;
    this.dataOpen = false;
    this.txFailed = null;
    this.dot = new DotEncoder();
    this.useBdat = (this.opts.chunking ?? false) && (this.caps?.chunking ?? false);
    this.send({ kind: 'mail', command: { verb: 'MAIL', from, params: envelope.mailParams ?? [] } });
    for (const t of to) this.send({ kind: 'rcpt', command: { verb: 'RCPT', to: t, params: envelope.rcptParams ?? [] }, to: t });
    if (!this.useBdat) this.send({ kind: 'data', command: { verb: 'DATA' } });
  }

  /** Queues body bytes (any line endings: they are normalised to CRLF, then dot-stuffed for DATA). */
  writeBody(chunk: Uint8Array): void {
    if (this._state !== 'transaction' && this._state !== 'data') throw new Error('writeBody() outside a transaction');
    if (this.bodyEnded) throw new Error('writeBody() after endBody()');
    if (this.useBdat) {
      if (chunk.length > 0) this.sendBdat(chunk, false);
      return;
    }
    if (this.dataOpen) this.out.push(this.dot.encode(chunk));
    else this.bodyQueue.push(chunk);
  }

  /** Ends the body (DATA: CRLF.CRLF; BDAT: `BDAT 0 LAST`). */
  endBody(): void {
    if (this._state !== 'transaction' && this._state !== 'data') throw new Error('endBody() outside a transaction');
    this.bodyEnded = true;
    if (this.useBdat) this.sendBdat(new Uint8Array(0), true);
    else if (this.dataOpen) this.finishData();
  }

  /** Sends RSET (abandons a transaction). */
  rset(): void {
    this.send({ kind: 'rset', command: { verb: 'RSET' } });
    this._state = 'ready';
  }

  /** Sends NOOP. */
  noop(): void {
    this.send({ kind: 'other', command: { verb: 'NOOP', argument: null } });
  }

  /** Sends any command; its reply arrives as a `reply` event. */
  sendCommand(command: Command): void {
    this.send({ kind: 'other', command });
  }

  /** Sends QUIT. */
  quit(): void {
    if (this._state === 'closed') return;
    this.send({ kind: 'quit', command: { verb: 'QUIT' } });
  }

  private requireReady(what: string): void {
    if (this._state !== 'ready') throw new Error(`${what} needs the session to be ready (state is ${this._state})`);
  }

  private pipelining(): boolean {
    return (this.opts.pipelining ?? true) && (this.caps?.pipelining ?? false) || (this.opts.lmtp ?? false) && (this.opts.pipelining ?? true);
  }

  private send(s: Sent): void {
    // Encode now so that an unsafe value throws at the caller, not later.
    const line = s.command ? encodeCommand(s.command) : '';
    if (this.inflight.length > 0 && (!this.pipelining() || this.outbox.length > 0)) {
      this.outbox.push(s);
      return;
    }
    this.write(s, line);
  }

  private write(s: Sent, line: string): void {
    this.inflight.push(s);
    if (line !== '') this.out.pushText(line);
    if (s.payload) this.out.push(s.payload);
  }

  /** After a reply: release held commands (one at a time without PIPELINING, the rest with it). */
  private flushOutbox(): void {
    while (this.outbox.length > 0 && (this.inflight.length === 0 || this.pipelining())) {
      const s = this.outbox.shift()!;
      this.write(s, s.command ? encodeCommand(s.command) : '');
      if (!this.pipelining()) break;
    }
  }

  private sendBdat(chunk: Uint8Array, last: boolean): void {
    this.send({ kind: 'bdat', command: { verb: 'BDAT', size: chunk.length, last }, last, payload: chunk });
  }

  private hello(): void {
    this._state = 'hello';
    this.send({ kind: 'hello', command: { verb: this.opts.lmtp ? 'LHLO' : 'EHLO', domain: this.opts.domain } });
  }

  private finishData(): void {
    for (const c of this.bodyQueue) this.out.push(this.dot.encode(c));
    this.bodyQueue = [];
    this.out.push(this.dot.end());
    this.inflight.push({ kind: 'body', command: null });
    if (this.opts.lmtp) {
      this.lmtpWaiting = [...this.accepted];
      this.delivered = [];
    }
  }

  /** Ends the session: nothing waits for a reply any more and nothing more is sent. */
  private close(reply: Reply | null, events: ClientEvent[]): void {
    this._state = 'closed';
    this.inflight.length = 0;
    this.outbox.length = 0;
    events.push({ type: 'closed', reply });
  }

  private onReply(reply: Reply, events: ClientEvent[]): void {
    if (this._state === 'closed') {
      events.push({ type: 'error', error: new ProtocolError('UNEXPECTED', `reply ${reply.code} after the session closed`) });
      return;
    }
    if (this._state === 'greeting') {
      events.push({ type: 'greeting', reply }, { type: 'reply', command: null, reply });
      // RFC 5321 3.1: 220, or 554 to refuse service (421 when shutting down). Any other 2xx is
      // read as a greeting; any other code refuses too, rather than leaving the session waiting.
      if (reply.code >= 200 && reply.code < 300) this.hello();
      else this.close(reply, events);
      return;
    }
    // LMTP: after the body, one reply per accepted recipient (RFC 2033 4.2).
    const head = this.inflight[0];
    if (head === undefined) {
      if (reply.code === 421) {
        events.push({ type: 'reply', command: null, reply });
        this.close(reply, events);
        return;
      }
      events.push({ type: 'error', error: new ProtocolError('UNEXPECTED', `reply ${reply.code} with no command waiting`) });
      return;
    }
    if (head.kind === 'body' && this.opts.lmtp && this.lmtpWaiting.length > 0) {
      const to = this.lmtpWaiting.shift()!;
      const ok = reply.code >= 200 && reply.code < 300;
      events.push({ type: 'reply', command: null, reply }, { type: 'recipient', to, accepted: ok, reply, stage: 'delivery' });
      if (ok) this.delivered.push(to);
      if (this.lmtpWaiting.length === 0) {
        this.inflight.shift();
        events.push({ type: 'message', accepted: this.delivered.length > 0, reply, acceptedRecipients: [...this.delivered] });
        this._state = 'ready';
      }
      return;
    }
    this.inflight.shift();
    events.push({ type: 'reply', command: head.command, reply });
    const ok = reply.code >= 200 && reply.code < 300;
    if (reply.code === 421) {
      this.close(reply, events);
      return;
    }
    switch (head.kind) {
      case 'hello':
        if (ok) {
          this.caps = parseCapabilities(reply);
          this._state = 'ready';
          events.push({ type: 'ready', capabilities: this.caps });
        } else if (!this.opts.lmtp && (reply.code === 500 || reply.code === 502 || reply.code === 504 || reply.code === 550)) {
          // RFC 5321 3.2: an old server that does not know EHLO; fall back to HELO.
          this.send({ kind: 'helo-fallback', command: { verb: 'HELO', domain: this.opts.domain } });
        } else events.push({ type: 'error', error: new ProtocolError('UNEXPECTED', `server refused ${this.opts.lmtp ? 'LHLO' : 'EHLO'}: ${reply.code}`) });
        break;
      case 'helo-fallback':
        if (ok) {
          this.caps = null;
          this._state = 'ready';
          events.push({ type: 'ready', capabilities: null });
        } else events.push({ type: 'error', error: new ProtocolError('UNEXPECTED', `server refused HELO: ${reply.code}`) });
        break;
      case 'starttls':
        if (reply.code === 220) events.push({ type: 'starttls' });
        else this._state = 'ready';
        break;
      case 'auth':
        this.onAuthReply(reply, events);
        break;
      case 'mail':
        if (!ok) this.txFailed = reply;
        break;
      case 'rcpt':
        if (ok && this.txFailed === null) this.accepted.push(head.to!);
        events.push({ type: 'recipient', to: head.to!, accepted: ok && this.txFailed === null, reply, stage: 'rcpt' });
        break;
      case 'data':
        if (reply.code === 354) {
          if (this.txFailed !== null || this.accepted.length === 0) {
            // Pipelined DATA accepted although nothing can be delivered: send an empty body to get back in sync.
            this.bodyQueue = [];
            this.out.push(this.dot.end());
            this.inflight.push({ kind: 'body', command: null });
            this.lmtpWaiting = [];
            this.txFailed ??= reply;
            break;
          }
          this._state = 'data';
          this.dataOpen = true;
          if (this.bodyEnded) this.finishData();
          else {
            for (const c of this.bodyQueue) this.out.push(this.dot.encode(c));
            this.bodyQueue = [];
          }
        } else {
          events.push({ type: 'message', accepted: false, reply: this.txFailed ?? reply, acceptedRecipients: [] });
          this._state = 'ready';
          // DATA refused (RFC 5321 4.1.1.4: e.g. 554 with no valid recipients) does not end the
          // transaction the server opened with MAIL: reset it so the next MAIL is not "nested".
          if (this.txFailed === null) this.send({ kind: 'rset', command: { verb: 'RSET' } });
        }
        break;
      case 'body':
        events.push({ type: 'message', accepted: ok && this.txFailed === null, reply: this.txFailed ?? reply, acceptedRecipients: ok ? [...this.accepted] : [] });
        this._state = 'ready';
        break;
      case 'bdat':
        if (!ok) this.txFailed ??= reply;
        if (head.last) {
          if (this.opts.lmtp && ok && this.txFailed === null && this.accepted.length > 1) {
            // The first per-recipient reply was this one; the rest follow.
            this.lmtpWaiting = this.accepted.slice(1);
            this.delivered = [this.accepted[0]!];
            events.push({ type: 'recipient', to: this.accepted[0]!, accepted: true, reply, stage: 'delivery' });
            this.inflight.unshift({ kind: 'body', command: null });
            break;
          }
          events.push({ type: 'message', accepted: ok && this.txFailed === null && this.accepted.length > 0, reply: this.txFailed ?? reply, acceptedRecipients: ok ? [...this.accepted] : [] });
          this._state = 'ready';
        }
        break;
      case 'rset':
        this._state = 'ready';
        break;
      case 'quit':
        this.close(reply, events);
        break;
      case 'other':
        break;
    }
  }

  private onAuthReply(reply: Reply, events: ClientEvent[]): void {
    if (reply.code === 334) {
      // A challenge: answer with the next prepared response, or cancel when we have none (RFC 4954 4).
      const next = this.authSteps.shift();
      const challenge = decodeSaslLine(reply.lines[0] ?? '');
      if (next === undefined || challenge instanceof ProtocolError) {
        this.out.pushText(`${SASL_CANCEL}\r\n`);
      } else this.out.pushText(`${encodeSaslResponse(next)}\r\n`);
      this.inflight.unshift({ kind: 'auth', command: null });
      return;
    }
    this._state = 'ready';
    events.push({ type: 'auth', success: reply.code === 235, reply });
  }
}
