/**
 * SMTP/LMTP server session (RFC 5321 4.1.4 command order, 4.3.2 reply codes; RFC 2033;
 * RFC 3030; RFC 3207; RFC 4954): enforces the command sequence, hands each valid command
 * to the application as an event, and frames the replies it chooses. No I/O.
 *
 * @packageDocumentation
 */

import { errorItem, ProtocolError } from '../core/errors';
import { InputBacklog, ParsedInput, type PumpSteps } from '../core/input-backlog';
import { OutputQueue } from '../core/output-queue';
import { decodeInitialResponse, encodeSaslChallenge, parseSaslClientLine } from '../core/sasl';
import { capabilityLines, type Extension } from './capabilities';
import { extensionOfParameter } from './extension-parameters';
import { readMailParameters, readRcptParameters } from './parameters';
import { CommandParser, type CommandParserItem, type CommandParserOptions } from './parser';
import { encodeReply } from './reply';
import type { Command, EnhancedStatus, Parameter, Path, Reply } from './types';

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

/**
 * The session answered something by itself (bad sequence, syntax, limits, cancelled AUTH):
 * `reply` is what it wrote, `reason` why. The same shape in all three protocols.
 */
export interface ServerAutoReplyEvent {
  readonly type: 'auto-reply';
  readonly reply: Reply;
  /** Why, for logs. Never quotes the client's bytes. */
  readonly reason: string;
}

/** Bad input from the client; the session already replied or will, and stays in sync. */
export interface ServerErrorEvent {
  readonly type: 'error';
  readonly error: ProtocolError;
}

/**
 * The session replied 220 to STARTTLS: wrap the connection in TLS now and call
 * {@link ServerSession.tlsEstablished} when the handshake is done; the session was reset.
 * Until then every byte given to `receive()` is dropped (clear text injected before the
 * handshake) and reported as an `UNEXPECTED` error event.
 */
