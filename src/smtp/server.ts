/**
 * SMTP/LMTP server session (RFC 5321 4.1.4 command order, 4.3.2 reply codes; RFC 2033;
 * RFC 3030; RFC 3207; RFC 4954): enforces the command sequence, hands each valid command
 * to the application as an event, and frames the replies it chooses. No I/O.
 *
 * @packageDocumentation
 */

import { ProtocolError } from '../core/errors';
import { OutputQueue } from '../core/output-queue';
import { decodeInitialResponse, encodeSaslChallenge, parseSaslClientLine } from '../core/sasl';
import { capabilityLines, type Extension } from './capabilities';
import { readMailParameters, readRcptParameters } from './parameters';
import { CommandParser, type CommandParserItem, type CommandParserOptions } from './parser';
import { encodeReply } from './reply';
import type { Command, EnhancedStatus, Path, Reply } from './types';

/** Appends in a loop: spreading a flood of parsed items as call arguments would overflow the stack. */
function append<T>(to: T[], items: readonly T[]): void {
  for (const x of items) to.push(x);
}

/** Where the server is in the command sequence. */
export type ServerState = 'start' | 'ready' | 'mail' | 'rcpt' | 'data' | 'auth' | 'closed';

/**
 * A valid command, in a state that allows it: the application answers with `accept()` or
 * `reply()`. Exception: a `BDAT` command is answered at its `data-end` event, once its octets
 * have arrived (RFC 3030 2); its command event needs no answer.
 */
export interface ServerCommandEvent {
  readonly type: 'command';
  readonly command: Command;
}

/** A piece of the message body (DATA unstuffed, or BDAT octets). */
export interface ServerDataEvent {
  readonly type: 'data';
  readonly chunk: Uint8Array;
}

/**
 * The body is complete (DATA end, or BDAT LAST): answer with `accept()`/`reply()`. In LMTP
 * mode `accept()` sends one reply per accepted recipient (RFC 2033 4.2).
 * For a non-last BDAT chunk `last` is false and the answer acknowledges that chunk.
 */
export interface ServerMessageEvent {
  readonly type: 'data-end';
  readonly last: boolean;
  /** Envelope sender (null for `<>`). */
  readonly from: Path | null;
  /** Accepted recipients, in order. */
  readonly to: readonly Path[];
  /** Body octets received in this transaction so far. */
  readonly size: number;
}

/** A SASL response line from the client (after `challenge()`); answer with `challenge()` again or `reply()`. */
export interface ServerAuthResponseEvent {
  readonly type: 'auth-response';
  readonly response: Uint8Array;
}

/** The session answered something by itself (bad sequence, syntax, limits, cancelled AUTH). */
export interface ServerAutoReplyEvent {
  readonly type: 'auto-reply';
  readonly reply: Reply;
  /** Why. */
  readonly reason: string;
}

/** Bad input from the client; the session already replied or will, and stays in sync. */
export interface ServerErrorEvent {
  readonly type: 'error';
  readonly error: ProtocolError;
}

/** The session replied 220 to STARTTLS: wrap the connection in TLS now; the session was reset. */
export interface ServerTlsEvent {
  readonly type: 'starttls';
  /** Clear-text input the client pipelined after STARTTLS, dropped (CVE-2011-0411): buffered octets plus commands already parsed. Non-zero means a misbehaving or hostile client. */
  readonly discarded: number;
}

/** The session sent its final reply (221 after QUIT): close the connection after writing the output. */
export interface ServerClosedEvent {
  readonly type: 'closed';
}

/** Everything a {@link ServerSession} reports. */
export type ServerEvent =
  | ServerCommandEvent
  | ServerDataEvent
  | ServerMessageEvent
  | ServerAuthResponseEvent
  | ServerAutoReplyEvent
  | ServerErrorEvent
  | ServerTlsEvent
  | ServerClosedEvent;

