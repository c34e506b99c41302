/**
 * IMAP server session (RFC 3501 3 and 6, RFC 9051): greeting, commands valid per state,
 * continuation requests for synchronizing literals, untagged data then the tagged
 * completion, IDLE, AUTHENTICATE, STARTTLS and LOGOUT framing. The application decides;
 * the session frames. No I/O.
 *
 * @packageDocumentation
 */

import { ProtocolError } from '../core/errors';
import { OutputQueue } from '../core/output-queue';
import { encodeSaslChallenge, parseSaslClientLine, decodeInitialResponse } from '../core/sasl';
import { CommandParser, type CommandParserItem, type CommandParserOptions } from './command-parser';
import type { Command } from './command-types';
import { encodeResponse } from './encoder';
import type { ResponseCode, UntaggedResponse } from './types';

/** Appends in a loop: spreading a flood of parsed items as call arguments would overflow the stack. */
function append<T>(to: T[], items: readonly T[]): void {
  for (const x of items) to.push(x);
}

/** RFC 3501 3 connection states. */
export type ServerState = 'not-authenticated' | 'authenticated' | 'selected' | 'logout';

/** Events of an IMAP server session. */
export type ServerEvent =
  /** A command valid in this state: write untagged data with `untagged()`, then complete it with `ok()`/`no()`/`bad()`. */
  | { readonly type: 'command'; readonly command: Command }
  /** During AUTHENTICATE (after `challenge()`): the client's response. Answer with `challenge()` again or complete. */
  | { readonly type: 'auth-response'; readonly response: Uint8Array }
  /** The client ended IDLE with DONE: complete the IDLE command with `ok()`. */
  | { readonly type: 'idle-done'; readonly tag: string }
  /** The session answered by itself (wrong state, syntax, literal too large, cancelled AUTHENTICATE). */
  | { readonly type: 'auto-reply'; readonly text: string }
  /** OK was sent to STARTTLS: wrap the connection in TLS now. */
  | {
      readonly type: 'starttls';
      /** Clear-text input pipelined after STARTTLS, dropped: buffered octets plus commands already parsed. */
      readonly discarded: number;
    }
  /** LOGOUT was answered (BYE then OK): close the connection after writing the output. */
  | { readonly type: 'closed' }
  | { readonly type: 'error'; readonly error: ProtocolError };

/** Options of {@link ServerSession}. */
export interface ServerSessionOptions {
  /** Capabilities announced in the greeting and by CAPABILITY. Default IMAP4rev1 IMAP4rev2 LITERAL+ IDLE SASL-IR AUTH=PLAIN. */
  readonly capabilities?: readonly string[];
  /** Greeting text. Default "mailwire ready". */
  readonly greeting?: string;
  /** Start authenticated (PREAUTH). */
  readonly preauth?: boolean;
  /** Parser options (maxLiteralSize, maxLineLength ...). */
  readonly parser?: CommandParserOptions;
  /**
   * Names of commands beyond those mailwire knows (experimental `X<atom>` commands, vendor
   * extensions) that go to the application as `UNKNOWN` commands, in any state, instead of
   * being refused with BAD. Case-insensitive. Default none.
   */
  readonly extraCommands?: readonly string[];
  /**
   * Most unread octets held while the parser is paused for the application's answer (after
   * IDLE, AUTHENTICATE, STARTTLS; a compliant client sends nothing more until that answer). Past it
   * the session closes the connection, as for \`maxPending\`. Default 1 MiB.
   */
  readonly maxWaitingInput?: number;
  /** Most parsed items waiting behind an unanswered command. Default 1000. */
  readonly maxPending?: number;
}

const ANY = new Set(['CAPABILITY', 'NOOP', 'LOGOUT', 'ID', 'UNKNOWN']);
const NOT_AUTH = new Set(['STARTTLS', 'AUTHENTICATE', 'LOGIN']);
const AUTH = new Set(['ENABLE', 'SELECT', 'EXAMINE', 'CREATE', 'DELETE', 'RENAME', 'SUBSCRIBE', 'UNSUBSCRIBE', 'LIST', 'LSUB', 'NAMESPACE', 'STATUS', 'APPEND', 'IDLE', 'GETQUOTAROOT', 'MYRIGHTS', 'GETACL', 'GETQUOTA', 'SETQUOTA', 'SETACL', 'DELETEACL', 'LISTRIGHTS', 'GETMETADATA', 'SETMETADATA', 'COMPRESS', 'UNAUTHENTICATE']);
const SELECTED = new Set(['CHECK', 'CLOSE', 'UNSELECT', 'EXPUNGE', 'UID EXPUNGE', 'SEARCH', 'SORT', 'THREAD', 'FETCH', 'STORE', 'COPY', 'MOVE']);

