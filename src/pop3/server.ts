/**
 * POP3 server session (RFC 1939 states AUTHORIZATION -> TRANSACTION -> UPDATE, RFC 2449
 * CAPA, RFC 2595 STLS, RFC 5034 AUTH): enforces which commands each state allows, hands valid
 * commands to the application as events, and frames its answers, dot-stuffing multiline
 * ones. Deletion marks, RSET and the UPDATE work belong to the application. No I/O.
 *
 * @packageDocumentation
 */

import { errorItem, ProtocolError } from '../core/errors';
import { DotEncoder } from '../core/dot-stuffing';
import { InputBacklog, ParsedInput, type PumpSteps } from '../core/input-backlog';
import { OutputQueue } from '../core/output-queue';
import { encodeSaslChallenge, parseSaslClientLine } from '../core/sasl';
import { encodeResponse } from './response';
import { CommandParser, type CommandParserItem, type CommandParserOptions } from './parser';
import type { Command, StatusResponse } from './types';

/** The RFC 1939 states, plus `closed`. */
export type ServerState = 'authorization' | 'transaction' | 'update' | 'closed';

/**
 * A command valid in the current state: answer it with `ok()`, `err()`, `listing()` or
 * `beginBody()`/`writeBody()`/`endBody()`. For `QUIT` in TRANSACTION the state is already
 * `update`: delete the marked messages, then answer.
 */
export interface ServerCommandEvent {
  readonly type: 'command';
  readonly command: Command;
  /** For PASS: the name given with USER before it. */
  readonly user?: string;
}
/** A SASL response during AUTH (after `challenge()`). */
export interface ServerAuthResponseEvent {
  readonly type: 'auth-response';
  readonly response: Uint8Array;
}
/**
 * The session answered by itself (command not valid in this state, syntax error, cancelled
 * AUTH, a limit): `reply` is what it wrote, `reason` why. The same shape in all three protocols.
 */
export interface ServerAutoReplyEvent {
  readonly type: 'auto-reply';
  readonly reply: StatusResponse;
  /** Why, for logs. Never quotes the client's bytes. */
  readonly reason: string;
}
/**
 * After `+OK` to STLS: wrap the connection in TLS now and call
 * {@link ServerSession.tlsEstablished} when the handshake is done. Until then every byte
 * given to `receive()` is dropped (clear text injected before the handshake) and reported as
 * an `UNEXPECTED` error event.
 */
export interface ServerTlsEvent {
  readonly type: 'starttls';
  /**
   * Clear-text octets the client sent after its STLS line, dropped (RFC 2595 4); an
   * `UNEXPECTED` error event comes before this one when it is not 0.
   */
  readonly discarded: number;
}
/** The session sent its final answer to QUIT (or closed on a limit): close the connection after writing the output. */
export interface ServerClosedEvent {
  readonly type: 'closed';
}
/** Bad input. */
export interface ServerErrorEvent {
  readonly type: 'error';
  readonly error: ProtocolError;
}
/** Everything a {@link ServerSession} reports. */
export type ServerEvent = ServerCommandEvent | ServerAuthResponseEvent | ServerAutoReplyEvent | ServerTlsEvent | ServerClosedEvent | ServerErrorEvent;

/** Options of {@link ServerSession}. */
export interface ServerSessionOptions {
  /** Greeting text after `+OK`. Include an APOP timestamp `<...@...>` to offer APOP. */
  readonly greeting?: string;
  /**
   * Most octets the client may send while the session waits for the application's answer.
   * Past it the session says `-ERR` and closes. Default 1 MiB.
   */
  readonly maxWaitingInput?: number;
  /**
   * Most command lines the client may pipeline behind a command that waits for the
   * application's answer, checked when a further read arrives while input is held (one read by
   * itself is never refused, so not on how the bytes were split); past it the session says
   * `-ERR` and closes. Default 1000.
   */
  readonly maxPending?: number;
  /**
   * Most output octets waiting in `takeOutput()` before the session stops reading pipelined
   * commands (see {@link ServerSession.inputHeld}). Default 1 MiB.
   */
  readonly maxOutput?: number;
  /**
   * Commands in a row the session refuses by itself (unknown, wrong state, bad syntax) before
   * it says `-ERR Too many bad commands` and closes, like Dovecot's pre-login limit of 10.
   * 0 = no limit. Default 10.
   */
  readonly maxErrors?: number;
  /**
   * Refuse USER, PASS, APOP and AUTH before TLS (`-ERR [AUTH] Plaintext authentication
   * disallowed ...`, as Dovecot's `disable_plaintext_auth`); CAPA lists USER and SASL only
   * after TLS. Default false.
   */
  readonly authRequiresTls?: boolean;
  /** Parser options. */
  readonly parser?: CommandParserOptions;
}

