/**
 * POP3 client session (RFC 1939, RFC 2449 CAPA and PIPELINING, RFC 2595 STLS, RFC 5034
 * AUTH): turns intents into commands, knows which responses are multiline, and returns
 * typed results. No I/O.
 *
 * @packageDocumentation
 */

import { LF } from '../core/bytes';
import { ProtocolError, errorItem } from '../core/errors';
import { OutputQueue } from '../core/output-queue';
import { Pipeline } from '../core/pipeline';
import { encodeInitialResponse } from '../core/sasl';
import { SaslClientExchange, type SaslCredentials } from '../core/sasl-client';
import type { OAuthError } from '../core/sasl-mechanisms';
import { encodeCommand } from './command';
import { apopDigest } from './md5';
import { ResponseParser, type Expectation, type ResponseParserItem, type ResponseParserOptions } from './parser';
import { apopTimestamp, parseCapabilities, parseListEntry, parseStat, parseUidlEntry, type Capabilities } from './response';
import type { Command, ListEntry, Stat, StatusResponse, UidlEntry } from './types';

/** Where the client is (RFC 1939 states, plus the greeting wait and `closed`). */
export type ClientState = 'greeting' | 'authorization' | 'transaction' | 'update' | 'closed';

/** The greeting; `timestamp` is the APOP timestamp when the server offers one. */
export interface ClientGreetingEvent {
  readonly type: 'greeting';
  readonly response: StatusResponse;
  readonly timestamp: string | null;
}
/**
 * A command completed. Typed results are filled in for the commands that have them:
 * `stat` (STAT), `list` (LIST), `uidl` (UIDL), `capabilities` (CAPA), `lines` (any listing).
 */
export interface ClientResponseEvent {
  readonly type: 'response';
  readonly command: Command;
  readonly response: StatusResponse;
  readonly ok: boolean;
  readonly lines: readonly string[] | null;
  readonly stat?: Stat;
  readonly list?: readonly ListEntry[];
  readonly uidl?: readonly UidlEntry[];
  readonly capabilities?: Capabilities;
}
/** A piece of a RETR/TOP message (dot-unstuffed). */
export interface ClientDataEvent {
  readonly type: 'data';
  readonly command: Command;
  readonly chunk: Uint8Array;
}
/** The RETR/TOP message is complete. */
export interface ClientDataEndEvent {
  readonly type: 'data-end';
  readonly command: Command;
}
/** Login (USER/PASS, APOP or AUTH) finished. */
export interface ClientAuthEvent {
  readonly type: 'auth';
  readonly success: boolean;
  readonly response: StatusResponse;
}
/**
 * A `+ ` challenge of an AUTH the application runs (`authenticate({ mechanism: 'CRAM-MD5' })`):
 * base64-decoded, null when it was not valid base64. Answer with {@link ClientSession.saslRespond}.
 */
export interface ClientSaslChallengeEvent {
  readonly type: 'sasl-challenge';
  readonly challenge: Uint8Array | null;
}
/**
 * XOAUTH2 / OAUTHBEARER: the server's error challenge after the token (RFC 7628 3.2.2), decoded.
 * The session has already sent the response the mechanism requires to finish (XOAUTH2: an
 * empty line; OAUTHBEARER: `AQ==`); the `auth` event with the `-ERR` follows.
 */
export interface ClientOAuthErrorEvent {
  readonly type: 'oauth-error';
  readonly oauth: OAuthError;
}
/**
 * `+OK` to STLS (RFC 2595 4): wrap the socket in TLS, then call `tlsEstablished()`. Until then
 * nothing is written, and any bytes passed to `receive()` (or that came in the same read after
 * the `+OK`) are dropped unread and reported as one `UNEXPECTED` error.
 */
export interface ClientStartTlsEvent {
  readonly type: 'starttls';
}
/**
 * The server refused STLS (or its answer could not be read). The commands the application queued
 * behind it were meant for a TLS connection: they are dropped, not sent in clear text (a man in
 * the middle can refuse STLS to strip it: USER/PASS would follow in clear), and listed in `dropped`.
 */
