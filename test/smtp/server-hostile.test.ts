import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { smtp } from '../../src/index';
import { enc, dec, bin, splitAt } from '../helpers/bytes';

const out = (s: smtp.ServerSession) => s.takeOutput().map(dec).join('');

/** The handler of docs/smtp.md and examples/smtp-server.ts: accept() on every command and every body end. */
function documentedHandler(s: smtp.ServerSession): (ev: smtp.ServerEvent[]) => void {
  const handle = (ev: smtp.ServerEvent[]): void => {
    for (const e of ev) if (e.type === 'command' || e.type === 'data-end') handle(s.accept());
  };
  return handle;
}

describe('smtp ServerSession: the documented accept-everything handler never throws', () => {
  it('exim: BDAT 5 then BDAT 0 LAST (CHUNKING is in the default EHLO) through a handler that accepts every command', () => {
    const s = new smtp.ServerSession({ domain: 'mx.example' });
    const handle = documentedHandler(s);
    s.takeOutput();
    expect(() => handle(s.receive(enc('EHLO exim.example\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\n')))).not.toThrow();
    expect(out(s)).toMatch(/250 SMTPUTF8\r\n250 2\.1\.0 Sender OK\r\n250 2\.1\.5 Recipient OK\r\n$/);
    expect(() => handle(s.receive(enc('BDAT 5\r\nhello')))).not.toThrow();
    expect(() => handle(s.receive(enc('BDAT 0 LAST\r\n')))).not.toThrow();
    expect(out(s)).toBe('250 2.0.0 5 octets received\r\n250 2.0.0 Message accepted\r\n');
    expect(s.state).toBe('ready');
  });

  it('accept() with nothing waiting does nothing; every command the default EHLO invites gets its usual reply', () => {
    const s = new smtp.ServerSession({ domain: 'mx.example' });
    const handle = documentedHandler(s);
    s.takeOutput();
    expect(s.accept()).toEqual([]);
    handle(s.receive(enc('EHLO c\r\nMAIL FROM:<a@b.example> BODY=8BITMIME SMTPUTF8\r\nRCPT TO:<c@d.example>\r\nDATA\r\nhi\r\n.\r\nAUTH PLAIN AHUAcA==\r\nSTARTTLS\r\nVRFY x\r\nHELP\r\nRSET\r\nQUIT\r\n')));
    const lines = out(s).split('\r\n').filter((l) => l !== '' && !l.startsWith('250-'));
    expect(lines.map((l) => l.slice(0, 3))).toEqual(['250', '250', '250', '354', '250', '502', '502', '252', '214', '250', '221']);
    expect(s.state).toBe('closed');
  });

  for (const [name, bytes] of [
    ['NUL', bin('MAIL FROM:<a\0b@c.example>\r\n')],
    ['CR', bin('HELO a\rb\r\n')],
    ['LF', bin('NOOP a\nb\r\n')],
    ['0xFF', bin('EHLO \xff\xfe\r\n')],
  ] as const) {
    it(`a ${name} inside a command: a fixed reply, no throw, no peer byte on the wire, the next command answered`, () => {
      const s = new smtp.ServerSession({ domain: 'mx.example' });
      const handle = documentedHandler(s);
      s.takeOutput();
      expect(() => handle(s.receive(bytes))).not.toThrow();
      expect(() => handle(s.receive(enc('NOOP\r\n')))).not.toThrow();
      const text = out(s);
      // EHLO with 8-bit octets is the parser's to judge; whatever it decides, the reply is ASCII.
      if (name !== '0xFF') expect(text).toMatch(/^5\d\d /);
      expect(text).toMatch(/250 2\.0\.0 OK\r\n$/);
      expect(/^[\x20-\x7e\r\n]*$/.test(text)).toBe(true);
    });
  }

  it('a bad AUTH response line is answered 501 without echoing it', () => {
    const s = new smtp.ServerSession({ domain: 'mx.example', extensions: [{ keyword: 'AUTH', params: ['PLAIN'] }] });
    const handle = (ev: smtp.ServerEvent[]): void => {
      for (const e of ev) if (e.type === 'command') handle(e.command.verb === 'AUTH' ? s.challenge(new Uint8Array(0)) : s.accept());
    };
    s.takeOutput();
    handle(s.receive(enc('EHLO c\r\nAUTH PLAIN\r\nc2VjcmV0!!\r\nNOOP\r\n')));
    const text = out(s);
    expect(text).toMatch(/334 \r\n501 5\.0\.0 Authentication cancelled\r\n250 2\.0\.0 OK\r\n$/);
    expect(text).not.toContain('c2VjcmV0');
  });
});