const AUTHORIZATION = new Set(['USER', 'PASS', 'APOP', 'AUTH', 'CAPA', 'STLS', 'QUIT', 'UTF8', 'LANG']);
const TRANSACTION = new Set(['STAT', 'LIST', 'RETR', 'DELE', 'NOOP', 'RSET', 'QUIT', 'TOP', 'UIDL', 'CAPA', 'LAST', 'LANG']);
const LOGIN = new Set(['USER', 'PASS', 'APOP', 'AUTH']);

/** What identifies the item that paused the parser: the command itself, or the AUTH line item. */
function pauseKey(item: CommandParserItem): unknown {
  return item.type === 'command' ? item.command : item;
}

/**
 * A server-side POP3 session.
 *
 * Input is read one command at a time: the next pipelined command is looked at only once the
 * one before it is answered, so a line that follows `AUTH PLAIN` is read as its SASL
 * response however the bytes were split; bytes not yet read wait by reference.
 *
 * @example
 * ```ts
 * import { pop3 } from 'mailwire';
 * const s = new pop3.ServerSession({ greeting: 'POP3 server ready <1896.697170952@dbc.mtview.ca.us>' });
 * for (const ev of s.receive(new TextEncoder().encode('CAPA\r\n'))) {
 *   if (ev.type === 'command') s.listing('Capability list follows', ['TOP', 'UIDL', 'USER']);
 * }
 * s.takeOutput(); // greeting, then "+OK Capability list follows\r\nTOP\r\nUIDL\r\nUSER\r\n.\r\n"
 * ```
 */
export class ServerSession {
  private readonly opts: ServerSessionOptions;
  private readonly parser: CommandParser;
  private readonly out = new OutputQueue();
  private readonly input: InputBacklog;
  /** Items the parser produced from the last slice, not yet processed, and the read loop (core). */
  private readonly items: ParsedInput<CommandParserItem>;
  private pausedBy: unknown = null;
  private pending: { command: Command } | { auth: CommandParserItem } | null = null;
  private _state: ServerState = 'authorization';
  private user: string | null = null;
  private body: DotEncoder | null = null;
  private tls = false;
  private tlsPending = false;
  private errors = 0;

  constructor(options: ServerSessionOptions = {}) {
    this.opts = options;
    this.parser = new CommandParser(options.parser);
    this.input = new InputBacklog({ maxPending: options.maxPending, maxWaitingInput: options.maxWaitingInput });
    this.items = new ParsedInput(this.input);
    this.out.pushText(encodeResponse({ status: '+OK', code: null, text: options.greeting ?? 'POP3 server ready' }));
  }

  /** The RFC 1939 state. */
  get state(): ServerState {
    return this._state;
  }

  /** True once {@link ServerSession.tlsEstablished} was called. */
  get isTls(): boolean {
    return this.tls;
  }

  /**
   * True while input waits unread because a command waits for the application's answer or
   * more than `maxOutput` octets wait in `takeOutput()`: stop reading the socket. After
   * taking the output, `receive(new Uint8Array(0))` goes on with what is held.
   */
  get inputHeld(): boolean {
    return this._state !== 'closed' && this.items.held;
  }

