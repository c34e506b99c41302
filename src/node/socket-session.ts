/// <reference types="node" />
/**
 * A mailwire session wired to a Node socket: bytes read go to `receive()`, the session's output
 * is written with backpressure, events queue up for `await next()` / `for await`, and a
 * `starttls` event upgrades the socket with node:tls and calls `tlsEstablished()` after the
 * handshake. The sans-I/O sessions stay as they are: this is the socket glue, once.
 *
 * @packageDocumentation
 */

import net from 'node:net';
import tls from 'node:tls';

/**
 * What the adapter needs of a session: every mailwire `ClientSession` and `ServerSession`
 * (SMTP, POP3, IMAP) has this shape. `tlsEstablished()` is needed only for STARTTLS/STLS; it may
 * return further events.
 */
export interface WireSession<E extends { readonly type: string }> {
  /** Feeds bytes read from the peer; returns the events they completed. */
  receive(chunk: Uint8Array): readonly E[];
  /** The peer closed its side. */
  end(): readonly E[];
  /** Bytes to write, in order. */
  takeOutput(): Uint8Array[];
  /** The TLS handshake after a `starttls` event completed (called when the session has it). */
  tlsEstablished?(): unknown;
}

/** The event type of a {@link WireSession}. */
export type EventOf<S> = S extends WireSession<infer E> ? E : never;

/** Options of {@link SocketSession}. */
export interface SocketSessionOptions {
  /**
   * Which end of the TLS handshake this side takes when the session asks for STARTTLS/STLS.
   * Default `'client'` unless {@link serverTls} is set.
   */
  readonly role?: 'client' | 'server';
  /**
   * Client side: options for `tls.connect({ socket })` at STARTTLS (`ca`, `servername`,
   * `rejectUnauthorized`...). {@link connect} sets `servername` to the host it connected to.
   */
  readonly tls?: tls.ConnectionOptions;
  /** Server side: the certificate and key (or a `secureContext`) to answer STARTTLS/STLS with. */
  readonly serverTls?: tls.TlsOptions;
  /**
   * Events the application has not taken yet before reading pauses. Default 1000. With
   * writes that wait for the peer to read, this bounds the memory a connection can take.
   */
  readonly maxQueuedEvents?: number;
}

/** What every {@link SocketSession} wait can fail with when the connection ends first. */
export class ConnectionClosedError extends Error {
  /** @param message - what was awaited */
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionClosedError';
  }
}

/**
 * A session wired to a `net.Socket` or `tls.TLSSocket`.
 *
 * - Backpressure: when the socket's write buffer is full (`write()` returned false), or when
 *   more than {@link SocketSessionOptions.maxQueuedEvents} events wait unread, it stops
 *   reading from the peer until the buffer drains / the events are taken. A peer that never
 *   reads cannot make it buffer without bound.
 * - STARTTLS/STLS: on the session's `starttls` event it writes what the session still had
 *   (a server's `220`/`OK`/`+OK`), wraps the socket with `tls.connect({ socket })` (client) or
 *   `new tls.TLSSocket(socket, { isServer: true })` (server), and calls `tlsEstablished()` only
 *   after the handshake. Nothing is written in between (the session writes nothing either).
 *
 * @example
 * ```ts
 * import { smtp } from 'mailwire';
 * import { connect } from 'mailwire/node';
 * const conn = await connect(new smtp.ClientSession({ domain: 'client.example' }), { host: 'mx.example', port: 587 });
 * await conn.next('ready');
 * conn.do((s) => s.startTls());
 * await conn.next('ready'); // EHLO again, over TLS
 * ```
 */
export class SocketSession<S extends WireSession<E>, E extends { readonly type: string } = EventOf<S>> implements AsyncIterable<E> {
  /** The session. Change it through {@link do} so that its output is written. */
  readonly session: S;
  private current: net.Socket;
  private readonly queue: E[] = [];
  private readonly maxQueued: number;
  private wake: (() => void) | null = null;
  private drainWaiters: (() => void)[] = [];
  /** Woken when the handshake completes, or the connection fails or closes. */
  private stateWaiters: (() => void)[] = [];
  private writeBlocked = false;
  private upgrading = false;
  private ended = false;
  private failure: Error | null = null;
  private tap: ((e: E) => boolean) | null = null;
  private readonly options: SocketSessionOptions;
  private readonly onData = (chunk: Uint8Array): void => this.handle(this.session.receive(chunk));
  private readonly onEnd = (): void => this.handle(this.session.end());
  private readonly onError = (e: Error): void => {
    this.failure ??= e;
    this.notify();
  };
  private readonly onClose = (): void => {
    this.ended = true;
    for (const w of this.drainWaiters.splice(0)) w();
    this.notify();
  };

