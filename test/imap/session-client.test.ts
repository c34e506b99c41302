import { describe, expect, it } from 'vitest';
import { imap } from '../../src/index';
import { bytewise, concat, dec, enc } from '../helpers/bytes';

const out = (c: imap.ClientSession) => dec(concat(c.takeOutput()));
const HEADER = 'Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\r\nFrom: Terry Gray <gray@cac.washington.edu>\r\nSubject: IMAP4rev1 WG mtg summary and minutes\r\n\r\n';

describe('rfc3501 8 sample session through the client session', () => {
  it('states, tags, correlation, mailbox state; each server response fed one byte at a time', () => {
    const c = new imap.ClientSession({ tagPrefix: 'a00' });
    const ev: imap.ClientEvent[] = [];
    const feed = (s: string) => {
      for (const b of bytewise(enc(s))) ev.push(...c.receive(b));
    };
    feed('* OK IMAP4rev1 Service Ready\r\n');
    expect(c.state).toBe('not-authenticated');
    expect(() => c.send({ command: 'SELECT', mailbox: 'inbox' })).toThrow();
    c.send({ command: 'LOGIN', user: 'mrc', password: 'secret' });
    expect(out(c)).toBe('a001 LOGIN mrc secret\r\n');
    feed('a001 OK LOGIN completed\r\n');
    expect(c.state).toBe('authenticated');
    c.send({ command: 'SELECT', mailbox: 'inbox' });
    expect(out(c)).toBe('a002 SELECT INBOX\r\n');
    feed('* 18 EXISTS\r\n* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n* 2 RECENT\r\n* OK [UNSEEN 17] Message 17 is the first unseen message\r\n* OK [UIDVALIDITY 3857529045] UIDs valid\r\na002 OK [READ-WRITE] SELECT completed\r\n');
    expect(c.state).toBe('selected');
    expect(c.mailbox).toMatchObject({ name: 'INBOX', exists: 18, recent: 2, uidValidity: 3857529045, readOnly: false });
    const selectDone = ev.find((e) => e.type === 'completed' && e.tag === 'a002') as Extract<imap.ClientEvent, { type: 'completed' }>;
    expect(selectDone.untagged.map((u) => u.kind)).toEqual(['EXISTS', 'FLAGS', 'RECENT', 'OK', 'OK']);
    c.send({ command: 'FETCH', uid: false, set: imap.SequenceSet.from([12]), items: [{ item: 'BODY[]', peek: false, section: { part: [], text: 'HEADER', fields: [] }, partial: null }] });
    expect(out(c)).toBe('a003 FETCH 12 (BODY[HEADER])\r\n');
    feed(`* 12 FETCH (BODY[HEADER] {${HEADER.length}}\r\n${HEADER})\r\na003 OK FETCH completed\r\n`);
    const fetchDone = ev.find((e) => e.type === 'completed' && e.tag === 'a003') as Extract<imap.ClientEvent, { type: 'completed' }>;
    const f = fetchDone.untagged[0] as imap.UntaggedResponse & { kind: 'FETCH' };
    expect(dec(f.attributes.sections![0]!.data as Uint8Array)).toBe(HEADER);
    c.send({ command: 'STORE', uid: false, set: imap.SequenceSet.from([12]), operation: 'add', silent: false, flags: ['\\Deleted'], unchangedSince: null });
    expect(out(c)).toBe('a004 STORE 12 +FLAGS (\\Deleted)\r\n');
    feed('* 12 FETCH (FLAGS (\\Seen \\Deleted))\r\na004 OK +FLAGS completed\r\n* 3 EXPUNGE\r\n');
    expect(c.mailbox?.exists).toBe(17);
    c.send({ command: 'LOGOUT' });
    expect(out(c)).toBe('a005 LOGOUT\r\n');
    feed('* BYE IMAP4rev1 server terminating connection\r\na005 OK LOGOUT completed\r\n');
    expect(c.state).toBe('logout');
    expect(ev.map((e) => e.type)).toContain('bye');
    expect(ev.at(-1)).toEqual({ type: 'closed' });
  });
});