/**
 * A server-side IMAP session.
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
  private pending: Command | null = null;
  private backlog: CommandParserItem[] = [];
  private _state: ServerState;
  private idling = false;
  private authenticating = false;

  constructor(options: ServerSessionOptions = {}) {
    this.opts = options;
    // The session does not forward streamed APPEND chunks (yet): every literal is held.
    this.parser = new CommandParser({ ...options.parser, appendStreamThreshold: undefined });
    this._state = options.preauth ? 'authenticated' : 'not-authenticated';
    const caps = this.capabilities();
    this.write({ type: 'untagged', kind: options.preauth ? 'PREAUTH' : 'OK', code: { name: 'CAPABILITY', raw: caps.join(' '), list: caps }, text: options.greeting ?? 'mailwire ready' });
  }

  /** The connection state. */
  get state(): ServerState {
    return this._state;
  }

  /** Drains the bytes to write. */
  takeOutput(): Uint8Array[] {
    return this.out.take();
  }

  /** Feeds bytes from the client. */
  receive(chunk: Uint8Array): ServerEvent[] {
    if (this._state === 'logout') return [];
    const events = this.handle(this.parser.push(chunk));
    if (this.parser.paused && this.parser.buffered > (this.opts.maxWaitingInput ?? 1024 * 1024) && (this._state as string) !== 'logout') {
      this.parser.startTls(); // drops what was buffered
      this.backlog = [];
      this.write({ type: 'untagged', kind: 'BYE', code: null, text: 'Too much input while waiting' });
      this._state = 'logout';
      events.push({ type: 'closed' });
    }
    return events;
  }

  /** End of the client's stream. */
  end(): ServerEvent[] {
    const ev = this.handle(this.parser.end());
    this._state = 'logout';
    return ev;
  }

  private capabilities(): string[] {
    return [...(this.opts.capabilities ?? ['IMAP4rev1', 'IMAP4rev2', 'LITERAL+', 'IDLE', 'SASL-IR', 'AUTH=PLAIN'])];
  }

  private write(r: Parameters<typeof encodeResponse>[0]): void {
    this.out.push(encodeResponse(r));
  }

  /** Writes untagged data for the command being answered (or unsolicited, e.g. during IDLE). */
  untagged(response: UntaggedResponse): void {
    this.write(response);
  }

  /** Completes the waiting command with `tag OK [code] text`. */
  ok(text = 'completed', code: ResponseCode | null = null): ServerEvent[] {
    return this.complete('OK', text, code);
  }
  /** Completes the waiting command with `tag NO [code] text`. */
  no(text = 'failed', code: ResponseCode | null = null): ServerEvent[] {
    return this.complete('NO', text, code);
  }
  /** Completes the waiting command with `tag BAD [code] text`. */
  bad(text = 'bad command', code: ResponseCode | null = null): ServerEvent[] {
    return this.complete('BAD', text, code);
  }

  /** During AUTHENTICATE: sends `+ base64(challenge)`; the client's line arrives as `auth-response`. */
  challenge(data: Uint8Array): ServerEvent[] {
    if (this.pending?.command !== 'AUTHENTICATE') throw new Error('challenge(): no AUTHENTICATE is waiting');
    this.out.pushText(`+ ${encodeSaslChallenge(data)}\r\n`);
    this.authenticating = true;
    return this.handle(this.parser.expectLine());
  }

  private complete(status: 'OK' | 'NO' | 'BAD', text: string, code: ResponseCode | null): ServerEvent[] {
    const c = this.pending;
    if (c === null) throw new Error('nothing is waiting for a completion');
    this.pending = null;
    this.idling = false;
    this.authenticating = false;
    const events: ServerEvent[] = [];
    const ok = status === 'OK';
    if (c.command === 'LOGOUT') this.write({ type: 'untagged', kind: 'BYE', code: null, text: 'Logging out' });
    this.write({ type: 'tagged', tag: c.tag, status, code, text });
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
        this._state = 'logout';
        events.push({ type: 'closed' });
        return events;
      case 'STARTTLS':
        if (ok) {
          // Commands pipelined behind STARTTLS were sent in clear text: drop them with the
          // parser's buffered bytes (RFC 3501 6.2.1; the CVE-2011-0411 class of injection).
          const queued = this.backlog.length;
          this.backlog = [];
          events.push({ type: 'starttls', discarded: this.parser.startTls() + queued });
        }
        break;
      default:
        break;
    }
    // Only IDLE and AUTHENTICATE paused the parser; a pause taken for a command still in the
    // backlog must stay until that command is reached.
    const resume = c.command === 'IDLE' || c.command === 'AUTHENTICATE';
    append(events, this.handle(resume ? this.parser.resume() : []));
    return events;
  }

  private auto(tag: string | null, status: 'BAD' | 'NO', text: string, events: ServerEvent[], code: ResponseCode | null = null): void {
    if (tag) this.write({ type: 'tagged', tag, status, code, text });
    else this.write({ type: 'untagged', kind: 'BAD', code, text });
    events.push({ type: 'auto-reply', text });
  }

  private handle(items: CommandParserItem[]): ServerEvent[] {
    append(this.backlog, items);
    const events: ServerEvent[] = [];
    if (this.backlog.length > (this.opts.maxPending ?? 1000)) {
      this.backlog = [];
      this.write({ type: 'untagged', kind: 'BYE', code: null, text: 'Too many commands without reading responses' });
      this._state = 'logout';
      events.push({ type: 'closed' });
      return events;
    }
    while (this.backlog.length > 0 && this._state !== 'logout') {
      const it = this.backlog[0]!;
      if (it.type === 'line') {
        this.backlog.shift();
        this.line(it.line, events);
        continue;
      }
      if (this.pending !== null) break;
      this.backlog.shift();
      // A later command's literal: invite it only once every earlier command is answered, so the
      // "+" can never be taken for a continuation of the command still in progress, and the
      // output is the same however the client's bytes were chunked.
      if (it.type === 'continuation-needed') {
        this.out.pushText('+ Ready for literal data\r\n');
        continue;
      }
      if (it.type === 'error') {
        events.push(it);
        const e = it.error;
        this.auto(e.tag ?? null, e.code === 'LITERAL_TOO_LARGE' ? 'NO' : 'BAD', e.message.slice(0, 200), events, e.code === 'LITERAL_TOO_LARGE' ? { name: 'TOOBIG', raw: '' } : null);
        continue;
      }
      if (it.type === 'literal-chunk' || it.type === 'literal-end') continue; // not produced: streaming is off above
      this.command(it.command, events);
    }
    return events;
  }

  private line(line: string, events: ServerEvent[]): void {
    const c = this.pending;
    if (this.idling && c) {
      if (line.toUpperCase() === 'DONE') events.push({ type: 'idle-done', tag: c.tag });
      else {
        this.pending = null;
        this.idling = false;
        this.auto(c.tag, 'BAD', 'expected DONE', events);
        append(this.backlog, this.parser.resume());
      }
      return;
    }
    if (this.authenticating && c) {
      const r = parseSaslClientLine(line);
      if (r instanceof ProtocolError || r.cancel) {
        this.pending = null;
        this.authenticating = false;
        this.auto(c.tag, 'BAD', r instanceof ProtocolError ? 'bad base64' : 'AUTHENTICATE cancelled', events);
        append(this.backlog, this.parser.resume());
      } else events.push({ type: 'auth-response', response: r.response });
    }
  }

  private command(c: Command, events: ServerEvent[]): void {
    const name = c.command;
    const allowed =
      ANY.has(name) ||
      (this._state === 'not-authenticated' && NOT_AUTH.has(name)) ||
      ((this._state === 'authenticated' || this._state === 'selected') && AUTH.has(name)) ||
      (this._state === 'selected' && SELECTED.has(name));
    if (!allowed) {
      this.auto(c.tag, 'BAD', `${name} is not valid in the ${this._state} state`, events);
      if (name === 'IDLE' || name === 'AUTHENTICATE') append(this.backlog, this.parser.resume());
      return;
    }
    if (name === 'UNKNOWN') {
      const extra = (c as { name: string }).name.toUpperCase();
      if (!this.opts.extraCommands?.some((x) => x.toUpperCase() === extra)) {
        this.auto(c.tag, 'BAD', `unknown command ${(c as { name: string }).name}`, events);
        return;
      }
    }
    if (name === 'CAPABILITY') {
      this.write({ type: 'untagged', kind: 'CAPABILITY', capabilities: this.capabilities() });
    }
    if (name === 'AUTHENTICATE' && c.initialResponse !== null && decodeInitialResponse(c.initialResponse) instanceof ProtocolError) {
      this.auto(c.tag, 'BAD', 'initial response is not base64', events);
      append(this.backlog, this.parser.resume());
      return;
    }
    this.pending = c;
    if (name === 'IDLE') {
      this.out.pushText('+ idling\r\n');
      this.idling = true;
      this.backlog = this.parser.expectLine().concat(this.backlog);
    }
    events.push({ type: 'command', command: c });
  }
}
