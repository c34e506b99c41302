/**
 * A minimal IMAP server over one in-memory INBOX: node:net plus mailwire's imap.ServerSession.
 * CAPABILITY, NOOP, LOGIN, LIST, SELECT/EXAMINE, [UID] FETCH (FLAGS, UID, INTERNALDATE,
 * RFC822.SIZE, ENVELOPE, BODY[], BODY[HEADER], BODY[TEXT], RFC822*, partial ranges),
 * [UID] STORE, [UID] SEARCH (ALL and flag keys), APPEND, EXPUNGE, CLOSE, LOGOUT.
 * Messages come from --dir (one file per message) and from APPEND. Listens on 127.0.0.1.
 *
 *   npx tsx examples/imap-server.ts [--port 1143] [--user u --password p] [--dir ./messages] [--lifetime ms]
 */
import net from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { imap } from 'mailwire';
import type { Command, FetchAttributes, FetchItem, SearchKey, SequenceSetOrSaved, UntaggedData, UntaggedResponse } from 'mailwire/imap';
import { opt } from './args';
import { bodyOffset, envelope } from './message';

interface Message { uid: number; flags: Set<string>; data: Uint8Array; date: Date }
const inbox: Message[] = [];
const uidValidity = Math.floor(Date.now() / 1000);
let uidNext = 1;
const add = (data: Uint8Array, flags: readonly string[] = []) => inbox.push({ uid: uidNext++, flags: new Set(flags), data, date: new Date() });
const dir = opt('dir');
if (dir) for (const f of readdirSync(dir).sort()) add(readFileSync(path.join(dir, f)));
const user = opt('user');
const password = opt('password');
const FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'];

const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');
const internalDate = (d: Date) => `${String(d.getUTCDate()).padStart(2, '0')}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${d.toISOString().slice(11, 19)} +0000`;

/** The messages a sequence set names, with their 1-based sequence numbers. */
function select(set: SequenceSetOrSaved, uid: boolean): [number, Message][] {
  if (set === '$') return [];
  const maxUid = inbox.length ? inbox[inbox.length - 1]!.uid : 0;
  return inbox.map((m, i) => [i + 1, m] as [number, Message]).filter(([seq, m]) => (uid ? set.contains(m.uid, maxUid) : set.contains(seq, inbox.length)));
}

/** FETCH attributes of one message; `undefined` for an item this example does not serve. */
function fetch(m: Message, items: readonly FetchItem[], uid: boolean, readOnly: boolean): FetchAttributes | undefined {
  const a: { -readonly [K in keyof FetchAttributes]: FetchAttributes[K] } = uid ? { uid: m.uid } : {};
  const sections: NonNullable<FetchAttributes['sections']>[number][] = [];
  const macro: Record<string, string[]> = { ALL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'], FAST: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'] };
  const expanded = items.flatMap((i) => (i.item === 'ALL' || i.item === 'FAST' ? macro[i.item]!.map((item) => ({ item }) as FetchItem) : [i]));
  const body = bodyOffset(m.data);
  for (const it of expanded) {
    if (it.item === 'UID') a.uid = m.uid;
    else if (it.item === 'FLAGS') a.flags = [...m.flags];
    else if (it.item === 'INTERNALDATE') a.internalDateText = internalDate(m.date);
    else if (it.item === 'RFC822.SIZE') a.rfc822Size = m.data.length;
    else if (it.item === 'ENVELOPE') a.envelope = envelope(m.data);
    else if (it.item === 'RFC822' || it.item === 'RFC822.HEADER' || it.item === 'RFC822.TEXT') {
      const data = it.item === 'RFC822' ? m.data : it.item === 'RFC822.HEADER' ? m.data.subarray(0, body) : m.data.subarray(body);
      sections.push({ name: it.item, section: '', origin: null, data });
      if (it.item !== 'RFC822.HEADER' && !readOnly) m.flags.add('\\Seen');
    } else if (it.item === 'BODY[]' && it.section.part.length === 0 && it.section.text !== 'HEADER.FIELDS' && it.section.text !== 'HEADER.FIELDS.NOT') {
      let data = it.section.text === 'HEADER' ? m.data.subarray(0, body) : it.section.text === 'TEXT' ? m.data.subarray(body) : m.data;
      if (it.partial) data = data.subarray(it.partial.offset, it.partial.offset + it.partial.length);
      const section = imap.formatFetchSection(it.section);
      sections.push({ name: `BODY[${section}]${it.partial ? `<${it.partial.offset}>` : ''}`, section, origin: it.partial?.offset ?? null, data });
      if (!it.peek && !readOnly) m.flags.add('\\Seen');
    } else return undefined;
  }
  // Setting \Seen implicitly reports the new flags (RFC 3501 6.4.5).
  if (sections.length > 0 && !a.flags && m.flags.has('\\Seen')) a.flags = [...m.flags];
  return { ...a, sections };
}

