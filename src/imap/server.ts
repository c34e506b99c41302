/**
 * IMAP server session (RFC 3501 3 and 6, RFC 9051): greeting, commands valid per state,
 * continuation requests for synchronizing literals, untagged data then the tagged
 * completion, IDLE, AUTHENTICATE, STARTTLS and LOGOUT framing. The application decides;
 * the session frames. No I/O.
 *
 * @packageDocumentation
 */

import { errorItem, ProtocolError } from '../core/errors';
import { InputBacklog, ParsedInput, type PumpSteps } from '../core/input-backlog';
import { OutputQueue } from '../core/output-queue';
import { encodeSaslChallenge, parseSaslClientLine, decodeInitialResponse } from '../core/sasl';
import { commandAllowedIn } from './command';
import { CommandParser, type CommandParserItem, type CommandParserOptions } from './command-parser';
import type { Command } from './command-types';
import { encodeResponse, encodeResponseFragments, encodeStreamedFetchEnd, encodeStreamedFetchStart, type StreamedFetchBody, type StreamedFetchStart } from './encoder';
import type { FetchAttributes, ResponseCode, TaggedResponse, UntaggedResponse } from './types';

/** RFC 3501 3 connection states. */
export type ServerState = 'not-authenticated' | 'authenticated' | 'selected' | 'logout';

/** Events of an IMAP server session. */
export type ServerEvent =
  /** A command valid in this state: write untagged data with `untagged()`, then complete it with `ok()`/`no()`/`bad()`. */
  | { readonly type: 'command'; readonly command: Command }
  /**
   * With `parser.appendStreamThreshold`: a piece of an APPEND / REPLACE message, in stream
   * order, before the `command` event whose message is then a `{ kind: 'streamed' }` stand-in
   * (a view of the bytes given to `receive()`: copy it to keep it). When no `command` event
   * follows (the state or the syntax refused it: an `auto-reply` for that tag), drop what came.
   */
  | { readonly type: 'literal-chunk'; readonly tag: string | null; readonly chunk: Uint8Array }
  /** The end of a streamed APPEND / REPLACE message: `size` octets came as `literal-chunk` events. */
  | { readonly type: 'literal-end'; readonly tag: string | null; readonly size: number }
  /** During AUTHENTICATE (after `challenge()`): the client's response. Answer with `challenge()` again or complete. */
  | { readonly type: 'auth-response'; readonly response: Uint8Array }
  /** The client ended IDLE with DONE: complete the IDLE command with `ok()`. */
  | { readonly type: 'idle-done'; readonly tag: string }
  /**
   * The session answered by itself (wrong state, syntax, literal too large, cancelled
   * AUTHENTICATE, a limit): `reply` is what it wrote, `reason` why. The same shape in all
   * three protocols.
   */
  | { readonly type: 'auto-reply'; readonly reply: TaggedResponse | UntaggedResponse; readonly reason: string }
  /**
   * OK was sent to STARTTLS: wrap the connection in TLS now and call `tlsEstablished()` when
   * the handshake is done. Until then every byte given to `receive()` is dropped (clear text
   * injected before the handshake) and reported as an `UNEXPECTED` error event.
   */
  | {
      readonly type: 'starttls';
      /** Clear-text octets the client sent after its STARTTLS line, dropped; an `UNEXPECTED` error event comes before this one when it is not 0. */
      readonly discarded: number;
    }
  /**
   * OK was sent to COMPRESS DEFLATE (RFC 4978): take the output (plain; the OK is its end),
   * then start deflating output and inflating input, pass the inflated `rest` (the octets
   * that came after the COMPRESS line in the same read: already compressed) and everything
   * after it to `receive()`, and call `compressionEstablished()`. Answers wait until then.
   */
  | { readonly type: 'compress'; readonly rest: Uint8Array }
  /** LOGOUT was answered (BYE then OK), or a limit closed the session: close the connection after writing the output. */
  | { readonly type: 'closed' }
  | { readonly type: 'error'; readonly error: ProtocolError };

