/**
 * Web Streams adapters: a streaming parser or a session behind the WHATWG streams API
 * (`ReadableStream` / `WritableStream`), so that mailwire plugs into Deno, Bun, browsers,
 * Workers and `node:stream/web` with `pipeThrough` and `pipeTo`.
 *
 * Pure like the rest of the library: the adapters only use the global stream classes, which
 * every runtime mailwire supports has; they never touch a socket themselves.
 *
 * Backpressure runs in lockstep: the items (or events) one chunk produced are all read
 * before the next chunk is parsed, so a consumer that stops reading stops the source. At
 * the end of the input the adapter waits until the consumer has read everything and asks
 * for more before it calls the parser's (or session's) `end()`: a control call the consumer
 * makes on the last item (SMTP `startData()`, IMAP `expectLine()`, a server reply) still
 * sees the buffered bytes instead of a premature `TRUNCATED`.
 *
 * @packageDocumentation
 */

/**
 * What {@link toTransformStream} needs of a parser: `push(bytes)` returning the items those
 * bytes complete, and `end()` returning what the end of the stream completes (typically a
 * `TRUNCATED` error item). Every mailwire streaming parser has this shape.
 */
export interface StreamingParser<T> {
  /** Feeds bytes; returns the items they complete, in order. */
  push(chunk: Uint8Array): readonly T[];
  /** End of input; returns the last items (errors for a truncated unit). */
  end(): readonly T[];
}

/**
 * What {@link toSessionStreams} needs of a session: `receive(bytes)` returning events,
 * `end()` for the end of the peer's stream, and `takeOutput()` draining the bytes to write.
 * Every mailwire `ClientSession` and `ServerSession` has this shape.
 */
export interface StreamingSession<E> {
  /** Feeds bytes from the peer; returns the events they cause, in order. */
  receive(chunk: Uint8Array): readonly E[];
  /** End of the peer's stream; returns the last events. */
  end(): readonly E[];
  /** Removes and returns the bytes waiting to be written to the peer. */
  takeOutput(): readonly Uint8Array[];
  /**
   * Server sessions: true while input given to `receive()` waits unread (a command waits for
   * its answer, or the session's own output is over its bound). The adapter reads nothing more
   * from the peer meanwhile, and goes on with `receive(new Uint8Array(0))` once output drains.
   */
  readonly inputHeld?: boolean;
}

/**
 * A parser as a transform stream: bytes go into `writable`, items come out of `readable`.
 * Works with `ReadableStream.pipeThrough`.
 */
export interface ParserStream<T> extends TransformStream<Uint8Array, T> {
  /**
   * Puts items that a control call on the parser returned into `readable`, after those
   * already there: `stream.enqueue(parser.startData())`. Items given after the stream has
   * closed, errored or been cancelled are dropped.
   */
  enqueue(items: readonly T[]): void;
}

/** Options of {@link toSessionStreams}. */
export interface SessionStreamsOptions {
  /**
   * Bytes of session output that may wait unread in `output` before the adapter stops
   * feeding the session (and so stops reading the peer). Default 65536.
   */
  readonly outputHighWaterMark?: number;
}

/**
 * A session as streams: the peer's bytes go into `writable`, the session's events come out
 * of `readable`, and the bytes to send to the peer come out of `output`. `{ readable,
 * writable }` is a pair for `pipeThrough`; pipe `output` to the connection's writable side.
 */
