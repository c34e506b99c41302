import { describe, expect, it } from 'vitest';
import { imap } from '../../src/index';
import { enc } from '../helpers/bytes';

describe('imap ClientSession: streamed literals carry the grammar label', () => {
  it('rfc3501 7.4.2 ENVELOPE: a subject literal above literalThreshold comes as chunks labelled ENVELOPE / subject', () => {
    const c = new imap.ClientSession({ parser: { literalThreshold: 4 } });
    c.receive(enc('* OK ready\r\n'));
    const subject = 'a long subject';
    const ev = c.receive(enc(`* 1 FETCH (ENVELOPE (NIL {${subject.length}}\r\n${subject} NIL NIL NIL NIL NIL NIL NIL NIL))\r\n`));
    const lits = ev.filter((e): e is imap.LiteralChunkItem | imap.LiteralEndItem => e.type === 'literal-chunk' || e.type === 'literal-end');
    expect(lits.map((e) => [e.type, e.seq, e.item, e.field])).toEqual([
      ['literal-chunk', 1, 'ENVELOPE', 'subject'],
      ['literal-end', 1, 'ENVELOPE', 'subject'],
    ]);
  });
});