/** Options of {@link ServerSession}. */
export interface ServerSessionOptions {
  /**
   * Capabilities announced in the greeting and by CAPABILITY. Default IMAP4rev1 IMAP4rev2
   * LITERAL+ IDLE SASL-IR AUTH=PLAIN. The session announces each only in the states where it
   * applies: STARTTLS and LOGINDISABLED only before TLS and login, AUTH= only before login
   * (and with `authRequiresTls` only after TLS), COMPRESS= only until compression is on.
   */
  readonly capabilities?: readonly string[];
  /** Greeting text. Default "mailwire ready". */
  readonly greeting?: string;
  /** Start authenticated (PREAUTH). */
  readonly preauth?: boolean;
  /**
   * Refuse LOGIN and AUTHENTICATE before TLS (`NO [PRIVACYREQUIRED]`, RFC 5530) and announce
   * LOGINDISABLED instead of AUTH= until then (RFC 3501 6.2.3). Default false.
   */
  readonly authRequiresTls?: boolean;
  /** Parser options (maxLiteralSize, maxLineLength ...). */
  readonly parser?: CommandParserOptions;
  /**
   * Names of commands beyond those mailwire knows (experimental `X<atom>` commands, vendor
   * extensions) that go to the application as `UNKNOWN` commands, in any state, instead of
   * being refused with BAD. Case-insensitive. Default none.
   */
  readonly extraCommands?: readonly string[];
  /**
   * Most octets the client may send while the session waits for the application's answer.
   * Past it the session says BYE and closes. Default 1 MiB.
   */
  readonly maxWaitingInput?: number;
  /**
   * Most lines the client may pipeline behind a command that waits for the application's
   * answer, checked when a further read arrives while input is held (one read by itself is
   * never refused, so not on how the bytes were split); past it the session says BYE and
   * closes. Default 1000.
   */
  readonly maxPending?: number;
  /**
   * Most output octets waiting in `takeOutput()` before the session stops reading pipelined
   * commands (see {@link ServerSession.inputHeld}). Default 1 MiB.
   */
  readonly maxOutput?: number;
  /**
   * Commands in a row answered BAD (by the session or with `bad()`) before the session says
   * `* BYE Too many invalid IMAP commands` and closes, like Dovecot's pre-login limit of 10.
   * 0 = no limit. Default 10.
   */
  readonly maxErrors?: number;
}

/** The default of {@link ServerSessionOptions.capabilities}. */
export const DEFAULT_CAPABILITIES: readonly string[] = Object.freeze(['IMAP4rev1', 'IMAP4rev2', 'LITERAL+', 'IDLE', 'SASL-IR', 'AUTH=PLAIN']);


/** `{n}` / `{n+}` / `{n-}` (and `~{n}`) at the end of a line slice: the size of the literal that follows. */
function literalAnnounced(line: Uint8Array): { size: number; nonSync: boolean } | null {
  let i = line.length - 1;
  if (line[i] !== 0x0a) return null;
  i--;
  if (line[i] === 0x0d) i--;
  if (line[i] !== 0x7d) return null;
  i--;
  let nonSync = false;
  if (line[i] === 0x2b || line[i] === 0x2d) {
    nonSync = true;
    i--;
  }
  let size = 0;
  let scale = 1;
  let digits = 0;
  for (; i >= 0 && line[i]! >= 0x30 && line[i]! <= 0x39; i--) {
    if (++digits > 15) return null;
    size += (line[i]! - 0x30) * scale;
    scale *= 10;
  }
  return digits > 0 && line[i] === 0x7b ? { size, nonSync } : null;
}

/** The fixed BAD text for a command the parser refused (never the client's bytes: they may be a password). */
function refusalText(e: ProtocolError): string {
  switch (e.code) {
    case 'LINE_TOO_LONG':
      return 'Line too long';
    case 'LITERAL_TOO_LARGE':
      return 'Literal too large';
    case 'TOO_DEEP':
      return 'Nesting too deep';
    case 'TOO_MANY':
      return 'Too many items';
    case 'BARE_LF':
    case 'BARE_CR':
      return 'Bare CR or LF not allowed; use CRLF';
    case 'INVALID_ENCODING':
      return 'Invalid encoding in command';
    default:
      return 'Syntax error in command';
  }
}

