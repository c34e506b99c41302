/**
 * Readers and writers of the message commands (RFC 9051 6.4): FETCH with the CHANGEDSINCE and
 * VANISHED modifiers (RFC 7162), STORE with UNCHANGEDSINCE, COPY, MOVE (RFC 6851), EXPUNGE
 * and UID EXPUNGE (RFC 4315), each with its UID form.
 *
 * @packageDocumentation
 */

import type { CommandReader } from './command-reader';
import type { CommandWriter } from './command-writer';
import { formatFetchItem, readFetchAtt, type FetchItem } from './fetch-items';
import type { CommandHead } from './command-session';
import type { CopyCommand, FetchCommand, SimpleCommand, StoreCommand, UidExpungeCommand } from './command-types';

const isMacro = (i: FetchItem) => i.item === 'ALL' || i.item === 'FAST' || i.item === 'FULL';

/**
 * fetch = "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" / fetch-att /
 *   "(" fetch-att *(SP fetch-att) ")") [fetch-modifiers];
 * fetch-modifier =/ chgsince-fetch-mod / "VANISHED" (RFC 7162 7).
 */
export function readFetch(r: CommandReader, h: CommandHead): FetchCommand {
  r.sp();
  const set = r.sequenceSet();
  r.sp();
  const items = r.peek() === 0x28 ? r.parenList(() => readFetchAtt(r), 'the FETCH items') : [readFetchAtt(r)];
  if (items.length > 1 && items.some(isMacro)) throw r.error('a FETCH macro must be the only item');
  let changedSince: bigint | undefined;
  let vanished = false;
  if (r.accept(0x20)) {
    r.expect(0x28, 'to open the FETCH modifiers');
    do {
      const m = r.keyword();
      if (m === 'CHANGEDSINCE' && changedSince === undefined) {
        r.sp();
        changedSince = r.number64In('CHANGEDSINCE', 1n);
      } else if (m === 'VANISHED' && !vanished) vanished = true;
      else throw r.error('unknown FETCH modifier');
    } while (r.accept(0x20));
    r.expect(0x29, 'to close the FETCH modifiers');
    if (vanished && (!h.uid || changedSince === undefined)) throw r.error('VANISHED needs UID FETCH with CHANGEDSINCE');
  }
  r.end(h.name);
  return { tag: h.tag, command: 'FETCH', uid: h.uid, set, items, ...(changedSince !== undefined ? { changedSince } : {}), ...(vanished ? { vanished } : {}) };
}

/** Writes [UID] FETCH. */
export function writeFetch(w: CommandWriter, c: FetchCommand): void {
  w.raw(c.uid ? 'UID FETCH ' : 'FETCH ').sequenceSet(c.set).raw(' ');
  const names = c.items.map(formatFetchItem);
  if (names.length === 0) throw new TypeError('FETCH needs items');
  const macro = c.items.some(isMacro);
  if (macro && names.length > 1) throw new TypeError('a FETCH macro (ALL, FAST, FULL) must be the only item');
  // A macro goes bare (it must); other items always in parentheses, as mailwire always wrote them.
  w.raw(macro ? names[0]! : `(${names.join(' ')})`);
  if (c.changedSince === undefined && !c.vanished) return;
  w.raw(' (');
  if (c.changedSince !== undefined) w.raw('CHANGEDSINCE ').number64(c.changedSince, 'CHANGEDSINCE', 1n);
  if (c.vanished) {
    if (!c.uid || c.changedSince === undefined) throw new TypeError('VANISHED needs UID FETCH with CHANGEDSINCE (RFC 7162 3.2.6)');
    w.raw(' VANISHED');
  }
  w.raw(')');
}

/**
 * store = "STORE" SP sequence-set [store-modifiers] SP store-att-flags;
 * store-modifier =/ "UNCHANGEDSINCE" SP mod-sequence-valzer (RFC 7162 7);
 * store-att-flags = (["+" / "-"] "FLAGS" [".SILENT"]) SP (flag-list / (flag *(SP flag))).
 */
export function readStore(r: CommandReader, h: CommandHead): StoreCommand {
  r.sp();
  const set = r.sequenceSet();
  r.sp();
  let unchangedSince: bigint | null = null;
  if (r.accept(0x28)) {
    if (r.keyword() !== 'UNCHANGEDSINCE') throw r.error('bad STORE modifier');
    r.sp();
    unchangedSince = r.number64In('UNCHANGEDSINCE');
    r.expect(0x29, 'to close the STORE modifiers');
    r.sp();
  }
  const item = r.keyword();
  const m = /^([+-]?)FLAGS(\.SILENT)?$/.exec(item);
  if (!m) throw r.error(`bad STORE item "${item.slice(0, 20)}"`);
  r.sp();
  let flags: string[];
  if (r.peek() === 0x28) flags = r.flagList();
  else {
    flags = [r.flag()];
    while (r.accept(0x20)) flags.push(r.flag());
  }
  r.end(h.name);
  return { tag: h.tag, command: 'STORE', uid: h.uid, set, operation: m[1] === '+' ? 'add' : m[1] === '-' ? 'remove' : 'set', silent: m[2] !== undefined, flags, unchangedSince };
}

/** Writes [UID] STORE. */
export function writeStore(w: CommandWriter, c: StoreCommand): void {
  const op = c.operation === 'add' ? '+' : c.operation === 'remove' ? '-' : c.operation === 'set' ? '' : null;
  if (op === null) throw new TypeError(`bad STORE operation ${String(c.operation)}`);
  w.raw(c.uid ? 'UID STORE ' : 'STORE ').sequenceSet(c.set).raw(' ');
  if (c.unchangedSince !== null) w.raw('(UNCHANGEDSINCE ').number64(c.unchangedSince, 'UNCHANGEDSINCE').raw(') ');
  w.raw(`${op}FLAGS${c.silent ? '.SILENT' : ''} `).flagList(c.flags);
}

/** copy = "COPY" SP sequence-set SP mailbox; move = "MOVE" SP sequence-set SP mailbox (RFC 6851). */
export function readCopy(r: CommandReader, h: CommandHead): CopyCommand {
  r.sp();
  const set = r.sequenceSet();
  r.sp();
  const mailbox = r.mailbox();
  r.end(h.name);
  return { tag: h.tag, command: h.name as 'COPY', uid: h.uid, set, mailbox };
}

/** Writes [UID] COPY / MOVE. */
export function writeCopy(w: CommandWriter, c: CopyCommand): void {
  w.raw(`${c.uid ? 'UID ' : ''}${c.command} `).sequenceSet(c.set).raw(' ').mailbox(c.mailbox);
}

/** expunge = "EXPUNGE"; uid-expunge = "UID" SP "EXPUNGE" SP sequence-set (RFC 4315 3). */
export function readExpunge(r: CommandReader, h: CommandHead): SimpleCommand | UidExpungeCommand {
  if (!h.uid) {
    r.end(h.name);
    return { tag: h.tag, command: 'EXPUNGE' };
  }
  r.sp();
  const set = r.sequenceSet();
  r.end(h.name);
  return { tag: h.tag, command: 'UID EXPUNGE', set };
}

/** Writes EXPUNGE / UID EXPUNGE. */
export function writeExpunge(w: CommandWriter, c: SimpleCommand | UidExpungeCommand): void {
  if (c.command === 'UID EXPUNGE') w.raw('UID EXPUNGE ').sequenceSet(c.set);
  else w.raw('EXPUNGE');
}
