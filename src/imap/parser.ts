/**
 * The streaming IMAP response parser: frames the stream into responses (a line, and when it
 * ends in `{n}` the n octets and the next line, and so on), then reads each with the grammar.
 * Literals above `literalThreshold` are not held: they come out as chunk items, tagged with
 * the FETCH they belong to, and the response holds a marker with their size.
 *
 * @packageDocumentation
 */

import { decodeLatin1 } from '../core/bytes';
import { ProtocolError, type ErrorItem } from '../core/errors';
import { LineFramer } from '../core/line-framer';
import { literalAnnouncement, type StreamedLiteral } from './lexer';
import { readResponse, type ReadResponseOptions } from './response';
import type { Response } from './types';

/** A piece of a large literal, in stream order, before the response that holds it. */
export interface LiteralChunkItem {
  readonly type: 'literal-chunk';
  /** FETCH sequence number, when the literal is in a FETCH response. */
  readonly seq: number | null;
  /** The FETCH item the literal is the value of (e.g. `BODY[]`), when known. */
  readonly item: string | null;
  readonly chunk: Uint8Array;
}

/** The last chunk of a large literal has been delivered. */
export interface LiteralEndItem {
  readonly type: 'literal-end';
  readonly seq: number | null;
  readonly item: string | null;
  readonly size: number;
}

/** Everything {@link ResponseParser} yields: responses themselves (`tagged` / `untagged` / `continuation`), literal chunks, errors. */
export type ResponseParserItem = Response | LiteralChunkItem | LiteralEndItem | ErrorItem;

/** Options of {@link ResponseParser}. */
export interface ResponseParserOptions extends ReadResponseOptions {
  /** Longest line (between literals) including CRLF. Default 1 MiB (`LINE_TOO_LONG`). */
  readonly maxLineLength?: number;
  /** Literals larger than this stream out as chunk items. Default 1 MiB. */
  readonly literalThreshold?: number;
  /** Largest literal accepted at all (`LITERAL_TOO_LARGE`; its octets are skipped). Default 2^53 - 1. */
  readonly maxLiteralSize?: number;
  /** Most octets held for one response (lines plus in-memory literals). Default 64 MiB (`TOO_MANY`). */
  readonly maxResponseSize?: number;
  /** Most literals in one response. Default 100,000 (`TOO_MANY`). */
  readonly maxLiterals?: number;
}

/**
 * Client-side IMAP response parser.
 *
 * @example
 * ```ts
 * import { imap } from 'mailwire';
 * const p = new imap.ResponseParser();
 * p.push(new TextEncoder().encode('* 1 FETCH (BODY[] {5}\r\nhello)\r\nA1 OK done\r\n'));
 * // [ { type: 'untagged', kind: 'FETCH', seq: 1, attributes: { sections: [ { name: 'BODY[]', data: "hello" ... } ] } },
 * //   { type: 'tagged', tag: 'A1', status: 'OK', code: null, text: 'done' } ]
 * ```
 */
export class ResponseParser {
  private readonly opts: { -readonly [K in keyof ResponseParserOptions]: ResponseParserOptions[K] };
  private readonly framer: LineFramer;
  private lines: Uint8Array[] = [];
  private literals: (Uint8Array | StreamedLiteral)[] = [];
  private held = 0;
  private literalLeft = 0;
  private literalSize = 0;
  private literalMode: 'none' | 'hold' | 'stream' | 'skip' = 'none';
  private literalBinary = false;
  private streamSeq: number | null = null;
  private streamItem: string | null = null;
  private failed: ProtocolError | null = null;
  private startOffset = 0;

  constructor(options: ResponseParserOptions = {}) {
    this.opts = { ...options };
    this.framer = new LineFramer({ maxLineLength: options.maxLineLength ?? 1024 * 1024, lineEndings: 'accept' });
  }

  /** Enables or disables UTF8=ACCEPT mailbox name decoding (after ENABLE UTF8=ACCEPT). */
  setUtf8Accept(on: boolean): void {
    this.opts.utf8Accept = on;
  }

