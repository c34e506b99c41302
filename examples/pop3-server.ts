/**
 * A minimal POP3 server: node:net plus mailwire's pop3.ServerSession, serving the files of
 * --dir (one message per file, read at start) to one user. USER/PASS, APOP (the greeting
 * carries a timestamp), AUTH PLAIN, CAPA, STAT, LIST, UIDL, RETR, TOP, DELE, RSET, NOOP, QUIT.
 * Deletions happen in memory at QUIT; the files are never touched. Listens on 127.0.0.1 only.
 *
 *   npx tsx examples/pop3-server.ts --dir ./messages --user u --password p [--port 1110] [--lifetime ms]
 */
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pop3, decodeInitialResponse, decodeSaslPlain, ProtocolError } from 'mailwire';
import type { Command } from 'mailwire/pop3';
import { opt, need } from './args';
import { bodyOffset } from './message';

const usage = 'pop3-server.ts --dir DIR --user U --password P [--port N]';
const dir = need('dir', usage);
const user = need('user', usage);
const password = need('password', usage);
const maildrop = readdirSync(dir).sort().map((f) => ({ uid: f.replace(/[^\x21-\x7e]/g, '_').slice(0, 70), data: readFileSync(path.join(dir, f)) as Uint8Array }));

function plain(s: pop3.ServerSession, response: Uint8Array | ProtocolError): pop3.ServerEvent[] {
  const decoded = response instanceof ProtocolError ? response : decodeSaslPlain(response);
  const creds = decoded instanceof ProtocolError ? null : decoded;
  return creds?.authcid === user && creds.password === password ? s.ok('maildrop ready') : s.err('invalid login', 'AUTH');
}

function answer(s: pop3.ServerSession, c: Command, passUser: string | undefined, st: { deleted: Set<number>; timestamp: string }): pop3.ServerEvent[] {
  // Message numbers are 1-based and a deleted message no longer exists for the session.
  const msg = (n: number) => (n >= 1 && n <= maildrop.length && !st.deleted.has(n) ? maildrop[n - 1]! : null);
  const live = maildrop.map((m, i) => [i + 1, m] as const).filter(([n]) => !st.deleted.has(n));
  switch (c.verb) {
    case 'CAPA':
      return s.listing('Capability list follows', ['USER', 'SASL PLAIN', 'TOP', 'UIDL', 'PIPELINING', 'IMPLEMENTATION mailwire-example']);
    case 'AUTH':
      // RFC 5034 PLAIN: the credentials come with the command or after an empty "+ " challenge.
      if (c.mechanism === null) return s.listing('mechanisms follow', ['PLAIN']);
      if (c.mechanism.toUpperCase() !== 'PLAIN') return s.err('only PLAIN here');
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
    case 'RETR': case 'TOP': {
      const m = msg(c.message);
      if (!m) return s.err('no such message');
      let data = m.data;
      if (c.verb === 'TOP') {
        // The header, the blank line, then the first `lines` lines of the body.
        let end = bodyOffset(data);
        for (let k = 0; k < c.lines && end < data.length; k++) end = data.indexOf(10, end) < 0 ? data.length : data.indexOf(10, end) + 1;
        data = data.subarray(0, end);
      }
      s.beginBody(`${data.length} octets`);
      for (let i = 0; i < data.length; i += 16384) s.writeBody(data.subarray(i, i + 16384)); // chunked, as a big file would be
      return s.endBody();
    }
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

const server = net.createServer((socket) => {
  // The APOP timestamp must be unique per connection (RFC 1939 7).
  const st = { deleted: new Set<number>(), timestamp: `<${randomBytes(8).toString('hex')}.${Date.now()}@localhost>` };
  const s = new pop3.ServerSession({ greeting: `mailwire example POP3 ready ${st.timestamp}` });
  let closing = false;
  const handle = (events: pop3.ServerEvent[]): void => {
    for (const e of events) {
      if (e.type === 'command') handle(answer(s, e.command, e.user, st));
      else if (e.type === 'auth-response') handle(plain(s, e.response));
      else if (e.type === 'closed') closing = true;
    }
  };
  const flush = () => {
    for (const b of s.takeOutput()) socket.write(b);
    if (closing) socket.end(); // after the +OK to QUIT
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

server.listen(Number(opt('port', '1110')), '127.0.0.1', () => {
  const { port } = server.address() as net.AddressInfo;
  console.error(`pop3-server listening on 127.0.0.1:${port} (${maildrop.length} messages)`);
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(0));
setTimeout(() => process.exit(0), Number(opt('lifetime', '600000'))).unref();
