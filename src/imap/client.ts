/**
 * IMAP client session (RFC 3501 3 states, RFC 9051): tags, a command queue, correlation of
 * each tagged completion with the untagged data that arrived while it ran, literal flow
 * control, IDLE, AUTHENTICATE, STARTTLS, COMPRESS, capability and mailbox state. No I/O.
 *
 * @packageDocumentation
 */

import { decodeBase64 } from '../core/base64';
import { encodeUtf8 } from '../core/bytes';
import { ProtocolError, errorItem } from '../core/errors';
import { OutputQueue } from '../core/output-queue';
import { AnswerFence, OutputHolds } from '../core/pipeline';
import { SASL_CANCEL, decodeSaslLine, encodeSaslResponse, encodeInitialResponse } from '../core/sasl';
import { type OAuthError, type SaslBuiltinCredentials, type SaslClient, createSaslClient } from '../core/sasl-mechanisms';
import { type StreamedAppendStart, encodeStreamedAppendStart } from './append';
import { UidMap } from './client-uid-map';
import { commandStates, encodeCommand } from './command';
import type { Command, CommandFragment } from './command-types';
import { type LiteralChunkItem, type LiteralEndItem, ResponseParser, type ResponseParserItem, type ResponseParserOptions } from './parser';
import type { FetchAttributes, ResponseCode, TaggedResponse, UntaggedResponse } from './types';
import { LF } from './chars';

/** RFC 3501 3 connection states, plus the wait for the greeting. */
export type ClientState = 'greeting' | 'not-authenticated' | 'authenticated' | 'selected' | 'logout';

/** What the client knows about the selected mailbox, kept up to date from responses. */
export interface MailboxState {
  readonly name: string;
  readonly readOnly: boolean;
  /**
   * Number of messages: EXISTS, lowered by EXPUNGE and by a plain VANISHED only for UIDs known
   * to be in the mailbox (see {@link ClientSessionOptions.uidMap}); VANISHED (EARLIER) never
   * changes it (RFC 7162 3.2.10).
   */
  readonly exists: number;
  readonly recent: number;
  readonly flags: readonly string[];
  readonly permanentFlags: readonly string[] | null;
  readonly uidValidity: number | null;
  readonly uidNext: number | null;
  /**
   * HIGHESTMODSEQ from SELECT/EXAMINE or a later response code, raised by `FETCH (MODSEQ (n))`
   * with a higher value (RFC 7162 3.1.2); null when the server announced none (NOMODSEQ).
   */
  readonly highestModseq: bigint | null;
}

/** A command without its tag (the session assigns tags). */
export type CommandIntent = Command extends infer C ? (C extends { tag: string } ? Omit<C, 'tag'> : never) : never;

/** Events of an IMAP client session. */
export type ClientEvent =
  | { readonly type: 'greeting'; readonly response: UntaggedResponse }
  | { readonly type: 'untagged'; readonly response: UntaggedResponse }
  | { readonly type: 'completed'; readonly tag: string; readonly command: CommandIntent; readonly response: TaggedResponse; readonly untagged: readonly UntaggedResponse[] }
  /** A piece of a literal above the parser's `literalThreshold`, labelled by the grammar (FETCH item, ENVELOPE field). */
  | LiteralChunkItem
  /** The end of a streamed literal. */
  | LiteralEndItem
  | { readonly type: 'idling'; readonly tag: string }
  /**
   * AUTHENTICATE with a mechanism mailwire does not run itself (GSSAPI, SCRAM-*, ...): the
   * server's challenge, base64-decoded (null when it was not valid base64). Answer with
   * {@link ClientSession.saslRespond}.
   */
  | { readonly type: 'sasl-challenge'; readonly tag: string; readonly challenge: Uint8Array | null }
  /**
   * XOAUTH2 / OAUTHBEARER: the server's error challenge after the token (RFC 7628 3.2.2),
   * decoded. The session has already sent the response the mechanism requires to finish (an
   * empty line, or a single ^A); the tagged NO follows.
   */
  | { readonly type: 'oauth-error'; readonly tag: string; readonly oauth: OAuthError }
  /**
   * The server said OK to STARTTLS: start the TLS handshake on the socket, then call
   * {@link ClientSession.tlsEstablished}. Until then the session writes nothing, and bytes it
   * is given are clear text nobody may trust: dropped unread (one `UNEXPECTED` error event).
   */
  | { readonly type: 'starttls' }
  /**
   * The server said OK to COMPRESS (RFC 4978): from here on its bytes are compressed. `rest`
   * holds the bytes of the same read that followed the OK line (a view of the chunk given to
   * `receive()`), already compressed: inflate them and pass the result to `receive()`. Output
   * taken so far is plain; the session writes nothing more until
   * {@link ClientSession.compressionEstablished}, and what it writes after that goes through
   * the deflater.
   */
  | { readonly type: 'compress'; readonly rest: Uint8Array }
  /**
   * A queued command that will not be sent: it was queued behind a STARTTLS the server refused
   * (it was meant to travel inside TLS), the greeting made it impossible (PREAUTH: a LOGIN, and
   * a STARTTLS with what was queued behind it; BYE: everything), or it could not be encoded for
   * the server's new capabilities (`error` says why).
   */
  | { readonly type: 'cancelled'; readonly tag: string; readonly command: CommandIntent; readonly error: ProtocolError }
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
  /**
   * Keep a message sequence number <-> UID map of the selected mailbox for mailboxes of at most
   * this many messages (4 octets each). Default 0: no map. Filled from FETCH responses that carry
   * UID (`FETCH 1:* (UID)` fills it whole), kept through EXISTS, EXPUNGE and VANISHED; read it
   * with {@link ClientSession.uidOf} and {@link ClientSession.seqOf}. A mailbox that grows past
   * the bound loses its map (one `TOO_MANY` error event) until the next SELECT.
   */
  readonly uidMap?: number;
  /**
   * Output octets waiting in `takeOutput()` (with the octets of a {@link ClientSession.beginAppend}
   * message still held for the server's `+`) above which {@link AppendWriter.write} returns
   * false: write the output to the socket before producing more. Default 1 MiB.
   */
  readonly maxOutput?: number;
}

/**
 * SASL credentials for {@link ClientSession.authenticate}: every mechanism the session runs
 * itself (PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-1/256 and -PLUS, XOAUTH2, OAUTHBEARER, EXTERNAL,
 * ANONYMOUS), the same for the three protocols.
 */
