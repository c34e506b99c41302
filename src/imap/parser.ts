/**
 * The streaming IMAP response parser: frames the stream into responses (a line, and when it
 * ends in `{n}` the n octets and the next line, and so on), then reads each with the grammar.
 * Literals above `literalThreshold` are not held: they come out as chunk items, tagged with
 * the FETCH they belong to, and the response holds a marker with their size.
 *
 * @packageDocumentation
 */

import { ProtocolError, errorItem, type ErrorItem } from '../core/errors';
import { EMPTY_BYTES } from '../core/bytes';
import type { FetchLabel } from './fetch';
import { LiteralFramer } from './framer';
import type { StreamedLiteral } from './syntax';
import { readResponse, type ReadResponseOptions } from './response';
import type { Response } from './types';

/**
 * A piece of a large literal, in stream order, before the response that holds it. The labels
 * come from the grammar: the response is read up to the literal to see where it sits.
 */
export interface LiteralChunkItem {
  readonly type: 'literal-chunk';
  /** FETCH sequence number (UIDFETCH: the UID), when the literal is in a FETCH response. */
  readonly seq: number | null;
  /** The FETCH item the literal belongs to (e.g. `BODY[]`, `BODY[HEADER.FIELDS (A B)]`, `ENVELOPE`), when in one. */
  readonly item: string | null;
  /** Inside an ENVELOPE: the field (`subject`, `from` ...); absent otherwise. */
  readonly field?: string;
  readonly chunk: Uint8Array;
}

/** The last chunk of a large literal has been delivered. */
export interface LiteralEndItem {
  readonly type: 'literal-end';
  readonly seq: number | null;
  readonly item: string | null;
  /** Inside an ENVELOPE: the field; absent otherwise. */
  readonly field?: string;
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
  private readonly framer: LiteralFramer;
  private streamSeq: number | null = null;
  private streamItem: string | null = null;
  private streamField: string | null = null;

  constructor(options: ResponseParserOptions = {}) {
    this.opts = { ...options };
    this.framer = new LiteralFramer({
      maxLineLength: options.maxLineLength ?? 1024 * 1024,
      lineEndings: 'accept',
      maxLiteralSize: options.maxLiteralSize ?? Number.MAX_SAFE_INTEGER,
      maxLiterals: options.maxLiterals ?? 100_000,
      maxUnitSize: options.maxResponseSize ?? 64 * 1024 * 1024,
      unitSizeCode: 'TOO_MANY',
    });
  }

  /** True while the bytes pushed hold the start of a response not complete yet (part of a line, or a response with literals). */
  get partial(): boolean {
    return this.framer.buffered > 0 || this.framer.inUnit;
  }

  /** Enables or disables UTF8=ACCEPT mailbox name decoding (after ENABLE UTF8=ACCEPT). */
  setUtf8Accept(on: boolean): void {
    this.opts.utf8Accept = on;
  }

  /** Feeds bytes; returns the items they complete. Never throws for any input. */
  push(chunk: Uint8Array): ResponseParserItem[] {
    this.framer.push(chunk);
    const out: ResponseParserItem[] = [];
    for (;;) {
      const ev = this.framer.next();
      if (ev === null) return out;
      switch (ev.type) {
        case 'unit': {
          const r = readResponse(ev.unit, this.opts);
          if (r instanceof ProtocolError) out.push(errorItem(new ProtocolError(r.code, r.message, { offset: ev.offset + Math.max(0, r.offset) })));
          else out.push(r);
          break;
        }
        case 'literal': {
          const size = ev.announcement.size;
          if (ev.limit) this.framer.skip(ev.limit);
          else if (size > (this.opts.literalThreshold ?? 1024 * 1024)) {
            this.label(ev.lines, ev.literals, ev.announcement.binary, size);
            this.framer.stream();
          } else if (ev.holdLimit) this.framer.skip(ev.holdLimit);
          else this.framer.hold();
          break;
        }
        case 'chunk':
          out.push(this.streamField === null ? { type: 'literal-chunk', seq: this.streamSeq, item: this.streamItem, chunk: ev.chunk } : { type: 'literal-chunk', seq: this.streamSeq, item: this.streamItem, field: this.streamField, chunk: ev.chunk });
          break;
        case 'literal-end':
          out.push(this.streamField === null ? { type: 'literal-end', seq: this.streamSeq, item: this.streamItem, size: ev.size } : { type: 'literal-end', seq: this.streamSeq, item: this.streamItem, field: this.streamField, size: ev.size });
          break;
        case 'error':
          out.push(errorItem(ev.error));
          break;
      }
    }
  }

  /**
   * Labels a literal about to stream by reading the response so far with the grammar, up to
   * the literal (a marker stands in for it): the reader records the FETCH item and ENVELOPE
   * field it is in. Costs one read of the lines held, once per streamed literal (each at least
   * `literalThreshold` octets).
   */
  private label(lines: readonly Uint8Array[], literals: readonly (Uint8Array | StreamedLiteral)[], binary: boolean, size: number): void {
    const marker: StreamedLiteral = { kind: 'streamed', size, binary };
    const label: FetchLabel & { probe: StreamedLiteral } = { item: null, field: null, seq: null, probe: marker };
    const unit = { lines: [...lines, EMPTY_BYTES], literals: [...literals, marker] };
    readResponse(unit, this.opts, label);
    this.streamSeq = label.seq;
    this.streamItem = label.item;
    this.streamField = label.field;
  }

  /** End of stream: `TRUNCATED` when a response or literal was cut short. */
  end(): ResponseParserItem[] {
    const e = this.framer.end();
    return e ? [errorItem(e)] : [];
  }
}
