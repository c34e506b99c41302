/**
 * Downloads every message of a POP3 mailbox with mailwire's pop3.ClientSession on a node:net
 * socket: USER/PASS (or APOP with --apop), UIDL, then RETR of each message, streamed chunk by
 * chunk into DIR/<uid>.eml (octets exactly as stored: the session undoes the dot-stuffing).
 * Nothing is deleted. Exits 0 when every message was written.
 *
 *   npx tsx examples/pop3-download.ts --port 110 --user u --password p --dir ./mail [--apop] [--host H]
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { pop3 } from 'mailwire';
import { connect } from 'mailwire/node';
import { opt, need, deadline } from './args';

const usage = 'pop3-download.ts --port N --user U --password P --dir DIR [--apop] [--host H]';
const host = opt('host', '127.0.0.1')!;
const port = Number(need('port', usage));
const user = need('user', usage);
const password = need('password', usage);
const dir = need('dir', usage);
deadline(Number(opt('timeout', '120000')));
mkdirSync(dir, { recursive: true });

const w = await connect(new pop3.ClientSession(), { port, host });
const greeting = await w.next('greeting');

// APOP sends an MD5 digest of the greeting's timestamp and the secret instead of the password.
if (opt('apop') === 'true') {
  if (greeting.timestamp === null) throw new Error('the server does not offer APOP (no timestamp in its greeting)');
  w.do((s) => s.apop(user, password));
} else w.do((s) => s.login(user, password));
const auth = await w.next('auth');
if (!auth.success) throw new Error(`login refused: ${auth.response.text}`);

// UIDL gives a stable name per message; its listing arrives parsed on the response event.
w.do((s) => s.uidl());
const uidl = await w.next('response');
if (!uidl.ok || !uidl.uidl) throw new Error(`UIDL failed: ${uidl.response.text}`);

// Each RETR body streams as data events: write them as they come, never holding a whole message.
let fd = -1;
w.onEvent((e) => {
  if (e.type !== 'data') return false;
  writeSync(fd, e.chunk);
  return true;
});
for (const { message, uid } of uidl.uidl) {
  const file = path.join(dir, `${uid.replace(/[^A-Za-z0-9._-]/g, '_')}.eml`);
  fd = openSync(file, 'w');
  w.do((s) => s.retr(message));
  // A refused RETR ends with its response and no data-end.
  const [last] = (await w.until((e) => e.type === 'data-end' || (e.type === 'response' && !e.ok))).slice(-1);
  closeSync(fd);
  if (last?.type === 'response') throw new Error(`RETR ${message} refused: ${last.response.text}`);
  console.log(`${message} ${uid} -> ${file}`);
}

w.do((s) => s.quit());
await w.next('closed');
w.close();
