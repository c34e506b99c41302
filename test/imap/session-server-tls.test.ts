import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { imap } from '../../src/index';
import { enc, dec, bin, splitAt } from '../helpers/bytes';

const out = (s: imap.ServerSession) => s.takeOutput().map(dec).join('');
const capsOf = (s: imap.ServerSession): string[] => {
  s.takeOutput();
  for (const e of s.receive(enc('C1 CAPABILITY\r\n'))) if (e.type === 'command') s.ok();
  const line = out(s).split('\r\n')[0]!;
  return line.replace(/^\* CAPABILITY /, '').split(' ');
};
const okAll = (s: imap.ServerSession) => {
  const handle = (ev: imap.ServerEvent[]): void => {
    // IDLE is completed at its idle-done (RFC 2177), everything else at once.
    for (const e of ev) if ((e.type === 'command' && e.command.command !== 'IDLE') || e.type === 'idle-done') handle(s.ok());
  };
  return handle;
};

describe('imap ServerSession STARTTLS (RFC 3501 6.2.1, RFC 9051 6.2.1)', () => {
  const TLS_CAPS = ['IMAP4rev1', 'STARTTLS', 'AUTH=PLAIN', 'AUTH=SCRAM-SHA-256', 'SASL-IR'];

  it('a command sent after STARTTLS in the same read is dropped and reported UNEXPECTED; input before tlsEstablished() too', () => {
    const s = new imap.ServerSession({ capabilities: TLS_CAPS });
    s.takeOutput();
    expect(s.receive(enc('A1 STARTTLS\r\nA2 LOGIN smith sesame\r\n'))).toMatchObject([{ type: 'command', command: { command: 'STARTTLS' } }]);
    const ev = s.ok('Begin TLS negotiation now');
    expect(ev).toEqual([{ type: 'error', error: expect.objectContaining({ code: 'UNEXPECTED' }) }, { type: 'starttls', discarded: 23 }]);
    expect(out(s)).toBe('A1 OK Begin TLS negotiation now\r\n');
    const injected = s.receive(enc('A3 LOGIN smith sesame\r\n'));
    expect(injected).toHaveLength(1);
    expect(injected[0]).toMatchObject({ type: 'error', error: { code: 'UNEXPECTED' } });
    expect(out(s)).toBe('');
    s.tlsEstablished();
    expect(capsOf(s)).toEqual(['IMAP4rev1', 'AUTH=PLAIN', 'AUTH=SCRAM-SHA-256', 'SASL-IR']);
  });

  it('authRequiresTls: LOGINDISABLED and no AUTH= before TLS, LOGIN refused NO [PRIVACYREQUIRED]; AUTH= after TLS; none after login', () => {
    const s = new imap.ServerSession({ capabilities: TLS_CAPS, authRequiresTls: true });
    expect(out(s)).toBe('* OK [CAPABILITY IMAP4rev1 STARTTLS SASL-IR LOGINDISABLED] mailwire ready\r\n');
    expect(capsOf(s)).toEqual(['IMAP4rev1', 'STARTTLS', 'SASL-IR', 'LOGINDISABLED']);
    const h = okAll(s);
    h(s.receive(enc('A1 LOGIN smith sesame\r\n')));
    expect(out(s)).toBe('A1 NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections\r\n');
    expect(s.state).toBe('not-authenticated');
    h(s.receive(enc('A2 STARTTLS\r\n')));
    s.tlsEstablished();
    expect(capsOf(s)).toEqual(['IMAP4rev1', 'AUTH=PLAIN', 'AUTH=SCRAM-SHA-256', 'SASL-IR']);
    h(s.receive(enc('A3 LOGIN smith sesame\r\n')));
    expect(s.state).toBe('authenticated');
    expect(capsOf(s)).toEqual(['IMAP4rev1', 'SASL-IR']);
  });

  it('STARTTLS is BAD when not offered and after TLS', () => {
    const s = new imap.ServerSession();
    s.takeOutput();
    okAll(s)(s.receive(enc('A1 STARTTLS\r\n')));
    expect(out(s)).toBe('A1 BAD STARTTLS is not offered\r\n');
  });
});

