/**
 * Readers and writers of the commands that take search criteria: SEARCH (RFC 9051 6.4.4,
 * RFC 4731 ESEARCH return options, RFC 9394 PARTIAL), SORT and THREAD (RFC 5256, RFC 5267
 * ESORT), and the multi-mailbox ESEARCH command (RFC 7377).
 *
 * @packageDocumentation
 */

import { encodeUtf8 } from '../core/bytes';
import { CommandReader } from './command-reader';
import type { CommandWriter } from './command-writer';
import { readFilterMailboxes, writeFilterMailboxes } from './notify';
import { readOptionalReturn, readSearchCriteria, readSearchProgram, writeSearchCriteria, writeSearchReturn } from './search';
import type { CommandHead } from './command-session';
import type { EsearchCommand, EsearchScopeOption, SearchCommand, SortCommand, SortCriterion, ThreadCommand } from './command-types';

const SORT_KEYS = new Set(['ARRIVAL', 'CC', 'DATE', 'FROM', 'SIZE', 'SUBJECT', 'TO', 'DISPLAYFROM', 'DISPLAYTO']);
const LABEL_RE = /^[A-Za-z_.-][A-Za-z0-9_.:-]*$/;

/** search = "SEARCH" [search-return-opts] SP search-program. */
export function readSearch(r: CommandReader, h: CommandHead): SearchCommand {
  r.sp();
  const returnOptions = readOptionalReturn(r);
  const { charset, criteria } = readSearchProgram(r);
  return { tag: h.tag, command: 'SEARCH', uid: h.uid, ...(returnOptions ? { returnOptions } : {}), charset, criteria };
}

/** Writes [UID] SEARCH. */
export function writeSearch(w: CommandWriter, c: SearchCommand): void {
  w.raw(c.uid ? 'UID SEARCH' : 'SEARCH');
  writeSearchReturn(w, c.returnOptions);
  if (c.charset !== null) w.raw(' CHARSET ').astring(c.charset);
  w.raw(' ');
  writeSearchCriteria(w, c.criteria);
}

/** sort-criteria = "(" sort-criterion *(SP sort-criterion) ")"; sort-criterion = ["REVERSE" SP] sort-key (RFC 5256 5). */
function readSortCriteria(r: CommandReader): SortCriterion[] {
  return r.parenList(() => {
    let k = r.keyword();
    const reverse = k === 'REVERSE';
    if (reverse) {
      r.sp();
      k = r.keyword();
    }
    if (!SORT_KEYS.has(k)) throw r.error(`unknown sort criterion ${k.slice(0, 20)}`);
    return { key: k as SortCriterion['key'], reverse };
  }, 'the sort criteria');
}

/** sort = ["UID" SP] "SORT" [search-return-opts] SP sort-criteria SP search-charset 1*(SP search-key) (RFC 5256, RFC 5267). */
export function readSort(r: CommandReader, h: CommandHead): SortCommand {
  r.sp();
  const returnOptions = readOptionalReturn(r);
  const sort = readSortCriteria(r);
  r.sp();
  const charset = r.astring();
  r.sp();
  const criteria = readSearchCriteria(r);
  return { tag: h.tag, command: 'SORT', uid: h.uid, ...(returnOptions ? { returnOptions } : {}), sort, charset, criteria };
}

/** Writes [UID] SORT. */
export function writeSort(w: CommandWriter, c: SortCommand): void {
  if (c.sort.length === 0) throw new TypeError('SORT needs at least one criterion');
  w.raw(c.uid ? 'UID SORT' : 'SORT');
  writeSearchReturn(w, c.returnOptions);
  w.raw(' (');
  w.each(c.sort, (s) => {
    if (!SORT_KEYS.has(s.key)) throw new TypeError(`unknown SORT criterion ${String(s.key)}`);
    w.raw(s.reverse ? `REVERSE ${s.key}` : s.key);
  });
  w.raw(') ').astring(c.charset).raw(' ');
  writeSearchCriteria(w, c.criteria);
}

/** thread = ["UID" SP] "THREAD" SP thread-alg SP search-charset 1*(SP search-key) (RFC 5256 5). */
export function readThread(r: CommandReader, h: CommandHead): ThreadCommand {
  r.sp();
  const algorithm = r.keyword();
  r.sp();
  const charset = r.astring();
  r.sp();
  const criteria = readSearchCriteria(r);
  return { tag: h.tag, command: 'THREAD', uid: h.uid, algorithm, charset, criteria };
}

