/**
 * Search results: SEARCH / SORT (RFC 9051 7.3.5 with RFC 7162 MODSEQ, RFC 5256 SORT),
 * ESEARCH (RFC 4731, RFC 9051 7.3.4; PARTIAL RFC 9394, RELEVANCY RFC 6203) and THREAD
 * (RFC 5256): readers and writers.
 *
 * @packageDocumentation
 */

import { ProtocolError } from '../core/errors';
import { SequenceSet } from './sequence-set';
import { LENIENT_ATOM, decodeText, readValue, writeValue, type Reader, type Value, type WireWriter } from './syntax';
import { LPAREN, RPAREN } from './chars';


/** SEARCH / SORT data. */
export interface SearchData {
  readonly numbers: readonly number[];
  readonly modseq: bigint | null;
}

/**
 * mailbox-data =/ "SEARCH" *(SP nz-number) [SP search-sort-mod-seq]
 * search-sort-mod-seq = "(" "MODSEQ" SP mod-sequence-value ")"
 * (and "SORT", the same shape).
 */
export function readSearch(r: Reader, kind: string): SearchData {
  const numbers: number[] = [];
  let modseq: bigint | null = null;
  while (r.spaces()) {
    if (r.peek() === LPAREN) {
      r.expect(LPAREN);
      r.spaces();
      r.keyword();
      r.spaces();
      modseq = r.number64();
      r.spaces();
      r.expect(RPAREN);
      continue;
    }
    if (r.atLineEnd()) break;
    if (!r.atDigit()) throw r.error(`${kind} result must be numbers`);
    numbers.push(r.number());
    if (!(r.atLineEnd() || r.peek() === 0x20)) throw r.error(`${kind} result must be numbers`);
  }
  if (!r.atLineEnd()) throw r.error(`${kind} result must be numbers`);
  return { numbers, modseq };
}

/** Writes ` n n n [(MODSEQ m)]` after the name. */
export function writeSearch(w: WireWriter, s: SearchData): void {
  for (const n of s.numbers) w.raw(' ').number(n);
  if (s.modseq !== null) w.raw(' (MODSEQ ').number(s.modseq).raw(')');
}

/** The PARTIAL return data of RFC 9394: the range asked for and the messages in it (null: none). */
export interface PartialResult {
  readonly kind: 'partial';
  /** The requested range, e.g. `{ start: -1, end: -100 }` (negative: counted from the end). */
  readonly start: number;
  readonly end: number;
  readonly set: SequenceSet | null;
}

/** One ESEARCH return value: a count/min/max, a MODSEQ, a set, RELEVANCY scores, a PARTIAL result, text, or any other value as read. */
export type EsearchValue = number | bigint | SequenceSet | string | readonly number[] | PartialResult | Value;

/** ESEARCH data. */
export interface EsearchData {
  readonly tag: string | null;
  readonly uid: boolean;
  readonly results: Readonly<Record<string, EsearchValue>>;
}

function readPartialRange(r: Reader): { start: number; end: number } {
  const num = (): number => (r.accept(0x2d) ? -r.number() : r.number());
  const start = num();
  r.expect(0x3a);
  return { start, end: num() };
}

/**
 * esearch-response = "ESEARCH" [search-correlator] [SP "UID"] *(SP search-return-data)
 * search-correlator = SP "(" "TAG" SP tag-string ")"
 * search-return-data = "MIN" SP nz-number / "MAX" SP nz-number / "ALL" SP sequence-set /
 *     "COUNT" SP number / "MODSEQ" SP mod-sequence-value / search-ret-data-ext
 * RFC 9394: "PARTIAL" SP "(" partial-range SP partial-results ")"; partial-results = sequence-set / "NIL"
 * RFC 6203: "RELEVANCY" SP "(" score *(SP score) ")"
 * search-ret-data-ext = search-modifier-name SP search-return-value (kept as read)
 */