describe('imap ServerSession COMPRESS=DEFLATE (RFC 4978)', () => {
  const CAPS = ['IMAP4rev1', 'COMPRESS=DEFLATE'];
  // Whatever follows the COMPRESS line is already compressed: any octets stand for it here.
  const DEFLATED = bin('\x78\x9c\x4b\x4c\x04\x00\x02\x7f\x01\x1f');

  it('rfc4978 3: the compress event hands back the octets after the command line; answers wait for compressionEstablished()', () => {
    const s = new imap.ServerSession({ preauth: true, capabilities: CAPS });
    s.takeOutput();
    const wire = new Uint8Array([...enc('A1 COMPRESS DEFLATE\r\n'), ...DEFLATED]);
    expect(s.receive(wire)).toMatchObject([{ type: 'command', command: { command: 'COMPRESS', mechanism: 'DEFLATE' } }]);
    const ev = s.ok('DEFLATE active');
    expect(ev).toEqual([{ type: 'compress', rest: DEFLATED }]);
    expect(out(s)).toBe('A1 OK DEFLATE active\r\n');
    // The application inflates and passes the plain commands; nothing is answered yet.
    expect(s.receive(enc('A2 NOOP\r\n'))).toEqual([]);
    s.untagged({ type: 'untagged', kind: 'EXISTS', number: 3 });
    expect(out(s)).toBe('');
    const after = s.compressionEstablished();
    expect(after).toMatchObject([{ type: 'command', command: { command: 'NOOP' } }]);
    s.ok();
    expect(out(s)).toBe('* 3 EXISTS\r\nA2 OK completed\r\n');
    expect(capsOf(s)).toEqual(['IMAP4rev1']);
  });

  it('COMPRESS again is NO [COMPRESSIONACTIVE]; COMPRESS not offered is BAD', () => {
    const s = new imap.ServerSession({ preauth: true, capabilities: CAPS });
    okAll(s)(s.receive(enc('A1 COMPRESS DEFLATE\r\n')));
    s.compressionEstablished();
    s.takeOutput();
    okAll(s)(s.receive(enc('A2 COMPRESS DEFLATE\r\n')));
    expect(out(s)).toBe('A2 NO [COMPRESSIONACTIVE] Compression is already active\r\n');
    const t = new imap.ServerSession({ preauth: true });
    t.takeOutput();
    okAll(t)(t.receive(enc('A1 COMPRESS DEFLATE\r\n')));
    expect(out(t)).toBe('A1 BAD Compression mechanism not offered\r\n');
  });
});

describe('imap ServerSession: hostile bytes never throw, never echo', () => {
  for (const [name, line] of [
    ['NUL', 'a1 LOGIN \0 b\r\n'],
    ['CR', 'a1 LOGIN a\rb c\r\n'],
    ['LF', 'a1 LOGIN a\nb c\r\n'],
    ['0xFF', 'a1 LOGIN \xff b\r\n'],
  ] as const) {
    it(`receive("${JSON.stringify(line).slice(1, -1)}") (a ${name} inside a command): BAD with a fixed text, then the next command`, () => {
      const s = new imap.ServerSession();
      const h = okAll(s);
      s.takeOutput();
      expect(() => h(s.receive(bin(line)))).not.toThrow();
      expect(() => h(s.receive(enc('a2 NOOP\r\n')))).not.toThrow();
      const text = out(s);
      expect(/^[\x20-\x7e\r\n]*$/.test(text)).toBe(true);
      // 8-bit octets in an astring are the parser's to judge (RFC 9051 allows UTF-8); the rest are BAD.
      if (name !== '0xFF') expect(text).toMatch(/^(a1|\*) BAD /);
      expect(text).toMatch(/a2 OK completed\r\n$/);
    });
  }

  it('dovecot: 10 BAD in a row are answered, the 11th closes with BYE', () => {
    const s = new imap.ServerSession();
    s.takeOutput();
    const ev = s.receive(enc('a FOO\r\n'.repeat(20)));
    expect(ev.at(-1)).toEqual({ type: 'closed' });
    const lines = out(s).split('\r\n').filter((l) => l !== '');
    expect(lines).toHaveLength(12);
    expect(lines[11]).toBe('* BYE Too many invalid IMAP commands');
  });
});

describe('imap ServerSession: maxPending is what waits, not what one read holds', () => {
  it('1001 pipelined NOOPs in one read are all answered, as in two reads', () => {
    const one = new imap.ServerSession();
    okAll(one)(one.receive(enc('A NOOP\r\n'.repeat(1001))));
    const two = new imap.ServerSession();
    const h = okAll(two);
    h(two.receive(enc('A NOOP\r\n'.repeat(300))));
    h(two.receive(enc('A NOOP\r\n'.repeat(701))));
    const a = out(one);
    expect(a.split('A OK completed\r\n').length - 1).toBe(1001);
    expect(a).toBe(out(two));
  });

  it('property: any split gives the same answers (literals, IDLE, AUTHENTICATE included)', () => {
    const wire = enc('A1 LOGIN {5}\r\nsmith {6}\r\nsesame\r\nA2 SELECT INBOX\r\nA3 IDLE\r\nDONE\r\nA4 FETCH 1 (FLAGS)\r\nA5 BAD-CMD\r\nA6 UNSELECT\r\nA7 LOGOUT\r\n');
    const run = (chunks: Uint8Array[]): string => {
      const s = new imap.ServerSession();
      const h = okAll(s);
      for (const c of chunks) h(s.receive(c));
      h(s.end());
      return out(s);
    };
    const whole = run([wire]);
    expect(whole).toMatch(/A7 OK completed\r\n$/);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: wire.length - 1 }), { maxLength: 10 }), (cuts) => {
        expect(run(splitAt(wire, cuts))).toBe(whole);
      }),
      { numRuns: 300 },
    );
  });
});
