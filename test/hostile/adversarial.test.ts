import { describe, expect, it } from 'vitest';
import { imap, pop3, smtp, toSessionStreams } from '../../src/index';
import { concat, dec, enc } from '../helpers/bytes';

// Issue 8's adversarial cases for every parser and session of the three protocols, both sides.
// Every bound is asserted by counting (bytes fed before the error, items and events produced,
// bytes buffered or written), never by timing. test/hostile/limits.test.ts holds the first
// version of some of these; this file covers each case on every side.

const CHUNK = new Uint8Array(64 * 1024).fill(0x41); // reused for every push: nothing may keep it
const MB100 = Math.ceil((100 * 1024 * 1024) / CHUNK.length);
const ZEROS = new Uint8Array(64 * 1024);

interface Item {
  readonly type: string;
  readonly error?: { readonly code: string; readonly tag?: string | undefined };
}
const kinds = (items: readonly Item[]): string[] => items.map((i) => (i.type === 'error' ? `error:${i.error!.code}` : i.type));
const errorCodes = (items: readonly Item[]): string[] => items.filter((i) => i.type === 'error').map((i) => i.error!.code);
const output = (s: { takeOutput(): Uint8Array[] }): string => dec(concat(s.takeOutput()));

/** Feeds `chunks` pushes of `chunk`; returns the items and how many bytes had gone in when the first error came out. */
function flood(p: { push(b: Uint8Array): Item[] } | { receive(b: Uint8Array): Item[] }, chunk: Uint8Array, chunks: number): { items: Item[]; fedAtFirstError: number } {
  const items: Item[] = [];
  let fed = 0;
  let fedAtFirstError = -1;
  const feed = 'push' in p ? (b: Uint8Array) => p.push(b) : (b: Uint8Array) => p.receive(b);
  for (let i = 0; i < chunks; i++) {
    fed += chunk.length;
    for (const it of feed(chunk)) {
      if (it.type === 'error' && fedAtFirstError < 0) fedAtFirstError = fed;
      items.push(it);
    }
  }
  return { items, fedAtFirstError };
}

/** A stream of `line` repeated to about `bytes` octets. */
function repeated(line: string, bytes: number): Uint8Array {
  const l = enc(line);
  const out = new Uint8Array(Math.floor(bytes / l.length) * l.length);
  for (let o = 0; o < out.length; o += l.length) out.set(l, o);
  return out;
}

describe('100 MB without CRLF, fed in 64 KiB chunks of one reused buffer', () => {
  // Each parser with its documented default line limit, and a unit that must parse after the CRLF.
  const parsers: { name: string; limit: number; make: () => { push(b: Uint8Array): Item[] }; next: string; want: string }[] = [
    { name: 'smtp.CommandParser', limit: 2048, make: () => new smtp.CommandParser(), next: 'NOOP\r\n', want: 'command' },
    { name: 'smtp.ReplyParser', limit: 4096, make: () => new smtp.ReplyParser(), next: '250 ok\r\n', want: 'reply' },
    { name: 'pop3.CommandParser', limit: 1024, make: () => new pop3.CommandParser(), next: 'NOOP\r\n', want: 'command' },
    { name: 'pop3.ResponseParser', limit: 8192, make: () => new pop3.ResponseParser(), next: '+OK\r\n', want: 'response' },
    { name: 'imap.CommandParser', limit: 64 * 1024, make: () => new imap.CommandParser(), next: 'A1 NOOP\r\n', want: 'command' },
    { name: 'imap.ResponseParser', limit: 1024 * 1024, make: () => new imap.ResponseParser(), next: 'A1 OK done\r\n', want: 'tagged' },
  ];
  for (const { name, limit, make, next, want } of parsers) {
    it(`${name}: one LINE_TOO_LONG within limit + one chunk, nothing more for 100 MB, then in sync`, () => {
      const p = make();
      const { items, fedAtFirstError } = flood(p, CHUNK, MB100);
      expect(kinds(items)).toEqual(['error:LINE_TOO_LONG']);
      // The error can only come once more than `limit` octets are in, and comes in the chunk that passes it.
      expect(fedAtFirstError).toBeGreaterThanOrEqual(limit);
      expect(fedAtFirstError).toBeLessThanOrEqual(limit + CHUNK.length);
      expect(kinds(p.push(enc(`\r\n${next}`)))).toEqual([want]);
    });
  }

  it('smtp.CommandParser: the buffered counter never exceeds the line limit plus one chunk', () => {
    const p = new smtp.CommandParser();
    let most = 0;
    for (let i = 0; i < MB100; i++) {
      p.push(CHUNK);
      most = Math.max(most, p.buffered);
    }
    expect(most).toBeLessThanOrEqual(2048 + CHUNK.length);
    p.push(enc('\r\n'));
    expect(p.buffered).toBe(0);
  });

  it('SMTP sessions: the server answers 500 once and reads the next command; the client reports once and closes (no reply could be matched any more)', () => {
    const s = new smtp.ServerSession({ domain: 'mx.example' });
    s.takeOutput();
    const ev = flood(s, CHUNK, MB100).items;
    expect(kinds(ev)).toEqual(['error:LINE_TOO_LONG', 'auto-reply']);
    expect(output(s)).toMatch(/^500 5\.5\.2 [^\r\n]*\r\n$/);
    expect(kinds(s.receive(enc('\r\nNOOP\r\n')))).toEqual(['command']);

    const c = new smtp.ClientSession({ domain: 'c.example' });
    c.receive(enc('220 mx.example ESMTP\r\n'));
    expect(output(c)).toBe('EHLO c.example\r\n');
    expect(kinds(flood(c, CHUNK, MB100).items)).toEqual(['error:LINE_TOO_LONG', 'closed']);
    expect(output(c)).toBe('');
    expect(kinds(c.receive(enc('\r\n250 mx.example\r\n')))).toEqual(['error:UNEXPECTED']);
    expect(c.state).toBe('closed');
  });

  it('POP3 sessions: the server answers -ERR once; the client reports once and the next command correlates', () => {
    const s = new pop3.ServerSession();
    s.takeOutput();
    expect(kinds(flood(s, CHUNK, MB100).items)).toEqual(['error:LINE_TOO_LONG', 'auto-reply']);
    expect(output(s)).toBe('-ERR line too long\r\n');
    expect(kinds(s.receive(enc('\r\nCAPA\r\n')))).toEqual(['command']);

    const c = new pop3.ClientSession();
    c.receive(enc('+OK ready\r\n'));
    c.noop();
    expect(output(c)).toBe('NOOP\r\n');
    // The overlong line is the answer to NOOP (an error); the next command gets the next line.
    expect(kinds(flood(c, CHUNK, MB100).items)).toEqual(['error:LINE_TOO_LONG']);
    c.stat();
    expect(kinds(c.receive(enc('\r\n+OK 2 320\r\n')))).toEqual(['response']);
  });

  it('IMAP sessions: the server answers BAD once; the client reports once and the command still completes', () => {
    const s = new imap.ServerSession();
    s.takeOutput();
    expect(kinds(flood(s, CHUNK, MB100).items)).toEqual(['error:LINE_TOO_LONG', 'auto-reply']);
    expect(output(s)).toMatch(/^\* BAD [^\r\n]*\r\n$/);
    expect(kinds(s.receive(enc('\r\nA1 NOOP\r\n')))).toEqual(['command']);

    const c = new imap.ClientSession();
    c.receive(enc('* OK ready\r\n'));
    const tag = c.send({ command: 'NOOP' });
    expect(kinds(flood(c, CHUNK, MB100).items)).toEqual(['error:LINE_TOO_LONG']);
    expect(c.receive(enc(`\r\n${tag} OK done\r\n`))).toMatchObject([{ type: 'completed', tag }]);
  });
});