/** Options of {@link ServerSession}. */
export interface ServerSessionOptions {
  /** The server's host name, used in the greeting and the EHLO reply. */
  readonly domain: string;
  /** Greeting text after the domain; default "ESMTP mailwire" ("LMTP mailwire" in LMTP mode). */
  readonly greeting?: string;
  /** LMTP (RFC 2033): LHLO instead of HELO/EHLO, one reply per recipient after the body. */
  readonly lmtp?: boolean;
  /**
   * Extensions announced in the EHLO reply by `accept()`. Default: PIPELINING, 8BITMIME,
   * ENHANCEDSTATUSCODES, CHUNKING, SMTPUTF8, SIZE (when maxMessageSize is set).
   */
  readonly extensions?: readonly Extension[];
  /** Largest message accepted in octets (SIZE); 0 = no limit. Default 0. */
  readonly maxMessageSize?: number;
  /** Most recipients per transaction (RFC 5321 4.5.3.1.8 requires at least 100). Default 100. */
  readonly maxRecipients?: number;
  /**
   * Most unread octets held while the parser is paused for the application's answer (after
   * DATA, AUTH, STARTTLS; a compliant client sends nothing more until that answer). Past it
   * the session closes the connection, as for \`maxPending\`. Default 1 MiB.
   */
  readonly maxWaitingInput?: number;
  /** Most replies owed to pipelined commands before the session stops reading (bounded queue). Default 1000. */
  readonly maxPending?: number;
  /** Options of the underlying {@link CommandParser}. */
  readonly parser?: CommandParserOptions;
}

type Pending = { kind: 'command'; command: Command } | { kind: 'data-end'; last: boolean } | { kind: 'auth-response' };

const r = (code: number, text: string, enhanced: EnhancedStatus | null = null): Reply => ({ code, enhanced, lines: [text] });
const es = (c: number, s: number, d: number): EnhancedStatus => ({ class: c, subject: s, detail: d });

/**
 * A server-side SMTP/LMTP session.
 *
 * @example
 * ```ts
 * import { smtp } from 'mailwire';
 * const s = new smtp.ServerSession({ domain: 'mx.example.org' });
 * s.takeOutput(); // the 220 greeting
 * for (const ev of s.receive(new TextEncoder().encode('EHLO client.example\r\n'))) {
 *   if (ev.type === 'command') s.accept(); // 250-mx.example.org ... PIPELINING ...
 * }
 * ```
 */
export class ServerSession {
  private readonly opts: ServerSessionOptions;
  private readonly parser: CommandParser;
  private readonly out = new OutputQueue();
  /** The one item the application must answer before anything behind it is looked at. */
  private pending: Pending | null = null;
  /**
   * Parser items received but not yet processed. Pipelined commands are checked only once
   * every command before them is answered (RFC 2920 3.1: replies and effects in order), so a
   * RCPT behind a MAIL sees the state that MAIL's reply produced.
   */
  private backlog: CommandParserItem[] = [];
  private _state: ServerState = 'start';
  private greeted = false;
  private extendedHello = false;
  private from: Path | null = null;
  private to: Path[] = [];
  private size = 0;
  private bodyRejected: string | null = null;
  private inBdat = false;
  /** A BDAT arrived outside a transaction: its chunk is swallowed and answered 503 at its end. */
  private orphanBdat = false;
  private authenticated = false;
  private expectingAuthResponse = false;

  constructor(options: ServerSessionOptions) {
    this.opts = options;
    this.parser = new CommandParser(options.parser);
    const text = options.greeting ?? (options.lmtp ? 'LMTP mailwire' : 'ESMTP mailwire');
    this.write(r(220, `${options.domain} ${text}`));
  }

  /** The current state in the command sequence. */
  get state(): ServerState {
    return this._state;
  }

  /** True once an AUTH exchange ended in 235. */
  get isAuthenticated(): boolean {
    return this.authenticated;
  }

