import { describe, expect, it } from 'vitest';
import { imap, pop3, smtp } from '../../src/index';
import { concat, dec, enc } from '../helpers/bytes';

// Client sessions facing a broken or malicious server. Whatever the server sends, receive()
// and end() never throw; the session reports what was wrong (an error event or a ProtocolError
// item) and either stays consistent (later commands still correlate) or closes cleanly.

const kinds = (events: readonly { type: string; error?: { code: string } }[]): string[] => events.map((e) => (e.type === 'error' ? `error:${e.error!.code}` : e.type));
const output = (s: { takeOutput(): Uint8Array[] }): string => dec(concat(s.takeOutput()));
const CHUNK = new Uint8Array(64 * 1024).fill(0x41);

function imapClient(): imap.ClientSession {
  const c = new imap.ClientSession();
  expect(kinds(c.receive(enc('* OK [CAPABILITY IMAP4rev1] ready\r\n')))).toEqual(['greeting']);
  return c;
}

describe('IMAP ClientSession facing a hostile server', () => {
  it('unsolicited untagged responses are reported as untagged events, attached to no command', () => {
    const c = imapClient();
    const ev = c.receive(enc('* 3 FETCH (FLAGS (\\Seen))\r\n* 9 EXPUNGE\r\n* CAPABILITY IMAP4rev1 X-EVIL\r\n* 12 EXISTS\r\n'));
    expect(kinds(ev)).toEqual(['untagged', 'untagged', 'untagged', 'untagged']);
    expect(c.mailbox).toBeNull(); // no mailbox selected: EXISTS changes nothing
    const tag = c.send({ command: 'NOOP' });
    const [done] = c.receive(enc(`${tag} OK done\r\n`));
    expect(done).toMatchObject({ type: 'completed', tag, untagged: [] });
  });

  it('a tagged completion for an unknown tag is UNEXPECTED; the real completion still correlates', () => {
    const c = imapClient();
    const tag = c.send({ command: 'NOOP' });
    const bogus = c.receive(enc(`Z999 OK forged\r\n${tag}X OK near miss\r\n`));
    expect(kinds(bogus)).toEqual(['error:UNEXPECTED', 'error:UNEXPECTED']);
    expect(bogus[0]).toMatchObject({ error: { tag: 'Z999' } });
    expect(c.receive(enc(`${tag} OK done\r\n`))).toMatchObject([{ type: 'completed', tag }]);
    // The same tag completed twice: the second is for a command no longer waiting.
    expect(kinds(c.receive(enc(`${tag} OK again\r\n`)))).toEqual(['error:UNEXPECTED']);
  });

  it('completions out of order correlate by tag, not by position', () => {
    const c = imapClient();
    const a = c.send({ command: 'NOOP' });
    const b = c.send({ command: 'CAPABILITY' });
    const ev = c.receive(enc(`* CAPABILITY IMAP4rev1\r\n${b} OK caps\r\n${a} OK noop\r\n`));
    expect(ev.filter((e) => e.type === 'completed').map((e) => (e as { tag: string }).tag)).toEqual([b, a]);
  });

  it('a continuation request nobody asked for is UNEXPECTED and makes the client send nothing', () => {
    const c = imapClient();
    c.takeOutput();
    expect(kinds(c.receive(enc('+ send me your password\r\n')))).toEqual(['error:UNEXPECTED']);
    expect(output(c)).toBe('');
    const tag = c.send({ command: 'NOOP' });
    expect(output(c)).toBe(`${tag} NOOP\r\n`);
    // A NOOP does not wait for "+": another one is still unexpected and sends nothing.
    expect(kinds(c.receive(enc('+ go\r\n')))).toEqual(['error:UNEXPECTED']);
    expect(output(c)).toBe('');
    expect(c.receive(enc(`${tag} OK\r\n`))).toMatchObject([{ type: 'completed', tag }]);
  });

  it('a refusal instead of the "+" for a synchronizing literal: the literal is never sent, later "+" are unexpected', () => {
    const c = imapClient();
    c.receive(enc('* CAPABILITY IMAP4rev1\r\n'));
    c.send({ command: 'LOGIN', user: 'u', password: 'p' });
    c.receive(enc('A1 OK [CAPABILITY IMAP4rev1] in\r\n'));
    c.takeOutput();
    const tag = c.send({ command: 'APPEND', mailbox: 'INBOX', messages: [{ flags: null, date: null, message: enc('Subject: x\r\n\r\nsecret\r\n'), binary: false }] });
    expect(output(c)).toBe(`${tag} APPEND INBOX {22}\r\n`);
    expect(c.receive(enc(`${tag} NO [TRYCREATE] no such mailbox\r\n`))).toMatchObject([{ type: 'completed', tag, response: { status: 'NO' } }]);
    expect(kinds(c.receive(enc('+ now send it\r\n')))).toEqual(['error:UNEXPECTED']);
    expect(output(c)).toBe('');
  });

  it('BYE in the middle of a literal is literal data; the end of the stream reports TRUNCATED and closes', () => {
    const c = imapClient();
    const tag = c.send({ command: 'NOOP' });
    const ev = c.receive(enc('* 1 FETCH (BODY[] {100}\r\nFrom: a\r\n* BYE going away\r\n'));
    // Inside a literal the server's words are data, not a response: no bye event.
    expect(kinds(ev)).toEqual([]);
    expect(c.state).toBe('not-authenticated');
    expect(kinds(c.end())).toEqual(['error:TRUNCATED', 'error:TRUNCATED', 'closed']);
    expect(c.state).toBe('logout');
    expect(() => c.send({ command: 'NOOP' })).toThrow();
    void tag;
  });

  it('BYE while commands are waiting: reported, and the end of the stream names the unanswered commands', () => {
    const c = imapClient();
    c.send({ command: 'NOOP' });
    c.send({ command: 'CAPABILITY' });
    expect(kinds(c.receive(enc('* BYE server shutting down\r\n')))).toEqual(['bye', 'untagged']);
    const end = c.end();
    expect(kinds(end)).toEqual(['error:TRUNCATED', 'closed']);
    expect(end[0]).toMatchObject({ error: { message: expect.stringContaining('2 command(s)') } });
  });

  it('a greeting that never ends: one LINE_TOO_LONG, nothing held, then a real greeting still works', () => {
    const c = new imap.ClientSession({ parser: { maxLineLength: 64 * 1024 } });
    const codes: string[] = [];
    for (let i = 0; i < 256; i++) codes.push(...kinds(c.receive(CHUNK))); // 16 MiB
    expect(codes).toEqual(['error:LINE_TOO_LONG']);
    expect(c.state).toBe('greeting');
    expect(kinds(c.receive(enc('\r\n* OK ready\r\n')))).toEqual(['greeting']);
  });

  it('a response that never ends (literal after literal): TOO_MANY once past maxResponseSize, then in sync', () => {
    const c = new imap.ClientSession({ parser: { maxResponseSize: 1024 * 1024 } });
    c.receive(enc('* PREAUTH ready\r\n'));
    const tag = c.send({ command: 'NOOP' });
    const piece = enc(` {4096}\r\n${'x'.repeat(4096)}`);
    const codes: string[] = [...kinds(c.receive(enc('* 1 FETCH (X (')))];
    for (let i = 0; i < 4096; i++) codes.push(...kinds(c.receive(piece))); // 16 MiB in one response
    expect(codes).toEqual([]);
    expect(kinds(c.receive(enc(`))\r\n${tag} OK\r\n`)))).toEqual(['error:TOO_MANY', 'completed']);
  });

  it('a long IDLE against a chatty server: untagged responses kept for the command stop at maxUntagged, reported once', () => {
    const c = new imap.ClientSession({ maxUntagged: 100 });
    c.receive(enc('* PREAUTH [CAPABILITY IMAP4rev1 IDLE] ready\r\n'));
    c.send({ command: 'SELECT', mailbox: 'INBOX' });
    c.receive(enc('* 1 EXISTS\r\nA1 OK [READ-WRITE] done\r\n'));
    const tag = c.send({ command: 'IDLE' });
    expect(kinds(c.receive(enc('+ idling\r\n')))).toEqual(['idling']);
    const chatter = enc('* 2 EXISTS\r\n'.repeat(1000));
    const seen: string[] = [];
    for (let i = 0; i < 100; i++) seen.push(...kinds(c.receive(chatter))); // 10^5 updates
    expect(seen.filter((k) => k !== 'untagged')).toEqual(['error:TOO_MANY']);
    expect(seen).toHaveLength(100_001); // every update is still delivered as an event
    expect(c.mailbox?.exists).toBe(2);
    c.done();
    const [done] = c.receive(enc(`${tag} OK idle done\r\n`));
    expect(done).toMatchObject({ type: 'completed', tag });
    expect(done?.type === 'completed' && done.untagged).toHaveLength(100);
  });

  it('garbage lines and forged states never throw and never change the state', () => {
    const c = imapClient();
    const junk = ['* OK [READ-WRITE] x', '* 4294967296 EXISTS', '* -1 EXPUNGE', '* FLAGS (', '* VANISHED (EARLIER) 1:*', '* ENABLED UTF8=ACCEPT', '* PREAUTH again', 'A1', '*', '+', ')'];
    for (const l of junk) expect(() => c.receive(enc(`${l}\r\n`))).not.toThrow();
    expect(c.state).toBe('not-authenticated');
    expect(c.mailbox).toBeNull();
  });
});

