/**
 * A minimal POP3 server: mailwire's pop3.ServerSession on `serve()` from mailwire/node (RETR
 * bodies are written as the client reads them), serving the files of --dir (one message per
 * file, read at start; a missing directory is an empty maildrop) to one user. USER/PASS, APOP
 * (the greeting carries a timestamp), AUTH PLAIN and LOGIN, STLS (with --cert/--key), CAPA,
 * STAT, LIST, UIDL, RETR, TOP, DELE, RSET, NOOP, QUIT. Deletions happen in memory at QUIT; the
 * files are never touched. Listens on 127.0.0.1 only.
 *
 *   npx tsx examples/pop3-server.ts --dir ./messages --user u --password p [--port 1110]
 *                                   [--cert cert.pem --key key.pem] [--lifetime ms]
 */
import type net from 'node:net';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pop3, decodeInitialResponse, decodeSaslPlain, ProtocolError } from 'mailwire';
import type { Command } from 'mailwire/pop3';
import { serve, type SocketSession } from 'mailwire/node';
import { opt, need } from './args';
import { bodyOffset } from './message';
import { serverTls } from './tls';

const usage = 'pop3-server.ts --dir DIR --user U --password P [--port N]';
const dir = need('dir', usage);
const user = need('user', usage);
const password = need('password', usage);
const tls = serverTls();
if (!existsSync(dir)) console.error(`pop3-server: ${dir} does not exist; the maildrop is empty`);
const maildrop = (existsSync(dir) ? readdirSync(dir) : []).sort().map((f) => ({ uid: f.replace(/[^\x21-\x7e]/g, '_').slice(0, 70), data: readFileSync(path.join(dir, f)) as Uint8Array }));

function plain(s: pop3.ServerSession, response: Uint8Array | ProtocolError): pop3.ServerEvent[] {
  const decoded = response instanceof ProtocolError ? response : decodeSaslPlain(response);
  const creds = decoded instanceof ProtocolError ? null : decoded;
  return creds?.authcid === user && creds.password === password ? s.ok('maildrop ready') : s.err('invalid login', 'AUTH');
}

/** Per connection: deletions, the APOP timestamp, and where an AUTH LOGIN exchange is. */
interface State {
  deleted: Set<number>;
  timestamp: string;
  loginUser: string | null | undefined;
}

function answer(s: pop3.ServerSession, c: Command, passUser: string | undefined, st: State): pop3.ServerEvent[] {
  // Message numbers are 1-based and a deleted message no longer exists for the session.
  const msg = (n: number) => (n >= 1 && n <= maildrop.length && !st.deleted.has(n) ? maildrop[n - 1]! : null);
  const live = maildrop.map((m, i) => [i + 1, m] as const).filter(([n]) => !st.deleted.has(n));
  switch (c.verb) {
    case 'CAPA':
      return s.listing('Capability list follows', ['USER', 'SASL PLAIN LOGIN', 'TOP', 'UIDL', 'PIPELINING', ...(tls ? ['STLS'] : []), 'IMPLEMENTATION mailwire-example']);
    case 'STLS':
      return tls ? s.ok('begin TLS negotiation') : s.err('no TLS here');
    case 'AUTH':
      // RFC 5034 PLAIN: the credentials come with the command or after an empty "+ " challenge.
      if (c.mechanism === null) return s.listing('mechanisms follow', ['PLAIN', 'LOGIN']);
      if (c.mechanism.toUpperCase() === 'LOGIN') {
        st.loginUser = null; // "Username:" then "Password:", one base64 line each
        return s.challenge(new TextEncoder().encode('Username:'));
      }
      if (c.mechanism.toUpperCase() !== 'PLAIN') return s.err('only PLAIN and LOGIN here');
      return c.initialResponse === null ? s.challenge(new Uint8Array(0)) : plain(s, decodeInitialResponse(c.initialResponse));
    case 'USER':
      return s.ok('send PASS');
    case 'PASS':
      return c.argument === password && passUser === user ? s.ok('maildrop ready') : s.err('invalid login', 'AUTH');
    case 'APOP':
      return c.name === user && c.digest === pop3.apopDigest(st.timestamp, password) ? s.ok('maildrop ready') : s.err('invalid login', 'AUTH');
    case 'STAT':
      return s.ok(`${live.length} ${live.reduce((n, [, m]) => n + m.data.length, 0)}`);
    case 'LIST': case 'UIDL': {
      const show = ([n, m]: readonly [number, { uid: string; data: Uint8Array }]) => `${n} ${c.verb === 'LIST' ? m.data.length : m.uid}`;
      if (c.message === null) return s.listing(`${live.length} messages`, live.map(show));
      const m = msg(c.message);
      return m ? s.ok(show([c.message, m])) : s.err('no such message');
    }
    // RETR and TOP are answered by body() below, as the client reads.
    case 'DELE':
      if (!msg(c.message)) return s.err('no such message');
      st.deleted.add(c.message);
      return s.ok(`message ${c.message} deleted`);
    case 'RSET':
      st.deleted.clear();
      return s.ok();
    case 'NOOP':
      return s.ok();
    case 'QUIT':
      // In UPDATE (after a login) the marked messages go; before it QUIT just says goodbye.
      if (s.state === 'update') for (const n of [...st.deleted].sort((a, b) => b - a)) maildrop.splice(n - 1, 1);
      return s.ok('bye');
    default:
      return s.err('not supported by this example');
  }
}

