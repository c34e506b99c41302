/**
 * SMTP/LMTP client session (RFC 5321 3-4, RFC 1869 EHLO with HELO fallback, RFC 2920
 * pipelining, RFC 3030 BDAT, RFC 3207 STARTTLS, RFC 4954 AUTH, RFC 2033 LMTP): turns
 * intents into command bytes, correlates replies with the commands they answer, and reports
 * per-recipient results. No I/O.
 *
 * @packageDocumentation
 */

import { LF, isAsciiBytes, isAsciiString } from '../core/bytes';
import { ProtocolError, errorItem } from '../core/errors';
import { DotEncoder } from '../core/dot-stuffing';
import { OutputQueue } from '../core/output-queue';
import { Pipeline } from '../core/pipeline';
import { encodeInitialResponse } from '../core/sasl';
import { SaslClientExchange, type SaslCredentials } from '../core/sasl-client';
import type { OAuthError } from '../core/sasl-mechanisms';
import { makePath } from './address';
import { parseCapabilities, type Capabilities } from './capabilities';
import { encodeCommand } from './command';
import { extensionOfParameter } from './extension-parameters';
import { encodeMailParameters, encodeRcptParameters, type MailParameters, type RcptParameters } from './parameters';
import { ReplyParser, type ReplyParserItem, type ReplyParserOptions } from './parser';
import type { Command, Parameter, Path, Reply } from './types';

/** Where the client is. */
export type ClientState = 'greeting' | 'hello' | 'ready' | 'transaction' | 'data' | 'auth' | 'starttls' | 'closed';

/**
 * The server's greeting: 220 (any 2xx is taken as one), or a refusal (554, 421, any other code),
 * which is followed by a `closed` event. A greeting that cannot be read (`220-...` then `250 ...`)
 * is an `error` event followed by `closed`.
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
/**
 * Returned by {@link ClientSession.writeBody} and {@link ClientSession.endBody} called after the
 * transaction ended without taking the body (every recipient refused, DATA refused, MAIL
 * refused, the connection closed): nothing was written, nothing will be. `octets` is the length
 * of the chunk that was discarded (0 for `endBody()`); `reply` is the refusing reply, or null when
 * the session closed.
 */
export interface ClientBodyDiscardedEvent {
  readonly type: 'body-discarded';
  readonly octets: number;
  readonly reply: Reply | null;
}
/** AUTH finished. */
export interface ClientAuthEvent {
  readonly type: 'auth';
  readonly success: boolean;
  readonly reply: Reply;
}
/**
 * A 334 challenge of an AUTH the application runs (`authenticate({ mechanism: 'CRAM-MD5' })`):
 * base64-decoded, null when it was not valid base64. Answer with {@link ClientSession.saslRespond}.
 */
export interface ClientSaslChallengeEvent {
  readonly type: 'sasl-challenge';
  readonly challenge: Uint8Array | null;
}
/**
 * XOAUTH2 / OAUTHBEARER: the server's error challenge after the token (RFC 7628 3.2.2), decoded.
 * The session has already sent the response the mechanism requires to finish (XOAUTH2: an
 * empty line; OAUTHBEARER: `AQ==`, a single ^A); the `auth` event with the failure reply follows.
 */
export interface ClientOAuthErrorEvent {
  readonly type: 'oauth-error';
  readonly oauth: OAuthError;
}
/**
 * The server said 220 to STARTTLS: wrap the socket in TLS, then call `tlsEstablished()`. Until
 * then nothing is written, and any bytes passed to `receive()` (or that came in the same read
 * after the 220) are dropped unread and reported as one `UNEXPECTED` error.
 */
export interface ClientStartTlsEvent {
  readonly type: 'starttls';
}
/**
 * The server refused STARTTLS (454, 502 ...). The commands the application queued behind it were
 * meant for a TLS connection: they are dropped, not sent in clear text (a man in the middle can
 * refuse STARTTLS to strip it), and listed in `dropped`. The session is ready again.
 */