  /** Feeds bytes from the client; returns events in order. */
  receive(chunk: Uint8Array): ServerEvent[] {
    if (this._state === 'closed') return [];
    const events = this.handle(this.parser.push(chunk));
    if (this.parser.expecting === 'paused' && this.parser.buffered > (this.opts.maxWaitingInput ?? 1024 * 1024) && (this._state as string) !== 'closed') {
      this.parser.startTls(); // drops what was buffered
      this.backlog = [];
      this.auto(r(421, 'Too much input while waiting; closing', es(4, 7, 0)), 'input over maxWaitingInput while paused', events);
      this._state = 'closed';
      events.push({ type: 'closed' });
    }
    return events;
  }

  /** End of the client's stream. */
  end(): ServerEvent[] {
    const ev = this.handle(this.parser.end());
    this._state = 'closed';
    return ev;
  }

  /** Drains the bytes to write to the client. */
  takeOutput(): Uint8Array[] {
    return this.out.take();
  }

  /** True while a command, body or AUTH response waits for the application's answer. */
  get waiting(): boolean {
    return this.pending !== null;
  }

  /** Answers the oldest waiting command with its usual positive reply. */
  accept(): ServerEvent[] {
    const p = this.front();
    if (p.kind === 'data-end') {
      if (this.opts.lmtp && p.last) {
        return this.answer(this.to.map((t) => ({ code: 250, enhanced: es(2, 1, 5), lines: [`<${t.address}> delivered`] })));
      }
      return this.answer([p.last ? r(250, 'Message accepted', es(2, 0, 0)) : r(250, `${this.size} octets received`, es(2, 0, 0))]);
    }
    if (p.kind !== 'command') throw new Error('accept(): the oldest waiting item is an AUTH response; answer it with challenge() or reply()');
    const c = p.command;
    switch (c.verb) {
      case 'EHLO':
      case 'LHLO': {
        const exts = this.opts.extensions ?? this.defaultExtensions();
        return this.answer([{ code: 250, enhanced: null, lines: capabilityLines(this.opts.domain, `greets ${c.domain}`, exts) }]);
      }
      case 'HELO':
        return this.answer([r(250, this.opts.domain)]);
      case 'MAIL':
        return this.answer([r(250, 'Sender OK', es(2, 1, 0))]);
      case 'RCPT':
        return this.answer([r(250, 'Recipient OK', es(2, 1, 5))]);
      case 'DATA':
        return this.answer([r(354, 'Start mail input; end with <CRLF>.<CRLF>')]);
      case 'RSET':
      case 'NOOP':
        return this.answer([r(250, 'OK', es(2, 0, 0))]);
      case 'QUIT':
        return this.answer([r(221, `${this.opts.domain} closing connection`, es(2, 0, 0))]);
      case 'STARTTLS':
        return this.answer([r(220, 'Ready to start TLS', es(2, 0, 0))]);
      case 'VRFY':
        return this.answer([r(252, 'Cannot VRFY user, but will accept message and attempt delivery', es(2, 5, 2))]);
      case 'HELP':
        return this.answer([r(214, 'See RFC 5321', es(2, 0, 0))]);
      default:
        return this.answer([r(502, 'Command not implemented', es(5, 5, 1))]);
    }
  }

  /** Answers the oldest waiting item with a reply of the application's choice (several for LMTP bodies). */
  reply(code: number, text: string | readonly string[], enhanced: EnhancedStatus | null = null): ServerEvent[] {
    return this.answer([{ code, enhanced, lines: typeof text === 'string' ? [text] : [...text] }]);
  }

  /** Answers the oldest waiting item with the given replies (LMTP: one per recipient, in order). */
  replyAll(replies: readonly Reply[]): ServerEvent[] {
    return this.answer(replies);
  }

  /** During AUTH: sends a 334 challenge; the client's next line arrives as an `auth-response` event. */
  challenge(data: Uint8Array): ServerEvent[] {
    const p = this.front();
    const isAuth = (p.kind === 'command' && p.command.verb === 'AUTH') || p.kind === 'auth-response';
    if (!isAuth) throw new Error('challenge(): the oldest waiting item is not an AUTH exchange');
    // RFC 4954 4: continue-req = "334" SP [base64] CRLF, so the space stays even when the challenge is empty.
    this.out.pushText(`334 ${encodeSaslChallenge(data)}\r\n`);
    this._state = 'auth';
    this.pending = null;
    this.expectingAuthResponse = true;
    return this.handle(this.parser.expectAuthLine());
  }

