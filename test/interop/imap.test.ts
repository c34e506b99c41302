/** mailwire's IMAP ClientSession against Dovecot. Every message goes in with APPEND or SMTP and is read back byte for byte. */
import { afterAll, describe, expect, it } from 'vitest';
import { imap } from '../../src/index';
import { fetchBody, messageIdOf } from './mailbox';
import { big, concat, dec, enc, expectDeliveredIntact, expectSameBytes, forwarded, multipart, plain } from './messages';
import { closeAll, deliver, imapLogin, imapLogout, imapOk, imapRun, openImap, servers, STEP_MS, withTimeout, type ImapWire } from './net';

afterAll(closeAll);

const info = servers();
const D = info.domain;
const USER = 'imapuser';
const PASSWORD = info.users[USER]!.password;
const me = `${USER}@${D}`;

type Untagged = imap.UntaggedResponse;
type FetchData = Extract<Untagged, { kind: 'FETCH' }>;

function set(text: string): imap.SequenceSet {
  const s = imap.SequenceSet.parse(text);
  if (s instanceof Error) throw s;
  return s;
}
const BODY_PEEK = (part: number[] = []): imap.FetchItem => ({ item: 'BODY[]', peek: true, section: { part, text: null, fields: [] }, partial: null });
const fetches = (u: readonly Untagged[]): FetchData[] => u.filter((r): r is FetchData => r.kind === 'FETCH');
/** The member of Untagged whose `kind` admits K (some members share several kinds, e.g. LIST | LSUB). */
type OfKind<K, U = Untagged> = U extends { kind: infer KK } ? (K extends KK ? U : never) : never;
const kind = <K extends Untagged['kind']>(u: readonly Untagged[], k: K) => u.filter((r): r is OfKind<K> & Untagged => r.kind === k);

/** Takes the session's pending output by hand (to look at it), writes it, returns it as text. */
function flushSeen(w: ImapWire): string {
  const bytes = concat(w.session.takeOutput());
  w.socket.write(bytes);
  return dec(bytes);
}

/** APPENDs one message and returns its UID (from APPENDUID, RFC 4315). */
async function append(w: ImapWire, mailbox: string, message: Uint8Array, flags: string[] | null = null): Promise<number> {
  const { done } = await imapOk(w, { command: 'APPEND', mailbox, messages: [{ flags, date: null, message, binary: false }] });
  expect(done.response.code?.name).toBe('APPENDUID');
  return done.response.code!.uids!.toArray(0xffffffff)[0]!;
}

/** A message with extra header fields (threading tests). */
function threaded(subject: string, id: string, day: number, extra: string[] = []): Uint8Array {
  return enc([`From: <sender@${D}>`, `To: <${me}>`, `Subject: ${subject}`, `Date: ${day} Oct 2026 12:00:00 +0000`, `Message-ID: <${id}@client.interop.test>`, ...extra].join('\r\n') + `\r\n\r\nBody of ${subject}.\r\n`);
}