export interface ClientStartTlsRefusedEvent {
  readonly type: 'starttls-refused';
  readonly reply: Reply;
  readonly dropped: readonly Command[];
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
  | ClientBodyDiscardedEvent
  | ClientAuthEvent
  | ClientSaslChallengeEvent
  | ClientOAuthErrorEvent
  | ClientStartTlsEvent
  | ClientStartTlsRefusedEvent
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
  /** MAIL parameters (SIZE, RET, ENVID ...). SMTPUTF8 and BODY are added by the session when needed. */
  readonly mailParams?: readonly Parameter[];
  /** RCPT parameters for every recipient (NOTIFY, ORCPT ...). */
  readonly rcptParams?: readonly Parameter[];
  /** Typed MAIL parameters (MTRK, SUBMITTER, SOLICIT, TRANSID ...), written after `mailParams` by {@link encodeMailParameters}. */
  readonly mail?: MailParameters;
  /** Typed RCPT parameters for every recipient (NOTIFY, ORCPT, CONNEG ...), written after `rcptParams`. */
  readonly rcpt?: RcptParameters;
  /**
   * The message needs SMTPUTF8 (RFC 6531: UTF-8 in its header fields). A non-ASCII address in
   * the envelope needs it anyway; the session adds `SMTPUTF8` to MAIL by itself.
   */
  readonly smtputf8?: boolean;
  /** The body's type: `8BITMIME` adds `BODY=8BITMIME` (RFC 6152). Default: none said. */
  readonly body?: '7BIT' | '8BITMIME';
}

/**
 * SASL credentials for {@link ClientSession.authenticate}: PLAIN, LOGIN, XOAUTH2 and OAUTHBEARER
 * are run by the session; any other mechanism (`{ mechanism: 'CRAM-MD5' }`, with an optional
 * `initialResponse`) by the application through `sasl-challenge` events and
 * {@link ClientSession.saslRespond}.
 */
export type Credentials = SaslCredentials;

type Kind = 'hello' | 'helo-fallback' | 'mail' | 'rcpt' | 'data' | 'body' | 'bdat' | 'auth' | 'starttls' | 'rset' | 'quit' | 'other';
interface Sent {
  readonly kind: Kind;
  readonly command: Command | null;
  /** The command line, encoded when it was queued (so an unsafe value throws at the caller). */
  readonly line: string;
  readonly to?: Path;
  readonly last?: boolean;
  /** BDAT: the chunk that follows the command line. */
  readonly payload?: Uint8Array;
}

/** Whether MAIL parameters declare a body that may carry octets >= 0x80 (RFC 6152, RFC 3030, RFC 6531 3.6). */
function declaresEightBit(params: readonly Parameter[]): boolean {
  return params.some((p) => {
    const k = p.keyword.toUpperCase();
    const v = p.value?.toUpperCase();
    return k === 'SMTPUTF8' || (k === 'BODY' && (v === '8BITMIME' || v === 'BINARYMIME'));
  });
}

function toPath(p: Path | string): Path {
  if (typeof p !== 'string') return p;
  const at = p.lastIndexOf('@');
  return at < 0 ? makePath(p, '') : makePath(p.slice(0, at), p.slice(at + 1));
}

/** Hold reasons of the pipeline. */
const HOLD_GREETING = 'greeting';
const HOLD_TLS = 'tls';
const HOLD_BODY = 'body';
const HOLD_CLOSED = 'closed';