export interface ClientStartTlsRefusedEvent {
  readonly type: 'starttls-refused';
  /** The `-ERR`, or null when the answer could not be read. */
  readonly response: StatusResponse | null;
  readonly dropped: readonly Command[];
}
/** The session ended (`+OK` to QUIT, a `-ERR` greeting, or the stream ended). */
export interface ClientClosedEvent {
  readonly type: 'closed';
}
/** A bad response stream, a response nobody asked for, or commands left unanswered at the end (`TRUNCATED`). */
export interface ClientErrorEvent {
  readonly type: 'error';
  readonly error: ProtocolError;
}
/** Everything a {@link ClientSession} reports. */
export type ClientEvent =
  | ClientGreetingEvent
  | ClientResponseEvent
  | ClientDataEvent
  | ClientDataEndEvent
  | ClientAuthEvent
  | ClientSaslChallengeEvent
  | ClientOAuthErrorEvent
  | ClientStartTlsEvent
  | ClientStartTlsRefusedEvent
  | ClientClosedEvent
  | ClientErrorEvent;

/** Options of {@link ClientSession}. */
export interface ClientSessionOptions {
  /** Pipeline commands when CAPA announced PIPELINING. Default true. */
  readonly pipelining?: boolean;
  /** Response parser options. */
  readonly parser?: ResponseParserOptions;
}

/**
 * SASL credentials for {@link ClientSession.authenticate}: PLAIN, LOGIN, XOAUTH2 and OAUTHBEARER
 * are run by the session; any other mechanism (`{ mechanism: 'CRAM-MD5' }`, with an optional
 * `initialResponse`) by the application through `sasl-challenge` events and
 * {@link ClientSession.saslRespond}.
 */
export type Credentials = SaslCredentials;

interface Sent {
  readonly command: Command;
  /** The command line, encoded when it was queued (so an unsafe value throws at the caller). */
  readonly line: string;
  readonly expect: Expectation;
  /** USER, PASS, APOP, AUTH: a step of the login. */
  readonly login: boolean;
  /** Nothing queued after it is written before it is answered: the login steps and STLS. */
  readonly holdPoint: boolean;
}

/** Hold reasons of the pipeline. */
const HOLD_GREETING = 'greeting';
const HOLD_TLS = 'tls';
const HOLD_CLOSED = 'closed';

function expectationOf(c: Command): Expectation {
  switch (c.verb) {
    case 'RETR':
    case 'TOP':
      return 'body';
    case 'LIST':
    case 'UIDL':
      return c.message === null ? 'listing' : 'single';
    case 'CAPA':
      return 'listing';
    case 'LANG':
      return c.range === null ? 'listing' : 'single';
    case 'AUTH':
      return c.mechanism === null ? 'listing' : 'single';
    default:
      return 'single';
  }
}

const EMPTY = new Uint8Array(0);

/**
 * A client-side POP3 session.
 *
 * Commands go through one pipeline (`core/pipeline.ts`): with PIPELINING (RFC 2449) they go out
 * together, except behind a hold point, after which nothing is written until it is answered:
 * USER, PASS, APOP and AUTH (Courier announces PIPELINING and drops what is pipelined after
 * PASS), and STLS (held further until {@link ClientSession.tlsEstablished}).
 *
 * @example
 * ```ts
 * import { pop3 } from 'mailwire';
 * const c = new pop3.ClientSession();
 * c.receive(new TextEncoder().encode('+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n'));
 * c.apop('mrose', 'tanstaaf');
 * c.takeOutput(); // "APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n"
 * ```
 */
export class ClientSession {
  private readonly opts: ClientSessionOptions;
  private parser: ResponseParser;
  private readonly out = new OutputQueue();
  private readonly pipeline: Pipeline<Sent>;
  private _state: ClientState = 'greeting';
  private caps: Capabilities | null = null;
  private timestamp: string | null = null;
  private sasl: SaslClientExchange | null = null;
  /** Between a `+OK` to RETR/TOP and the end of its body. */
  private inBody = false;
  /** The server's stream ended: items still get read, nothing is written. */
  private ended = false;
  /** Between the `+OK` to STLS and tlsEstablished(). */
  private tlsPending = false;

