/**
 * Issue 17: ID, ENABLE, UNSELECT, UNAUTHENTICATE, SAVEDATE, OBJECTID, QUOTA resources and
 * LIST-STATUS through the client session (not only the codec): the bytes the session writes,
 * the values its events carry for the RFC's own server lines, and the state it moves to.
 * Each RFC example keeps its wire text; `TAG` stands for the tag the session assigned.
 */
import { describe, expect, it } from 'vitest';
import { imap } from '../../src/index';
import { concat, dec, enc } from '../helpers/bytes';

type Completed = Extract<imap.ClientEvent, { type: 'completed' }>;

/** Sends `intent`, checks the written line against `wire`, answers with `server`; returns the completed event. */
function exchange(c: imap.ClientSession, intent: imap.CommandIntent, wire: string, server: string): Completed {
  const tag = c.send(intent);
  expect(dec(concat(c.takeOutput()))).toBe(wire.replaceAll('TAG', tag));
  const ev = c.receive(enc(server.replaceAll('TAG', tag)));
  expect(ev.filter((e) => e.type === 'error')).toEqual([]);
  const done = ev.find((e) => e.type === 'completed' && e.tag === tag) as Completed | undefined;
  expect(done).toBeDefined();
  return done!;
}

function preauth(caps = 'IMAP4rev1'): imap.ClientSession {
  const c = new imap.ClientSession();
  c.receive(enc(`* PREAUTH [CAPABILITY ${caps}] ready\r\n`));
  return c;
}

describe('rfc2971 ID', () => {
  it('rfc2971 3.3 example: ID with parameters, "* ID NIL" answer; allowed before login too', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* OK [CAPABILITY IMAP4rev1 ID] ready\r\n'));
    const done = exchange(c, { command: 'ID', params: { name: 'sodr', version: '19.34', vendor: 'Pink Floyd Music Limited' } }, 'TAG ID ("name" "sodr" "version" "19.34" "vendor" "Pink Floyd Music Limited")\r\n', '* ID NIL\r\nTAG OK ID completed\r\n');
    expect(done.untagged).toMatchObject([{ kind: 'ID', params: null }]);
    expect(c.state).toBe('not-authenticated');
    const d = exchange(c, { command: 'ID', params: null }, 'TAG ID NIL\r\n', '* ID ("name" "Cyrus" "version" "1.5" "os" "sunos" "os-version" "5.5" "support-url" "mailto:cyrus-bugs+@andrew.cmu.edu")\r\nTAG OK Success\r\n');
    expect(d.untagged[0]).toMatchObject({ kind: 'ID', params: { name: 'Cyrus', 'support-url': 'mailto:cyrus-bugs+@andrew.cmu.edu' } });
  });
});

describe('rfc5161 ENABLE', () => {
  it('rfc5161 3.1 example: only what "* ENABLED" names is enabled', () => {
    const c = preauth('IMAP4rev1 ID LITERAL+ ENABLE X-GOOD-IDEA');
    exchange(c, { command: 'CAPABILITY' }, 'TAG CAPABILITY\r\n', '* CAPABILITY IMAP4rev1 ID LITERAL+ ENABLE X-GOOD-IDEA\r\nTAG OK foo\r\n');
    const done = exchange(c, { command: 'ENABLE', capabilities: ['CONDSTORE', 'X-GOOD-IDEA'] }, 'TAG ENABLE CONDSTORE X-GOOD-IDEA\r\n', '* ENABLED X-GOOD-IDEA\r\nTAG OK foo\r\n');
    expect(done.untagged).toMatchObject([{ kind: 'ENABLED', capabilities: ['X-GOOD-IDEA'] }]);
    expect([...c.enabledExtensions]).toEqual(['X-GOOD-IDEA']);
  });

  it('rfc6855 3 ENABLE UTF8=ACCEPT: later mailbox names are written as UTF-8, not modified UTF-7', () => {
    const c = preauth('IMAP4rev1 ENABLE UTF8=ACCEPT');
    exchange(c, { command: 'SELECT', mailbox: 'Entwürfe' }, 'TAG SELECT Entw&APw-rfe\r\n', 'TAG OK [READ-WRITE] done\r\n');
    exchange(c, { command: 'ENABLE', capabilities: ['UTF8=ACCEPT'] }, 'TAG ENABLE UTF8=ACCEPT\r\n', '* ENABLED UTF8=ACCEPT\r\nTAG OK done\r\n');
    exchange(c, { command: 'SELECT', mailbox: 'Entwürfe' }, 'TAG SELECT "Entwürfe"\r\n', 'TAG OK [READ-WRITE] done\r\n');
  });

  it('ENABLE needs an authenticated session', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* OK ready\r\n'));
    expect(() => c.send({ command: 'ENABLE', capabilities: ['QRESYNC'] })).toThrow();
  });
});