/**
 * A server-side IMAP session.
 *
 * Input is read one command at a time: the next pipelined command is looked at only once the
 * one before it is answered, so whatever a command switches (STARTTLS, COMPRESS, IDLE,
 * AUTHENTICATE) applies to every byte after it however the bytes were split; bytes not yet
 * read wait by reference.
 *
 * @example
 * ```ts
 * import { imap } from 'mailwire';
 * const s = new imap.ServerSession();
 * for (const ev of s.receive(new TextEncoder().encode('A1 LOGIN smith sesame\r\n'))) {
 *   if (ev.type === 'command') s.ok('LOGIN completed');
 * }
 * s.state; // 'authenticated'
 * ```
 */
export class ServerSession {
  private readonly opts: ServerSessionOptions;
  private readonly parser: CommandParser;
  private readonly out = new OutputQueue();
  /** Output written while COMPRESS waits for `compressionEstablished()`: it is for the deflater. */
  private held: OutputQueue | null = null;
  private readonly input: InputBacklog;
  /** Items the parser produced from the last slice of `input` and not handled yet; the read loop. */
  private readonly items: ParsedInput<CommandParserItem>;
  private pending: Command | null = null;
  private _state: ServerState;
  private idling = false;
  private authenticating = false;
  /** The parser reads one non-command line (DONE, an AUTHENTICATE response) while a command waits. */
  private wantLine = false;
  private tls = false;
  private tlsPending = false;
  private compressed = false;
  private compressPending = false;
  private errors = 0;
  /** Octets of a literal still to come, fed to the parser in one piece. */
  private literalLeft = 0;
  /** While a streamed FETCH response is open: the output written meanwhile, which goes out after it. */
  private deferred: OutputQueue | null = null;

  constructor(options: ServerSessionOptions = {}) {
    this.opts = options;
    // With parser.appendStreamThreshold, big APPEND messages pass as literal-chunk events.
    this.parser = new CommandParser(options.parser);
    this.input = new InputBacklog({ maxPending: options.maxPending, maxWaitingInput: options.maxWaitingInput });
    this.items = new ParsedInput(this.input);
    this._state = options.preauth ? 'authenticated' : 'not-authenticated';
    const caps = this.capabilities();
    this.write({ type: 'untagged', kind: options.preauth ? 'PREAUTH' : 'OK', code: { name: 'CAPABILITY', raw: caps.join(' '), list: caps }, text: options.greeting ?? 'mailwire ready' });
  }