  constructor(options: ClientSessionOptions = {}) {
    this.opts = options;
    this.parser = this.newParser();
    this.parser.expect('single');
    this.pipeline = new Pipeline<Sent>({
      write: (s) => {
        this.parser.expect(s.expect);
        this.out.pushText(s.line);
        if (s.command.verb === 'QUIT' && this._state === 'transaction') this._state = 'update';
      },
      pipelining: () => this.pipelining(),
    });
    this.pipeline.hold(HOLD_GREETING);
  }

  /** The RFC 1939 state. */
  get state(): ClientState {
    return this._state;
  }

  /** Capabilities from the last CAPA, or null. */
  get capabilities(): Capabilities | null {
    return this.caps;
  }

  /** The greeting's APOP timestamp, or null. */
  get apopTimestamp(): string | null {
    return this.timestamp;
  }

  /** Drains the bytes to write. */
  takeOutput(): Uint8Array[] {
    return this.out.take();
  }

  /** Sends CAPA (RFC 2449 5). */
  capa(): void {
    this.send({ verb: 'CAPA' });
  }
  /**
   * Sends STLS (RFC 2595 4). Nothing queued after it is written before TLS is up: after the
   * `starttls` event wrap the socket and call {@link tlsEstablished}.
   */
  startTls(): void {
    this.send({ verb: 'STLS' });
  }
  /**
   * TLS is up: the session forgets the capabilities, sends CAPA again (RFC 2595 4) and only then
   * releases the commands queued behind STLS. Throws when no `starttls` event is waiting for it.
   */
  tlsEstablished(): void {
    if (!this.tlsPending) {
      if (this._state === 'closed') return;
      throw new Error('tlsEstablished() without a +OK to STLS');
    }
    this.tlsPending = false;
    this.caps = null;
    this.parser = this.newParser();
    this.enqueue({ verb: 'CAPA' }, true);
    this.pipeline.release(HOLD_TLS);
  }
  /** USER then PASS (RFC 1939 7); nothing queued after them is written before the login is answered. */
  login(user: string, password: string): void {
    // Both lines are encoded before either is queued: a bad password must not leave a USER behind.
    const u = this.prepare({ verb: 'USER', argument: user });
    const p = this.prepare({ verb: 'PASS', argument: password });
    if (this._state === 'closed') return;
    this.pipeline.enqueue(u, { holdPoint: true });
    this.pipeline.enqueue(p, { holdPoint: true });
  }
  /** APOP with the greeting's timestamp (RFC 1939 7). Throws when the greeting had none. */
  apop(user: string, secret: string): void {
    if (this.timestamp === null) throw new Error('the server greeting has no APOP timestamp');
    this.send({ verb: 'APOP', name: user, digest: apopDigest(this.timestamp, secret) });
  }
  /**
   * AUTH (RFC 5034). Given their secrets, the session runs PLAIN, LOGIN, CRAM-MD5,
   * SCRAM-SHA-1/-256 (and -PLUS; the server's signature is checked), XOAUTH2, OAUTHBEARER,
   * EXTERNAL and ANONYMOUS itself. Any other mechanism (`{ mechanism, initialResponse? }`) is run
   * by the application: each `+ ` challenge comes as a `sasl-challenge` event, answered with
   * {@link saslRespond}. Nothing queued after AUTH is written before its answer.
   */
  authenticate(creds: Credentials): void {
    const x = new SaslClientExchange(creds);
    const ir = x.initialResponse === null ? null : encodeInitialResponse(x.initialResponse);
    this.send({ verb: 'AUTH', mechanism: x.mechanism, initialResponse: ir });
    this.sasl = x;
  }
  /**
   * Answers the `sasl-challenge` of an AUTH the application runs: the response goes out base64
   * encoded; null cancels (`*`, RFC 5034 4). After the exchange ended (the answer came in the
   * same read as the challenge) it writes nothing. Throws when no such AUTH was ever started.
   */
  saslRespond(response: Uint8Array | null): void {
    if (this.sasl === null || !this.sasl.byApplication) throw new Error('saslRespond() without an AUTH run by the application');
    const line = this.sasl.respond(response);
    if (line !== null && !this.ended && this._state !== 'closed') this.out.pushText(`${line}\r\n`);
  }
  /** STAT. */
  stat(): void {
    this.send({ verb: 'STAT' });
  }
  /** LIST [n]. */
  list(message: number | null = null): void {
    this.send({ verb: 'LIST', message });
  }
  /** UIDL [n]. */
  uidl(message: number | null = null): void {
    this.send({ verb: 'UIDL', message });
  }
  /** RETR n: the message arrives as data events. */
  retr(message: number): void {
    this.send({ verb: 'RETR', message });
  }
  /** TOP n k. */
  top(message: number, lines: number): void {
    this.send({ verb: 'TOP', message, lines });
  }
  /** DELE n. */
  dele(message: number): void {
    this.send({ verb: 'DELE', message });
  }
  /** RSET. */
  rset(): void {
    this.send({ verb: 'RSET' });
  }
  /** NOOP. */
  noop(): void {
    this.send({ verb: 'NOOP' });
  }
  /** QUIT (in TRANSACTION this enters UPDATE: the server deletes the marked messages). */
  quit(): void {
    this.send({ verb: 'QUIT' });
  }
  /** Sends any command (its multiline-ness is derived from the verb; USER, PASS, APOP, AUTH and STLS are hold points). */
  sendCommand(command: Command): void {
    this.send(command);
  }