describe('IMAP lists nested 10^6 deep', () => {
  const deep = `${'('.repeat(1_000_000)}ALL${')'.repeat(1_000_000)}`;

  it('imap.CommandParser: TOO_DEEP with the tag (or LINE_TOO_LONG under the default limit), never a stack overflow', () => {
    const wire = enc(`A1 SEARCH ${deep}\r\nA2 NOOP\r\n`);
    const big = new imap.CommandParser({ maxLineLength: 4 * 1024 * 1024 });
    const items = big.push(wire);
    expect(kinds(items)).toEqual(['error:TOO_DEEP', 'command']);
    expect((items[0] as Item).error!.tag).toBe('A1');
    expect(kinds(new imap.CommandParser().push(wire))).toEqual(['error:LINE_TOO_LONG', 'command']);
    // SEARCH criteria have their own fixed depth limit of 100 (src/imap/search.ts).
    expect(kinds(new imap.CommandParser().push(enc(`A1 SEARCH ${'('.repeat(101)}ALL${')'.repeat(101)}\r\n`)))).toEqual(['error:TOO_DEEP']);
    expect(kinds(new imap.CommandParser().push(enc(`A1 SEARCH ${'('.repeat(99)}ALL${')'.repeat(99)}\r\n`)))).toEqual(['command']);
  });

  it('imap.ServerSession answers A1 BAD and carries on; imap.ClientSession reports and still completes the FETCH', () => {
    const s = new imap.ServerSession({ preauth: true, parser: { maxLineLength: 4 * 1024 * 1024 } });
    s.takeOutput();
    expect(kinds(s.receive(enc(`A1 SEARCH ${deep}\r\nA2 NOOP\r\n`)))).toEqual(['error:TOO_DEEP', 'auto-reply', 'command']);
    expect(output(s)).toMatch(/^A1 BAD [^\r\n]*\r\n$/);

    const c = new imap.ClientSession({ parser: { maxLineLength: 4 * 1024 * 1024 } });
    c.receive(enc('* PREAUTH ready\r\n'));
    const tag = c.send({ command: 'NOOP' });
    const ev = c.receive(enc(`* 1 FETCH (X ${deep})\r\n* 2 EXISTS\r\n${tag} OK done\r\n`));
    expect(kinds(ev)).toEqual(['error:TOO_DEEP', 'untagged', 'completed']);
  });

  it('BODYSTRUCTURE nested 10^6 deep is refused the same way', () => {
    const nest = `${'('.repeat(1_000_000)}"text" "plain" NIL NIL NIL "7bit" 1 1${' "mixed")'.repeat(1_000_000)}`;
    const p = new imap.ResponseParser({ maxLineLength: 16 * 1024 * 1024 });
    expect(kinds(p.push(enc(`* 1 FETCH (BODYSTRUCTURE ${nest})\r\nA1 OK\r\n`)))).toEqual(['error:TOO_DEEP', 'tagged']);
  });
});

