// Injection: a CR, LF or NUL in any string field of any command either travels inside a
// literal (and the server-side parser reads back exactly the one command that was meant) or the
// encoder refuses it with a TypeError. Never raw on the wire. Plus properties of the command
// codec over the public arbitraries: split invariance and hostile input.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ProtocolError, imap } from '../../src/index';
import * as arb from '../../src/testing/imap-namespace';
import { concat, enc, splitAt } from '../helpers/bytes';

const S = imap.SequenceSet.from([1]);
const HOSTILE = ['a\r\nA2 LOGOUT', '\r', '\n', 'x\r\n', ')\r\nA3 DELETE INBOX', '{5}\r\nhello', '"\\\r\n'];

/** Every string field of every command kind, as a function of the value put in it. */
const STRING_FIELDS: Record<string, (s: string) => imap.Command> = {
  'LOGIN user': (s) => ({ tag: 'A1', command: 'LOGIN', user: s, password: 'p' }),
  'LOGIN password': (s) => ({ tag: 'A1', command: 'LOGIN', user: 'u', password: s }),
  'SELECT mailbox': (s) => ({ tag: 'A1', command: 'SELECT', mailbox: s, condstore: true }),
  'CREATE mailbox': (s) => ({ tag: 'A1', command: 'CREATE', mailbox: s, use: ['\\Drafts'] }),
  'DELETE mailbox': (s) => ({ tag: 'A1', command: 'DELETE', mailbox: s }),
  'RENAME from': (s) => ({ tag: 'A1', command: 'RENAME', from: s, to: 'x' }),
  'RENAME to': (s) => ({ tag: 'A1', command: 'RENAME', from: 'x', to: s }),
  'LIST reference': (s) => ({ tag: 'A1', command: 'LIST', reference: s, pattern: '*' }),
  'LIST pattern': (s) => ({ tag: 'A1', command: 'LIST', reference: '', pattern: s }),
  'LIST patterns': (s) => ({ tag: 'A1', command: 'LIST', selection: ['SUBSCRIBED'], reference: '', pattern: ['a', s], returnOptions: ['CHILDREN'] }),
  'LSUB pattern': (s) => ({ tag: 'A1', command: 'LSUB', reference: '', pattern: s }),
  'STATUS mailbox': (s) => ({ tag: 'A1', command: 'STATUS', mailbox: s, items: ['MESSAGES'] }),
  'APPEND mailbox': (s) => ({ tag: 'A1', command: 'APPEND', mailbox: s, messages: [{ flags: null, date: null, message: enc('m'), binary: false }] }),
  'COPY mailbox': (s) => ({ tag: 'A1', command: 'COPY', uid: true, set: S, mailbox: s }),
  'MOVE mailbox': (s) => ({ tag: 'A1', command: 'MOVE', uid: false, set: S, mailbox: s }),
  'SEARCH string key': (s) => ({ tag: 'A1', command: 'SEARCH', uid: false, charset: null, criteria: [{ key: 'SUBJECT', value: s }] }),
  'SEARCH HEADER field': (s) => ({ tag: 'A1', command: 'SEARCH', uid: false, charset: null, criteria: [{ key: 'HEADER', field: s, value: 'v' }] }),
  'SEARCH HEADER value': (s) => ({ tag: 'A1', command: 'SEARCH', uid: false, charset: null, criteria: [{ key: 'NOT', criterion: { key: 'HEADER', field: 'f', value: s } }] }),
  'SEARCH X-GM-RAW': (s) => ({ tag: 'A1', command: 'SEARCH', uid: true, charset: null, criteria: [{ key: 'OR', left: { key: 'X-GM-RAW', value: s }, right: { key: 'SEEN' } }] }),
  'SEARCH CHARSET': (s) => ({ tag: 'A1', command: 'SEARCH', uid: false, charset: s, criteria: [{ key: 'ALL' }] }),
  'SORT charset': (s) => ({ tag: 'A1', command: 'SORT', uid: false, sort: [{ key: 'DATE', reverse: true }], charset: s, criteria: [{ key: 'ALL' }] }),
  'THREAD charset': (s) => ({ tag: 'A1', command: 'THREAD', uid: false, algorithm: 'REFERENCES', charset: s, criteria: [{ key: 'TEXT', value: s }] }),
  'ID key': (s) => ({ tag: 'A1', command: 'ID', params: { [s]: 'v' } }),
  'ID value': (s) => ({ tag: 'A1', command: 'ID', params: { name: s } }),
  'GETQUOTA root': (s) => ({ tag: 'A1', command: 'GETQUOTA', root: s }),
  'SETQUOTA root': (s) => ({ tag: 'A1', command: 'SETQUOTA', root: s, limits: [{ resource: 'STORAGE', limit: 1 }] }),
  'GETQUOTAROOT mailbox': (s) => ({ tag: 'A1', command: 'GETQUOTAROOT', mailbox: s }),
  'SETACL mailbox': (s) => ({ tag: 'A1', command: 'SETACL', mailbox: s, identifier: 'fred', mode: 'add', rights: 'lr' }),
  'SETACL identifier': (s) => ({ tag: 'A1', command: 'SETACL', mailbox: 'INBOX', identifier: s, mode: 'set', rights: 'lr' }),
  'SETACL rights': (s) => ({ tag: 'A1', command: 'SETACL', mailbox: 'INBOX', identifier: 'fred', mode: 'remove', rights: s }),
  'DELETEACL identifier': (s) => ({ tag: 'A1', command: 'DELETEACL', mailbox: 'INBOX', identifier: s }),
  'LISTRIGHTS identifier': (s) => ({ tag: 'A1', command: 'LISTRIGHTS', mailbox: 'INBOX', identifier: s }),
  'GETMETADATA mailbox': (s) => ({ tag: 'A1', command: 'GETMETADATA', mailbox: s, entries: ['/shared/comment'], maxSize: 10, depth: '1' }),
  'GETMETADATA entry': (s) => ({ tag: 'A1', command: 'GETMETADATA', mailbox: '', entries: ['/shared/a', `/shared/${s}`], maxSize: null, depth: null }),
  'SETMETADATA entry': (s) => ({ tag: 'A1', command: 'SETMETADATA', mailbox: 'INBOX', entries: [{ entry: `/private/${s}`, value: null }] }),
  'SETMETADATA value': (s) => ({ tag: 'A1', command: 'SETMETADATA', mailbox: 'INBOX', entries: [{ entry: '/private/comment', value: enc(s) }] }),
};

