/**
 * A minimal IMAP server over in-memory mailboxes: mailwire's imap.ServerSession on
 * `serve()` from mailwire/node, which stops reading a client's commands while the answers
 * it has not read fill the socket's buffer (a client that never reads cannot grow the server).
 * CAPABILITY, NOOP, STARTTLS (with --cert/--key), LOGIN, AUTHENTICATE PLAIN and LOGIN, LIST,
 * CREATE, SELECT/EXAMINE, STATUS, IDLE, [UID] FETCH (FLAGS, UID, INTERNALDATE, RFC822.SIZE,
 * ENVELOPE, BODYSTRUCTURE, BODY[], BODY[HEADER(.FIELDS)], BODY[TEXT], RFC822*, partial ranges),
 * [UID] STORE, [UID] SEARCH (ALL, flags, sets, NOT/OR, HEADER/FROM/TO/CC/SUBJECT), APPEND,
 * EXPUNGE, CLOSE, LOGOUT. The INBOX is filled from --dir (one file per message; a missing
 * directory means an empty INBOX) and by APPEND. Listens on 127.0.0.1 only. The store is in
 * mailbox.ts.
 *
 *   npx tsx examples/imap-server.ts [--port 1143] [--user u --password p] [--dir ./messages]
 *                                    [--cert cert.pem --key key.pem] [--lifetime ms]
 */
import type net from 'node:net';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { imap, decodeInitialResponse, decodeSaslPlain, ProtocolError } from 'mailwire';
import type { Command, UntaggedData, UntaggedResponse } from 'mailwire/imap';
import { serve, type SocketSession } from 'mailwire/node';
import { opt } from './args';
import { Mailbox } from './mailbox';
import { serverTls } from './tls';

const inbox = new Mailbox();
const boxes = new Map<string, Mailbox>([['INBOX', inbox]]);
const dir = opt('dir');
if (dir && existsSync(dir)) for (const f of readdirSync(dir).sort()) inbox.add(readFileSync(path.join(dir, f)));
else if (dir) console.error(`imap-server: ${dir} does not exist; the INBOX starts empty`);
const user = opt('user');
const password = opt('password');
const tls = serverTls();
const FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'];
const enc = new TextEncoder();

type Conn = SocketSession<imap.ServerSession>;
/** Per connection: the selected mailbox, and where an AUTHENTICATE LOGIN exchange is. */
interface State {
  selected: null | { box: Mailbox; readOnly: boolean };
  loginUser: string | null | undefined;
}
const states = new WeakMap<Conn, State>();

const boxName = (name: string) => (name.toUpperCase() === 'INBOX' ? 'INBOX' : name);

function login(s: imap.ServerSession, name: string, secret: string): imap.ServerEvent[] {
  const ok = user === undefined || (name === user && secret === password);
  return ok ? s.ok('authenticated') : s.no('wrong user name or password', { name: 'AUTHENTICATIONFAILED', raw: '' });
}
function plain(s: imap.ServerSession, response: Uint8Array | ProtocolError): imap.ServerEvent[] {
  const decoded = response instanceof ProtocolError ? response : decodeSaslPlain(response);
  const creds = decoded instanceof ProtocolError ? null : decoded;
  return creds ? login(s, creds.authcid, creds.password) : s.bad('malformed PLAIN response');
}

