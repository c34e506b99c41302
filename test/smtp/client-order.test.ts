/**
 * Nothing goes out before the 220 greeting (RFC 5321 3.1), and a reply that began before the
 * command it would answer was written answers nothing (RFC 2920 3.1 matches replies to commands
 * in order: one stray reply would shift every later one): the rule of all three clients, in
 * core/pipeline.ts.
 */
import { describe, expect, it } from 'vitest';
import { smtp } from '../../src/index';
import { concat, dec, enc } from '../helpers/bytes';

const out = (c: smtp.ClientSession) => dec(concat(c.takeOutput()));
const kinds = (events: readonly smtp.ClientEvent[]) => events.map((e) => (e.type === 'error' ? `error:${e.error.code}` : e.type));

function ready(): smtp.ClientSession {
  const c = new smtp.ClientSession({ domain: 'client.example' });
  c.receive(enc('220 mx.example ESMTP\r\n'));
  c.receive(enc('250-mx.example\r\n250 8BITMIME\r\n'));
  out(c);
  return c;
}

describe('rfc5321 3.1: nothing before the greeting', () => {
  it('NOOP and QUIT queued before "220" wait for it; EHLO goes first', () => {
    const c = new smtp.ClientSession({ domain: 'client.example' });
    c.noop();
    c.quit();
    expect(out(c)).toBe('');
    expect(kinds(c.receive(enc('220 mx.example ESMTP\r\n')))).toEqual(['greeting', 'reply']);
    expect(out(c)).toBe('EHLO client.example\r\n');
    c.receive(enc('250 mx.example\r\n'));
    expect(out(c)).toBe('NOOP\r\n');
  });
});

describe('rfc2920 3.1: a reply that began before its command was written answers nothing', () => {
  it('"250 2.1.0 ok" before MAIL was written: one UNEXPECTED, and MAIL gets its own reply', () => {
    const c = ready();
    expect(kinds(c.receive(enc('250 2.1.0 ok\r\n')))).toEqual(['error:UNEXPECTED']);
    c.sendMail({ from: 'a@b.example', to: ['c@d.example'] });
    expect(out(c)).toBe('MAIL FROM:<a@b.example>\r\n');
    const ev = c.receive(enc('550 5.7.1 refused\r\n'));
    expect(ev).toMatchObject([{ type: 'reply', command: { verb: 'MAIL' }, reply: { code: 550 } }]);
  });

  it('"250 2.1.0 o" before MAIL, "k\\r\\n" after it was written: dropped, not read as MAIL\'s', () => {
    const c = ready();
    expect(c.receive(enc('250 2.1.0 o'))).toEqual([]);
    c.sendMail({ from: 'a@b.example', to: ['c@d.example'] });
    expect(out(c)).toBe('MAIL FROM:<a@b.example>\r\n');
    expect(kinds(c.receive(enc('k\r\n')))).toEqual(['error:UNEXPECTED']);
    expect(out(c)).toBe(''); // RCPT still waits for MAIL's reply
    expect(c.receive(enc('250 2.1.0 sender ok\r\n'))).toMatchObject([{ type: 'reply', command: { verb: 'MAIL' } }]);
    expect(out(c)).toBe('RCPT TO:<c@d.example>\r\n');
  });

  it('a 421 begun before any command still closes the session (rfc5321 3.8)', () => {
    const c = ready();
    c.receive(enc('421 4.3.2 shutting'));
    c.noop();
    expect(kinds(c.receive(enc(' down\r\n')))).toEqual(['reply', 'closed']);
    expect(c.state).toBe('closed');
  });
});