/** Fields that only take atoms (or a fixed syntax): every hostile value is refused. */
const ATOM_FIELDS: Record<string, (s: string) => imap.Command> = {
  'AUTHENTICATE mechanism': (s) => ({ tag: 'A1', command: 'AUTHENTICATE', mechanism: s, initialResponse: null }),
  'AUTHENTICATE initial response': (s) => ({ tag: 'A1', command: 'AUTHENTICATE', mechanism: 'PLAIN', initialResponse: s }),
  'ENABLE capability': (s) => ({ tag: 'A1', command: 'ENABLE', capabilities: [s] }),
  'CREATE use': (s) => ({ tag: 'A1', command: 'CREATE', mailbox: 'x', use: [s] }),
  'STATUS item': (s) => ({ tag: 'A1', command: 'STATUS', mailbox: 'x', items: [s] }),
  'LIST RETURN STATUS item': (s) => ({ tag: 'A1', command: 'LIST', reference: '', pattern: '*', returnOptions: [{ status: [s] }] }),
  'LIST selection option': (s) => ({ tag: 'A1', command: 'LIST', selection: [s as 'REMOTE'], reference: '', pattern: '*' }),
  'APPEND flag': (s) => ({ tag: 'A1', command: 'APPEND', mailbox: 'x', messages: [{ flags: [s], date: null, message: enc('m'), binary: false }] }),
  'APPEND date': (s) => ({ tag: 'A1', command: 'APPEND', mailbox: 'x', messages: [{ flags: null, date: s, message: enc('m'), binary: false }] }),
  'STORE flag': (s) => ({ tag: 'A1', command: 'STORE', uid: false, set: S, operation: 'add', silent: false, flags: [s], unchangedSince: null }),
  'FETCH header field': (s) => ({ tag: 'A1', command: 'FETCH', uid: false, set: S, items: [{ item: 'BODY[]', peek: true, section: { part: [], text: 'HEADER.FIELDS', fields: [s] }, partial: null }] }),
  'SEARCH KEYWORD': (s) => ({ tag: 'A1', command: 'SEARCH', uid: false, charset: null, criteria: [{ key: 'KEYWORD', flag: s }] }),
  'SEARCH date': (s) => ({ tag: 'A1', command: 'SEARCH', uid: false, charset: null, criteria: [{ key: 'SINCE', date: s }] }),
  'SEARCH EMAILID': (s) => ({ tag: 'A1', command: 'SEARCH', uid: false, charset: null, criteria: [{ key: 'EMAILID', id: s }] }),
  'SEARCH MODSEQ entry': (s) => ({ tag: 'A1', command: 'SEARCH', uid: false, charset: null, criteria: [{ key: 'MODSEQ', modseq: 1n, entry: { name: s, type: 'all' } }] }),
  'THREAD algorithm': (s) => ({ tag: 'A1', command: 'THREAD', uid: false, algorithm: s, charset: 'UTF-8', criteria: [{ key: 'ALL' }] }),
  'SETQUOTA resource': (s) => ({ tag: 'A1', command: 'SETQUOTA', root: '', limits: [{ resource: s, limit: 1 }] }),
  'COMPRESS mechanism': (s) => ({ tag: 'A1', command: 'COMPRESS', mechanism: s }),
  'UNKNOWN name': (s) => ({ tag: 'A1', command: 'UNKNOWN', name: s, text: '' }),
  tag: (s) => ({ tag: s, command: 'NOOP' }),
};

