/**
 * A minimal IMAP server over one in-memory INBOX: node:net plus mailwire's imap.ServerSession.
 * CAPABILITY, NOOP, LOGIN, AUTHENTICATE PLAIN, LIST, SELECT/EXAMINE, STATUS, [UID] FETCH
 * (FLAGS, UID, INTERNALDATE, RFC822.SIZE, ENVELOPE, BODY[], BODY[HEADER(.FIELDS)], BODY[TEXT],
 * RFC822*, partial ranges), [UID] STORE, [UID] SEARCH (ALL, flags, sets, NOT/OR), APPEND,
 * EXPUNGE, CLOSE, LOGOUT. Messages come from --dir (one file per message) and from APPEND.
 * Listens on 127.0.0.1 only. The store itself is in mailbox.ts.
 *
 *   npx tsx examples/imap-server.ts [--port 1143] [--user u --password p] [--dir ./messages] [--lifetime ms]
 */
import net from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { imap, decodeInitialResponse, decodeSaslPlain, ProtocolError } from 'mailwire';
import type { Command, UntaggedData, UntaggedResponse } from 'mailwire/imap';
import { opt } from './args';
import { Mailbox } from './mailbox';

const inbox = new Mailbox();
const dir = opt('dir');
if (dir) for (const f of readdirSync(dir).sort()) inbox.add(readFileSync(path.join(dir, f)));
const user = opt('user');
const password = opt('password');
const FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'];

function login(s: imap.ServerSession, name: string, secret: string): imap.ServerEvent[] {
  const ok = user === undefined || (name === user && secret === password);
  return ok ? s.ok('authenticated') : s.no('wrong user name or password', { name: 'AUTHENTICATIONFAILED', raw: '' });
}
function plain(s: imap.ServerSession, response: Uint8Array | ProtocolError): imap.ServerEvent[] {
  const decoded = response instanceof ProtocolError ? response : decodeSaslPlain(response);
  const creds = decoded instanceof ProtocolError ? null : decoded;
  return creds ? login(s, creds.authcid, creds.password) : s.bad('malformed PLAIN response');
}