describe('IMAP ClientSession against Dovecot', () => {
  it('LOGIN: a wrong password is refused; the right one gives the post-login capabilities', async () => {
    const w = await openImap(info.ports.imap);
    expect(w.session.state).toBe('not-authenticated');
    expect(w.session.capabilities.has('SASL-IR')).toBe(true);
    expect(w.session.capabilities.has('LITERAL-')).toBe(true);
    const bad = await imapRun(w, { command: 'LOGIN', user: USER, password: 'wrong' });
    expect(bad.done.response.status).toBe('NO');
    expect(bad.done.response.code?.name).toBe('AUTHENTICATIONFAILED');
    expect(w.session.state).toBe('not-authenticated');
    // A password that needs quoting still goes out safely (and is refused, not mis-parsed).
    const quoted = await imapRun(w, { command: 'LOGIN', user: USER, password: 'has "quotes" and \\ backslash' });
    expect(quoted.done.response.status).toBe('NO');
    const ok = await imapOk(w, { command: 'LOGIN', user: USER, password: PASSWORD });
    expect(ok.done.response.code?.name).toBe('CAPABILITY');
    expect(w.session.state).toBe('authenticated');
    for (const c of ['CONDSTORE', 'QRESYNC', 'ESEARCH', 'SORT', 'THREAD=REFERENCES', 'MOVE', 'UIDPLUS', 'SPECIAL-USE', 'LIST-EXTENDED', 'ENABLE', 'IDLE']) expect(w.session.capabilities.has(c), c).toBe(true);
    await imapLogout(w);
  });

  it('AUTHENTICATE PLAIN with SASL-IR, and AUTHENTICATE LOGIN through continuations', async () => {
    const w = await openImap(info.ports.imap);
    w.session.authenticate({ mechanism: 'PLAIN', user: USER, password: 'wrong' });
    expect(flushSeen(w)).toMatch(/^A1 AUTHENTICATE PLAIN [A-Za-z0-9+/]+=*\r\n$/); // initial response on the command line
    const bad = await w.next('completed', STEP_MS);
    expect(bad.response.status).toBe('NO');
    const tag = w.do((s) => s.authenticate({ mechanism: 'PLAIN', user: USER, password: PASSWORD }));
    const ok = await w.next('completed', STEP_MS);
    expect([ok.tag, ok.response.status]).toEqual([tag, 'OK']);
    expect(w.session.state).toBe('authenticated');
    await imapLogout(w);

    const w2 = await openImap(info.ports.imap);
    w2.do((s) => s.authenticate({ mechanism: 'LOGIN', user: USER, password: PASSWORD }));
    const done = await w2.next('completed', STEP_MS);
    expect(done.response.status).toBe('OK');
    expect(w2.session.state).toBe('authenticated');
    await imapLogout(w2);
  });

  it('CREATE and LIST mailboxes with non-ASCII names (modified UTF-7 on the wire)', async () => {
    const w = await imapLogin(USER);
    const raw: string[] = [];
    w.socket.on('data', (d: Buffer) => raw.push(d.toString('latin1')));
    w.session.send({ command: 'CREATE', mailbox: 'Entwürfe' });
    w.session.send({ command: 'CREATE', mailbox: '日本語' });
    w.session.send({ command: 'CREATE', mailbox: 'Entwürfe/Geschäft & Privat' });
    const out = flushSeen(w);
    expect(out).toContain(' CREATE Entw&APw-rfe\r\n');
    expect(out).toContain(' CREATE &ZeVnLIqe-\r\n');
    expect(out).toContain(' CREATE "Entw&APw-rfe/Gesch&AOQ-ft &- Privat"\r\n');
    const created = await w.until((e) => e.type === 'completed' && e.command.command === 'CREATE' && (e.command as { mailbox: string }).mailbox.startsWith('Entwürfe/'), STEP_MS);
    expect(created.filter((e) => e.type === 'completed').map((e) => (e.type === 'completed' ? e.response.status : ''))).toEqual(['OK', 'OK', 'OK']);

    const { done } = await imapOk(w, { command: 'LIST', reference: '', pattern: '*' });
    const list = kind(done.untagged, 'LIST');
    const names = list.map((l) => l.mailbox);
    expect(names).toEqual(expect.arrayContaining(['INBOX', 'Entwürfe', '日本語', 'Entwürfe/Geschäft & Privat', 'Drafts', 'Sent', 'Trash']));
    expect(list.find((l) => l.mailbox === 'Entwürfe')!.attributes).toContain('\\HasChildren');
    expect(list.find((l) => l.mailbox === '日本語')!.delimiter).toBe('/');
    expect(raw.join('')).toContain('&ZeVnLIqe-');
    expect(raw.join('')).toContain('Entw&APw-rfe/Gesch&AOQ-ft &- Privat');

    // LIST-EXTENDED: a pattern list and RETURN (SPECIAL-USE).
    const su = await imapOk(w, { command: 'LIST', reference: '', pattern: ['Dr*', '日*'], returnOptions: ['SPECIAL-USE'] });
    const suList = kind(su.done.untagged, 'LIST');
    expect(suList.map((l) => l.mailbox).sort()).toEqual(['Drafts', '日本語']);
    expect(suList.find((l) => l.mailbox === 'Drafts')!.attributes).toContain('\\Drafts');

    // The names work as names: SELECT one, STATUS another, then delete them.
    const sel = await imapOk(w, { command: 'SELECT', mailbox: '日本語' });
    expect(sel.done.response.code?.name).toBe('READ-WRITE');
    expect(w.session.mailbox?.name).toBe('日本語');
    const st = await imapOk(w, { command: 'STATUS', mailbox: 'Entwürfe/Geschäft & Privat', items: ['MESSAGES', 'UIDNEXT'] });
    expect(kind(st.done.untagged, 'STATUS')[0]).toMatchObject({ mailbox: 'Entwürfe/Geschäft & Privat', attributes: { MESSAGES: 0, UIDNEXT: 1 } });
    await imapOk(w, { command: 'UNSELECT' });
    for (const m of ['Entwürfe/Geschäft & Privat', 'Entwürfe', '日本語']) await imapOk(w, { command: 'DELETE', mailbox: m });
    await imapLogout(w);
  });

  it('APPEND with a non-synchronizing literal (LITERAL-, small) and a synchronizing one (large); both come back byte for byte', async () => {
    const w = await imapLogin(USER);
    await imapOk(w, { command: 'CREATE', mailbox: 'Appended' });
    const small = plain(`sender@${D}`, me, 'small append');
    const large = big(`sender@${D}`, me, 'large append', 200_000);

    const smallTag = w.session.send({ command: 'APPEND', mailbox: 'Appended', messages: [{ flags: ['\\Seen'], date: '01-Oct-2026 10:00:00 +0000', message: small, binary: false }] });
    const smallOut = flushSeen(w);
    // LITERAL- allows {n+} up to 4096 octets: command and message leave in one go.
    expect(smallOut).toBe(`${smallTag} APPEND Appended (\\Seen) "01-Oct-2026 10:00:00 +0000" {${small.length}+}\r\n${dec(small)}\r\n`);
    const s1 = await w.until((e) => e.type === 'completed' && e.tag === smallTag, STEP_MS);
    const sDone = s1[s1.length - 1] as Extract<imap.ClientEvent, { type: 'completed' }>;
    expect(sDone.response.status).toBe('OK');

    const largeTag = w.session.send({ command: 'APPEND', mailbox: 'Appended', messages: [{ flags: null, date: null, message: large, binary: false }] });
    // Over 4096 octets: a synchronizing literal; the octets wait for the server's "+".
    expect(flushSeen(w)).toBe(`${largeTag} APPEND Appended {${large.length}}\r\n`);
    const l1 = await w.until((e) => e.type === 'completed' && e.tag === largeTag, STEP_MS);
    const lDone = l1[l1.length - 1] as Extract<imap.ClientEvent, { type: 'completed' }>;
    expect(lDone.response.status).toBe('OK');

    await imapOk(w, { command: 'EXAMINE', mailbox: 'Appended' });
    expect(w.session.mailbox).toMatchObject({ name: 'Appended', exists: 2, readOnly: true });
    const smallUid = sDone.response.code!.uids!.toArray(0xffffffff)[0]!;
    const largeUid = lDone.response.code!.uids!.toArray(0xffffffff)[0]!;
    expectSameBytes(await fetchBody(w, smallUid), small);
    expectSameBytes(await fetchBody(w, largeUid), large);
    const { done } = await imapOk(w, { command: 'FETCH', uid: true, set: set(String(smallUid)), items: [{ item: 'FLAGS' }, { item: 'INTERNALDATE' }, { item: 'RFC822.SIZE' }] });
    const f = fetches(done.untagged)[0]!.attributes;
    expect(f.flags).toContain('\\Seen');
    expect(f.internalDate?.toISOString()).toBe('2026-10-01T10:00:00.000Z');
    expect(f.rfc822Size).toBe(small.length);
    await imapLogout(w);
  });

  it('APPEND with LITERAL+: a large message goes out at once, without waiting for "+"', async () => {
    const w = await imapLogin('plususer');
    // Dovecot gives this user LITERAL+ (the post-login CAPABILITY code replaces the greeting's LITERAL-).
    expect(w.session.capabilities.has('LITERAL+')).toBe(true);
    expect(w.session.capabilities.has('LITERAL-')).toBe(false);
    const large = big(`sender@${D}`, `plususer@${D}`, 'literal plus', 300_000);
    const tag = w.session.send({ command: 'APPEND', mailbox: 'INBOX', messages: [{ flags: null, date: null, message: large, binary: false }] });
    const bytes = concat(w.session.takeOutput());
    w.socket.write(bytes);
    const head = `${tag} APPEND INBOX {${large.length}+}\r\n`;
    expect(bytes.length).toBe(head.length + large.length + 2);
    expect(dec(bytes.subarray(0, head.length))).toBe(head);
    const events = await w.until((e) => e.type === 'completed' && e.tag === tag, STEP_MS);
    const done = events[events.length - 1] as Extract<imap.ClientEvent, { type: 'completed' }>;
    expect(done.response.status).toBe('OK');
    await imapOk(w, { command: 'EXAMINE', mailbox: 'INBOX' });
    expectSameBytes(await fetchBody(w, done.response.code!.uids!.toArray(0xffffffff)[0]!), large);
    await imapLogout(w);
  });

  it('FETCH ENVELOPE and BODYSTRUCTURE of a multipart and of a forwarded message/rfc822; parts byte for byte', async () => {
    const w = await imapLogin(USER);
    await imapOk(w, { command: 'CREATE', mailbox: 'Structures' });
    const mp = multipart(`sender@${D}`, me, 'multipart =?utf-8?q?Gr=C3=BC=C3=9Fe?=');
    const fwd = forwarded(`other@${D}`, me, 'Fwd: multipart', mp);
    const uMp = await append(w, 'Structures', mp);
    const uFwd = await append(w, 'Structures', fwd);
    await imapOk(w, { command: 'SELECT', mailbox: 'Structures' });
    const { done } = await imapOk(w, { command: 'FETCH', uid: true, set: set(`${uMp},${uFwd}`), items: [{ item: 'UID' }, { item: 'ENVELOPE' }, { item: 'BODYSTRUCTURE' }] });
    const byUid = new Map(fetches(done.untagged).map((f) => [f.attributes.uid, f.attributes]));

    const a = byUid.get(uMp)!;
    expect(a.envelope!.subject).toBe('multipart =?utf-8?q?Gr=C3=BC=C3=9Fe?=');
    expect(imap.decodeEncodedWords(a.envelope!.subject!)).toBe('multipart Grüße');
    expect(a.envelope!.from).toEqual([{ name: 'Interop Sender', adl: null, mailbox: 'sender', host: D }]);
    expect(a.envelope!.to).toEqual([{ name: null, adl: null, mailbox: USER, host: D }]);
    expect(a.envelope!.messageId).toBe(messageIdOf(mp));
    const s = a.bodyStructure as imap.MultiPart;
    expect([s.kind, s.subtype, s.params]).toEqual(['multipart', 'MIXED', { BOUNDARY: 'outer-b' }]);
    const alt = s.parts[0] as imap.MultiPart;
    expect([alt.part, alt.subtype]).toEqual(['1', 'ALTERNATIVE']);
    expect(alt.parts.map((p) => [p.part, (p as imap.SinglePart).type, (p as imap.SinglePart).subtype, (p as imap.SinglePart).encoding])).toEqual([
      ['1.1', 'TEXT', 'PLAIN', '8BIT'],
      ['1.2', 'TEXT', 'HTML', 'QUOTED-PRINTABLE'],
    ]);
    const att = s.parts[1] as imap.SinglePart;
    expect([att.part, att.type, att.subtype, att.encoding]).toEqual(['2', 'APPLICATION', 'OCTET-STREAM', 'BASE64']);
    expect(att.disposition).toEqual({ type: 'ATTACHMENT', params: { FILENAME: 'data.bin' } });

    const b = byUid.get(uFwd)!;
    expect(b.envelope!.subject).toBe('Fwd: multipart');
    const fs = b.bodyStructure as imap.MultiPart;
    expect(fs.parts.map((p) => p.part)).toEqual(['1', '2']);
    const rfc822 = fs.parts[1] as imap.SinglePart;
    expect([rfc822.type, rfc822.subtype, rfc822.size]).toEqual(['MESSAGE', 'RFC822', mp.length]);
    expect(rfc822.envelope!.subject).toBe(a.envelope!.subject);
    expect(rfc822.envelope!.messageId).toBe(messageIdOf(mp));
    const inner = rfc822.body as imap.MultiPart;
    expect(inner.subtype).toBe('MIXED');
    expect((inner.parts[0] as imap.MultiPart).parts.map((p) => p.part)).toEqual(['2.1.1', '2.1.2']);

    // Sections: the forwarded message is exactly the message we forwarded; a nested text part is exact too.
    const sec = await imapOk(w, { command: 'FETCH', uid: true, set: set(String(uFwd)), items: [BODY_PEEK([2]), BODY_PEEK([2, 1, 1])] });
    const sections = fetches(sec.done.untagged)[0]!.attributes.sections!;
    expect(sections.map((x) => x.section)).toEqual(['2', '2.1.1']);
    expectSameBytes(sections[0]!.data as Uint8Array, mp);
    // The CRLF before a boundary belongs to the boundary (RFC 2046 5.1.1), not to the part.
    expect(dec(sections[1]!.data as Uint8Array)).toBe('Grüße, plain.');
    await imapLogout(w);
  });

  it('a 5 MB BODY[] streams as literal chunks and is byte for byte the appended message', async () => {
    const w0 = await imapLogin(USER);
    await imapOk(w0, { command: 'CREATE', mailbox: 'Big' });
    const msg = big(`sender@${D}`, me, 'five megabytes');
    const uid = await append(w0, 'Big', msg);
    await imapLogout(w0);

    const w = await openImap(info.ports.imap, { parser: { literalThreshold: 64 * 1024 } });
    await imapOk(w, { command: 'LOGIN', user: USER, password: PASSWORD });
    await imapOk(w, { command: 'EXAMINE', mailbox: 'Big' });
    const chunks: Uint8Array[] = [];
    w.onEvent((e) => {
      if (e.type !== 'literal-chunk') return false;
      chunks.push(e.chunk);
      return true;
    });
    const { done, events } = await imapOk(w, { command: 'FETCH', uid: true, set: set(String(uid)), items: [{ item: 'UID' }, { item: 'RFC822.SIZE' }, BODY_PEEK()] }, 60_000);
    w.onEvent(null);
    const end = events.find((e) => e.type === 'literal-end');
    expect(end).toMatchObject({ seq: 1, item: 'BODY[]', size: msg.length });
    expect(chunks.length).toBeGreaterThan(1);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(5 * 1024 * 1024);
    const f = fetches(done.untagged)[0]!.attributes;
    expect(f.rfc822Size).toBe(msg.length);
    expect(f.sections![0]!.data).toEqual({ kind: 'streamed', size: msg.length, binary: false });
    expectSameBytes(concat(chunks), msg);
    await imapLogout(w);
  });

  it('SEARCH, ESEARCH, SORT (and ESORT) and THREAD over a known mailbox', async () => {
    const w = await imapLogin(USER);
    await imapOk(w, { command: 'CREATE', mailbox: 'Threads' });
    const msgs = [
      threaded('Zebra', 't1', 1),
      threaded('Apple', 't2', 2),
      threaded('Re: Zebra', 't3', 3, ['In-Reply-To: <t1@client.interop.test>', 'References: <t1@client.interop.test>']),
      threaded('Mango', 't4', 4),
      threaded('Re: Re: Zebra', 't5', 5, ['In-Reply-To: <t3@client.interop.test>', 'References: <t1@client.interop.test> <t3@client.interop.test>']),
    ];
    const uids: number[] = [];
    for (const m of msgs) uids.push(await append(w, 'Threads', m));
    await imapOk(w, { command: 'SELECT', mailbox: 'Threads' });
    expect(w.session.mailbox!.exists).toBe(5);

    const s1 = await imapOk(w, { command: 'SEARCH', uid: false, charset: null, criteria: [{ key: 'SUBJECT', value: 'zebra' }] });
    expect(kind(s1.done.untagged, 'SEARCH')[0]!.numbers).toEqual([1, 3, 5]);
    const s2 = await imapOk(w, { command: 'SEARCH', uid: true, charset: 'UTF-8', criteria: [{ key: 'HEADER', field: 'Message-ID', value: '<t4@client.interop.test>' }] });
    expect(kind(s2.done.untagged, 'SEARCH')[0]!.numbers).toEqual([uids[3]]);
    const s3 = await imapOk(w, { command: 'SEARCH', uid: false, charset: null, criteria: [{ key: 'NOT', criterion: { key: 'OR', left: { key: 'SUBJECT', value: 'Apple' }, right: { key: 'SUBJECT', value: 'Mango' } } }] });
    expect(kind(s3.done.untagged, 'SEARCH')[0]!.numbers).toEqual([1, 3, 5]);

    const es = await imapOk(w, { command: 'SEARCH', uid: false, returnOptions: ['MIN', 'MAX', 'COUNT', 'ALL'], charset: null, criteria: [{ key: 'OR', left: { key: 'SUBJECT', value: 'Apple' }, right: { key: 'SUBJECT', value: 'Mango' } }] });
    const e1 = kind(es.done.untagged, 'ESEARCH')[0]!;
    expect(e1.tag).toBe(es.done.tag);
    expect(e1.uid).toBe(false);
    expect({ MIN: e1.results.MIN, MAX: e1.results.MAX, COUNT: e1.results.COUNT, ALL: String(e1.results.ALL) }).toEqual({ MIN: 2, MAX: 4, COUNT: 2, ALL: '2,4' });
    const eu = await imapOk(w, { command: 'SEARCH', uid: true, returnOptions: ['COUNT'], charset: null, criteria: [{ key: 'ALL' }] });
    expect(kind(eu.done.untagged, 'ESEARCH')[0]).toMatchObject({ uid: true, results: { COUNT: 5 } });

    const sort = await imapOk(w, { command: 'SORT', uid: false, sort: [{ key: 'SUBJECT', reverse: false }], charset: 'UTF-8', criteria: [{ key: 'ALL' }] });
    expect(kind(sort.done.untagged, 'SORT')[0]!.numbers).toEqual([2, 4, 1, 3, 5]);
    const rsort = await imapOk(w, { command: 'SORT', uid: true, sort: [{ key: 'DATE', reverse: true }], charset: 'UTF-8', criteria: [{ key: 'ALL' }] });
    expect(kind(rsort.done.untagged, 'SORT')[0]!.numbers).toEqual([...uids].reverse());
    const esort = await imapOk(w, { command: 'SORT', uid: false, returnOptions: ['MIN', 'COUNT'], sort: [{ key: 'SUBJECT', reverse: true }], charset: 'UTF-8', criteria: [{ key: 'ALL' }] });
    expect(kind(esort.done.untagged, 'ESEARCH')[0]!.results).toMatchObject({ MIN: 1, COUNT: 5 });

    const th = await imapOk(w, { command: 'THREAD', uid: false, algorithm: 'REFERENCES', charset: 'UTF-8', criteria: [{ key: 'ALL' }] });
    expect(kind(th.done.untagged, 'THREAD')[0]!.threads).toEqual([[1, 3, 5], [2], [4]]);
    const thu = await imapOk(w, { command: 'THREAD', uid: true, algorithm: 'REFERENCES', charset: 'UTF-8', criteria: [{ key: 'SUBJECT', value: 'Zebra' }] });
    expect(kind(thu.done.untagged, 'THREAD')[0]!.threads).toEqual([[uids[0], uids[2], uids[4]]]);
    await imapLogout(w);
  });

  it('ENABLE QRESYNC, SELECT (CONDSTORE), STORE with UNCHANGEDSINCE, MOVE, then SELECT (QRESYNC) reports what changed', async () => {
    // The UID map: under QRESYNC the server reports removals by UID only (RFC 7162 3.2.10).
    const w = await imapLogin(USER, { uidMap: 1000 });
    const en = await imapOk(w, { command: 'ENABLE', capabilities: ['QRESYNC'] });
    expect(kind(en.done.untagged, 'ENABLED')[0]!.capabilities).toContain('QRESYNC');
    expect(w.session.enabledExtensions.has('QRESYNC')).toBe(true);
    await imapOk(w, { command: 'CREATE', mailbox: 'Sync' });
    await imapOk(w, { command: 'CREATE', mailbox: 'Moved' });
    const msgs = [1, 2, 3].map((i) => plain(`sender@${D}`, me, `sync ${i}`));
    const uids: number[] = [];
    for (const m of msgs) uids.push(await append(w, 'Sync', m));

    await imapOk(w, { command: 'SELECT', mailbox: 'Sync', condstore: true });
    const box = w.session.mailbox!;
    expect(box.exists).toBe(3);
    expect(box.uidValidity).toBeGreaterThan(0);
    expect(typeof box.highestModseq).toBe('bigint');
    const modseq0 = box.highestModseq!;
    const uidValidity = box.uidValidity!;
    await imapOk(w, { command: 'FETCH', uid: false, set: set('1:*'), items: [(imap.parseFetchItem('UID') as imap.FetchItem)] });
    expect([1, 2, 3].map((n) => w.session.uidOf(n))).toEqual(uids);

    // STORE: flags with the new MODSEQ come back; with a stale UNCHANGEDSINCE the server refuses (MODIFIED).
    const st = await imapOk(w, { command: 'STORE', uid: true, set: set(String(uids[1])), operation: 'add', silent: false, flags: ['\\Flagged', '$Interop'], unchangedSince: modseq0 });
    const f = fetches(st.done.untagged)[0]!.attributes;
    expect(f.flags).toEqual(expect.arrayContaining(['\\Flagged', '$Interop']));
    expect(f.uid).toBe(uids[1]);
    expect(f.modseq! > modseq0).toBe(true);
    const stale = await imapOk(w, { command: 'STORE', uid: true, set: set(String(uids[1])), operation: 'remove', silent: true, flags: ['\\Flagged'], unchangedSince: modseq0 });
    expect(stale.done.response.code?.name).toBe('MODIFIED');
    expect(stale.done.response.code!.set!.toString()).toBe(String(uids[1]));
    const silent = await imapOk(w, { command: 'STORE', uid: false, set: set('1'), operation: 'set', silent: true, flags: ['\\Seen'], unchangedSince: null });
    expect(fetches(silent.done.untagged).every((x) => x.attributes.flags === undefined)).toBe(true);

    // MOVE (RFC 6851): COPYUID, and the source reports the message gone (VANISHED under QRESYNC).
    const mv = await imapOk(w, { command: 'MOVE', uid: true, set: set(String(uids[2])), mailbox: 'Moved' });
    const copyuid = [mv.done.response.code, ...kind(mv.done.untagged, 'OK').map((o) => o.code)].find((c) => c?.name === 'COPYUID')!;
    expect(copyuid.sourceUids!.toString()).toBe(String(uids[2]));
    const vanished = kind(mv.done.untagged, 'VANISHED');
    expect(vanished.map((v) => [v.earlier, v.uids.toString()])).toEqual([[false, String(uids[2])]]);
    expect(w.session.mailbox!.exists).toBe(2);
    expect([w.session.uidOf(1), w.session.uidOf(2), w.session.seqOf(uids[2]!)]).toEqual([uids[0], uids[1], null]);
    const movedUid = copyuid.uids!.toArray(0xffffffff)[0]!;

    // Quick resync: only the changes since modseq0 come back.
    await imapOk(w, { command: 'UNSELECT' });
    const rs = await imapOk(w, { command: 'SELECT', mailbox: 'Sync', qresync: { uidValidity, modseq: modseq0, knownUids: null, seqMatch: null } });
    const v = kind(rs.done.untagged, 'VANISHED');
    expect(v.map((x) => [x.earlier, x.uids.toString()])).toEqual([[true, String(uids[2])]]);
    const changed = fetches(rs.done.untagged).map((x) => x.attributes);
    expect(changed.map((x) => x.uid).sort()).toEqual([uids[0], uids[1]]);
    expect(changed.find((x) => x.uid === uids[1])!.flags).toEqual(expect.arrayContaining(['\\Flagged', '$Interop']));
    expect(changed.find((x) => x.uid === uids[0])!.flags).toEqual(['\\Seen']);
    expect(w.session.mailbox!.highestModseq! > modseq0).toBe(true);

    await imapOk(w, { command: 'SELECT', mailbox: 'Moved' });
    expectSameBytes(await fetchBody(w, movedUid), msgs[2]!);
    await imapLogout(w);
  });

  it('IDLE is woken by a concurrent SMTP delivery; DONE ends it; the delivered message is intact', async () => {
    const w = await imapLogin(USER);
    await imapOk(w, { command: 'SELECT', mailbox: 'INBOX' });
    const before = w.session.mailbox!.exists;
    const tag = w.do((s) => s.send({ command: 'IDLE' }));
    expect((await w.next('idling', STEP_MS)).tag).toBe(tag);
    // Commands sent while idling wait for DONE.
    w.session.send({ command: 'NOOP' });
    expect(w.session.takeOutput()).toEqual([]);
    const msg = plain(`sender@${D}`, me, 'wake up');
    await deliver(me, msg);
    const woke = await w.until((e) => e.type === 'untagged' && e.response.kind === 'EXISTS', 30_000);
    const exists = woke[woke.length - 1] as Extract<imap.ClientEvent, { type: 'untagged' }>;
    expect((exists.response as { number: number }).number).toBeGreaterThan(before);
    w.do((s) => s.done());
    const idleDone = await w.until((e) => e.type === 'completed', STEP_MS);
    expect(idleDone[idleDone.length - 1]).toMatchObject({ tag, response: { status: 'OK' } });
    const noop = await w.next('completed', STEP_MS);
    expect(noop.command.command).toBe('NOOP');
    const s = await imapOk(w, { command: 'SEARCH', uid: true, charset: null, criteria: [{ key: 'HEADER', field: 'Message-ID', value: messageIdOf(msg) }] });
    const uid = kind(s.done.untagged, 'SEARCH')[0]!.numbers[0]!;
    expectDeliveredIntact(await fetchBody(w, uid), msg);
    await imapLogout(w);
  });

  it('LOGOUT: BYE, then the tagged OK, then the server closes', async () => {
    const w = await imapLogin(USER);
    const { done, events } = await imapOk(w, { command: 'LOGOUT' });
    expect(events.some((e) => e.type === 'bye')).toBe(true);
    expect(done.response.status).toBe('OK');
    expect(w.session.state).toBe('logout');
    await withTimeout(new Promise<void>((resolve) => (w.socket.destroyed ? resolve() : w.socket.once('close', () => resolve()))), STEP_MS, 'server closing after LOGOUT');
    expect(() => w.session.send({ command: 'NOOP' })).toThrow();
  });
});
