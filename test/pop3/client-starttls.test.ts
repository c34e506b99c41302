import { describe, expect, it } from 'vitest';
import { pop3 } from '../../src/index';
import { bytewise, concat, dec, enc, splitAt } from '../helpers/bytes';

const out = (c: pop3.ClientSession): string => dec(concat(c.takeOutput()));
const kinds = (events: readonly pop3.ClientEvent[]): string[] => events.map((e) => (e.type === 'error' ? `error:${e.error.code}` : e.type));

/** A session after the greeting and a pre-TLS CAPA that offers STLS and PIPELINING. */
function beforeTls(): pop3.ClientSession {
  const c = new pop3.ClientSession();
  c.receive(enc('+OK ready\r\n'));
  c.capa();
  expect(out(c)).toBe('CAPA\r\n');
  c.receive(enc('+OK\r\nSTLS\r\nPIPELINING\r\nSASL GSSAPI\r\n.\r\n'));
  expect(c.capabilities).toMatchObject({ stls: true, pipelining: true, sasl: ['GSSAPI'] });
  return c;
}

// The bytes a man in the middle appends to the server's +OK, in the same read: a forged CAPA
// answer that would offer SASL PLAIN to a client that has not started TLS yet.
const INJECTED = '+OK Begin TLS\r\n+OK\r\nSASL PLAIN\r\n.\r\n';

describe('rfc2595 4 STLS: nothing queued behind STLS goes out before tlsEstablished()', () => {
  it('AUTH PLAIN, USER/PASS and STAT queued behind STLS stay held through the +OK (they went out with it, in clear text)', () => {
    const c = beforeTls();
    c.startTls();
    c.authenticate({ mechanism: 'PLAIN', user: 'u', password: 'p' });
    c.stat();
    // PIPELINING was offered, but STLS is a hold point: it goes alone.
    expect(out(c)).toBe('STLS\r\n');
    const ev = c.receive(enc(INJECTED));
    expect(kinds(ev)).toEqual(['response', 'starttls', 'error:UNEXPECTED']);
    expect(ev[2]).toMatchObject({ error: { message: expect.stringContaining('20 octet(s)') } });
    expect(out(c)).toBe('');
    // The injected CAPA answer was never read: the capabilities are still the pre-TLS ones.
    expect(c.capabilities).toMatchObject({ sasl: ['GSSAPI'] });
    // Anything passed to receive() before tlsEstablished() is dropped unread, one error per call.
    expect(kinds(c.receive(enc('+OK\r\n')))).toEqual(['error:UNEXPECTED']);
    expect(out(c)).toBe('');
    c.tlsEstablished();
    // CAPA again (RFC 2595 4: the client MUST discard what it knew), and nothing else yet.
    expect(c.capabilities).toBeNull();
    expect(out(c)).toBe('CAPA\r\n');
    expect(kinds(c.receive(enc('+OK\r\nPIPELINING\r\nSASL PLAIN\r\n.\r\n')))).toEqual(['response']);
    expect(c.capabilities).toMatchObject({ stls: false, sasl: ['PLAIN'] });
    // AUTH is a hold point too: STAT waits for its answer.
    expect(out(c)).toBe('AUTH PLAIN AHUAcA==\r\n');
    expect(kinds(c.receive(enc('+OK welcome\r\n')))).toEqual(['response', 'auth']);
    expect(out(c)).toBe('STAT\r\n');
    expect(c.receive(enc('+OK 2 320\r\n'))).toMatchObject([{ type: 'response', stat: { count: 2, size: 320 } }]);
  });

  it('the same bytes split at every point: no credential is written, no injected line is read, one UNEXPECTED per read that had some', () => {
    const wire = enc(INJECTED);
    const splits: Uint8Array[][] = [bytewise(wire)];
    for (let i = 1; i < wire.length; i++) splits.push(splitAt(wire, [i]));
    for (const chunks of splits) {
      const c = beforeTls();
      c.login('u', 'secret');
      c.startTls();
      // A queued command before STLS: the order stays the application's.
      expect(out(c)).toBe('USER u\r\n');
      c.receive(enc('+OK\r\n'));
      expect(out(c)).toBe('PASS secret\r\n');
      c.receive(enc('+OK\r\n'));
      expect(out(c)).toBe('STLS\r\n');
      const seen: string[] = [];
      for (const chunk of chunks) seen.push(...kinds(c.receive(chunk)));
      expect(seen.filter((k) => k !== 'error:UNEXPECTED')).toEqual(['response', 'starttls']);
      expect(out(c)).toBe('');
      expect(c.capabilities).toMatchObject({ sasl: ['GSSAPI'] });
      c.tlsEstablished();
      expect(out(c)).toBe('CAPA\r\n');
    }
  });

  it('a -ERR to STLS (a man in the middle stripping it): USER/PASS queued behind it are dropped, never sent in clear text', () => {
    const c = beforeTls();
    c.startTls();
    c.login('alice', 'hunter2');
    c.stat();
    expect(out(c)).toBe('STLS\r\n');
    const ev = c.receive(enc('-ERR not now\r\n'));
    expect(kinds(ev)).toEqual(['response', 'starttls-refused']);
    expect(ev[1]).toMatchObject({ response: { status: '-ERR' }, dropped: [{ verb: 'USER' }, { verb: 'PASS' }, { verb: 'STAT' }] });
    expect(out(c)).toBe('');
    expect(() => c.tlsEstablished()).toThrow(Error);
    // What the application asks for afterwards, knowing TLS was refused, goes out.
    c.noop();
    expect(out(c)).toBe('NOOP\r\n');
  });

  it('an unreadable answer to STLS is a refusal too', () => {
    const c = beforeTls();
    c.startTls();
    c.login('alice', 'hunter2');
    out(c);
    expect(kinds(c.receive(enc('\0garbage\r\n')))).toEqual(['error:SYNTAX', 'starttls-refused']);
    expect(out(c)).toBe('');
  });

  it('stls() and the stls event are gone: startTls() and starttls, as in SMTP and IMAP', () => {
    const c = beforeTls();
    expect((c as unknown as { stls?: unknown }).stls).toBeUndefined();
    c.startTls();
    expect(c.receive(enc('+OK\r\n')).map((e) => e.type)).toEqual(['response', 'starttls']);
  });

  it('end() between the +OK and tlsEstablished(): closed, nothing read', () => {
    const c = beforeTls();
    c.startTls();
    c.noop();
    expect(out(c)).toBe('STLS\r\n');
    c.receive(enc('+OK\r\n'));
    expect(kinds(c.end())).toEqual(['closed']);
    expect(() => c.tlsEstablished()).not.toThrow();
    expect(out(c)).toBe('');
  });
});
