import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { pop3 } from '../../src/index';
import { enc, dec, bin, splitAt } from '../helpers/bytes';

const out = (s: pop3.ServerSession) => s.takeOutput().map(dec).join('');

/** A server that lists PLAIN for a bare AUTH, challenges AUTH PLAIN, accepts every response, and says +OK to the rest. */
function handler(s: pop3.ServerSession): (ev: pop3.ServerEvent[]) => void {
  const handle = (ev: pop3.ServerEvent[]): void => {
    for (const e of ev) {
      if (e.type === 'auth-response') handle(s.ok('logged in'));
      else if (e.type === 'command') {
        const c = e.command;
        if (c.verb === 'AUTH' && c.mechanism === null) handle(s.listing('methods', ['PLAIN']));
        else if (c.verb === 'AUTH' && c.initialResponse === null) handle(s.challenge(new Uint8Array(0)));
        else if (c.verb === 'CAPA') handle(s.listing('Capability list follows', ['TOP', 'UIDL', 'USER', 'SASL PLAIN', 'STLS', 'PIPELINING']));
        else handle(s.ok());
      }
    }
  };
  return handle;
}

describe('pop3 ServerSession: reading is split-independent', () => {
  const AUTH_WIRE = 'AUTH\r\nAUTH PLAIN\r\nAHUAcA==\r\nNOOP\r\n';

  it('rfc5034 4: one read of AUTH, AUTH PLAIN, its response and NOOP reads the credential line as the SASL response, as in 4 reads', () => {
    const one = new pop3.ServerSession();
    handler(one)(one.receive(enc(AUTH_WIRE)));
    const four = new pop3.ServerSession();
    const h = handler(four);
    for (const line of ['AUTH\r\n', 'AUTH PLAIN\r\n', 'AHUAcA==\r\n', 'NOOP\r\n']) h(four.receive(enc(line)));
    const text = out(one);
    expect(text).toBe('+OK POP3 server ready\r\n+OK methods\r\nPLAIN\r\n.\r\n+ \r\n+OK logged in\r\n+OK\r\n');
    expect(out(four)).toBe(text);
    expect(one.state).toBe('transaction');
  });

  it('the credential line is never echoed, even when it cannot be read', () => {
    const s = new pop3.ServerSession();
    handler(s)(s.receive(enc('AUTH PLAIN\r\nAHU!cA==\r\nUSER AHUAcA==x\r\n')));
    const text = out(s);
    expect(text).not.toMatch(/AHU/i);
    expect(text).toMatch(/-ERR bad base64 in AUTH exchange\r\n/);
  });

  it('1001 pipelined CAPA in one read are all answered, as in two reads', () => {
    const one = new pop3.ServerSession();
    handler(one)(one.receive(enc('CAPA\r\n'.repeat(1001))));
    const two = new pop3.ServerSession();
    const h = handler(two);
    h(two.receive(enc('CAPA\r\n'.repeat(400))));
    h(two.receive(enc('CAPA\r\n'.repeat(601))));
    const a = out(one);
    expect(a.split('+OK Capability list follows').length - 1).toBe(1001);
    expect(a).toBe(out(two));
  });

  it('property: any split gives the same answers', () => {
    const wire = enc(`CAPA\r\nUSER bob\r\nPASS x\r\nSTAT\r\nFOO\r\nRETR 1\r\n${AUTH_WIRE}QUIT\r\n`);
    const run = (chunks: Uint8Array[]): string => {
      const s = new pop3.ServerSession();
      const h = handler(s);
      for (const c of chunks) h(s.receive(c));
      h(s.end());
      return out(s);
    };
    const whole = run([wire]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: wire.length - 1 }), { maxLength: 10 }), (cuts) => {
        expect(run(splitAt(wire, cuts))).toBe(whole);
      }),
      { numRuns: 300 },
    );
  });
});

