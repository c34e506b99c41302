/**
 * POP3 server session (RFC 1939 states AUTHORIZATION -> TRANSACTION -> UPDATE, RFC 2449
 * CAPA, RFC 2595 STLS, RFC 5034 AUTH): enforces which commands each state allows, hands valid
 * commands to the application as events, and frames its answers, dot-stuffing multiline
 * ones. Deletion marks, RSET and the UPDATE work belong to the application. No I/O.
 *
 * @packageDocumentation
 */

import { ProtocolError } from '../core/errors';
import { DotEncoder } from '../core/dot-stuffing';
import { OutputQueue } from '../core/output-queue';
import { encodeSaslChallenge, parseSaslClientLine } from '../core/sasl';
import { encodeResponse } from './response';
import { CommandParser, type CommandParserItem, type CommandParserOptions } from './parser';
import type { Command } from './types';

/** Appends in a loop: spreading a flood of parsed items as call arguments would overflow the stack. */
function append<T>(to: T[], items: readonly T[]): void {
  for (const x of items) to.push(x);
}

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
/** The session answered by itself (command not valid in this state, syntax error, cancelled AUTH). */
export interface ServerAutoReplyEvent {
  readonly type: 'auto-reply';
  readonly text: string;
}
/** After `+OK` to STLS: wrap the connection in TLS. */
export interface ServerTlsEvent {
  readonly type: 'stls';
  /** Clear-text input pipelined after STLS, dropped: buffered octets plus commands already parsed. */
  readonly discarded: number;
}
/** The session sent its final answer to QUIT: close the connection after writing the output. */
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
   * Most unread octets held while the parser is paused for the application's answer (after
   * AUTH, STLS; a compliant client sends nothing more until that answer). Past it
   * the session closes the connection, as for \`maxPending\`. Default 1 MiB.
   */
  readonly maxWaitingInput?: number;
  /** Most parsed items waiting behind an unanswered command. Default 1000. */
  readonly maxPending?: number;
  /** Parser options. */
  readonly parser?: CommandParserOptions;
}

const AUTHORIZATION = new Set(['USER', 'PASS', 'APOP', 'AUTH', 'CAPA', 'STLS', 'QUIT', 'UTF8', 'LANG']);
const TRANSACTION = new Set(['STAT', 'LIST', 'RETR', 'DELE', 'NOOP', 'RSET', 'QUIT', 'TOP', 'UIDL', 'CAPA', 'LAST', 'LANG']);

/**
 * A server-side POP3 session.
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
  private pending: Command | 'auth-response' | null = null;
  private backlog: CommandParserItem[] = [];
  private _state: ServerState = 'authorization';
  private user: string | null = null;
  private body: DotEncoder | null = null;

  constructor(options: ServerSessionOptions = {}) {
    this.opts = options;
    this.parser = new CommandParser(options.parser);
    this.out.pushText(encodeResponse({ status: '+OK', code: null, text: options.greeting ?? 'POP3 server ready' }));
  }

  /** The RFC 1939 state. */
  get state(): ServerState {
    return this._state;
  }

  /** Feeds bytes from the client. */
  receive(chunk: Uint8Array): ServerEvent[] {
    if (this._state === 'closed') return [];
    const events = this.handle(this.parser.push(chunk));
    if (this.parser.expecting === 'paused' && this.parser.buffered > (this.opts.maxWaitingInput ?? 1024 * 1024) && (this._state as string) !== 'closed') {
      this.parser.startTls(); // drops what was buffered
      this.backlog = [];
      this.auto('too much input while waiting for the server', events);
      this._state = 'closed';
      events.push({ type: 'closed' });
    }
    return events;
  }

  /** End of the client's stream (no UPDATE: RFC 1939 6 says a dropped connection deletes nothing). */
  end(): ServerEvent[] {
    const ev = this.handle(this.parser.end());
    this._state = 'closed';
    return ev;
  }

  /** Drains the bytes to write. */
  takeOutput(): Uint8Array[] {
    return this.out.take();
  }

  /** Answers the waiting command with `+OK [code] text`. */
  ok(text = '', code: string | null = null): ServerEvent[] {
    this.out.pushText(encodeResponse({ status: '+OK', code, text }));
    return this.done(true);
  }

  /** Answers the waiting command with `-ERR [code] text` (RFC 2449 8 codes: IN-USE, LOGIN-DELAY, SYS/TEMP, SYS/PERM, AUTH...). */
  err(text = '', code: string | null = null): ServerEvent[] {
    this.out.pushText(encodeResponse({ status: '-ERR', code, text }));
    return this.done(false);
  }

  /** Answers with `+OK text` and a dot-stuffed listing (LIST, UIDL, CAPA, LANG). */
  listing(text: string, lines: readonly string[]): ServerEvent[] {
    this.out.pushText(encodeResponse({ status: '+OK', code: null, text }));
    const enc = new DotEncoder();
    for (const l of lines) {
      if (/[\r\n]/.test(l)) throw new TypeError('listing lines must not contain CR or LF');
      this.out.push(enc.encode(new TextEncoder().encode(`${l}\r\n`)));
    }
    this.out.push(enc.end());
    return this.done(true);
  }

  /** Starts a RETR/TOP answer: `+OK text`; then {@link writeBody} and {@link endBody}. */
  beginBody(text = ''): void {
    if (this.pending === null || this.pending === 'auth-response') throw new Error('beginBody(): no command is waiting');
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
    if (!(p === 'auth-response' || (p !== null && p.verb === 'AUTH'))) throw new Error('challenge(): no AUTH exchange is waiting');
    this.out.pushText(`+ ${encodeSaslChallenge(data)}\r\n`);
    this.pending = null;
    return this.handle(this.parser.expectAuthLine());
  }

  private done(ok: boolean): ServerEvent[] {
    const p = this.pending;
    if (p === null) throw new Error('nothing is waiting for an answer');
    this.pending = null;
    const events: ServerEvent[] = [];
    let items: CommandParserItem[] = [];
    if (p === 'auth-response' || p.verb === 'AUTH') {
      if (ok && !(p !== 'auth-response' && p.mechanism === null)) this._state = 'transaction';
      items = this.parser.resume();
    } else if (p.verb === 'USER') {
      this.user = ok ? p.argument : null;
    } else if (p.verb === 'PASS' || p.verb === 'APOP') {
      if (ok) this._state = 'transaction';
      this.user = null;
    } else if (p.verb === 'STLS') {
      if (ok) {
        // Commands pipelined behind STLS came in clear text: drop them (RFC 2595 4).
        const queued = this.backlog.length;
        this.backlog = [];
        events.push({ type: 'stls', discarded: this.parser.startTls() + queued });
      }
      else items = this.parser.resume();
    } else if (p.verb === 'QUIT') {
      this._state = 'closed';
      events.push({ type: 'closed' });
      return events;
    }
    append(events, this.handle(items));
    return events;
  }

  private auto(text: string, events: ServerEvent[]): void {
    this.out.pushText(encodeResponse({ status: '-ERR', code: null, text }));
    events.push({ type: 'auto-reply', text });
  }

  private handle(items: CommandParserItem[]): ServerEvent[] {
    append(this.backlog, items);
    const events: ServerEvent[] = [];
    if (this.backlog.length > (this.opts.maxPending ?? 1000)) {
      this.backlog = [];
      this.auto('too many pipelined commands without reading responses', events);
      this._state = 'closed';
      events.push({ type: 'closed' });
      return events;
    }
    while (this.pending === null && this.backlog.length > 0 && this._state !== 'closed') {
      const it = this.backlog.shift()!;
      if (it.type === 'error') {
        events.push(it);
        this.auto(it.error.code === 'LINE_TOO_LONG' ? 'line too long' : `syntax error: ${it.error.message}`.slice(0, 200), events);
      } else if (it.type === 'auth-line') {
        const l = parseSaslClientLine(it.line);
        if (l instanceof ProtocolError || l.cancel) {
          if (l instanceof ProtocolError) events.push({ type: 'error', error: l });
          this.auto(l instanceof ProtocolError ? 'bad base64 in AUTH exchange' : 'AUTH cancelled', events);
          this.backlog = this.parser.resume().concat(this.backlog);
        } else {
          this.pending = 'auth-response';
          events.push({ type: 'auth-response', response: l.response });
        }
      } else this.command(it.command, events);
    }
    return events;
  }

  private command(c: Command, events: ServerEvent[]): void {
    const name = c.verb === 'UNKNOWN' ? c.name : c.verb;
    // RFC 1939 7: PASS only "immediately after a successful USER"; anything else in between voids it.
    const user = this.user;
    if (c.verb !== 'PASS') this.user = null;
    const allowed = this._state === 'authorization' ? AUTHORIZATION : TRANSACTION;
    if (c.verb === 'UNKNOWN' || !allowed.has(name)) {
      this.auto(c.verb === 'UNKNOWN' ? `unknown command ${name}` : `${name} not allowed in the ${this._state.toUpperCase()} state`, events);
      // The parser paused after AUTH/STLS; refused, they leave the stream in command mode.
      if ((c.verb === 'AUTH' && c.mechanism !== null) || c.verb === 'STLS') append(this.backlog, this.parser.resume());
      return;
    }
    if (c.verb === 'PASS' && user === null) return this.auto('PASS must follow a successful USER', events);
    if (c.verb === 'QUIT' && this._state === 'transaction') this._state = 'update';
    this.pending = c;
    events.push(c.verb === 'PASS' ? { type: 'command', command: c, user: user! } : { type: 'command', command: c });
  }
}