  /** Feeds bytes from the client (kept by reference until read: do not reuse the buffer). Never throws. */
  receive(chunk: Uint8Array): ServerEvent[] {
    if (this._state === 'closed') return [];
    if (this.tlsPending) return chunk.length > 0 ? [errorItem(new ProtocolError('UNEXPECTED', `${chunk.length} clear-text octets after STLS, before the TLS handshake, dropped`))] : [];
    const events: ServerEvent[] = [];
    // The bounds apply to what a peer sends after the session asked the caller to stop reading
    // (`inputHeld`), never to one read by itself: otherwise the same bytes in one read or in
    // two would be answered differently. A read is kept by reference, so holding it costs nothing.
    const wasHeld = this.inputHeld && chunk.length > 0;
    this.input.append(chunk);
    this.pump(events);
    if (wasHeld && this.pending !== null && this.inputHeld) {
      const over = this.input.overflow(this.parser.buffered);
      if (over === 'maxPending') this.closeWith('too many pipelined commands without reading responses', events);
      else if (over === 'maxWaitingInput') this.closeWith('too much input while waiting for the server', events);
    }
    return events;
  }

  /** End of the client's stream (no UPDATE: RFC 1939 6 says a dropped connection deletes nothing). */
  end(): ServerEvent[] {
    const events: ServerEvent[] = [];
    if (this._state !== 'closed' && !this.tlsPending) {
      this.pump(events);
      if ((this._state as ServerState) !== 'closed' && !this.inputHeld) {
        // With a command still waiting, a reply now would answer the wrong one: report only.
        for (const it of this.parser.end()) if (this.pending === null) this.item(it, events);
        else if (it.type === 'error') events.push(it);
      }
    }
    this._state = 'closed';
    return events;
  }

  /** Drains the bytes to write. */
  takeOutput(): Uint8Array[] {
    return this.out.take();
  }

  /** The TLS handshake after the `starttls` event is done: input is read again; CAPA no longer lists STLS. */
  tlsEstablished(): ServerEvent[] {
    if (!this.tlsPending) return [];
    this.tlsPending = false;
    this.tls = true;
    return [];
  }

  /** Answers the waiting command with `+OK [code] text`. With nothing waiting it does nothing. */
  ok(text = '', code: string | null = null): ServerEvent[] {
    if (this.pending === null || this._state === 'closed') return [];
    this.out.pushText(encodeResponse({ status: '+OK', code, text }));
    return this.done(true);
  }

  /** Answers the waiting command with `-ERR [code] text` (RFC 2449 8 codes: IN-USE, LOGIN-DELAY, SYS/TEMP, SYS/PERM, AUTH...). With nothing waiting it does nothing. */
  err(text = '', code: string | null = null): ServerEvent[] {
    if (this.pending === null || this._state === 'closed') return [];
    this.out.pushText(encodeResponse({ status: '-ERR', code, text }));
    return this.done(false);
  }

  /**
   * Answers with `+OK text` and a dot-stuffed listing (LIST, UIDL, CAPA, LANG). For CAPA the
   * session leaves out what does not apply now: STLS after TLS or in TRANSACTION, and with
   * `authRequiresTls` USER and SASL before TLS.
   */
  listing(text: string, lines: readonly string[]): ServerEvent[] {
    if (this.pending === null || this._state === 'closed') return [];
    for (const l of lines) if (/[\r\n]/.test(l)) throw new TypeError('listing lines must not contain CR or LF');
    const p = this.pending;
    const capa = 'command' in p && p.command.verb === 'CAPA';
    this.out.pushText(encodeResponse({ status: '+OK', code: null, text }));
    const enc = new DotEncoder();
    for (const l of lines) {
      if (capa && !this.offers(l)) continue;
      this.out.push(enc.encode(new TextEncoder().encode(`${l}\r\n`)));
    }
    this.out.push(enc.end());
    return this.done(true);
  }

  /** Starts a RETR/TOP answer: `+OK text`; then {@link writeBody} and {@link endBody}. */
  beginBody(text = ''): void {
    if (this.pending === null || !('command' in this.pending)) throw new Error('beginBody(): no command is waiting');
    this.out.pushText(encodeResponse({ status: '+OK', code: null, text }));
    this.body = new DotEncoder();
  }