  /**
   * Feeds bytes from the server. Never throws. Between the `starttls` event and
   * {@link tlsEstablished}, bytes are dropped unread (one `UNEXPECTED` error event). A response
   * that arrives while no command waits for one (`+OK 2 320` before STAT was sent) is dropped,
   * one `UNEXPECTED` error event per line, and never read as the answer to a command sent later.
   * Nothing is written before the `+OK` greeting.
   */
  receive(chunk: Uint8Array): ClientEvent[] {
    const events: ClientEvent[] = [];
    if (this.tlsPending) {
      this.dropClearText(chunk.length, events);
      return events;
    }
    let from = 0;
    do {
      // While an STLS is queued or waits for its answer, read one line at a time: the bytes after
      // the +OK in the same read must never reach the parser (clear text injected before the
      // handshake: a forged CAPA answer, CVE-2011-0411 class).
      let to = chunk.length;
      if (this.pipeline.has((s) => s.command.verb === 'STLS')) {
        const lf = chunk.indexOf(LF, from);
        if (lf >= 0) to = lf + 1;
      }
      const piece = from === 0 && to === chunk.length ? chunk : chunk.subarray(from, to);
      from = to;
      // The parser holds lines no command has been sent for yet; each pass reads those that the
      // commands sent during the previous pass made expected.
      for (let items = this.parser.push(piece); items.length > 0 && !this.tlsPending; items = this.parser.push(EMPTY)) for (const it of items) this.onItem(it, events);
      if (this.tlsPending) {
        this.dropClearText(chunk.length - from, events);
        return events;
      }
    } while (from < chunk.length);
    this.dropStray(events);
    return events;
  }

  /**
   * The end of a read with no command in flight: what the parser holds (lines it could not
   * match to any command, the start of one) arrived before any command it could answer was
   * written. It is dropped, with one `UNEXPECTED` error per line, and never read as the answer to a
   * command sent later (core/pipeline.ts AnswerFence: the same rule in the three clients).
   */
  private dropStray(events: ClientEvent[]): void {
    if (this._state === 'greeting' || this._state === 'closed' || this.pipeline.inFlight > 0) return;
    const lines = this.parser.discardUnexpected();
    for (let i = 0; i < lines; i++) events.push(errorItem(new ProtocolError('UNEXPECTED', 'a response that arrived with no command waiting for one: dropped unread')));
  }