export interface ServerTlsEvent {
  readonly type: 'starttls';
  /**
   * Clear-text octets the client sent after its STARTTLS line, dropped (CVE-2011-0411); an
   * `UNEXPECTED` error event comes before this one when it is not 0. Non-zero means a
   * misbehaving or hostile client.
   */
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

/**
 * The extensions {@link ServerSession.accept} announces to EHLO/LHLO unless told otherwise
 * (SIZE is added when `maxMessageSize` is set; STARTTLS and AUTH only when you add them).
 */
export const DEFAULT_EXTENSIONS: readonly Extension[] = Object.freeze(
  ['PIPELINING', '8BITMIME', 'ENHANCEDSTATUSCODES', 'CHUNKING', 'SMTPUTF8'].map((keyword) => Object.freeze({ keyword, params: Object.freeze([]) as readonly string[] })),
);

/** Options of {@link ServerSession}. */
export interface ServerSessionOptions {
  /** The server's host name, used in the greeting and the EHLO reply. */
  readonly domain: string;
  /** Greeting text after the domain; default "ESMTP mailwire" ("LMTP mailwire" in LMTP mode). */
  readonly greeting?: string;
  /** LMTP (RFC 2033): LHLO instead of HELO/EHLO, one reply per recipient after the body. */
  readonly lmtp?: boolean;
  /**
   * Extensions announced in the EHLO reply by `accept()`, added to {@link DEFAULT_EXTENSIONS}
   * (one with the keyword of a default one replaces it, e.g. `SIZE 1000`). Add
   * `{ keyword: 'STARTTLS', params: [] }` and `{ keyword: 'AUTH', params: ['PLAIN'] }` to offer
   * them: STARTTLS is announced only before TLS, AUTH only while it may be used (not after a
   * successful AUTH, and with `authRequiresTls` only after TLS).
   */
  readonly extensions?: readonly Extension[];
  /** Keywords of default extensions not to announce (e.g. `['CHUNKING']`). Default none. */
  readonly withoutExtensions?: readonly string[];
  /**
   * Refuse AUTH before TLS (`530 5.7.0 Must issue a STARTTLS command first`, RFC 3207 4) and
   * announce AUTH only after it. Default false.
   */
  readonly authRequiresTls?: boolean;
  /** Largest message accepted in octets (SIZE); 0 = no limit. Default 0. */
  readonly maxMessageSize?: number;
  /** Most recipients per transaction (RFC 5321 4.5.3.1.8 requires at least 100). Default 100. */
  readonly maxRecipients?: number;
  /**
   * Most octets the client may send while the session waits for the application's answer
   * (a compliant client waits after DATA, AUTH, STARTTLS, or any command without
   * PIPELINING). Past it the session replies 421 and closes. Default 1 MiB.
   */
  readonly maxWaitingInput?: number;
  /**
   * Most command lines the client may pipeline behind a command that waits for the
   * application's answer; past it the session replies 421 and closes. Checked when a further
   * read arrives while input is held (`inputHeld`): one read by itself is never refused, so
   * the answers do not depend on how the bytes were split. Default 1000.
   */
  readonly maxPending?: number;
  /**
   * Most output octets waiting in `takeOutput()` before the session stops handing out
   * pipelined commands (the rest of the input waits, see {@link ServerSession.inputHeld});
   * bounds what one read of many pipelined commands can make the server write. Default 1 MiB.
   */
  readonly maxOutput?: number;
  /**
   * Error replies (4xx/5xx, the session's or the application's) a client may get before the
   * session says `421 4.7.0 Too many errors` and closes; a delivered message starts the count
   * again. Like Postfix's `smtpd_hard_error_limit`, whose default this is. 0 = no limit. Default 20.
   */
  readonly maxErrors?: number;
  /**
   * Like Postfix's `smtpd_forbid_unauth_pipelining`: a client that sends a command before the
   * greeting was taken with `takeOutput()`, or sends more before a reply while PIPELINING was not
   * offered (before EHLO, after HELO, or with PIPELINING removed), gets
   * `554 5.5.0 SMTP protocol synchronization error` and the session closes (RFC 5321 4.3.1;
   * RFC 2920 3.1). Default false: a session cannot see when its greeting was written, only
   * when it was taken.
   */
  readonly forbidUnauthPipelining?: boolean;
  /** Options of the underlying {@link CommandParser}. */
  readonly parser?: CommandParserOptions;
}

type Pending = { kind: 'command'; command: Command } | { kind: 'data-end'; last: boolean } | { kind: 'auth-response'; item: CommandParserItem };

const r = (code: number, text: string, enhanced: EnhancedStatus | null = null): Reply => ({ code, enhanced, lines: [text] });
const es = (c: number, s: number, d: number): EnhancedStatus => ({ class: c, subject: s, detail: d });

/** What identifies the item that paused the parser: the command itself, or the AUTH line item. */
function pauseKey(item: CommandParserItem): unknown {
  return item.type === 'command' ? item.command : item;
}

/** The fixed reply text for a command line the parser refused (never the client's bytes: they may be a password). */
function syntaxText(e: ProtocolError): string {
  switch (e.code) {
    case 'LINE_TOO_LONG':
      return 'Line too long';
    case 'BARE_LF':
    case 'BARE_CR':
      return 'Bare CR or LF not allowed; use CRLF';
    case 'TOO_MANY':
      return 'Too many parameters';
    case 'INVALID_ENCODING':
      return 'Invalid encoding in command';
    default:
      return 'Syntax error in command or parameters';
  }
}

/**
 * A server-side SMTP/LMTP session.
 *
 * Input is read one command at a time: the next pipelined command is looked at only once the
 * ones before it are answered (RFC 2920 3.1: replies and effects in order), so a RCPT behind a
 * MAIL sees the state that MAIL's reply produced; bytes not yet read wait by reference.
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
  private readonly input: InputBacklog;
  /** Items the parser produced from the last slice, not yet processed, and the read loop (core). */
  private readonly items: ParsedInput<CommandParserItem>;
  /** The item after which the parser paused: only answering it resumes the parser. */
  private pausedBy: unknown = null;
  /** The one item the application must answer before anything behind it is looked at. */
  private pending: Pending | null = null;
  private _state: ServerState = 'start';
  private greeted = false;
  private extendedHello = false;
  private pipeliningOffered = false;
  private greetingTaken = false;
  private from: Path | null = null;
  private to: Path[] = [];
  private size = 0;
  private bodyRejected: string | null = null;
  private inBdat = false;
  /** A BDAT arrived outside a transaction: its chunk is swallowed and answered 503 at its end. */
  private orphanBdat = false;
  private authenticated = false;
  private tls = false;
  private tlsPending = false;
  private errors = 0;

