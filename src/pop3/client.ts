/**
 * POP3 client session (RFC 1939, RFC 2449 CAPA and PIPELINING, RFC 2595 STLS, RFC 5034
 * AUTH): turns intents into commands, knows which responses are multiline, and returns
 * typed results. No I/O.
 *
 * @packageDocumentation
 */

import { ProtocolError } from '../core/errors';
import { OutputQueue } from '../core/output-queue';
import { SASL_CANCEL, decodeSaslLine, encodeInitialResponse, encodeSaslResponse, saslLogin, saslPlain, saslXOAuth2 } from '../core/sasl';
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
/** `+OK` to STLS: wrap the socket in TLS, then call `tlsEstablished()`. */
export interface ClientTlsEvent {
  readonly type: 'stls';
}
/** The session ended (`+OK` to QUIT, or the stream ended). */
export interface ClientClosedEvent {
  readonly type: 'closed';
}
/** A bad response stream. */
export interface ClientErrorEvent {
  readonly type: 'error';
  readonly error: ProtocolError;
}
/** Everything a {@link ClientSession} reports. */
export type ClientEvent = ClientGreetingEvent | ClientResponseEvent | ClientDataEvent | ClientDataEndEvent | ClientAuthEvent | ClientTlsEvent | ClientClosedEvent | ClientErrorEvent;

/** Options of {@link ClientSession}. */
export interface ClientSessionOptions {
  /** Pipeline commands when CAPA announced PIPELINING. Default true. */
  readonly pipelining?: boolean;
  /** Response parser options. */
  readonly parser?: ResponseParserOptions;
}

/** SASL credentials for {@link ClientSession.authenticate}. */
export type Credentials =
  | { readonly mechanism: 'PLAIN'; readonly user: string; readonly password: string; readonly authzid?: string }
  | { readonly mechanism: 'LOGIN'; readonly user: string; readonly password: string }
  | { readonly mechanism: 'XOAUTH2'; readonly user: string; readonly accessToken: string };