  /** End of the server's stream; commands left unanswered are reported as one `TRUNCATED` error. */
  end(): ClientEvent[] {
    const events: ClientEvent[] = [];
    this.ended = true;
    this.pipeline.hold(HOLD_CLOSED);
    if (!this.tlsPending) {
      // What the parser held comes out now (the tail of a body cut short, lines read as
      // unsolicited), read like any other item; nothing is written any more.
      for (const it of this.parser.end()) this.onItem(it, events);
    }
    const truncated = events.some((e) => e.type === 'error' && e.error.code === 'TRUNCATED');
    const unanswered = this.pipeline.inFlight;
    if (this._state !== 'closed' && unanswered > 0 && !truncated) {
      events.push(errorItem(new ProtocolError('TRUNCATED', `connection closed with ${unanswered} command(s) unanswered`)));
    }
    if (this._state !== 'closed') this.close(events);
    return events;
  }

  private newParser(): ResponseParser {
    return new ResponseParser({ ...this.opts.parser, holdUntilExpected: true });
  }

  private close(events: ClientEvent[]): void {
    this._state = 'closed';
    this.tlsPending = false;
    this.pipeline.clear();
    this.pipeline.hold(HOLD_CLOSED);
    this.sasl?.finish();
    events.push({ type: 'closed' });
  }

  private dropClearText(octets: number, events: ClientEvent[]): void {
    if (octets <= 0) return;
    events.push(errorItem(new ProtocolError('UNEXPECTED', `${octets} octet(s) received between the +OK to STLS and tlsEstablished(): clear text injected before the TLS handshake, dropped unread`)));
  }

  /** One parser item: its events, and the commands it releases. */
  private onItem(it: ResponseParserItem, events: ClientEvent[]): void {
    if (it.type === 'error') {
      events.push(it);
      // An error inside a body (a bare line ending under a strict policy) is part of the body,
      // which goes on: the command it belongs to is still the one being answered.
      if (this.inBody) return;
      if (this._state !== 'greeting' && this._state !== 'closed') {
        // An unreadable answer still answers the oldest command: a PASS queued behind a USER
        // must not go out, and the commands held behind it must (or the session stalls).
        const head = this.pipeline.answered();
        if (head?.command.verb === 'USER') this.dropQueuedPass();
        if (head?.command.verb === 'AUTH') this.sasl?.finish();
        if (head?.command.verb === 'STLS') this.tlsRefused(null, events);
        this.pipeline.flush();
      }
      return;
    }
    const head = this.pipeline.head;
    if (it.type === 'data') {
      if (head) events.push({ type: 'data', command: head.command, chunk: it.chunk });
      return;
    }
    if (it.type === 'data-end') {
      this.inBody = false;
      if (head) events.push({ type: 'data-end', command: head.command });
      this.pipeline.answered();
      this.pipeline.flush();
      return;
    }
    const r = it.response;
    if (this._state === 'closed') {
      events.push(errorItem(new ProtocolError('UNEXPECTED', `response "${r.status}" after the session closed`)));
      return;
    }
    if (this._state === 'greeting') {
      if (r.status === '+') return;
      this.timestamp = r.status === '+OK' ? apopTimestamp(r.text) : null;
      events.push({ type: 'greeting', response: r, timestamp: this.timestamp });
      if (r.status === '+OK') {
        this._state = 'authorization';
        this.pipeline.release(HOLD_GREETING);
      } else this.close(events);
      return;
    }
    if (r.status === '+') {
      this.onChallenge(head, r.text, events);
      return;
    }
    if (!head) {
      events.push(errorItem(new ProtocolError('UNEXPECTED', `response "${r.status} ${r.text}" with no command waiting`)));
      return;
    }
    const isBody = head.expect === 'body' && r.status === '+OK';
    if (isBody) this.inBody = true;
    else this.pipeline.answered();
    events.push(this.result(head, r, it.lines));
    const verb = head.command.verb;
    if (verb === 'AUTH') this.sasl?.finish();
    if (head.login && (verb !== 'USER' || r.status === '-ERR')) {
      const success = r.status === '+OK';
      if (success) this._state = 'transaction';
      events.push({ type: 'auth', success, response: r });
      // A failed USER: the queued PASS must not go out.
      if (verb === 'USER') this.dropQueuedPass();
    }
    if (verb === 'STLS' && r.status === '+OK') {
      // Nothing more is written and nothing more is read until the application has TLS up.
      this.tlsPending = true;
      this.pipeline.hold(HOLD_TLS);
      events.push({ type: 'starttls' });
    } else if (verb === 'STLS') this.tlsRefused(r, events);
    if (verb === 'QUIT' && r.status === '+OK') {
      this.close(events);
      return;
    }
    if (!isBody) this.pipeline.flush();
  }