  private defaultExtensions(): Extension[] {
    const e: Extension[] = [{ keyword: 'PIPELINING', params: [] }, { keyword: '8BITMIME', params: [] }, { keyword: 'ENHANCEDSTATUSCODES', params: [] }, { keyword: 'CHUNKING', params: [] }, { keyword: 'SMTPUTF8', params: [] }];
    if (this.opts.maxMessageSize) e.push({ keyword: 'SIZE', params: [String(this.opts.maxMessageSize)] });
    return e;
  }

  private front(): Pending {
    if (this.pending === null) throw new Error('nothing is waiting for an answer');
    return this.pending;
  }

  private write(reply: Reply): void {
    this.out.pushText(encodeReply(reply));
  }

  private answer(replies: readonly Reply[]): ServerEvent[] {
    const p = this.front();
    this.pending = null;
    for (const x of replies) this.write(x);
    const code = replies[0]?.code ?? 0;
    const ok = code >= 200 && code < 400;
    const events: ServerEvent[] = [];
    let parserItems: CommandParserItem[] = [];
    if (p.kind === 'data-end') {
      if (p.last) this.resetTransaction();
      else this._state = 'data';
    } else if (p.kind === 'auth-response') {
      if (code === 235) this.authenticated = true;
      this._state = this.greeted ? 'ready' : 'start';
      parserItems = this.parser.resume();
    } else if (p.kind === 'command') {
      const c = p.command;
      switch (c.verb) {
        case 'HELO':
        case 'EHLO':
        case 'LHLO':
          if (ok) {
            this.greeted = true;
            this.extendedHello = c.verb !== 'HELO';
            this.resetTransaction();
          }
          break;
        case 'MAIL':
          if (ok) {
            this.from = c.from;
            this.to = [];
            this.size = 0;
            this._state = 'mail';
          }
          break;
        case 'RCPT':
          if (ok) {
            this.to.push(c.to);
            this._state = 'rcpt';
          }
          break;
        case 'DATA':
          if (code === 354) {
            this._state = 'data';
            this.bodyRejected = null;
            parserItems = this.parser.startData();
          } else parserItems = this.parser.resume();
          break;
        case 'RSET':
          this.resetTransaction();
          break;
        case 'QUIT':
          this._state = 'closed';
          events.push({ type: 'closed' });
          return events;
        case 'STARTTLS':
          if (code === 220) {
            // Anything already parsed behind STARTTLS came in clear text: drop it (RFC 3207 4.2).
            const discarded = this.parser.startTls() + this.backlog.length;
            this.backlog = [];
            this.greeted = false;
            this.extendedHello = false;
            this.resetTransaction();
            this._state = 'start';
            events.push({ type: 'starttls', discarded });
          } else parserItems = this.parser.resume();
          break;
        case 'AUTH':
          if (code === 235) this.authenticated = true;
          if (this._state === 'auth') this._state = 'ready';
          parserItems = this.parser.resume();
          break;
        default:
          break;
      }
    }
    append(events, this.handle(parserItems));
    return events;
  }

  private resetTransaction(): void {
    this.from = null;
    this.to = [];
    this.size = 0;
    this.inBdat = false;
    this.bodyRejected = null;
    if (this._state !== 'closed') this._state = this.greeted ? 'ready' : 'start';
  }

  /** Sends a reply the session chose by itself (nothing is waiting, so order is kept). */
  private auto(reply: Reply, reason: string, events: ServerEvent[]): void {
    events.push({ type: 'auto-reply', reply, reason });
    this.write(reply);
  }

