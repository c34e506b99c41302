/**
 * SEARCH criteria as a typed tree (RFC 3501 6.4.4, RFC 9051 6.4.4 and extensions): keys are
 * ANDed by juxtaposition, OR and NOT take keys, parentheses group them. The same tree is read
 * by `parseCommand` and written by `encodeCommand` for SEARCH, SORT and THREAD.
 *
 * @packageDocumentation
 */

import type { CommandReader } from './command-reader';
import { atomOrThrow, type CommandWriter } from './command-writer';
import { SequenceSet } from './sequence-set';
import { ATOM_CHAR } from './syntax';

/** A sequence set, or `$`: the result saved by `SEARCH RETURN (SAVE)` (RFC 5182, RFC 9051). */
export type SequenceSetOrSaved = SequenceSet | '$';

/** Keys without an argument. */
export interface SearchFlagKey {
  readonly key:
    | 'ALL'
    | 'ANSWERED'
    | 'DELETED'
    | 'DRAFT'
    | 'FLAGGED'
    | 'NEW'
    | 'OLD'
    | 'RECENT'
    | 'SEEN'
    | 'UNANSWERED'
    | 'UNDELETED'
    | 'UNDRAFT'
    | 'UNFLAGGED'
    | 'UNSEEN'
    /** RFC 8514: messages whose save date the mailbox supports. */
    | 'SAVEDATESUPPORTED';
}
/** Keys matching a string (substring match; X-GM-RAW is Gmail's search syntax). */
export interface SearchStringKey {
  readonly key: 'BCC' | 'BODY' | 'CC' | 'FROM' | 'SUBJECT' | 'TEXT' | 'TO' | 'X-GM-RAW';
  readonly value: string;
}
/** `HEADER field-name string`. */
export interface SearchHeaderKey {
  readonly key: 'HEADER';
  readonly field: string;
  readonly value: string;
}
/** `KEYWORD flag` / `UNKEYWORD flag`. */
export interface SearchKeywordKey {
  readonly key: 'KEYWORD' | 'UNKEYWORD';
  readonly flag: string;
}
/** Date keys; `date` as written, `d-MMM-yyyy` (e.g. `1-Feb-1994`; the month is case-insensitive). SAVED* are RFC 8514. */
export interface SearchDateKey {
  readonly key: 'BEFORE' | 'ON' | 'SINCE' | 'SENTBEFORE' | 'SENTON' | 'SENTSINCE' | 'SAVEDBEFORE' | 'SAVEDON' | 'SAVEDSINCE';
  readonly date: string;
}
/** `LARGER n` / `SMALLER n` (octets) and `OLDER n` / `YOUNGER n` (seconds, RFC 5032). */
export interface SearchNumberKey {
  readonly key: 'LARGER' | 'SMALLER' | 'OLDER' | 'YOUNGER';
  readonly value: number;
}
/** `UID set`, or a bare sequence set (`key: 'SEQUENCE'`). */
export interface SearchSetKey {
  readonly key: 'UID' | 'SEQUENCE';
  readonly set: SequenceSetOrSaved;
}
/** `NOT key`, and `FUZZY key` (RFC 6203). */
export interface SearchNotKey {
  readonly key: 'NOT' | 'FUZZY';
  readonly criterion: SearchKey;
}
/** `OR key1 key2`. */
export interface SearchOrKey {
  readonly key: 'OR';
  readonly left: SearchKey;
  readonly right: SearchKey;
}
/** A parenthesised group: all of `criteria` (at least one). */
export interface SearchAndKey {
  readonly key: 'AND';
  readonly criteria: readonly SearchKey[];
}
/** `MODSEQ ["entry-name" entry-type] mod-sequence` (RFC 7162 3.1.5). */
export interface SearchModseqKey {
  readonly key: 'MODSEQ';
  readonly modseq: bigint;
  /** The metadata item, e.g. `{ name: '/flags/\\draft', type: 'all' }`, or null. */
  readonly entry: { readonly name: string; readonly type: 'priv' | 'shared' | 'all' } | null;
}
/** Gmail's 64-bit message and thread ids. */
export interface SearchGmailIdKey {
  readonly key: 'X-GM-MSGID' | 'X-GM-THRID';
  readonly id: bigint;
}
/** `EMAILID id` / `THREADID id` (RFC 8474). */
export interface SearchObjectIdKey {
  readonly key: 'EMAILID' | 'THREADID';
  readonly id: string;
}
/**
 * An escape hatch for encoding criteria mailwire does not model: `text` is written as it is
 * (it must not hold CR, LF or NUL). The parser never produces it; unknown keys are errors there.
 */
