/**
 * A minimal receiving SMTP server: node:net plus mailwire's smtp.ServerSession. It accepts
 * mail for any recipient and writes each message, exactly as received (dot-stuffing undone),
 * to DIR/<n>.eml with the envelope in DIR/<n>.json, or to stdout without --dir. With --user and
 * --password it also offers AUTH PLAIN. Listens on 127.0.0.1 only.
 *
 *   npx tsx examples/smtp-server.ts [--port 2525] [--dir ./inbox] [--user u --password p] [--max-messages N]
 *
 * Port 0 picks a free port; the address is printed on stderr. Ends after --max-messages
 * messages, on SIGINT/SIGTERM, or after --lifetime milliseconds.
 */
import net from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { smtp, decodeSaslPlain, decodeInitialResponse, ProtocolError } from 'mailwire';
import type { Path } from 'mailwire/smtp';
import { opt } from './args';

const dir = opt('dir');
const user = opt('user');
const password = opt('password');
const maxMessages = Number(opt('max-messages', '0'));
if (dir) mkdirSync(dir, { recursive: true });
let count = 0;

// The defaults (PIPELINING, 8BITMIME, ENHANCEDSTATUSCODES, CHUNKING, SMTPUTF8) plus AUTH PLAIN when configured.
const extensions = ['PIPELINING', '8BITMIME', 'ENHANCEDSTATUSCODES', 'CHUNKING', 'SMTPUTF8'].map((keyword) => ({ keyword, params: [] as string[] }));
if (user !== undefined) extensions.push({ keyword: 'AUTH', params: ['PLAIN'] });

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

const server = net.createServer((socket) => {
  const s = new smtp.ServerSession({ domain: 'localhost', extensions });
  let body: Uint8Array[] = [];
  let closing = false; // after QUIT: write the 221, then close
  const flush = () => {
    for (const b of s.takeOutput()) socket.write(b);
    if (closing) socket.end();
  };
  // AUTH PLAIN: the credentials come with the command (initial response) or after an empty 334.
  const checkPlain = (response: Uint8Array | ProtocolError): smtp.ServerEvent[] => {
    const decoded = response instanceof ProtocolError ? response : decodeSaslPlain(response);
  const creds = decoded instanceof ProtocolError ? null : decoded;
    const ok = creds !== null && creds.authcid === user && creds.password === password;
    return ok ? s.reply(235, 'Authentication successful', { class: 2, subject: 7, detail: 0 }) : s.reply(535, 'Authentication credentials invalid', { class: 5, subject: 7, detail: 8 });
  };
  // Every answer may release pipelined commands behind it: their events are handled in turn.
  const handle = (events: smtp.ServerEvent[]): void => {
    for (const e of events) {
      if (e.type === 'command') {
        const c = e.command;
        if (c.verb === 'MAIL') body = []; // a new transaction (a refused body leaves no data-end)
        if (c.verb !== 'AUTH') handle(s.accept());
        else if (user === undefined || c.mechanism.toUpperCase() !== 'PLAIN') handle(s.reply(504, 'Unrecognized authentication type', { class: 5, subject: 5, detail: 4 }));
        else if (c.initialResponse === null) handle(s.challenge(new Uint8Array(0)));
        else handle(checkPlain(decodeInitialResponse(c.initialResponse)));
      } else if (e.type === 'auth-response') handle(checkPlain(e.response));
      else if (e.type === 'data') body.push(e.chunk);
      else if (e.type === 'data-end') {
        // BDAT chunks end with last=false; the message is complete at the last one.
        if (e.last) {
          store(e.from, e.to, body);
          body = [];
        }
        handle(s.accept());
      } else if (e.type === 'closed') closing = true;
    }
  };
  flush();
  socket.setTimeout(60_000, () => socket.destroy());
  socket.on('data', (chunk: Uint8Array) => {
    handle(s.receive(chunk));
    flush();
  });
  socket.on('end', () => {
    s.end();
    socket.end();
  });
  socket.on('error', () => socket.destroy());
});

server.listen(Number(opt('port', '2525')), '127.0.0.1', () => {
  const { port } = server.address() as net.AddressInfo;
  console.error(`smtp-server listening on 127.0.0.1:${port}`);
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(0));
setTimeout(() => process.exit(0), Number(opt('lifetime', '600000'))).unref();