describe('rfc3691 UNSELECT', () => {
  it('rfc3691 3 example: "A342 OK Unselect completed" leaves selected state without expunging', () => {
    const c = preauth('IMAP4rev1 UNSELECT');
    exchange(c, { command: 'SELECT', mailbox: 'INBOX' }, 'TAG SELECT INBOX\r\n', '* 18 EXISTS\r\n* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\nTAG OK [READ-WRITE] SELECT completed\r\n');
    expect(c.state).toBe('selected');
    exchange(c, { command: 'UNSELECT' }, 'TAG UNSELECT\r\n', 'TAG OK Unselect completed\r\n');
    expect(c.state).toBe('authenticated');
    expect(c.mailbox).toBe(null);
    expect(() => c.send({ command: 'UNSELECT' })).toThrow();
    expect(() => c.send({ command: 'FETCH', uid: false, set: imap.SequenceSet.from([1]), items: [(imap.parseFetchItem('FLAGS') as imap.FetchItem)] })).toThrow();
  });

  it('a refused UNSELECT keeps the mailbox selected', () => {
    const c = preauth();
    exchange(c, { command: 'SELECT', mailbox: 'INBOX' }, 'TAG SELECT INBOX\r\n', '* 2 EXISTS\r\nTAG OK [READ-WRITE] done\r\n');
    exchange(c, { command: 'UNSELECT' }, 'TAG UNSELECT\r\n', 'TAG BAD Unknown command\r\n');
    expect(c.state).toBe('selected');
    expect(c.mailbox?.exists).toBe(2);
  });
});

describe('rfc8437 UNAUTHENTICATE', () => {
  it('rfc8437 3: back to not authenticated; mailbox, enabled extensions and capabilities are gone; LOGIN again', () => {
    const c = preauth('IMAP4rev1 ENABLE UNAUTHENTICATE CONDSTORE');
    exchange(c, { command: 'ENABLE', capabilities: ['CONDSTORE'] }, 'TAG ENABLE CONDSTORE\r\n', '* ENABLED CONDSTORE\r\nTAG OK Enabled\r\n');
    exchange(c, { command: 'SELECT', mailbox: 'INBOX' }, 'TAG SELECT INBOX\r\n', '* 3 EXISTS\r\nTAG OK [READ-WRITE] done\r\n');
    exchange(c, { command: 'UNAUTHENTICATE' }, 'TAG UNAUTHENTICATE\r\n', 'TAG OK Unauthenticate completed\r\n');
    expect(c.state).toBe('not-authenticated');
    expect(c.mailbox).toBe(null);
    expect(c.enabledExtensions.size).toBe(0);
    expect(c.capabilities.size).toBe(0);
    expect(() => c.send({ command: 'SELECT', mailbox: 'INBOX' })).toThrow();
    exchange(c, { command: 'LOGIN', user: 'bob', password: 'secret' }, 'TAG LOGIN bob secret\r\n', 'TAG OK [CAPABILITY IMAP4rev1 UNAUTHENTICATE] Logged in\r\n');
    expect(c.state).toBe('authenticated');
  });

  it('rfc8437 3: capabilities sent with the OK are kept', () => {
    const c = preauth('IMAP4rev1 UNAUTHENTICATE');
    exchange(c, { command: 'UNAUTHENTICATE' }, 'TAG UNAUTHENTICATE\r\n', 'TAG OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] done\r\n');
    expect([...c.capabilities]).toEqual(['IMAP4REV1', 'STARTTLS', 'AUTH=PLAIN']);
  });
});