export interface SearchRawKey {
  readonly key: 'RAW';
  readonly text: string;
}

/** One search key (a node of the criteria tree). */
export type SearchKey =
  | SearchFlagKey
  | SearchStringKey
  | SearchHeaderKey
  | SearchKeywordKey
  | SearchDateKey
  | SearchNumberKey
  | SearchSetKey
  | SearchNotKey
  | SearchOrKey
  | SearchAndKey
  | SearchModseqKey
  | SearchGmailIdKey
  | SearchObjectIdKey
  | SearchRawKey;

/**
 * A result option of `SEARCH RETURN (...)` (RFC 4731 ESEARCH, RFC 5182 SAVE, RFC 9394
 * PARTIAL: a range of the results, negative counting from the end).
 */
export type SearchReturnOption = 'MIN' | 'MAX' | 'ALL' | 'COUNT' | 'SAVE' | { readonly partial: readonly [number, number] };

const FLAG_KEYS = new Set(['ALL', 'ANSWERED', 'DELETED', 'DRAFT', 'FLAGGED', 'NEW', 'OLD', 'RECENT', 'SEEN', 'UNANSWERED', 'UNDELETED', 'UNDRAFT', 'UNFLAGGED', 'UNSEEN', 'SAVEDATESUPPORTED']);
const STRING_KEYS = new Set(['BCC', 'BODY', 'CC', 'FROM', 'SUBJECT', 'TEXT', 'TO', 'X-GM-RAW']);
const DATE_KEYS = new Set(['BEFORE', 'ON', 'SINCE', 'SENTBEFORE', 'SENTON', 'SENTSINCE', 'SAVEDBEFORE', 'SAVEDON', 'SAVEDSINCE']);
const NUMBER_KEYS = new Set(['LARGER', 'SMALLER', 'OLDER', 'YOUNGER']);
const OTHER_KEYS = new Set(['HEADER', 'KEYWORD', 'UNKEYWORD', 'UID', 'NOT', 'FUZZY', 'OR', 'MODSEQ', 'X-GM-MSGID', 'X-GM-THRID', 'EMAILID', 'THREADID']);
const RETURN_OPTIONS = new Set(['MIN', 'MAX', 'ALL', 'COUNT', 'SAVE']);

/** date-text (RFC 3501 9): `d-MMM-yyyy` / `dd-MMM-yyyy`, month case-insensitive. */
export const SEARCH_DATE_RE = /^(?:[1-9]|0[1-9]|[12]\d|3[01])-(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)-\d{4}$/i;

/** Nesting the encoder writes at most: as deep as a receiver with the default `maxDepth` reads. */
const MAX_WRITE_DEPTH = 100;
const OBJECT_ID_RE = /^[A-Za-z0-9_-]{1,255}$/;

/** The wire form of a sequence set or `$`. */
export function formatSequenceSet(s: SequenceSetOrSaved): string {
  if (s === '$') return '$';
  if (!(s instanceof SequenceSet)) throw new TypeError('expected a SequenceSet or "$"');
  return s.toString();
}

/** date = date-text / DQUOTE date-text DQUOTE; date-text = date-day "-" date-month "-" date-year. */
function readDate(r: CommandReader, k: string): string {
  const date = r.peek() === 0x22 ? r.astring() : r.atom();
  if (!SEARCH_DATE_RE.test(date)) throw r.error(`${k} needs a date like 1-Feb-1994`);
  return date;
}

/** objectid = 1*255(ALPHA / DIGIT / "_" / "-") (RFC 8474 7). */
function readObjectId(r: CommandReader, k: string): string {
  const id = r.atom();
  if (!OBJECT_ID_RE.test(id)) throw r.error(`${k} needs an object id`);
  return id;
}

