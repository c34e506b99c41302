/**
 * Reads a mailbox with mailwire's imap.ClientSession on a node:net socket: LOGIN, LIST,
 * SELECT, FETCH ENVELOPE of the last messages, then the newest message's BODY[] streamed
 * to a file chunk by chunk (literals above 64 KiB are never held in memory).
 *
 *   npx tsx examples/imap-fetch.ts --port 143 --user u --password p [--mailbox INBOX] [--last 5] [--out newest.eml] [--host H]
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { imap } from 'mailwire';
import { connect } from 'mailwire/node';
import { opt, need, deadline } from './args';

const usage = 'imap-fetch.ts --port N --user U --password P [--mailbox M] [--last N] [--out FILE] [--host H]';
const host = opt('host', '127.0.0.1')!;
const port = Number(need('port', usage));
const mailbox = opt('mailbox', 'INBOX')!;
const last = Number(opt('last', '5'));
const out = opt('out', 'newest.eml')!;
deadline(Number(opt('timeout', '120000')));

const session = new imap.ClientSession({ parser: { literalThreshold: 64 * 1024 } });
const w = await connect(session, { port, host });
await w.next('greeting');

/** Sends one command and waits for its tagged completion (with the untagged data it brought). */
async function run(command: imap.CommandIntent) {
  const tag = w.do((s) => s.send(command));
  const taken = await w.until((e) => e.type === 'completed' && e.tag === tag);
  const done = taken[taken.length - 1] as Extract<imap.ClientEvent, { type: 'completed' }>;
  if (done.response.status !== 'OK') throw new Error(`${command.command} failed: ${done.response.status} ${done.response.text}`);
  return done.untagged;
}

await run({ command: 'LOGIN', user: need('user', usage), password: need('password', usage) });

for (const r of await run({ command: 'LIST', reference: '', pattern: '*' })) {
  if (r.kind === 'LIST') console.log(`mailbox ${JSON.stringify(r.mailbox)} ${r.attributes.join(' ')}`);
}

await run({ command: 'SELECT', mailbox });
const exists = session.mailbox?.exists ?? 0;
console.log(`${mailbox}: ${exists} messages`);
if (exists === 0) process.exit(0);

// ENVELOPE of the last few messages: the session hands back typed, decoded structures.
const set = imap.SequenceSet.from([[Math.max(1, exists - last + 1), exists]]);
let newest = 0;
for (const r of await run({ command: 'FETCH', uid: false, set, items: [{ item: 'UID' }, { item: 'ENVELOPE' }] })) {
  if (r.kind !== 'FETCH') continue;
  const env = r.attributes.envelope;
  const from = env?.from?.map((a) => `${a.mailbox}@${a.host}`).join(', ');
  console.log(`#${r.seq} uid=${r.attributes.uid} from=${from} subject=${imap.decodeEncodedWords(env?.subject ?? '')}`);
  newest = Math.max(newest, r.attributes.uid ?? 0);
}

// BODY.PEEK[] of the newest message: a big literal arrives as literal-chunk events, written
// as they come; a small one arrives whole inside the FETCH response.
const fd = openSync(out, 'w');
let streamed = 0;
let chunks = 0;
w.onEvent((e) => {
  if (e.type !== 'literal-chunk' || !e.item?.startsWith('BODY[')) return false;
  streamed += writeSync(fd, e.chunk);
  chunks++;
  return true;
});
const body = { item: 'BODY[]', peek: true, section: { part: [], text: null, fields: [] }, partial: null } as const;
for (const r of await run({ command: 'FETCH', uid: true, set: imap.SequenceSet.from([newest]), items: [body] })) {
  const data = r.kind === 'FETCH' ? r.attributes.sections?.find((s) => s.name === 'BODY[]')?.data : undefined;
  if (data instanceof Uint8Array) (streamed += writeSync(fd, data)), chunks++;
}
closeSync(fd);
console.log(`uid ${newest}: ${streamed} octets in ${chunks} chunk(s) -> ${out}`);

await run({ command: 'LOGOUT' });
w.close();