describe('rfc8514 SAVEDATE', () => {
  it('rfc8514 4: FETCH SAVEDATE, a date or NIL per message', () => {
    const c = preauth('IMAP4rev1 SAVEDATE');
    exchange(c, { command: 'SELECT', mailbox: 'INBOX' }, 'TAG SELECT INBOX\r\n', '* 2 EXISTS\r\nTAG OK [READ-WRITE] done\r\n');
    const done = exchange(c, { command: 'FETCH', uid: false, set: (imap.SequenceSet.parse('1:2') as imap.SequenceSet), items: [(imap.parseFetchItem('SAVEDATE') as imap.FetchItem)] }, 'TAG FETCH 1:2 (SAVEDATE)\r\n', '* 1 FETCH (SAVEDATE "21-Jan-2019 09:32:51 +0100")\r\n* 2 FETCH (SAVEDATE NIL)\r\nTAG OK Fetch completed.\r\n');
    expect(done.untagged.map((u) => (u.kind === 'FETCH' ? u.attributes.saveDate : undefined))).toEqual(['21-Jan-2019 09:32:51 +0100', null]);
  });
});

describe('rfc8474 OBJECTID', () => {
  it('rfc8474 4.1/5.1/5.2 examples: MAILBOXID on CREATE and STATUS, EMAILID and THREADID (NIL) on FETCH', () => {
    const c = preauth('IMAP4rev1 OBJECTID');
    const created = exchange(c, { command: 'CREATE', mailbox: 'foo' }, 'TAG CREATE foo\r\n', 'TAG OK [MAILBOXID (F2212ea87-6097-4256-9d51-71338625)] Completed\r\n');
    expect(created.response.code).toMatchObject({ name: 'MAILBOXID', objectId: 'F2212ea87-6097-4256-9d51-71338625' });
    const status = exchange(c, { command: 'STATUS', mailbox: 'foo', items: ['MAILBOXID'] }, 'TAG STATUS foo (MAILBOXID)\r\n', '* STATUS foo (MAILBOXID (F2212ea87-6097-4256-9d51-71338625))\r\nTAG OK Completed\r\n');
    expect(status.untagged[0]).toMatchObject({ kind: 'STATUS', mailbox: 'foo', attributes: { MAILBOXID: 'F2212ea87-6097-4256-9d51-71338625' } });
    exchange(c, { command: 'SELECT', mailbox: 'foo' }, 'TAG SELECT foo\r\n', '* 3 EXISTS\r\nTAG OK [READ-WRITE] done\r\n');
    const fetched = exchange(c, { command: 'FETCH', uid: false, set: (imap.SequenceSet.parse('1:*') as imap.SequenceSet), items: [(imap.parseFetchItem('EMAILID') as imap.FetchItem), (imap.parseFetchItem('THREADID') as imap.FetchItem)] }, 'TAG FETCH 1:* (EMAILID THREADID)\r\n', '* 1 FETCH (EMAILID (M6d99ac3275bb4e) THREADID (T64b478a75b7ea9))\r\n* 2 FETCH (EMAILID (M288836c4c7a762) THREADID (T11863d02dd95b5))\r\n* 3 FETCH (EMAILID (M5fdc09b49ea703) THREADID NIL)\r\nTAG OK done\r\n');
    expect(fetched.untagged.map((u) => (u.kind === 'FETCH' ? [u.attributes.emailId, u.attributes.threadId] : null))).toEqual([
      ['M6d99ac3275bb4e', 'T64b478a75b7ea9'],
      ['M288836c4c7a762', 'T11863d02dd95b5'],
      ['M5fdc09b49ea703', null],
    ]);
    expect(c.mailbox?.exists).toBe(3);
  });
});