  /** Writes message bytes (dot-stuffed; bare CR/LF normalised to CRLF). */
  writeBody(chunk: Uint8Array): void {
    if (!this.body) throw new Error('writeBody() before beginBody()');
    this.out.push(this.body.encode(chunk));
  }

  /** Ends the message with CRLF "." CRLF and goes on with the next command. */
  endBody(): ServerEvent[] {
    if (!this.body) throw new Error('endBody() before beginBody()');
    this.out.push(this.body.end());
    this.body = null;
    return this.done(true);
  }

  /** During AUTH: sends `+ base64` and waits for the client's line (an `auth-response` event). */
  challenge(data: Uint8Array): ServerEvent[] {
    const p = this.pending;
    // Closed (a limit closed the session in the same receive() that brought the AUTH) or nothing
    // waiting: nothing to answer, as with ok() / err().
    if (p === null || this._state === 'closed') return [];
    if (!('auth' in p || p.command.verb === 'AUTH')) throw new Error('challenge(): no AUTH exchange is waiting');
    this.out.pushText(`+ ${encodeSaslChallenge(data)}\r\n`);
    this.pending = null;
    this.pausedBy = null;
    this.control(this.parser.expectAuthLine());
    const events: ServerEvent[] = [];
    this.pump(events);
    return events;
  }

  /** Whether a CAPA line applies in the current state. */
  private offers(line: string): boolean {
    const keyword = line.split(' ', 1)[0]!.toUpperCase();
    if (keyword === 'STLS') return !this.tls && this._state === 'authorization';
    if ((keyword === 'USER' || keyword === 'SASL') && this.opts.authRequiresTls && !this.tls) return false;
    return true;
  }

  /** Items a parser control call returned come before anything still unread. */
  private control(items: CommandParserItem[]): void {
    if (items.length > 0) {
      this.items.prepend(items);
      if (this.parser.expecting === 'paused') this.pausedBy = pauseKey(items[items.length - 1]!);
    }
  }

  /** Back to command lines, if (and only if) `key` is what paused the parser. */
  private resumeAfter(key: unknown): void {
    if (this.parser.expecting === 'paused' && this.pausedBy === key) {
      this.pausedBy = null;
      this.control(this.parser.resume());
    }
  }

  private done(ok: boolean): ServerEvent[] {
    const p = this.pending!;
    this.pending = null;
    const events: ServerEvent[] = [];
    if ('auth' in p) {
      if (ok) this._state = 'transaction';
      this.resumeAfter(p.auth);
    } else {
      const c = p.command;
      if (c.verb === 'AUTH') {
        // AUTH without a mechanism lists them (RFC 5034 4); only AUTH with one logs in, and
        // only it paused the parser.
        if (ok && c.mechanism !== null) this._state = 'transaction';
        this.resumeAfter(c);
      } else if (c.verb === 'USER') {
        this.user = ok ? c.argument : null;
      } else if (c.verb === 'PASS' || c.verb === 'APOP') {
        if (ok) this._state = 'transaction';
        this.user = null;
      } else if (c.verb === 'STLS') {
        if (ok) {
          // Everything the client sent after STLS came in clear text: drop it (RFC 2595 4).
          const unread = this.items.clear();
          const discarded = this.parser.startTls() + this.input.clear();
          this.pausedBy = null;
          this.tlsPending = true;
          if (discarded > 0 || unread > 0) events.push(errorItem(new ProtocolError('UNEXPECTED', `${discarded} octets sent after STLS in clear text, dropped`)));
          events.push({ type: 'starttls', discarded });
          return events;
        }
        this.resumeAfter(c);
      } else if (c.verb === 'QUIT') {
        this.close(events);
        return events;
      }
    }
    this.pump(events);
    return events;
  }

  private close(events: ServerEvent[]): void {
    this._state = 'closed';
    this.pending = null;
    this.input.clear();
    this.items.clear();
    events.push({ type: 'closed' });
  }

  private closeWith(text: string, events: ServerEvent[]): void {
    this.auto(text, text, events, null, false);
    this.close(events);
  }