describe('literal flow, IDLE, AUTHENTICATE, capabilities', () => {
  it('a synchronizing literal waits for "+"; LITERAL+ does not', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* OK ready\r\n'));
    c.send({ command: 'LOGIN', user: 'fred', password: 'pass\r\nword' });
    c.send({ command: 'NOOP' });
    expect(out(c)).toBe('A1 LOGIN fred {10}\r\n');
    c.receive(enc('+ Ready for literal data\r\n'));
    // NOOP waits for the LOGIN's answer (commands are not pipelined behind a login).
    expect(out(c)).toBe('pass\r\nword\r\n');
    c.receive(enc('A1 OK LOGIN completed\r\n'));
    expect(out(c)).toBe('A2 NOOP\r\n');
    const d = new imap.ClientSession();
    d.receive(enc('* OK [CAPABILITY IMAP4rev1 LITERAL+] ready\r\n'));
    d.send({ command: 'LOGIN', user: 'fred', password: 'pass\r\nword' });
    expect(out(d)).toBe('A1 LOGIN fred {10+}\r\npass\r\nword\r\n');
  });

  it('rfc2177 IDLE: commands wait until DONE completes it', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* PREAUTH ready\r\n'));
    expect(c.state).toBe('authenticated');
    c.send({ command: 'SELECT', mailbox: 'INBOX' });
    c.receive(enc('* 3 EXISTS\r\nA1 OK [READ-WRITE] done\r\n'));
    const tag = c.send({ command: 'IDLE' });
    c.send({ command: 'NOOP' });
    expect(out(c)).toBe('A1 SELECT INBOX\r\nA2 IDLE\r\n');
    expect(c.receive(enc('+ idling\r\n'))).toEqual([{ type: 'idling', tag }]);
    c.receive(enc('* 4 EXISTS\r\n'));
    expect(c.mailbox?.exists).toBe(4);
    c.done();
    expect(out(c)).toBe('DONE\r\n');
    c.receive(enc('A2 OK IDLE terminated\r\n'));
    expect(out(c)).toBe('A3 NOOP\r\n');
  });

  it('rfc4959 SASL-IR when offered; otherwise the initial response answers the "+" challenge', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready\r\n'));
    c.authenticate({ mechanism: 'PLAIN', user: 'tim', password: 'tanstaaftanstaaf' });
    expect(out(c)).toBe('A1 AUTHENTICATE PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm\r\n');
    c.receive(enc('A1 OK [CAPABILITY IMAP4rev1 IDLE] Success\r\n'));
    expect(c.state).toBe('authenticated');
    expect([...c.capabilities]).toEqual(['IMAP4rev1', 'IDLE'].map((s) => s.toUpperCase()));
    const d = new imap.ClientSession();
    d.receive(enc('* OK ready\r\n'));
    d.authenticate({ mechanism: 'PLAIN', user: 'tim', password: 'tanstaaftanstaaf' });
    expect(out(d)).toBe('A1 AUTHENTICATE PLAIN\r\n');
    d.receive(enc('+ \r\n'));
    expect(out(d)).toBe('AHRpbQB0YW5zdGFhZnRhbnN0YWFm\r\n');
  });

  it('hostile server: unknown tags and unasked continuations are reported; the session stays consistent', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* OK ready\r\n'));
    const ev = c.receive(enc('Z9 OK what\r\n+ nobody asked\r\n* 5 EXISTS\r\n'));
    expect(ev.map((e) => (e.type === 'error' ? e.error.code : e.type))).toEqual(['UNEXPECTED', 'UNEXPECTED', 'untagged']);
    expect(c.state).toBe('not-authenticated');
    c.send({ command: 'NOOP' });
    expect(c.receive(enc('A1 OK done\r\n'))).toMatchObject([{ type: 'completed', tag: 'A1' }]);
  });
});

describe('AUTHENTICATE with a mechanism the application runs', () => {
  it('each "+" becomes a sasl-challenge event (base64-decoded); saslRespond answers, null cancels with "*"', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* OK ready\r\n'));
    const tag = c.send({ command: 'AUTHENTICATE', mechanism: 'SCRAM-SHA-256', initialResponse: null });
    expect(out(c)).toBe(`${tag} AUTHENTICATE SCRAM-SHA-256\r\n`);
    expect(() => c.saslRespond(enc('x'))).not.toThrow(); // the exchange may answer an empty "+" at once
    expect(out(c)).toBe('eA==\r\n');
    expect(c.receive(enc('+ cj1meXVu\r\n'))).toEqual([{ type: 'sasl-challenge', tag, challenge: enc('r=fyun') }]);
    c.saslRespond(null);
    expect(out(c)).toBe('*\r\n');
    const ev = c.receive(enc(`${tag} BAD AUTHENTICATE cancelled\r\n`));
    expect(ev).toMatchObject([{ type: 'completed', tag, response: { status: 'BAD' } }]);
    expect(c.state).toBe('not-authenticated');
    // The exchange is over: a late answer is a no-op, not a mistake (see the split tests).
    expect(() => c.saslRespond(null)).not.toThrow();
    expect(out(c)).toBe('');
    expect(() => new imap.ClientSession().saslRespond(null)).toThrow();
  });
});