describe('smtp ServerSession: maxPending is what waits, not what one read holds', () => {
  it('1001 NOOP in one read are all answered, as in two reads', () => {
    const one = new smtp.ServerSession({ domain: 'mx.example' });
    documentedHandler(one)(one.receive(enc('NOOP\r\n'.repeat(1001))));
    const two = new smtp.ServerSession({ domain: 'mx.example' });
    const h = documentedHandler(two);
    h(two.receive(enc('NOOP\r\n'.repeat(500))));
    h(two.receive(enc('NOOP\r\n'.repeat(501))));
    const a = out(one);
    expect(a.split('250 2.0.0 OK\r\n').length - 1).toBe(1001);
    expect(a).toBe(out(two));
    expect(one.state).not.toBe('closed');
  });

  it('with the application sitting on the first: one read is held whatever its size; a read that arrives while more than 1000 wait closes the session', () => {
    const s = new smtp.ServerSession({ domain: 'mx.example' });
    expect(s.receive(enc('NOOP\r\n'.repeat(1001))).map((e) => e.type)).toEqual(['command']);
    expect(s.receive(enc('NOOP\r\n')).map((e) => e.type)).toEqual(['auto-reply', 'closed']);
    expect(out(s)).toMatch(/421 4\.7\.0 [^\r\n]*\r\n$/);
    const t = new smtp.ServerSession({ domain: 'mx.example' });
    expect(t.receive(enc('NOOP\r\n'.repeat(5000))).map((e) => e.type)).toEqual(['command']);
    expect(t.state).not.toBe('closed');
    const u = new smtp.ServerSession({ domain: 'mx.example' });
    u.receive(enc('NOOP\r\n'.repeat(999)));
    expect(u.receive(enc('NOOP\r\n')).map((e) => e.type)).toEqual([]); // 1000 waiting: within the bound
    expect(u.state).not.toBe('closed');
  });

  it('property: any split of a pipelined session gives the same replies', () => {
    const wire = enc(
      'EHLO c.example\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nRCPT TO:<e@f.example>\r\nDATA\r\nSubject: x\r\n\r\n..dot\r\n.\r\n' +
        'MAIL FROM:<>\r\nRCPT TO:<g@h.example>\r\nBDAT 3\r\nabcBDAT 0 LAST\r\nFOO\r\nNOOP\r\nQUIT\r\n',
    );
    const run = (chunks: Uint8Array[]): string => {
      const s = new smtp.ServerSession({ domain: 'mx.example' });
      const h = documentedHandler(s);
      for (const c of chunks) h(s.receive(c));
      h(s.end());
      return out(s);
    };
    const whole = run([wire]);
    expect(whole).toMatch(/221 2\.0\.0 [^\r\n]*\r\n$/);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: wire.length - 1 }), { maxLength: 12 }), (cuts) => {
        expect(run(splitAt(wire, cuts))).toBe(whole);
      }),
      { numRuns: 300 },
    );
    expect(run(Array.from(wire, (b) => Uint8Array.of(b)))).toBe(whole);
  });
});

