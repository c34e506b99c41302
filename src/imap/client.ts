/**
 * IMAP client session (RFC 3501 3 states, RFC 9051): tags, a command queue, correlation of
 * each tagged completion with the untagged data that arrived while it ran, literal flow
 * control, IDLE, AUTHENTICATE, STARTTLS, capability and mailbox state. No I/O.
 *
 * @packageDocumentation
 */

import { decodeBase64 } from '../core/base64';
import { ProtocolError } from '../core/errors';
import { OutputQueue } from '../core/output-queue';
import { SASL_CANCEL, encodeSaslResponse, saslLogin, saslPlain, saslXOAuth2, encodeInitialResponse } from '../core/sasl';
import { encodeCommand } from './command';
import type { Command, CommandFragment } from './command-types';
import { ResponseParser, type ResponseParserOptions } from './parser';
import type { SequenceSet } from './sequence-set';
import type { ResponseCode, TaggedResponse, UntaggedResponse } from './types';

/** How many UIDs a set names, counted range by range: a server's `1:4294967295` must not be expanded (or throw). */
function countUids(set: SequenceSet): number {
  let n = 0;
  for (const r of set.normalize().ranges) n += r.end - r.start + 1;
  return n;
}

/** RFC 3501 3 connection states, plus the wait for the greeting. */
export type ClientState = 'greeting' | 'not-authenticated' | 'authenticated' | 'selected' | 'logout';

/** What the client knows about the selected mailbox, kept up to date from responses. */
export interface MailboxState {
  readonly name: string;
  readonly readOnly: boolean;
  readonly exists: number;
  readonly recent: number;
  readonly flags: readonly string[];
  readonly permanentFlags: readonly string[] | null;
  readonly uidValidity: number | null;
  readonly uidNext: number | null;
  readonly highestModseq: bigint | null;
}

/** A command without its tag (the session assigns tags). */
export type CommandIntent = Command extends infer C ? (C extends { tag: string } ? Omit<C, 'tag'> : never) : never;

/** Events of an IMAP client session. */
export type ClientEvent =
  | { readonly type: 'greeting'; readonly response: UntaggedResponse }
  | { readonly type: 'untagged'; readonly response: UntaggedResponse }
  | { readonly type: 'completed'; readonly tag: string; readonly command: CommandIntent; readonly response: TaggedResponse; readonly untagged: readonly UntaggedResponse[] }
  | { readonly type: 'literal-chunk'; readonly seq: number | null; readonly item: string | null; readonly chunk: Uint8Array }
  | { readonly type: 'literal-end'; readonly seq: number | null; readonly item: string | null; readonly size: number }
  | { readonly type: 'idling'; readonly tag: string }
  /**
   * AUTHENTICATE with a mechanism mailwire does not run itself (GSSAPI, SCRAM-*, ...): the
   * server's challenge, base64-decoded (null when it was not valid base64). Answer with
   * {@link ClientSession.saslRespond}.
   */
  | { readonly type: 'sasl-challenge'; readonly tag: string; readonly challenge: Uint8Array | null }
  | { readonly type: 'starttls' }
  | { readonly type: 'bye'; readonly response: UntaggedResponse }
  | { readonly type: 'closed' }
  | { readonly type: 'error'; readonly error: ProtocolError };

/** Options of {@link ClientSession}. */
export interface ClientSessionOptions {
  /** Tag prefix; tags are prefix + counter ("A1", "A2", ...). Default "A". */
  readonly tagPrefix?: string;
  /** Response parser options. */
  readonly parser?: ResponseParserOptions;
  /**
   * Most untagged responses kept for one command's `completed` event. Default 1,000,000.
   * Past it a `TOO_MANY` error event is reported once for that command and later responses
   * are still delivered as `untagged` events but not kept, so a long IDLE against a chatty
   * (or hostile) server cannot grow memory without bound.
   */
  readonly maxUntagged?: number;
}

