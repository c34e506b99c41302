// SEARCH criteria (RFC 3501 6.4.4 / 9.search-key, RFC 9051 6.4.4): the tree the parser builds,
// what it refuses (a server answers those with "tag BAD"), and what the encoder refuses.
import { describe, expect, it } from 'vitest';
import { ProtocolError, imap } from '../../src/index';
import { concat, dec, enc } from '../helpers/bytes';

type Search = imap.SearchCommand;
const criteria = (s: string): readonly imap.SearchKey[] => {
  const c = imap.parseCommand(`A1 SEARCH ${s}\r\n`);
  if (c instanceof ProtocolError) throw new Error(`${s}: ${c.message}`);
  return (c as Search).criteria;
};
const search = (criteria: imap.SearchKey[], extra: Partial<Search> = {}, o?: imap.EncodeCommandOptions) =>
  dec(concat(imap.encodeCommand({ tag: 'A1', command: 'SEARCH', uid: false, charset: null, criteria, ...extra }, o).map((f) => f.data)));

describe('rfc3501 6.4.4 search criteria tree', () => {
  it('AND by juxtaposition; NOT and OR take exactly one and two keys; parentheses group', () => {
    expect(criteria('NOT FLAGGED SEEN')).toEqual([{ key: 'NOT', criterion: { key: 'FLAGGED' } }, { key: 'SEEN' }]);
    expect(criteria('OR (FROM a TO b) NOT (SEEN DELETED) UNDRAFT')).toEqual([
      { key: 'OR', left: { key: 'AND', criteria: [{ key: 'FROM', value: 'a' }, { key: 'TO', value: 'b' }] }, right: { key: 'NOT', criterion: { key: 'AND', criteria: [{ key: 'SEEN' }, { key: 'DELETED' }] } } },
      { key: 'UNDRAFT' },
    ]);
    expect(criteria('OR OR ANSWERED FLAGGED ((DRAFT))')).toEqual([
      { key: 'OR', left: { key: 'OR', left: { key: 'ANSWERED' }, right: { key: 'FLAGGED' } }, right: { key: 'AND', criteria: [{ key: 'AND', criteria: [{ key: 'DRAFT' }] }] } },
    ]);
  });

  it('every RFC 3501 / 9051 key with its argument', () => {
    const all =
      'ALL ANSWERED BCC b BEFORE 1-Feb-1994 BODY x CC c DELETED DRAFT FLAGGED FROM f HEADER Message-ID "<a@b>" KEYWORD $Work LARGER 1000 NEW NOT OLD OLD ON 01-Jan-2000 RECENT SEEN SENTBEFORE 2-Mar-2001 SENTON 3-Apr-2002 SENTSINCE 4-May-2003 SINCE 5-Jun-2004 SMALLER 9 SUBJECT s TEXT t TO t2 UID 1:*,5 UNANSWERED UNDELETED UNDRAFT UNFLAGGED UNKEYWORD $Junk UNSEEN 2,4:7';
    const keys = criteria(all);
    expect(keys.map((k) => k.key)).toEqual([
      'ALL', 'ANSWERED', 'BCC', 'BEFORE', 'BODY', 'CC', 'DELETED', 'DRAFT', 'FLAGGED', 'FROM', 'HEADER', 'KEYWORD', 'LARGER', 'NEW', 'NOT', 'OLD', 'ON', 'RECENT', 'SEEN', 'SENTBEFORE', 'SENTON', 'SENTSINCE', 'SINCE', 'SMALLER', 'SUBJECT', 'TEXT', 'TO', 'UID', 'UNANSWERED', 'UNDELETED', 'UNDRAFT', 'UNFLAGGED', 'UNKEYWORD', 'UNSEEN', 'SEQUENCE',
    ]);
    expect(keys[10]).toEqual({ key: 'HEADER', field: 'Message-ID', value: '<a@b>' });
    expect(keys[16]).toEqual({ key: 'ON', date: '01-Jan-2000' });
    expect(keys[27]).toEqual({ key: 'UID', set: imap.SequenceSet.parse('1:*,5') });
    // Keys are case-insensitive; dates may be quoted; values keep their case.
    expect(criteria('since "1-feb-1994" subject Hello')).toEqual([{ key: 'SINCE', date: '1-feb-1994' }, { key: 'SUBJECT', value: 'Hello' }]);
  });

  it('strings: quoted, literal and atom forms read alike; the encoder quotes, and uses a literal for CR/LF or 8-bit text', () => {
    expect(criteria('SUBJECT "a \\"b\\" c"')).toEqual([{ key: 'SUBJECT', value: 'a "b" c' }]);
    expect(imap.parseCommand(enc('A1 SEARCH SUBJECT {3}\r\nabc BODY x\r\n'))).toMatchObject({ criteria: [{ key: 'SUBJECT', value: 'abc' }, { key: 'BODY', value: 'x' }] });
    expect(search([{ key: 'SUBJECT', value: 'NIL' }])).toBe('A1 SEARCH SUBJECT "NIL"\r\n');
    expect(search([{ key: 'BODY', value: 'two\r\nlines' }], {}, { literalPlus: true })).toBe('A1 SEARCH BODY {10+}\r\ntwo\r\nlines\r\n');
    expect(search([{ key: 'TEXT', value: 'café' }], { charset: 'UTF-8' }, { literalPlus: true })).toBe('A1 SEARCH CHARSET UTF-8 TEXT {5+}\r\ncafé\r\n');
    expect(search([{ key: 'TEXT', value: 'café' }], {}, { utf8Accept: true })).toBe('A1 SEARCH TEXT "café"\r\n');
  });

  it('the RAW escape hatch writes criteria mailwire does not model, one line only', () => {
    expect(search([{ key: 'RAW', text: 'X-VENDOR-KEY 12 (a b)' }, { key: 'SEEN' }])).toBe('A1 SEARCH X-VENDOR-KEY 12 (a b) SEEN\r\n');
    for (const text of ['ALL\r\nA2 LOGOUT', 'a\nb', 'a\0b', '']) expect(() => search([{ key: 'RAW', text }]), JSON.stringify(text)).toThrow(TypeError);
  });

  it('negative: unknown keys, missing or bad arguments, unbalanced parentheses are errors carrying the tag', () => {
    const bad = [
      'XYZZY',
      'FROM',
      'SINCE 1994-02-01',
      'SINCE 32-Feb-1994',
      'BEFORE 1-Fev-1994',
      'LARGER x',
      'OLDER 0',
      'NOT',
      'OR SEEN',
      '(SEEN',
      'SEEN)',
      '()',
      'KEYWORD \\Seen',
      'UID x',
      'MODSEQ "/flags/\\\\seen" bogus 5',
      'MODSEQ 99999999999999999999',
      'EMAILID bad!id',
      'X-GM-MSGID abc',
      'SEEN  DELETED',
      'RETURN (BOGUS) ALL',
      'RETURN (PARTIAL 1:-5) ALL',
      'CHARSET',
    ];
    for (const b of bad) {
      const e = imap.parseCommand(`T9 SEARCH ${b}\r\n`);
      expect(e, b).toBeInstanceOf(ProtocolError);
      expect((e as ProtocolError).tag, b).toBe('T9');
    }
    expect(imap.parseCommand('T9 SEARCH\r\n')).toBeInstanceOf(ProtocolError);
  });

  it('nesting is bounded: 150 levels of parentheses or NOT are TOO_DEEP, not a stack overflow', () => {
    for (const s of [`${'('.repeat(150)}SEEN${')'.repeat(150)}`, `${'NOT '.repeat(150)}SEEN`]) {
      const e = imap.parseCommand(`A1 SEARCH ${s}\r\n`);
      expect(e).toBeInstanceOf(ProtocolError);
      expect((e as ProtocolError).code).toBe('TOO_DEEP');
    }
    let deep: imap.SearchKey = { key: 'SEEN' };
    for (let i = 0; i < 150; i++) deep = { key: 'NOT', criterion: deep };
    expect(() => search([deep])).toThrow(TypeError);
  });

  it('the nesting bound is the maxDepth option, as for lists; the streaming parser passes it on', () => {
    const deep = `${'NOT '.repeat(150)}SEEN`;
    const c = imap.parseCommand(`A1 SEARCH ${deep}\r\n`, { maxDepth: 200 });
    expect(c).not.toBeInstanceOf(ProtocolError);
    let k = (c as Search).criteria[0]!;
    let n = 0;
    while (k.key === 'NOT') [k, n] = [k.criterion, n + 1];
    expect([n, k.key]).toEqual([150, 'SEEN']);
    expect(imap.parseCommand(`A1 SEARCH (((SEEN)))\r\n`, { maxDepth: 2 })).toMatchObject({ code: 'TOO_DEEP', tag: 'A1' });
    const p = new imap.CommandParser({ maxDepth: 200 });
    expect(p.push(enc(`A2 SEARCH ${deep}\r\n`))).toMatchObject([{ type: 'command', command: { tag: 'A2', command: 'SEARCH' } }]);
  });

  it('the encoder refuses keys it could only write wrongly', () => {
    const bad: imap.SearchKey[][] = [
      [],
      [{ key: 'AND', criteria: [] }],
      [{ key: 'SINCE', date: '1994-02-01' }],
      [{ key: 'KEYWORD', flag: '\\Seen' }],
      [{ key: 'KEYWORD', flag: 'a b' }],
      [{ key: 'LARGER', value: -1 }],
      [{ key: 'YOUNGER', value: 0 }],
      [{ key: 'EMAILID', id: 'a b' }],
      [{ key: 'MODSEQ', modseq: 2n ** 63n, entry: null }],
      [{ key: 'MODSEQ', modseq: 1n, entry: { name: '/flags/\r\n', type: 'all' } }],
      [{ key: 'X-GM-MSGID', id: -1n }],
      [{ key: 'SUBJECT', value: 'a\0b' }],
      [{ key: 'BOGUS' } as unknown as imap.SearchKey],
    ];
    for (const k of bad) expect(() => search(k), JSON.stringify(k, (_, v) => (typeof v === 'bigint' ? String(v) : v))).toThrow(TypeError);
    expect(() => search([{ key: 'SEEN' }], { returnOptions: [{ partial: [1, -5] }] })).toThrow(TypeError);
    expect(() => search([{ key: 'SEEN' }], { returnOptions: ['BOGUS' as 'MIN'] })).toThrow(TypeError);
  });
});