export interface SessionStreams<E> extends ReadableWritablePair<E, Uint8Array> {
  /** The peer's bytes, in. */
  readonly writable: WritableStream<Uint8Array>;
  /** The session's events, out. */
  readonly readable: ReadableStream<E>;
  /** The bytes to write to the peer, out. Closes when {@link SessionStreams.close} is called. */
  readonly output: ReadableStream<Uint8Array>;
  /**
   * Moves the session's pending output into `output`, after putting `events` (what a call
   * such as `server.ok()` or `server.reply()` returned) into `readable`. Call it after every
   * call you make on the session yourself: `io.flush(session.accept())`, or
   * `session.quit(); io.flush()`. Output the session produces while reading the peer (automatic
   * replies, IMAP literal continuations, SASL steps) is moved without it.
   */
  flush(events?: readonly E[]): void;
  /**
   * Flushes the session's output one last time and closes `output` (which ends the
   * connection's writable side when it is piped there). Output after this is dropped.
   */
  close(): void;
}

/** Accepts any binary chunk a byte source may produce; anything else is a programming error. */
function asBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new TypeError(`expected a Uint8Array chunk, got ${chunk === null ? 'null' : typeof chunk}`);
}

interface ItemPipe<T> {
  readonly readable: ReadableStream<T>;
  readonly writable: WritableStream<Uint8Array>;
  enqueue(items: readonly T[]): void;
}

interface PipeHooks<T> {
  /** A chunk arrived: hand back its items. */
  feed(chunk: Uint8Array): readonly T[];
  /** The input ended and the consumer has read everything: hand back the last items. */
  finish(): readonly T[];
  /** Runs after every feed/finish and enqueue (sessions move output here). */
  after(): void;
  /** Resolves when the other side can take more (sessions: output below its mark). */
  ready(): Promise<void> | void;
  /** The input was aborted (the connection failed). */
  fail(reason: unknown): void;
}

/**
 * The lockstep pair behind both adapters. Items are enqueued as produced (they already exist
 * in memory); the writable side accepts the next chunk only once the consumer has read them
 * all and is waiting for more (`readable` has a high-water mark of 0, so `pull` is exactly
 * "a read is pending and the queue is empty").
 */
function itemPipe<T>(hooks: PipeHooks<T>): ItemPipe<T> {
  let rctl!: ReadableStreamDefaultController<T>;
  let wctl!: WritableStreamDefaultController;
  let open = true;
  let hungry = false;
  let wake: (() => void) | null = null;

  const enqueue = (items: readonly T[]): void => {
    if (!open) return;
    for (const it of items) rctl.enqueue(it);
    if (items.length > 0) hungry = false;
  };
  const drained = async (): Promise<void> => {
    while (open && !hungry) await new Promise<void>((resolve) => (wake = resolve));
  };
  const poke = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };

  const failAll = (reason: unknown): void => {
    if (open) {
      open = false;
      rctl.error(reason);
    }
    poke();
    hooks.fail(reason);
  };

  const readable = new ReadableStream<T>(
    {
      start(c) {
        rctl = c;
      },
      pull() {
        hungry = true;
        poke();
      },
      cancel(reason) {
        open = false;
        poke();
        wctl.error(reason);
      },
    },
    { highWaterMark: 0 },
  );

  const writable = new WritableStream<Uint8Array>({
    start(c) {
      wctl = c;
    },
    async write(chunk) {
      let bytes: Uint8Array;
      try {
        bytes = asBytes(chunk);
      } catch (e) {
        // The input is errored by the throw; the items and the output go down with it.
        failAll(e);
        throw e;
      }
      enqueue(hooks.feed(bytes));
      hooks.after();
      await drained();
      await hooks.ready();
    },
    async close() {
      await drained();
      enqueue(hooks.finish());
      hooks.after();
      if (open) {
        open = false;
        rctl.close();
      }
      poke();
    },
    abort(reason) {
      failAll(reason);
    },
  });

  return { readable, writable, enqueue };
}