describe('literal announcements of 2^64 and 2^31 octets', () => {
  const L64 = '18446744073709551616';
  const L31 = '2147483648';

  it('imap.ResponseParser: 2^64 is LITERAL_TOO_LARGE at once; the stream stays in sync', () => {
    const p = new imap.ResponseParser();
    expect(kinds(p.push(enc(`* 1 FETCH (BODY[] {${L64}}\r\n)\r\nA1 OK\r\n`)))).toEqual(['error:LITERAL_TOO_LARGE', 'tagged']);
  });

  it('imap.ResponseParser: 2^31 over maxLiteralSize is skipped as it arrives, 2 GiB in constant memory', () => {
    const p = new imap.ResponseParser({ maxLiteralSize: 1024 * 1024 });
    expect(p.push(enc(`* 1 FETCH (BODY[] {${L31}}\r\n`))).toEqual([]);
    // 2^31 octets: 32768 chunks, all skipped; nothing is produced (so nothing is held) until the response ends.
    const { items } = flood(p, ZEROS, 2 ** 31 / ZEROS.length);
    expect(items).toEqual([]);
    expect(kinds(p.push(enc(')\r\nA1 OK\r\n')))).toEqual(['error:LITERAL_TOO_LARGE', 'tagged']);
  });

  it('imap.ClientSession: a 2^31 literal streams as literal-chunk events that are views of the pushed chunks', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* PREAUTH ready\r\n'));
    c.send({ command: 'SELECT', mailbox: 'INBOX' });
    c.receive(enc('* 1 EXISTS\r\nA1 OK [READ-WRITE] done\r\n'));
    expect(c.receive(enc(`* 1 FETCH (BODY[] {${L31}}\r\n`))).toEqual([]);
    let streamed = 0;
    let copies = 0;
    for (let i = 0; i < 256; i++) {
      for (const e of c.receive(CHUNK)) {
        expect(e.type).toBe('literal-chunk');
        if (e.type !== 'literal-chunk') continue;
        streamed += e.chunk.length;
        if (e.chunk.buffer !== CHUNK.buffer) copies++;
      }
    }
    expect(streamed).toBe(256 * CHUNK.length);
    expect(copies).toBe(0);
    expect(kinds(c.end())).toEqual(['error:TRUNCATED', 'closed']);
  });

  it('imap.CommandParser: synchronizing 2^64 and 2^31 are refused before any "+" (the client never sends the octets)', () => {
    for (const n of [L64, L31]) {
      const p = new imap.CommandParser();
      const items = p.push(enc(`A1 APPEND INBOX {${n}}\r\nA2 NOOP\r\n`));
      expect(kinds(items)).toEqual(['error:LITERAL_TOO_LARGE', 'command']);
      expect((items[0] as Item).error!.tag).toBe('A1');
    }
  });

  it('imap.CommandParser: a non-synchronizing 2^31 literal is read and thrown away (RFC 7888), 2 GiB in constant memory', () => {
    const p = new imap.CommandParser();
    expect(p.push(enc(`A1 APPEND INBOX {${L31}+}\r\n`))).toEqual([]);
    expect(flood(p, ZEROS, 2 ** 31 / ZEROS.length).items).toEqual([]);
    const items = p.push(enc('\r\nA2 NOOP\r\n'));
    expect(kinds(items)).toEqual(['error:LITERAL_TOO_LARGE', 'command']);
    expect((items[0] as Item).error!.tag).toBe('A1');
    // 2^64 non-synchronizing: not a safe integer, so nothing is skipped; the command fails at its end.
    const q = new imap.CommandParser();
    expect(kinds(q.push(enc(`A1 APPEND INBOX {${L64}+}\r\n\r\nA2 NOOP\r\n`)))).toEqual(['error:LITERAL_TOO_LARGE', 'command']);
  });

  it('imap.CommandParser: literals that each fit but together pass maxCommandSize are refused, not held', () => {
    const p = new imap.CommandParser({ maxCommandSize: 1000 });
    const x = 'x'.repeat(600);
    const items = p.push(enc(`A1 APPEND INBOX {600+}\r\n${x} {600+}\r\n${x}\r\nA2 NOOP\r\n`));
    expect(kinds(items)).toEqual(['error:LITERAL_TOO_LARGE', 'command']);
    expect((items[0] as Item).error!.tag).toBe('A1');
    // Synchronizing: the first gets its "+", the second is refused at once, before any octet.
    const q = new imap.CommandParser({ maxCommandSize: 1000 });
    expect(kinds(q.push(enc('A1 APPEND INBOX {600}\r\n')))).toEqual(['continuation-needed']);
    expect(kinds(q.push(enc(`${x} {600}\r\n`)))).toEqual(['error:LITERAL_TOO_LARGE']);
    expect(kinds(q.push(enc('A2 NOOP\r\n')))).toEqual(['command']);
  });

  it('imap.ServerSession: by default one command holds at most 64 MiB: a MULTIAPPEND of two 40 MiB messages gets NO [TOOBIG] before the second "+"', () => {
    const s = new imap.ServerSession({ preauth: true });
    s.takeOutput();
    const size = 40 * 1024 * 1024;
    expect(s.receive(enc(`A1 APPEND INBOX {${size}}\r\n`))).toEqual([]);
    expect(output(s)).toBe('+ Ready for literal data\r\n');
    for (let i = 0; i < size / ZEROS.length; i++) expect(s.receive(ZEROS)).toEqual([]);
    expect(kinds(s.receive(enc(` {${size}}\r\n`)))).toEqual(['error:LITERAL_TOO_LARGE', 'auto-reply']);
    expect(output(s)).toMatch(/^A1 NO \[TOOBIG\] [^\r\n]*\r\n$/);
    expect(kinds(s.receive(enc('A2 NOOP\r\n')))).toEqual(['command']);
  });

  it('imap.ServerSession: NO [TOOBIG] and never a continuation request', () => {
    for (const n of [L64, L31]) {
      const s = new imap.ServerSession({ preauth: true });
      s.takeOutput();
      expect(kinds(s.receive(enc(`A1 APPEND INBOX {${n}}\r\n`)))).toEqual(['error:LITERAL_TOO_LARGE', 'auto-reply']);
      const out = output(s);
      expect(out).toMatch(/^A1 NO \[TOOBIG\] [^\r\n]*\r\n$/);
      expect(out).not.toContain('+');
    }
  });

  it('SMTP BDAT 2^64 is a syntax error; BDAT 2^31 streams (buffered stays at one chunk) and the server refuses it by size', () => {
    const p = new smtp.CommandParser();
    expect(kinds(p.push(enc('BDAT 18446744073709551616 LAST\r\nNOOP\r\n')))).toEqual(['error:SYNTAX', 'command']);

    const s = new smtp.ServerSession({ domain: 'mx.example', maxMessageSize: 1024 * 1024 });
    const handle = (evs: smtp.ServerEvent[]): void => {
      for (const e of evs) if (e.type === 'command' && e.command.verb !== 'BDAT') handle(s.accept());
    };
    handle(s.receive(enc('EHLO c.example\r\nMAIL FROM:<a@c.example>\r\nRCPT TO:<b@mx.example>\r\n')));
    s.takeOutput();
    handle(s.receive(enc(`BDAT ${L31} LAST\r\n`)));
    let delivered = 0;
    const others: string[] = [];
    for (let i = 0; i < 2 ** 31 / ZEROS.length; i++) {
      for (const e of s.receive(ZEROS)) {
        if (e.type === 'data') delivered += e.chunk.length;
        else others.push(e.type);
      }
    }
    // Data past the size limit is not handed to the application; the chunk is refused at its end.
    expect(delivered).toBeLessThanOrEqual(1024 * 1024 + ZEROS.length);
    expect(others).toEqual(['auto-reply']);
    expect(output(s)).toMatch(/^552 5\.3\.4 [^\r\n]*\r\n$/);
    expect(kinds(s.receive(enc('NOOP\r\n')))).toEqual(['command']);
  });

  it('POP3 has no literals: a 2^64 STAT count is not a number the client makes up', () => {
    const c = new pop3.ClientSession();
    c.receive(enc('+OK ready\r\n'));
    c.stat();
    const [ev] = c.receive(enc(`+OK ${L64} ${L64}\r\n`));
    expect(ev).toMatchObject({ type: 'response', ok: true });
    expect((ev as { stat?: unknown }).stat).toBeUndefined();
  });
});