export function readEsearch(r: Reader): EsearchData {
  let tag: string | null = null;
  let uid = false;
  const results: Record<string, EsearchValue> = {};
  while (r.spaces()) {
    if (r.atLineEnd()) break;
    if (r.peek() === LPAREN) {
      r.expect(LPAREN);
      r.spaces();
      r.keyword();
      r.spaces();
      tag = decodeText(r.astringBytes());
      r.spaces();
      r.expect(RPAREN);
      continue;
    }
    const key = r.keyword(LENIENT_ATOM);
    if (key === 'UID') {
      uid = true;
      continue;
    }
    r.spaces();
    switch (key) {
      case 'MIN':
      case 'MAX':
      case 'COUNT':
        results[key] = r.number();
        break;
      case 'MODSEQ':
        results[key] = r.number64();
        break;
      case 'ALL': {
        const s = decodeText(r.runBytes(LENIENT_ATOM));
        results[key] = setOrNull(s) ?? s;
        break;
      }
      case 'PARTIAL': {
        if (r.peek() !== LPAREN) {
          const s = decodeText(r.runBytes(LENIENT_ATOM));
          results[key] = setOrNull(s) ?? s;
          break;
        }
        r.expect(LPAREN);
        r.spaces();
        const range = readPartialRange(r);
        r.spaces();
        const set = r.nil() ? null : setOrNull(decodeText(r.runBytes(LENIENT_ATOM)));
        r.spaces();
        r.expect(RPAREN);
        results[key] = { kind: 'partial', start: range.start, end: range.end, set };
        break;
      }
      case 'RELEVANCY':
        results[key] = r.list((x) => x.number());
        break;
      default: {
        const v = readValue(r);
        results[key] = v.kind === 'number' ? v.value : v.kind === 'atom' ? v.value : v;
      }
    }
  }
  return { tag, uid, results };
}

function isPartial(v: EsearchValue): v is PartialResult {
  return typeof v === 'object' && v !== null && (v as PartialResult).kind === 'partial';
}

/** Writes the part after "ESEARCH". */
export function writeEsearch(w: WireWriter, e: EsearchData): void {
  if (e.tag !== null) w.raw(' (TAG ').string(e.tag).raw(')');
  if (e.uid) w.raw(' UID');
  for (const [k, v] of Object.entries(e.results)) {
    if (!/^[A-Z0-9-]+$/i.test(k) || k.toUpperCase() === 'UID') throw new TypeError(`bad ESEARCH return name ${JSON.stringify(k)}`);
    w.raw(` ${k} `);
    if (typeof v === 'number' || typeof v === 'bigint') w.number(v);
    else if (typeof v === 'string') {
      if (/^\d{1,15}$/.test(v)) throw new TypeError(`ESEARCH ${k}: a digit string would read back as a number`);
      if (/^[A-Za-z0-9:,*.$-]+$/.test(v) && v.toUpperCase() !== 'NIL') w.raw(v);
      else w.string(v);
    } else if (v instanceof SequenceSet) w.raw(v.toString());
    else if (Array.isArray(v)) {
      w.raw('(');
      (v as readonly number[]).forEach((n, i) => (i > 0 && w.raw(' '), w.number(n)));
      w.raw(')');
    } else if (isPartial(v as EsearchValue)) {
      const p = v as PartialResult;
      if (!Number.isSafeInteger(p.start) || !Number.isSafeInteger(p.end) || p.start === 0 || p.end === 0) throw new RangeError('bad PARTIAL range');
      w.raw(`(${p.start}:${p.end} ${p.set === null ? 'NIL' : p.set.toString()})`);
    } else writeValue(w, v as Value);
  }
}

/** A thread: message numbers, with nested lists for branches. */
export type ThreadNode = number | readonly ThreadNode[];

/**
 * thread-data = "THREAD" [SP 1*thread-list]
 * thread-list = "(" (thread-members / thread-nested) ")"
 * thread-members = nz-number *(SP nz-number) [SP thread-nested]; thread-nested = 2*thread-list
 */
export function readThreads(r: Reader): ThreadNode[] {
  const threads: ThreadNode[] = [];
  const node = (x: Reader): ThreadNode => (x.peek() === LPAREN ? x.list(node) : x.number());
  r.spaces();
  while (r.peek() === LPAREN) {
    threads.push(r.list(node));
    r.spaces();
  }
  return threads;
}

/** Writes ` (..)(..)` after "THREAD". */
export function writeThreads(w: WireWriter, threads: readonly unknown[]): void {
  const tree = (t: unknown): string => {
    if (Array.isArray(t)) return `(${t.map(tree).join(' ')})`;
    if (typeof t !== 'number' || !Number.isSafeInteger(t) || t < 0) throw new TypeError(`bad THREAD member ${String(t)}`);
    return String(t);
  };
  if (threads.length > 0) w.raw(` ${threads.map(tree).join('')}`);
}

/** A sequence set, or null where a malformed one leaves the value raw. */
function setOrNull(text: string): SequenceSet | null {
  const s = SequenceSet.parse(text);
  return s instanceof ProtocolError ? null : s;
}
