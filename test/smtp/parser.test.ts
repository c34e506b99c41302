import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { smtp } from '../../src/index';
import { bin, bytewise, concat, dec, enc, splitAt } from '../helpers/bytes';

type Shown = string | [string, string];

/** Runs a CommandParser the way a server would: accept every DATA. Returns items in readable form. */
function serverItems(chunks: Uint8Array[], opts?: smtp.CommandParserOptions): Shown[] {
  const p = new smtp.CommandParser(opts);
  const out: Shown[] = [];
  let body: Uint8Array[] = [];
  const take = (items: smtp.CommandParserItem[]): void => {
    for (const it of items) {
      if (it.type === 'data') body.push(it.chunk);
      else if (it.type === 'data-end') {
        out.push(['body', String.fromCharCode(...concat(body))]);
        body = [];
      } else if (it.type === 'error') out.push(['error', it.error.code]);
      else if (it.type === 'auth-line') out.push(['auth', it.line]);
      else {
        out.push(it.command.verb === 'UNKNOWN' ? it.command.name : it.command.verb);
        if (it.command.verb === 'DATA') take(p.startData());
        if (it.command.verb === 'AUTH') take(p.resume());
      }
    }
  };
  for (const c of chunks) take(p.push(c));
  for (const it of p.end()) if (it.type === 'error') out.push(['error', it.error.code]);
  return out;
}

describe('smtp.CommandParser', () => {
  it('rfc2920 3.1 pipelined batch with a body, the same for every split', () => {
    const wire = enc('MAIL FROM:<mrose@dbc.mtview.ca.us>\r\nRCPT TO:<ned@innosoft.com>\r\nRCPT TO:<dan@innosoft.com>\r\nDATA\r\nHi\r\n..dot\r\n.\r\nQUIT\r\n');
    const whole = serverItems([wire]);
    expect(whole).toEqual(['MAIL', 'RCPT', 'RCPT', 'DATA', ['body', 'Hi\r\n.dot\r\n'], 'QUIT']);
    for (let i = 1; i < wire.length; i++) expect(serverItems(splitAt(wire, [i]))).toEqual(whole);
    expect(serverItems(bytewise(wire))).toEqual(whole);
  });

  it('pauses after DATA: body bytes are never read as commands until the server decides', () => {
    const p = new smtp.CommandParser();
    const items = p.push(enc('DATA\r\nRSET\r\n.\r\n'));
    expect(items.map((i) => i.type)).toEqual(['command']);
    expect(p.expecting).toBe('paused');
    // The server refused DATA (e.g. 554): the buffered lines are commands after all.
    const after = p.resume();
    expect(after.map((i) => (i.type === 'command' ? i.command.verb : i.type))).toEqual(['RSET', 'error']);
  });

  it('rfc3030 BDAT passes exactly n octets, binary-safe, no unstuffing', () => {
    const payload = bin('.\r\n\0\xff.x');
    const wire = concat([enc(`BDAT ${payload.length}\r\n`), payload, enc('BDAT 3 LAST\r\nabcQUIT\r\n')]);
    const items = serverItems([wire]);
    expect(items).toEqual(['BDAT', ['body', '.\r\n\0\xff.x'], 'BDAT', ['body', 'abc'], 'QUIT']);
    for (let i = 1; i < wire.length; i++) expect(serverItems(splitAt(wire, [i]))).toEqual(items);
  });

  it('rfc4954 AUTH continuation lines and "*"', () => {
    const p = new smtp.CommandParser();
    expect(p.push(enc('AUTH LOGIN\r\ndXNlcg==\r\n'))).toHaveLength(1);
    const line = p.expectAuthLine();
    expect(line).toEqual([{ type: 'auth-line', line: 'dXNlcg==' }]);
    p.expectAuthLine();
    expect(p.push(enc('*\r\n'))).toEqual([{ type: 'auth-line', line: '*' }]);
    expect(p.resume()).toEqual([]);
  });

  it('rfc5321 4.5.3.1.4 an overlong command line is one error, the next command parses', () => {
    const items = serverItems([enc(`NOOP ${'x'.repeat(3000)}\r\nQUIT\r\n`)]);
    expect(items).toEqual([['error', 'LINE_TOO_LONG'], 'QUIT']);
    expect(serverItems([enc(`NOOP ${'x'.repeat(600)}\r\n`)], { maxLineLength: 512 })).toEqual([['error', 'LINE_TOO_LONG']]);
  });

  it('a bad line is a SYNTAX error item with its stream offset; nothing else is lost', () => {
    const p = new smtp.CommandParser();
    const items = p.push(enc('NOOP\r\nMAIL FROM:bad\r\nRSET\r\n'));
    expect(items[1]).toMatchObject({ type: 'error', error: { code: 'SYNTAX' } });
    expect((items[1] as smtp.CommandParserItem & { type: 'error' }).error.offset).toBeGreaterThanOrEqual(6);
    expect(items.map((i) => i.type)).toEqual(['command', 'error', 'command']);
  });

  it('rfc3207 5: bytes pipelined after STARTTLS are dropped (CVE-2011-0411)', () => {
    const p = new smtp.CommandParser();
    expect(p.push(enc('STARTTLS\r\nRSET\r\nMAIL FROM:<evil@x.com>\r\n'))).toHaveLength(1);
    expect(p.startTls()).toBe('RSET\r\nMAIL FROM:<evil@x.com>\r\n'.length);
    expect(p.push(enc('EHLO a.com\r\n')).map((i) => i.type)).toEqual(['command']);
  });

  it('end() reports a truncated body', () => {
    const p = new smtp.CommandParser();
    p.push(enc('DATA\r\n'));
    p.startData();
    p.push(enc('half a message'));
    // Short unfinished lines are held for a line end; end() hands them out before the error.
    const items = p.end();
    expect(items).toMatchObject([{ type: 'data' }, { type: 'error', error: { code: 'TRUNCATED' } }]);
    expect(dec((items[0] as { chunk: Uint8Array }).chunk)).toBe('half a message');
  });

  it('the end of a body and the next command in one read: both come out at once', () => {
    const p = new smtp.CommandParser();
    p.push(enc('DATA\r\n'));
    p.startData();
    const items = p.push(enc('hi\r\n.\r\nQUIT'));
    expect(items.map((i) => i.type)).toEqual(['data', 'data-end']);
    expect(p.push(enc('\r\n'))).toMatchObject([{ type: 'command', command: { verb: 'QUIT' } }]);
  });

  it('BDAT octets sent a byte at a time come out in pieces of 256 bytes (or what ends the chunk)', () => {
    const p = new smtp.CommandParser();
    const items = bytewise(enc(`BDAT 600 LAST\r\n${'z'.repeat(600)}`)).flatMap((c) => p.push(c));
    expect(items.filter((i) => i.type === 'data').map((i) => (i as { chunk: Uint8Array }).chunk.length)).toEqual([256, 256, 88]);
    expect(items.at(-1)).toEqual({ type: 'data-end', last: true });
  });

  it('arbitrary bytes never throw and any split gives the same items', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(300), { maxLength: 5 }), (bytes, cuts) => {
        const whole = serverItems([bytes]);
        expect(serverItems(splitAt(bytes, cuts))).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });
});