type Conn = SocketSession<pop3.ServerSession>;
const states = new WeakMap<Conn, State>();

const server = serve<pop3.ServerSession>({
  createSession: (socket: net.Socket) => {
    socket.setTimeout(60_000, () => socket.destroy());
    // The APOP timestamp must be unique per connection (RFC 1939 7).
    const timestamp = `<${randomBytes(8).toString('hex')}.${Date.now()}@localhost>`;
    const session = new pop3.ServerSession({ greeting: `mailwire example POP3 ready ${timestamp}` });
    pending.set(session, timestamp);
    return session;
  },
  serverTls: tls,
  commands: {
    // RETR/TOP: the body goes out 16 KiB at a time, each after the client has read the one before.
    RETR: (c, conn) => body(c, conn),
    TOP: (c, conn) => body(c, conn),
    '*': (c, conn, e) => void conn.do((s) => answer(s, c, e.user, stateOf(conn))),
  },
  onEvent: (e, conn) => {
    if (e.type !== 'auth-response') return;
    const st = stateOf(conn);
    const text = e.response instanceof Uint8Array ? new TextDecoder().decode(e.response) : null;
    if (st.loginUser === null) {
      st.loginUser = text ?? '';
      conn.do((s) => s.challenge(new TextEncoder().encode('Password:')));
    } else if (typeof st.loginUser === 'string') {
      const name = st.loginUser;
      st.loginUser = undefined;
      conn.do((s) => (name === user && text === password ? s.ok('maildrop ready') : s.err('invalid login', 'AUTH')));
    } else conn.do((s) => plain(s, e.response));
  },
});

const pending = new WeakMap<pop3.ServerSession, string>();
function stateOf(conn: Conn): State {
  let st = states.get(conn);
  if (!st) states.set(conn, (st = { deleted: new Set(), timestamp: pending.get(conn.session) ?? '', loginUser: undefined }));
  return st;
}

async function body(c: Command, conn: Conn): Promise<void> {
  const st = stateOf(conn);
  if (c.verb !== 'RETR' && c.verb !== 'TOP') return;
  const m = c.message >= 1 && c.message <= maildrop.length && !st.deleted.has(c.message) ? maildrop[c.message - 1]! : null;
  if (!m) return void conn.do((s) => s.err('no such message'));
  let data = m.data;
  if (c.verb === 'TOP') {
    // The header, the blank line, then the first `lines` lines of the body.
    let end = bodyOffset(data);
    for (let k = 0; k < c.lines && end < data.length; k++) end = data.indexOf(10, end) < 0 ? data.length : data.indexOf(10, end) + 1;
    data = data.subarray(0, end);
  }
  conn.session.beginBody(`${data.length} octets`);
  for (let i = 0; i < data.length; i += 16384) {
    conn.session.writeBody(data.subarray(i, i + 16384));
    conn.flush();
    await conn.drained();
    if (conn.closed) return;
  }
  conn.do((s) => s.endBody());
}

server.listen(Number(opt('port', '1110')), '127.0.0.1', () => {
  const { port } = server.address() as net.AddressInfo;
  console.error(`pop3-server listening on 127.0.0.1:${port} (${maildrop.length} messages)`);
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(0));
setTimeout(() => process.exit(0), Number(opt('lifetime', '600000'))).unref();