  /**
   * @param socket - a connected socket (plain or TLS)
   * @param session - any mailwire session
   * @param options - TLS and backpressure settings
   */
  constructor(socket: net.Socket, session: S, options: SocketSessionOptions = {}) {
    this.session = session;
    this.current = socket;
    this.options = options;
    this.maxQueued = options.maxQueuedEvents ?? 1000;
    this.attach(socket);
    this.flush(); // a server session's greeting
  }

  /** The socket in use now (the TLS socket after STARTTLS). */
  get socket(): net.Socket {
    return this.current;
  }

  /** Whether the connection is encrypted (implicit TLS, or after a STARTTLS handshake). */
  get encrypted(): boolean {
    return this.current instanceof tls.TLSSocket && !this.upgrading;
  }

  /** Whether the connection has closed. */
  get closed(): boolean {
    return this.ended;
  }

  /**
   * Runs intents against the session (`conn.do((s) => s.quit())`), handles the events they
   * return (a server's `ok()`/`reply()`...), and writes the session's output.
   */
  do<T>(intent: (session: S) => T): T {
    const result = intent(this.session);
    if (Array.isArray(result)) this.handle(result as readonly E[]);
    else this.flush();
    return result;
  }

  /** Writes what the session has queued, pausing reads while the socket's buffer is full. */
  flush(): void {
    if (this.upgrading) return; // between the starttls event and the handshake nothing goes out
    for (const bytes of this.session.takeOutput()) {
      if (this.current.destroyed) break;
      if (!this.current.write(bytes)) this.writeBlocked = true;
    }
    if (this.writeBlocked) {
      this.updateReading();
      this.current.once('drain', () => {
        this.writeBlocked = false;
        for (const w of this.drainWaiters.splice(0)) w();
        this.updateReading();
      });
    }
  }