export type Credentials = SaslBuiltinCredentials;

interface Pending {
  readonly tag: string;
  command: CommandIntent;
  fragments: CommandFragment[];
  /** The capability generation the fragments were encoded for. */
  encodedWith: number;
  sent: number;
  /** The number of its first write (core/pipeline.ts AnswerFence): a tagged answer that began before it answers something else. */
  firstWrite: number;
  /** The number of the last write that invites a "+" (the command line, a literal announcement, a SASL response). */
  inviteWrite: number;
  /** A synchronizing literal was announced: nothing more goes out until the server's "+". */
  blocked: boolean;
  readonly untagged: UntaggedResponse[];
  /** More than `maxUntagged` arrived while it ran (reported once). */
  overflow?: boolean;
  /** authenticate(): the mechanism's steps (absent: the application runs the exchange). */
  sasl?: SaslClient;
  /** authenticate(): the initial response, so that SASL-IR can be decided again at (re-)encoding. */
  saslPlan?: { readonly mechanism: string; readonly client: SaslClient; readonly ir: Uint8Array | null };
  /** The initial response did not go on the command line: it answers the first (empty) "+". */
  saslIrPending?: boolean;
  /** SELECT/EXAMINE: its mailbox state has been created. */
  opened?: boolean;
  /** IDLE: the server's "+" came. */
  idling?: boolean;
  /** IDLE: done() was called before the "+"; DONE goes out when it comes. */
  doneRequested?: boolean;
  doneSent?: boolean;
  /** The session's own CAPABILITY after TLS: the commands behind it wait for its answer. */
  refresh?: boolean;
  /** beginAppend(): the message octets the application writes piece by piece. */
  stream?: AppendStream;
}

/** The message of a {@link ClientSession.beginAppend}, between its announcement and its CRLF. */
interface AppendStream {
  readonly start: StreamedAppendStart;
  /** Octets still owed to the announced length. */
  remaining: number;
  /** Octets written before they may go out (the command is queued, or waits for the server's "+"), by reference. */
  held: Uint8Array[];
  heldBytes: number;
  /** The announcement is out and the server said "+" (or need not): octets go straight to the output. */
  flowing: boolean;
  /** end() was called. */
  ended: boolean;
  /** The CRLF that ends the command is out: commands queued behind it may follow. */
  finished: boolean;
  /** Why the message will never be sent (the server answered instead of "+"), or null. */
  cancelled: string | null;
}

export type { StreamedAppendStart } from './append';

/** Where the session stands with a STARTTLS or COMPRESS switch. */
type Phase = 'plain' | 'tls-handshake' | 'compress-handshake';

/**
 * Commands after which nothing else is sent until they are answered: IDLE and AUTHENTICATE
 * own the line; after STARTTLS and COMPRESS the next bytes belong to another layer; LOGIN and
 * AUTHENTICATE because servers drop what is pipelined behind a login (Courier), as RFC 4954
 * ends an SMTP pipeline group at AUTH.
 */
const HOLDS_THE_LINE = new Set(['IDLE', 'AUTHENTICATE', 'STARTTLS', 'COMPRESS', 'LOGIN']);
/** Holds on the whole output (core/pipeline.ts, as in the SMTP and POP3 clients). */
const HOLD_GREETING = 'greeting';
const HOLD_TLS = 'tls';
const HOLD_COMPRESS = 'compress';

function emptyMailbox(name: string, readOnly: boolean): MailboxState {
  return { name, readOnly, exists: 0, recent: 0, flags: [], permanentFlags: null, uidValidity: null, uidNext: null, highestModseq: null };
}