/**
 * search-key = "ALL" / "ANSWERED" / "BCC" SP astring / "BEFORE" SP date / "BODY" SP astring /
 *   "CC" SP astring / "DELETED" / "FLAGGED" / "FROM" SP astring / "KEYWORD" SP flag-keyword /
 *   "NEW" / "OLD" / "ON" SP date / "RECENT" / "SEEN" / "SINCE" SP date / "SUBJECT" SP astring /
 *   "TEXT" SP astring / "TO" SP astring / "UNANSWERED" / "UNDELETED" / "UNFLAGGED" /
 *   "UNKEYWORD" SP flag-keyword / "UNSEEN" / "DRAFT" / "HEADER" SP header-fld-name SP astring /
 *   "LARGER" SP number64 / "NOT" SP search-key / "OR" SP search-key SP search-key /
 *   "SENTBEFORE" SP date / "SENTON" SP date / "SENTSINCE" SP date / "SMALLER" SP number64 /
 *   "UID" SP sequence-set / "UNDRAFT" / sequence-set / "(" search-key *(SP search-key) ")"
 * plus OLDER/YOUNGER (RFC 5032), MODSEQ (RFC 7162), FUZZY (RFC 6203), SAVED* (RFC 8514),
 * EMAILID/THREADID (RFC 8474) and Gmail's X-GM-*.
 */
export function readSearchKey(r: CommandReader, depth = 0): SearchKey {
  if (depth > r.maxDepth) throw r.error(`search criteria nested deeper than ${r.maxDepth}`, 'TOO_DEEP');
  const c = r.peek();
  if (c === 0x28) {
    r.accept(0x28);
    const criteria = [readSearchKey(r, depth + 1)];
    while (r.accept(0x20)) criteria.push(readSearchKey(r, depth + 1));
    r.expect(0x29, 'to close the search group');
    return { key: 'AND', criteria };
  }
  if ((c >= 0x30 && c <= 0x39) || c === 0x2a || c === 0x24) return { key: 'SEQUENCE', set: r.sequenceSet() };
  const word = r.atom();
  if (word === '') throw r.error('expected a search key');
  const k = word.toUpperCase();
  if (FLAG_KEYS.has(k)) return { key: k as SearchFlagKey['key'] };
  if (!STRING_KEYS.has(k) && !DATE_KEYS.has(k) && !NUMBER_KEYS.has(k) && !OTHER_KEYS.has(k)) throw r.error(`unknown search key ${word.slice(0, 30)}`);
  r.sp();
  if (STRING_KEYS.has(k)) return { key: k as SearchStringKey['key'], value: r.astring() };
  if (DATE_KEYS.has(k)) return { key: k as SearchDateKey['key'], date: readDate(r, k) };
  if (NUMBER_KEYS.has(k)) {
    const older = k === 'OLDER' || k === 'YOUNGER';
    return { key: k as SearchNumberKey['key'], value: older ? r.nzNumberIn(k) : r.numberIn(k, Number.MAX_SAFE_INTEGER) };
  }
  switch (k) {
    case 'HEADER': {
      const field = r.astring();
      r.sp();
      return { key: 'HEADER', field, value: r.astring() };
    }
    case 'KEYWORD':
    case 'UNKEYWORD': {
      const flag = r.atom(ATOM_CHAR);
      if (flag === '') throw r.error(`${k} needs a keyword`);
      return { key: k, flag };
    }
    case 'UID':
      return { key: 'UID', set: r.sequenceSet() };
    case 'NOT':
    case 'FUZZY':
      return { key: k, criterion: readSearchKey(r, depth + 1) };
    case 'OR': {
      const left = readSearchKey(r, depth + 1);
      r.sp();
      return { key: 'OR', left, right: readSearchKey(r, depth + 1) };
    }
    case 'MODSEQ': {
      // search-modsequence = "MODSEQ" [search-modseq-ext] SP mod-sequence-valzer (RFC 7162 7)
      let entry: SearchModseqKey['entry'] = null;
      if (r.peek() === 0x22) {
        const name = r.astring();
        r.sp();
        const type = r.atom().toLowerCase();
        if (type !== 'priv' && type !== 'shared' && type !== 'all') throw r.error('MODSEQ entry type must be priv, shared or all');
        r.sp();
        entry = { name, type };
      }
      return { key: 'MODSEQ', modseq: r.number64In('MODSEQ'), entry };
    }
    case 'X-GM-MSGID':
    case 'X-GM-THRID':
      return { key: k, id: r.number64In(k, 0n, 2n ** 64n - 1n) };
    default:
      return { key: k as 'EMAILID', id: readObjectId(r, k) };
  }
}

