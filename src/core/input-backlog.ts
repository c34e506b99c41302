/**
 * The input side of every server session: the peer's bytes wait here, unparsed, until the
 * session is ready for the next command, and go to the parser one line at a time. So
 *
 * - a read of any size costs no copy and no parsed items beyond the command in hand (the
 *   chunk is kept by reference), and whatever a session does at a switch point (STARTTLS,
 *   COMPRESS, AUTH) applies to every byte after that point, however the bytes were split;
 * - a session that stops handing out commands (a command waits for the application's answer,
 *   or its output waits to be taken) stops reading: nothing more is parsed, so the output of
 *   one big read of pipelined commands is bounded like that of many small ones;
 * - the bounds on what a peer may send without reading replies (`maxPending` lines,
 *   `maxWaitingInput` octets) are checked here, once, for all three protocols.
 *
 * @packageDocumentation
 */

import { EMPTY_BYTES, LF } from './bytes';

/** Counts LF octets in `bytes[start, end)` with the native search. */
function countLineFeeds(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let n = 0;
  for (let i = bytes.indexOf(LF, start); i >= 0 && i < end; i = bytes.indexOf(LF, i + 1)) n++;
  return n;
}

/** Bounds of an {@link InputBacklog}. */
export interface InputBacklogOptions {
  /**
   * Most complete lines (pipelined commands) held behind a command that waits for the
   * application's answer. Default 1000.
   */
  readonly maxPending?: number;
  /** Most octets held (here and in the parser) while the session waits for the application. Default 1 MiB. */
  readonly maxWaitingInput?: number;
}

/** Which bound an {@link InputBacklog} is over, if any. */
export type InputOverflow = 'maxPending' | 'maxWaitingInput' | null;

/**
 * Unparsed input, in arrival order, handed to the parser in slices that end at a line end.
 *
 * @example
 * ```ts
 * import { InputBacklog } from 'mailwire';
 * const input = new InputBacklog();
 * input.append(new TextEncoder().encode('NOOP\r\nQUIT\r\n'));
 * input.next(false); // bytes of "NOOP\r\n"
 * input.lines;       // 1
 * ```
 */
export class InputBacklog {
  private chunks: Uint8Array[] = [];
  private head = 0;
  private offset = 0;
  private bytes = 0;
  /**
   * LF octets in the held part of chunks[head, counted): lines are counted only when asked
   * (a bound is checked), and each chunk once, so a read the session goes through at once
   * is not scanned for line ends twice.
   */
  private lineFeeds = 0;
  private counted = 0;
  private readonly maxPending: number;
  private readonly maxWaitingInput: number;

  /** @param options - the bounds checked by {@link InputBacklog.overflow} */
  constructor(options: InputBacklogOptions = {}) {
    this.maxPending = options.maxPending ?? 1000;
    this.maxWaitingInput = options.maxWaitingInput ?? 1024 * 1024;
  }

  /** Appends a read (kept by reference: do not modify it afterwards). */
  append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.bytes += chunk.length;
  }

  /** Octets held. */
  get length(): number {
    return this.bytes;
  }

  /** Complete lines held (LF octets). */
  get lines(): number {
    if (this.counted < this.head) {
      this.counted = this.head;
      this.lineFeeds = 0;
    }
    for (; this.counted < this.chunks.length; this.counted++) {
      this.lineFeeds += countLineFeeds(this.chunks[this.counted]!, this.counted === this.head ? this.offset : 0);
    }
    return this.lineFeeds;
  }

  /**
   * Takes the next slice for the parser: up to and including the next LF, or the rest of the
   * current read when it holds no LF; with `whole` the rest of the current read (the parser
   * is reading a body, where line ends mean nothing), or with a number at most that many
   * octets (a literal). Null when nothing is held.
   */
  next(whole: boolean | number): Uint8Array | null {
    const c = this.chunks[this.head];
    if (c === undefined) return null;
    let end: number;
    let lf = -1;
    if (typeof whole === 'number') end = Math.min(c.length, this.offset + Math.max(1, whole));
    else if (whole) end = c.length;
    else {
      lf = c.indexOf(LF, this.offset);
      end = lf < 0 ? c.length : lf + 1;
    }
    const slice = c.subarray(this.offset, end);
    if (this.head < this.counted) {
      if (lf >= 0) this.lineFeeds--;
      else this.lineFeeds -= countLineFeeds(slice);
    }
    this.bytes -= slice.length;
    if (end === c.length) this.dropHead();
    else this.offset = end;
    return slice;
  }

  /** Removes and returns everything held, as one array (the compressed tail after COMPRESS). */
  takeAll(): Uint8Array {
    const out = new Uint8Array(this.bytes);
    let o = 0;
    for (let i = this.head; i < this.chunks.length; i++) {
      const c = this.chunks[i]!;
      const part = i === this.head ? c.subarray(this.offset) : c;
      out.set(part, o);
      o += part.length;
    }
    this.clear();
    return out.length === 0 ? EMPTY_BYTES : out;
  }

  /** Drops everything held; returns how many octets that was. */
  clear(): number {
    const n = this.bytes;
    this.chunks = [];
    this.head = 0;
    this.offset = 0;
    this.bytes = 0;
    this.lineFeeds = 0;
    this.counted = 0;
    return n;
  }

  /**
   * Which bound the held input breaks while the session waits for the application, counting
   * `parserBuffered` octets the parser holds too. Call it only when the session is waiting:
   * input the session is still working through is the peer's own read, not a backlog.
   */
  overflow(parserBuffered: number): InputOverflow {
    if (this.lines > this.maxPending) return 'maxPending';
    if (this.bytes + parserBuffered > this.maxWaitingInput) return 'maxWaitingInput';
    return null;
  }

  private dropHead(): void {
    this.offset = 0;
    this.head++;
    // Compact now and then so a long session does not keep a growing array of spent reads.
    if (this.head === this.chunks.length) {
      this.chunks = [];
      this.head = 0;
      this.counted = 0;
      this.lineFeeds = 0;
    } else if (this.head > 1024 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.counted = Math.max(0, this.counted - this.head);
      if (this.counted === 0) this.lineFeeds = 0;
      this.head = 0;
    }
  }
}

