/**
 * The calls the client session's events invite (done() after `idling`, saslRespond() after
 * `sasl-challenge`) never throw because of how the server's bytes were split into reads, and
 * commands queued behind a login wait for its answer (Courier drops what is pipelined after
 * LOGIN; RFC 4954 ends an SMTP pipeline group at AUTH for the same reason).
 */
import { describe, expect, it } from 'vitest';
import { imap } from '../../src/index';
import { concat, dec, enc } from '../helpers/bytes';

const out = (c: imap.ClientSession) => dec(concat(c.takeOutput()));
const kinds = (events: readonly imap.ClientEvent[]) => events.map((e) => (e.type === 'error' ? `error:${e.error.code}` : e.type));

/** Feeds `wire` in two reads cut at `cut`, answering every event the way an application would. */
function feedAnswering(c: imap.ClientSession, wire: Uint8Array, cut: number): imap.ClientEvent[] {
  const all: imap.ClientEvent[] = [];
  for (const part of [wire.subarray(0, cut), wire.subarray(cut)]) {
    for (const e of c.receive(part)) {
      all.push(e);
      if (e.type === 'idling') c.done();
      if (e.type === 'sasl-challenge') c.saslRespond(enc('n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL'));
    }
  }
  return all;
}

describe('rfc2177 IDLE: done() never throws because of the split', () => {
  it('issue 14: "+ idling" and the IDLE\'s tagged OK in one read: done() is a no-op', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* PREAUTH ready\r\n'));
    const tag = c.send({ command: 'IDLE' });
    expect(out(c)).toBe(`${tag} IDLE\r\n`);
    const ev = c.receive(enc(`+ idling\r\n${tag} OK IDLE terminated\r\n`));
    expect(kinds(ev)).toEqual(['idling', 'completed']);
    expect(() => c.done()).not.toThrow();
    expect(out(c)).toBe('');
    // Called twice, too.
    expect(() => c.done()).not.toThrow();
  });

  it('every split of "+ idling" and the OK, answering idling with done(): no throw, DONE at most once', () => {
    const wire = enc('+ idling\r\n* 4 EXISTS\r\nA1 OK IDLE terminated\r\n');
    for (let cut = 0; cut <= wire.length; cut++) {
      const c = new imap.ClientSession();
      c.receive(enc('* PREAUTH ready\r\n'));
      c.send({ command: 'IDLE' });
      c.send({ command: 'NOOP' });
      expect(out(c)).toBe('A1 IDLE\r\n');
      const ev = feedAnswering(c, wire, cut);
      expect(kinds(ev), `cut at ${cut}`).toEqual(['idling', 'untagged', 'completed']);
      // DONE when the OK came in a later read than "+"; then the NOOP, released by the OK.
      expect(out(c)).toMatch(/^(DONE\r\n)?A2 NOOP\r\n$/);
    }
  });

  it('done() before the "+" sends DONE when it comes; done() with no IDLE ever queued is a programming error', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* PREAUTH ready\r\n'));
    expect(() => c.done()).toThrow();
    c.send({ command: 'IDLE' });
    out(c);
    c.done();
    expect(out(c)).toBe('');
    expect(kinds(c.receive(enc('+ idling\r\n')))).toEqual(['idling']);
    expect(out(c)).toBe('DONE\r\n');
    c.done();
    expect(out(c)).toBe('');
    expect(kinds(c.receive(enc('A1 OK IDLE terminated\r\n')))).toEqual(['completed']);
  });
});

describe('rfc3501 6.2.2 AUTHENTICATE run by the application: saslRespond() never throws because of the split', () => {
  it('issue 14: a sasl-challenge and the final tagged answer in one read: saslRespond() is a no-op', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* OK [CAPABILITY IMAP4rev1 AUTH=SCRAM-SHA-256] ready\r\n'));
    const tag = c.send({ command: 'AUTHENTICATE', mechanism: 'SCRAM-SHA-256', initialResponse: null });
    out(c);
    const ev = c.receive(enc(`+ cj1meXVu\r\n${tag} NO [AUTHENTICATIONFAILED] Authentication failed.\r\n`));
    expect(kinds(ev)).toEqual(['sasl-challenge', 'completed']);
    expect(() => c.saslRespond(enc('c=biws'))).not.toThrow();
    expect(out(c)).toBe('');
  });

  it('every split of challenge + final answer, answering each challenge: no throw', () => {
    const wire = enc('+ cj1meXVu\r\nA1 OK [CAPABILITY IMAP4rev1 IDLE] Logged in\r\n');
    for (let cut = 0; cut <= wire.length; cut++) {
      const c = new imap.ClientSession();
      c.receive(enc('* OK ready\r\n'));
      c.send({ command: 'AUTHENTICATE', mechanism: 'SCRAM-SHA-256', initialResponse: null });
      c.send({ command: 'NOOP' });
      expect(out(c)).toBe('A1 AUTHENTICATE SCRAM-SHA-256\r\n');
      const ev = feedAnswering(c, wire, cut);
      expect(kinds(ev), `cut at ${cut}`).toEqual(['sasl-challenge', 'completed']);
      expect(c.state).toBe('authenticated');
      expect(out(c)).toMatch(/^([A-Za-z0-9+/=]+\r\n)?A2 NOOP\r\n$/);
    }
  });
});

