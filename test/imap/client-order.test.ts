/**
 * Nothing goes out before the server spoke, and no answer is matched to a command that had not
 * been written when the answer arrived: RFC 3501 7.1 (the greeting decides the state), RFC 9051
 * 2.2.2 (the client sends a command once the server is ready), the same rule as the SMTP (220)
 * and POP3 (+OK) clients (one hold in core/pipeline.ts).
 */
import { describe, expect, it } from 'vitest';
import { imap } from '../../src/index';
import { bin, concat, dec, enc } from '../helpers/bytes';

const out = (c: imap.ClientSession) => dec(concat(c.takeOutput()));
const kinds = (events: readonly imap.ClientEvent[]) => events.map((e) => (e.type === 'error' ? `error:${e.error.code}` : e.type));

describe('rfc3501 7.1 greeting: commands queued before it wait for it', () => {
  it('LOGIN and CAPABILITY queued right after connecting are written only after "* OK"', () => {
    const c = new imap.ClientSession();
    expect(c.send({ command: 'CAPABILITY' })).toBe('A1');
    expect(c.send({ command: 'LOGIN', user: 'smith', password: 'sesame' })).toBe('A2');
    expect(out(c)).toBe('');
    expect(kinds(c.receive(enc('* OK IMAP4rev1 Service Ready\r\n')))).toEqual(['greeting']);
    expect(c.state).toBe('not-authenticated');
    expect(out(c)).toBe('A1 CAPABILITY\r\nA2 LOGIN smith sesame\r\n');
  });

  it('the greeting split byte by byte: still nothing before its line end', () => {
    const c = new imap.ClientSession();
    c.send({ command: 'NOOP' });
    const wire = enc('* OK ready\r\n');
    for (let i = 0; i < wire.length - 1; i++) {
      c.receive(wire.subarray(i, i + 1));
      expect(out(c)).toBe('');
    }
    c.receive(wire.subarray(wire.length - 1));
    expect(out(c)).toBe('A1 NOOP\r\n');
  });

  it('"* PREAUTH": state authenticated; a queued LOGIN is cancelled, CAPABILITY goes out', () => {
    const c = new imap.ClientSession();
    c.send({ command: 'CAPABILITY' });
    c.send({ command: 'LOGIN', user: 'smith', password: 'sesame' });
    const ev = c.receive(enc('* PREAUTH IMAP4rev1 server logged in as Smith\r\n'));
    expect(kinds(ev)).toEqual(['greeting', 'cancelled']);
    expect(ev[1]).toMatchObject({ type: 'cancelled', tag: 'A2', command: { command: 'LOGIN' } });
    expect(c.state).toBe('authenticated');
    expect(out(c)).toBe('A1 CAPABILITY\r\n');
  });

  it('"* PREAUTH" strips a queued STARTTLS: it and everything behind it are cancelled, nothing goes out in clear text', () => {
    const c = new imap.ClientSession();
    c.send({ command: 'NOOP' });
    c.startTls();
    c.send({ command: 'LOGIN', user: 'smith', password: 'sesame' });
    c.send({ command: 'LIST', reference: '', pattern: '*' } as imap.CommandIntent);
    const ev = c.receive(enc('* PREAUTH welcome\r\n'));
    expect(kinds(ev)).toEqual(['greeting', 'cancelled', 'cancelled', 'cancelled']);
    expect(ev.slice(1).map((e) => (e.type === 'cancelled' ? e.tag : ''))).toEqual(['A2', 'A3', 'A4']);
    expect(out(c)).toBe('A1 NOOP\r\n');
  });

  it('"* BYE" greeting: every queued command is cancelled, nothing is written', () => {
    const c = new imap.ClientSession();
    c.send({ command: 'LOGIN', user: 'smith', password: 'sesame' });
    const ev = c.receive(enc('* BYE too many connections\r\n'));
    expect(kinds(ev)).toEqual(['bye', 'cancelled', 'closed']);
    expect(c.state).toBe('logout');
    expect(out(c)).toBe('');
  });

  it('a tagged "A1 OK" before the greeting does not complete the held A1', () => {
    const c = new imap.ClientSession();
    c.send({ command: 'LOGIN', user: 'smith', password: 'sesame' });
    const ev = c.receive(enc('A1 OK LOGIN completed\r\n'));
    expect(kinds(ev)).toEqual(['error:UNEXPECTED']);
    expect(out(c)).toBe('');
    expect(c.state).toBe('greeting');
  });
});

