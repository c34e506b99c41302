import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/core/errors';
import {
  ASTRING_CHAR,
  ATOM_CHAR,
  LIST_CHAR,
  QUOTED_CHAR,
  Reader,
  TAG_CHAR,
  TEXT_CHAR,
  WireWriter,
  decodeText,
  isFlag,
  isTag,
  stringForm,
} from '../../src/imap/syntax';
import { frameUnit } from '../../src/imap/framer';

const enc = (s: string) => new TextEncoder().encode(s);
const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const reader = (s: string | Uint8Array) => new Reader(frameUnit(typeof s === 'string' ? enc(s) : s) as never);

describe('rfc9051 9 character classes', () => {
  it('atom-specials are not ATOM-CHARs; resp-specials "]" is an ASTRING-CHAR; "+" is no tag char', () => {
    for (const c of '(){ %*"\\]') expect(ATOM_CHAR[c.charCodeAt(0)], c).toBe(0);
    for (const c of 'aZ09.-!#$&\'+,/:;<=>?@[^_`|}~') expect(ATOM_CHAR[c.charCodeAt(0)], c).toBe(1);
    expect(ATOM_CHAR[0x7f]).toBe(0);
    expect(ATOM_CHAR[0x1f]).toBe(0);
    expect(ATOM_CHAR[0x80]).toBe(0);
    expect(ASTRING_CHAR[0x5d]).toBe(1);
    expect(TAG_CHAR[0x5d]).toBe(1);
    expect(TAG_CHAR[0x2b]).toBe(0);
    expect(LIST_CHAR[0x25] & LIST_CHAR[0x2a] & LIST_CHAR[0x5d]).toBe(1);
    expect(TEXT_CHAR[0x0d] | TEXT_CHAR[0x0a] | TEXT_CHAR[0]).toBe(0);
    expect(QUOTED_CHAR[0x22] | QUOTED_CHAR[0x5c]).toBe(0);
    expect(isTag('a]1')).toBe(true);
    expect(isTag('a+1')).toBe(false);
    expect(isTag('')).toBe(false);
    expect(isFlag('\\Seen')).toBe(true);
    expect(isFlag('\\*')).toBe(true);
    expect(isFlag('$Junk')).toBe(true);
    expect(isFlag('a b')).toBe(false);
    expect(isFlag('a]')).toBe(false);
  });
});

describe('Reader: readers named after the ABNF rules', () => {
  it('number, nz-number, number64, atom, astring, nstring, quoted, literal', () => {
    const r = reader(latin1('42 0 18446744073709551615 Caf\xC3\xA9 "a \\"b\\"" NIL {3}\r\nxyz ~{2}\r\n\x00\x01 end'));
    expect(r.number()).toBe(42);
    r.sp();
    expect(() => r.nzNumber()).toThrow(ProtocolError);
    expect(r.number()).toBe(0);
    r.sp();
    expect(r.number64()).toBe(18446744073709551615n);
    r.sp();
    expect(r.atom()).toBe('Café');
    r.sp();
    expect(r.astring()).toBe('a "b"');
    r.sp();
    expect(r.nstring()).toBeNull();
    r.sp();
    expect(r.astring()).toBe('xyz');
    r.sp();
    expect(Array.from(r.stringBytes())).toEqual([0, 1]);
    r.sp();
    expect(r.atom()).toBe('end');
    expect(r.atEnd()).toBe(true);
  });

  it('raw UTF-8 in an atom reads as UTF-8, like its quoted form', () => {
    expect(reader(latin1('Caf\xC3\xA9')).astring()).toBe('Café');
    expect(reader(latin1('"Caf\xC3\xA9"')).astring()).toBe('Café');
  });

  it('a string that is not UTF-8 keeps its octets next to a Latin-1 best-effort text', () => {
    const bytes = latin1('G\xF6r\xFCnt\xFC1');
    let raw: Uint8Array | null = null;
    expect(decodeText(bytes, (b) => (raw = b))).toBe('Görüntü1');
    expect(raw).toEqual(bytes);
    let called = false;
    expect(decodeText(enc('Görüntü1'), () => (called = true))).toBe('Görüntü1');
    expect(called).toBe(false);
  });

  it('errors carry the offset and escape the peer bytes they quote (NUL never reaches the text raw)', () => {
    const r = reader(latin1('abc \x00def'));
    r.atom();
    r.sp();
    let err: unknown;
    try {
      r.atom();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).offset).toBe(4);
    expect((err as ProtocolError).message).not.toMatch(/\x00/);
    expect((err as ProtocolError).message).toContain('\\x00');
  });

  it('lists: nesting is bounded (TOO_DEEP), items counted (TOO_MANY)', () => {
    const deep = new Reader(frameUnit('('.repeat(10) + ')'.repeat(10)) as never, { maxDepth: 5 });
    expect(() => deep.skipValue()).toThrow(/deeper/);
    const many = new Reader(frameUnit('(1 2 3 4)') as never, { maxListItems: 3 });
    expect(() => many.list((r) => r.number())).toThrow(/longer/);
  });

  it('linear cost: a quoted string of 1 MiB of escapes reads in one forward pass', () => {
    const body = '\\\\'.repeat(1 << 19);
    const r = reader(`"${body}"`);
    expect(r.quoted().length).toBe(1 << 19);
  });
});

describe('WireWriter: the one writer that picks atom / quoted / literal', () => {
  it('stringForm', () => {
    expect(stringForm(enc('INBOX'), ASTRING_CHAR)).toBe('atom');
    expect(stringForm(enc('nil'), ASTRING_CHAR)).toBe('quoted');
    expect(stringForm(enc('a b'), ASTRING_CHAR)).toBe('quoted');
    expect(stringForm(enc(''), ASTRING_CHAR)).toBe('quoted');
    expect(stringForm(enc('a\r\nb'))).toBe('literal');
    expect(stringForm(enc('a\0b'))).toBe('literal');
    expect(stringForm(enc('Café'))).toBe('literal');
    expect(stringForm(enc('x'.repeat(1000)))).toBe('literal');
  });

  it('literal octets are referenced, not copied', () => {
    const body = new Uint8Array(1 << 16);
    const w = new WireWriter();
    w.raw('* 1 FETCH (BODY[] ').literal(body).raw(')');
    const { fragments, literalIndexes } = w.fragments();
    expect(fragments[literalIndexes[0]!]).toBe(body);
    expect(new TextDecoder().decode(fragments[0])).toBe('* 1 FETCH (BODY[] {65536}\r\n');
    expect(new TextDecoder().decode(fragments[2])).toBe(')\r\n');
  });

  it('what it writes reads back as the same octets', () => {
    for (const s of ['INBOX', 'a b', 'say "hi" \\o/', 'Caf\u00e9', 'x\r\ny', 'NIL', '']) {
      const line = new WireWriter().astring(s).finish();
      expect(reader(line).astring()).toBe(s);
    }
  });
});