function pop3Client(): pop3.ClientSession {
  const c = new pop3.ClientSession();
  expect(kinds(c.receive(enc('+OK ready\r\n')))).toEqual(['greeting']);
  return c;
}

describe('POP3 ClientSession facing a hostile server', () => {
  it('responses to commands never sent: dropped at the end of the read (POP3 has no tags), a flood reported UNEXPECTED', () => {
    const c = pop3Client();
    // Nothing is in flight: what arrived answers nothing and never answers a command sent later.
    expect(kinds(c.receive(enc('+OK extra\r\n-ERR extra\r\n')))).toEqual(['error:UNEXPECTED', 'error:UNEXPECTED']);
    // 128 KiB more: what does not fit in the hold is read now, each line as unsolicited.
    const flood = c.receive(enc('+OK x\r\n'.repeat(128 * 1024 / 7)));
    expect(flood.length).toBeGreaterThan(0);
    expect(new Set(kinds(flood))).toEqual(new Set(['error:UNEXPECTED']));
    expect(() => c.end()).not.toThrow();
  });

  it('an error line answers the command it arrived for; the next command still gets the next line', () => {
    const c = pop3Client();
    c.takeOutput();
    c.stat();
    c.noop(); // held until STAT is answered (no PIPELINING)
    expect(output(c)).toBe('STAT\r\n');
    expect(kinds(c.receive(enc('garbage without status\r\n')))).toEqual(['error:SYNTAX']);
    // The bad line was STAT's answer: NOOP goes out now, and the next line answers it.
    expect(output(c)).toBe('NOOP\r\n');
    expect(c.receive(enc('+OK\r\n'))).toMatchObject([{ type: 'response', command: { verb: 'NOOP' } }]);
  });

  it('a bare LF inside a body under bodyLineEndings "reject" is reported; the body and the commands after it stay in step', () => {
    const c = new pop3.ClientSession({ parser: { bodyLineEndings: 'reject' } });
    c.receive(enc('+OK ready\r\n'));
    c.retr(1);
    c.stat(); // held until RETR is answered (no PIPELINING)
    expect(output(c)).toBe('RETR 1\r\n');
    const ev = c.receive(enc('+OK message\r\nbad\nline\r\n.\r\n'));
    expect(kinds(ev)).toEqual(['response', 'data', 'error:BARE_LF', 'data', 'data-end']);
    expect(ev.filter((e) => e.type === 'data' || e.type === 'data-end').every((e) => (e as { command: pop3.Command }).command.verb === 'RETR')).toBe(true);
    // STAT goes out only now, after the body, and the next line answers it.
    expect(output(c)).toBe('STAT\r\n');
    expect(c.receive(enc('+OK 1 10\r\n'))).toMatchObject([{ type: 'response', command: { verb: 'STAT' }, stat: { count: 1, size: 10 } }]);
  });

  it('an unreadable answer to USER is a failure: the queued PASS never goes out', () => {
    const c = pop3Client();
    c.takeOutput();
    c.login('alice', 'hunter2');
    expect(output(c)).toBe('USER alice\r\n');
    const ev = c.receive(enc('\x00\x01 not a status line\r\n'));
    expect(kinds(ev)).toEqual(['error:SYNTAX']);
    expect(output(c)).toBe('');
    c.noop();
    expect(output(c)).toBe('NOOP\r\n');
    expect(kinds(c.receive(enc('+OK\r\n')))).toEqual(['response']);
    expect(output(c)).toBe(''); // not even later
    expect(c.state).toBe('authorization');
  });

  it('a "+" SASL challenge when no AUTH is running is reported and not answered: no credentials, and no "*" the server would answer out of turn', () => {
    const c = pop3Client();
    c.takeOutput();
    c.noop();
    c.stat();
    expect(output(c)).toBe('NOOP\r\n');
    const ev = c.receive(enc('+ VXNlcm5hbWU6\r\n+OK\r\n'));
    expect(kinds(ev)).toEqual(['error:UNEXPECTED', 'response']);
    expect(output(c)).toBe('STAT\r\n');
    expect(c.receive(enc('+OK 1 2\r\n'))).toMatchObject([{ type: 'response', command: { verb: 'STAT' }, stat: { count: 1, size: 2 } }]);
  });

  it('a greeting that never ends: one LINE_TOO_LONG, still waiting for a greeting', () => {
    const c = new pop3.ClientSession();
    const codes: string[] = [];
    for (let i = 0; i < 256; i++) codes.push(...kinds(c.receive(CHUNK)));
    expect(codes).toEqual(['error:LINE_TOO_LONG']);
    expect(c.state).toBe('greeting');
    expect(kinds(c.receive(enc('\r\n+OK ready\r\n')))).toEqual(['greeting']);
  });

  it('a listing that never ends: nothing until its end, lines past maxListingLines dropped, one TOO_MANY', () => {
    const c = new pop3.ClientSession({ parser: { maxListingLines: 1000 } });
    c.receive(enc('+OK ready\r\n'));
    c.list();
    const lines = enc('1 120\r\n'.repeat(10_000));
    const seen: string[] = [...kinds(c.receive(enc('+OK\r\n')))];
    for (let i = 0; i < 100; i++) seen.push(...kinds(c.receive(lines))); // 10^6 lines
    expect(seen).toEqual([]);
    expect(kinds(c.receive(enc('.\r\n')))).toEqual(['error:TOO_MANY']);
    c.noop();
    expect(c.receive(enc('+OK\r\n'))).toMatchObject([{ type: 'response', command: { verb: 'NOOP' } }]);
  });

  it('a listing of long lines: at most maxListingSize octets held (default 64 MiB), one TOO_MANY', () => {
    const small = new pop3.ClientSession({ parser: { maxListingSize: 1000 } });
    small.receive(enc('+OK ready\r\n'));
    small.uidl();
    expect(kinds(small.receive(enc(`+OK\r\n${`1 ${'u'.repeat(98)}\r\n`.repeat(100)}.\r\n`)))).toEqual(['error:TOO_MANY']);
    small.noop();
    expect(small.receive(enc('+OK\r\n'))).toMatchObject([{ type: 'response', command: { verb: 'NOOP' } }]);

    const c = pop3Client();
    c.uidl();
    const eight = enc(`1 ${'u'.repeat(8186)}\r\n`.repeat(8)); // 8 lines of 8190 octets: 64 KiB
    const seen: string[] = [...kinds(c.receive(enc('+OK\r\n')))];
    for (let i = 0; i < 1152; i++) seen.push(...kinds(c.receive(eight))); // 72 MiB
    expect(seen).toEqual([]);
    const [end] = c.receive(enc('.\r\n'));
    expect(end).toMatchObject({ type: 'error', error: { code: 'TOO_MANY', message: expect.stringContaining('octets') } });
  });

  it('a message body that never ends streams as data and ends in TRUNCATED', () => {
    const c = pop3Client();
    c.retr(1);
    c.receive(enc('+OK message follows\r\n'));
    let bytes = 0;
    for (let i = 0; i < 256; i++) for (const e of c.receive(CHUNK)) if (e.type === 'data') bytes += e.chunk.length;
    expect(bytes).toBeGreaterThan(255 * CHUNK.length);
    expect(kinds(c.end())).toEqual(['error:TRUNCATED', 'closed']);
  });

  it('a -ERR greeting closes the session cleanly', () => {
    const c = new pop3.ClientSession();
    expect(kinds(c.receive(enc('-ERR go away\r\n')))).toEqual(['greeting', 'closed']);
    expect(c.state).toBe('closed');
  });
});

