import { describe, expect, it } from 'vitest';
import { smtp } from '../../src/index';
import { bytewise, concat, dec, enc, splitAt } from '../helpers/bytes';

const out = (c: smtp.ClientSession): string => dec(concat(c.takeOutput()));
const kinds = (events: readonly smtp.ClientEvent[]): string[] => events.map((e) => (e.type === 'error' ? `error:${e.error.code}` : e.type));

function ready(ehlo: string): smtp.ClientSession {
  const c = new smtp.ClientSession({ domain: 'c.example' });
  c.receive(enc('220 mx.example ESMTP\r\n'));
  expect(out(c)).toBe('EHLO c.example\r\n');
  expect(kinds(c.receive(enc(ehlo)))).toEqual(['reply', 'ready']);
  return c;
}
const PIPELINED = '250-mx.example\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 AUTH LOGIN\r\n';
const PLAIN = '250-mx.example\r\n250-STARTTLS\r\n250 AUTH LOGIN\r\n';
// A man in the middle appends a forged EHLO answer to the 220, in the same read.
const INJECTED = '220 go ahead\r\n250-evil\r\n250 AUTH PLAIN\r\n';

describe('rfc3207 4.2 STARTTLS: nothing queued behind it goes out before tlsEstablished(), then EHLO first', () => {
  for (const [name, ehlo] of [
    ['with PIPELINING', PIPELINED],
    ['without PIPELINING', PLAIN],
  ] as const) {
    it(`${name}: an AUTH and a NOOP queued behind STARTTLS stay held through the 220; the injected EHLO answer is never read`, () => {
      const c = ready(ehlo);
      c.startTls();
      c.sendCommand({ verb: 'AUTH', mechanism: 'PLAIN', initialResponse: 'AHUAcA==' });
      c.noop();
      expect(out(c)).toBe('STARTTLS\r\n');
      const ev = c.receive(enc(INJECTED));
      expect(kinds(ev)).toEqual(['reply', 'starttls', 'error:UNEXPECTED']);
      expect(ev[2]).toMatchObject({ error: { message: expect.stringContaining('26 octet(s)') } });
      expect(out(c)).toBe('');
      expect(c.capabilities?.auth).toEqual(['LOGIN']);
      expect(kinds(c.receive(enc('250 more\r\n')))).toEqual(['error:UNEXPECTED']);
      expect(out(c)).toBe('');
      c.tlsEstablished();
      expect(c.capabilities).toBeNull();
      expect(out(c)).toBe('EHLO c.example\r\n');
      expect(kinds(c.receive(enc('250-mx.example\r\n250-PIPELINING\r\n250 AUTH PLAIN\r\n')))).toEqual(['reply', 'ready']);
      expect(c.capabilities?.auth).toEqual(['PLAIN']);
      // AUTH is a hold point (RFC 4954 4 ends a pipeline group there): NOOP waits for its answer.
      expect(out(c)).toBe('AUTH PLAIN AHUAcA==\r\n');
      c.receive(enc('235 2.7.0 ok\r\n'));
      expect(out(c)).toBe('NOOP\r\n');
    });
  }

  it('the injected bytes split at every point: nothing written, nothing read but the 220', () => {
    const wire = enc(INJECTED);
    const splits: Uint8Array[][] = [bytewise(wire)];
    for (let i = 1; i < wire.length; i++) splits.push(splitAt(wire, [i]));
    for (const chunks of splits) {
      const c = ready(PIPELINED);
      c.startTls();
      c.noop();
      expect(out(c)).toBe('STARTTLS\r\n');
      const seen: string[] = [];
      for (const chunk of chunks) seen.push(...kinds(c.receive(chunk)));
      expect(seen.filter((k) => k !== 'error:UNEXPECTED')).toEqual(['reply', 'starttls']);
      expect(seen.filter((k) => k === 'error:UNEXPECTED').length).toBeGreaterThan(0);
      expect(out(c)).toBe('');
      expect(c.capabilities?.auth).toEqual(['LOGIN']);
      c.tlsEstablished();
      expect(out(c)).toBe('EHLO c.example\r\n');
    }
  });

  it('a STARTTLS queued behind a NOOP: the 220 and the injection in the read that answers both', () => {
    const c = ready(PIPELINED);
    c.noop();
    c.startTls();
    c.noop();
    expect(out(c)).toBe('NOOP\r\nSTARTTLS\r\n');
    expect(kinds(c.receive(enc(`250 ok\r\n${INJECTED}`)))).toEqual(['reply', 'reply', 'starttls', 'error:UNEXPECTED']);
    expect(out(c)).toBe('');
  });

  it('a refused STARTTLS (454, a man in the middle stripping it): the AUTH queued behind it is dropped, never sent in clear text', () => {
    const c = ready(PIPELINED);
    c.startTls();
    c.sendCommand({ verb: 'AUTH', mechanism: 'PLAIN', initialResponse: 'AHUAcA==' });
    c.noop();
    expect(out(c)).toBe('STARTTLS\r\n');
    const ev = c.receive(enc('454 4.7.0 TLS not available due to temporary reason\r\n'));
    expect(kinds(ev)).toEqual(['reply', 'starttls-refused']);
    expect(ev[1]).toMatchObject({ reply: { code: 454 }, dropped: [{ verb: 'AUTH' }, { verb: 'NOOP' }] });
    expect(c.state).toBe('ready');
    expect(out(c)).toBe('');
    expect(() => c.tlsEstablished()).toThrow(Error);
    c.noop();
    expect(out(c)).toBe('NOOP\r\n');
  });

  it('a 421 in the read after the 220 is clear text too: dropped, the session waits for TLS', () => {
    const c = ready(PIPELINED);
    c.startTls();
    out(c);
    expect(kinds(c.receive(enc('220 go\r\n421 bye\r\n')))).toEqual(['reply', 'starttls', 'error:UNEXPECTED']);
    expect(c.state).toBe('starttls');
  });
});

