import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ProtocolError, imap } from '../../src/index';
import * as arb from '../../src/testing/imap-namespace';
import { bytewise, concat, dec, enc, splitAt } from '../helpers/bytes';

const wire = (frags: imap.CommandFragment[]) => frags.map((f) => [dec(f.data), f.waitForContinuation] as const);
const parse = (s: string | Uint8Array, o?: imap.ParseCommandOptions) => {
  const c = imap.parseCommand(s, o);
  if (c instanceof ProtocolError) throw new Error(`${String(s)}: ${c.message}`);
  return c;
};

describe('rfc3501 6 commands: parse', () => {
  it('6.1-6.3 examples', () => {
    expect(parse('a001 CAPABILITY')).toEqual({ tag: 'a001', command: 'CAPABILITY' });
    expect(parse('a002 noop')).toEqual({ tag: 'a002', command: 'NOOP' });
    expect(parse('a001 LOGIN SMITH SESAME')).toEqual({ tag: 'a001', command: 'LOGIN', user: 'SMITH', password: 'SESAME' });
    expect(parse('A142 SELECT INBOX')).toEqual({ tag: 'A142', command: 'SELECT', mailbox: 'INBOX' });
    expect(parse('A142 SELECT inbox (CONDSTORE)')).toEqual({ tag: 'A142', command: 'SELECT', mailbox: 'INBOX', condstore: true });
    expect(parse('A003 CREATE owatagusiam/')).toMatchObject({ command: 'CREATE', mailbox: 'owatagusiam/' });
    expect(parse('A683 RENAME blurdybloop sarasota')).toEqual({ tag: 'A683', command: 'RENAME', from: 'blurdybloop', to: 'sarasota' });
    expect(parse('A101 LIST "" ""')).toEqual({ tag: 'A101', command: 'LIST', reference: '', pattern: '' });
    expect(parse('A102 LIST #news.comp.mail.misc ""')).toMatchObject({ reference: '#news.comp.mail.misc' });
    expect(parse('A202 LIST ~/Mail/ %')).toMatchObject({ reference: '~/Mail/', pattern: '%' });
    expect(parse('A042 STATUS blurdybloop (UIDNEXT MESSAGES)')).toEqual({ tag: 'A042', command: 'STATUS', mailbox: 'blurdybloop', items: ['UIDNEXT', 'MESSAGES'] });
    expect(parse('A001 AUTHENTICATE GSSAPI')).toEqual({ tag: 'A001', command: 'AUTHENTICATE', mechanism: 'GSSAPI', initialResponse: null });
    expect(parse('A01 AUTHENTICATE PLAIN dGVzdAB0ZXN0AHRlc3Q=')).toMatchObject({ initialResponse: 'dGVzdAB0ZXN0AHRlc3Q=' });
    expect(parse('t1 ENABLE CONDSTORE QRESYNC')).toEqual({ tag: 't1', command: 'ENABLE', capabilities: ['CONDSTORE', 'QRESYNC'] });
  });

  it('6.3.11 APPEND with flags, date and a literal', () => {
    const msg = 'Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)\r\nSubject: afternoon meeting\r\n\r\nHello Joe\r\n';
    const c = parse(`A003 APPEND saved-messages (\\Seen) "07-Feb-1994 21:52:25 -0800" {${msg.length}}\r\n${msg}`) as imap.AppendCommand;
    expect(c).toMatchObject({ command: 'APPEND', mailbox: 'saved-messages', messages: [{ flags: ['\\Seen'], date: '07-Feb-1994 21:52:25 -0800', binary: false }] });
    expect(dec((c.messages[0] as imap.AppendLiteralMessage).message as Uint8Array)).toBe(msg);
  });

  it('6.4 FETCH, STORE, COPY, UID variants, SEARCH, UID EXPUNGE, MOVE', () => {
    expect(parse('A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])')).toEqual({ tag: 'A654', command: 'FETCH', uid: false, set: imap.SequenceSet.from([[2, 4]]), items: [{ item: 'FLAGS' }, { item: 'BODY[]', peek: false, section: { part: [], text: 'HEADER.FIELDS', fields: ['DATE', 'FROM'] }, partial: null }] });
    expect(parse('A654 FETCH 1:* ALL')).toMatchObject({ items: [{ item: 'ALL' }] });
    expect(parse('A999 UID FETCH 4827313:4828442 FLAGS')).toMatchObject({ uid: true, items: [{ item: 'FLAGS' }] });
    expect(parse('s100 UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)')).toMatchObject({ changedSince: 12345n, vanished: true });
    expect(parse('A003 STORE 2:4 +FLAGS (\\Deleted)')).toMatchObject({ command: 'STORE', operation: 'add', silent: false, flags: ['\\Deleted'] });
    expect(parse('A004 STORE 1 -FLAGS.SILENT \\Seen')).toMatchObject({ operation: 'remove', silent: true, flags: ['\\Seen'] });
    expect(parse('d105 STORE 7,5,9 (UNCHANGEDSINCE 320162338) +FLAGS.SILENT (\\Deleted)')).toMatchObject({ unchangedSince: 320162338n });
    expect(parse('A003 COPY 2:4 MEETING')).toMatchObject({ command: 'COPY', mailbox: 'MEETING' });
    expect(parse('a UID MOVE 42 foo')).toMatchObject({ command: 'MOVE', uid: true });
    expect(parse('A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"')).toEqual({ tag: 'A282', command: 'SEARCH', uid: false, charset: null, criteria: [{ key: 'FLAGGED' }, { key: 'SINCE', date: '1-Feb-1994' }, { key: 'NOT', criterion: { key: 'FROM', value: 'Smith' } }] });
    expect(parse('A004 UID EXPUNGE 3000:3002')).toMatchObject({ command: 'UID EXPUNGE' });
    expect(parse('a023 ID ("name" "sodr" "version" "19.34")')).toMatchObject({ params: { name: 'sodr', version: '19.34' } });
  });

  it('negative: missing arguments, bad sets, extra text; the tag is kept for "tag BAD"', () => {
    for (const bad of ['A1 LOGIN smith', 'A1 SELECT', 'A1 FETCH x FLAGS', 'A1 STORE 1 FLAGZ (\\Seen)', 'A1 NOOP extra', 'A1 UID BOGUS 1', 'A1 APPEND box "hello"', 'A1 ENABLE']) {
      const e = imap.parseCommand(bad);
      expect(e, bad).toBeInstanceOf(ProtocolError);
      expect((e as ProtocolError).tag).toBe('A1');
    }
    expect(parse('A1 XYZZY some args')).toEqual({ tag: 'A1', command: 'UNKNOWN', name: 'XYZZY', text: 'some args' });
  });
});