function matches(m: Message, seq: number, k: SearchKey): boolean {
  const flag = (f: string) => m.flags.has(f);
  switch (k.key) {
    case 'ALL': return true;
    case 'SEEN': case 'DELETED': case 'FLAGGED': case 'ANSWERED': case 'DRAFT': return flag(`\\${k.key[0]}${k.key.slice(1).toLowerCase()}`);
    case 'UNSEEN': case 'UNDELETED': case 'UNFLAGGED': case 'UNANSWERED': case 'UNDRAFT': return !flag(`\\${k.key[2]}${k.key.slice(3).toLowerCase()}`);
    case 'NEW': case 'RECENT': case 'OLD': return k.key === 'OLD';
    case 'SEQUENCE': return k.set !== '$' && k.set.contains(seq, inbox.length);
    case 'UID': return k.set !== '$' && k.set.contains(m.uid, inbox[inbox.length - 1]?.uid ?? 0);
    case 'NOT': return !matches(m, seq, k.criterion);
    case 'AND': return k.criteria.every((x) => matches(m, seq, x));
    case 'OR': return matches(m, seq, k.left) || matches(m, seq, k.right);
    default: throw new Error(`SEARCH ${k.key} is not supported by this example`);
  }
}

/** Answers one command; `selected` is the connection's view (null, or read-only/read-write). */
function answer(s: imap.ServerSession, c: Command, conn: { selected: null | { readOnly: boolean } }): imap.ServerEvent[] {
  const untagged = (r: UntaggedData) => s.untagged({ type: 'untagged', ...r } as UntaggedResponse);
  switch (c.command) {
    case 'CAPABILITY': case 'NOOP': case 'CHECK': case 'LOGOUT':
      return s.ok(); // CAPABILITY's untagged line and LOGOUT's BYE come from the session
    case 'LOGIN':
      return user === undefined || (c.user === user && c.password === password) ? s.ok('LOGIN completed') : s.no('wrong user name or password', { name: 'AUTHENTICATIONFAILED', raw: '' });
    case 'LIST': case 'LSUB': {
      const pattern = `${c.reference}${typeof c.pattern === 'string' ? c.pattern : c.pattern.join('')}`;
      const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/%/g, '[^/]*')}$`, 'i');
      if (pattern === '') untagged({ kind: c.command, attributes: ['\\Noselect'], delimiter: '/', mailbox: '', extended: {} });
      else if (re.test('INBOX')) untagged({ kind: c.command, attributes: ['\\HasNoChildren'], delimiter: '/', mailbox: 'INBOX', extended: {} });
      return s.ok();
    }
    case 'SELECT': case 'EXAMINE': {
      if (c.mailbox.toUpperCase() !== 'INBOX') return s.no('no such mailbox', { name: 'NONEXISTENT', raw: '' });
      conn.selected = { readOnly: c.command === 'EXAMINE' };
      untagged({ kind: 'FLAGS', flags: FLAGS });
      untagged({ kind: 'EXISTS', number: inbox.length });
      untagged({ kind: 'RECENT', number: 0 });
      untagged({ kind: 'OK', code: { name: 'UIDVALIDITY', raw: String(uidValidity), number: uidValidity }, text: 'UIDs valid' });
      untagged({ kind: 'OK', code: { name: 'UIDNEXT', raw: String(uidNext), number: uidNext }, text: 'predicted next UID' });
      untagged({ kind: 'OK', code: { name: 'PERMANENTFLAGS', raw: `(${FLAGS.join(' ')})`, list: FLAGS }, text: 'flags permitted' });
      return conn.selected.readOnly ? s.ok('EXAMINE completed', { name: 'READ-ONLY', raw: '' }) : s.ok('SELECT completed', { name: 'READ-WRITE', raw: '' });
    }
    case 'APPEND': {
      if (c.mailbox.toUpperCase() !== 'INBOX') return s.no('no such mailbox', { name: 'TRYCREATE', raw: '' });
      const first = uidNext;
      for (const m of c.messages) add(m.message, m.flags ?? []);
      if (conn.selected) untagged({ kind: 'EXISTS', number: inbox.length });
      return s.ok('APPEND completed', { name: 'APPENDUID', raw: `${uidValidity} ${first === uidNext - 1 ? first : `${first}:${uidNext - 1}`}` });
    }
    case 'FETCH': {
      const found = select(c.set, c.uid).map(([seq, m]) => [seq, fetch(m, c.items, c.uid, conn.selected!.readOnly)] as const);
      if (found.some(([, a]) => a === undefined)) return s.bad('this example serves FLAGS, UID, INTERNALDATE, RFC822*, ENVELOPE and BODY[]/[HEADER]/[TEXT] only');
      for (const [seq, attributes] of found) untagged({ kind: 'FETCH', seq, attributes: attributes! });
      return s.ok('FETCH completed');
    }
    case 'STORE': {
      if (conn.selected!.readOnly) return s.no('mailbox is read-only');
      for (const [seq, m] of select(c.set, c.uid)) {
        if (c.operation === 'set') m.flags.clear();
        for (const f of c.flags) (c.operation === 'remove' ? m.flags.delete(f) : m.flags.add(f));
        if (!c.silent) untagged({ kind: 'FETCH', seq, attributes: c.uid ? { uid: m.uid, flags: [...m.flags] } : { flags: [...m.flags] } });
      }
      return s.ok('STORE completed');
    }
    case 'SEARCH': {
      try {
        const hits = inbox.map((m, i) => [i + 1, m] as const).filter(([seq, m]) => c.criteria.every((k) => matches(m, seq, k)));
        untagged({ kind: 'SEARCH', numbers: hits.map(([seq, m]) => (c.uid ? m.uid : seq)), modseq: null });
        return s.ok('SEARCH completed');
      } catch (e) {
        return s.no((e as Error).message);
      }
    }
    case 'EXPUNGE': case 'CLOSE': case 'UNSELECT': {
      if (c.command !== 'UNSELECT' && !conn.selected!.readOnly) {
        // Highest first, so every EXPUNGE number is still right when the client applies it.
        for (let i = inbox.length - 1; i >= 0; i--) {
          if (!inbox[i]!.flags.has('\\Deleted')) continue;
          inbox.splice(i, 1);
          if (c.command === 'EXPUNGE') untagged({ kind: 'EXPUNGE', number: i + 1 });
        }
      }
      if (c.command !== 'EXPUNGE') conn.selected = null;
      return s.ok();
    }
    default:
      return s.bad(`${c.command} is not supported by this example`);
  }
}

const server = net.createServer((socket) => {
  const s = new imap.ServerSession({ capabilities: ['IMAP4rev1', 'LITERAL+', 'UIDPLUS'] });
  const conn: { selected: null | { readOnly: boolean } } = { selected: null };
  let closing = false;
  const handle = (events: imap.ServerEvent[]): void => {
    for (const e of events) {
      if (e.type === 'command') handle(answer(s, e.command, conn));
      else if (e.type === 'closed') closing = true;
    }
  };
  const flush = () => {
    for (const b of s.takeOutput()) socket.write(b);
    if (closing) socket.end(); // after LOGOUT's BYE and OK
  };
  flush();
  socket.setTimeout(60_000, () => socket.destroy());
  socket.on('data', (chunk: Uint8Array) => {
    handle(s.receive(chunk));
    flush();
  });
  socket.on('end', () => socket.end());
  socket.on('error', () => socket.destroy());
});

server.listen(Number(opt('port', '1143')), '127.0.0.1', () => {
  const { port } = server.address() as net.AddressInfo;
  console.error(`imap-server listening on 127.0.0.1:${port} (${inbox.length} messages)`);
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(0));
setTimeout(() => process.exit(0), Number(opt('lifetime', '600000'))).unref();