  private handle(items: CommandParserItem[]): ServerEvent[] {
    for (const it of items) this.backlog.push(it);
    const events: ServerEvent[] = [];
    if (this.backlog.length > (this.opts.maxPending ?? 1000) && this._state !== 'closed') {
      this.backlog = [];
      this.auto(r(421, 'Too many pipelined commands without reading replies; closing', es(4, 7, 0)), 'backlog over maxPending', events);
      this._state = 'closed';
      events.push({ type: 'closed' });
      return events;
    }
    while (this.pending === null && this.backlog.length > 0) {
      const it = this.backlog.shift()!;
      if (this._state === 'closed') {
        this.backlog = [];
        break;
      }
      switch (it.type) {
        case 'error': {
          events.push({ type: 'error', error: it.error });
          const e = it.error;
          if (this._state === 'data' || this.inBdat) {
            if (e.code === 'BARE_LF' || e.code === 'BARE_CR') this.bodyRejected ??= 'bare CR or LF in message body (only CRLF line endings are allowed)';
          } else if (e.code === 'LINE_TOO_LONG') this.auto(r(500, 'Line too long', es(5, 5, 2)), e.message, events);
          else if (e.code === 'BARE_LF' || e.code === 'BARE_CR') this.auto(r(500, 'Bare CR or LF not allowed; use CRLF', es(5, 5, 2)), e.message, events);
          else if (this._state === 'auth') {
            this.auth501(events, e.message);
          } else this.auto(r(501, `Syntax error: ${e.message}`.slice(0, 200), es(5, 5, 4)), e.message, events);
          break;
        }
        case 'data':
          if (this.orphanBdat) break;
          this.size += it.chunk.length;
          if (this.opts.maxMessageSize && this.size > this.opts.maxMessageSize) this.bodyRejected ??= 'message exceeds the size limit';
          if (this.bodyRejected === null) events.push({ type: 'data', chunk: it.chunk });
          break;
        case 'data-end': {
          const last = it.last;
          if (this.orphanBdat) {
            this.orphanBdat = false;
            this.auto(r(503, 'Need RCPT command', es(5, 5, 1)), 'BDAT without a valid transaction', events);
            break;
          }
          if (this.bodyRejected !== null) {
            const tooBig = this.bodyRejected.includes('size');
            const reply = tooBig ? r(552, 'Message exceeds fixed maximum message size', es(5, 3, 4)) : r(550, `Message refused: ${this.bodyRejected}`, es(5, 6, 0));
            this.auto(reply, this.bodyRejected, events);
            // Each LMTP recipient gets its own reply (RFC 2033 4.2).
            if (this.opts.lmtp) for (let i = 1; i < this.to.length; i++) this.auto(reply, this.bodyRejected, events);
            this.inBdat = !last;
            if (last) this.resetTransaction();
            else this._state = 'data';
            break;
          }
          this.inBdat = !last;
          this.pending = { kind: 'data-end', last };
          events.push({ type: 'data-end', last, from: this.from, to: [...this.to], size: this.size });
          break;
        }
        case 'auth-line': {
          const line = parseSaslClientLine(it.line);
          if (line instanceof ProtocolError) {
            events.push({ type: 'error', error: line });
            this.auth501(events, line.message);
          } else if (line.cancel) {
            this.auth501(events, 'client cancelled the exchange');
          } else {
            this.expectingAuthResponse = false;
            this.pending = { kind: 'auth-response' };
            events.push({ type: 'auth-response', response: line.response });
          }
          break;
        }
        case 'command':
          this.command(it.command, events);
          break;
      }
    }
    return events;
  }

  private auth501(events: ServerEvent[], reason: string): void {
    // The exchange is answered by the session: 501 and back to commands.
    this.expectingAuthResponse = false;
    this._state = this.greeted ? 'ready' : 'start';
    this.auto(r(501, 'Authentication cancelled', es(5, 0, 0)), reason, events);
    for (const it of this.parser.resume()) this.backlog.push(it);
  }