describe('smtp ServerSession: error budget (Postfix smtpd_hard_error_limit) and forbidUnauthPipelining', () => {
  it('postfix smtpd_hard_error_limit: the 21st error reply is followed by 421 and close', () => {
    const s = new smtp.ServerSession({ domain: 'mx.example' });
    s.takeOutput();
    const ev = s.receive(enc('FOO\r\n'.repeat(30)));
    expect(ev.at(-1)).toEqual({ type: 'closed' });
    const lines = out(s).split('\r\n').filter((l) => l !== '');
    expect(lines).toHaveLength(22);
    expect(lines.slice(0, 21).every((l) => l === '500 5.5.2 Command unrecognized')).toBe(true);
    expect(lines[21]).toBe('421 4.7.0 Too many errors; closing');
  });

  it('maxErrors 0 turns the budget off; an accepted message starts the count again', () => {
    const off = new smtp.ServerSession({ domain: 'mx.example', maxErrors: 0 });
    off.receive(enc('FOO\r\n'.repeat(100)));
    expect(off.state).not.toBe('closed');
    const s = new smtp.ServerSession({ domain: 'mx.example', maxErrors: 2 });
    const h = documentedHandler(s);
    h(s.receive(enc('EHLO c\r\nFOO\r\nFOO\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\nx\r\n.\r\nFOO\r\nFOO\r\n')));
    expect(s.state).not.toBe('closed');
    h(s.receive(enc('FOO\r\n')));
    expect(s.state).toBe('closed');
  });

  it('postfix smtpd_forbid_unauth_pipelining: HELO then MAIL in one read is refused with 554 and close', () => {
    const s = new smtp.ServerSession({ domain: 'mx.example', forbidUnauthPipelining: true });
    s.takeOutput();
    const ev = s.receive(enc('HELO c.example\r\nMAIL FROM:<a@b.example>\r\n'));
    expect(ev.map((e) => e.type)).toEqual(['auto-reply', 'closed']);
    expect(out(s)).toBe('554 5.5.0 SMTP protocol synchronization error\r\n');
  });

  it('forbidUnauthPipelining: pipelining after an EHLO that offered PIPELINING is fine; talking before the greeting is not', () => {
    const s = new smtp.ServerSession({ domain: 'mx.example', forbidUnauthPipelining: true });
    s.takeOutput();
    const h = documentedHandler(s);
    h(s.receive(enc('EHLO c.example\r\n')));
    h(s.receive(enc('MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nNOOP\r\n')));
    expect(out(s)).toMatch(/250 2\.1\.0 Sender OK\r\n250 2\.1\.5 Recipient OK\r\n250 2\.0\.0 OK\r\n$/);
    const early = new smtp.ServerSession({ domain: 'mx.example', forbidUnauthPipelining: true });
    expect(early.receive(enc('EHLO c.example\r\n')).map((e) => e.type)).toEqual(['auto-reply', 'closed']);
    expect(out(early)).toMatch(/^220 [^\r\n]*\r\n554 5\.5\.0 /);
  });
});

describe('smtp ServerSession: extensions', () => {
  it('DEFAULT_EXTENSIONS is exported; `extensions` adds to it (same keyword replaces), `withoutExtensions` removes', () => {
    expect(smtp.DEFAULT_EXTENSIONS.map((e) => e.keyword)).toEqual(['PIPELINING', '8BITMIME', 'ENHANCEDSTATUSCODES', 'CHUNKING', 'SMTPUTF8']);
    const s = new smtp.ServerSession({ domain: 'mx.example', maxMessageSize: 1000, extensions: [{ keyword: 'SIZE', params: ['2000'] }, { keyword: 'DSN', params: [] }], withoutExtensions: ['CHUNKING'] });
    s.takeOutput();
    documentedHandler(s)(s.receive(enc('EHLO c\r\n')));
    expect(out(s)).toBe('250-mx.example greets c\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250-SMTPUTF8\r\n250-SIZE 2000\r\n250 DSN\r\n');
  });
});

it('one auto-reply shape: { type, reply, reason }, the reason never quoting the client', () => {
  const s = new smtp.ServerSession({ domain: 'mx.example' });
  const [ev] = s.receive(enc('XSECRET hunter2\r\n'));
  expect(ev).toEqual({ type: 'auto-reply', reply: { code: 500, enhanced: { class: 5, subject: 5, detail: 2 }, lines: ['Command unrecognized'] }, reason: 'unknown command' });
  expect(dec(new Uint8Array(s.takeOutput().flatMap((b) => [...b])))).not.toContain('hunter2');
});

it('maxOutput: with its output not taken the session stops reading pipelined commands (inputHeld); receive(empty) goes on after takeOutput()', () => {
  const s = new smtp.ServerSession({ domain: 'mx.example', maxOutput: 100 });
  const h = documentedHandler(s);
  s.takeOutput();
  h(s.receive(enc('NOOP\r\n'.repeat(50))));
  // "250 2.0.0 OK\r\n" is 14 octets: the 8th answer takes the output past 100.
  expect(s.inputHeld).toBe(true);
  let text = out(s);
  expect(text.split('\r\n').length - 1).toBe(8);
  while (s.inputHeld) {
    h(s.receive(new Uint8Array(0)));
    text += out(s);
  }
  expect(text).toBe('250 2.0.0 OK\r\n'.repeat(50));
});