/** search-program = ["CHARSET" SP charset SP] search-key *(SP search-key), up to the end of the command. */
export function readSearchProgram(r: CommandReader, charsetAllowed = true): { charset: string | null; criteria: SearchKey[] } {
  let charset: string | null = null;
  if (charsetAllowed && r.acceptWord('CHARSET')) {
    r.sp();
    charset = r.astring();
    r.sp();
  }
  return { charset, criteria: readSearchCriteria(r) };
}

/** search-key *(SP search-key), up to the end of the command. */
export function readSearchCriteria(r: CommandReader): SearchKey[] {
  const keys = [readSearchKey(r)];
  while (r.accept(0x20)) keys.push(readSearchKey(r));
  r.end('the search criteria');
  return keys;
}

/**
 * search-return-opts = SP "RETURN" SP "(" [search-return-opt *(SP search-return-opt)] ")",
 * read after the word RETURN and its SP; search-return-opt = "MIN" / "MAX" / "ALL" / "COUNT" /
 * "SAVE" (RFC 5182) / "PARTIAL" SP partial-range (RFC 9394).
 */
export function readSearchReturnOpts(r: CommandReader): SearchReturnOption[] {
  r.expect(0x28, 'to open the RETURN options');
  const out: SearchReturnOption[] = [];
  if (r.accept(0x29)) return out;
  do {
    const o = r.keyword();
    if (RETURN_OPTIONS.has(o)) out.push(o as 'MIN');
    else if (o === 'PARTIAL') {
      r.sp();
      out.push({ partial: readPartialRange(r) });
    } else throw r.error(`unknown search return option ${o.slice(0, 20)}`);
  } while (r.accept(0x20));
  r.expect(0x29, 'to close the RETURN options');
  return out;
}

/** partial-range = partial-range-first / partial-range-last; nz-number ":" nz-number or "-" nz-number ":" "-" nz-number (RFC 9394 6). */
function readPartialRange(r: CommandReader): [number, number] {
  const neg = r.accept(0x2d);
  const a = r.nzNumberIn('PARTIAL');
  r.expect(0x3a, 'in the PARTIAL range');
  if (r.accept(0x2d) !== neg) throw r.error('PARTIAL needs a range like 1:100 or -1:-100');
  const b = r.nzNumberIn('PARTIAL');
  return neg ? [-a, -b] : [a, b];
}

/** `[RETURN (opts) SP]` before a search program: the options, or undefined when absent. */
export function readOptionalReturn(r: CommandReader): SearchReturnOption[] | undefined {
  if (!r.acceptWord('RETURN')) return undefined;
  r.sp();
  const opts = readSearchReturnOpts(r);
  r.sp();
  return opts;
}

