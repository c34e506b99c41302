/**
 * The few lines that plug any mailwire session into a node:net socket: bytes from the socket
 * go to `session.receive()`, the session's output goes to the socket, and its events are
 * queued for `await next('type')`. The client examples use it; copy it into your project.
 */
import net from 'node:net';

/** What every mailwire ClientSession offers (SMTP, POP3 and IMAP alike). */
export interface SessionLike<E> {
  receive(chunk: Uint8Array): E[];
  end(): E[];
  takeOutput(): Uint8Array[];
}

/** A session wired to a socket, with a queue of its events. */
export class SocketSession<E extends { readonly type: string }, S extends SessionLike<E>> {
  private readonly queue: E[] = [];
  private wake: (() => void) | null = null;
  private ended = false;
  private failure: Error | null = null;
  private tap: ((e: E) => boolean) | null = null;

  constructor(
    readonly socket: net.Socket,
    readonly session: S,
  ) {
    socket.on('data', (chunk: Uint8Array) => {
      this.push(session.receive(chunk));
      this.flush();
    });
    socket.on('end', () => this.push(session.end()));
    socket.on('error', (e) => {
      this.failure = e;
      this.notify();
    });
    socket.on('close', () => {
      this.ended = true;
      this.notify();
    });
  }

  /** Connects to host:port (127.0.0.1 by default) within `timeoutMs`. */
  static async connect<E extends { readonly type: string }, S extends SessionLike<E>>(session: S, port: number, host = '127.0.0.1', timeoutMs = 10_000): Promise<SocketSession<E, S>> {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host, port });
      const t = setTimeout(() => {
        s.destroy();
        reject(new Error(`connect to ${host}:${port} timed out`));
      }, timeoutMs);
      s.once('connect', () => {
        clearTimeout(t);
        resolve(s);
      });
      s.once('error', (e) => {
        clearTimeout(t);
        reject(e);
      });
    });
    return new SocketSession<E, S>(socket, session);
  }

  /** Writes whatever the session has queued. */
  flush(): void {
    for (const b of this.session.takeOutput()) this.socket.write(b);
  }

  /** Runs intents against the session (`w.do((s) => s.quit())`), then writes their bytes. */
  do<T>(intent: (session: S) => T): T {
    const result = intent(this.session);
    this.flush();
    return result;
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
      while (this.queue.length > 0) {
        const e = this.queue.shift()!;
        taken.push(e);
        if (match(e)) return taken;
      }
      if (this.failure) throw this.failure;
      if (this.ended) throw new Error(`connection ended while waiting; saw ${taken.map((e) => e.type).join(', ') || 'nothing'}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms; saw ${taken.map((e) => e.type).join(', ') || 'nothing'}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  /** Waits for the next event of the given type (see {@link until}). */
  async next<T extends E['type']>(type: T, timeoutMs = 30_000): Promise<Extract<E, { type: T }>> {
    const taken = await this.until((e) => e.type === type, timeoutMs);
    return taken[taken.length - 1] as Extract<E, { type: T }>;
  }

  /** Closes the socket (gracefully, then for good after a second). */
  close(): void {
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private push(events: E[]): void {
    for (const e of events) if (!this.tap || !this.tap(e)) this.queue.push(e);
    this.notify();
  }

  private notify(): void {
    this.wake?.();
  }
}