  /** The connection state. */
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
    return this._state !== 'logout' && this.items.held;
  }

  /** Drains the bytes to write (after a `compress` event, until `compressionEstablished()`: only the plain ones). */
  takeOutput(): Uint8Array[] {
    return this.out.take();
  }

  /** Feeds bytes from the client (kept by reference until read: do not reuse the buffer). Never throws. */
  receive(chunk: Uint8Array): ServerEvent[] {
    if (this._state === 'logout') return [];
    if (this.tlsPending) return chunk.length > 0 ? [errorItem(new ProtocolError('UNEXPECTED', `${chunk.length} clear-text octets after STARTTLS, before the TLS handshake, dropped`))] : [];
    const events: ServerEvent[] = [];
    // The bounds apply to what a peer sends after the session asked the caller to stop reading
    // (`inputHeld`), never to one read by itself: otherwise the same bytes in one read or in
    // two would be answered differently. A read is kept by reference, so holding it costs nothing.
    const wasHeld = this.inputHeld && chunk.length > 0;
    this.input.append(chunk);
    this.pump(events);
    if (wasHeld && (this.pending !== null || this.compressPending) && this.inputHeld) {
      const over = this.input.overflow(this.parser.buffered);
      if (over === 'maxPending') this.bye('Too many commands without reading responses', events);
      else if (over === 'maxWaitingInput') this.bye('Too much input while waiting', events);
    }
    return events;
  }

  /** End of the client's stream. */
  end(): ServerEvent[] {
    const events: ServerEvent[] = [];
    if (this._state !== 'logout' && !this.tlsPending) {
      this.pump(events);
      if ((this._state as ServerState) !== 'logout' && !this.inputHeld) {
        // With a command still waiting, a reply now would answer the wrong one: report only.
        for (const it of this.parser.end()) if (this.pending === null) this.item(it, events);
        else if (it.type === 'error') events.push(it);
      }
    }
    this._state = 'logout';
    return events;
  }

  /** The TLS handshake after the `starttls` event is done: input is read again; STARTTLS and LOGINDISABLED are no longer announced. */
  tlsEstablished(): ServerEvent[] {
    if (!this.tlsPending) return [];
    this.tlsPending = false;
    this.tls = true;
    return [];
  }

  /** The deflater and inflater after the `compress` event are in place: answers are written again (for the deflater). */
  compressionEstablished(): ServerEvent[] {
    if (!this.compressPending) return [];
    this.compressPending = false;
    this.compressed = true;
    const held = this.held!;
    this.held = null;
    for (const b of held.take()) this.out.push(b);
    const events: ServerEvent[] = [];
    this.pump(events);
    return events;
  }

  /** What CAPABILITY says now: the configured list, less what does not apply in this state. */
  private capabilities(): string[] {
    const notAuth = this._state === 'not-authenticated';
    const authBlocked = (this.opts.authRequiresTls ?? false) && !this.tls;
    const out: string[] = [];
    for (const cap of this.opts.capabilities ?? DEFAULT_CAPABILITIES) {
      const u = cap.toUpperCase();
      if (u === 'STARTTLS' && (this.tls || !notAuth)) continue;
      if (u === 'LOGINDISABLED' && (this.tls || !notAuth)) continue;
      if (u.startsWith('AUTH=') && (!notAuth || authBlocked)) continue;
      if (u.startsWith('COMPRESS=') && this.compressed) continue;
      out.push(cap);
    }
    if (notAuth && authBlocked && !out.some((c) => c.toUpperCase() === 'LOGINDISABLED')) out.push('LOGINDISABLED');
    return out;
  }

  private offers(cap: string): boolean {
    return this.capabilities().some((c) => c.toUpperCase() === cap);
  }

  /**
   * Where output goes now: behind a streamed FETCH response while one is open (nothing may
   * interleave inside it), else to the deflater's queue while COMPRESS waits, else out.
   */
  private sink(): OutputQueue {
    return this.deferred ?? this.held ?? this.out;
  }

  /**
   * Starts an untagged FETCH (or UIDFETCH) response whose body section is written piece by
   * piece, for a body too big to hold (read from a file as it goes): the response's items,
   * then `body.section` with a literal of exactly `body.length` octets given through the
   * returned writer, then `end()`. Responses written meanwhile (`untagged()`, `ok()` ...,
   * and the session's own) wait and go out after it. Throws TypeError / RangeError like
   * `untagged()` for what cannot go on the wire, and Error when another one is open.
   *
   * @example
   * ```ts
   * import { imap } from 'mailwire';
   * const s = new imap.ServerSession({ preauth: true });
   * const body = new TextEncoder().encode('Subject: hi\r\n\r\nhello\r\n');
   * const w = s.beginFetch({ kind: 'FETCH', seq: 1, attributes: { uid: 7 } }, { section: 'BODY[]', length: body.length });
   * w.write(body.subarray(0, 10));
   * w.write(body.subarray(10));
   * w.end({ flags: ['\\Seen'] }); // "* 1 FETCH (UID 7 BODY[] {22}\r\n...\r\n FLAGS (\\Seen))\r\n"
   * ```
   */
  beginFetch(start: StreamedFetchStart, body: StreamedFetchBody): FetchBodyWriter {
    if (this.deferred !== null) throw new Error('beginFetch(): a streamed FETCH response is already open: end() it first');
    const head = encodeStreamedFetchStart(start, body);
    const closed = this._state === 'logout';
    if (!closed) {
      const out = this.sink();
      for (const f of head) out.push(f);
      this.deferred = new OutputQueue();
    }
    return new FetchBodyWriter(this.streamSink(closed), body.length, body.binary === false && /^BINARY/.test(body.section));
  }

  /** The session side of a {@link FetchBodyWriter}. */
  private streamSink(closed: boolean): FetchBodySink {
    const maxOutput = this.opts.maxOutput ?? 1024 * 1024;
    return {
      // A session closed before the response began discards it whole.
      push: (chunk) => {
        if (!closed) (this.held ?? this.out).push(chunk);
        return this.out.length <= maxOutput;
      },
      finish: (tail) => {
        if (closed) return;
        const out = this.held ?? this.out;
        for (const f of tail) out.push(f);
        const waiting = this.deferred!;
        this.deferred = null;
        for (const b of waiting.take()) this.sink().push(b);
      },
      abort: () => {
        if (closed) return [];
        this.deferred = null;
        if (this._state === 'logout') return [];
        const events: ServerEvent[] = [];
        this.close(events);
        return events;
      },
    };
  }

  private write(r: Parameters<typeof encodeResponse>[0]): void {
    // Fragments reference the literal bytes (a BODY[] of 64 MiB is not copied): the application
    // must not change them until they are taken with takeOutput() and written.
    const out = this.sink();
    for (const f of encodeResponseFragments(r)) out.push(f);
  }

  /** Writes untagged data for the command being answered (or unsolicited, e.g. during IDLE). */
  untagged(response: UntaggedResponse): void {
    if (this._state === 'logout') return;
    this.write(response);
  }

  /** Completes the waiting command with `tag OK [code] text`. With nothing waiting it does nothing. */
  ok(text = 'completed', code: ResponseCode | null = null): ServerEvent[] {
    return this.complete('OK', text, code);
  }
  /** Completes the waiting command with `tag NO [code] text`. With nothing waiting it does nothing. */
  no(text = 'failed', code: ResponseCode | null = null): ServerEvent[] {
    return this.complete('NO', text, code);
  }
  /** Completes the waiting command with `tag BAD [code] text`. With nothing waiting it does nothing. */
  bad(text = 'bad command', code: ResponseCode | null = null): ServerEvent[] {
    return this.complete('BAD', text, code);
  }

  /** During AUTHENTICATE: sends `+ base64(challenge)`; the client's line arrives as `auth-response`. */
  challenge(data: Uint8Array): ServerEvent[] {
    // Logged out (a limit closed the session in the same receive() that brought the AUTHENTICATE)
    // or nothing waiting: nothing to answer, as with ok() / no() / bad().
    if (this.pending === null || this._state === 'logout') return [];
    if (this.pending.command !== 'AUTHENTICATE') throw new Error('challenge(): no AUTHENTICATE is waiting');
    this.sink().pushText(`+ ${encodeSaslChallenge(data)}\r\n`);
    this.authenticating = true;
    this.wantLine = true;
    this.control(this.parser.expectLine());
    const events: ServerEvent[] = [];
    this.pump(events);
    return events;
  }

  /** Items a parser control call returned come before anything still unread. */
  private control(items: CommandParserItem[]): void {
    this.items.prepend(items);
  }

  private complete(status: 'OK' | 'NO' | 'BAD', text: string, code: ResponseCode | null): ServerEvent[] {
    const c = this.pending;
    if (c === null || this._state === 'logout') return [];
    if (this.deferred !== null && status === 'OK' && (c.command === 'STARTTLS' || c.command === 'COMPRESS')) {
      // The switch applies to the bytes right after the OK, which would wait behind the open response.
      throw new Error(`ok(): end() the streamed FETCH response before completing ${c.command}`);
    }
    // Encode first: a completion the application built that cannot go on the wire throws here, before anything changed.
    const tagged = encodeResponse({ type: 'tagged', tag: c.tag, status, code, text });
    this.pending = null;
    this.idling = false;
    this.authenticating = false;
    this.wantLine = false;
    const events: ServerEvent[] = [];
    const ok = status === 'OK';
    if (c.command === 'LOGOUT') this.write({ type: 'untagged', kind: 'BYE', code: null, text: 'Logging out' });
    this.sink().push(tagged);
    if (status === 'BAD') this.countError(events);
    else this.errors = 0;
    switch (c.command) {
      case 'LOGIN':
      case 'AUTHENTICATE':
        if (ok) this._state = 'authenticated';
        break;
      case 'SELECT':
      case 'EXAMINE':
        this._state = ok ? 'selected' : 'authenticated';
        break;
      case 'CLOSE':
      case 'UNSELECT':
        if (ok) this._state = 'authenticated';
        break;
      case 'UNAUTHENTICATE':
        if (ok) this._state = 'not-authenticated';
        break;
      case 'LOGOUT':
        this.close(events);
        return events;
      case 'STARTTLS':
        if (ok) {
          // Everything the client sent after STARTTLS came in clear text: drop it (RFC 3501
          // 6.2.1, RFC 9051 6.2.1; the CVE-2011-0411 class of injection).
          const unread = this.items.clear();
          const discarded = this.parser.startTls() + this.input.clear();
          this.literalLeft = 0;
          this.tlsPending = true;
          if (discarded > 0 || unread > 0) events.push(errorItem(new ProtocolError('UNEXPECTED', `${discarded} octets sent after STARTTLS in clear text, dropped`)));
          events.push({ type: 'starttls', discarded });
          return events;
        }
        break;
      case 'COMPRESS':
        if (ok) {
          // RFC 4978 3: compression starts right after the CRLF of the OK (server) and of the
          // command (client): what follows the command line is compressed.
          const buffered = this.parser.buffered;
          const rest = this.input.takeAll();
          if (buffered > 0) this.parser.startTls();
          this.compressPending = true;
          this.held = new OutputQueue();
          events.push({ type: 'compress', rest });
          return events;
        }
        break;
      default:
        break;
    }
    // Only IDLE and AUTHENTICATE paused the parser (input is read one command at a time, so
    // nothing behind them was parsed).
    if ((c.command === 'IDLE' || c.command === 'AUTHENTICATE') && this.parser.paused) this.control(this.parser.resume());
    this.pump(events);
    return events;
  }

  private close(events: ServerEvent[]): void {
    this._state = 'logout';
    this.pending = null;
    this.input.clear();
    this.items.clear();
    events.push({ type: 'closed' });
  }

  private bye(text: string, events: ServerEvent[]): void {
    const reply: UntaggedResponse = { type: 'untagged', kind: 'BYE', code: null, text };
    this.write(reply);
    events.push({ type: 'auto-reply', reply, reason: text });
    this.close(events);
  }

  private countError(events: ServerEvent[]): void {
    const max = this.opts.maxErrors ?? 10;
    if (max > 0 && ++this.errors > max && this._state !== 'logout') this.bye('Too many invalid IMAP commands', events);
  }

  private auto(tag: string | null, status: 'BAD' | 'NO', text: string, reason: string, events: ServerEvent[], code: ResponseCode | null = null): void {
    const reply: TaggedResponse | UntaggedResponse = tag ? { type: 'tagged', tag, status, code, text } : { type: 'untagged', kind: 'BAD', code, text };
    this.write(reply);
    events.push({ type: 'auto-reply', reply, reason });
    if (status === 'BAD') this.countError(events);
  }

  /**
   * Reads on: processes parsed items, and feeds the parser the next line of input when they
   * are used up, until a command waits for the application (except for the one line IDLE or
   * AUTHENTICATE waits for), the output is over `maxOutput`, or nothing is left.
   */
  private pump(events: ServerEvent[]): void {
    this.pumpEvents = events;
    this.items.pump(this.steps);
  }

  /** The read loop's steps (core/input-backlog.ts ParsedInput), made once: events go to {@link pumpEvents}. */
  private readonly steps: PumpSteps<CommandParserItem> = {
    reading: () => this._state !== 'logout' && !this.tlsPending && !this.compressPending && this.out.length <= (this.opts.maxOutput ?? 1024 * 1024),
    want: () => {
      if ((this.pending !== null && !this.wantLine) || this.parser.paused) return null;
      // A literal's octets go to the parser in one piece, not line by line.
      return this.literalLeft > 0 ? this.literalLeft : false;
    },
    parse: (slice) => {
      const items = this.parser.push(slice);
      if (this.literalLeft > 0) this.literalLeft -= slice.length;
      else {
        const lit = literalAnnounced(slice);
        // A synchronizing literal the parser refused is never sent: no octets to expect.
        this.literalLeft = lit === null || (!lit.nonSync && items.some((it) => it.type === 'error')) ? 0 : lit.size;
      }
      return items;
    },
    // While a command waits for the application only the line IDLE or AUTHENTICATE waits for is handled.
    mayHandle: (it) => it.type === 'line' || this.pending === null,
    handle: (it) => this.item(it, this.pumpEvents),
  };
  /** Where the items handled by the running pump report. */
  private pumpEvents: ServerEvent[] = [];

  private item(it: CommandParserItem, events: ServerEvent[]): void {
    if (it.type === 'line') return this.line(it.line, events);
    // A later command's literal: invite it only once every earlier command is answered, so the
    // "+" can never be taken for a continuation of the command still in progress.
    if (it.type === 'continuation-needed') return void this.sink().pushText('+ Ready for literal data\r\n');
    if (it.type === 'error') {
      events.push(it);
      const e = it.error;
      const tooBig = e.code === 'LITERAL_TOO_LARGE';
      this.auto(e.tag ?? null, tooBig ? 'NO' : 'BAD', refusalText(e), `command refused: ${e.code}`, events, tooBig ? { name: 'TOOBIG', raw: '' } : null);
      return;
    }
    if (it.type === 'literal-chunk' || it.type === 'literal-end') return void events.push(it);
    this.command(it.command, events);
  }

  private line(line: string, events: ServerEvent[]): void {
    const c = this.pending;
    this.wantLine = false;
    if (this.idling && c) {
      if (line.toUpperCase() === 'DONE') events.push({ type: 'idle-done', tag: c.tag });
      else {
        this.pending = null;
        this.idling = false;
        this.auto(c.tag, 'BAD', 'expected DONE', 'a line other than DONE during IDLE', events);
        if (this.parser.paused) this.control(this.parser.resume());
      }
      return;
    }
    if (this.authenticating && c) {
      const r = parseSaslClientLine(line);
      if (r instanceof ProtocolError || r.cancel) {
        this.pending = null;
        this.authenticating = false;
        this.auto(c.tag, 'BAD', r instanceof ProtocolError ? 'Bad base64' : 'AUTHENTICATE cancelled', r instanceof ProtocolError ? 'AUTHENTICATE response is not base64' : 'client cancelled AUTHENTICATE', events);
        if (this.parser.paused) this.control(this.parser.resume());
      } else events.push({ type: 'auth-response', response: r.response });
    }
  }

  private command(c: Command, events: ServerEvent[]): void {
    const name = c.command;
    const refuse = (status: 'BAD' | 'NO', text: string, reason: string, code: ResponseCode | null = null) => {
      this.auto(c.tag, status, text, reason, events, code);
      // IDLE and AUTHENTICATE paused the parser; refused, they leave the stream in command mode.
      if ((name === 'IDLE' || name === 'AUTHENTICATE') && this.parser.paused) this.control(this.parser.resume());
    };
    // The state rules are the command table's (RFC 9051 6), the same the client and the arbitraries use.
    if (!commandAllowedIn(name, this._state)) return refuse('BAD', `${name} is not valid in the ${this._state} state`, `${name} in ${this._state}`);
    if (name === 'UNKNOWN') {
      const extra = c.name.toUpperCase();
      if (!this.opts.extraCommands?.some((x) => x.toUpperCase() === extra)) return refuse('BAD', 'Unknown command', 'unknown command');
    }
    if (name === 'STARTTLS' && !this.offers('STARTTLS')) return refuse('BAD', this.tls ? 'TLS is already active' : 'STARTTLS is not offered', 'STARTTLS not offered');
    if ((name === 'LOGIN' || name === 'AUTHENTICATE') && this.opts.authRequiresTls && !this.tls) {
      return refuse('NO', 'Plaintext authentication disallowed on non-secure (SSL/TLS) connections', `${name} before TLS`, { name: 'PRIVACYREQUIRED', raw: '' });
    }
    if (name === 'COMPRESS') {
      if (this.compressed) return refuse('NO', 'Compression is already active', 'COMPRESS twice', { name: 'COMPRESSIONACTIVE', raw: '' });
      if (!this.offers(`COMPRESS=${c.mechanism.toUpperCase()}`)) return refuse('BAD', 'Compression mechanism not offered', 'COMPRESS not offered');
    }
    if (name === 'AUTHENTICATE' && c.initialResponse !== null && decodeInitialResponse(c.initialResponse) instanceof ProtocolError) {
      return refuse('BAD', 'Initial response is not base64', 'bad initial response');
    }
    if (name === 'CAPABILITY') this.write({ type: 'untagged', kind: 'CAPABILITY', capabilities: this.capabilities() });
    this.pending = c;
    if (name === 'IDLE') {
      this.sink().pushText('+ idling\r\n');
      this.idling = true;
      this.wantLine = true;
      this.control(this.parser.expectLine());
    }
    events.push({ type: 'command', command: c });
  }
}