/** SASL credentials for {@link ClientSession.authenticate}. */
export type Credentials =
  | { readonly mechanism: 'PLAIN'; readonly user: string; readonly password: string; readonly authzid?: string }
  | { readonly mechanism: 'LOGIN'; readonly user: string; readonly password: string }
  | { readonly mechanism: 'XOAUTH2'; readonly user: string; readonly accessToken: string };

interface Pending {
  readonly tag: string;
  readonly command: CommandIntent;
  readonly fragments: CommandFragment[];
  sent: number;
  /** A synchronizing literal was announced: nothing more goes out until the server's "+". */
  blocked: boolean;
  readonly untagged: UntaggedResponse[];
  /** More than `maxUntagged` arrived while it ran (reported once). */
  overflow?: boolean;
  sasl?: Uint8Array[];
}

const NEEDS_AUTH = new Set(['SELECT', 'EXAMINE', 'CREATE', 'DELETE', 'RENAME', 'SUBSCRIBE', 'UNSUBSCRIBE', 'LIST', 'LSUB', 'STATUS', 'APPEND', 'NAMESPACE', 'ENABLE', 'IDLE', 'GETQUOTAROOT', 'MYRIGHTS', 'GETACL', 'GETQUOTA', 'SETQUOTA', 'SETACL', 'DELETEACL', 'LISTRIGHTS', 'GETMETADATA', 'SETMETADATA', 'COMPRESS', 'UNAUTHENTICATE']);
const NEEDS_SELECTED = new Set(['FETCH', 'STORE', 'COPY', 'MOVE', 'SEARCH', 'SORT', 'THREAD', 'EXPUNGE', 'UID EXPUNGE', 'CLOSE', 'UNSELECT', 'CHECK']);
const NOT_AUTHENTICATED_ONLY = new Set(['LOGIN', 'AUTHENTICATE', 'STARTTLS']);

/**
 * A client-side IMAP session.
 *
 * @example
 * ```ts
 * import { imap } from 'mailwire';
 * const c = new imap.ClientSession();
 * c.receive(new TextEncoder().encode('* OK [CAPABILITY IMAP4rev1 LITERAL+] ready\r\n'));
 * const tag = c.send({ command: 'LOGIN', user: 'smith', password: 'sesame' });
 * c.takeOutput(); // "A1 LOGIN smith sesame\r\n"
 * ```
 */
export class ClientSession {
  private readonly parser: ResponseParser;
  private readonly out = new OutputQueue();
  private readonly prefix: string;
  private readonly maxUntagged: number;
  private counter = 0;
  private readonly queue: Pending[] = [];
  private _state: ClientState = 'greeting';
  private caps = new Set<string>();
  private readonly enabled = new Set<string>();
  private box: MailboxState | null = null;
  private selecting: { name: string; readOnly: boolean } | null = null;

  constructor(options: ClientSessionOptions = {}) {
    this.prefix = options.tagPrefix ?? 'A';
    this.maxUntagged = options.maxUntagged ?? 1_000_000;
    this.parser = new ResponseParser(options.parser);
  }

  /** The connection state. */
  get state(): ClientState {
    return this._state;
  }
  /** Capabilities the server announced most recently (upper-case). */
  get capabilities(): ReadonlySet<string> {
    return this.caps;
  }
  /** Extensions turned on with ENABLE. */
  get enabledExtensions(): ReadonlySet<string> {
    return this.enabled;
  }
  /** The selected mailbox, or null. */
  get mailbox(): MailboxState | null {
    return this.box;
  }
  /** Drains the bytes to write. */
  takeOutput(): Uint8Array[] {
    return this.out.take();
  }