/** Writes [UID] THREAD. */
export function writeThread(w: CommandWriter, c: ThreadCommand): void {
  w.raw(c.uid ? 'UID THREAD ' : 'THREAD ').atom(c.algorithm, 'THREAD algorithm').raw(' ').astring(c.charset).raw(' ');
  writeSearchCriteria(w, c.criteria);
}

/**
 * scope-option = scope-option-name [SP scope-option-value]; scope-option-name = tagged-ext-label;
 * scope-option-value = tagged-ext-val (RFC 7377 6), kept as its wire text. A value starts with a
 * digit, "*", "$" or "(" (tagged-ext-simple / "(" tagged-ext-comp ")"); a label never does.
 */
function readScopeOption(r: CommandReader): EsearchScopeOption {
  const name = r.atom();
  if (!LABEL_RE.test(name)) throw r.error('expected a scope option name');
  const c = r.peekAt(1);
  if (r.peek() !== 0x20 || !((c >= 0x30 && c <= 0x39) || c === 0x2a || c === 0x24 || c === 0x28)) return { name, value: null };
  r.sp();
  const m = r.mark();
  if (r.peek() === 0x28) r.skipValue();
  else r.sequenceSet();
  return { name, value: r.textSince(m) };
}

/**
 * esearch = "ESEARCH" [SP esearch-source-opts] [SP search-return-opts] SP search-program;
 * esearch-source-opts = "IN" SP "(" source-mbox [SP "(" scope-options ")"] ")";
 * source-mbox = filter-mailboxes *(SP filter-mailboxes) (RFC 7377 6).
 */
export function readEsearch(r: CommandReader, h: CommandHead): EsearchCommand {
  r.sp();
  let source: EsearchCommand['source'] = null;
  if (r.acceptWord('IN')) {
    r.sp();
    r.expect(0x28, 'to open the ESEARCH sources');
    const mailboxes = [readFilterMailboxes(r)];
    let scope: EsearchScopeOption[] = [];
    while (r.accept(0x20)) {
      if (r.peek() === 0x28) {
        scope = r.parenList(() => readScopeOption(r), 'the scope options');
        break;
      }
      mailboxes.push(readFilterMailboxes(r));
    }
    r.expect(0x29, 'to close the ESEARCH sources');
    r.sp();
    source = { mailboxes, scope };
  }
  const returnOptions = readOptionalReturn(r);
  const { charset, criteria } = readSearchProgram(r);
  return { tag: h.tag, command: 'ESEARCH', source, ...(returnOptions ? { returnOptions } : {}), charset, criteria };
}

/** Throws unless `v` reads back as one scope-option-value (a sequence set or a balanced parenthesised value). */
function checkScopeValue(v: string): void {
  const r = new CommandReader({ lines: [encodeUtf8(v)], literals: [] });
  let ok = false;
  try {
    if (r.peek() === 0x28) r.skipValue();
    else r.sequenceSet();
    ok = r.atEnd();
  } catch {
    ok = false;
  }
  if (!ok) throw new TypeError(`bad scope option value "${v}"`);
}

/** Writes ESEARCH. */
export function writeEsearch(w: CommandWriter, c: EsearchCommand): void {
  w.raw('ESEARCH');
  if (c.source !== null) {
    if (c.source.mailboxes.length === 0) throw new TypeError('ESEARCH IN needs at least one mailbox filter');
    w.raw(' IN (');
    w.each(c.source.mailboxes, (f) => writeFilterMailboxes(w, f));
    if (c.source.scope.length > 0) {
      w.raw(' (');
      w.each(c.source.scope, (o) => {
        if (!LABEL_RE.test(o.name)) throw new TypeError(`bad scope option name "${o.name}"`);
        w.raw(o.name);
        if (o.value !== null) {
          checkScopeValue(o.value);
          w.line(` ${o.value}`, 'scope option value');
        }
      });
      w.raw(')');
    }
    w.raw(')');
  }
  writeSearchReturn(w, c.returnOptions);
  if (c.charset !== null) w.raw(' CHARSET ').astring(c.charset);
  w.raw(' ');
  writeSearchCriteria(w, c.criteria);
}