describe('a million tiny literals', () => {
  it('imap.CommandParser: non-synchronizing, TOO_MANY once with the tag, then in sync (10^5: the session test below sends 10^6)', () => {
    const p = new imap.CommandParser();
    const items = p.push(enc(`A1 LOGIN${' {1+}\r\na'.repeat(100_000)}\r\nA2 NOOP\r\n`));
    expect(kinds(items)).toEqual(['error:TOO_MANY', 'command']);
    expect((items[0] as Item).error!.tag).toBe('A1');
  });

  it('imap.ServerSession: one BAD for too many literals; a million synchronizing ones (a "+" each) close with BYE, output bounded', () => {
    const s = new imap.ServerSession();
    s.takeOutput();
    expect(kinds(s.receive(enc(`A1 LOGIN${' {1+}\r\na'.repeat(1001)}\r\nA2 NOOP\r\n`)))).toEqual(['error:TOO_MANY', 'auto-reply', 'command']);
    expect(output(s)).toBe('A1 BAD Too many items\r\n');

    const t = new imap.ServerSession();
    t.takeOutput();
    // Read one line at a time: a "+" for each literal up to the limit of 1000 (maxLiterals),
    // then BAD; the lines after it are commands with literals of their own, each refused the
    // same way, until the error budget (maxErrors, 10) says BYE: at most 11 x 1000 "+" lines.
    const ev = t.receive(enc(`A1 LOGIN${' {1}\r\na'.repeat(1_000_000)}\r\nA2 NOOP\r\n`));
    expect(ev.at(-1)).toEqual({ type: 'closed' });
    expect(ev.filter((e) => e.type === 'command')).toEqual([]);
    const text = output(t);
    expect(text.split('\r\n').filter((l) => l.startsWith('+ ')).length).toBeLessThanOrEqual(11 * 1000);
    expect(text.length).toBeLessThan(300 * 1024);
    expect(text).toMatch(/\* BYE Too many invalid IMAP commands\r\n$/);
    expect(t.state).toBe('logout');
    expect(t.receive(enc('A3 NOOP\r\n'))).toEqual([]);
  });

  it('imap.ServerSession: once a command has too many literals, its next synchronizing literal gets BAD, never a "+"', () => {
    const s = new imap.ServerSession();
    s.takeOutput();
    expect(s.receive(enc(`A1 LOGIN${' {1+}\r\na'.repeat(1000)} {1}\r\n`))).toMatchObject([{ type: 'error', error: { code: 'TOO_MANY', tag: 'A1' } }, { type: 'auto-reply' }]);
    expect(output(s)).toBe('A1 BAD Too many items\r\n');
    expect(kinds(s.receive(enc('A2 NOOP\r\n')))).toEqual(['command']);
  });

  it('imap.ClientSession: TOO_MANY once, and the command still completes', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* PREAUTH ready\r\n'));
    const tag = c.send({ command: 'NOOP' });
    const ev = c.receive(enc(`* 1 FETCH (X (${'{1}\r\na '.repeat(1_000_000)}))\r\n${tag} OK done\r\n`));
    expect(kinds(ev)).toEqual(['error:TOO_MANY', 'completed']);
  });
});