  /**
   * Queues a command and returns its tag. Commands the state does not allow throw (e.g.
   * SELECT before login, FETCH with no mailbox selected).
   */
  send(command: CommandIntent): string {
    const name = command.command;
    if (this._state === 'logout') throw new Error('the session has logged out');
    // Judge against the state the queued commands will reach if they succeed (a LIST may be
    // pipelined behind its LOGIN; if the LOGIN fails the server refuses the LIST).
    const loggingIn = this.queue.some((p) => p.command.command === 'LOGIN' || p.command.command === 'AUTHENTICATE');
    const authed = this._state === 'authenticated' || this._state === 'selected' || loggingIn;
    if (NEEDS_AUTH.has(name) && !authed) throw new Error(`${name} needs an authenticated session (state is ${this._state})`);
    if (NEEDS_SELECTED.has(name) && this._state !== 'selected' && !this.selecting) throw new Error(`${name} needs a selected mailbox`);
    if (NOT_AUTHENTICATED_ONLY.has(name) && (this._state === 'authenticated' || this._state === 'selected')) throw new Error(`${name} is only valid before authentication`);
    const tag = `${this.prefix}${++this.counter}`;
    const fragments = encodeCommand({ ...command, tag } as Command, {
      literalPlus: this.caps.has('LITERAL+'),
      literalMinus: this.caps.has('LITERAL-'),
      utf8Accept: this.enabled.has('UTF8=ACCEPT'),
    });
    if (name === 'SELECT' || name === 'EXAMINE') {
      const box = (command as { mailbox: string }).mailbox;
      this.selecting = { name: box.toUpperCase() === 'INBOX' ? 'INBOX' : box, readOnly: name === 'EXAMINE' };
      // A new SELECT deselects the current mailbox at once (RFC 3501 6.3.1).
      this.box = null;
    }
    this.queue.push({ tag, command, fragments, sent: 0, blocked: false, untagged: [] });
    this.pump();
    return tag;
  }

  /** AUTHENTICATE with SASL-IR when the server offers it (RFC 4959), else via a `+` challenge. */
  authenticate(creds: Credentials): string {
    const steps = creds.mechanism === 'LOGIN' ? [...saslLogin(creds.user, creds.password)] : [creds.mechanism === 'PLAIN' ? saslPlain(creds.user, creds.password, creds.authzid) : saslXOAuth2(creds.user, creds.accessToken)];
    const ir = this.caps.has('SASL-IR') && creds.mechanism !== 'LOGIN' ? encodeInitialResponse(steps.shift()!) : null;
    const tag = this.send({ command: 'AUTHENTICATE', mechanism: creds.mechanism, initialResponse: ir });
    this.queue.find((p) => p.tag === tag)!.sasl = steps;
    return tag;
  }

  /**
   * Answers a `sasl-challenge` event of an AUTHENTICATE the application runs itself
   * (`send({ command: 'AUTHENTICATE', mechanism: 'GSSAPI', initialResponse: null })`): the
   * response bytes go out base64-encoded; `null` cancels the exchange (`*`, RFC 3501 6.2.2).
   */
  saslRespond(response: Uint8Array | null): void {
    const head = this.queue[0];
    if (!head || head.command.command !== 'AUTHENTICATE' || head.sasl !== undefined) throw new Error('saslRespond() without an AUTHENTICATE run by the application');
    this.out.pushText(response === null ? `${SASL_CANCEL}\r\n` : `${encodeSaslResponse(response)}\r\n`);
  }

  /** Ends IDLE: sends DONE (RFC 2177). */
  done(): void {
    const head = this.queue[0];
    if (!head || head.command.command !== 'IDLE') throw new Error('done() without IDLE');
    this.out.pushText('DONE\r\n');
  }

  /** Feeds bytes from the server. */
  receive(chunk: Uint8Array): ClientEvent[] {
    const events: ClientEvent[] = [];
    for (const it of this.parser.push(chunk)) {
      if (it.type === 'error') events.push(it);
      else if (it.type === 'literal-chunk' || it.type === 'literal-end') events.push(it);
      else if (it.type === 'continuation') this.onContinuation(it.text, events);
      else if (it.type === 'untagged') this.onUntagged(it, events);
      else this.onTagged(it, events);
    }
    return events;
  }