/**
 * A client-side SMTP/LMTP session.
 *
 * Commands go through one pipeline (`core/pipeline.ts`): with PIPELINING they go out together,
 * except behind a hold point, after which nothing is written until it is answered: EHLO/LHLO,
 * AUTH (RFC 4954 ends a pipeline group there), DATA, STARTTLS (held further until
 * {@link ClientSession.tlsEstablished}).
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
  private readonly pipeline: Pipeline<Sent>;
  private _state: ClientState = 'greeting';
  private caps: Capabilities | null = null;
  private accepted: Path[] = [];
  private lmtpWaiting: Path[] = [];
  private delivered: Path[] = [];
  private bodyQueue: Uint8Array[] = [];
  /** Between sendMail() and endBody(). */
  private bodyOpen = false;
  private bodyEnded = false;
  private dataOpen = false;
  /** The transaction ended without the body: later writes are discarded (reply null: the session closed). */
  private bodyRefused: { reply: Reply | null } | null = null;
  private dot = new DotEncoder();
  private sasl: SaslClientExchange | null = null;
  private txFailed: Reply | null = null;
  /** The last RCPT refusal of the transaction (the reason when none was accepted). */
  private rcptRefused: Reply | null = null;
  private useBdat = false;
  /** The transaction's MAIL declared a body that may hold 8-bit octets (BODY=8BITMIME, BODY=BINARYMIME, SMTPUTF8). */
  private eightBit = false;
  /** Between the 220 to STARTTLS and tlsEstablished(). */
  private tlsPending = false;

  /** Throws a TypeError when `domain` cannot go in EHLO (not a domain or address literal, or not ASCII: RFC 6531 3.7.1 wants A-labels). */
  constructor(options: ClientSessionOptions) {
    encodeCommand({ verb: options.lmtp ? 'LHLO' : 'EHLO', domain: options.domain });
    this.opts = options;
    this.parser = new ReplyParser(options.parser);
    this.pipeline = new Pipeline<Sent>({
      write: (s) => {
        if (s.line !== '') this.out.pushText(s.line);
        if (s.payload) this.out.push(s.payload);
      },
      pipelining: () => this.pipelining(),
    });
    this.pipeline.hold(HOLD_GREETING);
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

  /**
   * Feeds bytes from the server; returns events in order. Never throws. Between the `starttls`
   * event and {@link tlsEstablished}, bytes are dropped unread (one `UNEXPECTED` error event).
   * A reply that began before the command it would answer was written (while none was in
   * flight) is an `UNEXPECTED` error event, dropped, never matched to a command queued since
   * (a 421 still closes). Nothing is written before the greeting.
   */
  receive(chunk: Uint8Array): ClientEvent[] {
    const events: ClientEvent[] = [];
    if (this.tlsPending) {
      this.dropClearText(chunk.length, events);
      return events;
    }
    let from = 0;
    do {
      // While a STARTTLS is queued or waits for its 220, read one line at a time: the bytes after
      // the 220 in the same read must never reach the parser (they are clear text injected before
      // the handshake, CVE-2011-0411 class).
      let to = chunk.length;
      if (this.pipeline.has((s) => s.kind === 'starttls')) {
        const lf = chunk.indexOf(LF, from);
        if (lf >= 0) to = lf + 1;
      }
      const piece = from === 0 && to === chunk.length ? chunk : chunk.subarray(from, to);
      from = to;
      for (const it of this.parser.push(piece)) {
        // (With no command in flight at all the reply is reported below, as always.)
        if (this.pipeline.takeStray() && this.pipeline.head !== undefined) {
          this.onStray(it, events);
          continue;
        }
        if (it.type === 'error') {
          events.push(it);
          // A reply that cannot be read answers some command (or is the greeting), but with what is
          // unknown, and skipping it would match every later reply to the wrong command (under
          // pipelining a RCPT's reply read as MAIL's, DATA's as RCPT's). The session gives up, as
          // after 421; a garbled greeting leaves nothing to wait for either.
          if (this._state !== 'closed' && (this.pipeline.inFlight > 0 || this._state === 'greeting')) this.close(null, events);
        } else {
          this.onReply(it.reply, events);
          if (this._state !== 'closed') this.pipeline.flush();
        }
      }
      if (this.tlsPending) {
        this.dropClearText(chunk.length - from, events);
        return events;
      }
    } while (from < chunk.length);
    // A reply begun now can answer only the commands written so far (core/pipeline.ts AnswerFence).
    this.pipeline.readEnded(this._state !== 'greeting' && this._state !== 'closed' && this.parser.partial);
    return events;
  }

  /**
   * A reply that began before any command it could answer was written (while none was in
   * flight): it answers nothing the client said, so it is dropped with one `UNEXPECTED` error,
   * never matched to a command queued meanwhile. A 421 still ends the session (RFC 5321 3.8).
   */
  private onStray(it: ReplyParserItem, events: ClientEvent[]): void {
    if (it.type === 'error') {
      events.push(it);
      return;
    }
    if (it.reply.code === 421 && this._state !== 'closed') {
      events.push({ type: 'reply', command: null, reply: it.reply });
      this.close(it.reply, events);
      return;
    }
    events.push(errorItem(new ProtocolError('UNEXPECTED', `reply ${it.reply.code} began before the command it would answer was written: dropped`)));
  }

  /** End of the server's stream. */
  end(): ClientEvent[] {
    const events: ClientEvent[] = [];
    if (!this.tlsPending) for (const it of this.parser.end()) if (it.type === 'error') events.push(it);
    if (this._state !== 'closed') {
      const unanswered = this.pipeline.inFlight;
      if (unanswered > 0) events.push(errorItem(new ProtocolError('TRUNCATED', `connection closed with ${unanswered} command(s) unanswered`)));
      this.close(null, events);
    }
    return events;
  }

  /**
   * Asks for STARTTLS (RFC 3207). Nothing queued after it is written before TLS is up. After the
   * `starttls` event, wrap the socket and call {@link tlsEstablished}.
   */
  startTls(): void {
    if (!this.requireReady('STARTTLS')) return;
    this._state = 'starttls';
    this.send({ kind: 'starttls', command: { verb: 'STARTTLS' } });
  }

  /**
   * TLS is up: the session forgets what it knew (RFC 3207 4.2), says EHLO again, and only then
   * releases the commands queued behind STARTTLS. Throws when no `starttls` event is waiting for it.
   */
  tlsEstablished(): void {
    if (!this.tlsPending) {
      if (this._state === 'closed') return;
      throw new Error('tlsEstablished() without a STARTTLS 220');
    }
    this.tlsPending = false;
    this.caps = null;
    this.parser = new ReplyParser(this.opts.parser);
    this.pipeline.readEnded(false);
    this.hello();
    this.pipeline.release(HOLD_TLS);
  }

  /**
   * Authenticates (RFC 4954). Given their secrets, the session runs PLAIN, LOGIN, CRAM-MD5,
   * SCRAM-SHA-1/-256 (and -PLUS with channel binding data; the server's signature is checked
   * and a wrong one cancels the exchange), XOAUTH2, OAUTHBEARER, EXTERNAL and ANONYMOUS itself.
   * Any other mechanism (`{ mechanism, initialResponse? }`) is run by the application: each 334
   * challenge comes as a `sasl-challenge` event, answered with {@link saslRespond}. The result arrives as an `auth` event. Nothing
   * queued after AUTH is written before its final reply.
   */
  authenticate(creds: Credentials): void {
    if (!this.requireReady('AUTH')) return;
    const x = new SaslClientExchange(creds);
    const ir = x.initialResponse === null ? null : encodeInitialResponse(x.initialResponse);
    this.send({ kind: 'auth', command: { verb: 'AUTH', mechanism: x.mechanism, initialResponse: ir } });
    this.sasl = x;
    this._state = 'auth';
  }

  /**
   * Answers the `sasl-challenge` of an AUTH the application runs: the response goes out base64
   * encoded; null cancels (`*`, RFC 4954 4). After the exchange ended (the final reply came in
   * the same read as the challenge) it writes nothing. Throws when no such AUTH was ever started.
   */
  saslRespond(response: Uint8Array | null): void {
    if (this.sasl === null || !this.sasl.byApplication) throw new Error('saslRespond() without an AUTH run by the application');
    const line = this.sasl.respond(response);
    if (line !== null && this._state === 'auth') this.out.pushText(`${line}\r\n`);
  }

  /**
   * Starts a transaction: MAIL, one RCPT per recipient, then DATA (or BDAT). With PIPELINING
   * they go out together. Write the body with {@link writeBody} and finish with {@link endBody}
   * (before or after the server's replies: bytes are held until the body may be sent).
   *
   * A non-ASCII address (or `smtputf8: true`) adds `SMTPUTF8` to MAIL, `body: '8BITMIME'` adds
   * `BODY=8BITMIME`; when the server did not offer the extension, it throws a RangeError and
   * writes nothing (RFC 6531 3.4, RFC 6152 3: such a message must not be sent as is).
   */
  sendMail(envelope: Envelope): void {
    if (!this.requireReady('MAIL')) return;
    const to = envelope.to.map(toPath);
    if (to.length === 0) throw new TypeError('sendMail needs at least one recipient');
    const from = envelope.from === null || envelope.from === '' ? null : toPath(envelope.from);
    const params = this.mailParams(envelope, from, to);
    const mail: Sent = this.sent({ kind: 'mail', command: { verb: 'MAIL', from, params } });
    const rcptParams = this.offered([...(envelope.rcptParams ?? []), ...(envelope.rcpt === undefined ? [] : encodeRcptParameters(envelope.rcpt))]);
    const rcpts = to.map((t) => this.sent({ kind: 'rcpt', command: { verb: 'RCPT', to: t, params: rcptParams }, to: t }));
    // Everything is encoded: nothing has thrown, the transaction starts.
    this._state = 'transaction';
    this.accepted = [];
    this.lmtpWaiting = [];
    this.bodyQueue = [];
    this.bodyOpen = true;
    this.bodyEnded = false;
    this.bodyRefused = null;
    this.dataOpen = false;
    this.txFailed = null;
    this.rcptRefused = null;
    this.dot = new DotEncoder();
    this.useBdat = (this.opts.chunking ?? false) && (this.caps?.chunking ?? false);
    this.eightBit = declaresEightBit(params);
    this.pipeline.enqueue(mail);
    for (const r of rcpts) this.pipeline.enqueue(r);
    if (!this.useBdat) this.send({ kind: 'data', command: { verb: 'DATA' } });
  }

  /**
   * Queues body bytes. Any line ending is normalised to CRLF, then DATA bodies are dot-stuffed
   * (see {@link DotEncoder}): no chunk, however split, can put a fake end-of-data on the wire.
   * After the transaction ended without the body (all recipients refused, DATA refused, the
   * session closed) it writes nothing and returns a `body-discarded` event.
   *
   * A chunk with an octet >= 0x80 throws a RangeError, and nothing of it is written, unless
   * the transaction declared an 8-bit body in MAIL (`body: '8BITMIME'`, a BINARYMIME `BODY`
   * parameter, or SMTPUTF8: RFC 6531 3.6): without that the server agreed to 7-bit text only
   * (RFC 6152 3, RFC 5321 2.4). The session cannot declare it after the fact, since MAIL has
   * gone out before the body: say so in {@link sendMail}.
   */
  writeBody(chunk: Uint8Array): ClientEvent[] {
    if (!this.bodyOpen) throw new Error(this.bodyEnded ? 'writeBody() after endBody()' : 'writeBody() outside a transaction');
    if (!this.eightBit && !isAsciiBytes(chunk)) {
      throw new RangeError("a body octet >= 0x80, but MAIL declared no 8-bit body (RFC 6152): pass body: '8BITMIME' (or smtputf8: true) to sendMail(); nothing of this chunk was written");
    }
    if (this.bodyRefused) return [{ type: 'body-discarded', octets: chunk.length, reply: this.bodyRefused.reply }];
    if (this.useBdat) {
      if (chunk.length > 0) this.sendBdat(chunk, false);
      return [];
    }
    if (this.dataOpen) this.out.push(this.dot.encode(chunk));
    else this.bodyQueue.push(chunk);
    return [];
  }

  /**
   * Ends the body (DATA: CRLF.CRLF; BDAT: `BDAT 0 LAST`). After the transaction ended without
   * the body it writes nothing and returns a `body-discarded` event.
   */
  endBody(): ClientEvent[] {
    if (!this.bodyOpen) throw new Error(this.bodyEnded ? 'endBody() called twice' : 'endBody() outside a transaction');
    this.bodyOpen = false;
    this.bodyEnded = true;
    if (this.bodyRefused) return [{ type: 'body-discarded', octets: 0, reply: this.bodyRefused.reply }];
    if (this.useBdat) this.sendBdat(new Uint8Array(0), true);
    else if (this.dataOpen) this.finishData();
    return [];
  }

  /** Sends RSET (abandons a transaction). */
  rset(): void {
    if (this._state === 'closed') return;
    this.send({ kind: 'rset', command: { verb: 'RSET' } });
    this._state = 'ready';
  }

  /** Sends NOOP. */
  noop(): void {
    this.send({ kind: 'other', command: { verb: 'NOOP', argument: null } });
  }

  /**
   * Sends any command; its reply arrives as a `reply` event. A STARTTLS sent this way runs as
   * {@link startTls} does (hold, `starttls` event, {@link tlsEstablished}).
   */
  sendCommand(command: Command): void {
    if (command.verb === 'STARTTLS') {
      this.startTls();
      return;
    }
    this.send({ kind: 'other', command });
  }

  /** Sends QUIT. */
  quit(): void {
    this.send({ kind: 'quit', command: { verb: 'QUIT' } });
  }

  /**
   * Whether a command that needs the ready state may go. After the session closed the call is
   * a no-op (the `closed` event may have come in the same read as the one that invited the call);
   * in any other state it is a mistake and throws.
   */
  private requireReady(what: string): boolean {
    if (this._state === 'closed') return false;
    if (this._state !== 'ready') throw new Error(`${what} needs the session to be ready (state is ${this._state})`);
    return true;
  }

  private pipelining(): boolean {
    return ((this.opts.pipelining ?? true) && (this.caps?.pipelining ?? false)) || ((this.opts.lmtp ?? false) && (this.opts.pipelining ?? true));
  }

  /** The parameters, after checking that the server offers the extension of each MTRK, SUBMITTER ... (RangeError otherwise). */
  private offered(params: Parameter[]): Parameter[] {
    for (const p of params) {
      const ext = extensionOfParameter(p.keyword);
      if (ext !== null && !(this.caps?.extensions.some((e) => e.keyword === ext) ?? false)) throw new RangeError(`the server does not offer ${ext}, which ${p.keyword} needs: not sent`);
    }
    return params;
  }

  /** MAIL parameters with SMTPUTF8 / BODY=8BITMIME added when needed; throws RangeError when the server lacks them. */
  private mailParams(envelope: Envelope, from: Path | null, to: readonly Path[]): Parameter[] {
    const params = this.offered([...(envelope.mailParams ?? []), ...(envelope.mail === undefined ? [] : encodeMailParameters(envelope.mail))]);
    const has = (k: string): Parameter | undefined => params.find((p) => p.keyword.toUpperCase() === k);
    const nonAscii = [from, ...to].some((p) => p !== null && !isAsciiString(p.address));
    if ((envelope.smtputf8 === true || nonAscii) && !has('SMTPUTF8')) params.push({ keyword: 'SMTPUTF8', value: null });
    if (envelope.body !== undefined && !has('BODY')) params.push({ keyword: 'BODY', value: envelope.body });
    if (has('SMTPUTF8') && !(this.caps?.smtputf8 ?? false)) {
      throw new RangeError(`the server does not offer SMTPUTF8 (RFC 6531), which ${nonAscii ? 'a non-ASCII address' : 'this message'} needs: not sent`);
    }
    const body = has('BODY')?.value?.toUpperCase();
    if (body === '8BITMIME' && !(this.caps?.eightBitMime ?? false)) throw new RangeError('the server does not offer 8BITMIME (RFC 6152): an 8-bit body must not be sent to it');
    if (body === 'BINARYMIME' && !(this.caps?.binaryMime ?? false)) throw new RangeError('the server does not offer BINARYMIME (RFC 3030)');
    return params;
  }

  /** Encodes now (so that an unsafe value throws at the caller, not later). */
  private sent(s: Omit<Sent, 'line'>): Sent {
    return { ...s, line: s.command ? encodeCommand(s.command) : '' };
  }

  /**
   * Queues a command. EHLO/HELO/LHLO, STARTTLS, AUTH and DATA are hold points however they were
   * asked for (RFC 2920 3.1, RFC 4954 4): nothing queued after them is written before their answer.
   */
  private send(s: Omit<Sent, 'line'>, first = false): void {
    if (this._state === 'closed') return;
    const v = s.command?.verb;
    const holdPoint = v === 'EHLO' || v === 'HELO' || v === 'LHLO' || v === 'STARTTLS' || v === 'AUTH' || v === 'DATA';
    this.pipeline.enqueue(this.sent(s), { holdPoint, first });
  }

  private sendBdat(chunk: Uint8Array, last: boolean): void {
    this.send({ kind: 'bdat', command: { verb: 'BDAT', size: chunk.length, last }, last, payload: chunk });
  }

  /** EHLO (LHLO) ahead of anything queued; nothing goes after it before its answer (it says whether to pipeline). */
  private hello(): void {
    this._state = 'hello';
    this.send({ kind: 'hello', command: { verb: this.opts.lmtp ? 'LHLO' : 'EHLO', domain: this.opts.domain } }, true);
  }

  private finishData(): void {
    for (const c of this.bodyQueue) this.out.push(this.dot.encode(c));
    this.bodyQueue = [];
    this.out.push(this.dot.end());
    this.pipeline.wrote(this.sent({ kind: 'body', command: null }));
    if (this.opts.lmtp) {
      this.lmtpWaiting = [...this.accepted];
      this.delivered = [];
    }
    this.pipeline.release(HOLD_BODY);
  }

  private dropClearText(octets: number, events: ClientEvent[]): void {
    if (octets <= 0) return;
    events.push(errorItem(new ProtocolError('UNEXPECTED', `${octets} octet(s) received between the STARTTLS 220 and tlsEstablished(): clear text injected before the TLS handshake, dropped unread`)));
  }

  /** The transaction ended without taking the body: later writes are discarded. */
  private refuseBody(reply: Reply | null): void {
    this.bodyQueue = [];
    if (this.bodyOpen) this.bodyRefused = { reply };
  }

  /** Ends the session: nothing waits for a reply any more and nothing more is sent. */
  private close(reply: Reply | null, events: ClientEvent[]): void {
    this._state = 'closed';
    this.tlsPending = false;
    this.pipeline.clear();
    this.pipeline.hold(HOLD_CLOSED);
    this.sasl?.finish();
    this.refuseBody(reply);
    events.push({ type: 'closed', reply });
  }

  private onReply(reply: Reply, events: ClientEvent[]): void {
    if (this._state === 'closed') {
      events.push(errorItem(new ProtocolError('UNEXPECTED', `reply ${reply.code} after the session closed`)));
      return;
    }
    if (this._state === 'greeting') {
      events.push({ type: 'greeting', reply }, { type: 'reply', command: null, reply });
      // RFC 5321 3.1: 220, or 554 to refuse service (421 when shutting down). Any other 2xx is
      // read as a greeting; any other code refuses too, rather than leaving the session waiting.
      if (reply.code >= 200 && reply.code < 300) {
        this.hello();
        this.pipeline.release(HOLD_GREETING);
      } else this.close(reply, events);
      return;
    }
    const head = this.pipeline.head;
    if (head === undefined) {
      if (reply.code === 421) {
        events.push({ type: 'reply', command: null, reply });
        this.close(reply, events);
        return;
      }
      events.push(errorItem(new ProtocolError('UNEXPECTED', `reply ${reply.code} with no command waiting`)));
      return;
    }
    // LMTP: after the body, one reply per accepted recipient (RFC 2033 4.2).
    if ((head.kind === 'body' || (head.kind === 'bdat' && head.last)) && this.opts.lmtp && this.lmtpWaiting.length > 0) {
      const to = this.lmtpWaiting.shift()!;
      const ok = reply.code >= 200 && reply.code < 300;
      events.push({ type: 'reply', command: null, reply }, { type: 'recipient', to, accepted: ok, reply, stage: 'delivery' });
      if (ok) this.delivered.push(to);
      if (this.lmtpWaiting.length === 0) {
        this.pipeline.answered();
        events.push({ type: 'message', accepted: this.delivered.length > 0, reply, acceptedRecipients: [...this.delivered] });
        this._state = 'ready';
      }
      return;
    }
    events.push({ type: 'reply', command: head.command, reply });
    if (head.kind === 'auth' && reply.code === 334 && this._state === 'auth') {
      // A challenge: AUTH is still the command in flight.
      this.onChallenge(reply, events);
      return;
    }
    const ok = reply.code >= 200 && reply.code < 300;
    // LMTP with BDAT: the reply to BDAT LAST is the first per-recipient reply; the BDAT stays the
    // command in flight (ahead of anything pipelined after it) until the last one.
    const lmtpMore = head.kind === 'bdat' && head.last === true && (this.opts.lmtp ?? false) && ok && this.txFailed === null && this.accepted.length > 1;
    if (!lmtpMore) this.pipeline.answered();
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
          this.send({ kind: 'helo-fallback', command: { verb: 'HELO', domain: this.opts.domain } }, true);
        } else events.push(errorItem(new ProtocolError('UNEXPECTED', `server refused ${this.opts.lmtp ? 'LHLO' : 'EHLO'}: ${reply.code}`)));
        break;
      case 'helo-fallback':
        if (ok) {
          this.caps = null;
          this._state = 'ready';
          events.push({ type: 'ready', capabilities: null });
        } else events.push(errorItem(new ProtocolError('UNEXPECTED', `server refused HELO: ${reply.code}`)));
        break;
      case 'starttls':
        if (reply.code === 220) {
          // Nothing more is written and nothing more is read until the application has TLS up.
          this.tlsPending = true;
          this.pipeline.hold(HOLD_TLS);
          events.push({ type: 'starttls' });
        } else {
          this._state = 'ready';
          const dropped = this.pipeline.drop(() => true).flatMap((q) => (q.command ? [q.command] : []));
          events.push({ type: 'starttls-refused', reply, dropped });
        }
        break;
      case 'auth':
        this.sasl?.finish();
        this._state = 'ready';
        events.push({ type: 'auth', success: reply.code === 235, reply });
        break;
      case 'mail':
        if (!ok) this.txFailed = reply;
        break;
      case 'rcpt':
        if (ok && this.txFailed === null) this.accepted.push(head.to!);
        if (!ok) this.rcptRefused = reply;
        events.push({ type: 'recipient', to: head.to!, accepted: ok && this.txFailed === null, reply, stage: 'rcpt' });
        break;
      case 'data':
        if (reply.code === 354) {
          if (this.txFailed !== null || this.accepted.length === 0) {
            // Pipelined DATA accepted although nothing can be delivered: send an empty body to get back in sync.
            this.txFailed ??= this.rcptRefused ?? reply;
            this.refuseBody(this.txFailed);
            this.out.push(this.dot.end());
            this.pipeline.wrote(this.sent({ kind: 'body', command: null }));
            this.lmtpWaiting = [];
            break;
          }
          this._state = 'data';
          this.dataOpen = true;
          if (this.bodyEnded) this.finishData();
          else {
            // The body goes out now; nothing else may be written into it before endBody().
            this.pipeline.hold(HOLD_BODY);
            for (const c of this.bodyQueue) this.out.push(this.dot.encode(c));
            this.bodyQueue = [];
          }
        } else {
          events.push({ type: 'message', accepted: false, reply: this.txFailed ?? reply, acceptedRecipients: [] });
          this.refuseBody(this.txFailed ?? reply);
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
          if (lmtpMore) {
            // The first per-recipient reply was this one; the rest follow, answering the same BDAT.
            this.lmtpWaiting = this.accepted.slice(1);
            this.delivered = [this.accepted[0]!];
            events.push({ type: 'recipient', to: this.accepted[0]!, accepted: true, reply, stage: 'delivery' });
            break;
          }
          events.push({ type: 'message', accepted: ok && this.txFailed === null && this.accepted.length > 0, reply: this.txFailed ?? reply, acceptedRecipients: ok ? [...this.accepted] : [] });
          this._state = 'ready';
        }
        break;
      case 'rset':
        // rset() and the automatic RSET after a refused DATA set 'ready' when they send it: the
        // reply changes nothing, or it would undo an AUTH or MAIL the application started since.
        break;
      case 'quit':
        this.close(reply, events);
        break;
      case 'other':
        break;
    }
  }

  private onChallenge(reply: Reply, events: ClientEvent[]): void {
    const text = reply.lines[0] ?? '';
    if (this.sasl === null) {
      this.out.pushText('*\r\n');
      return;
    }
    const step = this.sasl.challenge(text);
    if (step.type === 'ask') events.push({ type: 'sasl-challenge', challenge: step.challenge });
    else {
      if (step.type === 'oauth-error') events.push({ type: 'oauth-error', oauth: step.error });
      this.out.pushText(`${step.line}\r\n`);
    }
  }
}