describe('an answer that began before its command was written answers nothing (core AnswerFence)', () => {
  it('"A1 O" arrives before A1 is written, "K\\r\\n" after: not A1\'s completion; the real one is', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* OK ready\r\n'));
    expect(c.receive(enc('A1 O'))).toEqual([]);
    const tag = c.send({ command: 'NOOP' });
    expect(out(c)).toBe('A1 NOOP\r\n');
    const ev = c.receive(enc('K\r\n'));
    expect(kinds(ev)).toEqual(['error:UNEXPECTED']);
    expect(ev[0]).toMatchObject({ error: { tag: 'A1' } });
    expect(c.receive(enc(`${tag} OK NOOP completed\r\n`))).toMatchObject([{ type: 'completed', tag }]);
  });

  it('a "+ " begun before APPEND asked for one does not release the literal', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* PREAUTH ready\r\n'));
    c.receive(enc('+ go'));
    c.send({ command: 'APPEND', mailbox: 'INBOX', messages: [{ flags: null, date: null, message: enc('hi\r\n'), binary: false }] });
    expect(out(c)).toBe('A1 APPEND INBOX {4}\r\n');
    expect(kinds(c.receive(enc(' ahead\r\n')))).toEqual(['error:UNEXPECTED']);
    expect(out(c)).toBe('');
    expect(kinds(c.receive(enc('+ Ready for literal data\r\n')))).toEqual([]);
    expect(out(c)).toBe('hi\r\n\r\n');
  });

  it('answers in the same read as the greeting still match the commands it released (any split)', () => {
    const wire = enc('* OK ready\r\nA1 OK CAPABILITY completed\r\n');
    for (let cut = 0; cut <= wire.length; cut++) {
      const c = new imap.ClientSession();
      c.send({ command: 'CAPABILITY' });
      const ev = [...c.receive(wire.subarray(0, cut)), ...c.receive(wire.subarray(cut))];
      expect(kinds(ev), `cut ${cut}`).toEqual(['greeting', 'completed']);
    }
  });

  it('0xFF bytes of a stray line are dropped like any other', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* OK ready\r\n'));
    expect(kinds(c.receive(bin('A1 OK \xFF\r\n')))).toEqual(['error:UNEXPECTED']);
  });
});

describe('rfc3501 6.2.1 / rfc4978 3: a switch queued before the answer that releases it still switches at its OK', () => {
  it('STARTTLS queued before the greeting; greeting, OK and an injected CAPABILITY in one read: the injection is dropped', () => {
    const c = new imap.ClientSession();
    c.startTls();
    c.send({ command: 'LOGIN', user: 'smith', password: 'sesame' });
    const ev = c.receive(enc('* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\nA1 OK Begin TLS negotiation now\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n'));
    expect(kinds(ev)).toEqual(['greeting', 'starttls', 'completed', 'error:UNEXPECTED']);
    expect([...c.capabilities]).toEqual([]);
    expect(out(c)).toBe('A1 STARTTLS\r\n');
    c.tlsEstablished();
    expect(out(c)).toBe('A3 CAPABILITY\r\n');
  });

  it('COMPRESS queued behind LOGIN; the LOGIN OK, the COMPRESS OK and compressed bytes in one read: they are `rest`', () => {
    const c = new imap.ClientSession();
    c.send({ command: 'LOGIN', user: 'smith', password: 'sesame' });
    c.compress();
    const ev = c.receive(enc('* OK ready\r\nA1 OK logged in\r\nA2 OK DEFLATE active\r\n\x78\x9c'));
    expect(kinds(ev)).toEqual(['greeting', 'completed', 'compress', 'completed']);
    expect(ev.find((e) => e.type === 'compress')).toMatchObject({ rest: enc('\x78\x9c') });
  });
});
