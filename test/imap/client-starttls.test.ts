/**
 * The client session at the points where the bytes change layer: STARTTLS (RFC 3501 6.2.1,
 * RFC 9051 6.2.1) and COMPRESS=DEFLATE (RFC 4978). Nothing queued behind the switch goes out
 * before the application says the new layer is up, and no byte that arrived in clear text
 * after the switch point is ever parsed.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { imap } from '../../src/index';
import { concat, dec, enc } from '../helpers/bytes';

const out = (c: imap.ClientSession) => dec(concat(c.takeOutput()));
const kinds = (events: readonly imap.ClientEvent[]) => events.map((e) => (e.type === 'error' ? `error:${e.error.code}` : e.type));

const DOVECOT_GREETING = '* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS LOGINDISABLED] Dovecot ready.\r\n';
const DOVECOT_TLS_CAPS = '* CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ AUTH=PLAIN\r\n';

describe('rfc3501 6.2.1 STARTTLS: nothing queued behind it leaves before tlsEstablished()', () => {
  it('dovecot: LOGIN pipelined behind STARTTLS waits for the handshake and the new CAPABILITY', () => {
    const c = new imap.ClientSession();
    c.receive(enc(DOVECOT_GREETING));
    c.startTls();
    c.send({ command: 'LOGIN', user: 'alice', password: 'sesame' });
    expect(out(c)).toBe('A1 STARTTLS\r\n');
    // The reported bug: the LOGIN went out in the same receive() that carried the OK.
    expect(kinds(c.receive(enc('A1 OK Begin TLS negotiation now.\r\n')))).toEqual(['starttls', 'completed']);
    expect(out(c)).toBe('');
    expect(c.capabilities.size).toBe(0);
    // Commands sent while the handshake runs wait too.
    c.send({ command: 'NOOP' });
    expect(out(c)).toBe('');
    c.tlsEstablished();
    expect(c.tls).toBe(true);
    // Capabilities are asked again first (RFC 9051 6.2.1); the queue is released by its answer.
    expect(out(c)).toBe('A4 CAPABILITY\r\n');
    const ev = c.receive(enc(`${DOVECOT_TLS_CAPS}A4 OK Pre-login capabilities listed, post-login capabilities have more.\r\n`));
    expect(kinds(ev)).toEqual(['untagged', 'completed']);
    expect(c.capabilities.has('AUTH=PLAIN')).toBe(true);
    expect(c.capabilities.has('STARTTLS')).toBe(false);
    // LOGIN holds the line (item: no pipelining behind a login).
    expect(out(c)).toBe('A2 LOGIN alice sesame\r\n');
    c.receive(enc('A2 OK [CAPABILITY IMAP4rev1 IDLE] Logged in\r\n'));
    expect(out(c)).toBe('A3 NOOP\r\n');
  });

  it('issue 14: "A1 OK Begin TLS\\r\\n* CAPABILITY IMAP4rev1 AUTH=PLAIN" in one read: the clear-text tail is dropped unread, reported once', () => {
    const c = new imap.ClientSession();
    c.receive(enc(DOVECOT_GREETING));
    c.startTls();
    c.send({ command: 'LOGIN', user: 'alice', password: 'sesame' });
    out(c);
    const ev = c.receive(enc('A1 OK Begin TLS\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN'));
    expect(kinds(ev)).toEqual(['starttls', 'completed', 'error:UNEXPECTED']);
    expect(c.capabilities.size).toBe(0);
    // More clear text before the handshake: dropped, not reported again, nothing written.
    expect(c.receive(enc('\r\n* BYE\r\nA2 OK LOGIN done\r\n'))).toEqual([]);
    expect(c.state).toBe('not-authenticated');
    expect(out(c)).toBe('');
    c.tlsEstablished();
    expect(out(c)).toBe('A3 CAPABILITY\r\n');
    // A fresh parser: the dropped half line is not glued to the first line read through TLS.
    const after = c.receive(enc('* CAPABILITY IMAP4rev1 AUTH=SCRAM-SHA-256\r\nA3 OK done\r\n'));
    expect(kinds(after)).toEqual(['untagged', 'completed']);
    expect([...c.capabilities]).toEqual(['IMAP4REV1', 'AUTH=SCRAM-SHA-256']);
    expect(out(c)).toBe('A2 LOGIN alice sesame\r\n');
  });

  it('every split of the STARTTLS answer: one starttls event, one UNEXPECTED, nothing adopted, nothing written', () => {
    const wire = enc('A1 OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] Begin TLS\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA2 OK LOGIN completed\r\n');
    for (let cut = 0; cut <= wire.length; cut++) {
      const c = new imap.ClientSession();
      c.receive(enc(DOVECOT_GREETING));
      c.startTls();
      c.send({ command: 'LOGIN', user: 'alice', password: 'sesame' });
      out(c);
      const ev = [...c.receive(wire.subarray(0, cut)), ...c.receive(wire.subarray(cut))];
      expect(kinds(ev), `cut at ${cut}`).toEqual(['starttls', 'completed', 'error:UNEXPECTED']);
      // The CAPABILITY code on the OK itself was sent before TLS: not trusted either.
      expect(c.capabilities.size).toBe(0);
      expect(c.state).toBe('not-authenticated');
      expect(out(c)).toBe('');
    }
  });

  it('rfc3501 6.2.1: a refused STARTTLS cancels what was queued behind it instead of sending it in clear text', () => {
    const c = new imap.ClientSession();
    c.receive(enc(DOVECOT_GREETING));
    c.startTls();
    const login = c.send({ command: 'LOGIN', user: 'alice', password: 'sesame' });
    out(c);
    const ev = c.receive(enc('A1 BAD STARTTLS not available\r\n'));
    expect(kinds(ev)).toEqual(['completed', 'cancelled']);
    expect(ev[1]).toMatchObject({ type: 'cancelled', tag: login, command: { command: 'LOGIN' }, error: { code: 'UNEXPECTED' } });
    expect(out(c)).toBe('');
    expect(c.end().map((e) => e.type)).toEqual(['closed']);
  });

  it('commands queued behind STARTTLS are encoded for the capabilities announced inside TLS (SASL-IR, LITERAL+)', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* OK [CAPABILITY IMAP4rev1 LITERAL+ STARTTLS] ready\r\n'));
    c.startTls();
    c.authenticate({ mechanism: 'PLAIN', user: 'tim', password: 'tanstaaftanstaaf' });
    out(c);
    c.receive(enc('A1 OK Begin TLS\r\n'));
    c.tlsEstablished();
    expect(out(c)).toBe('A3 CAPABILITY\r\n');
    c.receive(enc('* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN\r\nA3 OK done\r\n'));
    expect(out(c)).toBe('A2 AUTHENTICATE PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm\r\n');

    const d = new imap.ClientSession();
    d.receive(enc('* OK [CAPABILITY IMAP4rev1 LITERAL+ STARTTLS] ready\r\n'));
    d.startTls();
    d.send({ command: 'LOGIN', user: 'fred', password: 'pass\r\nword' });
    out(d);
    d.receive(enc('A1 OK Begin TLS\r\n'));
    d.tlsEstablished();
    out(d);
    d.receive(enc('* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA3 OK done\r\n'));
    // No LITERAL+ inside TLS: a synchronizing literal, as the server now says.
    expect(out(d)).toBe('A2 LOGIN fred {10}\r\n');
  });

  it('tlsEstablished() without a starttls event, and a second STARTTLS, are programming errors', () => {
    const c = new imap.ClientSession();
    c.receive(enc(DOVECOT_GREETING));
    expect(() => c.tlsEstablished()).toThrow();
    c.startTls();
    expect(() => c.startTls()).toThrow();
    c.receive(enc('A1 OK Begin TLS\r\n'));
    expect(() => c.startTls()).toThrow();
    c.tlsEstablished();
    expect(() => c.tlsEstablished()).toThrow();
    expect(() => c.startTls()).toThrow();
  });

  it('end of stream during the handshake: TRUNCATED for the held commands, then closed', () => {
    const c = new imap.ClientSession();
    c.receive(enc(DOVECOT_GREETING));
    c.startTls();
    c.send({ command: 'LOGIN', user: 'alice', password: 'sesame' });
    c.receive(enc('A1 OK Begin TLS\r\n'));
    expect(kinds(c.end())).toEqual(['error:TRUNCATED', 'closed']);
  });
});

describe('rfc4978 COMPRESS=DEFLATE: the switch point, the compressed rest, held output', () => {
  const inflated = '* OK [ALERT] compressed hello\r\na002 OK NOOP completed\r\n';

  it('rfc4978 3 example: "a001 OK DEFLATE active" and the compressed bytes of the same read come back as rest', () => {
    const c = new imap.ClientSession({ tagPrefix: 'a00' });
    c.receive(enc('* PREAUTH [CAPABILITY IMAP4rev1 COMPRESS=DEFLATE] ready\r\n'));
    c.compress();
    c.send({ command: 'NOOP' });
    expect(out(c)).toBe('a001 COMPRESS DEFLATE\r\n');
    const compressed = deflateRawSync(enc(inflated));
    const ev = c.receive(concat([enc('a001 OK DEFLATE active\r\n'), compressed]));
    expect(kinds(ev)).toEqual(['compress', 'completed']);
    const rest = (ev[0] as Extract<imap.ClientEvent, { type: 'compress' }>).rest;
    expect(dec(inflateRawSync(rest))).toBe(inflated);
    // Held until the deflater is in place; output taken before the event was plain.
    expect(out(c)).toBe('');
    expect(c.compression).toBe(null);
    c.compressionEstablished();
    expect(c.compression).toBe('DEFLATE');
    expect(out(c)).toBe('a002 NOOP\r\n');
    // The application inflates and feeds the session.
    expect(kinds(c.receive(inflateRawSync(rest)))).toEqual(['untagged', 'completed']);
    expect(() => c.compress()).toThrow();
  });

  it('every split: the rest is exactly the bytes after the OK line, whatever the chunking', () => {
    const compressed = deflateRawSync(enc(inflated));
    const wire = concat([enc('* 3 EXISTS\r\na001 OK DEFLATE active\r\n'), compressed]);
    for (let cut = 0; cut <= wire.length; cut++) {
      const c = new imap.ClientSession({ tagPrefix: 'a00' });
      c.receive(enc('* PREAUTH ready\r\n'));
      c.compress();
      c.send({ command: 'NOOP' });
      out(c);
      const ev = c.receive(wire.subarray(0, cut));
      const at = ev.findIndex((e) => e.type === 'compress');
      const rest = at >= 0 ? [(ev[at] as Extract<imap.ClientEvent, { type: 'compress' }>).rest, wire.subarray(cut)] : [];
      if (at < 0) {
        // The OK line was not complete yet: the second read carries the switch.
        const ev2 = c.receive(wire.subarray(cut));
        const e = ev2.find((x) => x.type === 'compress') as Extract<imap.ClientEvent, { type: 'compress' }>;
        rest.push(e.rest);
      }
      expect(dec(inflateRawSync(concat(rest))), `cut at ${cut}`).toBe(inflated);
      expect(out(c)).toBe('');
    }
  });

  it('rfc4978 3: a refused COMPRESS releases the queue uncompressed', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* PREAUTH ready\r\n'));
    c.compress();
    c.send({ command: 'NOOP' });
    expect(out(c)).toBe('A1 COMPRESS DEFLATE\r\n');
    expect(kinds(c.receive(enc('A1 NO [COMPRESSIONACTIVE] DEFLATE active via TLS\r\n')))).toEqual(['completed']);
    expect(out(c)).toBe('A2 NOOP\r\n');
    expect(c.compression).toBe(null);
    expect(() => c.compressionEstablished()).toThrow();
  });
});