/** The steps of {@link ParsedInput.pump}: what the session decides, the loop being the same for every server. */
export interface PumpSteps<I> {
  /**
   * Whether to read on at all: false while a command waits for the application, the output is
   * over its bound, the session closed or switches layers (STARTTLS, COMPRESS).
   */
  readonly reading: () => boolean;
  /**
   * What the parser takes next from the backlog: `false` up to the next line end, `true` the rest
   * of the read (a body), a number at most that many octets (a literal); null when it takes
   * nothing now (paused until the session answers).
   */
  readonly want: () => boolean | number | null;
  /** Feeds one slice to the parser; returns the items it completed. */
  readonly parse: (slice: Uint8Array) => I[];
  /** Handles one item (it may change what `reading` and `want` say). */
  readonly handle: (item: I) => void;
  /** Whether the next item may be handled now; when not, reading stops. Default: always. */
  readonly mayHandle?: (item: I) => boolean;
}

/**
 * The parsed side of a server session's input: the items the parser produced from the last
 * slice of an {@link InputBacklog} and not handled yet, and the one loop every server reads
 * with ({@link ParsedInput.pump}): handle the items in order, and when they are used up feed the
 * parser the next slice, until the session stops reading. One slice at a time, so a session
 * that stops (a command waits for the application) has parsed nothing beyond it.
 *
 * @example
 * ```ts
 * import { InputBacklog, ParsedInput } from 'mailwire';
 * const backlog = new InputBacklog();
 * backlog.append(new TextEncoder().encode('NOOP\r\nQUIT\r\n'));
 * const seen: string[] = [];
 * new ParsedInput<string>(backlog).pump({
 *   reading: () => seen.length < 1,
 *   want: () => false,
 *   parse: (slice) => [new TextDecoder().decode(slice).trim()],
 *   handle: (line) => seen.push(line),
 * });
 * seen; // ['NOOP']: QUIT stays in the backlog, unparsed
 * ```
 */
export class ParsedInput<I> {
  private readonly backlog: InputBacklog;
  private items: I[] = [];
  private at = 0;

  /** @param backlog - the unparsed input the items come from */
  constructor(backlog: InputBacklog) {
    this.backlog = backlog;
  }

  /** Items parsed and not handled yet. */
  get unread(): number {
    return this.items.length - this.at;
  }

  /** Whether anything is held: unparsed input or unhandled items. */
  get held(): boolean {
    return this.backlog.length > 0 || this.at < this.items.length;
  }

  /** Items a parser control call returned (after the session answered): they come before anything still unread. */
  prepend(items: I[]): void {
    if (items.length === 0) return;
    this.items = items.concat(this.items.slice(this.at));
    this.at = 0;
  }

  /** Drops the unhandled items (the held input stays: clear the backlog for that); returns how many. */
  clear(): number {
    const n = this.unread;
    this.items = [];
    this.at = 0;
    return n;
  }

  /** Handles items and parses slices while `steps` allow (see {@link PumpSteps}). */
  pump(steps: PumpSteps<I>): void {
    while (steps.reading()) {
      if (this.at < this.items.length) {
        const it = this.items[this.at]!;
        if (steps.mayHandle && !steps.mayHandle(it)) return;
        if (++this.at === this.items.length) {
          this.items = [];
          this.at = 0;
        }
        steps.handle(it);
        continue;
      }
      const want = steps.want();
      if (want === null) return;
      const slice = this.backlog.next(want);
      if (slice === null) return;
      this.items = steps.parse(slice);
      this.at = 0;
    }
  }
}