describe('a 10 MB sequence set', () => {
  const big = Array.from({ length: 1_500_000 }, (_, i) => String(i * 2 + 1)).join(',');

  it('is longer than 10 MB, and SequenceSet.parse refuses it past maxRanges', () => {
    expect(big.length).toBeGreaterThan(10_000_000);
    expect(imap.SequenceSet.parse(big)).toMatchObject({ code: 'TOO_MANY' });
    expect(imap.SequenceSet.parse('1,2,3', 2)).toMatchObject({ code: 'TOO_MANY' });
    expect((imap.SequenceSet.parse('1,2,3', 3) as imap.SequenceSet).ranges).toHaveLength(3);
  });

  it('server side: LINE_TOO_LONG under the default limit; with a 16 MiB limit, SYNTAX with the tag (A1 BAD)', () => {
    const wire = enc(`A1 FETCH ${big} FLAGS\r\nA2 NOOP\r\n`);
    expect(kinds(new imap.CommandParser().push(wire))).toEqual(['error:LINE_TOO_LONG', 'command']);
    const s = new imap.ServerSession({ preauth: true, parser: { maxLineLength: 16 * 1024 * 1024 } });
    s.takeOutput();
    s.receive(enc('A0 SELECT INBOX\r\n'));
    s.ok();
    s.takeOutput();
    expect(kinds(s.receive(wire))).toEqual(['error:SYNTAX', 'auto-reply', 'command']);
    expect(output(s)).toMatch(/^A1 BAD /);
  });

  it('client side: a 10 MB VANISHED set and a 1 MB ESEARCH set never throw and never expand', () => {
    const c = new imap.ClientSession({ parser: { maxLineLength: 32 * 1024 * 1024 } });
    c.receive(enc('* PREAUTH ready\r\n'));
    const tag = c.send({ command: 'NOOP' });
    const ev = c.receive(enc(`* VANISHED ${big}\r\n* ESEARCH (TAG "A0") UID ALL ${big.slice(0, 1_000_000)}\r\n${tag} OK\r\n`));
    expect(ev.filter((e) => e.type === 'completed')).toHaveLength(1);
  });
});

describe('1:* expansion requests', () => {
  const MAX = 0xffffffff;

  it('SequenceSet: values() is lazy, contains() and toArray() never expand past their limit', () => {
    const all = (imap.SequenceSet.parse('1:*') as imap.SequenceSet);
    const first: number[] = [];
    for (const n of all.values(MAX)) {
      first.push(n);
      if (first.length === 3) break;
    }
    expect(first).toEqual([1, 2, 3]);
    expect(all.contains(4_000_000_000, MAX)).toBe(true);
    expect(all.contains(5, 4)).toBe(false);
    expect(() => all.toArray(MAX)).toThrow(RangeError);
    expect(() => all.toArray(11, 10)).toThrow(RangeError);
    expect(all.toArray(10, 10)).toHaveLength(10);
    expect((imap.SequenceSet.parse('*:4,2') as imap.SequenceSet).toArray(6)).toEqual([2, 4, 5, 6]);
  });

  it('a server cannot make the client expand: VANISHED 1:4294967295 and 1:* only update the count', () => {
    // With the UID map (RFC 7162 3.2.10: only UIDs known present lower the count).
    const c = new imap.ClientSession({ uidMap: 10_000 });
    c.receive(enc('* PREAUTH [CAPABILITY IMAP4rev1 QRESYNC] ready\r\n'));
    c.send({ command: 'SELECT', mailbox: 'INBOX' });
    c.receive(enc('* 5000 EXISTS\r\nA1 OK [READ-WRITE] done\r\n'));
    const uids = (from: number, n: number, first = 1) => Array.from({ length: n }, (_, i) => `* ${first + i} FETCH (UID ${from + i})\r\n`).join('');
    c.receive(enc(uids(1, 5000)));
    expect(c.mailbox?.exists).toBe(5000);
    expect(kinds(c.receive(enc('* VANISHED 1:4294967295\r\n')))).toEqual(['untagged']);
    expect(c.mailbox?.exists).toBe(0);
    c.receive(enc(`* 7 EXISTS\r\n${uids(5001, 7)}`));
    expect(kinds(c.receive(enc('* VANISHED 1:*\r\n* VANISHED 3,5:6\r\n')))).toEqual(['untagged', 'untagged']);
    expect(c.mailbox?.exists).toBe(0);
    c.receive(enc(`* 7 EXISTS\r\n${uids(1, 7)}`));
    c.receive(enc('* VANISHED 3,5:6,6\r\n'));
    expect(c.mailbox?.exists).toBe(4);
    // Without the map no UID is known present: the count stays, nothing is expanded either.
    const d = new imap.ClientSession();
    d.receive(enc('* PREAUTH [CAPABILITY IMAP4rev1 QRESYNC] ready\r\n'));
    d.send({ command: 'SELECT', mailbox: 'INBOX' });
    d.receive(enc('* 5000 EXISTS\r\nA1 OK [READ-WRITE] done\r\n'));
    expect(kinds(d.receive(enc('* VANISHED 1:4294967295\r\n')))).toEqual(['untagged']);
    expect(d.mailbox?.exists).toBe(5000);
  });

  it('the server hands 1:* to the application as one range, unexpanded', () => {
    const s = new imap.ServerSession({ preauth: true });
    s.receive(enc('A0 SELECT INBOX\r\n'));
    s.ok();
    const [ev] = s.receive(enc('A1 FETCH 1:* FLAGS\r\n'));
    expect(ev).toMatchObject({ type: 'command', command: { command: 'FETCH' } });
    const set = (ev as { command: { set: imap.SequenceSet } }).command.set;
    expect(set.ranges).toHaveLength(1);
    expect(set.toString()).toBe('1:*');
  });
});

