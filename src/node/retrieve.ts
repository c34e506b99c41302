/**
 * Messages out of a mailbox as an async iterator: POP3 (RETR) and IMAP (UID FETCH BODY.PEEK[]),
 * with STARTTLS/STLS before the credentials.
 *
 * @packageDocumentation
 */

import { ClientSession as Pop3Client } from '../pop3/client';
import { ClientSession as ImapClient } from '../imap/client';
import { SequenceSet } from '../imap/sequence-set';
import type { FetchItem } from '../imap/fetch-items';
import { connect, type ConnectOptions, type SocketSession } from './socket-session';
import { requestStartTls } from './start-tls';

/** Connection and login for {@link pop3Messages} and {@link imapMessages}. */
export interface MailboxOptions<S> extends ConnectOptions {
  /** The client session to use (to set its options). Default a new one with default options. */
  readonly createSession?: () => S;
  /** User name. */
  readonly user: string;
  /** Password. */
  readonly password: string;
  /**
   * STARTTLS/STLS before the login: `'required'` (the default without implicit TLS: fails when
   * the server does not offer it, so the password never goes out in clear text),
   * `'opportunistic'`, `'never'`.
   */
  readonly startTls?: 'required' | 'opportunistic' | 'never';
}

/** A message as {@link pop3Messages} yields it. */
export interface Pop3Message {
  /** The message number in this session (1-based). */
  readonly number: number;
  /** The message, dot-unstuffed, with its CRLF line endings. */
  readonly message: Uint8Array;
}