describe('rfc3501 / rfc7888 encodeCommand: strings and literal flow', () => {
  it('atoms, quoted strings and synchronizing literals, with wait points', () => {
    expect(wire(imap.encodeCommand({ tag: 'a1', command: 'LOGIN', user: 'smith', password: 'p a"ss' }))).toEqual([['a1 LOGIN smith "p a\\"ss"\r\n', false]]);
    expect(wire(imap.encodeCommand({ tag: 'a1', command: 'LOGIN', user: 'fred', password: 'line\r\nbreak' }))).toEqual([
      ['a1 LOGIN fred {11}\r\n', true],
      ['line\r\nbreak\r\n', false],
    ]);
  });

  it('LITERAL+ makes every literal non-synchronizing; LITERAL- only up to 4096 octets', () => {
    const msg = new Uint8Array(5000).fill(0x61);
    const append = (message: Uint8Array, binary = false): imap.Command => ({ tag: 'A1', command: 'APPEND', mailbox: 'INBOX', messages: [{ flags: null, date: null, message, binary }] });
    const cmd = append(msg);
    expect(imap.encodeCommand(cmd, { literalPlus: true }).map((f) => f.waitForContinuation)).toEqual([false]);
    expect(imap.encodeCommand(cmd, { literalMinus: true }).map((f) => f.waitForContinuation)).toEqual([true, false]);
    const small = append(msg.subarray(0, 10));
    expect(dec(imap.encodeCommand(small, { literalMinus: true })[0]!.data)).toBe(`A1 APPEND INBOX {10+}\r\n${'a'.repeat(10)}\r\n`);
    expect(dec(imap.encodeCommand(append(msg.subarray(0, 10), true), { literalPlus: true })[0]!.data)).toContain('~{10+}');
  });

  it('mailbox names in modified UTF-7 unless UTF8=ACCEPT; refuses unsafe atoms and tags', () => {
    expect(dec(imap.encodeCommand({ tag: 'A1', command: 'SELECT', mailbox: 'Входящие' })[0]!.data)).toBe('A1 SELECT &BBIERQQ+BDQETwRJBDgENQ-\r\n');
    expect(dec(imap.encodeCommand({ tag: 'A1', command: 'SELECT', mailbox: 'Входящие' }, { utf8Accept: true })[0]!.data)).toBe('A1 SELECT "Входящие"\r\n');
    expect(() => imap.encodeCommand({ tag: 'A 1', command: 'NOOP' })).toThrow(TypeError);
    expect(() => imap.encodeCommand({ tag: 'A1', command: 'SEARCH', uid: false, charset: null, criteria: [{ key: 'RAW', text: 'ALL\r\nA2 LOGOUT' }] })).toThrow(TypeError);
    expect(() => imap.encodeCommand({ tag: 'A1', command: 'STORE', uid: false, set: imap.SequenceSet.from([1]), operation: 'add', silent: false, flags: ['\\Seen)'], unchangedSince: null })).toThrow(TypeError);
  });

  it('parseCommand(encodeCommand(c)) equals c for every command kind (mailwire/testing imap.command())', () => {
    fc.assert(
      fc.property(arb.command(), fc.boolean(), fc.boolean(), (c, plus, utf8) => {
        const bytes = concat(imap.encodeCommand(c, { literalPlus: plus, utf8Accept: utf8 }).map((f) => f.data));
        expect(imap.parseCommand(bytes, { utf8Accept: utf8 })).toEqual(c);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('imap.CommandParser', () => {
  const run = (chunks: Uint8Array[], opts?: imap.CommandParserOptions) => {
    const p = new imap.CommandParser(opts);
    return chunks.flatMap((c) => p.push(c)).map((i) => (i.type === 'command' ? i.command.command : i.type === 'error' ? `${i.error.code}:${i.error.tag}` : i.type === 'continuation-needed' ? `+${i.size}` : i.type));
  };

  it('synchronizing literals ask for "+"; the same items for every split, 1-byte chunks too', () => {
    const w = enc('A1 LOGIN {5}\r\nsmith {6}\r\nsesame\r\nA2 SELECT INBOX\r\nA3 APPEND x {3+}\r\nabc\r\n');
    const whole = run([w]);
    expect(whole).toEqual(['+5', '+6', 'LOGIN', 'SELECT', 'APPEND']);
    for (let i = 1; i < w.length; i++) expect(run(splitAt(w, [i]))).toEqual(whole);
    expect(run(bytewise(w))).toEqual(whole);
  });

  it('rfc7888: a synchronizing literal over the limit is refused at once; a non-synchronizing one is skipped', () => {
    expect(run([enc('A1 APPEND x {100}\r\nA2 NOOP\r\n')], { maxLiteralSize: 10 })).toEqual(['LITERAL_TOO_LARGE:A1', 'NOOP']);
    expect(run([enc(`A1 APPEND x {20+}\r\n${'z'.repeat(20)}\r\nA2 NOOP\r\n`)], { maxLiteralSize: 10 })).toEqual(['LITERAL_TOO_LARGE:A1', 'NOOP']);
  });

  it('bad commands are errors with their tag; line mode reads AUTHENTICATE responses and DONE', () => {
    expect(run([enc('T7 LOGIN onlyone\r\nT8 NOOP\r\n')])).toEqual(['SYNTAX:T7', 'NOOP']);
    const p = new imap.CommandParser();
    expect(p.push(enc('A1 IDLE\r\n')).map((i) => i.type)).toEqual(['command']);
    // The parser pauses after IDLE: what follows is not a command until the server says so.
    expect(p.push(enc('DONE\r\nA2 NOOP\r\n'))).toEqual([]);
    expect(p.expectLine()).toEqual([{ type: 'line', line: 'DONE' }]);
    expect(p.resume()).toMatchObject([{ type: 'command', command: { command: 'NOOP' } }]);
  });

  it('arbitrary bytes never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(300), { maxLength: 4 }), (b, cuts) => {
        expect(run(splitAt(b, cuts))).toEqual(run([b]));
      }),
      { numRuns: 300 },
    );
  });
});