describe('rfc9208 QUOTA resources', () => {
  it('rfc9208 4.2/4.3/4.4 examples: GETQUOTA, GETQUOTAROOT, SETQUOTA with STORAGE and MESSAGE', () => {
    const c = preauth('IMAP4rev1 QUOTA QUOTA=RES-STORAGE QUOTA=RES-MESSAGE QUOTASET');
    const q = exchange(c, { command: 'GETQUOTA', root: '!partition.sda4' }, 'TAG GETQUOTA "!partition.sda4"\r\n', '* QUOTA "!partition.sda4" (STORAGE 104 10923847)\r\nTAG OK Getquota complete\r\n');
    expect(q.untagged[0]).toMatchObject({ kind: 'QUOTA', root: '!partition.sda4', resources: [{ name: 'STORAGE', usage: 104, limit: 10923847 }] });
    const r = exchange(c, { command: 'GETQUOTAROOT', mailbox: 'INBOX' }, 'TAG GETQUOTAROOT INBOX\r\n', '* QUOTAROOT INBOX ""\r\n* QUOTA "" (STORAGE 10 512)\r\nTAG OK Getquotaroot complete\r\n');
    expect(r.untagged).toMatchObject([{ kind: 'QUOTAROOT', mailbox: 'INBOX', roots: [''] }, { kind: 'QUOTA', root: '', resources: [{ name: 'STORAGE', usage: 10, limit: 512 }] }]);
    const two = exchange(c, { command: 'GETQUOTA', root: '#user/alice' }, 'TAG GETQUOTA "#user/alice"\r\n', '* QUOTA "#user/alice" (STORAGE 54 111 MESSAGE 42 1000)\r\nTAG OK Getquota completed\r\n');
    expect(two.untagged[0]).toMatchObject({ resources: [{ name: 'STORAGE', usage: 54, limit: 111 }, { name: 'MESSAGE', usage: 42, limit: 1000 }] });
    const set = exchange(c, { command: 'SETQUOTA', root: '#user/alice', limits: [{ resource: 'STORAGE', limit: 510 }] }, 'TAG SETQUOTA "#user/alice" (STORAGE 510)\r\n', '* QUOTA "#user/alice" (STORAGE 58 512)\r\nTAG OK Rounded quota\r\n');
    expect(set.untagged[0]).toMatchObject({ kind: 'QUOTA', resources: [{ name: 'STORAGE', usage: 58, limit: 512 }] });
    expect(c.state).toBe('authenticated');
  });
});

describe('rfc5819 LIST-STATUS', () => {
  it('rfc5819 2 example: STATUS responses ride with the LIST and leave the selected mailbox alone', () => {
    const c = preauth('IMAP4rev1 LIST-EXTENDED LIST-STATUS');
    exchange(c, { command: 'SELECT', mailbox: 'INBOX' }, 'TAG SELECT INBOX\r\n', '* 17 EXISTS\r\nTAG OK [READ-WRITE] done\r\n');
    const done = exchange(
      c,
      { command: 'LIST', reference: '', pattern: '%', returnOptions: [{ status: ['MESSAGES', 'UNSEEN'] }] },
      'TAG LIST "" % RETURN (STATUS (MESSAGES UNSEEN))\r\n',
      '* LIST () "." "INBOX"\r\n* STATUS "INBOX" (MESSAGES 18 UNSEEN 16)\r\n* LIST () "." "foo"\r\n* STATUS "foo" (MESSAGES 30 UNSEEN 29)\r\n* LIST (\\NoSelect) "." "bar"\r\nTAG OK List completed.\r\n',
    );
    expect(done.untagged.map((u) => u.kind)).toEqual(['LIST', 'STATUS', 'LIST', 'STATUS', 'LIST']);
    expect(done.untagged[3]).toMatchObject({ kind: 'STATUS', mailbox: 'foo', attributes: { MESSAGES: 30, UNSEEN: 29 } });
    // STATUS is not mailbox data: the selected INBOX keeps what EXISTS said (RFC 3501 6.3.10).
    expect(c.mailbox?.exists).toBe(17);
    expect(c.state).toBe('selected');
  });
});
