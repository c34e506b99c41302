/**
 * The outbox of a pipelining client (SMTP RFC 2920, POP3 RFC 2449 PIPELINING): commands
 * the application queued, commands written and waiting for their answer, and the points
 * behind which nothing may be written yet.
 *
 * Two kinds of stop keep a client safe against real servers:
 * - a **hold point** is a command after which nothing is written until it is answered:
 *   EHLO (its answer decides whether to pipeline), AUTH / USER / PASS / APOP (RFC 4954 ends a
 *   pipeline group at AUTH; Courier drops what is pipelined after PASS), DATA (its 354 opens
 *   the body), STARTTLS / STLS (what follows must go through TLS);
 * - a **hold** is a stop the session puts on the whole outbox until something happens that is
 *   not an answer: the greeting, the application's `tlsEstablished()`, the end of a body.
 *
 * Without pipelining every command behaves as a hold point.
 *
 * @packageDocumentation
 */

/** Callbacks of a {@link Pipeline}. */
export interface PipelineHooks<T> {
  /** Writes one command to the output (called in order, once per command). */
  readonly write: (command: T) => void;
  /** Whether commands may be written while others wait for their answer; asked every time. */
  readonly pipelining: () => boolean;
}

/**
 * Named stops on a session's whole output (the greeting, a TLS or compression handshake, a
 * body being written, the end of the session): while any is on, the session writes nothing
 * it queued. One rule for the three clients: before the server's greeting nothing is written
 * (a command queued right after connecting waits for it), and a greeting that refuses or a
 * PREAUTH decides what becomes of what waited.
 *
 * @example
 * ```ts
 * import { OutputHolds } from 'mailwire';
 * const holds = new OutputHolds();
 * holds.hold('greeting');
 * holds.any; // true
 * holds.release('greeting');
 * holds.any; // false
 * ```
 */
export class OutputHolds {
  private readonly reasons = new Set<string>();

  /** Whether any hold is on. */
  get any(): boolean {
    return this.reasons.size > 0;
  }

  /** Whether the named hold is on. */
  isHeld(reason: string): boolean {
    return this.reasons.has(reason);
  }

  /** Puts the named hold on. */
  hold(reason: string): void {
    this.reasons.add(reason);
  }

  /** Lifts the named hold (the caller then writes what may be written). */
  release(reason: string): void {
    this.reasons.delete(reason);
  }
}

/**
 * Which written commands the answer being read may belong to: only those written before its
 * first byte arrived. An answer that began while its command was still queued (or before
 * anything was written at all) answers nothing the client said: matching it to a command the
 * application queued meanwhile would shift every later answer onto the wrong command (a
 * forged `+OK 2 320` read as the answer to STAT, an `A1 OK` completing a LOGIN before it
 * was sent).
 *
 * A session numbers its writes ({@link AnswerFence.wrote}), says at the end of every read
 * whether its parser holds the start of an answer ({@link AnswerFence.readEnded}), and asks,
 * when that answer completes, whether it may belong to a given write
 * ({@link AnswerFence.mayAnswer}). Within one read, answers are matched in the order they are
 * read, so the result does not depend on how the server's bytes were split.
 *
 * @example
 * ```ts
 * import { AnswerFence } from 'mailwire';
 * const fence = new AnswerFence();
 * fence.readEnded(true); // a read ended inside an answer; nothing was written yet
 * const stat = fence.wrote(); // the application sends STAT
 * fence.mayAnswer(stat); // false: the answer began before STAT was written
 * fence.lift();          // it completed; the next one may answer STAT
 * ```
 */
export class AnswerFence {
  private writes = 0;
  private fence = Infinity;

  /** Counts a write that invites an answer; returns its number (keep it with the command). */
  wrote(): number {
    return ++this.writes;
  }

  /** The end of a read: `partial` when the parser holds the start of an answer not complete yet. */
  readEnded(partial: boolean): void {
    this.fence = partial ? this.writes : Infinity;
  }

  /** Whether the answer completing now may answer the write numbered `write`. */
  mayAnswer(write: number): boolean {
    return write <= this.fence;
  }

  /** The answer that began before the fence completed: later answers arrived after every write so far. */
  lift(): void {
    this.fence = Infinity;
  }
}

interface Queued<T> {
  readonly command: T;
  readonly holdPoint: boolean;
}

/**
 * Commands queued, in flight, and matched to answers in order.
 *
 * @example
 * ```ts
 * import { Pipeline } from 'mailwire';
 * const written: string[] = [];
 * const p = new Pipeline<string>({ write: (c) => written.push(c), pipelining: () => true });
 * p.enqueue('AUTH PLAIN dGVzdA==', { holdPoint: true });
 * p.enqueue('MAIL FROM:<a@b.example>');
 * written; // ['AUTH PLAIN dGVzdA==']: MAIL waits for AUTH's answer
 * p.answered(); // 'AUTH PLAIN dGVzdA=='
 * p.flush();
 * written; // ['AUTH PLAIN dGVzdA==', 'MAIL FROM:<a@b.example>']
 * ```
 */