describe('smtp.ReplyParser', () => {
  const replies = (chunks: Uint8Array[]) => {
    const p = new smtp.ReplyParser();
    const out: unknown[] = [];
    for (const c of chunks) for (const it of p.push(c)) out.push(it.type === 'reply' ? it.reply : it.error.code);
    for (const it of p.end()) out.push(it.type === 'error' ? it.error.code : it);
    return out;
  };

  it('groups multiline replies across any split', () => {
    const wire = enc('220 foo.com ready\r\n250-foo.com greets bar.com\r\n250-8BITMIME\r\n250 HELP\r\n550 5.1.1 No such user\r\n');
    const whole = replies([wire]);
    expect(whole).toEqual([
      { code: 220, enhanced: null, lines: ['foo.com ready'] },
      { code: 250, enhanced: null, lines: ['foo.com greets bar.com', '8BITMIME', 'HELP'] },
      { code: 550, enhanced: { class: 5, subject: 1, detail: 1 }, lines: ['No such user'] },
    ]);
    for (let i = 1; i < wire.length; i++) expect(replies(splitAt(wire, [i]))).toEqual(whole);
    expect(replies(bytewise(wire))).toEqual(whole);
  });

  it('a mismatched code inside a multiline reply is one error; the next reply parses', () => {
    expect(replies([enc('250-a\r\n251-b\r\n250 c\r\n221 bye\r\n')])).toEqual(['SYNTAX', { code: 221, enhanced: null, lines: ['bye'] }]);
  });

  it('garbage lines are errors; a bare LF from a sloppy server is accepted', () => {
    expect(replies([enc('hello\r\n250 ok\n')])).toEqual(['SYNTAX', { code: 250, enhanced: null, lines: ['ok'] }]);
  });

  it('end() inside a multiline reply is TRUNCATED', () => {
    expect(replies([enc('250-a\r\n')])).toEqual(['TRUNCATED']);
  });

  it('bounds the lines of one reply', () => {
    const p = new smtp.ReplyParser({ maxLines: 10 });
    const items = p.push(enc(`${'250-x\r\n'.repeat(50)}250 end\r\n`));
    expect(items).toMatchObject([{ type: 'error', error: { code: 'TOO_MANY' } }]);
  });

  it('arbitrary bytes never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        replies([b]);
      }),
      { numRuns: 300 },
    );
  });
  void dec;
});

describe('split-independence of end-of-stream errors (issue: AUTH line cut short)', () => {
  it('AUTH PLAIN then 13000 "A" without CRLF, then end(): the same TRUNCATED offset and text for every chunking', () => {
    // Reported as 13012 / 13000 / 12300 for one read / 1000-byte reads / 1-byte reads.
    const wire = enc(`AUTH PLAIN\r\n${'A'.repeat(13000)}`);
    const seen = new Set<string>();
    for (const size of [wire.length, 4096, 1000, 700, 64, 1]) {
      const p = new smtp.CommandParser();
      const items: smtp.CommandParserItem[] = [];
      for (let i = 0; i < wire.length; i += size) {
        items.push(...p.push(wire.subarray(i, i + size)));
        if (p.expecting === 'paused' && items.length === 1) items.push(...p.expectAuthLine());
      }
      items.push(...p.end());
      const shown = items.map((x) => (x.type === 'error' ? `${x.error.code}@${x.error.offset} ${x.error.message}` : x.type));
      expect(shown[0]).toBe('command');
      expect(shown[1]).toMatch(/^LINE_TOO_LONG@12 /);
      expect(shown[2]).toBe('TRUNCATED@12 stream ended inside a line (13000 octets without CRLF)');
      seen.add(shown.join('|'));
    }
    expect(seen.size).toBe(1);
  });
});