describe('courier: nothing is pipelined behind LOGIN or AUTHENTICATE', () => {
  const COURIER = '* OK [CAPABILITY IMAP4rev1 UIDPLUS CHILDREN NAMESPACE THREAD=ORDEREDSUBJECT THREAD=REFERENCES SORT QUOTA IDLE ACL ACL2=UNION STARTTLS] Courier-IMAP ready. Copyright 1998-2011 Double Precision, Inc.  See COPYING for distribution information.\r\n';

  it('courier: SELECT and LIST queued behind LOGIN go out after "A1 OK LOGIN Ok."', () => {
    const c = new imap.ClientSession();
    c.receive(enc(COURIER));
    c.send({ command: 'LOGIN', user: 'alice', password: 'sesame' });
    c.send({ command: 'SELECT', mailbox: 'INBOX' });
    c.send({ command: 'LIST', reference: '', pattern: '*' });
    expect(out(c)).toBe('A1 LOGIN alice sesame\r\n');
    c.receive(enc('A1 OK LOGIN Ok.\r\n'));
    // SELECT and LIST are ordinary commands: pipelined together once the login is answered.
    expect(out(c)).toBe('A2 SELECT INBOX\r\nA3 LIST "" *\r\n');
  });

  it('courier: a failed LOGIN releases the queue too (the server answers each command; a second LOGIN may follow)', () => {
    const c = new imap.ClientSession();
    c.receive(enc(COURIER));
    c.send({ command: 'LOGIN', user: 'alice', password: 'wrong' });
    c.send({ command: 'LOGIN', user: 'alice', password: 'sesame' });
    c.send({ command: 'NOOP' });
    expect(out(c)).toBe('A1 LOGIN alice wrong\r\n');
    c.receive(enc('A1 NO Login failed.\r\n'));
    expect(c.state).toBe('not-authenticated');
    expect(out(c)).toBe('A2 LOGIN alice sesame\r\n');
    c.receive(enc('A2 OK LOGIN Ok.\r\n'));
    expect(out(c)).toBe('A3 NOOP\r\n');
  });

  it('rfc4959 AUTHENTICATE PLAIN with SASL-IR holds the line the same way', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready\r\n'));
    c.authenticate({ mechanism: 'PLAIN', user: 'tim', password: 'tanstaaftanstaaf' });
    c.send({ command: 'SELECT', mailbox: 'INBOX' });
    expect(out(c)).toBe('A1 AUTHENTICATE PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm\r\n');
    c.receive(enc('A1 OK [CAPABILITY IMAP4rev1 IDLE] Success\r\n'));
    expect(out(c)).toBe('A2 SELECT INBOX\r\n');
  });

  it('a tagged answer for a command not sent yet is UNEXPECTED and does not complete it (tags are guessable)', () => {
    const c = new imap.ClientSession();
    c.receive(enc(COURIER));
    c.send({ command: 'LOGIN', user: 'alice', password: 'sesame' });
    c.send({ command: 'NOOP' });
    out(c);
    expect(kinds(c.receive(enc('A2 OK NOOP forged\r\n')))).toEqual(['error:UNEXPECTED']);
    c.receive(enc('A1 OK LOGIN Ok.\r\n'));
    expect(out(c)).toBe('A2 NOOP\r\n');
    expect(kinds(c.receive(enc('A2 OK NOOP completed\r\n')))).toEqual(['completed']);
  });
});

describe('end of stream', () => {
  it('commands unanswered when the connection ends: one TRUNCATED naming how many, then closed', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* PREAUTH ready\r\n'));
    c.send({ command: 'NOOP' });
    c.send({ command: 'LIST', reference: '', pattern: '*' });
    c.receive(enc('* LIST () "/" INBOX\r\n'));
    const ev = c.end();
    expect(kinds(ev)).toEqual(['error:TRUNCATED', 'closed']);
    expect((ev[0] as Extract<imap.ClientEvent, { type: 'error' }>).error).toMatchObject({ message: expect.stringContaining('2 command(s) unanswered') });
    expect(c.state).toBe('logout');
    // Nothing in flight: only closed.
    const d = new imap.ClientSession();
    d.receive(enc('* PREAUTH ready\r\n'));
    expect(kinds(d.end())).toEqual(['closed']);
  });
});