/**
 * Wraps a streaming parser (any mailwire `CommandParser`, `ReplyParser` or `ResponseParser`)
 * as a transform stream from bytes to the parser's items.
 *
 * Items are the parser's own: bad input arrives as `{ type: 'error', error }` items and the
 * stream goes on, as with `push`. When the input closes, the parser's `end()` items (a
 * `TRUNCATED` error for a cut-off unit) are the last ones before `readable` closes. Aborting
 * the input errors `readable`; cancelling `readable` errors the input (and so stops a pipe).
 *
 * Parsers that pause for the application's decision (SMTP `CommandParser` after DATA or AUTH,
 * IMAP `CommandParser` after IDLE or AUTHENTICATE) return items from their control calls:
 * hand those to {@link ParserStream.enqueue}.
 *
 * @param parser - the parser; keep a reference to make control calls on it
 * @returns a `{ readable, writable }` pair for `pipeThrough`, plus `enqueue`
 *
 * @example
 * ```ts
 * import { imap, toTransformStream } from 'mailwire';
 *
 * async function printResponses(socketReadable: ReadableStream<Uint8Array>): Promise<void> {
 *   for await (const item of socketReadable.pipeThrough(toTransformStream(new imap.ResponseParser()))) {
 *     if (item.type === 'tagged') console.log(item.tag, item.status, item.text);
 *     if (item.type === 'error') console.error(item.error.code, item.error.message);
 *   }
 * }
 * ```
 *
 * @example
 * ```ts
 * import { smtp, toTransformStream } from 'mailwire';
 *
 * async function readCommands(socketReadable: ReadableStream<Uint8Array>): Promise<void> {
 *   const parser = new smtp.CommandParser();
 *   const stream = toTransformStream(parser);
 *   for await (const item of socketReadable.pipeThrough(stream)) {
 *     if (item.type === 'command' && item.command.verb === 'DATA') stream.enqueue(parser.startData());
 *     if (item.type === 'data') console.log('body bytes:', item.chunk.length);
 *   }
 * }
 * ```
 */
export function toTransformStream<T>(parser: StreamingParser<T>): ParserStream<T> {
  return itemPipe<T>({
    feed: (chunk) => parser.push(chunk),
    finish: () => parser.end(),
    after: () => {},
    ready: () => {},
    fail: () => {},
  });
}

/**
 * Wraps a session (any mailwire `ClientSession` or `ServerSession`) as streams: the peer's
 * bytes in, the session's events out, and the session's output bytes as a readable stream.
 *
 * The session stays yours: call its methods (`send`, `sendMail`, `accept`, `ok` ...) as
 * usual, then {@link SessionStreams.flush} so the bytes they queued reach `output` (and the
 * events they returned reach `readable`). Whatever the session writes while reading the peer
 * is moved to `output` by the adapter itself, and output already waiting when the adapter is
 * made (a server's greeting) is moved at once.
 *
 * Backpressure: the next chunk from the peer is read only when the consumer has read every
 * event of the previous one, `output` holds less than `outputHighWaterMark` bytes, and the
 * session holds none of the input it was given (a server session's `inputHeld`: it reads
 * pipelined commands one at a time, and stops while its own output is over its `maxOutput`,
 * which the adapter leaves in the session while `output` is full). So both `readable` and
 * `output` must be consumed, and every answer followed by {@link SessionStreams.flush}. When the input closes, the session's `end()`
 * events come last, once the consumer has read the rest; `output` stays open until
 * {@link SessionStreams.close}, so replies to the last events can still be written.
 * Cancelling `readable` (a `break` out of `for await`) stops the input but leaves `output`
 * open; aborting the input (the connection failed) errors `output` too.
 *
 * @param session - the session
 * @param options - output buffering
 * @returns the event pair for `pipeThrough`, the `output` stream, `flush` and `close`
 *
 * On Node, use `mailwire/node` instead (`connect()` / `SocketSession` drive a session on a
 * `node:net` or `node:tls` socket): piping into a socket through `Duplex.toWeb` does not fit
 * this adapter, since Node's Web Streams adapter errors the writable side once the socket has
 * finished, so `await written` below rejects with an `AbortError` when the output closes
 * (Node 20). The example is for runtimes whose connections are Web Streams: Deno
 * (`Deno.connect()`; to half-close and keep reading, pipe with `{ preventClose: true }` and call
 * `conn.closeWrite()` after `io.close()`), Bun, Cloudflare Workers sockets, browsers (a
 * WebSocket adapter).
 *
 * @example
 * ```ts
 * import { smtp, toSessionStreams } from 'mailwire';
 *
 * // conn: a { readable, writable } byte connection of a Web Streams runtime (a Deno TcpConn,
 * // a Workers socket, a WebSocket adapter ...); on Node use mailwire/node's connect().
 * async function sendOne(conn: ReadableWritablePair<Uint8Array, Uint8Array>): Promise<void> {
 *   const session = new smtp.ClientSession({ domain: 'client.example' });
 *   const io = toSessionStreams(session);
 *   const written = io.output.pipeTo(conn.writable);
 *   for await (const event of conn.readable.pipeThrough(io)) {
 *     if (event.type === 'ready') {
 *       session.sendMail({ from: 'alice@example.org', to: ['bob@example.net'] });
 *       session.writeBody(new TextEncoder().encode('Subject: hi\r\n\r\nHello\r\n'));
 *       session.endBody();
 *     }
 *     if (event.type === 'message') session.quit();
 *     io.flush();
 *     if (event.type === 'closed') break;
 *   }
 *   io.close();
 *   await written;
 * }
 * ```
 */