  constructor(options: ServerSessionOptions) {
    this.opts = options;
    this.parser = new CommandParser(options.parser);
    this.input = new InputBacklog({ maxPending: options.maxPending, maxWaitingInput: options.maxWaitingInput });
    this.items = new ParsedInput(this.input);
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

  /**
   * Feeds bytes from the client (kept by reference until read: do not reuse the buffer);
   * returns events in order. Never throws.
   */
  receive(chunk: Uint8Array): ServerEvent[] {
    if (this._state === 'closed') return [];
    if (this.tlsPending) return chunk.length > 0 ? [errorItem(new ProtocolError('UNEXPECTED', `${chunk.length} clear-text octets after STARTTLS, before the TLS handshake, dropped`))] : [];
    const events: ServerEvent[] = [];
    if (chunk.length > 0 && this.opts.forbidUnauthPipelining && !this.greetingTaken) {
      this.closeWith(r(554, 'SMTP protocol synchronization error', es(5, 5, 0)), 'client talked before the greeting', events);
      return events;
    }
    // The bounds apply to what a peer sends after the session asked the caller to stop reading
    // (`inputHeld`), never to one read by itself: otherwise the same bytes in one read or in
    // two would be answered differently. A read is kept by reference, so holding it costs nothing.
    const wasHeld = this.inputHeld && chunk.length > 0;
    this.input.append(chunk);
    this.pump(events);
    if (wasHeld && this.pending !== null && this.inputHeld) {
      const over = this.input.overflow(this.parser.buffered);
      if (over === 'maxPending') this.closeWith(r(421, 'Too many pipelined commands without reading replies; closing', es(4, 7, 0)), 'backlog over maxPending', events);
      else if (over === 'maxWaitingInput') this.closeWith(r(421, 'Too much input while waiting; closing', es(4, 7, 0)), 'input over maxWaitingInput while waiting', events);
    }
    return events;
  }

  /** End of the client's stream. */
  end(): ServerEvent[] {
    if (this._state === 'closed' || this.tlsPending) {
      this._state = 'closed';
      return [];
    }
    const events: ServerEvent[] = [];
    // What was already received is still read (a QUIT behind a pipelined command).
    this.pump(events);
    if ((this._state as ServerState) !== 'closed' && !this.inputHeld) {
      // With a command still waiting, a reply now would answer the wrong one: report only.
      for (const it of this.parser.end()) if (this.pending === null) this.item(it, events);
      else if (it.type === 'error') events.push(it);
    }
    this._state = 'closed';
    return events;
  }

  /** Drains the bytes to write to the client. */
  takeOutput(): Uint8Array[] {
    this.greetingTaken = true;
    return this.out.take();
  }

  /**
   * The TLS handshake after the `starttls` event is done: input is read again (the client
   * starts over with EHLO, RFC 3207 4.2), and STARTTLS is no longer announced.
   */
  tlsEstablished(): ServerEvent[] {
    if (!this.tlsPending) return [];
    this.tlsPending = false;
    this.tls = true;
    return [];
  }

  /** True while a command, body or AUTH response waits for the application's answer. */
  get waiting(): boolean {
    return this.pending !== null;
  }

  /**
   * Answers the oldest waiting item with its usual positive reply; with nothing waiting (a
   * BDAT command: its chunk is answered at its `data-end`) it does nothing. So a handler that
   * accepts every `command` and `data-end` event is correct for every command the default
   * extensions invite. It never authenticates anyone: AUTH and an AUTH response get 535 (502
   * when AUTH was not announced), and STARTTLS that was not announced gets 502.
   */
  accept(): ServerEvent[] {
    const p = this.pending;
    if (p === null) return [];
    if (p.kind === 'data-end') {
      if (this.opts.lmtp && p.last) {
        return this.answer(this.to.map((t) => ({ code: 250, enhanced: es(2, 1, 5), lines: [`<${t.address}> delivered`] })));
      }
      return this.answer([p.last ? r(250, 'Message accepted', es(2, 0, 0)) : r(250, `${this.size} octets received`, es(2, 0, 0))]);
    }
    if (p.kind === 'auth-response') return this.answer([r(535, 'Authentication credentials invalid', es(5, 7, 8))]);
    const c = p.command;
    switch (c.verb) {
      case 'EHLO':
      case 'LHLO':
        // The client's name is echoed only when it is plain printable ASCII (never its raw octets).
        return this.answer([{ code: 250, enhanced: null, lines: capabilityLines(this.opts.domain, /^[\x21-\x7e]{1,255}$/.test(c.domain) ? `greets ${c.domain}` : 'greets you', this.announced()) }]);
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
        return this.answer([this.offers('STARTTLS') ? r(220, 'Ready to start TLS', es(2, 0, 0)) : r(502, 'Command not implemented', es(5, 5, 1))]);
      case 'AUTH':
        return this.answer([this.offers('AUTH') ? r(535, 'Authentication credentials invalid', es(5, 7, 8)) : r(502, 'Command not implemented', es(5, 5, 1))]);
      case 'VRFY':
        return this.answer([r(252, 'Cannot VRFY user, but will accept message and attempt delivery', es(2, 5, 2))]);
      case 'HELP':
        return this.answer([r(214, 'See RFC 5321', es(2, 0, 0))]);
      default:
        return this.answer([r(502, 'Command not implemented', es(5, 5, 1))]);
    }
  }

  /**
   * Answers the oldest waiting item with a reply of the application's choice (several for LMTP
   * bodies). With nothing waiting it does nothing. Throws a TypeError for a code or text that
   * cannot go on the wire (CR, LF), and a RangeError, before any state changes, for
   * `enhanced: null` with a text that starts with an enhanced code of the reply's class
   * (`reply(550, '5.1.1 user unknown')` would read back with enhanced 5.1.1: pass it as `enhanced`).
   */
  reply(code: number, text: string | readonly string[], enhanced: EnhancedStatus | null = null): ServerEvent[] {
    return this.answer([{ code, enhanced, lines: typeof text === 'string' ? [text] : [...text] }]);
  }

  /** Answers the oldest waiting item with the given replies (LMTP: one per recipient, in order). */
  replyAll(replies: readonly Reply[]): ServerEvent[] {
    return this.answer(replies);
  }

  /** During AUTH: sends a 334 challenge; the client's next line arrives as an `auth-response` event. */
  challenge(data: Uint8Array): ServerEvent[] {
    const p = this.pending;
    // Closed (a limit closed the session in the same receive() that brought the AUTH) or nothing
    // waiting: nothing to answer, as with reply().
    if (p === null || this._state === 'closed') return [];
    const isAuth = (p.kind === 'command' && p.command.verb === 'AUTH') || p.kind === 'auth-response';
    if (!isAuth) throw new Error('challenge(): the oldest waiting item is not an AUTH exchange');
    // RFC 4954 4: continue-req = "334" SP [base64] CRLF, so the space stays even when the challenge is empty.
    this.out.pushText(`334 ${encodeSaslChallenge(data)}\r\n`);
    this._state = 'auth';
    this.pending = null;
    const events: ServerEvent[] = [];
    this.control(this.parser.expectAuthLine());
    this.pump(events);
    return events;
  }

  /** What EHLO announces now: the defaults plus `extensions`, less what does not apply in this state. */
  private announced(): Extension[] {
    const out: Extension[] = [];
    const without = new Set((this.opts.withoutExtensions ?? []).map((k) => k.toUpperCase()));
    const added = this.opts.extensions ?? [];
    const addedKeys = new Set(added.map((e) => e.keyword.toUpperCase()));
    const defaults: Extension[] = [...DEFAULT_EXTENSIONS];
    if (this.opts.maxMessageSize) defaults.push({ keyword: 'SIZE', params: [String(this.opts.maxMessageSize)] });
    for (const e of [...defaults.filter((d) => !addedKeys.has(d.keyword)), ...added]) {
      const k = e.keyword.toUpperCase();
      if (without.has(k)) continue;
      if (k === 'STARTTLS' && this.tls) continue;
      if (k === 'AUTH' && (this.authenticated || (this.opts.authRequiresTls && !this.tls))) continue;
      out.push(e);
    }
    return out;
  }

  private offers(keyword: string): boolean {
    return this.announced().some((e) => e.keyword.toUpperCase() === keyword);
  }

  /** The first parameter whose extension (MTRK, NO-SOLICITING, CHECKPOINT, SUBMITTER, CONPERM, CONNEG) is not offered, or null. */
  private unofferedParameter(params: readonly Parameter[]): string | null {
    for (const p of params) {
      const ext = extensionOfParameter(p.keyword);
      if (ext !== null && !this.offers(ext)) return p.keyword;
    }
    return null;
  }

  private write(reply: Reply): void {
    this.out.pushText(encodeReply(reply));
  }

  /** Items a parser control call returned come before anything still unread. */
  private control(items: CommandParserItem[]): void {
    this.items.prepend(items);
    if (this.parser.expecting === 'paused' && items.length > 0) this.pausedBy = pauseKey(items[items.length - 1]!);
  }

  /** Back to command lines, if (and only if) `item` is what paused the parser. */
  private resumeAfter(item: unknown): void {
    if (this.parser.expecting === 'paused' && this.pausedBy === item) {
      this.pausedBy = null;
      this.control(this.parser.resume());
    }
  }

  private answer(replies: readonly Reply[]): ServerEvent[] {
    const p = this.pending;
    if (p === null || this._state === 'closed') return [];
    // Encode first: a reply the application built that cannot go on the wire throws here,
    // before anything changed.
    const bytes = replies.map((x) => encodeReply(x));
    this.pending = null;
    for (const b of bytes) this.out.pushText(b);
    const code = replies[0]?.code ?? 0;
    const ok = code >= 200 && code < 400;
    const events: ServerEvent[] = [];
    if (p.kind === 'data-end') {
      if (p.last) {
        if (ok) this.errors = 0;
        this.resetTransaction();
      } else this._state = 'data';
    } else if (p.kind === 'auth-response') {
      if (code === 235) this.authenticated = true;
      this._state = this.greeted ? 'ready' : 'start';
      this.resumeAfter(p.item);
    } else {
      const c = p.command;
      switch (c.verb) {
        case 'HELO':
        case 'EHLO':
        case 'LHLO':
          if (ok) {
            this.greeted = true;
            this.extendedHello = c.verb !== 'HELO';
            this.pipeliningOffered = c.verb !== 'HELO' && this.offers('PIPELINING');
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
          if (code === 354 && this.parser.expecting === 'paused' && this.pausedBy === c) {
            this._state = 'data';
            this.bodyRejected = null;
            this.pausedBy = null;
            this.control(this.parser.startData());
          } else this.resumeAfter(c);
          break;
        case 'RSET':
          this.resetTransaction();
          break;
        case 'QUIT':
          this.close(events);
          return events;
        case 'STARTTLS':
          if (code === 220) {
            // Everything the client sent after STARTTLS came in clear text: drop it (RFC 3207 4.2).
            const unread = this.items.clear();
            const discarded = this.parser.startTls() + this.input.clear();
            this.pausedBy = null;
            this.greeted = false;
            this.extendedHello = false;
            this.pipeliningOffered = false;
            this.resetTransaction();
            this._state = 'start';
            this.tlsPending = true;
            if (discarded > 0 || unread > 0) events.push(errorItem(new ProtocolError('UNEXPECTED', `${discarded} octets sent after STARTTLS in clear text, dropped`)));
            events.push({ type: 'starttls', discarded });
            return events;
          }
          this.resumeAfter(c);
          break;
        case 'AUTH':
          if (code === 235) this.authenticated = true;
          if (this._state === 'auth') this._state = this.greeted ? 'ready' : 'start';
          this.resumeAfter(c);
          break;
        default:
          break;
      }
    }
    if (code >= 400) this.countError(events);
    this.pump(events);
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

  private close(events: ServerEvent[]): void {
    this._state = 'closed';
    this.pending = null;
    this.input.clear();
    this.items.clear();
    events.push({ type: 'closed' });
  }

  private closeWith(reply: Reply, reason: string, events: ServerEvent[]): void {
    this.auto(reply, reason, events, false);
    this.close(events);
  }

  /** One more error reply: past `maxErrors` the session says 421 and closes (Postfix smtpd_hard_error_limit). */
  private countError(events: ServerEvent[]): void {
    const max = this.opts.maxErrors ?? 20;
    if (max > 0 && ++this.errors > max && this._state !== 'closed') this.closeWith(r(421, 'Too many errors; closing', es(4, 7, 0)), `more than ${max} error replies`, events);
  }

  /** Sends a reply the session chose by itself (nothing is waiting, so order is kept). */
  private auto(reply: Reply, reason: string, events: ServerEvent[], counts = true): void {
    events.push({ type: 'auto-reply', reply, reason });
    this.write(reply);
    if (counts && reply.code >= 400) this.countError(events);
  }

  /**
   * Reads on: processes parsed items, and feeds the parser the next line of input when they
   * are used up, until a command waits for the application, the output is over `maxOutput`,
   * or nothing is left.
   */
  private pump(events: ServerEvent[]): void {
    this.pumpEvents = events;
    this.items.pump(this.steps);
  }

  /** The read loop's steps (core/input-backlog.ts ParsedInput), made once: events go to {@link pumpEvents}. */
  private readonly steps: PumpSteps<CommandParserItem> = {
    reading: () => this.pending === null && this._state !== 'closed' && !this.tlsPending && this.out.length <= (this.opts.maxOutput ?? 1024 * 1024),
    want: () => {
      const mode = this.parser.expecting;
      return mode === 'paused' ? null : mode === 'data' || mode === 'bdat';
    },
    parse: (slice) => {
      const items = this.parser.push(slice);
      if (this.parser.expecting === 'paused' && items.length > 0) this.pausedBy = pauseKey(items[items.length - 1]!);
      return items;
    },
    handle: (it) => this.item(it, this.pumpEvents),
  };
  /** Where the items handled by the running pump report. */
  private pumpEvents: ServerEvent[] = [];

  /** Whether the client sent more before this command's reply without PIPELINING offered (RFC 5321 4.3.1 lock-step). */
  private pipelinedUnasked(): boolean {
    return !this.pipeliningOffered && (this.items.held || this.parser.buffered > 0);
  }

  private item(it: CommandParserItem, events: ServerEvent[]): void {
    switch (it.type) {
      case 'error': {
        events.push(it);
        const e = it.error;
        if (this._state === 'data' || this.inBdat) {
          if (e.code === 'BARE_LF' || e.code === 'BARE_CR') this.bodyRejected ??= 'bare CR or LF in message body (only CRLF line endings are allowed)';
        } else if (this._state === 'auth') {
          this.auth501(events, `bad AUTH line: ${e.code}`);
        } else this.auto(r(e.code === 'LINE_TOO_LONG' || e.code === 'BARE_LF' || e.code === 'BARE_CR' ? 500 : 501, syntaxText(e), es(5, 5, e.code === 'SYNTAX' ? 4 : 2)), `command refused: ${e.code}`, events);
        return;
      }
      case 'data':
        if (this.orphanBdat) return;
        this.size += it.chunk.length;
        if (this.opts.maxMessageSize && this.size > this.opts.maxMessageSize) this.bodyRejected ??= 'message exceeds the size limit';
        if (this.bodyRejected === null) events.push(it);
        return;
      case 'data-end': {
        const last = it.last;
        if (this.orphanBdat) {
          this.orphanBdat = false;
          this.auto(r(503, 'Need RCPT command', es(5, 5, 1)), 'BDAT without a valid transaction', events);
          return;
        }
        if (this.bodyRejected !== null) {
          const tooBig = this.bodyRejected.includes('size');
          const reply = tooBig ? r(552, 'Message exceeds fixed maximum message size', es(5, 3, 4)) : r(550, `Message refused: ${this.bodyRejected}`, es(5, 6, 0));
          this.auto(reply, this.bodyRejected, events);
          // Each LMTP recipient gets its own reply (RFC 2033 4.2).
          if (this.opts.lmtp) for (let i = 1; i < this.to.length; i++) this.auto(reply, this.bodyRejected, events, false);
          this.inBdat = !last;
          if (last) this.resetTransaction();
          else this._state = 'data';
          return;
        }
        this.inBdat = !last;
        this.pending = { kind: 'data-end', last };
        events.push({ type: 'data-end', last, from: this.from, to: [...this.to], size: this.size });
        return;
      }
      case 'auth-line': {
        const line = parseSaslClientLine(it.line);
        if (line instanceof ProtocolError) {
          events.push(errorItem(line));
          this.auth501(events, 'AUTH response is not base64', it);
        } else if (line.cancel) {
          this.auth501(events, 'client cancelled the exchange', it);
        } else {
          this.pending = { kind: 'auth-response', item: it };
          events.push({ type: 'auth-response', response: line.response });
        }
        return;
      }
      case 'command':
        if (this.opts.forbidUnauthPipelining && this.pipelinedUnasked()) {
          this.closeWith(r(554, 'SMTP protocol synchronization error', es(5, 5, 0)), `${it.command.verb} pipelined while PIPELINING was not offered`, events);
          return;
        }
        this.command(it.command, events);
        return;
    }
  }

  private auth501(events: ServerEvent[], reason: string, item: unknown = null): void {
    // The exchange is answered by the session: 501 and back to commands.
    this._state = this.greeted ? 'ready' : 'start';
    this.auto(r(501, 'Authentication cancelled', es(5, 0, 0)), reason, events);
    if (item !== null) this.resumeAfter(item);
    else if (this.parser.expecting === 'paused') this.control(this.parser.resume());
  }

  private command(c: Command, events: ServerEvent[]): void {
    const refuse = (reply: Reply, reason: string) => {
      this.auto(reply, reason, events);
      this.resumeAfter(c);
    };
    const bad = (text: string) => refuse(r(503, text, es(5, 5, 1)), text);
    const lmtp = this.opts.lmtp ?? false;
    switch (c.verb) {
      case 'HELO':
      case 'EHLO':
        if (lmtp) return refuse(r(500, 'This is LMTP: use LHLO', es(5, 5, 1)), 'HELO/EHLO in LMTP');
        break;
      case 'LHLO':
        if (!lmtp) return refuse(r(500, 'Command unrecognized', es(5, 5, 1)), 'LHLO outside LMTP');
        break;
      case 'MAIL': {
        if (!this.greeted) return bad('Send HELO/EHLO first');
        if (this._state !== 'ready') return bad('Sender already specified');
        if (c.params.length > 0 && !this.extendedHello) return refuse(r(555, 'Parameters need EHLO', es(5, 5, 4)), 'MAIL parameters after HELO');
        const notOffered = this.unofferedParameter(c.params);
        if (notOffered !== null) return refuse(r(555, `${notOffered} parameter not supported`, es(5, 5, 4)), `${notOffered} without its extension offered`);
        const mp = readMailParameters(c.params);
        if (mp instanceof ProtocolError) return refuse(r(501, 'Invalid MAIL parameters', es(5, 5, 4)), mp.message);
        if (this.opts.maxMessageSize && mp.size !== undefined && mp.size > this.opts.maxMessageSize) {
          return refuse(r(552, 'Message size exceeds fixed maximum message size', es(5, 3, 4)), 'SIZE over limit');
        }
        break;
      }
      case 'RCPT':
        if (this._state !== 'mail' && this._state !== 'rcpt') return bad('Need MAIL command');
        {
          const notOffered = this.unofferedParameter(c.params);
          if (notOffered !== null) return refuse(r(555, `${notOffered} parameter not supported`, es(5, 5, 4)), `${notOffered} without its extension offered`);
          // RFC 3461 4.2: an ORCPT that does not decode to printable US-ASCII never reaches a DSN.
          const rp = readRcptParameters(c.params);
          if (rp instanceof ProtocolError) return refuse(r(501, 'Invalid RCPT parameters', es(5, 5, 4)), rp.message);
        }
        if (this.to.length >= (this.opts.maxRecipients ?? 100)) return refuse(r(452, 'Too many recipients', es(4, 5, 3)), 'maxRecipients');
        break;
      case 'DATA':
        if (this.inBdat) return bad('DATA after BDAT in the same transaction');
        if (this._state !== 'rcpt') {
          if (this._state !== 'mail') return bad('Need RCPT command');
          return refuse(r(554, 'No valid recipients', es(5, 5, 1)), 'DATA without recipients');
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
        events.push({ type: 'command', command: c });
        return;
      case 'AUTH':
        if (!this.extendedHello) return bad('Send EHLO first');
        if (this.authenticated) return bad('Already authenticated');
        if (this._state !== 'ready') return bad('AUTH not allowed during a mail transaction');
        if (this.opts.authRequiresTls && !this.tls) return refuse(r(530, 'Must issue a STARTTLS command first', es(5, 7, 0)), 'AUTH before TLS');
        if (c.initialResponse !== null && decodeInitialResponse(c.initialResponse) instanceof ProtocolError) {
          return refuse(r(501, 'Initial response is not base64', es(5, 5, 2)), 'bad initial response');
        }
        this._state = 'auth';
        break;
      case 'STARTTLS':
        if (this.tls) return refuse(r(554, 'TLS already active', es(5, 5, 1)), 'STARTTLS after TLS');
        break;
      case 'UNKNOWN':
        return refuse(r(500, 'Command unrecognized', es(5, 5, 2)), 'unknown command');
      default:
        break;
    }
    this.pending = { kind: 'command', command: c };
    events.push({ type: 'command', command: c });
  }
}
