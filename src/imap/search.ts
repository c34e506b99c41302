/**
 * SEARCH criteria as a typed tree (RFC 3501 6.4.4, RFC 9051 6.4.4 and extensions): keys are
 * ANDed by juxtaposition, OR and NOT take keys, parentheses group them. The same tree is read
 * by `parseCommand` and written by `encodeCommand` for SEARCH, SORT and THREAD.
 *
 * @packageDocumentation
 */

import { atomOrThrow, type CommandWriter } from './command-writer';
import { stringValue, type Lexer } from './lexer';
import { SequenceSet } from './sequence-set';

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

/** Reads a sequence set or `$` at the cursor. */
export function readSequenceSet(lx: Lexer): SequenceSetOrSaved {
  const t = lx.atom();
  if (t === '$') return '$';
  const s = SequenceSet.parse(t);
  if (!s) throw lx.error(`"${t.slice(0, 20)}" is not a sequence set`);
  return s;
}

/** The wire form of a sequence set or `$`. */
export function formatSequenceSet(s: SequenceSetOrSaved): string {
  if (s === '$') return '$';
  if (!(s instanceof SequenceSet)) throw new TypeError('expected a SequenceSet or "$"');
  return s.toString();
}

function readString(lx: Lexer): string {
  const c = lx.peek();
  if (c === 0x28 || c === 0x29 || c < 0) throw lx.error('expected a string');
  const v = lx.value();
  if (v.kind === 'nil') return 'NIL';
  const s = stringValue(v);
  if (s === null) throw lx.error('expected a string');
  return s;
}

function readNumber(lx: Lexer, what: string, max = Number.MAX_SAFE_INTEGER): number {
  const t = lx.atom();
  if (!/^\d{1,16}$/.test(t) || Number(t) > max) throw lx.error(`${what} needs a number`);
  return Number(t);
}

function readBig(lx: Lexer, what: string, max: bigint): bigint {
  const t = lx.atom();
  if (!/^\d{1,20}$/.test(t) || BigInt(t) > max) throw lx.error(`${what} needs a number`);
  return BigInt(t);
}

/** Reads one search-key at the cursor (RFC 3501 9 `search-key`, with the extensions above). */
export function readSearchKey(lx: Lexer, depth = 0): SearchKey {
  if (depth > lx.maxDepth) throw lx.error(`search criteria nested deeper than ${lx.maxDepth}`, 'TOO_DEEP');
  if (lx.accept(0x28)) {
    const criteria = [readSearchKey(lx, depth + 1)];
    while (lx.accept(0x20)) criteria.push(readSearchKey(lx, depth + 1));
    lx.expect(0x29);
    return { key: 'AND', criteria };
  }
  return searchKeyFrom(lx, lx.atom(), depth);
}

/** The rest of a search key whose first word (`word`) was already read. */
function searchKeyFrom(lx: Lexer, word: string, depth: number): SearchKey {
  if (word === '') throw lx.error('expected a search key');
  const k = word.toUpperCase();
  if (/^[\d*:,$]+$/.test(word)) {
    if (word === '$') return { key: 'SEQUENCE', set: '$' };
    const set = SequenceSet.parse(word);
    if (!set) throw lx.error(`"${word.slice(0, 20)}" is not a sequence set`);
    return { key: 'SEQUENCE', set };
  }
  if (FLAG_KEYS.has(k)) return { key: k as SearchFlagKey['key'] };
  if (!STRING_KEYS.has(k) && !DATE_KEYS.has(k) && !NUMBER_KEYS.has(k) && !OTHER_KEYS.has(k)) throw lx.error(`unknown search key ${word.slice(0, 30)}`);
  lx.sp();
  if (STRING_KEYS.has(k)) return { key: k as SearchStringKey['key'], value: readString(lx) };
  if (DATE_KEYS.has(k)) {
    const date = readString(lx);
    if (!SEARCH_DATE_RE.test(date)) throw lx.error(`${k} needs a date like 1-Feb-1994`);
    return { key: k as SearchDateKey['key'], date };
  }
  if (NUMBER_KEYS.has(k)) {
    const value = readNumber(lx, k);
    if ((k === 'OLDER' || k === 'YOUNGER') && value === 0) throw lx.error(`${k} needs a positive number`);
    return { key: k as SearchNumberKey['key'], value };
  }
  switch (k) {
    case 'HEADER': {
      const field = readString(lx);
      lx.sp();
      return { key: 'HEADER', field, value: readString(lx) };
    }
    case 'KEYWORD':
    case 'UNKEYWORD': {
      const flag = lx.atom();
      if (flag === '' || flag.startsWith('\\')) throw lx.error(`${k} needs a keyword`);
      return { key: k, flag };
    }
    case 'UID':
      return { key: 'UID', set: readSequenceSet(lx) };
    case 'NOT':
    case 'FUZZY':
      return { key: k, criterion: readSearchKey(lx, depth + 1) };
    case 'OR': {
      const left = readSearchKey(lx, depth + 1);
      lx.sp();
      return { key: 'OR', left, right: readSearchKey(lx, depth + 1) };
    }
    case 'MODSEQ': {
      let entry: SearchModseqKey['entry'] = null;
      if (lx.peek() === 0x22) {
        const name = readString(lx);
        lx.sp();
        const type = lx.atom().toLowerCase();
        if (type !== 'priv' && type !== 'shared' && type !== 'all') throw lx.error('MODSEQ entry type must be priv, shared or all');
        lx.sp();
        entry = { name, type };
      }
      return { key: 'MODSEQ', modseq: readBig(lx, 'MODSEQ', 2n ** 63n - 1n), entry };
    }
    case 'X-GM-MSGID':
    case 'X-GM-THRID':
      return { key: k, id: readBig(lx, k, 2n ** 64n - 1n) };
    case 'EMAILID':
    case 'THREADID': {
      const id = lx.atom();
      if (!/^[A-Za-z0-9_-]{1,255}$/.test(id)) throw lx.error(`${k} needs an object id`);
      return { key: k, id };
    }
    default:
      throw lx.error(`unknown search key ${word.slice(0, 30)}`);
  }
}

/**
 * Reads `search-key *(SP search-key)` up to the end of the command. `firstWord` is the first
 * key's word when the caller already read it (looking for RETURN or CHARSET).
 */
export function readSearchCriteria(lx: Lexer, firstWord?: string): SearchKey[] {
  const keys = [firstWord === undefined ? readSearchKey(lx) : searchKeyFrom(lx, firstWord, 0)];
  while (lx.accept(0x20)) keys.push(readSearchKey(lx));
  if (!lx.atEnd()) throw lx.error('unexpected text after the search criteria');
  return keys;
}

/** Reads `RETURN (opts)` after the word RETURN and its SP. */
export function readSearchReturn(lx: Lexer): SearchReturnOption[] {
  lx.expect(0x28);
  const out: SearchReturnOption[] = [];
  if (lx.accept(0x29)) return out;
  do {
    const o = lx.atom().toUpperCase();
    if (RETURN_OPTIONS.has(o)) out.push(o as 'MIN');
    else if (o === 'PARTIAL') {
      lx.sp();
      const m = /^(-?)([1-9]\d{0,9}):(-?)([1-9]\d{0,9})$/.exec(lx.atom());
      if (!m || m[1] !== m[3]) throw lx.error('PARTIAL needs a range like 1:100 or -1:-100');
      out.push({ partial: [Number(m[1] + m[2]), Number(m[3] + m[4])] });
    } else throw lx.error(`unknown search return option ${o.slice(0, 20)}`);
  } while (lx.accept(0x20));
  lx.expect(0x29);
  return out;
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