  private auto(text: string, reason: string, events: ServerEvent[], code: string | null = null, counts = true): void {
    const reply: StatusResponse = { status: '-ERR', code, text };
    this.out.pushText(encodeResponse(reply));
    events.push({ type: 'auto-reply', reply, reason });
    const max = this.opts.maxErrors ?? 10;
    if (counts && max > 0 && ++this.errors > max && this._state !== 'closed') this.closeWith('Too many bad commands', events);
  }

  /** Reads on until a command waits for the application, the output is over `maxOutput`, or nothing is left. */
  private pump(events: ServerEvent[]): void {
    this.pumpEvents = events;
    this.items.pump(this.steps);
  }

  /** The read loop's steps (core/input-backlog.ts ParsedInput), made once: events go to {@link pumpEvents}. */
  private readonly steps: PumpSteps<CommandParserItem> = {
    reading: () => this.pending === null && this._state !== 'closed' && !this.tlsPending && this.out.length <= (this.opts.maxOutput ?? 1024 * 1024),
    want: () => (this.parser.expecting === 'paused' ? null : false),
    parse: (slice) => {
      const items = this.parser.push(slice);
      if (this.parser.expecting === 'paused' && items.length > 0) this.pausedBy = pauseKey(items[items.length - 1]!);
      return items;
    },
    handle: (it) => this.item(it, this.pumpEvents),
  };
  /** Where the items handled by the running pump report. */
  private pumpEvents: ServerEvent[] = [];

  private item(it: CommandParserItem, events: ServerEvent[]): void {
    if (it.type === 'error') {
      events.push(it);
      // A fixed text: the line may be a password (never echo the client's bytes).
      this.auto(it.error.code === 'LINE_TOO_LONG' ? 'line too long' : 'syntax error', `command refused: ${it.error.code}`, events);
    } else if (it.type === 'auth-line') {
      const l = parseSaslClientLine(it.line);
      if (l instanceof ProtocolError || l.cancel) {
        if (l instanceof ProtocolError) events.push(errorItem(l));
        this.auto(l instanceof ProtocolError ? 'bad base64 in AUTH exchange' : 'AUTH cancelled', l instanceof ProtocolError ? 'AUTH response is not base64' : 'client cancelled AUTH', events);
        this.resumeAfter(it);
      } else {
        this.pending = { auth: it };
        events.push({ type: 'auth-response', response: l.response });
      }
    } else this.command(it.command, events);
  }

  private command(c: Command, events: ServerEvent[]): void {
    const name = c.verb === 'UNKNOWN' ? c.name : c.verb;
    // RFC 1939 7: PASS only "immediately after a successful USER"; anything else in between voids it.
    const user = this.user;
    if (c.verb !== 'PASS') this.user = null;
    const refuse = (text: string, reason: string, code: string | null = null) => {
      this.auto(text, reason, events, code);
      // The parser paused after AUTH/STLS; refused, they leave the stream in command mode.
      this.resumeAfter(c);
    };
    const allowed = this._state === 'authorization' ? AUTHORIZATION : TRANSACTION;
    if (c.verb === 'UNKNOWN') return refuse('unknown command', 'unknown command');
    if (!allowed.has(name)) return refuse(`${name} not allowed in the ${this._state.toUpperCase()} state`, `${name} in ${this._state}`);
    if (c.verb === 'STLS' && this.tls) return refuse('TLS already active', 'STLS after TLS');
    if (LOGIN.has(c.verb) && this.opts.authRequiresTls && !this.tls && !(c.verb === 'AUTH' && c.mechanism === null)) {
      return refuse('Plaintext authentication disallowed on non-secure (SSL/TLS) connections', `${name} before TLS`, 'AUTH');
    }
    if (c.verb === 'PASS' && user === null) return refuse('PASS must follow a successful USER', 'PASS without USER');
    this.errors = 0;
    if (c.verb === 'QUIT' && this._state === 'transaction') this._state = 'update';
    this.pending = { command: c };
    events.push(c.verb === 'PASS' ? { type: 'command', command: c, user: user! } : { type: 'command', command: c });
  }
}