interface Sent {
  readonly command: Command;
  readonly expect: Expectation;
  readonly login?: boolean;
}

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
  private readonly inflight: Sent[] = [];
  private readonly outbox: Sent[] = [];
  private _state: ClientState = 'greeting';
  private caps: Capabilities | null = null;
  private timestamp: string | null = null;
  private authSteps: Uint8Array[] = [];
  /** Between a `+OK` to RETR/TOP and the end of its body. */
  private inBody = false;
  /** The server's stream ended: items still get read, nothing is written. */
  private ended = false;

  constructor(options: ClientSessionOptions = {}) {
    this.opts = options;
    this.parser = new ResponseParser({ ...options.parser, holdUntilExpected: true });
    this.parser.expect('single');
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
  /** Sends STLS (RFC 2595 4); after the `stls` event wrap the socket and call {@link tlsEstablished}. */
  stls(): void {
    this.send({ verb: 'STLS' });
  }
  /** TLS is up: forget the capabilities (ask CAPA again). */
  tlsEstablished(): void {
    this.caps = null;
  }
  /** USER then PASS (RFC 1939 7). */
  login(user: string, password: string): void {
    this.send({ verb: 'USER', argument: user }, true);
    this.send({ verb: 'PASS', argument: password }, true);
  }
  /** APOP with the greeting's timestamp (RFC 1939 7). Throws when the greeting had none. */
  apop(user: string, secret: string): void {
    if (this.timestamp === null) throw new Error('the server greeting has no APOP timestamp');
    this.send({ verb: 'APOP', name: user, digest: apopDigest(this.timestamp, secret) }, true);
  }
  /** AUTH (RFC 5034) with an initial response for PLAIN and XOAUTH2. */
  authenticate(creds: Credentials): void {
    if (creds.mechanism === 'LOGIN') {
      this.authSteps = [...saslLogin(creds.user, creds.password)];
      this.send({ verb: 'AUTH', mechanism: 'LOGIN', initialResponse: null }, true);
      return;
    }
    this.authSteps = [];
    const ir = creds.mechanism === 'PLAIN' ? saslPlain(creds.user, creds.password, creds.authzid) : saslXOAuth2(creds.user, creds.accessToken);
    this.send({ verb: 'AUTH', mechanism: creds.mechanism, initialResponse: encodeInitialResponse(ir) }, true);
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
  /** Sends any command (its multiline-ness is derived from the verb). */
  sendCommand(command: Command): void {
    this.send(command);
  }

  /** Feeds bytes from the server. */
  receive(chunk: Uint8Array): ClientEvent[] {
    const events: ClientEvent[] = [];
    // The parser holds lines no command has been sent for yet; each pass reads those that the
    // commands sent during the previous pass made expected.
    for (let items = this.parser.push(chunk); items.length > 0; items = this.parser.push(EMPTY)) for (const it of items) this.onItem(it, events);
    return events;
  }

  /** End of the server's stream. */
  end(): ClientEvent[] {
    const events: ClientEvent[] = [];
    // What the parser held comes out now (the tail of a body cut short, lines read as
    // unsolicited), read like any other item; nothing is written any more.
    const items = this.parser.end();
    this.ended = true;
    for (const it of items) this.onItem(it, events);
    if (this._state !== 'closed') {
      this._state = 'closed';
      events.push({ type: 'closed' });
    }
    return events;
  }

  /** One parser item: its events, and the commands it releases. */
  private onItem(it: ResponseParserItem, events: ClientEvent[]): void {
    if (it.type === 'error') {
      events.push(it);
      // An error inside a body (a bare line ending under a strict policy) is part of the body,
      // which goes on: the command it belongs to is still the one being answered.
      if (this.inBody) return;
      if (this._state !== 'greeting') {
        // An unreadable answer still answers the oldest command: a PASS queued behind a USER
        // must not go out, and the commands held behind it must (or the session stalls).
        if (this.inflight.shift()?.command.verb === 'USER') this.dropQueuedPass();
        this.flush();
      }
      return;
    }
    const head = this.inflight[0];
    if (it.type === 'data') {
      if (head) events.push({ type: 'data', command: head.command, chunk: it.chunk });
      return;
    }
    if (it.type === 'data-end') {
      this.inBody = false;
      if (head) events.push({ type: 'data-end', command: head.command });
      this.inflight.shift();
      this.flush();
      return;
    }
    const r = it.response;
    if (this._state === 'greeting') {
      if (r.status === '+') return;
      this.timestamp = r.status === '+OK' ? apopTimestamp(r.text) : null;
      this._state = r.status === '+OK' ? 'authorization' : 'closed';
      events.push({ type: 'greeting', response: r, timestamp: this.timestamp });
      if (this._state === 'closed') events.push({ type: 'closed' });
      this.flush();
      return;
    }
    if (r.status === '+') {
      // SASL challenge (RFC 5034 4): answer with the next prepared response, or cancel.
      const next = this.authSteps.shift();
      const challenge = decodeSaslLine(r.text);
      if (!this.ended) this.out.pushText(next === undefined || challenge instanceof ProtocolError ? `${SASL_CANCEL}\r\n` : `${encodeSaslResponse(next)}\r\n`);
      return;
    }
    if (!head) {
      events.push({ type: 'error', error: new ProtocolError('UNEXPECTED', `response "${r.status} ${r.text}" with no command waiting`) });
      return;
    }
    const isBody = head.expect === 'body' && r.status === '+OK';
    if (isBody) this.inBody = true;
    else this.inflight.shift();
    events.push(this.result(head, r, it.lines));
    if (head.login && (head.command.verb !== 'USER' || r.status === '-ERR')) {
      const success = r.status === '+OK';
      if (success) this._state = 'transaction';
      events.push({ type: 'auth', success, response: r });
      // A failed USER: the queued PASS must not go out.
      if (head.command.verb === 'USER') this.dropQueuedPass();
    }
    if (head.command.verb === 'STLS' && r.status === '+OK') events.push({ type: 'stls' });
    if (head.command.verb === 'QUIT' && r.status === '+OK') {
      this._state = 'closed';
      events.push({ type: 'closed' });
    }
    if (!isBody) this.flush();
  }

  private result(s: Sent, r: StatusResponse, lines: readonly string[] | null): ClientResponseEvent {
    const base = { type: 'response' as const, command: s.command, response: r, ok: r.status === '+OK', lines };
    if (r.status !== '+OK') return base;
    const c = s.command;
    if (c.verb === 'STAT') {
      const st = parseStat(r);
      return st ? { ...base, stat: st } : base;
    }
    if (c.verb === 'LIST') {
      const entries = lines ? lines.map(parseListEntry) : [parseListEntry(r.text)];
      return { ...base, list: entries.filter((e): e is ListEntry => e !== null) };
    }
    if (c.verb === 'UIDL') {
      const entries = lines ? lines.map(parseUidlEntry) : [parseUidlEntry(r.text)];
      return { ...base, uidl: entries.filter((e): e is UidlEntry => e !== null) };
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

  private send(command: Command, login = false): void {
    if (this._state === 'closed') throw new Error('the session is closed');
    encodeCommand(command); // throws now for unsafe values
    const s: Sent = { command, expect: expectationOf(command), login };
    if (this._state === 'greeting' || (this.inflight.length > 0 && (!this.pipelining() || this.outbox.length > 0))) this.outbox.push(s);
    else this.write(s);
  }

  private write(s: Sent): void {
    this.inflight.push(s);
    this.parser.expect(s.expect);
    this.out.pushText(encodeCommand(s.command));
    if (s.command.verb === 'QUIT' && this._state === 'transaction') this._state = 'update';
  }

  private flush(): void {
    while (this.outbox.length > 0 && this._state !== 'closed' && !this.ended && (this.inflight.length === 0 || this.pipelining())) {
      this.write(this.outbox.shift()!);
      if (!this.pipelining()) break;
    }
  }

  private dropQueuedPass(): void {
    const i = this.outbox.findIndex((s) => s.command.verb === 'PASS');
    if (i >= 0) this.outbox.splice(i, 1);
  }
}