  /**
   * A `+ ` line: a SASL challenge for the AUTH in flight. With no AUTH in flight it is reported
   * and not answered: never with credentials, and not with `*` either, which the server would
   * read as a command and answer, shifting every later answer onto the wrong command (and,
   * while STLS waits for its +OK, write clear text where the TLS handshake goes).
   */
  private onChallenge(head: Sent | undefined, text: string, events: ClientEvent[]): void {
    if (head?.command.verb !== 'AUTH' || this.sasl === null) {
      events.push(errorItem(new ProtocolError('UNEXPECTED', 'SASL challenge ("+ ") with no AUTH waiting for one')));
      return;
    }
    if (this.ended) return;
    const step = this.sasl.challenge(text);
    if (step.type === 'ask') events.push({ type: 'sasl-challenge', challenge: step.challenge });
    else {
      if (step.type === 'oauth-error') events.push({ type: 'oauth-error', oauth: step.error });
      this.out.pushText(`${step.line}\r\n`);
    }
  }

  private result(s: Sent, r: StatusResponse, lines: readonly string[] | null): ClientResponseEvent {
    const base = { type: 'response' as const, command: s.command, response: r, ok: r.status === '+OK', lines };
    if (r.status !== '+OK') return base;
    const c = s.command;
    if (c.verb === 'STAT') {
      const st = parseStat(r);
      return st instanceof ProtocolError ? base : { ...base, stat: st };
    }
    if (c.verb === 'LIST') {
      const entries = lines ? lines.map(parseListEntry) : [parseListEntry(r.text)];
      return { ...base, list: entries.filter((e): e is ListEntry => !(e instanceof ProtocolError)) };
    }
    if (c.verb === 'UIDL') {
      const entries = lines ? lines.map(parseUidlEntry) : [parseUidlEntry(r.text)];
      return { ...base, uidl: entries.filter((e): e is UidlEntry => !(e instanceof ProtocolError)) };
    }
    if (c.verb === 'CAPA' && lines) {
      this.caps = parseCapabilities(lines);
      return { ...base, capabilities: this.caps };
    }
    return base;
  }

  private pipelining(): boolean {
    return (this.opts.pipelining ?? true) && (this.caps?.pipelining ?? false);
  }

  /** Encodes now: an unsafe value throws at the caller, before anything is queued. */
  private prepare(command: Command): Sent {
    const v = command.verb;
    const login = v === 'USER' || v === 'PASS' || v === 'APOP' || v === 'AUTH';
    return { command, line: encodeCommand(command), expect: expectationOf(command), login, holdPoint: login || v === 'STLS' };
  }

  /** After the session closed a command is a no-op (the `closed` event may have come in the same read as the one that invited the call). */
  private send(command: Command): void {
    this.enqueue(command, false);
  }

  private enqueue(command: Command, first: boolean): void {
    const s = this.prepare(command);
    if (this._state === 'closed') return;
    this.pipeline.enqueue(s, { holdPoint: s.holdPoint, first });
  }

  /** STLS refused: what was queued behind it was meant for TLS and is not sent in clear text. */
  private tlsRefused(response: StatusResponse | null, events: ClientEvent[]): void {
    const dropped = this.pipeline.drop(() => true).map((q) => q.command);
    events.push({ type: 'starttls-refused', response, dropped });
  }

  private dropQueuedPass(): void {
    let dropped = false;
    this.pipeline.drop((s) => {
      if (dropped || s.command.verb !== 'PASS') return false;
      dropped = true;
      return true;
    });
  }
}
