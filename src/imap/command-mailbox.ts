/**
 * Readers and writers of the mailbox commands (RFC 9051 6.3): SELECT / EXAMINE with the
 * CONDSTORE and QRESYNC parameters (RFC 7162), CREATE with USE (RFC 6154), DELETE, RENAME,
 * SUBSCRIBE, UNSUBSCRIBE, LIST (RFC 5258 LIST-EXTENDED, RFC 5819 LIST-STATUS), LSUB, STATUS,
 * and the commands taking one mailbox name (GETQUOTAROOT, MYRIGHTS, GETACL).
 *
 * @packageDocumentation
 */

import type { CommandReader } from './command-reader';
import type { CommandWriter } from './command-writer';
import { encodeMailboxName } from './mailbox-name';
import type { CommandHead } from './command-session';
import type { CreateCommand, ListCommand, ListReturnOption, ListSelectionOption, MailboxCommand, QresyncParameter, RenameCommand, SelectCommand, StatusCommand } from './command-types';

const LIST_SELECTION = new Set(['SUBSCRIBED', 'REMOTE', 'RECURSIVEMATCH', 'SPECIAL-USE']);
const LIST_RETURN = new Set(['SUBSCRIBED', 'CHILDREN', 'SPECIAL-USE', 'MYRIGHTS']);

/**
 * QRESYNC SP "(" uidvalidity SP mod-sequence-value [SP known-uids] [SP seq-match-data] ")";
 * seq-match-data = "(" known-sequence-set SP known-uid-set ")" (RFC 7162 7), after "QRESYNC SP".
 */
function readQresync(r: CommandReader): QresyncParameter {
  r.expect(0x28, 'to open the QRESYNC parameter');
  const uidValidity = r.nzNumberIn('QRESYNC uidvalidity');
  r.sp();
  const modseq = r.number64In('QRESYNC mod-sequence', 1n);
  let knownUids = null;
  let seqMatch: QresyncParameter['seqMatch'] = null;
  if (r.accept(0x20)) {
    if (r.peek() !== 0x28) {
      knownUids = r.plainSequenceSet('QRESYNC known UIDs');
      if (!r.accept(0x20)) {
        r.expect(0x29, 'to close the QRESYNC parameter');
        return { uidValidity, modseq, knownUids, seqMatch };
      }
    }
    if (knownUids === null) throw r.error('QRESYNC seq-match data needs known UIDs');
    r.expect(0x28, 'to open the QRESYNC seq-match data');
    const sequences = r.plainSequenceSet('QRESYNC seq-match data');
    r.sp();
    seqMatch = { sequences, uids: r.plainSequenceSet('QRESYNC seq-match data') };
    r.expect(0x29, 'to close the QRESYNC seq-match data');
  }
  r.expect(0x29, 'to close the QRESYNC parameter');
  return { uidValidity, modseq, knownUids, seqMatch };
}

/** select = "SELECT" SP mailbox [select-params]; select-params = SP "(" select-param *(SP select-param) ")" (RFC 4466, RFC 7162). */
export function readSelect(r: CommandReader, h: CommandHead): SelectCommand {
  r.sp();
  const mailbox = r.mailbox();
  let condstore = false;
  let qresync: QresyncParameter | undefined;
  if (r.accept(0x20)) {
    r.expect(0x28, `to open the ${h.name} parameters`);
    do {
      const p = r.keyword();
      if (p === 'CONDSTORE' && !condstore) condstore = true;
      else if (p === 'QRESYNC' && !qresync) {
        r.sp();
        qresync = readQresync(r);
      } else throw r.error(`unknown ${h.name} parameter`);
    } while (r.accept(0x20));
    r.expect(0x29, `to close the ${h.name} parameters`);
  }
  r.end(h.name);
  return { tag: h.tag, command: h.name as 'SELECT', mailbox, ...(condstore ? { condstore } : {}), ...(qresync ? { qresync } : {}) };
}