describe('10^6 pipelined commands without reading replies', () => {
  const servers: { name: string; make: (maxPending?: number) => { receive(b: Uint8Array): Item[]; takeOutput(): Uint8Array[]; state: string }; line: string; closing: RegExp }[] = [
    { name: 'smtp', make: (m) => new smtp.ServerSession({ domain: 'mx.example', maxPending: m }), line: 'NOOP\r\n', closing: /^421 / },
    { name: 'pop3', make: (m) => new pop3.ServerSession({ maxPending: m }), line: 'CAPA\r\n', closing: /^-ERR too many/ },
    { name: 'imap', make: (m) => new imap.ServerSession({ maxPending: m }), line: 'A1 NOOP\r\n', closing: /^\* BYE / },
  ];
  for (const { name, make, line, closing } of servers) {
    // SMTP's one-chunk flood is in test/hostile/limits.test.ts.
    if (name !== 'smtp') it(`${name}: 10^6 in one chunk: at most one command reaches the application; the next read closes with a closing reply and nothing more`, () => {
      const s = make();
      s.takeOutput();
      const first = s.receive(enc(line.repeat(1_000_000)));
      expect(first.filter((e) => e.type === 'command').length).toBeLessThanOrEqual(1);
      expect(first.at(-1)).not.toEqual({ type: 'closed' });
      const ev = s.receive(enc(line));
      expect(ev.at(-1)).toEqual({ type: 'closed' });
      const out = output(s);
      expect(out.length).toBeLessThan(200);
      expect(out.split('\r\n').at(-2)).toMatch(closing);
      expect(s.receive(enc(line))).toEqual([]);
    });

    it(`${name}: 10^6 in chunks of 10 while the application sits on the first: closed once maxPending is passed, the rest ignored`, () => {
      const s = make(50);
      s.takeOutput();
      expect(kinds(s.receive(enc(line)))).toEqual(['command']); // never answered
      const ten = enc(line.repeat(10));
      let events = 0;
      let closedAt = -1;
      for (let i = 0; i < 100_000; i++) {
        const ev = s.receive(ten);
        events += ev.length;
        if (ev.some((e) => e.type === 'closed')) closedAt = i;
      }
      // The sixth chunk takes the backlog to 60 > 50: closed there; nothing after it is read.
      expect(closedAt).toBe(5);
      expect(events).toBeLessThanOrEqual(2);
      expect(output(s).split('\r\n').at(-2)).toMatch(closing);
    });
  }

  it('a peer that never reads replies stops being read: through toSessionStreams, 10^6 NOOPs, output held under outputHighWaterMark', async () => {
    const server = new smtp.ServerSession({ domain: 'mx.example' });
    const io = toSessionStreams(server, { outputHighWaterMark: 4096 });
    const hundred = enc('NOOP\r\n'.repeat(100));
    let pulled = 0;
    const peer = new ReadableStream<Uint8Array>(
      {
        pull(c) {
          if (pulled++ < 10_000) c.enqueue(hundred);
          else c.close();
        },
      },
      { highWaterMark: 0 },
    );
    let answered = 0;
    const events = peer.pipeThrough(io).getReader();
    void (async () => {
      for (let r = await events.read(); !r.done; r = await events.read()) {
        if (r.value.type === 'command') {
          io.flush(server.accept());
          answered++;
        }
      }
    })();
    const turns = async (): Promise<void> => {
      for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0));
    };
    await turns();
    const stalled = pulled;
    // 4096 octets hold about 290 "250 2.0.0 OK" replies: a few chunks of 100 commands, out of 10,000.
    expect(stalled).toBeGreaterThan(0);
    expect(stalled).toBeLessThanOrEqual(8);
    await turns();
    expect(pulled).toBe(stalled);
    expect(answered).toBeLessThanOrEqual(stalled * 100);
    await events.cancel();
  });

  it('imap: 10^6 commands pipelined behind IDLE come back through resume(): still bounded, no stack overflow', () => {
    const s = new imap.ServerSession({ preauth: true });
    s.takeOutput();
    // 9 MB arrive in the read that starts the IDLE: held by reference (the peer's own read); the
    // next read while they wait is past maxPending / maxWaitingInput and the session says BYE.
    expect(kinds(s.receive(enc(`A1 IDLE\r\nDONE\r\n${'A2 NOOP\r\n'.repeat(1_000_000)}`)))).toEqual(['command', 'idle-done']);
    expect(kinds(s.receive(enc('A3 NOOP\r\n')))).toEqual(['auto-reply', 'closed']);
    expect(output(s)).toMatch(/\* BYE [^\r\n]*\r\n$/);
    expect(s.state).toBe('logout');
  });

  it('pop3: 10^6 commands pipelined behind a cancelled AUTH come back through resume(): no stack overflow', () => {
    const s = new pop3.ServerSession();
    s.takeOutput();
    const ev = s.receive(enc(`AUTH PLAIN\r\n*\r\n${'NOOP\r\n'.repeat(1_000_000)}`));
    expect(ev.filter((e) => e.type === 'command').length).toBeLessThanOrEqual(1);
    expect(() => s.err('no')).not.toThrow();
  });
});