describe('pop3 ServerSession STLS (RFC 2595 4)', () => {
  it('the event is starttls; a command sent after STLS in the same read is dropped and reported UNEXPECTED', () => {
    const s = new pop3.ServerSession();
    s.takeOutput();
    const seen: pop3.ServerEvent[] = [];
    const ev = s.receive(enc('STLS\r\nUSER evil\r\n'));
    expect(ev).toMatchObject([{ type: 'command', command: { verb: 'STLS' } }]);
    seen.push(...s.ok('Begin TLS negotiation'));
    expect(seen[0]).toMatchObject({ type: 'error', error: { code: 'UNEXPECTED' } });
    expect(seen[1]).toEqual({ type: 'starttls', discarded: 11 });
    expect(out(s)).toBe('+OK Begin TLS negotiation\r\n');
  });

  it('before tlsEstablished() input is dropped and reported; after it CAPA no longer lists STLS, and STLS is refused', () => {
    const s = new pop3.ServerSession();
    const h = handler(s);
    h(s.receive(enc('STLS\r\n')));
    s.takeOutput();
    const ev = s.receive(enc('USER injected\r\n'));
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ type: 'error', error: { code: 'UNEXPECTED' } });
    expect(out(s)).toBe('');
    s.tlsEstablished();
    h(s.receive(enc('CAPA\r\nSTLS\r\n')));
    expect(out(s)).toBe('+OK Capability list follows\r\nTOP\r\nUIDL\r\nUSER\r\nSASL PLAIN\r\nPIPELINING\r\n.\r\n-ERR TLS already active\r\n');
  });

  it('authRequiresTls: USER before TLS is refused with [AUTH], CAPA leaves out USER and SASL until TLS', () => {
    const s = new pop3.ServerSession({ authRequiresTls: true });
    const h = handler(s);
    s.takeOutput();
    h(s.receive(enc('CAPA\r\nUSER bob\r\n')));
    expect(out(s)).toBe('+OK Capability list follows\r\nTOP\r\nUIDL\r\nSTLS\r\nPIPELINING\r\n.\r\n-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections\r\n');
  });
});

describe('pop3 ServerSession: hostile bytes and the error budget', () => {
  for (const [name, line] of [
    ['NUL', 'USER a\0b\r\n'],
    ['CR', 'USER a\rb\r\n'],
    ['LF', 'US\nER\r\n'],
    ['0xFF', 'USER \xff\xfe\r\n'],
  ] as const) {
    it(`a ${name} inside a command: no throw, an ASCII answer, the next command answered`, () => {
      const s = new pop3.ServerSession();
      const h = handler(s);
      s.takeOutput();
      expect(() => h(s.receive(bin(line)))).not.toThrow();
      expect(() => h(s.receive(enc('CAPA\r\n')))).not.toThrow();
      const text = out(s);
      expect(/^[\x20-\x7e\r\n]*$/.test(text)).toBe(true);
      expect(text).toMatch(/\+OK Capability list follows\r\n/);
    });
  }

  it('dovecot: 10 bad commands in a row are answered, the 11th closes with -ERR Too many bad commands', () => {
    const s = new pop3.ServerSession();
    s.takeOutput();
    const ev = s.receive(enc('FOO\r\n'.repeat(20)));
    expect(ev.at(-1)).toEqual({ type: 'closed' });
    const lines = out(s).split('\r\n').filter((l) => l !== '');
    expect(lines).toHaveLength(12);
    expect(lines.slice(0, 11).every((l) => l === '-ERR unknown command')).toBe(true);
    expect(lines[11]).toBe('-ERR Too many bad commands');
  });

  it('one auto-reply shape: { type, reply, reason }', () => {
    const s = new pop3.ServerSession();
    expect(s.receive(enc('STAT\r\n'))).toEqual([{ type: 'auto-reply', reply: { status: '-ERR', code: null, text: 'STAT not allowed in the AUTHORIZATION state' }, reason: 'STAT in authorization' }]);
  });
});