/** Writes one search key. Throws TypeError for values that cannot be sent. */
export function writeSearchKey(w: CommandWriter, k: SearchKey, depth = 0): void {
  if (depth > MAX_WRITE_DEPTH) throw new TypeError(`search criteria nested deeper than ${MAX_WRITE_DEPTH}`);
  switch (k.key) {
    case 'AND':
      if (k.criteria.length === 0) throw new TypeError('a parenthesised search group needs at least one key');
      w.raw('(');
      k.criteria.forEach((c, i) => {
        if (i > 0) w.raw(' ');
        writeSearchKey(w, c, depth + 1);
      });
      w.raw(')');
      return;
    case 'NOT':
    case 'FUZZY':
      w.raw(`${k.key} `);
      writeSearchKey(w, k.criterion, depth + 1);
      return;
    case 'OR':
      w.raw('OR ');
      writeSearchKey(w, k.left, depth + 1);
      w.raw(' ');
      writeSearchKey(w, k.right, depth + 1);
      return;
    case 'SEQUENCE':
      w.raw(formatSequenceSet(k.set));
      return;
    case 'UID':
      w.raw(`UID ${formatSequenceSet(k.set)}`);
      return;
    case 'HEADER':
      w.raw('HEADER ').string(k.field).raw(' ').string(k.value);
      return;
    case 'KEYWORD':
    case 'UNKEYWORD':
      if (k.flag.startsWith('\\')) throw new TypeError(`${k.key} takes a keyword, not a system flag`);
      w.raw(`${k.key} ${atomOrThrow(k.flag, 'keyword')}`);
      return;
    case 'LARGER':
    case 'SMALLER':
    case 'OLDER':
    case 'YOUNGER':
      if (!Number.isSafeInteger(k.value) || k.value < ((k.key === 'OLDER' || k.key === 'YOUNGER') ? 1 : 0)) throw new TypeError(`bad ${k.key} number ${k.value}`);
      w.raw(`${k.key} ${k.value}`);
      return;
    case 'MODSEQ':
      if (typeof k.modseq !== 'bigint' || k.modseq < 0n || k.modseq > 2n ** 63n - 1n) throw new TypeError('bad MODSEQ value');
      w.raw('MODSEQ ');
      if (k.entry !== null) {
        if (k.entry.type !== 'priv' && k.entry.type !== 'shared' && k.entry.type !== 'all') throw new TypeError('bad MODSEQ entry type');
        // entry-flag-name = DQUOTE "/flags/" attr-flag DQUOTE (RFC 7162 7): a flag, nothing else.
        if (!/^\/flags\/\\?[^\s()"{}%*\\\]\x00-\x1f\x7f-\uffff]+$/i.test(k.entry.name)) throw new TypeError(`bad MODSEQ entry name "${k.entry.name}"`);
        w.string(k.entry.name).raw(` ${k.entry.type} `);
      }
      w.raw(String(k.modseq));
      return;
    case 'X-GM-MSGID':
    case 'X-GM-THRID':
      if (typeof k.id !== 'bigint' || k.id < 0n || k.id > 2n ** 64n - 1n) throw new TypeError(`bad ${k.key}`);
      w.raw(`${k.key} ${k.id}`);
      return;
    case 'EMAILID':
    case 'THREADID':
      if (!/^[A-Za-z0-9_-]{1,255}$/.test(k.id)) throw new TypeError(`bad ${k.key} "${k.id}"`);
      w.raw(`${k.key} ${k.id}`);
      return;
    case 'RAW':
      if (k.text === '' || /[\r\n\0]/.test(k.text)) throw new TypeError('raw search criteria must be one line of text');
      w.raw(k.text);
      return;
    default:
      break;
  }
  if (FLAG_KEYS.has(k.key)) {
    w.raw(k.key);
    return;
  }
  if (STRING_KEYS.has(k.key)) {
    w.raw(`${k.key} `).string((k as SearchStringKey).value);
    return;
  }
  if (DATE_KEYS.has(k.key)) {
    const d = (k as SearchDateKey).date;
    if (!SEARCH_DATE_RE.test(d)) throw new TypeError(`bad search date "${d}" (expected d-MMM-yyyy)`);
    w.raw(`${k.key} ${d}`);
    return;
  }
  throw new TypeError(`unknown search key ${String((k as { key: unknown }).key)}`);
}

/** Writes the criteria (ANDed by juxtaposition; at least one key). */
export function writeSearchCriteria(w: CommandWriter, keys: readonly SearchKey[]): void {
  if (keys.length === 0) throw new TypeError('search criteria need at least one key');
  keys.forEach((k, i) => {
    if (i > 0) w.raw(' ');
    writeSearchKey(w, k);
  });
}

/** Writes ` RETURN (opts)` when `opts` is given. */
export function writeSearchReturn(w: CommandWriter, opts: readonly SearchReturnOption[] | undefined): void {
  if (opts === undefined) return;
  const parts = opts.map((o) => {
    if (typeof o === 'string') {
      if (!RETURN_OPTIONS.has(o)) throw new TypeError(`unknown search return option ${o}`);
      return o;
    }
    const [a, b] = o.partial;
    if (!Number.isInteger(a) || !Number.isInteger(b) || a === 0 || b === 0 || Math.sign(a) !== Math.sign(b) || Math.abs(a) > 0xffffffff || Math.abs(b) > 0xffffffff) throw new TypeError('bad PARTIAL range');
    return `PARTIAL ${a}:${b}`;
  });
  w.raw(` RETURN (${parts.join(' ')})`);
}
