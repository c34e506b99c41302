/**
 * IMAP commands (RFC 3501 6, RFC 9051 6): encode to fragments that respect literal flow
 * control, and parse one framed command (tag, name, arguments).
 *
 * @packageDocumentation
 */

import { assertNoLineBreak } from '../core/bytes';
import { ProtocolError } from '../core/errors';
import { CommandWriter, atomOrThrow, type EncodeCommandOptions } from './command-writer';
import { formatFetchItem, parseFetchItem, type FetchItem } from './fetch-items';
import { Lexer, frameUnit, stringValue, type FramedUnit, type LexerLimits, type Value } from './lexer';
import { decodeMailboxName, encodeMailboxName } from './mailbox-name';
import { formatSequenceSet, readSearchCriteria, readSearchReturn, readSequenceSet, writeSearchCriteria, writeSearchReturn, type SearchReturnOption } from './search';
import { SequenceSet } from './sequence-set';
import type { AppendMessage, Command, CommandFragment, ListReturnOption, ListSelectionOption, QresyncParameter, SortCriterion } from './command-types';
import { isValidTag } from './tag';

export type { EncodeCommandOptions } from './command-writer';

function flagList(flags: readonly string[]): string {
  for (const f of flags) if (!/^\\?[^\s()"{}%*\\\]\x00-\x1f\x7f-\uffff]+$/.test(f)) throw new TypeError(`bad flag "${f}"`);
  return `(${flags.join(' ')})`;
}

const LIST_SELECTION = new Set(['SUBSCRIBED', 'REMOTE', 'RECURSIVEMATCH', 'SPECIAL-USE']);
const LIST_RETURN = new Set(['SUBSCRIBED', 'CHILDREN', 'SPECIAL-USE', 'MYRIGHTS']);
const SORT_KEYS = new Set(['ARRIVAL', 'CC', 'DATE', 'FROM', 'SIZE', 'SUBJECT', 'TO', 'DISPLAYFROM', 'DISPLAYTO']);
const MAX_MODSEQ = 2n ** 63n - 1n;
const UID_COMMANDS = new Set(['FETCH', 'STORE', 'COPY', 'MOVE', 'SEARCH', 'EXPUNGE', 'SORT', 'THREAD']);

function listPattern(w: CommandWriter, pattern: string): void {
  // list-mailbox may hold the wildcards % and * unquoted.
  if (pattern !== '' && /^[^\s()"{}\\\x00-\x1f\x7f]+$/.test(pattern) && !/[^\x20-\x7e]/.test(pattern)) w.raw(w.opts.utf8Accept ? pattern : encodeMailboxName(pattern));
  else w.mailbox(pattern);
}

function writeAppendMessage(w: CommandWriter, m: AppendMessage): void {
  if (m.flags !== null) w.raw(`${flagList(m.flags)} `);
  if (m.date !== null) {
    if (!/^[ \d]\d-[A-Za-z]{3}-\d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/.test(m.date)) throw new TypeError(`bad APPEND date-time "${m.date}"`);
    w.raw(`"${m.date}" `);
  }
  if (!(m.message instanceof Uint8Array)) throw new TypeError('APPEND message must be bytes');
  w.literal(m.message, m.binary);
}

function writeQresync(q: QresyncParameter): string {
  if (!Number.isInteger(q.uidValidity) || q.uidValidity < 1 || q.uidValidity > 0xffffffff) throw new TypeError('bad QRESYNC uidvalidity');
  if (typeof q.modseq !== 'bigint' || q.modseq < 1n || q.modseq > MAX_MODSEQ) throw new TypeError('bad QRESYNC mod-sequence');
  let s = `QRESYNC (${q.uidValidity} ${q.modseq}`;
  if (q.knownUids !== null) s += ` ${q.knownUids.toString()}`;
  if (q.seqMatch !== null) {
    if (q.knownUids === null) throw new TypeError('QRESYNC seq-match data needs known UIDs');
    s += ` (${q.seqMatch.sequences.toString()} ${q.seqMatch.uids.toString()})`;
  }
  return `${s})`;
}

function writeListReturn(opts: readonly ListReturnOption[]): string {
  return ` RETURN (${opts
    .map((o) => {
      if (typeof o === 'string') {
        if (!LIST_RETURN.has(o)) throw new TypeError(`unknown LIST return option ${o}`);
        return o;
      }
      return `STATUS (${o.status.map((i) => atomOrThrow(i, 'status item')).join(' ')})`;
    })
    .join(' ')})`;
}

function writeSort(sort: readonly SortCriterion[]): string {
  if (sort.length === 0) throw new TypeError('SORT needs at least one criterion');
  return `(${sort
    .map((c) => {
      if (!SORT_KEYS.has(c.key)) throw new TypeError(`unknown SORT criterion ${c.key}`);
      return c.reverse ? `REVERSE ${c.key}` : c.key;
    })
    .join(' ')})`;
}

function checkNumber64(n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new TypeError(`bad ${what} ${n}`);
  return n;
}

/**
 * Encodes a command into fragments. Send each fragment's bytes in order; after a fragment
 * with `waitForContinuation`, wait for the server's `+` before sending the next one.
 *
 * @example
 * ```ts
 * import { imap } from 'mailwire';
 * imap.encodeCommand({ tag: 'A1', command: 'LOGIN', user: 'smith', password: 'sesame' });
 * // [{ data: "A1 LOGIN smith sesame\r\n", waitForContinuation: false }]
 * ```
 */
export function encodeCommand(cmd: Command, options: EncodeCommandOptions = {}): CommandFragment[] {
  const w = new CommandWriter(options);
  if (!isValidTag(cmd.tag)) throw new TypeError(`bad tag "${cmd.tag}"`);
  w.raw(`${cmd.tag} `);
  switch (cmd.command) {
    case 'CAPABILITY':
    case 'NOOP':
    case 'LOGOUT':
    case 'STARTTLS':
    case 'IDLE':
    case 'CHECK':
    case 'CLOSE':
    case 'UNSELECT':
    case 'NAMESPACE':
    case 'EXPUNGE':
    case 'UNAUTHENTICATE':
      w.raw(cmd.command);
      break;
    case 'LOGIN':
      w.raw('LOGIN ').astring(cmd.user).raw(' ').astring(cmd.password);
      break;
    case 'AUTHENTICATE':
      w.raw(`AUTHENTICATE ${atomOrThrow(cmd.mechanism, 'SASL mechanism')}`);
      if (cmd.initialResponse !== null) w.raw(` ${atomOrThrow(cmd.initialResponse, 'initial response')}`);
      break;
    case 'ENABLE':
      w.raw(['ENABLE', ...cmd.capabilities.map((c) => atomOrThrow(c, 'capability'))].join(' '));
      break;
    case 'SELECT':
    case 'EXAMINE': {
      w.raw(`${cmd.command} `).mailbox(cmd.mailbox);
      const params: string[] = [];
      if (cmd.condstore) params.push('CONDSTORE');
      if (cmd.qresync) params.push(writeQresync(cmd.qresync));
      if (params.length > 0) w.raw(` (${params.join(' ')})`);
      break;
    }
    case 'CREATE':
      w.raw('CREATE ').mailbox(cmd.mailbox);
      if (cmd.use !== undefined) w.raw(` (USE ${flagList(cmd.use)})`);
      break;
    case 'DELETE':
    case 'SUBSCRIBE':
    case 'UNSUBSCRIBE':
    case 'GETQUOTAROOT':
    case 'MYRIGHTS':
    case 'GETACL':
      w.raw(`${cmd.command} `).mailbox(cmd.mailbox);
      break;
    case 'RENAME':
      w.raw('RENAME ').mailbox(cmd.from).raw(' ').mailbox(cmd.to);
      break;
    case 'LIST':
    case 'LSUB': {
      const extended = cmd.selection !== undefined || cmd.returnOptions !== undefined || typeof cmd.pattern !== 'string';
      if (cmd.command === 'LSUB' && extended) throw new TypeError('LSUB takes no selection, RETURN or pattern list');
      w.raw(`${cmd.command} `);
      if (cmd.selection !== undefined) {
        for (const o of cmd.selection) if (!LIST_SELECTION.has(o)) throw new TypeError(`unknown LIST selection option ${o}`);
        w.raw(`(${cmd.selection.join(' ')}) `);
      }
      w.mailbox(cmd.reference).raw(' ');
      if (typeof cmd.pattern === 'string') listPattern(w, cmd.pattern);
      else {
        if (cmd.pattern.length === 0) throw new TypeError('LIST needs at least one pattern');
        w.raw('(');
        cmd.pattern.forEach((p, i) => (i > 0 && w.raw(' '), listPattern(w, p)));
        w.raw(')');
      }
      if (cmd.returnOptions !== undefined) w.raw(writeListReturn(cmd.returnOptions));
      break;
    }
    case 'STATUS':
      w.raw('STATUS ').mailbox(cmd.mailbox).raw(` (${cmd.items.map((i) => atomOrThrow(i, 'status item')).join(' ')})`);
      break;
    case 'APPEND':
      if (cmd.messages.length === 0) throw new TypeError('APPEND needs a message');
      w.raw('APPEND ').mailbox(cmd.mailbox);
      for (const m of cmd.messages) {
        w.raw(' ');
        writeAppendMessage(w, m);
      }
      break;
    case 'FETCH': {
      w.raw(`${cmd.uid ? 'UID ' : ''}FETCH ${formatSequenceSet(cmd.set)} `);
      const names = cmd.items.map(formatFetchItem);
      if (names.length === 0) throw new TypeError('FETCH needs items');
      const macro = cmd.items.some((i) => i.item === 'ALL' || i.item === 'FAST' || i.item === 'FULL');
      if (macro && names.length > 1) throw new TypeError('a FETCH macro (ALL, FAST, FULL) must be the only item');
      const mods: string[] = [];
      if (cmd.changedSince !== undefined) {
        if (typeof cmd.changedSince !== 'bigint' || cmd.changedSince < 1n || cmd.changedSince > MAX_MODSEQ) throw new TypeError('bad CHANGEDSINCE');
        mods.push(`CHANGEDSINCE ${cmd.changedSince}`);
      }
      if (cmd.vanished) {
        if (!cmd.uid || cmd.changedSince === undefined) throw new TypeError('VANISHED needs UID FETCH with CHANGEDSINCE (RFC 7162 3.2.6)');
        mods.push('VANISHED');
      }
      // A macro goes bare (it must); other items always in parentheses, as mailwire always wrote them.
      w.raw(macro ? names[0]! : `(${names.join(' ')})`);
      if (mods.length > 0) w.raw(` (${mods.join(' ')})`);
      break;
    }
    case 'STORE': {
      const op = cmd.operation === 'add' ? '+' : cmd.operation === 'remove' ? '-' : '';
      w.raw(`${cmd.uid ? 'UID ' : ''}STORE ${formatSequenceSet(cmd.set)} `);
      if (cmd.unchangedSince !== null) {
        if (typeof cmd.unchangedSince !== 'bigint' || cmd.unchangedSince < 0n || cmd.unchangedSince > MAX_MODSEQ) throw new TypeError('bad UNCHANGEDSINCE');
        w.raw(`(UNCHANGEDSINCE ${cmd.unchangedSince}) `);
      }
      w.raw(`${op}FLAGS${cmd.silent ? '.SILENT' : ''} ${flagList(cmd.flags)}`);
      break;
    }
    case 'COPY':
    case 'MOVE':
      w.raw(`${cmd.uid ? 'UID ' : ''}${cmd.command} ${formatSequenceSet(cmd.set)} `).mailbox(cmd.mailbox);
      break;
    case 'SEARCH':
      w.raw(`${cmd.uid ? 'UID ' : ''}SEARCH`);
      writeSearchReturn(w, cmd.returnOptions);
      if (cmd.charset !== null) w.raw(' CHARSET ').astring(cmd.charset);
      w.raw(' ');
      writeSearchCriteria(w, cmd.criteria);
      break;
    case 'SORT':
      w.raw(`${cmd.uid ? 'UID ' : ''}SORT`);
      writeSearchReturn(w, cmd.returnOptions);
      w.raw(` ${writeSort(cmd.sort)} `).astring(cmd.charset).raw(' ');
      writeSearchCriteria(w, cmd.criteria);
      break;
    case 'THREAD':
      w.raw(`${cmd.uid ? 'UID ' : ''}THREAD ${atomOrThrow(cmd.algorithm, 'THREAD algorithm')} `).astring(cmd.charset).raw(' ');
      writeSearchCriteria(w, cmd.criteria);
      break;
    case 'UID EXPUNGE':
      w.raw(`UID EXPUNGE ${formatSequenceSet(cmd.set)}`);
      break;
    case 'ID':
      if (cmd.params === null) w.raw('ID NIL');
      else {
        w.raw('ID (');
        Object.entries(cmd.params).forEach(([k, v], i) => {
          if (i > 0) w.raw(' ');
          w.string(k).raw(' ');
          if (v === null) w.raw('NIL');
          else w.string(v);
        });
        w.raw(')');
      }
      break;
    case 'GETQUOTA':
      w.raw('GETQUOTA ').string(cmd.root);
      break;
    case 'SETQUOTA':
      w.raw('SETQUOTA ').string(cmd.root).raw(` (${cmd.limits.map((l) => `${atomOrThrow(l.resource, 'quota resource')} ${checkNumber64(l.limit, 'quota limit')}`).join(' ')})`);
      break;
    case 'SETACL': {
      const prefix = cmd.mode === 'add' ? '+' : cmd.mode === 'remove' ? '-' : '';
      if (cmd.mode === 'set' && /^[+-]/.test(cmd.rights)) throw new TypeError('rights to set must not start with + or -');
      w.raw('SETACL ').mailbox(cmd.mailbox).raw(' ').astring(cmd.identifier).raw(' ').astring(prefix + cmd.rights);
      break;
    }
    case 'DELETEACL':
    case 'LISTRIGHTS':
      w.raw(`${cmd.command} `).mailbox(cmd.mailbox).raw(' ').astring(cmd.identifier);
      break;
    case 'GETMETADATA': {
      w.raw('GETMETADATA ');
      const opts: string[] = [];
      if (cmd.maxSize !== null) opts.push(`MAXSIZE ${checkNumber64(cmd.maxSize, 'MAXSIZE')}`);
      if (cmd.depth !== null) {
        if (cmd.depth !== '0' && cmd.depth !== '1' && cmd.depth !== 'infinity') throw new TypeError(`bad DEPTH ${String(cmd.depth)}`);
        opts.push(`DEPTH ${cmd.depth}`);
      }
      if (opts.length > 0) w.raw(`(${opts.join(' ')}) `);
      w.mailbox(cmd.mailbox).raw(' ');
      if (cmd.entries.length === 0) throw new TypeError('GETMETADATA needs an entry');
      if (cmd.entries.length === 1) w.astring(cmd.entries[0]!);
      else {
        w.raw('(');
        cmd.entries.forEach((e, i) => (i > 0 && w.raw(' '), w.astring(e)));
        w.raw(')');
      }
      break;
    }
    case 'SETMETADATA':
      if (cmd.entries.length === 0) throw new TypeError('SETMETADATA needs an entry');
      w.raw('SETMETADATA ').mailbox(cmd.mailbox).raw(' (');
      cmd.entries.forEach((e, i) => {
        if (i > 0) w.raw(' ');
        w.astring(e.entry).raw(' ');
        if (e.value === null) w.raw('NIL');
        else if (!(e.value instanceof Uint8Array)) throw new TypeError('metadata values are bytes');
        else if (e.value.includes(0)) w.literal(e.value, true);
        else w.string(e.value);
      });
      w.raw(')');
      break;
    case 'COMPRESS':
      w.raw(`COMPRESS ${atomOrThrow(cmd.mechanism, 'compression mechanism')}`);
      break;
    case 'UNKNOWN':
      atomOrThrow(cmd.name, 'command name');
      assertNoLineBreak(cmd.text, cmd.name);
      if (cmd.text.includes('\0')) throw new TypeError('command text must not contain NUL');
      w.raw(cmd.text === '' ? cmd.name : `${cmd.name} ${cmd.text}`);
      break;
    default:
      throw new TypeError(`unknown command ${String((cmd as { command: unknown }).command)}`);
  }
  return w.finish();
}

/** Options for parsing commands. */
export interface ParseCommandOptions extends LexerLimits {
  /** UTF8=ACCEPT is enabled: mailbox names are UTF-8, not modified UTF-7. */
  readonly utf8Accept?: boolean;
}

function astr(v: Value, lx: Lexer): string {
  const s = stringValue(v);
  if (s === null) throw lx.error('expected a string');
  return s;
}

function mbox(v: Value, lx: Lexer, opts: ParseCommandOptions): string {
  const s = astr(v, lx);
  if (s.toUpperCase() === 'INBOX') return 'INBOX';
  if (opts.utf8Accept) return s;
  try {
    return decodeMailboxName(s);
  } catch (e) {
    throw lx.error(`mailbox name is not valid modified UTF-7: ${(e as Error).message}`);
  }
}

function num(v: Value | undefined, lx: Lexer, what: string, max = Number.MAX_SAFE_INTEGER, min = 0): number {
  const t = v ? stringValue(v) : null;
  if (t === null || v!.kind === 'string' || !/^\d{1,16}$/.test(t) || Number(t) > max || Number(t) < min) throw lx.error(`${what} needs a number`);
  return Number(t);
}

function big(v: Value | undefined, lx: Lexer, what: string, min = 0n): bigint {
  const t = v ? stringValue(v) : null;
  if (t === null || v!.kind === 'string' || !/^\d{1,20}$/.test(t) || BigInt(t) > MAX_MODSEQ || BigInt(t) < min) throw lx.error(`${what} needs a mod-sequence`);
  return BigInt(t);
}

function atomOf(v: Value | undefined): string | null {
  if (!v) return null;
  if (v.kind === 'atom') return v.value.toUpperCase();
  if (v.kind === 'number') return v.text;
  return null;
}

function seqOf(v: Value | undefined, lx: Lexer, what: string): SequenceSet {
  const t = atomOf(v);
  const s = t === null ? null : SequenceSet.parse(t);
  if (!s) throw lx.error(`${what} needs a sequence set`);
  return s;
}

function listOf(lx: Lexer, what: string): readonly Value[] {
  if (lx.peek() !== 0x28) throw lx.error(`${what} must be a parenthesised list`);
  const l = lx.value();
  return l.kind === 'list' ? l.items : [];
}

function qresyncOf(v: Value | undefined, lx: Lexer): QresyncParameter {
  if (!v || v.kind !== 'list' || v.items.length < 2 || v.items.length > 4) throw lx.error('QRESYNC needs (uidvalidity modseq [known-uids [seq-match]])');
  const [u, m, k, sm] = v.items;
  let seqMatch: QresyncParameter['seqMatch'] = null;
  if (sm !== undefined) {
    if (sm.kind !== 'list' || sm.items.length !== 2) throw lx.error('QRESYNC seq-match data needs (sequences uids)');
    seqMatch = { sequences: seqOf(sm.items[0], lx, 'QRESYNC'), uids: seqOf(sm.items[1], lx, 'QRESYNC') };
  }
  return { uidValidity: num(u, lx, 'QRESYNC uidvalidity', 0xffffffff, 1), modseq: big(m, lx, 'QRESYNC', 1n), knownUids: k === undefined ? null : seqOf(k, lx, 'QRESYNC known UIDs'), seqMatch };
}

function flagsOf(v: Value, lx: Lexer): string[] {
  if (v.kind !== 'list') throw lx.error('expected a flag list');
  return v.items.map((x) => {
    if (x.kind !== 'atom' && x.kind !== 'number') throw lx.error('flags are atoms');
    return x.kind === 'atom' ? x.value : x.text;
  });
}

function readPattern(lx: Lexer, opts: ParseCommandOptions): string {
  const c = lx.peek();
  if (c === 0x22 || c === 0x7b) return mbox(lx.value(), lx, opts);
  let s = '';
  while (lx.peek() > 0x20 && lx.peek() !== 0x28 && lx.peek() !== 0x29 && lx.peek() !== 0x22 && lx.peek() !== 0x7f) {
    s += String.fromCharCode(lx.peek());
    lx.accept(lx.peek());
  }
  if (s === '') throw lx.error('LIST needs a pattern');
  return opts.utf8Accept ? s : decodeMailboxName(s);
}

function readAppendMessage(lx: Lexer): AppendMessage {
  let flags: string[] | null = null;
  let date: string | null = null;
  if (lx.peek() === 0x28) {
    flags = flagsOf(lx.value(), lx);
    lx.sp();
  }
  if (lx.peek() === 0x22) {
    date = astr(lx.value(), lx);
    if (!/^[ \d]\d-[A-Za-z]{3}-\d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/.test(date)) throw lx.error('bad APPEND date-time');
    lx.sp();
  }
  const msg = lx.value();
  if (msg.kind !== 'string' || msg.form === 'quoted') throw lx.error('APPEND message must be a literal');
  return { flags, date, message: msg.value, binary: msg.form === 'literal8' };
}

function readSortCriteria(lx: Lexer): SortCriterion[] {
  lx.expect(0x28);
  const out: SortCriterion[] = [];
  do {
    let k = lx.atom().toUpperCase();
    const reverse = k === 'REVERSE';
    if (reverse) {
      lx.sp();
      k = lx.atom().toUpperCase();
    }
    if (!SORT_KEYS.has(k)) throw lx.error(`unknown sort criterion ${k.slice(0, 20)}`);
    out.push({ key: k as SortCriterion['key'], reverse });
  } while (lx.accept(0x20));
  lx.expect(0x29);
  return out;
}

function restText(lx: Lexer): string {
  return lx.peek() === 0x20 ? lx.text().slice(1) : lx.text();
}

/** Reads one framed command; a ProtocolError carrying the tag (when read) for bad ones. */
export function readCommand(unit: FramedUnit, options: ParseCommandOptions = {}): Command | ProtocolError {
  const lx = new Lexer(unit, { ...options, bracketInAtom: true });
  let tag: string | undefined;
  try {
    const t = lx.atom();
    if (!isValidTag(t)) throw lx.error('command must start with a tag');
    tag = t;
    lx.sp();
    let name = lx.atom().toUpperCase();
    let uid = false;
    if (name === 'UID') {
      uid = true;
      lx.sp();
      name = lx.atom().toUpperCase();
    }
    if (uid && !UID_COMMANDS.has(name)) throw lx.error(`unknown command UID ${name.slice(0, 20)}`);
    const end = () => {
      if (!lx.atEnd()) throw lx.error(`unexpected text after ${name}`);
    };
    switch (name) {
      case 'CAPABILITY':
      case 'NOOP':
      case 'LOGOUT':
      case 'STARTTLS':
      case 'IDLE':
      case 'CHECK':
      case 'CLOSE':
      case 'UNSELECT':
      case 'NAMESPACE':
      case 'UNAUTHENTICATE':
        end();
        return { tag, command: name };
      case 'EXPUNGE':
        if (uid) {
          lx.sp();
          const set = readSequenceSet(lx);
          end();
          return { tag, command: 'UID EXPUNGE', set };
        }
        end();
        return { tag, command: 'EXPUNGE' };
      case 'LOGIN': {
        lx.sp();
        const user = astr(lx.value(), lx);
        lx.sp();
        const password = astr(lx.value(), lx);
        end();
        return { tag, command: 'LOGIN', user, password };
      }
      case 'AUTHENTICATE': {
        lx.sp();
        const mechanism = lx.atom().toUpperCase();
        if (mechanism === '') throw lx.error('AUTHENTICATE needs a mechanism');
        const ir = lx.accept(0x20) ? lx.atom() : null;
        end();
        return { tag, command: 'AUTHENTICATE', mechanism, initialResponse: ir };
      }
      case 'ENABLE': {
        const caps: string[] = [];
        while (lx.accept(0x20)) caps.push(lx.atom());
        if (caps.length === 0 || caps.includes('')) throw lx.error('ENABLE needs capabilities');
        end();
        return { tag, command: 'ENABLE', capabilities: caps };
      }
      case 'SELECT':
      case 'EXAMINE': {
        lx.sp();
        const mailbox = mbox(lx.value(), lx, options);
        let condstore = false;
        let qresync: QresyncParameter | undefined;
        if (lx.accept(0x20)) {
          const params = listOf(lx, `${name} parameters`);
          for (let i = 0; i < params.length; i++) {
            const p = atomOf(params[i]);
            if (p === 'CONDSTORE' && !condstore) condstore = true;
            else if (p === 'QRESYNC' && !qresync) qresync = qresyncOf(params[++i], lx);
            else throw lx.error(`unknown ${name} parameter`);
          }
        }
        end();
        return { tag, command: name, mailbox, ...(condstore ? { condstore } : {}), ...(qresync ? { qresync } : {}) };
      }
      case 'CREATE': {
        lx.sp();
        const mailbox = mbox(lx.value(), lx, options);
        let use: string[] | undefined;
        if (lx.accept(0x20)) {
          const params = listOf(lx, 'CREATE parameters');
          if (params.length !== 2 || atomOf(params[0]) !== 'USE') throw lx.error('unknown CREATE parameter');
          use = flagsOf(params[1]!, lx);
        }
        end();
        return use ? { tag, command: 'CREATE', mailbox, use } : { tag, command: 'CREATE', mailbox };
      }
      case 'DELETE':
      case 'SUBSCRIBE':
      case 'UNSUBSCRIBE':
      case 'GETQUOTAROOT':
      case 'MYRIGHTS':
      case 'GETACL': {
        lx.sp();
        const mailbox = mbox(lx.value(), lx, options);
        end();
        return { tag, command: name, mailbox };
      }
      case 'RENAME': {
        lx.sp();
        const from = mbox(lx.value(), lx, options);
        lx.sp();
        const to = mbox(lx.value(), lx, options);
        end();
        return { tag, command: 'RENAME', from, to };
      }
      case 'LIST':
      case 'LSUB': {
        lx.sp();
        let selection: ListSelectionOption[] | undefined;
        if (name === 'LIST' && lx.peek() === 0x28) {
          selection = listOf(lx, 'LIST selection options').map((v) => {
            const o = atomOf(v);
            if (o === null || !LIST_SELECTION.has(o)) throw lx.error('unknown LIST selection option');
            return o as ListSelectionOption;
          });
          lx.sp();
        }
        const reference = mbox(lx.value(), lx, options);
        lx.sp();
        let pattern: string | string[];
        if (name === 'LIST' && lx.accept(0x28)) {
          pattern = [readPattern(lx, options)];
          while (lx.accept(0x20)) pattern.push(readPattern(lx, options));
          lx.expect(0x29);
        } else pattern = readPattern(lx, options);
        let returnOptions: ListReturnOption[] | undefined;
        if (name === 'LIST' && lx.accept(0x20)) {
          if (lx.atom().toUpperCase() !== 'RETURN') throw lx.error('expected RETURN');
          lx.sp();
          const items = listOf(lx, 'LIST RETURN options');
          returnOptions = [];
          for (let i = 0; i < items.length; i++) {
            const o = atomOf(items[i]);
            if (o === 'STATUS') {
              const st = items[++i];
              if (!st || st.kind !== 'list' || st.items.length === 0) throw lx.error('STATUS return option needs items');
              returnOptions.push({ status: st.items.map((x) => atomOf(x) ?? '') });
              if (returnOptions.some((r) => typeof r !== 'string' && r.status.includes(''))) throw lx.error('bad STATUS item');
            } else if (o !== null && LIST_RETURN.has(o)) returnOptions.push(o as ListReturnOption);
            else throw lx.error('unknown LIST return option');
          }
        }
        end();
        return { tag, command: name, ...(selection ? { selection } : {}), reference, pattern, ...(returnOptions ? { returnOptions } : {}) };
      }
      case 'STATUS': {
        lx.sp();
        const mailbox = mbox(lx.value(), lx, options);
        lx.sp();
        const items = listOf(lx, 'STATUS items').map((i) => atomOf(i) ?? '');
        if (items.length === 0 || items.includes('')) throw lx.error('STATUS needs item names');
        end();
        return { tag, command: 'STATUS', mailbox, items };
      }
      case 'APPEND': {
        lx.sp();
        const mailbox = mbox(lx.value(), lx, options);
        lx.sp();
        const messages = [readAppendMessage(lx)];
        while (lx.accept(0x20)) messages.push(readAppendMessage(lx));
        end();
        return { tag, command: 'APPEND', mailbox, messages };
      }
      case 'FETCH': {
        lx.sp();
        const set = readSequenceSet(lx);
        lx.sp();
        const texts = lx.peek() === 0x28 ? listOf(lx, 'FETCH items').map((x) => (x.kind === 'atom' ? x.value : '')) : [lx.atom()];
        const items: FetchItem[] = texts.map((t) => {
          const i = parseFetchItem(t);
          if (!i) throw lx.error(`unknown FETCH item "${t.slice(0, 30)}"`);
          return i;
        });
        if (items.length === 0) throw lx.error('FETCH needs items');
        if (items.length > 1 && items.some((i) => i.item === 'ALL' || i.item === 'FAST' || i.item === 'FULL')) throw lx.error('a FETCH macro must be the only item');
        let changedSince: bigint | undefined;
        let vanished = false;
        if (lx.accept(0x20)) {
          const mods = listOf(lx, 'FETCH modifiers');
          for (let i = 0; i < mods.length; i++) {
            const m = atomOf(mods[i]);
            if (m === 'CHANGEDSINCE' && changedSince === undefined) changedSince = big(mods[++i], lx, 'CHANGEDSINCE', 1n);
            else if (m === 'VANISHED' && !vanished) vanished = true;
            else throw lx.error('unknown FETCH modifier');
          }
          if (vanished && (!uid || changedSince === undefined)) throw lx.error('VANISHED needs UID FETCH with CHANGEDSINCE');
        }
        end();
        return { tag, command: 'FETCH', uid, set, items, ...(changedSince !== undefined ? { changedSince } : {}), ...(vanished ? { vanished } : {}) };
      }
      case 'STORE': {
        lx.sp();
        const set = readSequenceSet(lx);
        lx.sp();
        let unchangedSince: bigint | null = null;
        if (lx.peek() === 0x28) {
          const m = listOf(lx, 'STORE modifiers');
          if (m.length !== 2 || atomOf(m[0]) !== 'UNCHANGEDSINCE') throw lx.error('bad STORE modifier');
          unchangedSince = big(m[1], lx, 'UNCHANGEDSINCE');
          lx.sp();
        }
        const item = lx.atom().toUpperCase();
        const m = /^([+-]?)FLAGS(\.SILENT)?$/.exec(item);
        if (!m) throw lx.error(`bad STORE item "${item.slice(0, 20)}"`);
        lx.sp();
        let flags: string[];
        if (lx.peek() === 0x28) flags = flagsOf(lx.value(), lx);
        else {
          flags = [];
          do flags.push(lx.atom());
          while (lx.accept(0x20));
          if (flags.includes('')) throw lx.error('bad flag');
        }
        end();
        return { tag, command: 'STORE', uid, set, operation: m[1] === '+' ? 'add' : m[1] === '-' ? 'remove' : 'set', silent: m[2] !== undefined, flags, unchangedSince };
      }
      case 'COPY':
      case 'MOVE': {
        lx.sp();
        const set = readSequenceSet(lx);
        lx.sp();
        const mailbox = mbox(lx.value(), lx, options);
        end();
        return { tag, command: name, uid, set, mailbox };
      }
      case 'SEARCH':
      case 'SORT':
      case 'THREAD': {
        lx.sp();
        let returnOptions: SearchReturnOption[] | undefined;
        let word: string | undefined;
        if (name !== 'THREAD' && lx.peek() !== 0x28) {
          word = lx.atom();
          if (word.toUpperCase() === 'RETURN') {
            lx.sp();
            returnOptions = readSearchReturn(lx);
            lx.sp();
            word = undefined;
          }
        }
        if (name === 'SEARCH') {
          let charset: string | null = null;
          if (word === undefined && lx.peek() !== 0x28) word = lx.atom();
          if (word !== undefined && word.toUpperCase() === 'CHARSET') {
            lx.sp();
            charset = astr(lx.value(), lx);
            lx.sp();
            word = undefined;
          }
          const criteria = readSearchCriteria(lx, word);
          return { tag, command: 'SEARCH', uid, ...(returnOptions ? { returnOptions } : {}), charset, criteria };
        }
        if (word !== undefined) throw lx.error(`${name} needs its criteria`);
        let sort: SortCriterion[] | undefined;
        let algorithm = '';
        if (name === 'SORT') sort = readSortCriteria(lx);
        else algorithm = lx.atom().toUpperCase();
        if (name === 'THREAD' && algorithm === '') throw lx.error('THREAD needs an algorithm');
        lx.sp();
        const charset = astr(lx.value(), lx);
        lx.sp();
        const criteria = readSearchCriteria(lx);
        if (sort) return { tag, command: 'SORT', uid, ...(returnOptions ? { returnOptions } : {}), sort, charset, criteria };
        return { tag, command: 'THREAD', uid, algorithm, charset, criteria };
      }
      case 'ID': {
        lx.sp();
        const l = lx.value();
        end();
        if (l.kind === 'nil') return { tag, command: 'ID', params: null };
        if (l.kind !== 'list' || l.items.length % 2 !== 0) throw lx.error('ID needs a list of pairs or NIL');
        const params: Record<string, string | null> = {};
        for (let i = 0; i + 1 < l.items.length; i += 2) {
          const k = l.items[i]!;
          const v = l.items[i + 1]!;
          if (k.kind !== 'string' || (v.kind !== 'string' && v.kind !== 'nil')) throw lx.error('ID field names and values are strings');
          params[stringValue(k)!] = v.kind === 'nil' ? null : stringValue(v);
        }
        return { tag, command: 'ID', params };
      }
      case 'GETQUOTA': {
        lx.sp();
        const root = astr(lx.value(), lx);
        end();
        return { tag, command: 'GETQUOTA', root };
      }
      case 'SETQUOTA': {
        lx.sp();
        const root = astr(lx.value(), lx);
        lx.sp();
        const l = listOf(lx, 'SETQUOTA limits');
        if (l.length % 2 !== 0) throw lx.error('SETQUOTA needs resource limit pairs');
        const limits: { resource: string; limit: number }[] = [];
        for (let i = 0; i < l.length; i += 2) {
          const resource = atomOf(l[i]);
          if (resource === null) throw lx.error('SETQUOTA resource names are atoms');
          limits.push({ resource, limit: num(l[i + 1], lx, 'SETQUOTA limit') });
        }
        end();
        return { tag, command: 'SETQUOTA', root, limits };
      }
      case 'SETACL': {
        lx.sp();
        const mailbox = mbox(lx.value(), lx, options);
        lx.sp();
        const identifier = astr(lx.value(), lx);
        lx.sp();
        const r = astr(lx.value(), lx);
        end();
        const mode = r.startsWith('+') ? 'add' : r.startsWith('-') ? 'remove' : 'set';
        return { tag, command: 'SETACL', mailbox, identifier, mode, rights: mode === 'set' ? r : r.slice(1) };
      }
      case 'DELETEACL':
      case 'LISTRIGHTS': {
        lx.sp();
        const mailbox = mbox(lx.value(), lx, options);
        lx.sp();
        const identifier = astr(lx.value(), lx);
        end();
        return { tag, command: name, mailbox, identifier };
      }
      case 'GETMETADATA': {
        lx.sp();
        let maxSize: number | null = null;
        let depth: '0' | '1' | 'infinity' | null = null;
        let seenOptions = false;
        const readOptions = (l: readonly Value[]) => {
          seenOptions = true;
          for (let i = 0; i < l.length; i++) {
            const o = atomOf(l[i]);
            if (o === 'MAXSIZE' && maxSize === null) maxSize = num(l[++i], lx, 'MAXSIZE');
            else if (o === 'DEPTH' && depth === null) {
              const d = atomOf(l[++i])?.toLowerCase();
              if (d !== '0' && d !== '1' && d !== 'infinity') throw lx.error('DEPTH is 0, 1 or infinity');
              depth = d;
            } else throw lx.error('unknown GETMETADATA option');
          }
        };
        if (lx.peek() === 0x28) {
          readOptions(listOf(lx, 'GETMETADATA options'));
          lx.sp();
        }
        const mailbox = mbox(lx.value(), lx, options);
        lx.sp();
        let entries: string[];
        if (lx.peek() === 0x28) {
          let l = listOf(lx, 'GETMETADATA entries');
          // RFC 5464's examples put the options after the mailbox name; accept that too.
          if (!seenOptions && (atomOf(l[0]) === 'MAXSIZE' || atomOf(l[0]) === 'DEPTH')) {
            readOptions(l);
            lx.sp();
            l = lx.peek() === 0x28 ? listOf(lx, 'GETMETADATA entries') : [lx.value()];
          }
          entries = l.map((v) => astr(v, lx));
        } else entries = [astr(lx.value(), lx)];
        if (entries.length === 0) throw lx.error('GETMETADATA needs entries');
        end();
        return { tag, command: 'GETMETADATA', mailbox, entries, maxSize, depth };
      }
      case 'SETMETADATA': {
        lx.sp();
        const mailbox = mbox(lx.value(), lx, options);
        lx.sp();
        const l = listOf(lx, 'SETMETADATA entries');
        if (l.length === 0 || l.length % 2 !== 0) throw lx.error('SETMETADATA needs entry value pairs');
        const entries: { entry: string; value: Uint8Array | null }[] = [];
        for (let i = 0; i < l.length; i += 2) {
          const v = l[i + 1]!;
          if (v.kind !== 'nil' && v.kind !== 'string') throw lx.error('a metadata value is a string, literal or NIL');
          entries.push({ entry: astr(l[i]!, lx), value: v.kind === 'nil' ? null : v.value });
        }
        end();
        return { tag, command: 'SETMETADATA', mailbox, entries };
      }
      case 'COMPRESS': {
        lx.sp();
        const mechanism = lx.atom().toUpperCase();
        if (mechanism === '') throw lx.error('COMPRESS needs a mechanism');
        end();
        return { tag, command: 'COMPRESS', mechanism };
      }
      default:
        if (name === '') throw lx.error('command name missing');
        return { tag, command: 'UNKNOWN', name, text: restText(lx) };
    }
  } catch (e) {
    const err = e instanceof ProtocolError ? e : new ProtocolError('SYNTAX', e instanceof Error ? e.message : String(e));
    return new ProtocolError(err.code, err.message, { offset: err.offset, tag: tag !== '' ? tag : undefined });
  }
}

/** Parses one complete command (CRLFs and literals inline), e.g. for tests and tools. */
export function parseCommand(input: string | Uint8Array, options: ParseCommandOptions = {}): Command | ProtocolError {
  const unit = frameUnit(input);
  return unit instanceof ProtocolError ? unit : readCommand(unit, options);
}