function isSelect(p: { readonly command: CommandIntent }): boolean {
  return p.command.command === 'SELECT' || p.command.command === 'EXAMINE';
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

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
  private parser: ResponseParser;
  private readonly parserOptions: ResponseParserOptions | undefined;
  private readonly out = new OutputQueue();
  private readonly prefix: string;
  private readonly maxUntagged: number;
  private readonly uidMapLimit: number;
  private counter = 0;
  private readonly queue: Pending[] = [];
  private _state: ClientState = 'greeting';
  private caps = new Set<string>();
  /** Bumped whenever what the encoder depends on (capabilities, UTF8=ACCEPT) changes. */
  private capsGeneration = 0;
  private readonly enabled = new Set<string>();
  private box: MailboxState | null = null;
  private map: UidMap | null = null;
  private phase: Phase = 'plain';
  /** Nothing queued is written while a hold is on: before the greeting, during a TLS or COMPRESS handshake. */
  private readonly holds = new OutputHolds();
  /** Which written commands the response being read may answer: those written before it began. */
  private readonly fence = new AnswerFence();
  /** The tag of a STARTTLS or COMPRESS that has gone out and is not answered yet. */
  private switchTag: string | null = null;
  private _tls = false;
  private _compression: string | null = null;
  /** The mechanism of a COMPRESS the server accepted, until compressionEstablished(). */
  private compressing: string | null = null;
  /** Clear text after STARTTLS was reported (once per handshake). */
  private dropReported = false;
  /** Events that arose outside receive() (a held command that could not be re-encoded), delivered by the next receive()/end(). */
  private later: ClientEvent[] = [];
  /** An IDLE / application-run AUTHENTICATE has gone out: done() / saslRespond() after its end is a no-op, not a mistake. */
  private idleSent = false;
  private appSaslSent = false;
  private readonly maxOutput: number;

  constructor(options: ClientSessionOptions = {}) {
    this.prefix = options.tagPrefix ?? 'A';
    this.maxUntagged = options.maxUntagged ?? 1_000_000;
    this.uidMapLimit = options.uidMap ?? 0;
    this.maxOutput = options.maxOutput ?? 1024 * 1024;
    this.parserOptions = options.parser;
    this.parser = new ResponseParser(options.parser);
    this.holds.hold(HOLD_GREETING);
  }

  /** The connection state. */
  get state(): ClientState {
    return this._state;
  }
  /**
   * Capabilities the server announced most recently (upper-case). Forgotten at STARTTLS (and
   * asked again once TLS is up), after LOGIN / AUTHENTICATE / UNAUTHENTICATE unless the server
   * sent them with its answer.
   */
  get capabilities(): ReadonlySet<string> {
    return this.caps;
  }
  /** Extensions turned on with ENABLE (the server's `* ENABLED`); cleared by UNAUTHENTICATE. */
  get enabledExtensions(): ReadonlySet<string> {
    return this.enabled;
  }
  /** The selected mailbox, or null. */
  get mailbox(): MailboxState | null {
    return this.box;
  }
  /** True once {@link tlsEstablished} was called after a STARTTLS. */
  get tls(): boolean {
    return this._tls;
  }
  /** The COMPRESS mechanism in force (`'DEFLATE'`) once {@link compressionEstablished} was called, else null. */
  get compression(): string | null {
    return this._compression;
  }
  /** True while a sequence number <-> UID map of the selected mailbox is kept (option `uidMap`). */
  get uidMapActive(): boolean {
    return this.map !== null;
  }

  /** The UID of message `seq` in the selected mailbox, or null when the map does not know it (or is off). */
  uidOf(seq: number): number | null {
    return this.map ? this.map.uidOf(seq) : null;
  }
  /** The sequence number of the message with `uid` in the selected mailbox, or null when the map does not know it (or is off). */
  seqOf(uid: number): number | null {
    return this.map ? this.map.seqOf(uid) : null;
  }

  /** Drains the bytes to write. */
  takeOutput(): Uint8Array[] {
    return this.out.take();
  }

  /**
   * Queues a command and returns its tag. Commands the state does not allow throw (e.g.
   * SELECT before login, FETCH with no mailbox selected, a second STARTTLS). Nothing is written
   * before the server's greeting: commands queued earlier go out when `* OK` comes (a `* PREAUTH`
   * cancels a queued LOGIN, AUTHENTICATE or STARTTLS, and what was queued behind a STARTTLS; a
   * `* BYE` cancels everything: `cancelled` events).
   */
  send(command: CommandIntent): string {
    this.checkAllowed(command.command);
    return this.enqueue(command);
  }

  /**
   * APPEND (RFC 9051 6.3.12) of one message of `length` octets that the application produces
   * piece by piece (read from a file as it goes): the returned writer takes exactly `length`
   * octets, then `end()`. The command is queued like `send()` (its tag is `writer.tag`; its
   * `completed` event carries the message as a `{ kind: 'streamed' }` stand-in). Its literal is
   * synchronizing unless the server offers LITERAL+ (or LITERAL- and at most 4096 octets): no
   * octet goes out before the server's `+`, and a tagged NO/BAD instead of the `+` cancels the
   * writer. Nothing else goes out inside the command: commands queued meanwhile follow its
   * CRLF. `binary` announces a literal8 `~{n}` (RFC 3516; the octets may hold NUL). Throws like
   * `send()` for a state that does not allow APPEND, TypeError / RangeError for arguments that
   * cannot go on the wire.
   *
   * @example
   * ```ts
   * import { imap } from 'mailwire';
   * const c = new imap.ClientSession();
   * c.receive(new TextEncoder().encode('* PREAUTH ready\r\n'));
   * const message = new TextEncoder().encode('Subject: hi\r\n\r\nhello\r\n');
   * const w = c.beginAppend({ mailbox: 'Sent', flags: ['\\Seen'], length: message.length });
   * c.takeOutput(); // "A1 APPEND Sent (\Seen) {22}\r\n": the octets wait for the server's "+"
   * w.write(message.subarray(0, 10));
   * w.write(message.subarray(10));
   * w.end();
   * c.receive(new TextEncoder().encode('+ go ahead\r\n'));
   * c.takeOutput(); // the 22 octets, then "\r\n"
   * ```
   */
  beginAppend(options: StreamedAppendStart): AppendWriter {
    this.checkAllowed('APPEND');
    if (typeof options !== 'object' || options === null) throw new TypeError('beginAppend() takes an options object');
    const start: StreamedAppendStart = { ...options };
    const stream: AppendStream = { start, remaining: start.length, held: [], heldBytes: 0, flowing: false, ended: false, finished: false, cancelled: null };
    const command: CommandIntent = {
      command: 'APPEND',
      mailbox: start.mailbox,
      messages: [{ flags: start.flags === undefined || start.flags === null ? null : [...start.flags], date: start.date ?? null, message: { kind: 'streamed', size: start.length, binary: start.binary === true }, binary: start.binary === true }],
    };
    const p = this.makePending(command, undefined, stream);
    this.queue.push(p);
    this.pump();
    return new AppendWriter(p.tag, {
      remaining: () => stream.remaining,
      cancelled: () => stream.cancelled !== null,
      write: (chunk) => this.appendWrite(p, chunk),
      end: () => this.appendEnd(p),
      abort: () => this.appendAbort(p),
    });
  }

  private appendWrite(p: Pending, chunk: Uint8Array): boolean {
    const s = p.stream!;
    if (s.cancelled !== null) throw new Error(`AppendWriter.write(): ${s.cancelled}`);
    if (this._state === 'logout') throw new Error('AppendWriter.write(): the session has closed');
    if (s.ended) throw new Error('AppendWriter.write() after end()');
    if (!(chunk instanceof Uint8Array)) throw new TypeError('AppendWriter.write() takes a Uint8Array');
    if (chunk.length > s.remaining) throw new RangeError(`${chunk.length} octets written with only ${s.remaining} left of the announced length`);
    // A literal is CHAR8 (no NUL); only literal8 may carry NUL octets (RFC 3516).
    if (s.start.binary !== true && chunk.includes(0)) throw new TypeError('a NUL octet can only be sent in a literal8: beginAppend({ binary: true })');
    s.remaining -= chunk.length;
    if (s.flowing) this.out.push(chunk);
    else if (chunk.length > 0) {
      s.held.push(chunk);
      s.heldBytes += chunk.length;
    }
    return this.out.length + s.heldBytes <= this.maxOutput;
  }

  private appendEnd(p: Pending): void {
    const s = p.stream!;
    if (s.cancelled !== null || this._state === 'logout') return;
    if (s.ended) throw new Error('AppendWriter.end() called twice');
    if (s.remaining > 0) throw new RangeError(`end() with ${s.remaining} octets of the announced length not written`);
    s.ended = true;
    if (s.flowing) this.pump();
  }

  private appendAbort(p: Pending): ClientEvent[] {
    const s = p.stream!;
    if (s.cancelled !== null || s.finished || this._state === 'logout') return [];
    s.cancelled = 'the APPEND was aborted';
    s.held = [];
    s.heldBytes = 0;
    const i = this.queue.indexOf(p);
    if (i >= 0 && p.sent === 0) {
      // Not on the wire yet: it simply never goes.
      this.queue.splice(i, 1);
      this.pump();
      return [{ type: 'cancelled', tag: p.tag, command: p.command, error: new ProtocolError('UNEXPECTED', 'the APPEND was aborted before it was sent', { tag: p.tag }) }];
    }
    // The literal is announced: the server reads the next octets as its message, whatever they
    // are. It can never be completed, so the connection is over.
    if (i >= 0) this.queue.splice(i, 1);
    const events: ClientEvent[] = [];
    this.cancelUnsent(`the connection closes: the APPEND ${p.tag} before it was aborted inside its message`, events);
    this._state = 'logout';
    events.push({ type: 'closed' });
    return events;
  }

  /** Throws for a command the state (or the queue ahead of it) does not allow. */
  private checkAllowed(name: CommandIntent['command']): void {
    if (this._state === 'logout') throw new Error('the session has logged out');
    // Judge against the state the queued commands will reach if they succeed (a LIST may be
    // pipelined behind its LOGIN; if the LOGIN fails the server refuses the LIST).
    const loggingIn = this.queue.some((p) => p.command.command === 'LOGIN' || p.command.command === 'AUTHENTICATE');
    const authed = this._state === 'authenticated' || this._state === 'selected' || loggingIn;
    // The state rules are the command table's (RFC 9051 6), the same the server uses.
    const states = commandStates(name);
    const needsAuth = !states.includes('not-authenticated');
    const needsSelected = states.length === 1 && states[0] === 'selected';
    const beforeAuthOnly = states.length === 1 && states[0] === 'not-authenticated';
    if (needsAuth && !authed) throw new Error(`${name} needs an authenticated session (state is ${this._state})`);
    if (needsSelected && this._state !== 'selected' && !this.queue.some(isSelect)) throw new Error(`${name} needs a selected mailbox`);
    if (beforeAuthOnly && (this._state === 'authenticated' || this._state === 'selected')) throw new Error(`${name} is only valid before authentication`);
    if (name === 'STARTTLS' && (this._tls || this.phase === 'tls-handshake' || this.queue.some((p) => p.command.command === 'STARTTLS'))) throw new Error('STARTTLS was already sent on this connection');
    if (name === 'COMPRESS' && (this._compression !== null || this.phase === 'compress-handshake' || this.queue.some((p) => p.command.command === 'COMPRESS'))) throw new Error('COMPRESS was already sent on this connection');
  }

  /** Sends STARTTLS (RFC 3501 6.2.1). At the `starttls` event start TLS, then call {@link tlsEstablished}. */
  startTls(): string {
    return this.send({ command: 'STARTTLS' });
  }

  /**
   * The TLS handshake after a `starttls` event is done. The session forgets the capabilities it
   * learned in clear text (RFC 3501 6.2.1, RFC 9051 6.2.1), sends CAPABILITY, and releases the
   * commands queued behind STARTTLS once that is answered (so they are encoded for the
   * capabilities the server announces inside TLS). Throws without a `starttls` event.
   */
  tlsEstablished(): void {
    if (this.phase !== 'tls-handshake') throw new Error('tlsEstablished() without a starttls event');
    this.phase = 'plain';
    this.holds.release(HOLD_TLS);
    this.fence.readEnded(false);
    this._tls = true;
    this.dropReported = false;
    this.setCaps(new Set());
    const first = this.queue.findIndex((p) => p.sent === 0);
    const refresh = this.makePending({ command: 'CAPABILITY' });
    refresh.refresh = true;
    this.queue.splice(first < 0 ? this.queue.length : first, 0, refresh);
    this.pump();
  }

  /** Sends COMPRESS (RFC 4978). At the `compress` event start the inflater and deflater, then call {@link compressionEstablished}. */
  compress(mechanism = 'DEFLATE'): string {
    return this.send({ command: 'COMPRESS', mechanism });
  }

  /** The compression layer after a `compress` event is in place: held commands go out (for the deflater). Throws without a `compress` event. */
  compressionEstablished(): void {
    if (this.phase !== 'compress-handshake') throw new Error('compressionEstablished() without a compress event');
    this.phase = 'plain';
    this.holds.release(HOLD_COMPRESS);
    this._compression = this.compressing;
    this.compressing = null;
    this.pump();
  }

  /** AUTHENTICATE with SASL-IR when the server offers it (RFC 4959), else via a `+` challenge. */
  authenticate(creds: Credentials): string {
    this.checkAllowed('AUTHENTICATE');
    const client = createSaslClient(creds);
    return this.enqueue({ command: 'AUTHENTICATE', mechanism: creds.mechanism, initialResponse: null }, { mechanism: creds.mechanism, client, ir: client.initialResponse() });
  }

  /**
   * Answers a `sasl-challenge` event of an AUTHENTICATE the application runs itself
   * (`send({ command: 'AUTHENTICATE', mechanism: 'GSSAPI', initialResponse: null })`): the
   * response bytes go out base64-encoded; `null` cancels the exchange (`*`, RFC 3501 6.2.2).
   * When that AUTHENTICATE has already been answered (the server's final answer can arrive in
   * the same read as its last challenge) this is a no-op. Throws when no such AUTHENTICATE
   * was ever sent.
   */
  saslRespond(response: Uint8Array | null): void {
    const auth = this.queue.find((p) => p.command.command === 'AUTHENTICATE' && p.sent > 0 && p.sasl === undefined);
    if (!auth) {
      if (this.appSaslSent) return;
      throw new Error('saslRespond() without an AUTHENTICATE run by the application');
    }
    auth.inviteWrite = this.fence.wrote();
    this.out.pushText(response === null ? `${SASL_CANCEL}\r\n` : `${encodeSaslResponse(response)}\r\n`);
  }

  /**
   * Ends IDLE: sends DONE (RFC 2177). Called before the server's `+`, DONE goes out when it
   * comes; called again, or after the IDLE was answered (its tagged answer can arrive in the
   * same read as the `+`), it is a no-op. Throws when no IDLE was ever queued.
   */
  done(): void {
    const idle = this.queue.find((p) => p.command.command === 'IDLE');
    if (!idle) {
      if (this.idleSent) return;
      throw new Error('done() without IDLE');
    }
    if (idle.doneSent || idle.doneRequested) return;
    if (idle.idling) this.sendDone(idle);
    else idle.doneRequested = true;
  }

  /**
   * Feeds bytes from the server. Never throws. A tagged response or a `+` that began before the
   * command it would answer was written (a read ended inside it first) answers nothing: an
   * `UNEXPECTED` error event, never a completion (core/pipeline.ts AnswerFence).
   */
  receive(chunk: Uint8Array): ClientEvent[] {
    const events: ClientEvent[] = this.later;
    this.later = [];
    if (this.phase === 'tls-handshake') {
      this.dropClearText(chunk.length, events);
      return events;
    }
    if (this.switchTag === null && !this.queue.some((p) => p.command.command === 'STARTTLS' || p.command.command === 'COMPRESS')) {
      for (const it of this.parser.push(chunk)) this.onItem(it, events);
      this.fence.readEnded(this.parser.partial);
      return events;
    }
    // A STARTTLS or COMPRESS is on the wire, or queued (an answer in this very read can send
    // it: the greeting, or the LOGIN it waits behind): its tagged OK is where the bytes change
    // layer. Feed the parser line by line (every response ends at an LF) so that it never sees
    // a byte after that point.
    let start = 0;
    while (start < chunk.length) {
      const lf = chunk.indexOf(LF, start);
      const end = lf < 0 ? chunk.length : lf + 1;
      const before: Phase = this.phase;
      for (const it of this.parser.push(chunk.subarray(start, end))) {
        if (this.phase !== before) this.dropClearText(1, events);
        else this.onItem(it, events);
      }
      start = end;
      if (this.phase !== before) break;
    }
    const rest = chunk.subarray(start);
    // (onItem may have changed the phase: read it afresh.)
    const phase = this.phase as Phase;
    if (phase === 'tls-handshake') {
      if (rest.length > 0) this.dropClearText(rest.length, events);
    } else if (phase === 'compress-handshake') {
      const i = events.findIndex((e) => e.type === 'compress');
      if (i >= 0) events[i] = { type: 'compress', rest };
    }
    this.fence.readEnded(phase === 'plain' && this.parser.partial);
    return events;
  }

  /** End of the server's stream: `TRUNCATED` when commands are still unanswered, then `closed`. */
  end(): ClientEvent[] {
    const events: ClientEvent[] = this.later;
    this.later = [];
    if (this.phase !== 'tls-handshake') for (const it of this.parser.end()) if (it.type === 'error') events.push(it);
    if (this.queue.length > 0) events.push(errorItem(new ProtocolError('TRUNCATED', `connection closed with ${this.queue.length} command(s) unanswered`)));
    this._state = 'logout';
    events.push({ type: 'closed' });
    return events;
  }

  private enqueue(command: CommandIntent, saslPlan?: Pending['saslPlan']): string {
    const p = this.makePending(command, saslPlan);
    this.queue.push(p);
    this.pump();
    return p.tag;
  }

  /** A queued command, encoded now so that a value that cannot go on the wire throws at send(). */
  private makePending(command: CommandIntent, saslPlan?: Pending['saslPlan'], stream?: AppendStream): Pending {
    const p: Pending = { tag: `${this.prefix}${++this.counter}`, command, fragments: [], encodedWith: -1, sent: 0, firstWrite: 0, inviteWrite: 0, blocked: false, untagged: [] };
    if (saslPlan) p.saslPlan = saslPlan;
    if (stream) p.stream = stream;
    try {
      this.encode(p);
    } catch (e) {
      this.counter--;
      throw e;
    }
    return p;
  }

  /** (Re-)encodes a command for the capabilities known now (LITERAL+/-, UTF8=ACCEPT, SASL-IR). */
  private encode(p: Pending): void {
    if (p.saslPlan) {
      const { ir, client, mechanism } = p.saslPlan;
      const onLine = ir !== null && this.caps.has('SASL-IR');
      p.command = { command: 'AUTHENTICATE', mechanism, initialResponse: onLine ? encodeInitialResponse(ir) : null };
      p.sasl = client;
      p.saslIrPending = ir !== null && !onLine;
    }
    const options = { literalPlus: this.caps.has('LITERAL+'), literalMinus: this.caps.has('LITERAL-'), utf8Accept: this.enabled.has('UTF8=ACCEPT') };
    p.fragments = p.stream ? encodeStreamedAppendStart(p.tag, p.stream.start, options) : encodeCommand({ ...p.command, tag: p.tag } as Command, options);
    p.encodedWith = this.capsGeneration;
  }

  private setCaps(caps: Set<string>): void {
    this.caps = caps;
    this.capsGeneration++;
  }

  /** Sends fragments of queued commands up to the first synchronizing literal or command that holds the line. */
  private pump(): void {
    if (this.holds.any) return;
    for (let i = 0; i < this.queue.length; i++) {
      const p = this.queue[i]!;
      if (p.blocked) return;
      if (p.sent === 0 && p.encodedWith !== this.capsGeneration) {
        try {
          this.encode(p);
        } catch (e) {
          this.queue.splice(i--, 1);
          const error = new ProtocolError('UNEXPECTED', `${p.command.command} cannot be encoded for the server's capabilities: ${e instanceof Error ? e.message : String(e)}`, { tag: p.tag, cause: e });
          if (p.stream) {
            p.stream.cancelled = error.message;
            p.stream.held = [];
            p.stream.heldBytes = 0;
          }
          this.later.push({ type: 'cancelled', tag: p.tag, command: p.command, error });
          continue;
        }
      }
      if (p.sent === 0) {
        p.firstWrite = p.inviteWrite = this.fence.wrote();
        // A SELECT deselects the current mailbox as it goes out (RFC 3501 6.3.1): what comes
        // after it is about the new one (or about none, if it fails).
        if (isSelect(p)) {
          this.box = null;
          this.map = null;
        }
        if (p.command.command === 'STARTTLS' || p.command.command === 'COMPRESS') this.switchTag = p.tag;
        if (p.command.command === 'IDLE') this.idleSent = true;
        if (p.command.command === 'AUTHENTICATE' && p.sasl === undefined) this.appSaslSent = true;
      }
      while (p.sent < p.fragments.length) {
        const f = p.fragments[p.sent++]!;
        this.out.push(f.data);
        if (f.waitForContinuation) {
          if (p.sent > 1) p.inviteWrite = this.fence.wrote();
          p.blocked = true;
          return;
        }
      }
      // A streamed APPEND owns the line from its announcement to its CRLF.
      if (p.stream && !this.flowAppend(p.stream)) return;
      if (HOLDS_THE_LINE.has(p.command.command) || p.refresh) return;
    }
  }

  /** Sends what the application wrote of a streamed APPEND message; true once its CRLF is out. */
  private flowAppend(s: AppendStream): boolean {
    if (s.finished) return true;
    if (s.cancelled !== null) return false;
    s.flowing = true;
    for (const c of s.held) this.out.push(c);
    s.held = [];
    s.heldBytes = 0;
    if (!s.ended) return false;
    s.finished = true;
    this.out.pushText('\r\n');
    return true;
  }

  private sendDone(idle: Pending): void {
    idle.doneSent = true;
    this.out.pushText('DONE\r\n');
  }

  /** Bytes that reached the session between a STARTTLS OK and tlsEstablished(): never parsed. */
  private dropClearText(octets: number, events: ClientEvent[]): void {
    if (this.dropReported || octets === 0) return;
    this.dropReported = true;
    events.push(errorItem(new ProtocolError('UNEXPECTED', 'bytes after the STARTTLS OK and before the TLS handshake: clear text anyone on the path could have injected, dropped unread')));
  }

  private onItem(it: ResponseParserItem, events: ClientEvent[]): void {
    if (it.type === 'literal-chunk' || it.type === 'literal-end') {
      events.push(it);
      return;
    }
    if (it.type === 'error') events.push(it);
    else if (it.type === 'continuation') this.onContinuation(it.text, events);
    else if (it.type === 'untagged') this.onUntagged(it, events);
    else this.onTagged(it, events);
    this.fence.lift();
  }

  private onContinuation(text: string, events: ClientEvent[]): void {
    const waiting = this.queue.find((p) => p.sent > 0 && (p.blocked || p.command.command === 'IDLE' || p.command.command === 'AUTHENTICATE'));
    if (!waiting || !this.fence.mayAnswer(waiting.inviteWrite)) {
      events.push(errorItem(new ProtocolError('UNEXPECTED', waiting ? `continuation request that began before ${waiting.tag} asked for one: not answered` : 'continuation request with no command waiting for one')));
      return;
    }
    if (waiting.blocked) {
      waiting.blocked = false;
      this.pump();
      return;
    }
    if (waiting.command.command === 'IDLE') {
      waiting.idling = true;
      events.push({ type: 'idling', tag: waiting.tag });
      if (waiting.doneRequested && !waiting.doneSent) this.sendDone(waiting);
    } else if (waiting.command.command === 'AUTHENTICATE') {
      if (waiting.sasl === undefined) {
        // A mechanism the application runs: hand it the challenge and wait for saslRespond().
        events.push({ type: 'sasl-challenge', tag: waiting.tag, challenge: decodeBase64(text.trim(), true) });
        return;
      }
      if (waiting.saslIrPending) {
        // RFC 4959 / RFC 3501 6.2.2: without SASL-IR the initial response answers the empty "+".
        waiting.saslIrPending = false;
        waiting.inviteWrite = this.fence.wrote();
        this.out.pushText(`${encodeSaslResponse(waiting.saslPlan!.ir!)}\r\n`);
        return;
      }
      // A challenge that is not base64, or one the mechanism cannot answer (a wrong SCRAM server
      // signature, one challenge too many): cancel. OAuth mechanisms answer any challenge with
      // their finishing response and report the error.
      const client = waiting.sasl;
      const oauth = client.mechanism === 'XOAUTH2' || client.mechanism === 'OAUTHBEARER';
      const decoded = decodeSaslLine(text);
      const bytes = decoded instanceof ProtocolError ? (oauth ? encodeUtf8(text.trim()) : null) : decoded;
      const before = client.oauthError;
      const answer = bytes === null ? null : client.respond(bytes);
      if (client.oauthError !== null && client.oauthError !== before) events.push({ type: 'oauth-error', tag: waiting.tag, oauth: client.oauthError });
      waiting.inviteWrite = this.fence.wrote();
      this.out.pushText(answer === null || answer instanceof ProtocolError ? `${SASL_CANCEL}\r\n` : `${encodeSaslResponse(answer)}\r\n`);
    }
  }

  private codeEffects(code: ResponseCode | null): void {
    if (!code) return;
    if (code.name === 'CAPABILITY' && code.list) this.setCaps(new Set(code.list.map((c) => c.toUpperCase())));
    if (!this.box) return;
    const b = this.box as Mutable<MailboxState>;
    if (code.name === 'UIDVALIDITY' && code.number !== undefined) {
      // New UIDVALIDITY: every UID known so far is void (RFC 3501 2.3.1.1).
      if (b.uidValidity !== null && b.uidValidity !== code.number && this.map) this.map = this.newMap(b.exists);
      b.uidValidity = code.number;
    }
    if (code.name === 'UIDNEXT' && code.number !== undefined) b.uidNext = code.number;
    if (code.name === 'PERMANENTFLAGS' && code.list) b.permanentFlags = code.list;
    if (code.name === 'HIGHESTMODSEQ' && code.modseq !== undefined) b.highestModseq = code.modseq;
    if (code.name === 'NOMODSEQ') b.highestModseq = null;
    if (code.name === 'READ-ONLY') b.readOnly = true;
    if (code.name === 'READ-WRITE') b.readOnly = false;
  }

  private newMap(exists: number): UidMap | null {
    if (this.uidMapLimit <= 0) return null;
    const m = new UidMap(this.uidMapLimit);
    return m.resize(exists) ? m : null;
  }

  /** The mailbox of a SELECT/EXAMINE starts existing with its first response (or its OK). */
  private openMailbox(p: Pending): void {
    if (p.opened) return;
    p.opened = true;
    const cmd = p.command as { command: string; mailbox: string };
    this.box = emptyMailbox(cmd.mailbox.toUpperCase() === 'INBOX' ? 'INBOX' : cmd.mailbox, cmd.command === 'EXAMINE');
    this.map = this.newMap(0);
  }

  private onUntagged(r: UntaggedResponse, events: ClientEvent[]): void {
    if (this._state === 'greeting') {
      this.onGreeting(r, events);
      return;
    }
    // Untagged data belongs to the oldest command still running (unsolicited when none).
    const head = this.queue.find((p) => p.sent > 0);
    if (head && isSelect(head)) this.openMailbox(head);
    switch (r.kind) {
      case 'CAPABILITY':
        this.setCaps(new Set(r.capabilities.map((c) => c.toUpperCase())));
        break;
      case 'ENABLED':
        for (const c of r.capabilities) this.enabled.add(c.toUpperCase());
        if (this.enabled.has('UTF8=ACCEPT')) this.parser.setUtf8Accept(true);
        this.capsGeneration++;
        break;
      case 'OK':
      case 'NO':
      case 'BAD':
        this.codeEffects(r.code);
        break;
      case 'BYE':
        events.push({ type: 'bye', response: r });
        break;
      default:
        this.mailboxData(r, events);
        break;
    }
    if (head && head.untagged.length < this.maxUntagged) head.untagged.push(r);
    else if (head && !head.overflow) {
      head.overflow = true;
      const e = new ProtocolError('TOO_MANY', `more than ${this.maxUntagged} untagged responses while ${head.tag} runs: later ones are not kept for its completed event`, { tag: head.tag });
      events.push(errorItem(e));
    }
    events.push({ type: 'untagged', response: r });
  }

  /**
   * RFC 3501 7.1: `* OK` (not authenticated), `* PREAUTH` (authenticated) or `* BYE` (closed).
   * Commands queued before it were held and go out now. A PREAUTH cancels the queued commands
   * that only the not-authenticated state allows (LOGIN, AUTHENTICATE, STARTTLS); a cancelled
   * STARTTLS cancels everything queued behind it, which was meant to travel inside TLS (a
   * PREAUTH greeting is how a man in the middle strips STARTTLS). A BYE cancels everything.
   */
  private onGreeting(r: UntaggedResponse, events: ClientEvent[]): void {
    if (r.kind === 'OK' || r.kind === 'PREAUTH') {
      this._state = r.kind === 'OK' ? 'not-authenticated' : 'authenticated';
      this.codeEffects(r.code);
      events.push({ type: 'greeting', response: r });
      if (r.kind === 'PREAUTH') {
        const tls = this.queue.findIndex((p) => p.command.command === 'STARTTLS');
        for (let i = 0; i < this.queue.length; i++) {
          const p = this.queue[i]!;
          if ((tls < 0 || i < tls) && commandStates(p.command.command).includes('authenticated')) continue;
          this.queue.splice(i--, 1);
          const why = tls >= 0 && p.command.command !== 'STARTTLS' ? 'queued behind a STARTTLS that a PREAUTH greeting made impossible: not sent in clear text' : 'the server greeted with PREAUTH: the session is already authenticated';
          events.push({ type: 'cancelled', tag: p.tag, command: p.command, error: new ProtocolError('UNEXPECTED', why, { tag: p.tag }) });
        }
      }
      this.holds.release(HOLD_GREETING);
      this.pump();
    } else if (r.kind === 'BYE') {
      this._state = 'logout';
      events.push({ type: 'bye', response: r });
      this.cancelUnsent('the server refused the connection (BYE greeting)', events);
      events.push({ type: 'closed' });
    } else events.push(errorItem(new ProtocolError('UNEXPECTED', `expected a greeting, got ${r.kind}`)));
  }

  /** EXISTS, RECENT, EXPUNGE, VANISHED, FLAGS, FETCH (UID, MODSEQ) against the selected mailbox. */
  private mailboxData(r: UntaggedResponse, events: ClientEvent[]): void {
    const b = this.box as Mutable<MailboxState> | null;
    if (!b) return;
    switch (r.kind) {
      case 'EXISTS':
        b.exists = r.number;
        if (this.map && !this.map.resize(r.number)) {
          this.map = null;
          events.push(errorItem(new ProtocolError('TOO_MANY', `${r.number} messages: more than the uidMap option allows (${this.uidMapLimit}); the sequence number <-> UID map is off until the next SELECT`)));
        }
        break;
      case 'RECENT':
        b.recent = r.number;
        break;
      case 'EXPUNGE':
        if (!(r.number >= 1 && r.number <= b.exists)) {
          events.push(errorItem(new ProtocolError('UNEXPECTED', `EXPUNGE of message ${r.number}, but the mailbox has ${b.exists}`)));
          break;
        }
        b.exists--;
        this.map?.expunge(r.number);
        break;
      case 'VANISHED':
        // RFC 7162 3.2.10: VANISHED (EARLIER) reports messages already gone, and a plain
        // VANISHED may repeat UIDs or name ones never seen here. Only UIDs known to be in the
        // mailbox lower the count: without a map no UID is known, and the count stays.
        if (!r.earlier && this.map) b.exists = b.exists - this.map.vanish(r.uids).removed;
        break;
      case 'FLAGS':
        b.flags = r.flags;
        break;
      case 'FETCH':
        this.fetchData(b, r.seq, r.attributes, events);
        break;
      default:
        break;
    }
  }

  private fetchData(b: Mutable<MailboxState>, seq: number, a: FetchAttributes, events: ClientEvent[]): void {
    if (a.uid !== undefined && this.map && !this.map.set(seq, a.uid)) {
      events.push(errorItem(new ProtocolError('UNEXPECTED', `FETCH ${seq} (UID ${a.uid}) is out of order with its neighbours (UIDs ascend with sequence numbers): not recorded`)));
    }
    if (a.modseq !== undefined && b.highestModseq !== null && a.modseq > b.highestModseq) b.highestModseq = a.modseq;
  }

  private onTagged(r: TaggedResponse, events: ClientEvent[]): void {
    const i = this.queue.findIndex((p) => p.tag === r.tag && p.sent > 0);
    if (i < 0) {
      events.push(errorItem(new ProtocolError('UNEXPECTED', `tagged response for unknown tag "${r.tag}"`, { tag: r.tag })));
      return;
    }
    if (!this.fence.mayAnswer(this.queue[i]!.firstWrite)) {
      events.push(errorItem(new ProtocolError('UNEXPECTED', `tagged response "${r.tag}" began before ${r.tag} was written: it answers nothing the client said, dropped`, { tag: r.tag })));
      return;
    }
    const p = this.queue.splice(i, 1)[0]!;
    if (p.tag === this.switchTag) this.switchTag = null;
    if (p.stream && !p.stream.finished && p.stream.cancelled === null) {
      // The server answered (a NO or BAD instead of "+") before the message went: it never will.
      const s = p.stream;
      s.cancelled = `the server answered ${p.tag} (${r.status}) before its message was sent`;
      s.held = [];
      s.heldBytes = 0;
      if (s.flowing) events.push(errorItem(new ProtocolError('UNEXPECTED', `${p.tag} was answered inside its APPEND literal: the rest of the message is not sent`, { tag: p.tag })));
    }
    if (isSelect(p) && r.status === 'OK') this.openMailbox(p);
    this.codeEffects(r.code);
    const ok = r.status === 'OK';
    // Capabilities announced while the command ran (untagged) or with its answer (code).
    const capsCame = r.code?.name === 'CAPABILITY' || p.untagged.some((u) => u.kind === 'CAPABILITY');
    let cancelBehind = false;
    switch (p.command.command) {
      case 'LOGIN':
      case 'AUTHENTICATE':
        if (ok) {
          this._state = 'authenticated';
          if (!capsCame) this.setCaps(new Set());
        }
        break;
      case 'SELECT':
      case 'EXAMINE':
        if (ok && this.box) this._state = 'selected';
        else {
          this.box = null;
          this.map = null;
          if (this._state === 'selected') this._state = 'authenticated';
        }
        break;
      case 'CLOSE':
      case 'UNSELECT':
        if (ok) {
          this.box = null;
          this.map = null;
          this._state = 'authenticated';
        }
        break;
      case 'UNAUTHENTICATE':
        // RFC 8437: back to not authenticated; what belonged to the login (selected mailbox,
        // enabled extensions, capabilities) is gone.
        if (ok) {
          this.box = null;
          this.map = null;
          this._state = 'not-authenticated';
          this.enabled.clear();
          this.parser.setUtf8Accept(false);
          if (!capsCame) this.setCaps(new Set());
          else this.capsGeneration++;
        }
        break;
      case 'LOGOUT':
        this._state = 'logout';
        break;
      case 'STARTTLS':
        if (ok) {
          // Whatever came before TLS (a CAPABILITY code on this very OK included) is untrusted.
          this.setCaps(new Set());
          this.phase = 'tls-handshake';
          this.holds.hold(HOLD_TLS);
          this.parser = new ResponseParser(this.parserOptions);
          if (this.enabled.has('UTF8=ACCEPT')) this.parser.setUtf8Accept(true);
          events.push({ type: 'starttls' });
        } else cancelBehind = true;
        break;
      case 'COMPRESS':
        if (ok) {
          this.compressing = (p.command as { mechanism: string }).mechanism.toUpperCase();
          this.phase = 'compress-handshake';
          this.holds.hold(HOLD_COMPRESS);
          // receive() fills in the bytes that followed this line.
          events.push({ type: 'compress', rest: new Uint8Array(0) });
        }
        break;
      default:
        break;
    }
    events.push({ type: 'completed', tag: r.tag, command: p.command, response: r, untagged: p.untagged });
    if (cancelBehind) this.cancelUnsent(`queued behind a STARTTLS the server refused (${r.status}): not sent in clear text`, events);
    if (this._state === 'logout') events.push({ type: 'closed' });
    else this.pump();
  }

  /** Drops every command not yet sent, with a `cancelled` event each. */
  private cancelUnsent(reason: string, events: ClientEvent[]): void {
    for (let i = 0; i < this.queue.length; i++) {
      const p = this.queue[i]!;
      if (p.sent > 0) continue;
      this.queue.splice(i--, 1);
      events.push({ type: 'cancelled', tag: p.tag, command: p.command, error: new ProtocolError('UNEXPECTED', reason, { tag: p.tag }) });
    }
  }
}