  private command(c: Command, events: ServerEvent[]): void {
    const bad = (text: string) => {
      this.auto(r(503, text, es(5, 5, 1)), text, events);
      this.resumeIfPaused(c);
    };
    const lmtp = this.opts.lmtp ?? false;
    switch (c.verb) {
      case 'HELO':
      case 'EHLO':
        if (lmtp) return void this.auto(r(500, 'This is LMTP: use LHLO', es(5, 5, 1)), 'HELO/EHLO in LMTP', events);
        break;
      case 'LHLO':
        if (!lmtp) return void this.auto(r(500, 'Command unrecognized', es(5, 5, 1)), 'LHLO outside LMTP', events);
        break;
      case 'MAIL': {
        if (!this.greeted) return bad('Send HELO/EHLO first');
        if (this._state !== 'ready') return bad('Sender already specified');
        if (c.params.length > 0 && !this.extendedHello) return void this.auto(r(555, 'Parameters need EHLO', es(5, 5, 4)), 'MAIL parameters after HELO', events);
        const mp = readMailParameters(c.params);
        if (mp instanceof ProtocolError) return void this.auto(r(501, mp.message, es(5, 5, 4)), mp.message, events);
        if (this.opts.maxMessageSize && mp.size !== undefined && mp.size > this.opts.maxMessageSize) {
          return void this.auto(r(552, 'Message size exceeds fixed maximum message size', es(5, 3, 4)), 'SIZE over limit', events);
        }
        break;
      }
      case 'RCPT':
        if (this._state !== 'mail' && this._state !== 'rcpt') return bad('Need MAIL command');
        {
          // RFC 3461 4.2: an ORCPT that does not decode to printable US-ASCII never reaches a DSN.
          const rp = readRcptParameters(c.params);
          if (rp instanceof ProtocolError) return void this.auto(r(501, rp.message, es(5, 5, 4)), rp.message, events);
        }
        if (this.to.length >= (this.opts.maxRecipients ?? 100)) {
          return void this.auto(r(452, 'Too many recipients', es(4, 5, 3)), 'maxRecipients', events);
        }
        break;
      case 'DATA':
        if (this.inBdat) return bad('DATA after BDAT in the same transaction');
        if (this._state !== 'rcpt') {
          if (this._state !== 'mail') return bad('Need RCPT command');
          this.auto(r(554, 'No valid recipients', es(5, 5, 1)), 'DATA without recipients', events);
          return this.resumeIfPaused(c);
        }
        break;
      case 'BDAT':
        if (this._state !== 'rcpt' && this._state !== 'data') {
          // The chunk still follows the command and is consumed by the parser; the one reply
          // this BDAT gets (503, RFC 3030 2) goes out at its end, like any BDAT reply.
          this.orphanBdat = true;
          return;
        }
        this.inBdat = true;
        this._state = 'data';
        this.bodyRejected = this.bodyRejected ?? null;
        return void events.push({ type: 'command', command: c });
      case 'AUTH':
        if (!this.extendedHello) return bad('Send EHLO first');
        if (this.authenticated) return bad('Already authenticated');
        if (this._state !== 'ready') return bad('AUTH not allowed during a mail transaction');
        if (c.initialResponse !== null && decodeInitialResponse(c.initialResponse) instanceof ProtocolError) {
          this.auto(r(501, 'Initial response is not base64', es(5, 5, 2)), 'bad initial response', events);
          return this.resumeIfPaused(c);
        }
        this._state = 'auth';
        break;
      case 'STARTTLS':
        break;
      case 'UNKNOWN':
        return void this.auto(r(500, 'Command unrecognized', es(5, 5, 2)), `unknown verb ${c.name}`, events);
      default:
        break;
    }
    this.pending = { kind: 'command', command: c };
    events.push({ type: 'command', command: c });
  }

  /** After the session itself refused a command that paused the parser, commands follow again. */
  private resumeIfPaused(c: Command): void {
    if (c.verb === 'DATA' || c.verb === 'AUTH' || c.verb === 'STARTTLS') for (const it of this.parser.resume()) this.backlog.push(it);
  }
}
