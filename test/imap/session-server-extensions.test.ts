import { describe, it, expect } from 'vitest';
import { imap } from '../../src/index';
import { enc, dec } from '../helpers/bytes';

const out = (s: imap.ServerSession) => s.takeOutput().map(dec).join('');

/** A session in the wanted state, output drained. */
function session(state: 'not-authenticated' | 'authenticated' | 'selected', capabilities?: string[]): imap.ServerSession {
  const s = new imap.ServerSession({ preauth: state !== 'not-authenticated', capabilities });
  if (state === 'selected') for (const e of s.receive(enc('S0 SELECT INBOX\r\n'))) if (e.type === 'command') s.ok('[READ-WRITE] done');
  s.takeOutput();
  return s;
}

/** Feeds one command; returns the command the application got (or null) and answers it with `answer`. */
function one(s: imap.ServerSession, line: string, answer: (c: imap.Command) => void = () => s.ok()): imap.Command | null {
  let got: imap.Command | null = null;
  for (const e of s.receive(enc(line))) {
    if (e.type === 'command') {
      got = e.command;
      answer(e.command);
    }
  }
  return got;
}

describe('imap ServerSession: extension commands through the session, with their state rules', () => {
  it('rfc2971 ID: valid in every state, the application answers with * ID', () => {
    for (const state of ['not-authenticated', 'authenticated', 'selected'] as const) {
      const s = session(state);
      const c = one(s, 'a023 ID ("name" "sodr" "version" "19.34")\r\n', () => {
        s.untagged({ type: 'untagged', kind: 'ID', params: { name: 'Cyrus', version: '1.5' } });
        s.ok('ID completed');
      });
      expect(c).toMatchObject({ command: 'ID', params: { name: 'sodr', version: '19.34' } });
      expect(out(s)).toBe('* ID ("name" "Cyrus" "version" "1.5")\r\na023 OK ID completed\r\n');
    }
  });

  it('rfc5161 3.1 ENABLE: only in the authenticated state; BAD before login and once a mailbox is selected', () => {
    const s = session('authenticated');
    expect(one(s, 't1 ENABLE CONDSTORE X-GOOD-IDEA\r\n', () => {
      s.untagged({ type: 'untagged', kind: 'ENABLED', capabilities: ['X-GOOD-IDEA'] });
      s.ok();
    })).toMatchObject({ command: 'ENABLE' });
    expect(out(s)).toBe('* ENABLED X-GOOD-IDEA\r\nt1 OK completed\r\n');
    for (const state of ['not-authenticated', 'selected'] as const) {
      const t = session(state);
      expect(one(t, 't2 ENABLE CONDSTORE\r\n')).toBeNull();
      expect(out(t)).toBe(`t2 BAD ENABLE is not valid in the ${state} state\r\n`);
    }
  });

  it('rfc3691 UNSELECT: only in the selected state; OK goes back to authenticated', () => {
    const s = session('selected');
    expect(one(s, 'A342 UNSELECT\r\n')).toMatchObject({ command: 'UNSELECT' });
    expect(s.state).toBe('authenticated');
    expect(one(s, 'A343 UNSELECT\r\n')).toBeNull();
    expect(out(s)).toBe('A342 OK completed\r\nA343 BAD UNSELECT is not valid in the authenticated state\r\n');
  });

  it('rfc8437 UNAUTHENTICATE: from selected back to not-authenticated, where AUTH= and LOGIN come back', () => {
    const s = session('selected', ['IMAP4rev1', 'UNAUTHENTICATE', 'AUTH=PLAIN']);
    expect(one(s, 'a1 UNAUTHENTICATE\r\n')).toMatchObject({ command: 'UNAUTHENTICATE' });
    expect(s.state).toBe('not-authenticated');
    one(s, 'a2 CAPABILITY\r\n');
    expect(out(s)).toBe('a1 OK completed\r\n* CAPABILITY IMAP4rev1 UNAUTHENTICATE AUTH=PLAIN\r\na2 OK completed\r\n');
    expect(one(s, 'a3 UNAUTHENTICATE\r\n')).toBeNull();
    expect(one(s, 'a4 LOGIN smith sesame\r\n')).toMatchObject({ command: 'LOGIN' });
  });

  it('rfc8514 SAVEDATE: FETCH SAVEDATE in the selected state, the answer carries the date (NIL allowed)', () => {
    const s = session('selected');
    const c = one(s, 'A1 FETCH 1:2 SAVEDATE\r\n', () => {
      s.untagged({ type: 'untagged', kind: 'FETCH', seq: 1, attributes: { saveDate: '01-Jan-2020 10:00:00 +0000' } });
      s.untagged({ type: 'untagged', kind: 'FETCH', seq: 2, attributes: { saveDate: null } });
      s.ok();
    });
    expect(c).toMatchObject({ command: 'FETCH' });
    expect(out(s)).toBe('* 1 FETCH (SAVEDATE "01-Jan-2020 10:00:00 +0000")\r\n* 2 FETCH (SAVEDATE NIL)\r\nA1 OK completed\r\n');
    const t = session('authenticated');
    expect(one(t, 'A2 FETCH 1 SAVEDATE\r\n')).toBeNull();
  });

  it('rfc8474 OBJECTID: CREATE answered with MAILBOXID, FETCH EMAILID THREADID', () => {
    const s = session('selected');
    one(s, 'A1 CREATE foo\r\n', () => s.ok('completed', { name: 'MAILBOXID', raw: '(F2212ea87-6097-4256-9d51-71338625)' }));
    const f = one(s, 'A2 FETCH 1 (EMAILID THREADID)\r\n', () => {
      s.untagged({ type: 'untagged', kind: 'FETCH', seq: 1, attributes: { emailId: 'M6d99ac3275bb4e', threadId: 'T64b478a75b7ea9' } });
      s.ok();
    });
    expect(f).toMatchObject({ command: 'FETCH' });
    expect(out(s)).toBe('A1 OK [MAILBOXID (F2212ea87-6097-4256-9d51-71338625)] completed\r\n* 1 FETCH (EMAILID (M6d99ac3275bb4e) THREADID (T64b478a75b7ea9))\r\nA2 OK completed\r\n');
  });

  it('rfc9208 QUOTA: GETQUOTA and SETQUOTA with several resources, authenticated or selected only', () => {
    const s = session('authenticated');
    const set = one(s, 'S1 SETQUOTA "" (STORAGE 512 MESSAGE 1000)\r\n', () => {
      s.untagged({ type: 'untagged', kind: 'QUOTA', root: '', resources: [{ name: 'STORAGE', usage: 10, limit: 512 }, { name: 'MESSAGE', usage: 3, limit: 1000 }] });
      s.ok();
    });
    expect(set).toMatchObject({ command: 'SETQUOTA', root: '', limits: [{ resource: 'STORAGE', limit: 512 }, { resource: 'MESSAGE', limit: 1000 }] });
    expect(one(s, 'G1 GETQUOTA ""\r\n')).toMatchObject({ command: 'GETQUOTA', root: '' });
    expect(out(s)).toBe('* QUOTA "" (STORAGE 10 512 MESSAGE 3 1000)\r\nS1 OK completed\r\nG1 OK completed\r\n');
    const t = session('not-authenticated');
    expect(one(t, 'G2 GETQUOTA ""\r\n')).toBeNull();
  });

  it('rfc5819 LIST-STATUS: LIST ... RETURN (STATUS (...)) reaches the application, which answers LIST then STATUS', () => {
    const s = session('authenticated');
    const c = one(s, 'A01 LIST "" % RETURN (STATUS (MESSAGES UNSEEN))\r\n', () => {
      s.untagged({ type: 'untagged', kind: 'LIST', attributes: ['\\HasNoChildren'], delimiter: '.', mailbox: 'INBOX', extended: {} });
      s.untagged({ type: 'untagged', kind: 'STATUS', mailbox: 'INBOX', attributes: { MESSAGES: 17, UNSEEN: 16 } });
      s.ok('List completed.');
    });
    expect(c).toMatchObject({ command: 'LIST', returnOptions: [{ status: ['MESSAGES', 'UNSEEN'] }] });
    expect(out(s)).toBe('* LIST (\\HasNoChildren) "." INBOX\r\n* STATUS INBOX (MESSAGES 17 UNSEEN 16)\r\nA01 OK List completed.\r\n');
    const t = session('not-authenticated');
    expect(one(t, 'A02 LIST "" % RETURN (STATUS (MESSAGES))\r\n')).toBeNull();
  });
});