describe('input sent while the session waits for the application (maxWaitingInput)', () => {
  const flood = (n: number) => new Uint8Array(n).fill(0x78);

  it('smtp: after DATA, before the 354, more than 1 MiB closes with 421; less is kept for the body', () => {
    const small = new smtp.ServerSession({ domain: 'mx.example' });
    small.receive(enc('EHLO c\r\nMAIL FROM:<a@b>\r\n'));
    small.accept();
    small.accept();
    small.receive(enc('RCPT TO:<c@d>\r\n'));
    small.accept();
    small.receive(enc('DATA\r\n'));
    expect(kinds(small.receive(flood(512 * 1024)))).toEqual([]);
    const s = new smtp.ServerSession({ domain: 'mx.example' });
    s.receive(enc('EHLO c\r\nMAIL FROM:<a@b>\r\n'));
    s.accept();
    s.accept();
    s.receive(enc('RCPT TO:<c@d>\r\n'));
    s.accept();
    s.receive(enc('DATA\r\n'));
    s.takeOutput();
    let ev: unknown[] = [];
    for (let i = 0; i < 20 && !ev.length; i++) ev = kinds(s.receive(flood(64 * 1024)));
    expect(ev).toEqual(['auto-reply', 'closed']);
    expect(output(s)).toMatch(/^421 /);
    expect(s.receive(flood(10))).toEqual([]);
  });

  it('pop3: during AUTH, before the application answers, more than 1 MiB closes the session', () => {
    const s = new pop3.ServerSession();
    s.takeOutput();
    expect(kinds(s.receive(enc('AUTH PLAIN\r\n')))).toEqual(['command']);
    let ev: unknown[] = [];
    for (let i = 0; i < 20 && !ev.length; i++) ev = kinds(s.receive(flood(64 * 1024)));
    expect(ev).toEqual(['auto-reply', 'closed']);
    expect(output(s)).toMatch(/^-ERR /);
  });

  it('imap: during AUTHENTICATE, before the application answers, more than 1 MiB gets BYE; the option moves the bound', () => {
    const s = new imap.ServerSession({ maxWaitingInput: 4096 });
    s.takeOutput();
    expect(kinds(s.receive(enc('A1 AUTHENTICATE PLAIN\r\n')))).toEqual(['command']);
    expect(kinds(s.receive(flood(4096)))).toEqual([]);
    expect(kinds(s.receive(flood(1)))).toEqual(['auto-reply', 'closed']);
    expect(output(s)).toMatch(/\* BYE [^\r\n]*\r\n$/);
  });
});