export function toSessionStreams<E>(session: StreamingSession<E>, options: SessionStreamsOptions = {}): SessionStreams<E> {
  const mark = options.outputHighWaterMark ?? 65536;
  if (!(mark >= 0)) throw new RangeError('outputHighWaterMark must be a number >= 0');
  let octl!: ReadableStreamDefaultController<Uint8Array>;
  let outOpen = true;
  let wake: (() => void) | null = null;
  const poke = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  // Output moves into `output` only while it has room: past its mark the rest stays in the
  // session, which then stops handing out the pipelined commands of a read it already has
  // (its own `maxOutput`), so one read of many commands cannot grow the output unbounded.
  const move = (all = false): void => {
    if (outOpen && !all && (octl.desiredSize ?? 1) <= 0) return;
    const chunks = session.takeOutput();
    if (!outOpen) return;
    for (const c of chunks) if (c.length > 0) octl.enqueue(c);
  };
  const EMPTY = new Uint8Array(0);
  /** Goes on with input the session holds, once output has room again. */
  const resumeHeld = (): void => {
    while (outOpen && session.inputHeld && (octl.desiredSize ?? 1) > 0) {
      const before = session.inputHeld;
      const events = session.receive(EMPTY);
      pipe.enqueue(events);
      move();
      // Held behind a command that waits for its answer: the application's flush() goes on.
      if (events.length === 0 && before === session.inputHeld) break;
    }
  };

  const output = new ReadableStream<Uint8Array>(
    {
      start(c) {
        octl = c;
      },
      pull() {
        move();
        resumeHeld();
        poke();
      },
      cancel() {
        outOpen = false;
        poke();
      },
    },
    { highWaterMark: mark, size: (c) => c.byteLength },
  );

  const pipe = itemPipe<E>({
    feed: (chunk) => session.receive(chunk),
    finish: () => session.end(),
    after: move,
    ready: async () => {
      for (;;) {
        resumeHeld();
        if (!(outOpen && ((octl.desiredSize ?? 1) <= 0 || session.inputHeld === true))) return;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    fail: (reason) => {
      if (outOpen) {
        outOpen = false;
        octl.error(reason);
      }
      poke();
    },
  });

  move();
  return {
    readable: pipe.readable,
    writable: pipe.writable,
    output,
    flush(events = []) {
      pipe.enqueue(events);
      move();
      resumeHeld();
      poke();
    },
    close() {
      move(true);
      if (outOpen) {
        outOpen = false;
        octl.close();
      }
      poke();
    },
  };
}
