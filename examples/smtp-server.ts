/**
 * A minimal receiving SMTP server: mailwire's smtp.ServerSession on `serve()` from
 * mailwire/node (write backpressure; STARTTLS with --cert/--key). It accepts mail for any
 * recipient, by DATA or BDAT (CHUNKING, as Exim sends it: chunks pipelined with their
 * commands), and writes each message exactly as received (dot-stuffing undone) to DIR/<n>.eml
 * with the envelope in DIR/<n>.json, or to stdout without --dir. With --user and --password it
 * offers AUTH PLAIN and LOGIN. Listens on 127.0.0.1 only.
 *
 *   npx tsx examples/smtp-server.ts [--port 2525] [--dir ./inbox] [--user u --password p]
 *                                    [--cert cert.pem --key key.pem] [--max-messages N]
 *
 * Port 0 picks a free port; the address is printed on stderr. Ends after --max-messages
 * messages, on SIGINT/SIGTERM, or after --lifetime milliseconds.
 */
import type net from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { smtp, decodeSaslPlain, decodeInitialResponse, ProtocolError } from 'mailwire';
import type { Path } from 'mailwire/smtp';
import { serve, type SocketSession } from 'mailwire/node';
import { opt } from './args';
import { serverTls } from './tls';

const dir = opt('dir');
const user = opt('user');
const password = opt('password');
const maxMessages = Number(opt('max-messages', '0'));
const tls = serverTls();
if (dir) mkdirSync(dir, { recursive: true });
let count = 0;

// The defaults (PIPELINING, 8BITMIME, ENHANCEDSTATUSCODES, CHUNKING, SMTPUTF8), STARTTLS with a
// certificate, AUTH PLAIN and LOGIN when configured.
const extensions = ['PIPELINING', '8BITMIME', 'ENHANCEDSTATUSCODES', 'CHUNKING', 'SMTPUTF8'].map((keyword) => ({ keyword, params: [] as string[] }));
if (tls) extensions.push({ keyword: 'STARTTLS', params: [] });
if (user !== undefined) extensions.push({ keyword: 'AUTH', params: ['PLAIN', 'LOGIN'] });

function store(from: Path | null, to: readonly Path[], body: Uint8Array[]): void {
  count++;
  const envelope = { from: from?.address ?? '', to: to.map((t) => t.address) };
  if (dir) {
    writeFileSync(path.join(dir, `${count}.eml`), Buffer.concat(body));
    writeFileSync(path.join(dir, `${count}.json`), `${JSON.stringify(envelope)}\n`);
  } else {
    process.stdout.write(`--- message ${count} ${JSON.stringify(envelope)}\n`);
    for (const b of body) process.stdout.write(b);
  }
  console.error(`message ${count} from <${envelope.from}> to ${envelope.to.join(', ')}`);
  if (maxMessages > 0 && count >= maxMessages) server.close();
}

type Conn = SocketSession<smtp.ServerSession>;
/** Per connection: the body being received, and where an AUTH LOGIN exchange is. */
interface State {
  body: Uint8Array[];
  loginUser: string | null | undefined;
}
const states = new WeakMap<Conn, State>();
function stateOf(conn: Conn): State {
  let st = states.get(conn);
  if (!st) states.set(conn, (st = { body: [], loginUser: undefined }));
  return st;
}

const ok235 = (s: smtp.ServerSession) => s.reply(235, 'Authentication successful', { class: 2, subject: 7, detail: 0 });
const bad535 = (s: smtp.ServerSession) => s.reply(535, 'Authentication credentials invalid', { class: 5, subject: 7, detail: 8 });
/** AUTH PLAIN: the credentials come with the command (initial response) or after an empty 334. */
function checkPlain(s: smtp.ServerSession, response: Uint8Array | ProtocolError): smtp.ServerEvent[] {
  const decoded = response instanceof ProtocolError ? response : decodeSaslPlain(response);
  const creds = decoded instanceof ProtocolError ? null : decoded;
  return creds !== null && creds.authcid === user && creds.password === password ? ok235(s) : bad535(s);
}

const server = serve<smtp.ServerSession>({
  createSession: (socket: net.Socket) => {
    socket.setTimeout(60_000, () => socket.destroy());
    return new smtp.ServerSession({ domain: 'localhost', extensions });
  },
  serverTls: tls,
  commands: {
    AUTH: (c, conn) => {
      if (c.verb !== 'AUTH') return;
      const mechanism = c.mechanism.toUpperCase();
      if (user === undefined || (mechanism !== 'PLAIN' && mechanism !== 'LOGIN')) {
        conn.do((s) => s.reply(504, 'Unrecognized authentication type', { class: 5, subject: 5, detail: 4 }));
      } else if (mechanism === 'LOGIN') {
        // "Username:" and "Password:" challenges, one base64 answer each (an initial response is the user name).
        const st = stateOf(conn);
        const first = c.initialResponse === null ? null : decodeInitialResponse(c.initialResponse);
        if (first instanceof Uint8Array) {
          st.loginUser = new TextDecoder().decode(first);
          conn.do((s) => s.challenge(new TextEncoder().encode('Password:')));
        } else {
          st.loginUser = null;
          conn.do((s) => s.challenge(new TextEncoder().encode('Username:')));
        }
      } else if (c.initialResponse === null) conn.do((s) => s.challenge(new Uint8Array(0)));
      else {
        const ir = c.initialResponse;
        conn.do((s) => checkPlain(s, decodeInitialResponse(ir)));
      }
    },
    // BDAT's chunk arrives as data events and its answer is given at its data-end.
    BDAT: () => undefined,
    MAIL: (_c, conn) => {
      stateOf(conn).body = []; // a new transaction (a refused body leaves no data-end)
      conn.do((s) => s.accept());
    },
    '*': (_c, conn) => void conn.do((s) => s.accept()),
  },
  onEvent: (e, conn) => {
    const st = stateOf(conn);
    if (e.type === 'auth-response') {
      const response = e.response;
      if (st.loginUser === null && response instanceof Uint8Array) {
        st.loginUser = new TextDecoder().decode(response);
        conn.do((s) => s.challenge(new TextEncoder().encode('Password:')));
      } else if (typeof st.loginUser === 'string') {
        const name = st.loginUser;
        st.loginUser = undefined;
        const secret = response instanceof Uint8Array ? new TextDecoder().decode(response) : null;
        conn.do((s) => (name === user && secret === password ? ok235(s) : bad535(s)));
      } else conn.do((s) => checkPlain(s, response));
    } else if (e.type === 'data') st.body.push(e.chunk);
    else if (e.type === 'data-end') {
      // BDAT chunks end with last=false; the message is complete at the last one.
      if (e.last) {
        store(e.from, e.to, st.body);
        st.body = [];
      }
      conn.do((s) => s.accept());
    }
  },
});

server.listen(Number(opt('port', '2525')), '127.0.0.1', () => {
  const { port } = server.address() as net.AddressInfo;
  console.error(`smtp-server listening on 127.0.0.1:${port}${tls ? ' (STARTTLS)' : ''}`);
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(0));
setTimeout(() => process.exit(0), Number(opt('lifetime', '600000'))).unref();