/** Where a {@link FetchBodyWriter} writes: the session that opened it. */
interface FetchBodySink {
  /** Queues octets of the body; false when more than `maxOutput` octets wait in `takeOutput()`. */
  push(chunk: Uint8Array): boolean;
  /** Queues the end of the response, then what was written meanwhile. */
  finish(tail: Uint8Array[]): void;
  /** Closes the session: the response can never be completed on the wire. */
  abort(): ServerEvent[];
}

/**
 * Writes the octets of a streamed FETCH body section (see {@link ServerSession.beginFetch}):
 * exactly the announced number, then {@link FetchBodyWriter.end}.
 */
export class FetchBodyWriter {
  private readonly sink: FetchBodySink;
  private left: number;
  private readonly noNul: boolean;
  private done = false;

  /** @internal Made by {@link ServerSession.beginFetch}. */
  constructor(sink: FetchBodySink, length: number, noNul: boolean) {
    this.sink = sink;
    this.left = length;
    this.noNul = noNul;
  }

  /** Octets still owed to the announced length. */
  get remaining(): number {
    return this.left;
  }

  /**
   * Queues the next octets of the body, by reference (do not change them until they are taken
   * with `takeOutput()`). Returns false when more than `maxOutput` octets wait in
   * `takeOutput()`: write those out before producing more. Throws RangeError (writing
   * nothing) when the chunk would go past the announced length, Error after `end()`.
   */
  write(chunk: Uint8Array): boolean {
    if (this.done) throw new Error('FetchBodyWriter.write() after end()');
    if (!(chunk instanceof Uint8Array)) throw new TypeError('FetchBodyWriter.write() takes a Uint8Array');
    if (chunk.length > this.left) throw new RangeError(`${chunk.length} octets written with only ${this.left} left of the announced length`);
    if (this.noNul && chunk.includes(0)) throw new TypeError('NUL in a BINARY section announced as a plain literal {n}: announce it as literal8 (binary: true)');
    this.left -= chunk.length;
    return this.sink.push(chunk);
  }

  /**
   * Ends the response: the items of `after` (e.g. the FLAGS a fetch changed), `)` and CRLF,
   * then whatever was written meanwhile. Throws RangeError (and stays open) when fewer octets
   * than announced were written; TypeError / RangeError for `after` items that cannot go on
   * the wire.
   */
  end(after?: FetchAttributes): void {
    if (this.done) throw new Error('FetchBodyWriter.end() called twice');
    if (this.left > 0) throw new RangeError(`end() with ${this.left} octets of the announced length not written`);
    const tail = encodeStreamedFetchEnd(after);
    this.done = true;
    this.sink.finish(tail);
  }

  /**
   * The application cannot produce the rest of the octets (a read failed): the response can
   * never be completed, so the session closes (the `closed` event; state `logout`). Write
   * the output taken so far and close the connection.
   */
  abort(): ServerEvent[] {
    if (this.done) return [];
    this.done = true;
    return this.sink.abort();
  }
}