  /** Feeds bytes; returns the items they complete. Never throws for any input. */
  push(chunk: Uint8Array): ResponseParserItem[] {
    this.framer.push(chunk);
    const out: ResponseParserItem[] = [];
    const q = this.framer.queue;
    for (;;) {
      if (this.literalMode !== 'none') {
        if (this.literalMode === 'hold') {
          if (q.length < this.literalLeft) return out;
          this.literals.push(q.take(this.literalLeft));
          this.literalLeft = 0;
        } else {
          while (this.literalLeft > 0 && q.length > 0) {
            const c = q.takeChunk(this.literalLeft);
            this.literalLeft -= c.length;
            if (this.literalMode === 'stream') out.push({ type: 'literal-chunk', seq: this.streamSeq, item: this.streamItem, chunk: c });
          }
          if (this.literalLeft > 0) return out;
          if (this.literalMode === 'stream') {
            out.push({ type: 'literal-end', seq: this.streamSeq, item: this.streamItem, size: this.literalSize });
            this.literals.push({ kind: 'streamed', size: this.literalSize, binary: this.literalBinary });
          } else this.literals.push(new Uint8Array(0));
        }
        this.literalMode = 'none';
        this.framer.resync();
      }
      const line = this.framer.readLine();
      if (line === null) return out;
      if (this.lines.length === 0) this.startOffset = this.framer.lineOffset;
      if (line instanceof ProtocolError) {
        // The rest of this response is lost with the overlong line; report once.
        this.failed ??= line;
        this.finish(out);
        continue;
      }
      this.lines.push(line);
      this.held += line.length;
      const ann = literalAnnouncement(line);
      if (!ann) {
        this.finish(out);
        continue;
      }
      this.startLiteral(ann.size, ann.binary, line);
    }
  }

  private startLiteral(size: number, binary: boolean, line: Uint8Array): void {
    const max = this.opts.maxLiteralSize ?? Number.MAX_SAFE_INTEGER;
    this.literalBinary = binary;
    this.literalSize = size;
    if (!(size <= max) || !Number.isSafeInteger(size)) {
      this.failed ??= new ProtocolError('LITERAL_TOO_LARGE', `literal of ${size} octets exceeds the limit of ${max}`, { offset: this.framer.lineOffset });
      // Skip what was announced (when it is a real number) so the stream stays in sync.
      this.literalLeft = Number.isSafeInteger(size) ? size : 0;
      this.literalMode = this.literalLeft > 0 ? 'skip' : 'none';
      if (this.literalMode === 'none') this.literals.push(new Uint8Array(0));
      return;
    }
    if (this.literals.length >= (this.opts.maxLiterals ?? 100_000)) this.failed ??= new ProtocolError('TOO_MANY', 'too many literals in one response', { offset: this.framer.lineOffset });
    this.literalLeft = size;
    if (this.failed) this.literalMode = 'skip';
    else if (size > (this.opts.literalThreshold ?? 1024 * 1024)) {
      this.literalMode = 'stream';
      const text = decodeLatin1(line, 0, Math.min(line.length, 4096));
      const first = decodeLatin1(this.lines[0]!, 0, Math.min(this.lines[0]!.length, 64));
      const m = /^\* (\d+) FETCH /i.exec(first);
      this.streamSeq = m ? Number(m[1]) : null;
      const item = /([^\s(]+) ~?\{\d+[+-]?\}$/.exec(text);
      this.streamItem = item ? item[1]!.toUpperCase() : null;
    } else {
      this.held += size;
      if (this.held > (this.opts.maxResponseSize ?? 64 * 1024 * 1024)) {
        this.failed ??= new ProtocolError('TOO_MANY', 'response larger than maxResponseSize', { offset: this.framer.lineOffset });
        this.literalMode = 'skip';
      } else this.literalMode = 'hold';
    }
  }

  private finish(out: ResponseParserItem[]): void {
    if (this.failed) out.push({ type: 'error', error: this.failed });
    else {
      const r = readResponse({ lines: this.lines, literals: this.literals }, this.opts);
      if (r instanceof ProtocolError) out.push({ type: 'error', error: new ProtocolError(r.code, r.message, { offset: this.startOffset + Math.max(0, r.offset) }) });
      else out.push(r);
    }
    this.lines = [];
    this.literals = [];
    this.held = 0;
    this.failed = null;
  }

  /** End of stream: `TRUNCATED` when a response or literal was cut short. */
  end(): ResponseParserItem[] {
    const out: ResponseParserItem[] = [];
    if (this.literalMode !== 'none' || this.lines.length > 0) {
      out.push({ type: 'error', error: new ProtocolError('TRUNCATED', 'stream ended inside a response', { offset: this.framer.queue.end }) });
      this.framer.queue.clear();
      this.literalMode = 'none';
      this.lines = [];
      this.literals = [];
      this.held = 0;
      this.failed = null;
    } else {
      const e = this.framer.end();
      if (e) out.push({ type: 'error', error: e });
    }
    return out;
  }
}