  /** End of the server's stream. */
  end(): ClientEvent[] {
    const events: ClientEvent[] = [];
    for (const it of this.parser.end()) if (it.type === 'error') events.push(it);
    if (this.queue.length > 0) events.push({ type: 'error', error: new ProtocolError('TRUNCATED', `connection closed with ${this.queue.length} command(s) unanswered`) });
    this._state = 'logout';
    events.push({ type: 'closed' });
    return events;
  }

  /** Sends fragments of queued commands up to the first synchronizing literal. */
  private pump(): void {
    for (const p of this.queue) {
      if (p.blocked) return;
      while (p.sent < p.fragments.length) {
        const f = p.fragments[p.sent++]!;
        this.out.push(f.data);
        if (f.waitForContinuation) {
          p.blocked = true;
          return;
        }
      }
      // IDLE and AUTHENTICATE hold the line until they complete.
      if (p.command.command === 'IDLE' || p.command.command === 'AUTHENTICATE' || p.command.command === 'STARTTLS') return;
    }
  }

  private onContinuation(text: string, events: ClientEvent[]): void {
    const waiting = this.queue.find((p) => p.blocked || p.command.command === 'IDLE' || p.command.command === 'AUTHENTICATE');
    if (!waiting) {
      events.push({ type: 'error', error: new ProtocolError('UNEXPECTED', 'continuation request with no command waiting for one') });
      return;
    }
    if (waiting.blocked) {
      waiting.blocked = false;
      this.pump();
      return;
    }
    if (waiting.command.command === 'IDLE') events.push({ type: 'idling', tag: waiting.tag });
    else if (waiting.command.command === 'AUTHENTICATE') {
      if (waiting.sasl === undefined) {
        // A mechanism the application runs: hand it the challenge and wait for saslRespond().
        events.push({ type: 'sasl-challenge', tag: waiting.tag, challenge: decodeBase64(text.trim(), true) });
        return;
      }
      const next = waiting.sasl.shift();
      this.out.pushText(next === undefined ? `${SASL_CANCEL}\r\n` : `${encodeSaslResponse(next)}\r\n`);
    }
  }

  private codeEffects(code: ResponseCode | null): void {
    if (!code) return;
    if (code.name === 'CAPABILITY' && code.list) this.caps = new Set(code.list.map((c) => c.toUpperCase()));
    if (!this.box) return;
    const b = this.box as { -readonly [K in keyof MailboxState]: MailboxState[K] };
    if (code.name === 'UIDVALIDITY' && code.number !== undefined) b.uidValidity = code.number;
    if (code.name === 'UIDNEXT' && code.number !== undefined) b.uidNext = code.number;
    if (code.name === 'PERMANENTFLAGS' && code.list) b.permanentFlags = code.list;
    if (code.name === 'HIGHESTMODSEQ' && code.modseq !== undefined) b.highestModseq = code.modseq;
    if (code.name === 'READ-ONLY') b.readOnly = true;
    if (code.name === 'READ-WRITE') b.readOnly = false;
  }