/** Answers one command (FETCH is answered in handlers below, one message at a time). */
function answer(s: imap.ServerSession, c: Command, conn: State): imap.ServerEvent[] {
  const untagged = (r: UntaggedData) => s.untagged({ type: 'untagged', ...r } as UntaggedResponse);
  switch (c.command) {
    case 'CAPABILITY': case 'NOOP': case 'CHECK': case 'LOGOUT': case 'STARTTLS':
      return s.ok(); // CAPABILITY's untagged line, LOGOUT's BYE and the TLS switch come from the session
    case 'LOGIN':
      return login(s, c.user, c.password);
    case 'AUTHENTICATE': {
      const mechanism = c.mechanism.toUpperCase();
      if (mechanism === 'LOGIN') {
        // RFC 4616's older cousin: "Username:" then "Password:", one base64 line each.
        conn.loginUser = null;
        return s.challenge(enc.encode('Username:'));
      }
      if (mechanism !== 'PLAIN') return s.no('AUTHENTICATE PLAIN or LOGIN here', { name: 'CANNOT', raw: '' });
      // PLAIN: the credentials come with the command (SASL-IR) or after an empty "+ " challenge.
      if (c.initialResponse === null) return s.challenge(new Uint8Array(0));
      return plain(s, decodeInitialResponse(c.initialResponse));
    }
    case 'LIST': case 'LSUB': {
      const pattern = `${c.reference}${typeof c.pattern === 'string' ? c.pattern : c.pattern.join('')}`;
      const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/%/g, '[^/]*')}$`, 'i');
      if (pattern === '') untagged({ kind: c.command, attributes: ['\\Noselect'], delimiter: '/', mailbox: '', extended: {} });
      else for (const name of boxes.keys()) if (re.test(name)) untagged({ kind: c.command, attributes: ['\\HasNoChildren'], delimiter: '/', mailbox: name, extended: {} });
      return s.ok();
    }
    case 'CREATE': {
      const name = boxName(c.mailbox);
      if (boxes.has(name)) return s.no('mailbox exists', { name: 'ALREADYEXISTS', raw: '' });
      boxes.set(name, new Mailbox());
      return s.ok('CREATE completed');
    }
    case 'SELECT': case 'EXAMINE': {
      const box = boxes.get(boxName(c.mailbox));
      if (!box) return s.no('no such mailbox', { name: 'NONEXISTENT', raw: '' });
      conn.selected = { box, readOnly: c.command === 'EXAMINE' };
      untagged({ kind: 'FLAGS', flags: FLAGS });
      untagged({ kind: 'EXISTS', number: box.messages.length });
      untagged({ kind: 'RECENT', number: 0 });
      untagged({ kind: 'OK', code: { name: 'UIDVALIDITY', raw: String(box.uidValidity), number: box.uidValidity }, text: 'UIDs valid' });
      untagged({ kind: 'OK', code: { name: 'UIDNEXT', raw: String(box.uidNext), number: box.uidNext }, text: 'predicted next UID' });
      untagged({ kind: 'OK', code: { name: 'PERMANENTFLAGS', raw: `(${FLAGS.join(' ')})`, list: FLAGS }, text: 'flags permitted' });
      return conn.selected.readOnly ? s.ok('EXAMINE completed', { name: 'READ-ONLY', raw: '' }) : s.ok('SELECT completed', { name: 'READ-WRITE', raw: '' });
    }
    case 'APPEND': {
      const box = boxes.get(boxName(c.mailbox));
      if (!box) return s.no('no such mailbox', { name: 'TRYCREATE', raw: '' });
      // CATENATE parts (RFC 4469) and streamed stand-ins are not plain bytes: this example refuses them.
      const bodies = c.messages.map((m) => ('message' in m && m.message instanceof Uint8Array ? m.message : null));
      if (bodies.includes(null)) return s.no('this example takes plain literal messages only');
      const uids = c.messages.map((m, i) => box.add(bodies[i]!, m.flags ?? []));
      if (conn.selected?.box === box) untagged({ kind: 'EXISTS', number: box.messages.length });
      return s.ok('APPEND completed', { name: 'APPENDUID', raw: `${box.uidValidity} ${imap.SequenceSet.from(uids)}` });
    }
    case 'STORE': {
      if (conn.selected!.readOnly) return s.no('mailbox is read-only');
      for (const [seq, m] of conn.selected!.box.select(c.set, c.uid)) {
        if (c.operation === 'set') m.flags.clear();
        for (const f of c.flags) (c.operation === 'remove' ? m.flags.delete(f) : m.flags.add(f));
        if (!c.silent) untagged({ kind: 'FETCH', seq, attributes: c.uid ? { uid: m.uid, flags: [...m.flags] } : { flags: [...m.flags] } });
      }
      return s.ok('STORE completed');
    }
    case 'SEARCH': {
      const box = conn.selected!.box;
      try {
        const hits = box.messages.map((m, i) => [i + 1, m] as const).filter(([seq, m]) => c.criteria.every((k) => box.matches(m, seq, k)));
        untagged({ kind: 'SEARCH', numbers: hits.map(([seq, m]) => (c.uid ? m.uid : seq)), modseq: null });
        return s.ok('SEARCH completed');
      } catch (e) {
        return s.no((e as Error).message);
      }
    }
    case 'EXPUNGE': case 'CLOSE': case 'UNSELECT': {
      // CLOSE expunges silently; EXPUNGE reports each number (highest first, so each is valid when read).
      const gone = c.command === 'UNSELECT' || conn.selected!.readOnly ? [] : conn.selected!.box.expunge();
      if (c.command === 'EXPUNGE') for (const number of gone) untagged({ kind: 'EXPUNGE', number });
      else conn.selected = null;
      return s.ok();
    }
    case 'STATUS': {
      const box = boxes.get(boxName(c.mailbox));
      if (!box) return s.no('no such mailbox', { name: 'NONEXISTENT', raw: '' });
      const all: Record<string, number> = { MESSAGES: box.messages.length, UIDNEXT: box.uidNext, UIDVALIDITY: box.uidValidity, UNSEEN: box.messages.filter((m) => !m.flags.has('\\Seen')).length, RECENT: 0 };
      untagged({ kind: 'STATUS', mailbox: boxName(c.mailbox), attributes: Object.fromEntries(c.items.map((i) => [i.toUpperCase(), all[i.toUpperCase()] ?? 0])) });
      return s.ok();
    }
    case 'IDLE':
      return []; // the session sent "+ idling"; the OK follows the client's DONE (the idle-done event)
    default:
      return s.bad(`${c.command} is not supported by this example`);
  }
}

const capabilities = ['IMAP4rev1', 'LITERAL+', 'UIDPLUS', 'IDLE', 'AUTH=PLAIN', 'AUTH=LOGIN', 'SASL-IR', ...(tls ? ['STARTTLS'] : [])];

const server = serve<imap.ServerSession>({
  createSession: (socket: net.Socket) => {
    socket.setTimeout(60_000, () => socket.destroy());
    return new imap.ServerSession({ capabilities });
  },
  serverTls: tls,
  commands: {
    // FETCH one message at a time, waiting while the client has not read the previous ones.
    FETCH: async (c, conn) => {
      const st = stateOf(conn);
      if (c.command !== 'FETCH' || !st.selected) return void conn.do((s) => s.bad('no mailbox selected'));
      const { box, readOnly } = st.selected;
      const found = box.select(c.set, c.uid).map(([seq, m]) => [seq, box.fetch(m, c.items, c.uid, readOnly)] as const);
      if (found.some(([, a]) => a === undefined)) return void conn.do((s) => s.bad('this example serves FLAGS, UID, INTERNALDATE, RFC822*, ENVELOPE, BODYSTRUCTURE and BODY[] of whole messages only'));
      for (const [seq, attributes] of found) {
        conn.do((s) => s.untagged({ type: 'untagged', kind: 'FETCH', seq, attributes: attributes! }));
        await conn.drained();
        if (conn.closed) return;
      }
      conn.do((s) => s.ok('FETCH completed'));
    },
    '*': (c, conn) => void conn.do((s) => answer(s, c, stateOf(conn))),
  },
  onEvent: (e, conn) => {
    const st = stateOf(conn);
    if (e.type === 'idle-done') conn.do((s) => s.ok('IDLE terminated'));
    else if (e.type === 'auth-response' && st.loginUser === null) {
      st.loginUser = new TextDecoder().decode(e.response);
      conn.do((s) => s.challenge(enc.encode('Password:')));
    } else if (e.type === 'auth-response' && typeof st.loginUser === 'string') {
      const name = st.loginUser;
      st.loginUser = undefined;
      conn.do((s) => login(s, name, new TextDecoder().decode(e.response)));
    } else if (e.type === 'auth-response') conn.do((s) => plain(s, e.response));
  },
});

function stateOf(conn: Conn): State {
  let st = states.get(conn);
  if (!st) states.set(conn, (st = { selected: null, loginUser: undefined }));
  return st;
}

server.listen(Number(opt('port', '1143')), '127.0.0.1', () => {
  const { port } = server.address() as net.AddressInfo;
  console.error(`imap-server listening on 127.0.0.1:${port} (${inbox.messages.length} messages${tls ? ', STARTTLS' : ''})`);
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(0));
setTimeout(() => process.exit(0), Number(opt('lifetime', '600000'))).unref();