/** Writes SELECT / EXAMINE. */
export function writeSelect(w: CommandWriter, c: SelectCommand): void {
  w.raw(`${c.command} `).mailbox(c.mailbox);
  if (!c.condstore && !c.qresync) return;
  w.raw(' (');
  if (c.condstore) w.raw(c.qresync ? 'CONDSTORE ' : 'CONDSTORE');
  const q = c.qresync;
  if (q) {
    w.raw('QRESYNC (').number(q.uidValidity, 'QRESYNC uidvalidity', 1).raw(' ').number64(q.modseq, 'QRESYNC mod-sequence', 1n);
    if (q.knownUids !== null) w.raw(' ').sequenceSet(q.knownUids);
    if (q.seqMatch !== null) {
      if (q.knownUids === null) throw new TypeError('QRESYNC seq-match data needs known UIDs');
      w.raw(' (').sequenceSet(q.seqMatch.sequences).raw(' ').sequenceSet(q.seqMatch.uids).raw(')');
    }
    w.raw(')');
  }
  w.raw(')');
}

/** create = "CREATE" SP mailbox [create-params]; create-param =/ "USE" SP "(" [use-attr *(SP use-attr)] ")" (RFC 6154 6). */
export function readCreate(r: CommandReader, h: CommandHead): CreateCommand {
  r.sp();
  const mailbox = r.mailbox();
  if (!r.accept(0x20)) {
    r.end(h.name);
    return { tag: h.tag, command: 'CREATE', mailbox };
  }
  r.expect(0x28, 'to open the CREATE parameters');
  if (r.keyword() !== 'USE') throw r.error('unknown CREATE parameter');
  r.sp();
  const use = r.flagList();
  r.expect(0x29, 'to close the CREATE parameters');
  r.end(h.name);
  return { tag: h.tag, command: 'CREATE', mailbox, use };
}

/** Writes CREATE. */
export function writeCreate(w: CommandWriter, c: CreateCommand): void {
  w.raw('CREATE ').mailbox(c.mailbox);
  if (c.use !== undefined) w.raw(' (USE ').flagList(c.use).raw(')');
}

/** delete / subscribe / unsubscribe / getquotaroot / myrights / getacl = name SP mailbox. */
export function readMailboxOnly(r: CommandReader, h: CommandHead): MailboxCommand {
  r.sp();
  const mailbox = r.mailbox();
  r.end(h.name);
  return { tag: h.tag, command: h.name as MailboxCommand['command'], mailbox };
}

/** Writes a command taking one mailbox name. */
export function writeMailboxOnly(w: CommandWriter, c: MailboxCommand): void {
  w.raw(`${c.command} `).mailbox(c.mailbox);
}

/** rename = "RENAME" SP mailbox SP mailbox. */
export function readRename(r: CommandReader, h: CommandHead): RenameCommand {
  r.sp();
  const from = r.mailbox();
  r.sp();
  const to = r.mailbox();
  r.end(h.name);
  return { tag: h.tag, command: 'RENAME', from, to };
}

/** Writes RENAME. */
export function writeRename(w: CommandWriter, c: RenameCommand): void {
  w.raw('RENAME ').mailbox(c.from).raw(' ').mailbox(c.to);
}

/** return-option = "SUBSCRIBED" / "CHILDREN" / "SPECIAL-USE" / "MYRIGHTS" / "STATUS" SP "(" status-att *(SP status-att) ")". */
function readListReturnOption(r: CommandReader): ListReturnOption {
  const o = r.keyword();
  if (o === 'STATUS') {
    r.sp();
    return { status: r.parenList(() => r.keyword(), 'the STATUS return option') };
  }
  if (!LIST_RETURN.has(o)) throw r.error('unknown LIST return option');
  return o as ListReturnOption;
}

/**
 * list = "LIST" [SP list-select-opts] SP mailbox SP mbox-or-pat [SP list-return-opts];
 * mbox-or-pat = list-mailbox / patterns; patterns = "(" list-mailbox *(SP list-mailbox) ")"
 * (RFC 5258 6); lsub = "LSUB" SP mailbox SP list-mailbox.
 */