function smtpClient(): smtp.ClientSession {
  const c = new smtp.ClientSession({ domain: 'c.example' });
  c.receive(enc('220 mx.example ESMTP\r\n'));
  expect(kinds(c.receive(enc('250-mx.example\r\n250 PIPELINING\r\n')))).toEqual(['reply', 'ready']);
  c.takeOutput();
  return c;
}

describe('SMTP ClientSession facing a hostile server', () => {
  it('a reply to a command never sent is UNEXPECTED; a later command still gets its own reply', () => {
    const c = smtpClient();
    expect(kinds(c.receive(enc('250 nobody asked\r\n354 go ahead\r\n')))).toEqual(['error:UNEXPECTED', 'error:UNEXPECTED']);
    expect(output(c)).toBe('');
    c.noop();
    expect(c.receive(enc('250 ok\r\n'))).toMatchObject([{ type: 'reply', command: { verb: 'NOOP' }, reply: { code: 250 } }]);
  });

  it('an unreadable reply under pipelining closes the session: later replies are never matched to the wrong command', () => {
    const c = smtpClient();
    c.sendMail({ from: 'a@c.example', to: ['b@mx.example', 'd@mx.example'] });
    c.writeBody(enc('secret\r\n'));
    c.endBody();
    expect(output(c)).toBe('MAIL FROM:<a@c.example>\r\nRCPT TO:<b@mx.example>\r\nRCPT TO:<d@mx.example>\r\nDATA\r\n');
    // MAIL's reply switches codes mid-way; had it been skipped, the 250 for the first RCPT would
    // be read as MAIL's, and the 354 that follows the second RCPT's 250 would not be DATA's.
    const ev = c.receive(enc('250-sender ok\r\n550 5.1.1 no\r\n250 ok\r\n250 ok\r\n354 go ahead\r\n'));
    expect(kinds(ev)).toEqual(['error:SYNTAX', 'closed', 'error:UNEXPECTED', 'error:UNEXPECTED', 'error:UNEXPECTED']);
    expect(ev.some((e) => e.type === 'message' || e.type === 'recipient')).toBe(false);
    expect(c.state).toBe('closed');
    expect(output(c)).toBe(''); // the body never goes out
    expect(kinds(c.end())).toEqual([]);
  });

  it('an unsolicited 421 closes the session cleanly', () => {
    const c = smtpClient();
    expect(kinds(c.receive(enc('421 4.3.2 shutting down\r\n')))).toEqual(['reply', 'closed']);
    expect(c.state).toBe('closed');
  });

  it('a 354 too early never releases the body before the transaction is accepted', () => {
    const c = smtpClient();
    c.sendMail({ from: 'a@c.example', to: ['b@mx.example'] });
    c.writeBody(enc('secret\r\n'));
    c.endBody();
    expect(output(c)).toBe('MAIL FROM:<a@c.example>\r\nRCPT TO:<b@mx.example>\r\nDATA\r\n');
    // The 354 arrives as the answer to MAIL: it is read as MAIL's (failed) reply, not as DATA's go-ahead.
    c.receive(enc('354 send it\r\n'));
    expect(output(c)).not.toContain('secret');
  });

  it('a multiline reply that never ends: TOO_MANY once at its end, nothing held past maxLines, then closed', () => {
    const c = new smtp.ClientSession({ domain: 'c.example', parser: { maxLines: 100 } });
    c.receive(enc('220 mx.example\r\n'));
    expect(output(c)).toBe('EHLO c.example\r\n');
    const lines = enc('250-X\r\n'.repeat(10_000));
    const seen: string[] = [];
    for (let i = 0; i < 100; i++) seen.push(...kinds(c.receive(lines))); // 10^6 lines
    expect(seen).toEqual([]);
    expect(kinds(c.receive(enc('250 end\r\n')))).toEqual(['error:TOO_MANY', 'closed']);
    // The unreadable reply was EHLO's, with an unknown meaning: the session gave up rather than
    // read the next reply as EHLO's.
    expect(kinds(c.receive(enc('250 mx.example\r\n')))).toEqual(['error:UNEXPECTED']);
    expect(output(c)).toBe('');
  });

  it('a greeting that never ends: one LINE_TOO_LONG, then closed (an unreadable greeting leaves nothing to wait for), nothing sent', () => {
    const c = new smtp.ClientSession({ domain: 'c.example' });
    const codes: string[] = [];
    for (let i = 0; i < 256; i++) codes.push(...kinds(c.receive(CHUNK)));
    expect(codes).toEqual(['error:LINE_TOO_LONG', 'closed']);
    expect(c.state).toBe('closed');
    expect(output(c)).toBe('');
    // A greeting after the one that could not be read is a reply nobody waits for.
    expect(kinds(c.receive(enc('\r\n220 mx.example\r\n')))).toEqual(['error:UNEXPECTED']);
    expect(output(c)).toBe('');
  });

  it('a greeting with any other refusal code (450, 521, 300) closes the session as 554 does, instead of waiting forever', () => {
    for (const code of [450, 521, 300]) {
      const c = new smtp.ClientSession({ domain: 'c.example' });
      expect(kinds(c.receive(enc(`${code} not today\r\n`)))).toEqual(['greeting', 'reply', 'closed']);
      expect(c.state).toBe('closed');
      // A 220 after the refusal is a reply nobody asked for: reported, and no EHLO goes out.
      expect(kinds(c.receive(enc('220 mx.example\r\n')))).toEqual(['error:UNEXPECTED']);
      expect(output(c)).toBe('');
    }
    const lenient = new smtp.ClientSession({ domain: 'c.example' });
    lenient.receive(enc('250 mx.example ready\r\n'));
    expect(output(lenient)).toBe('EHLO c.example\r\n');
  });

  it('a 554 greeting closes the session cleanly', () => {
    const c = new smtp.ClientSession({ domain: 'c.example' });
    expect(kinds(c.receive(enc('554 no service\r\n')))).toEqual(['greeting', 'reply', 'closed']);
    expect(c.state).toBe('closed');
    expect(output(c)).toBe('');
  });

  it('end of stream with commands in flight: TRUNCATED, then closed', () => {
    const c = smtpClient();
    c.noop();
    expect(kinds(c.end())).toEqual(['error:TRUNCATED', 'closed']);
  });
});
