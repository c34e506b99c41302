/** Reading delivered messages back over IMAP, to compare them with what was sent. */
import { imap } from '../../src/index';
import { dec } from './messages';
import { eventually, imapLogin, imapLogout, imapOk, type ImapWire } from './net';

/** The Message-ID header value of a message. */
export function messageIdOf(message: Uint8Array): string {
  const m = /\r\nMessage-ID: (<[^>\r\n]+>)\r\n/i.exec(dec(message.subarray(0, 4096)));
  if (!m) throw new Error('message has no Message-ID');
  return m[1]!;
}

function set(text: string): imap.SequenceSet {
  const s = imap.SequenceSet.parse(text);
  if (s instanceof Error) throw s;
  return s;
}

/** UIDs of the messages in the selected mailbox whose Message-ID is `id`. */
export async function uidsByMessageId(w: ImapWire, id: string): Promise<number[]> {
  const { done } = await imapOk(w, { command: 'SEARCH', uid: true, charset: null, criteria: [{ key: 'HEADER', field: 'Message-ID', value: id }] });
  const r = done.untagged.find((u) => u.kind === 'SEARCH');
  return r && r.kind === 'SEARCH' ? [...r.numbers] : [];
}

/** Fetches `BODY.PEEK[]` of one UID (held in memory: for messages under the literal threshold). */
export async function fetchBody(w: ImapWire, uid: number): Promise<Uint8Array> {
  const { done } = await imapOk(w, { command: 'FETCH', uid: true, set: set(String(uid)), items: [{ item: 'BODY[]', peek: true, section: { part: [], text: null, fields: [] }, partial: null }] });
  for (const u of done.untagged) {
    if (u.kind !== 'FETCH' || u.attributes.uid !== uid) continue;
    const data = u.attributes.sections?.[0]?.data;
    if (data instanceof Uint8Array) return data;
  }
  throw new Error(`no BODY[] for UID ${uid}`);
}

/** Waits until `user`'s INBOX holds the message with Message-ID `id` (Postfix hands messages to Dovecot asynchronously). */
export async function waitForMessage(user: string, id: string, ms = 20_000): Promise<void> {
  await withMailbox(user, (w) => waitForUid(w, id, ms));
}

async function waitForUid(w: ImapWire, id: string, ms: number): Promise<number> {
  return eventually(
    async () => {
      await imapOk(w, { command: 'NOOP' });
      return (await uidsByMessageId(w, id))[0];
    },
    ms,
    `message ${id}`,
  );
}

async function withMailbox<T>(user: string, f: (w: ImapWire) => Promise<T>): Promise<T> {
  const w = await imapLogin(user);
  try {
    await imapOk(w, { command: 'EXAMINE', mailbox: 'INBOX' });
    return await f(w);
  } finally {
    await imapLogout(w);
  }
}

/** Waits for the message with Message-ID `id` in `user`'s INBOX and returns its bytes. */
export async function readBack(user: string, id: string, ms = 20_000): Promise<Uint8Array> {
  return withMailbox(user, async (w) => fetchBody(w, await waitForUid(w, id, ms)));
}