describe('rfc2920 3.1 / rfc4954 4: hold points under PIPELINING', () => {
  it('EHLO: nothing queued before the greeting goes out before EHLO is answered', () => {
    const c = new smtp.ClientSession({ domain: 'c.example' });
    c.noop();
    expect(out(c)).toBe('');
    c.receive(enc('220 mx.example\r\n'));
    expect(out(c)).toBe('EHLO c.example\r\n');
    c.receive(enc(PIPELINED));
    expect(out(c)).toBe('NOOP\r\n');
  });

  it('AUTH: a command queued behind it waits for 235', () => {
    const c = ready(PIPELINED);
    c.authenticate({ mechanism: 'LOGIN', user: 'u', password: 'p' });
    c.noop();
    expect(out(c)).toBe('AUTH LOGIN\r\n');
    c.receive(enc('334 VXNlcm5hbWU6\r\n'));
    expect(out(c)).toBe('dQ==\r\n');
    c.receive(enc('334 UGFzc3dvcmQ6\r\n'));
    expect(out(c)).toBe('cA==\r\n');
    expect(kinds(c.receive(enc('235 2.7.0 ok\r\n')))).toEqual(['reply', 'auth']);
    expect(out(c)).toBe('NOOP\r\n');
  });

  it('DATA: a NOOP asked for during the transaction goes out after the end of data, never inside the body', () => {
    const c = ready(PIPELINED);
    c.sendMail({ from: 'a@c.example', to: ['b@mx.example'] });
    c.noop();
    expect(out(c)).toBe('MAIL FROM:<a@c.example>\r\nRCPT TO:<b@mx.example>\r\nDATA\r\n');
    c.receive(enc('250 ok\r\n250 ok\r\n354 go\r\n'));
    c.writeBody(enc('hello\r\n'));
    expect(out(c)).toBe('hello\r\n');
    c.endBody();
    expect(out(c)).toBe('.\r\nNOOP\r\n');
    expect(kinds(c.receive(enc('250 queued\r\n250 ok\r\n')))).toEqual(['reply', 'message', 'reply']);
  });

  it('rfc2033 4.2 LMTP with BDAT: every per-recipient reply stays with BDAT LAST; a NOOP pipelined behind it gets its own', () => {
    const c = new smtp.ClientSession({ domain: 'c.example', lmtp: true, chunking: true });
    c.receive(enc('220 lmtp.example LMTP\r\n'));
    c.receive(enc('250-lmtp.example\r\n250-PIPELINING\r\n250 CHUNKING\r\n'));
    out(c);
    c.sendMail({ from: 'a@c.example', to: ['b@lmtp.example', 'd@lmtp.example'] });
    c.writeBody(enc('hi\r\n'));
    c.endBody();
    c.noop();
    expect(out(c)).toBe('MAIL FROM:<a@c.example>\r\nRCPT TO:<b@lmtp.example>\r\nRCPT TO:<d@lmtp.example>\r\nBDAT 4\r\nhi\r\nBDAT 0 LAST\r\nNOOP\r\n');
    const ev = c.receive(enc('250 ok\r\n250 ok\r\n250 ok\r\n250 chunk\r\n250 b delivered\r\n452 d over quota\r\n250 noop\r\n'));
    expect(ev.filter((e) => e.type === 'recipient' && e.stage === 'delivery')).toMatchObject([
      { to: { address: 'b@lmtp.example' }, accepted: true },
      { to: { address: 'd@lmtp.example' }, accepted: false, reply: { code: 452 } },
    ]);
    expect(ev.filter((e) => e.type === 'message')).toMatchObject([{ accepted: true }]);
    expect(ev.at(-1)).toMatchObject({ type: 'reply', command: { verb: 'NOOP' }, reply: { code: 250 } });
    expect(ev.filter((e) => e.type === 'error')).toEqual([]);
  });
});