/** Raw protocol text the caller composes (spaces allowed): CR, LF and NUL are refused. */
const RAW_TEXT_FIELDS: Record<string, (s: string) => imap.Command> = {
  'SEARCH RAW': (s) => ({ tag: 'A1', command: 'SEARCH', uid: false, charset: null, criteria: [{ key: 'RAW', text: s }] }),
  'UNKNOWN text': (s) => ({ tag: 'A1', command: 'UNKNOWN', name: 'XFOO', text: s }),
};

/** Feeds the encoded command to the server-side parser: exactly one command comes out. */
function serverReads(c: imap.Command): imap.Command {
  const frags = imap.encodeCommand(c);
  const p = new imap.CommandParser();
  const items = frags.flatMap((f) => p.push(f.data));
  const commands = items.filter((i) => i.type !== 'continuation-needed');
  expect(items.filter((i) => i.type === 'continuation-needed').length).toBe(frags.filter((f) => f.waitForContinuation).length);
  expect(commands.length).toBe(1);
  expect(commands[0]!.type).toBe('command');
  return (commands[0] as imap.CommandItem).command;
}

describe('injection: CR, LF and NUL in every string field', () => {
  it('string fields: CR/LF travel inside a literal and the server reads back the same single command', () => {
    for (const [name, build] of Object.entries(STRING_FIELDS)) {
      for (const v of HOSTILE) {
        const c = build(v);
        const frags = imap.encodeCommand(c);
        // Every line break on the wire ends a line that announces a literal, or the command.
        for (const f of frags.slice(0, -1)) expect(f.waitForContinuation, name).toBe(true);
        expect(serverReads(c), `${name} ${JSON.stringify(v)}`).toEqual(imap.parseCommand(concat(frags.map((f) => f.data))));
      }
    }
  });

  it('string fields: values read back exactly (mailbox-name fields canonicalise INBOX only)', () => {
    expect(serverReads(STRING_FIELDS['LOGIN password']!('a\r\nA2 LOGOUT'))).toEqual({ tag: 'A1', command: 'LOGIN', user: 'u', password: 'a\r\nA2 LOGOUT' });
    expect(serverReads(STRING_FIELDS['SEARCH HEADER value']!(')\r\nA3 DELETE INBOX'))).toMatchObject({ criteria: [{ key: 'NOT', criterion: { value: ')\r\nA3 DELETE INBOX' } }] });
    expect(serverReads(STRING_FIELDS['SETACL identifier']!('\r'))).toMatchObject({ identifier: '\r', rights: 'lr' });
    expect(serverReads(STRING_FIELDS['SETMETADATA value']!('x\r\n'))).toMatchObject({ entries: [{ value: enc('x\r\n') }] });
  });

  it('NUL is refused in every string field (a literal cannot carry it), except literal8 values and mailbox names (modified UTF-7 escapes it)', () => {
    for (const [name, build] of Object.entries(STRING_FIELDS)) {
      if (name === 'SETMETADATA value') continue;
      let frags: imap.CommandFragment[];
      try {
        frags = imap.encodeCommand(build('a\0b'));
      } catch (e) {
        expect(e, name).toBeInstanceOf(TypeError);
        continue;
      }
      // Only a mailbox name may get through, as "a&AAA-b": no NUL byte on the wire.
      const wire = concat(frags.map((f) => f.data));
      expect(wire.includes(0), name).toBe(false);
      expect(new TextDecoder().decode(wire), name).toContain('a&AAA-b');
    }
    // Metadata values and APPEND messages go as literal8 ("~{n}") when they hold NUL.
    const meta = imap.encodeCommand(STRING_FIELDS['SETMETADATA value']!('a\0b'));
    expect(new TextDecoder().decode(meta[0]!.data)).toContain('~{3}\r\n');
    expect(() => imap.encodeCommand({ tag: 'A1', command: 'APPEND', mailbox: 'x', messages: [{ flags: null, date: null, message: Uint8Array.of(0), binary: false }] })).toThrow(TypeError);
  });

  it('atom-only fields refuse every hostile value, NUL and spaces included', () => {
    for (const [name, build] of Object.entries(ATOM_FIELDS)) {
      for (const v of [...HOSTILE, 'a\0b', 'a b', '']) expect(() => imap.encodeCommand(build(v)), `${name} ${JSON.stringify(v)}`).toThrow(TypeError);
    }
  });

  it('raw-text fields refuse CR, LF and NUL but keep spaces', () => {
    for (const [name, build] of Object.entries(RAW_TEXT_FIELDS)) {
      for (const v of [...HOSTILE, 'a\0b']) expect(() => imap.encodeCommand(build(v)), `${name} ${JSON.stringify(v)}`).toThrow(TypeError);
      expect(new TextDecoder().decode(imap.encodeCommand(build('X-A b'))[0]!.data), name).toContain('X-A b\r\n');
    }
  });
});

describe('command codec properties', () => {
  it('the server-side parser reads every encoded command the same for any split of its bytes', () => {
    fc.assert(
      fc.property(arb.command(), fc.array(fc.nat(400), { maxLength: 5 }), (c, cuts) => {
        const bytes = concat(imap.encodeCommand(c, { literalPlus: true }).map((f) => f.data));
        const run = (chunks: Uint8Array[]) => {
          const p = new imap.CommandParser();
          return chunks.flatMap((ch) => p.push(ch));
        };
        const whole = run([bytes]);
        expect(whole).toEqual([{ type: 'command', command: c }]);
        expect(run(splitAt(bytes, cuts))).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('mutated commands never throw: a command or a ProtocolError', () => {
    fc.assert(
      fc.property(arb.command(), fc.array(fc.tuple(fc.nat(500), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (c, edits) => {
        const bytes = concat(imap.encodeCommand(c, { literalPlus: true }).map((f) => f.data)).slice();
        for (const [at, b] of edits) if (bytes.length > 0) bytes[at % bytes.length] = b;
        const r = imap.parseCommand(bytes);
        expect(r instanceof ProtocolError || typeof r.command === 'string').toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