export class Pipeline<T> {
  private readonly hooks: PipelineHooks<T>;
  private readonly queued: Queued<T>[] = [];
  private readonly inflight: T[] = [];
  /** The write number of each command in flight (see {@link AnswerFence}). */
  private readonly inflightWrites: number[] = [];
  private readonly fence = new AnswerFence();
  /** A hold point was written and is not answered yet (it is always the last in flight). */
  private atHoldPoint = false;
  private readonly holds = new OutputHolds();

  constructor(hooks: PipelineHooks<T>) {
    this.hooks = hooks;
  }

  /** The oldest command written and not yet answered. */
  get head(): T | undefined {
    return this.inflight[0];
  }

  /** Number of commands written and not yet answered. */
  get inFlight(): number {
    return this.inflight.length;
  }

  /** Number of commands queued and not yet written. */
  get queuedCount(): number {
    return this.queued.length;
  }

  /** Whether a command matching `test` is queued or in flight. */
  has(test: (command: T) => boolean): boolean {
    return this.inflight.some(test) || this.queued.some((q) => test(q.command));
  }

  /** Whether the named hold is on. */
  isHeld(reason: string): boolean {
    return this.holds.isHeld(reason);
  }

  /**
   * Queues a command behind the others and writes what may be written. With `holdPoint`,
   * nothing queued after it is written before it is answered. With `first`, it goes ahead of
   * every queued command (a command the session itself must send next, such as EHLO after TLS).
   */
  enqueue(command: T, options: { readonly holdPoint?: boolean; readonly first?: boolean } = {}): void {
    const q = { command, holdPoint: options.holdPoint ?? false };
    if (options.first) this.queued.unshift(q);
    else this.queued.push(q);
    this.flush();
  }

  /**
   * Records a command the session wrote itself, outside the queue, that is answered like a
   * queued one (the SMTP body after 354). Nothing queued is written before it.
   */
  wrote(command: T, options: { readonly holdPoint?: boolean } = {}): void {
    this.inflight.push(command);
    this.inflightWrites.push(this.fence.wrote());
    if (options.holdPoint) this.atHoldPoint = true;
  }

  /** The head command got its final answer: it leaves the pipeline. Call {@link flush} when the answer has been handled. */
  answered(): T | undefined {
    const c = this.inflight.shift();
    this.inflightWrites.shift();
    if (this.inflight.length === 0) this.atHoldPoint = false;
    return c;
  }

  /**
   * Call at the end of every read of the server's bytes, with whether the parser holds the
   * start of an answer not complete yet (see {@link AnswerFence}).
   */
  readEnded(partial: boolean): void {
    this.fence.readEnded(partial);
  }

  /**
   * An answer completed: true when it began before the command it would be matched to (the
   * oldest in flight) was written, or while none was in flight. Such an answer answers nothing:
   * report it (`UNEXPECTED`) and drop it. Call once per answer, before {@link head} is used.
   */
  takeStray(): boolean {
    const w = this.inflightWrites[0];
    const stray = w === undefined ? !this.fence.mayAnswer(Infinity) : !this.fence.mayAnswer(w);
    this.fence.lift();
    return stray;
  }

  /** Stops all writing until {@link release} with the same reason. */
  hold(reason: string): void {
    this.holds.hold(reason);
  }

  /** Lifts a {@link hold} and writes what may be written. */
  release(reason: string): void {
    this.holds.release(reason);
    this.flush();
  }

  /** Removes the queued (not yet written) commands matching `test` (asked in queue order); returns them. */
  drop(test: (command: T) => boolean): T[] {
    const gone: T[] = [];
    const kept = this.queued.filter((q) => {
      if (!test(q.command)) return true;
      gone.push(q.command);
      return false;
    });
    this.queued.splice(0, this.queued.length, ...kept);
    return gone;
  }

  /** Forgets every command, queued or in flight (the session is over); returns how many were in flight. */
  clear(): number {
    const n = this.inflight.length;
    this.inflight.length = 0;
    this.inflightWrites.length = 0;
    this.queued.length = 0;
    this.atHoldPoint = false;
    return n;
  }

  /** Writes queued commands while nothing stops them. */
  flush(): void {
    while (this.queued.length > 0 && !this.holds.any) {
      if (this.inflight.length > 0 && (this.atHoldPoint || !this.hooks.pipelining())) return;
      const q = this.queued.shift()!;
      this.inflight.push(q.command);
      this.inflightWrites.push(this.fence.wrote());
      if (q.holdPoint) this.atHoldPoint = true;
      this.hooks.write(q.command);
    }
  }
}
