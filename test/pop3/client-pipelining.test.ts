import { describe, expect, it } from 'vitest';
import { pop3 } from '../../src/index';
import { concat, dec, enc } from '../helpers/bytes';

const out = (c: pop3.ClientSession): string => dec(concat(c.takeOutput()));
const kinds = (events: readonly pop3.ClientEvent[]): string[] => events.map((e) => (e.type === 'error' ? `error:${e.error.code}` : e.type));

// Courier's CAPA answer: it offers PIPELINING, yet drops commands pipelined after PASS.
const COURIER_CAPA = "+OK Here's what I can do:\r\nSTLS\r\nTOP\r\nUSER\r\nLOGIN-DELAY 10\r\nPIPELINING\r\nUIDL\r\nIMPLEMENTATION Courier Mail Server\r\n.\r\n";

function courier(greeting = '+OK Hello there.\r\n'): pop3.ClientSession {
  const c = new pop3.ClientSession();
  c.receive(enc(greeting));
  c.capa();
  expect(out(c)).toBe('CAPA\r\n');
  c.receive(enc(COURIER_CAPA));
  expect(c.capabilities?.pipelining).toBe(true);
  return c;
}

describe('courier: PIPELINING after PASS', () => {
  it('USER, PASS: each waits for the answer before it; STAT, LIST and UIDL wait for the login, then go pipelined', () => {
    const c = courier();
    c.login('alice', 'hunter2');
    c.stat();
    c.list();
    c.uidl();
    expect(out(c)).toBe('USER alice\r\n');
    expect(kinds(c.receive(enc('+OK Password required.\r\n')))).toEqual(['response']);
    expect(out(c)).toBe('PASS hunter2\r\n');
    expect(kinds(c.receive(enc('+OK logged in.\r\n')))).toEqual(['response', 'auth']);
    expect(out(c)).toBe('STAT\r\nLIST\r\nUIDL\r\n');
    const ev = c.receive(enc('+OK 1 5\r\n+OK POP3 clients that break here, they violate STD53.\r\n1 5\r\n.\r\n+OK\r\n1 UID1\r\n.\r\n'));
    expect(kinds(ev)).toEqual(['response', 'response', 'response']);
    expect(ev).toMatchObject([{ stat: { count: 1, size: 5 } }, { list: [{ message: 1, size: 5 }] }, { uidl: [{ message: 1, uid: 'UID1' }] }]);
  });

  it('a -ERR to USER: PASS never goes out; what was queued behind the login goes out after it', () => {
    const c = courier();
    c.login('alice', 'hunter2');
    c.noop();
    expect(out(c)).toBe('USER alice\r\n');
    expect(kinds(c.receive(enc('-ERR no such user\r\n')))).toEqual(['response', 'auth']);
    expect(out(c)).toBe('NOOP\r\n');
  });

  it('APOP and AUTH are hold points too', () => {
    const c = courier('+OK Hello there. <1896.697170952@dbc.mtview.ca.us>\r\n');
    c.apop('mrose', 'tanstaaf');
    c.stat();
    expect(out(c)).toBe('APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n');
    c.receive(enc('+OK maildrop locked\r\n'));
    expect(out(c)).toBe('STAT\r\n');

    const d = courier();
    d.authenticate({ mechanism: 'PLAIN', user: 'u', password: 'p' });
    d.stat();
    expect(out(d)).toBe('AUTH PLAIN AHUAcA==\r\n');
    expect(kinds(d.receive(enc('+OK\r\n')))).toEqual(['response', 'auth']);
    expect(out(d)).toBe('STAT\r\n');
  });
});

describe('end of stream with commands unanswered: TRUNCATED, as in SMTP and IMAP', () => {
  it('one TRUNCATED for the commands in flight, then closed', () => {
    const c = courier();
    c.login('a', 'b');
    c.receive(enc('+OK\r\n+OK\r\n'));
    c.stat();
    c.list();
    // Both answers in one read: the second is read only once PASS is out (no answer before its command).
    expect(out(c)).toBe('USER a\r\nPASS b\r\nSTAT\r\nLIST\r\n');
    const ev = c.end();
    expect(kinds(ev)).toEqual(['error:TRUNCATED', 'closed']);
    expect(ev[0]).toMatchObject({ error: { message: expect.stringContaining('2 command(s) unanswered') } });
  });

  it('nothing in flight: just closed; a body cut short: the parser\'s one TRUNCATED, not two', () => {
    const c = courier();
    expect(kinds(c.end())).toEqual(['closed']);
    const d = courier();
    d.retr(1);
    d.stat();
    d.receive(enc('+OK\r\npart of a body'));
    expect(kinds(d.end())).toEqual(['data', 'error:TRUNCATED', 'closed']);
  });

  it('after QUIT is answered nothing is unanswered', () => {
    const c = courier();
    c.quit();
    expect(kinds(c.receive(enc('+OK bye\r\n')))).toEqual(['response', 'closed']);
    expect(kinds(c.end())).toEqual([]);
  });
});