  /** Resolves when the socket's write buffer has drained (at once if it is not full). */
  drained(): Promise<void> {
    if (!this.writeBlocked || this.ended) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Sees every event first (e.g. to stream body chunks to disk); return true to keep it out of the queue. */
  onEvent(tap: ((e: E) => boolean) | null): void {
    this.tap = tap;
  }

  /**
   * Waits for the first event that `match` accepts and returns every event up to and
   * including it. Fails on timeout, on a socket error, or when the connection ends first.
   */
  async until(match: (e: E) => boolean, timeoutMs = 30_000): Promise<E[]> {
    const taken: E[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const e = await this.take(deadline, () => `saw ${taken.map((t) => t.type).join(', ') || 'nothing'}`);
      taken.push(e);
      if (match(e)) return taken;
    }
  }

  /** Waits for the next event of the given type (see {@link until}). */
  async next<T extends E['type']>(type: T, timeoutMs = 30_000): Promise<Extract<E, { type: T }>> {
    const taken = await this.until((e) => e.type === type, timeoutMs);
    return taken[taken.length - 1] as Extract<E, { type: T }>;
  }

  /** Every event, in order, until the connection closes (a socket error is thrown). */
  async *[Symbol.asyncIterator](): AsyncIterator<E> {
    for (;;) {
      if (this.queue.length === 0 && this.ended && this.failure === null) return;
      try {
        yield await this.take(Infinity, () => '');
      } catch (err) {
        if (err instanceof ConnectionClosedError) return;
        throw err;
      }
    }
  }

  /** Ends the connection (gracefully; destroyed after `graceMs` if the peer does not close). */
  close(graceMs = 1000): void {
    this.flush();
    this.current.end();
    setTimeout(() => this.current.destroy(), graceMs).unref();
  }

  /**
   * Resolves when the connection is encrypted: at once for implicit TLS or after a STARTTLS
   * handshake completed; waits while an upgrade is under way. Rejects if the connection fails
   * or closes first.
   */
  async whenEncrypted(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.encrypted) {
      if (this.failure) throw this.failure;
      if (this.ended) throw new ConnectionClosedError('connection closed before TLS was up');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for TLS');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.stateWaiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Resolves when the connection has closed. */
  whenClosed(): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise((resolve) => this.current.once('close', () => resolve()));
  }

  private async take(deadline: number, seen: () => string): Promise<E> {
    for (;;) {
      const e = this.queue.shift();
      if (e !== undefined) {
        this.updateReading();
        return e;
      }
      if (this.failure) throw this.failure;
      if (this.ended) throw new ConnectionClosedError(`connection closed while waiting; ${seen()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for an event; ${seen()}`);
      await new Promise<void>((resolve) => {
        const t = left === Infinity ? null : setTimeout(resolve, left);
        this.wake = () => {
          if (t !== null) clearTimeout(t);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  private attach(socket: net.Socket): void {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
  }

  private detach(socket: net.Socket): void {
    socket.off('data', this.onData);
    socket.off('end', this.onEnd);
    socket.off('error', this.onError);
    socket.off('close', this.onClose);
  }

  private handle(events: readonly E[]): void {
    for (const e of events) {
      if (e.type === 'starttls') {
        this.flush(); // the server's go-ahead is the last clear-text line
        this.upgrade();
      }
      if (this.tap?.(e)) continue;
      this.queue.push(e);
    }
    this.flush();
    this.updateReading();
    this.notify();
  }

  private upgrade(): void {
    if (this.upgrading) return;
    const plain = this.current;
    const server = (this.options.role ?? (this.options.serverTls ? 'server' : 'client')) === 'server';
    this.upgrading = true;
    this.detach(plain);
    let secure: tls.TLSSocket;
    if (server) {
      const opts = this.options.serverTls ?? {};
      secure = new tls.TLSSocket(plain, { ...opts, isServer: true, secureContext: opts.secureContext ?? tls.createSecureContext(opts) });
    } else {
      const opts = this.options.tls ?? {};
      secure = tls.connect({ ...opts, socket: plain });
    }
    this.current = secure;
    this.attach(secure);
    secure.once(server ? 'secure' : 'secureConnect', () => {
      this.upgrading = false;
      // Client sessions return nothing (their events come with the next read), servers their events.
      const more = typeof this.session.tlsEstablished === 'function' ? this.session.tlsEstablished() : [];
      this.handle(Array.isArray(more) ? (more as readonly E[]) : []); // also wakes whenEncrypted()
    });
  }

  private updateReading(): void {
    const stop = this.writeBlocked || this.queue.length >= this.maxQueued;
    if (stop) this.current.pause();
    else if (!this.upgrading && this.current.isPaused()) this.current.resume();
  }

  private notify(): void {
    for (const w of this.stateWaiters.splice(0)) w();
    this.wake?.();
  }
}

/** Where and how {@link connect} connects. */
export interface ConnectOptions extends SocketSessionOptions {
  /** Host name or address. Default `127.0.0.1`. */
  readonly host?: string;
  /** TCP port. */
  readonly port: number;
  /**
   * Implicit TLS (SMTPS 465, POP3S 995, IMAPS 993): the handshake comes first, with
   * {@link SocketSessionOptions.tls} as options. Default false (plain TCP; use STARTTLS).
   */
  readonly implicitTls?: boolean;
  /** The local address to connect from (e.g. one of several source addresses). Default: the system's choice. */
  readonly localAddress?: string;
  /** Milliseconds to connect (and finish an implicit TLS handshake). Default 10,000. */
  readonly timeoutMs?: number;
}

/**
 * Connects to a server and wires `session` to the socket (see {@link SocketSession}).
 *
 * @example
 * ```ts
 * import { pop3 } from 'mailwire';
 * import { connect } from 'mailwire/node';
 * const conn = await connect(new pop3.ClientSession(), { host: 'pop.example', port: 995, implicitTls: true });
 * ```
 */
export async function connect<S extends WireSession<E>, E extends { readonly type: string } = EventOf<S>>(session: S, options: ConnectOptions): Promise<SocketSession<S, E>> {
  const host = options.host ?? '127.0.0.1';
  const timeoutMs = options.timeoutMs ?? 10_000;
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const tlsOpts = options.tls ?? {};
    const s = options.implicitTls
      ? // tls.connect() passes localAddress on to net.connect(); its option type does not list it.
        tls.connect({ ...tlsOpts, host, port: options.port, localAddress: options.localAddress, servername: tlsOpts.servername ?? (net.isIP(host) === 0 ? host : undefined) } as tls.ConnectionOptions)
      : net.connect({ host, port: options.port, localAddress: options.localAddress });
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`connect to ${host}:${options.port} timed out`));
    }, timeoutMs);
    s.once(options.implicitTls ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      s.removeAllListeners('error');
      resolve(s);
    });
    s.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
  // Certificates are checked against the host name the application connected to.
  const servername = options.tls?.servername ?? (net.isIP(host) === 0 ? host : undefined);
  return new SocketSession<S, E>(socket, session, { ...options, tls: { ...options.tls, servername } });
}