  private onUntagged(r: UntaggedResponse, events: ClientEvent[]): void {
    if (this._state === 'greeting') {
      if (r.kind === 'OK' || r.kind === 'PREAUTH') {
        this._state = r.kind === 'OK' ? 'not-authenticated' : 'authenticated';
        this.codeEffects(r.code);
        events.push({ type: 'greeting', response: r });
      } else if (r.kind === 'BYE') {
        this._state = 'logout';
        events.push({ type: 'bye', response: r }, { type: 'closed' });
      } else events.push({ type: 'error', error: new ProtocolError('UNEXPECTED', `expected a greeting, got ${r.kind}`) });
      return;
    }
    if (this.selecting && !this.box) this.box = { name: this.selecting.name, readOnly: this.selecting.readOnly, exists: 0, recent: 0, flags: [], permanentFlags: null, uidValidity: null, uidNext: null, highestModseq: null };
    const b = this.box as { -readonly [K in keyof MailboxState]: MailboxState[K] } | null;
    switch (r.kind) {
      case 'CAPABILITY':
        this.caps = new Set(r.capabilities.map((c) => c.toUpperCase()));
        break;
      case 'ENABLED':
        for (const c of r.capabilities) this.enabled.add(c.toUpperCase());
        if (this.enabled.has('UTF8=ACCEPT')) this.parser.setUtf8Accept(true);
        break;
      case 'OK':
      case 'NO':
      case 'BAD':
        this.codeEffects(r.code);
        break;
      case 'BYE':
        events.push({ type: 'bye', response: r });
        break;
      case 'EXISTS':
        if (b) b.exists = r.number;
        break;
      case 'RECENT':
        if (b) b.recent = r.number;
        break;
      case 'EXPUNGE':
        if (b && b.exists > 0) b.exists--;
        break;
      case 'VANISHED':
        if (b && !r.earlier) b.exists = Math.max(0, b.exists - countUids(r.uids));
        break;
      case 'FLAGS':
        if (b) b.flags = r.flags;
        break;
      default:
        break;
    }
    // Untagged data belongs to the oldest command still running (unsolicited when none).
    const head = this.queue[0];
    if (head && head.untagged.length < this.maxUntagged) head.untagged.push(r);
    else if (head && !head.overflow) {
      head.overflow = true;
      const e = new ProtocolError('TOO_MANY', `more than ${this.maxUntagged} untagged responses while ${head.tag} runs: later ones are not kept for its completed event`, { tag: head.tag });
      events.push({ type: 'error', error: e });
    }
    events.push({ type: 'untagged', response: r });
  }

  private onTagged(r: TaggedResponse, events: ClientEvent[]): void {
    const i = this.queue.findIndex((p) => p.tag === r.tag);
    if (i < 0) {
      events.push({ type: 'error', error: new ProtocolError('UNEXPECTED', `tagged response for unknown tag "${r.tag}"`, { tag: r.tag }) });
      return;
    }
    const p = this.queue.splice(i, 1)[0]!;
    const isSelect = p.command.command === 'SELECT' || p.command.command === 'EXAMINE';
    if (isSelect && r.status === 'OK' && !this.box && this.selecting) {
      this.box = { name: this.selecting.name, readOnly: this.selecting.readOnly, exists: 0, recent: 0, flags: [], permanentFlags: null, uidValidity: null, uidNext: null, highestModseq: null };
    }
    this.codeEffects(r.code);
    const ok = r.status === 'OK';
    switch (p.command.command) {
      case 'LOGIN':
      case 'AUTHENTICATE':
        if (ok) {
          this._state = 'authenticated';
          if (!(r.code?.name === 'CAPABILITY')) this.caps.clear();
        }
        break;
      case 'SELECT':
      case 'EXAMINE':
        if (ok && this.box) this._state = 'selected';
        else {
          this.box = null;
          if (this._state === 'selected') this._state = 'authenticated';
        }
        this.selecting = null;
        break;
      case 'CLOSE':
      case 'UNSELECT':
        if (ok) {
          this.box = null;
          this._state = 'authenticated';
        }
        break;
      case 'UNAUTHENTICATE':
        if (ok) {
          this.box = null;
          this._state = 'not-authenticated';
        }
        break;
      case 'LOGOUT':
        this._state = 'logout';
        break;
      case 'STARTTLS':
        if (ok) {
          this.caps.clear();
          events.push({ type: 'starttls' });
        }
        break;
      default:
        break;
    }
    events.push({ type: 'completed', tag: r.tag, command: p.command, response: r, untagged: p.untagged });
    if (this._state === 'logout') events.push({ type: 'closed' });
    else this.pump();
  }
}