/** A message as {@link imapMessages} yields it. */
export interface ImapMessage {
  /** The message sequence number. */
  readonly seq: number;
  /** The UID. */
  readonly uid: number;
  /** The message (BODY[]). */
  readonly message: Uint8Array;
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

async function upgrade(conn: SocketSession<Pop3Client> | SocketSession<ImapClient>, offered: boolean, options: MailboxOptions<unknown>): Promise<void> {
  const policy = options.startTls ?? (options.implicitTls ? 'never' : 'required');
  if (policy === 'never' || conn.encrypted) return;
  if (!offered) {
    if (policy === 'required') throw new Error('the server does not offer STARTTLS/STLS');
    return;
  }
  (conn as SocketSession<Pop3Client>).do((s) => requestStartTls(s));
  await conn.whenEncrypted();
}

/**
 * Every message of a POP3 mailbox, in order: connect, CAPA, STLS (required by default), USER/PASS,
 * STAT, then one RETR per message as the loop asks for it; QUIT when the loop ends (messages are
 * not deleted).
 *
 * @example
 * ```ts
 * import { pop3Messages } from 'mailwire/node';
 * for await (const { number, message } of pop3Messages({ host: 'pop.example', port: 110, user: 'bob', password: 'secret' })) {
 *   console.log(number, message.length);
 * }
 * ```
 */
export async function* pop3Messages(options: MailboxOptions<Pop3Client>): AsyncGenerator<Pop3Message> {
  const conn = await connect(options.createSession?.() ?? new Pop3Client(), options);
  try {
    await conn.next('greeting');
    conn.do((s) => s.capa());
    await conn.next('response');
    await upgrade(conn, conn.session.capabilities?.stls ?? false, options);
    conn.do((s) => s.login(options.user, options.password));
    const auth = await conn.next('auth');
    if (!auth.success) throw new Error(`POP3 login failed: ${auth.response.text}`);
    conn.do((s) => s.stat());
    const stat = await conn.next('response');
    const count = stat.stat?.count ?? 0;
    for (let n = 1; n <= count; n++) {
      conn.do((s) => s.retr(n));
      const chunks: Uint8Array[] = [];
      for (;;) {
        const [e] = await conn.until(() => true);
        if (e!.type === 'data') chunks.push(e!.chunk);
        else if (e!.type === 'data-end') break;
        else if (e!.type === 'response' && !e!.ok) throw new Error(`RETR ${n} failed: ${e!.response.text}`);
        else if (e!.type === 'closed') throw new Error('the server closed the session');
      }
      yield { number: n, message: concat(chunks) };
    }
  } finally {
    if (!conn.closed && conn.session.state !== 'closed') {
      conn.do((s) => s.quit());
      await conn.next('closed', 5000).catch(() => undefined);
    }
    conn.close();
  }
}

/** Options of {@link imapMessages}. */
export interface ImapMessagesOptions extends MailboxOptions<ImapClient> {
  /** The mailbox. Default `INBOX`. */
  readonly mailbox?: string;
  /** Which messages, by UID. Default all (`1:*`). */
  readonly uids?: SequenceSet;
}

/**
 * The messages of an IMAP mailbox: connect, STARTTLS (required by default), LOGIN, EXAMINE
 * (read-only: nothing is marked \Seen), `UID FETCH uids (UID BODY.PEEK[])`, yielding each message
 * as its FETCH response completes (big literals are gathered from their chunks); LOGOUT when the
 * loop ends.
 *
 * @example
 * ```ts
 * import { imapMessages } from 'mailwire/node';
 * for await (const { uid, message } of imapMessages({ host: 'imap.example', port: 143, user: 'bob', password: 'secret' })) {
 *   console.log(uid, message.length);
 * }
 * ```
 */
export async function* imapMessages(options: ImapMessagesOptions): AsyncGenerator<ImapMessage> {
  const conn = await connect(options.createSession?.() ?? new ImapClient(), options);
  const run = async (command: Parameters<ImapClient['send']>[0]) => {
    const tag = conn.do((s) => s.send(command));
    const done = await conn.until((e) => e.type === 'completed' && e.tag === tag);
    const last = done[done.length - 1]!;
    if (last.type === 'completed' && last.response.status !== 'OK') throw new Error(`${command.command} failed: ${last.response.status} ${last.response.text}`);
  };
  try {
    await conn.next('greeting');
    if (conn.session.capabilities.size === 0) await run({ command: 'CAPABILITY' });
    await upgrade(conn, conn.session.capabilities.has('STARTTLS'), options);
    await run({ command: 'LOGIN', user: options.user, password: options.password });
    await run({ command: 'EXAMINE', mailbox: options.mailbox ?? 'INBOX' });
    if ((conn.session.mailbox?.exists ?? 0) === 0) return;
    const body: FetchItem = { item: 'BODY[]', peek: true, section: { part: [], text: null, fields: [] }, partial: null };
    const set = options.uids ?? (SequenceSet.parse('1:*') as SequenceSet);
    const tag = conn.do((s) => s.send({ command: 'FETCH', uid: true, set, items: [{ item: 'UID' }, body] }));
    const pieces = new Map<number, Uint8Array[]>();
    for (;;) {
      const [e] = await conn.until(() => true);
      if (e!.type === 'literal-chunk' && e!.seq !== null && e!.item?.startsWith('BODY[')) {
        const list = pieces.get(e!.seq) ?? [];
        list.push(e!.chunk);
        pieces.set(e!.seq, list);
      } else if (e!.type === 'untagged' && e!.response.kind === 'FETCH') {
        const r = e!.response;
        const data = r.attributes.sections?.find((s) => s.name === 'BODY[]')?.data;
        const message = data instanceof Uint8Array ? data : concat(pieces.get(r.seq) ?? []);
        pieces.delete(r.seq);
        if (r.attributes.uid !== undefined && (data instanceof Uint8Array || message.length > 0)) yield { seq: r.seq, uid: r.attributes.uid, message };
      } else if (e!.type === 'completed' && e!.tag === tag) {
        if (e!.response.status !== 'OK') throw new Error(`FETCH failed: ${e!.response.status} ${e!.response.text}`);
        break;
      } else if (e!.type === 'closed' || e!.type === 'bye') throw new Error('the server closed the session');
    }
  } finally {
    if (!conn.closed && conn.session.state !== 'logout') {
      conn.do((s) => s.send({ command: 'LOGOUT' }));
      await conn.next('closed', 5000).catch(() => undefined);
    }
    conn.close();
  }
}
