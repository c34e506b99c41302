/**
 * Sends one message over SMTP with mailwire's smtp.ClientSession on a socket (mailwire/node):
 * EHLO, STARTTLS when offered (skipped on 127.0.0.1; --ca FILE to trust a private CA), AUTH
 * PLAIN when a user is given,
 * then MAIL/RCPT/DATA (pipelined when the server allows) with the message read in chunks
 * from a file or stdin. Exits 0 when the server accepted the message.
 *
 *   npx tsx examples/smtp-send.ts --port 2525 --from a@example.org --to b@example.org,c@example.org --file msg.eml
 *   (also --host, --user, --password, --helo; or MAILWIRE_HOST, MAILWIRE_PORT ...; no --file = stdin)
 */
import { createReadStream } from 'node:fs';
import { readFileSync } from 'node:fs';
import { smtp } from 'mailwire';
import { connect } from 'mailwire/node';
import { opt, need, deadline } from './args';

const usage = 'smtp-send.ts --port N --from ADDR --to ADDR[,ADDR] [--file F] [--host H] [--user U --password P]';
const host = opt('host', '127.0.0.1')!;
const port = Number(need('port', usage));
const from = need('from', usage);
const to = need('to', usage).split(',');
const user = opt('user');
deadline(Number(opt('timeout', '60000')));

const session = new smtp.ClientSession({ domain: opt('helo', 'client.mailwire.example')! });
const ca = opt('ca');
// The session says EHLO by itself when the greeting arrives; `ready` follows its reply.
const w = await connect(session, { host, port, tls: ca ? { ca: readFileSync(ca) } : {} });
const ready = await w.next('ready');

// STARTTLS (RFC 3207): the adapter wraps the socket at the 220 and the session says EHLO again.
if (ready.capabilities?.startTls && (host !== '127.0.0.1' || ca)) {
  w.do((s) => s.startTls());
  await w.next('ready');
}

if (user !== undefined) {
  w.do((s) => s.authenticate({ mechanism: 'PLAIN', user, password: need('password', usage) }));
  const auth = await w.next('auth');
  if (!auth.success) throw new Error(`AUTH failed: ${auth.reply.code} ${auth.reply.lines.join(' ')}`);
}

// Every rejected recipient is reported as it happens; the message event ends the transaction.
w.onEvent((e) => {
  if (e.type === 'recipient' && !e.accepted) console.error(`recipient ${e.to.address} refused: ${e.reply.code} ${e.reply.lines.join(' ')}`);
  return e.type === 'recipient';
});
w.do((s) => s.sendMail({ from, to }));

// Body chunks go to the session as they are read; it normalises line endings and dot-stuffs.
const file = opt('file');
for await (const chunk of file ? createReadStream(file) : process.stdin) w.do((s) => s.writeBody(chunk as Uint8Array));
w.do((s) => s.endBody());
const result = await w.next('message');
console.log(`${result.accepted ? 'accepted' : 'refused'}: ${result.reply.code} ${result.reply.lines.join(' ')}`);

w.do((s) => s.quit());
await w.next('closed');
w.close();
process.exitCode = result.accepted ? 0 : 1;