describe('NUL bytes and invalid UTF-8 everywhere', () => {
  // NUL, 0xFF, a broken 2-byte sequence, an overlong encoding, a lone surrogate, bare CR/LF, an open literal ...
  const junk = Uint8Array.from({ length: 8192 }, (_, i) => [0x00, 0xff, 0xc3, 0x28, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0x0d, 0x0a, 0x41, 0x7b, 0x28, 0x22, 0x20][i % 16]!);

  it('every parser: no throw, and the next well-formed unit after a CRLF still parses', () => {
    const cases: { p: { push(b: Uint8Array): Item[] }; next: string; want: string }[] = [
      { p: new smtp.CommandParser(), next: 'QUIT\r\n', want: 'command' },
      { p: new smtp.ReplyParser(), next: '221 bye\r\n', want: 'reply' },
      { p: new pop3.CommandParser(), next: 'QUIT\r\n', want: 'command' },
      { p: new pop3.ResponseParser(), next: '+OK\r\n', want: 'response' },
      { p: new imap.CommandParser({ maxLiteralSize: 100 }), next: 'A9 NOOP\r\n', want: 'command' },
      { p: new imap.ResponseParser({ maxLiteralSize: 100 }), next: 'A9 OK\r\n', want: 'tagged' },
    ];
    for (const { p, next, want } of cases) {
      expect(() => p.push(junk)).not.toThrow();
      // The junk may have opened a literal or paused the parser: give it a line end and, where there is one, resume.
      (p as { resume?: () => unknown }).resume?.();
      const tail = p.push(enc(`\r\n${'x'.repeat(120)}\r\n\r\n${next}`));
      (p as { resume?: () => unknown }).resume?.();
      expect(kinds([...tail, ...p.push(new Uint8Array(0))]).filter((k) => k === want).length).toBeGreaterThanOrEqual(1);
    }
  });

  it('text fields: NUL is refused in SMTP and POP3 arguments; invalid UTF-8 never throws and never becomes a line break', () => {
    const bin = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
    expect(kinds(new smtp.CommandParser().push(bin('MAIL FROM:<a\0b@x.example>\r\nHELO a\0b\r\n')))).toEqual(['error:SYNTAX', 'error:SYNTAX']);
    expect(kinds(new pop3.CommandParser().push(bin('USER a\0b\r\n')))).toEqual(['error:SYNTAX']);
    const bad = bin('\xff\xfe\xc0\xaf\xed\xa0\x80');
    const texts: string[] = [];
    // RFC 6531 3.7.1: an EHLO domain is ASCII; an 8-bit octet there is refused, not decoded.
    expect(kinds(new smtp.CommandParser().push(concat([enc('EHLO '), bad, enc('.example\r\n')])))).toEqual(['error:SYNTAX']);
    const [reply] = new smtp.ReplyParser().push(concat([enc('250 '), bad, enc('\r\n')]));
    if (reply?.type === 'reply') texts.push(...reply.reply.lines);
    const [user] = new pop3.CommandParser().push(concat([enc('USER '), bad, enc('\r\n')]));
    if (user?.type === 'command' && user.command.verb === 'USER') texts.push(user.command.argument);
    const r = new imap.ResponseParser().push(concat([enc('* OK '), bad, enc('\r\n* LIST () "/" '), bad, enc('\r\n')]));
    for (const it of r) {
      if (it.type === 'untagged' && it.kind === 'OK') texts.push(it.text);
      if (it.type === 'untagged' && it.kind === 'LIST') texts.push(it.mailbox);
    }
    expect(texts).toHaveLength(4);
    for (const t of texts) expect(t).not.toMatch(/[\r\n]/);
  });

  it('literal and body bytes are kept exactly, NUL and invalid UTF-8 included (lossless)', () => {
    const raw = Uint8Array.of(0x00, 0xff, 0xc3, 0x28, 0x00);
    const [fetch] = new imap.ResponseParser().push(concat([enc('* 1 FETCH (BODY[] {5}\r\n'), raw, enc(')\r\n')]));
    expect(fetch).toMatchObject({ kind: 'FETCH', attributes: { sections: [{ data: raw }] } });
    const p = new smtp.CommandParser();
    p.push(enc('DATA\r\n'));
    const body = p.startData().concat(p.push(concat([raw, enc('\r\n.\r\n')])));
    expect(concat(body.flatMap((i) => (i.type === 'data' ? [i.chunk] : [])))).toEqual(concat([raw, enc('\r\n')]));
  });

  it('every session: junk never throws, and each is still usable or closed cleanly', () => {
    const sessions: { receive(b: Uint8Array): unknown[]; takeOutput(): Uint8Array[] }[] = [
      new smtp.ServerSession({ domain: 'mx.example' }),
      new pop3.ServerSession(),
      new imap.ServerSession(),
    ];
    for (const s of sessions) {
      for (let i = 0; i < 4; i++) expect(() => s.receive(junk)).not.toThrow();
      expect(() => s.takeOutput()).not.toThrow();
    }
    const sc = new smtp.ClientSession({ domain: 'c.example' });
    const pc = new pop3.ClientSession();
    const ic = new imap.ClientSession();
    for (const c of [sc, pc, ic]) for (let i = 0; i < 4; i++) expect(() => c.receive(junk)).not.toThrow();
  });
});

describe('1-byte chunks over 10 MB', () => {
  it('imap.ResponseParser (the fastest line path): the same items as one push, and no item is produced twice', () => {
    const line = `* OK ${'x'.repeat(1017)}\r\n`; // 1024 octets
    const stream = repeated(line, 10 * 1024 * 1024);
    const whole = new imap.ResponseParser().push(stream).length;
    expect(whole).toBe(10 * 1024);
    const p = new imap.ResponseParser();
    let n = 0;
    for (let i = 0; i < stream.length; i++) n += p.push(stream.subarray(i, i + 1)).length;
    expect(n).toBe(whole);
    expect(p.end()).toEqual([]);
  });
});

describe('SMTP smuggling: the gap left by test/smtp/smuggling.test.ts (which always passes a policy)', () => {
  const FAKE_ENDS = ['\n.\n', '\n.\r\n', '\r\n.\n', '\r.\r\n', '\r\n.\r', '\r.\r', '\r.\n', '\n.\r', '\r\n.\r\r\n', '\r\r\n.\r\r\n', '\r\n\0.\r\n', '\r\n.\0\r\n'];

  it('a ServerSession with no options rejects bare CR/LF in DATA: every fake end-of-data is refused with 550, never a second message', () => {
    for (const fake of FAKE_ENDS) {
      const s = new smtp.ServerSession({ domain: 'mx.example' });
      let mails = 0;
      let messages = 0;
      const codes: number[] = [];
      const handle = (evs: smtp.ServerEvent[]): void => {
        for (const e of evs) {
          if (e.type === 'command') {
            if (e.command.verb === 'MAIL') mails++;
            handle(s.accept());
          } else if (e.type === 'data-end') {
            messages++;
            handle(s.accept());
          } else if (e.type === 'auto-reply') codes.push(e.reply.code);
        }
      };
      handle(s.receive(enc(`EHLO a.example\r\nMAIL FROM:<a@a.example>\r\nRCPT TO:<v@mx.example>\r\nDATA\r\nfirst${fake}MAIL FROM:<admin@bank.example>\r\nRCPT TO:<v@mx.example>\r\nDATA\r\nsmuggled\r\n.\r\n`)));
      expect(mails).toBe(1);
      const bare = /\r(?!\n)|(?<!\r)\n/.test(fake);
      // Bare CR/LF: refused by default. NUL next to the dot: not an end either, one message holding it all.
      expect({ fake, codes, messages }).toEqual(bare ? { fake, codes: [550], messages: 0 } : { fake, codes: [], messages: 1 });
    }
  });
});