/** Answers one command; `selected` is the connection's view (null, or read-only/read-write). */
function answer(s: imap.ServerSession, c: Command, conn: { selected: null | { readOnly: boolean } }): imap.ServerEvent[] {
  const untagged = (r: UntaggedData) => s.untagged({ type: 'untagged', ...r } as UntaggedResponse);
  switch (c.command) {
    case 'CAPABILITY': case 'NOOP': case 'CHECK': case 'LOGOUT':
      return s.ok(); // CAPABILITY's untagged line and LOGOUT's BYE come from the session
    case 'LOGIN':
      return login(s, c.user, c.password);
    case 'AUTHENTICATE': {
      // PLAIN only: the credentials come with the command (SASL-IR) or after an empty "+ " challenge.
      if (c.mechanism.toUpperCase() !== 'PLAIN') return s.no('only AUTHENTICATE PLAIN here', { name: 'CANNOT', raw: '' });
      if (c.initialResponse === null) return s.challenge(new Uint8Array(0));
      return plain(s, decodeInitialResponse(c.initialResponse));
    }
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
      untagged({ kind: 'EXISTS', number: inbox.messages.length });
      untagged({ kind: 'RECENT', number: 0 });
      untagged({ kind: 'OK', code: { name: 'UIDVALIDITY', raw: String(inbox.uidValidity), number: inbox.uidValidity }, text: 'UIDs valid' });
      untagged({ kind: 'OK', code: { name: 'UIDNEXT', raw: String(inbox.uidNext), number: inbox.uidNext }, text: 'predicted next UID' });
      untagged({ kind: 'OK', code: { name: 'PERMANENTFLAGS', raw: `(${FLAGS.join(' ')})`, list: FLAGS }, text: 'flags permitted' });
      return conn.selected.readOnly ? s.ok('EXAMINE completed', { name: 'READ-ONLY', raw: '' }) : s.ok('SELECT completed', { name: 'READ-WRITE', raw: '' });
    }
    case 'APPEND': {
      if (c.mailbox.toUpperCase() !== 'INBOX') return s.no('no such mailbox', { name: 'TRYCREATE', raw: '' });
      // CATENATE parts (RFC 4469) and streamed stand-ins are not plain bytes: this example refuses them.
      const bodies = c.messages.map((m) => ('message' in m && m.message instanceof Uint8Array ? m.message : null));
      if (bodies.includes(null)) return s.no('this example takes plain literal messages only');
      const uids = c.messages.map((m, i) => inbox.add(bodies[i]!, m.flags ?? []));
      if (conn.selected) untagged({ kind: 'EXISTS', number: inbox.messages.length });
      return s.ok('APPEND completed', { name: 'APPENDUID', raw: `${inbox.uidValidity} ${imap.SequenceSet.from(uids)}` });
    }
    case 'FETCH': {
      const found = inbox.select(c.set, c.uid).map(([seq, m]) => [seq, inbox.fetch(m, c.items, c.uid, conn.selected!.readOnly)] as const);
      if (found.some(([, a]) => a === undefined)) return s.bad('this example serves FLAGS, UID, INTERNALDATE, RFC822*, ENVELOPE and BODY[] of whole messages only');
      for (const [seq, attributes] of found) untagged({ kind: 'FETCH', seq, attributes: attributes! });
      return s.ok('FETCH completed');
    }
    case 'STORE': {
      if (conn.selected!.readOnly) return s.no('mailbox is read-only');
      for (const [seq, m] of inbox.select(c.set, c.uid)) {
        if (c.operation === 'set') m.flags.clear();
        for (const f of c.flags) (c.operation === 'remove' ? m.flags.delete(f) : m.flags.add(f));
        if (!c.silent) untagged({ kind: 'FETCH', seq, attributes: c.uid ? { uid: m.uid, flags: [...m.flags] } : { flags: [...m.flags] } });
      }
      return s.ok('STORE completed');
    }
    case 'SEARCH': {
      try {
        const hits = inbox.messages.map((m, i) => [i + 1, m] as const).filter(([seq, m]) => c.criteria.every((k) => inbox.matches(m, seq, k)));
        untagged({ kind: 'SEARCH', numbers: hits.map(([seq, m]) => (c.uid ? m.uid : seq)), modseq: null });
        return s.ok('SEARCH completed');
      } catch (e) {
        return s.no((e as Error).message);
      }
    }
    case 'EXPUNGE': case 'CLOSE': case 'UNSELECT': {
      // CLOSE expunges silently; EXPUNGE reports each number (highest first, so each is valid when read).
      const gone = c.command === 'UNSELECT' || conn.selected!.readOnly ? [] : inbox.expunge();
      if (c.command === 'EXPUNGE') for (const number of gone) untagged({ kind: 'EXPUNGE', number });
      else conn.selected = null;
      return s.ok();
    }
    case 'STATUS': {
      if (c.mailbox.toUpperCase() !== 'INBOX') return s.no('no such mailbox', { name: 'NONEXISTENT', raw: '' });
      const all: Record<string, number> = { MESSAGES: inbox.messages.length, UIDNEXT: inbox.uidNext, UIDVALIDITY: inbox.uidValidity, UNSEEN: inbox.messages.filter((m) => !m.flags.has('\\Seen')).length, RECENT: 0 };
      untagged({ kind: 'STATUS', mailbox: 'INBOX', attributes: Object.fromEntries(c.items.map((i) => [i.toUpperCase(), all[i.toUpperCase()] ?? 0])) });
      return s.ok();
    }
    default:
      return s.bad(`${c.command} is not supported by this example`);
  }
}

const server = net.createServer((socket) => {
  const s = new imap.ServerSession({ capabilities: ['IMAP4rev1', 'LITERAL+', 'UIDPLUS', 'AUTH=PLAIN', 'SASL-IR'] });
  const conn: { selected: null | { readOnly: boolean } } = { selected: null };
  let closing = false;
  const handle = (events: imap.ServerEvent[]): void => {
    for (const e of events) {
      if (e.type === 'command') handle(answer(s, e.command, conn));
      else if (e.type === 'auth-response') handle(plain(s, e.response));
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
  console.error(`imap-server listening on 127.0.0.1:${port} (${inbox.messages.length} messages)`);
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(0));
setTimeout(() => process.exit(0), Number(opt('lifetime', '600000'))).unref();