export function readList(r: CommandReader, h: CommandHead): ListCommand {
  const list = h.name === 'LIST';
  r.sp();
  let selection: ListSelectionOption[] | undefined;
  if (list && r.peek() === 0x28) {
    selection = r.parenList(
      () => {
        const o = r.keyword();
        if (!LIST_SELECTION.has(o)) throw r.error('unknown LIST selection option');
        return o as ListSelectionOption;
      },
      'the LIST selection options',
      true,
    );
    r.sp();
  }
  const reference = r.mailbox();
  r.sp();
  const pattern = list && r.peek() === 0x28 ? r.parenList(() => r.listMailbox(), 'the LIST patterns') : r.listMailbox();
  let returnOptions: ListReturnOption[] | undefined;
  if (list && r.accept(0x20)) {
    if (!r.acceptWord('RETURN')) throw r.error('expected RETURN');
    r.sp();
    returnOptions = r.parenList(() => readListReturnOption(r), 'the LIST RETURN options', true);
  }
  r.end(h.name);
  return { tag: h.tag, command: h.name as 'LIST', ...(selection ? { selection } : {}), reference, pattern, ...(returnOptions ? { returnOptions } : {}) };
}

function writeListPattern(w: CommandWriter, pattern: string): void {
  // list-mailbox may hold the wildcards % and * unquoted.
  if (pattern !== '' && /^[^\s()"{}\\\x00-\x1f\x7f]+$/.test(pattern) && !/[^\x20-\x7e]/.test(pattern)) w.raw(w.opts.utf8Accept ? pattern : encodeMailboxName(pattern));
  else w.mailbox(pattern);
}

/** Writes LIST / LSUB. */
export function writeList(w: CommandWriter, c: ListCommand): void {
  const extended = c.selection !== undefined || c.returnOptions !== undefined || typeof c.pattern !== 'string';
  if (c.command === 'LSUB' && extended) throw new TypeError('LSUB takes no selection, RETURN or pattern list');
  w.raw(`${c.command} `);
  if (c.selection !== undefined) {
    for (const o of c.selection) if (!LIST_SELECTION.has(o)) throw new TypeError(`unknown LIST selection option ${String(o)}`);
    w.raw(`(${c.selection.join(' ')}) `);
  }
  w.mailbox(c.reference).raw(' ');
  if (typeof c.pattern === 'string') writeListPattern(w, c.pattern);
  else {
    if (c.pattern.length === 0) throw new TypeError('LIST needs at least one pattern');
    w.raw('(').each(c.pattern, (p) => writeListPattern(w, p)).raw(')');
  }
  if (c.returnOptions !== undefined) {
    w.raw(' RETURN (');
    w.each(c.returnOptions, (o) => {
      if (typeof o === 'string') {
        if (!LIST_RETURN.has(o)) throw new TypeError(`unknown LIST return option ${o}`);
        w.raw(o);
      } else {
        if (o.status.length === 0) throw new TypeError('the STATUS return option needs items');
        w.raw('STATUS (').each(o.status, (i) => w.atom(i, 'status item')).raw(')');
      }
    });
    w.raw(')');
  }
}

/** status = "STATUS" SP mailbox SP "(" status-att *(SP status-att) ")". */
export function readStatus(r: CommandReader, h: CommandHead): StatusCommand {
  r.sp();
  const mailbox = r.mailbox();
  r.sp();
  const items = r.parenList(() => r.keyword(), 'the STATUS items');
  r.end(h.name);
  return { tag: h.tag, command: 'STATUS', mailbox, items };
}

/** Writes STATUS. */
export function writeStatus(w: CommandWriter, c: StatusCommand): void {
  if (c.items.length === 0) throw new TypeError('STATUS needs items');
  w.raw('STATUS ').mailbox(c.mailbox).raw(' (').each(c.items, (i) => w.atom(i, 'status item')).raw(')');
}