/** Where an {@link AppendWriter} writes: the session that queued the APPEND. */
interface AppendSink {
  remaining(): number;
  cancelled(): boolean;
  write(chunk: Uint8Array): boolean;
  end(): void;
  abort(): ClientEvent[];
}

/**
 * Writes the message of a streamed APPEND (see {@link ClientSession.beginAppend}): exactly the
 * announced number of octets, then {@link AppendWriter.end}.
 */
export class AppendWriter {
  /** The tag of the APPEND command (its `completed` or `cancelled` event carries it). */
  readonly tag: string;
  private readonly sink: AppendSink;

  /** @internal Made by {@link ClientSession.beginAppend}. */
  constructor(tag: string, sink: AppendSink) {
    this.tag = tag;
    this.sink = sink;
  }

  /** Octets still owed to the announced length. */
  get remaining(): number {
    return this.sink.remaining();
  }

  /** True once the APPEND will never be completed: the server answered it instead of `+`, or `abort()`. */
  get cancelled(): boolean {
    return this.sink.cancelled();
  }

  /**
   * Queues the next octets of the message, by reference (do not change them until they are
   * taken with `takeOutput()`). Octets written before the server's `+` are held and go out when
   * it comes. Returns false when more than `maxOutput` octets wait (in `takeOutput()` and held):
   * write those out before producing more. Throws RangeError (writing nothing) past the
   * announced length, TypeError for a NUL octet in a plain literal, and Error after `end()`,
   * once the APPEND was cancelled (the server answered NO/BAD instead of `+`, or `abort()`: its
   * `completed` / `cancelled` event says why), or once the session closed.
   */
  write(chunk: Uint8Array): boolean {
    return this.sink.write(chunk);
  }

  /**
   * Ends the message: CRLF ends the command, and commands queued meanwhile follow. Throws
   * RangeError (the command stays open) when fewer octets than announced were written. A no-op
   * once the APPEND was cancelled.
   */
  end(): void {
    this.sink.end();
  }

  /**
   * The application cannot produce the rest of the message (a read failed). Before the APPEND
   * went out it is dropped (a `cancelled` event); once its literal is announced it can never be
   * completed, so the session closes (commands not sent are `cancelled`, then `closed`; state
   * `logout`): write the output taken so far and close the connection. A no-op after `end()`.
   */
  abort(): ClientEvent[] {
    return this.sink.abort();
  }
}
