import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ByteQueue, DotDecoder, DotEncoder, ProtocolError, dotStuff, type BareLineEndingPolicy } from '../../src/core/index';
import { bin, bytewise, concat, dec, enc, splitAt } from '../helpers/bytes';

interface Decoded {
  body: string;
  done: boolean;
  errors: string[];
  rest: string;
}

function decode(chunks: Uint8Array[], lineEndings: BareLineEndingPolicy = 'reject'): Decoded {
  const q = new ByteQueue();
  const d = new DotDecoder({ lineEndings });
  const out: (Uint8Array | ProtocolError)[] = [];
  let done = false;
  for (const c of chunks) {
    q.push(c);
    if (!done) done = d.decode(q, out);
  }
  const body = concat(out.filter((x): x is Uint8Array => x instanceof Uint8Array));
  const errors = out.filter((x): x is ProtocolError => x instanceof ProtocolError).map((e) => e.code);
  return { body: String.fromCharCode(...body), done, errors, rest: String.fromCharCode(...q.take(q.length)) };
}

describe('DotDecoder (RFC 5321 4.5.2, RFC 1939 3)', () => {
  it('removes the leading dot of stuffed lines and ends at CRLF.CRLF', () => {
    const r = decode([enc('Subject: x\r\n\r\n..dots\r\n.\r\nQUIT\r\n')]);
    expect(r).toEqual({ body: 'Subject: x\r\n\r\n.dots\r\n', done: true, errors: [], rest: 'QUIT\r\n' });
  });

  it('an immediately terminated body is empty', () => {
    expect(decode([enc('.\r\n')])).toMatchObject({ body: '', done: true });
  });

  it('two short bodies in one read that ends without LF: the second still ends (found by fuzzing)', () => {
    // The LF search for a short held tail once marked the whole read as searched, so the
    // second body's terminator, found during the first body, was never looked at again.
    for (const policy of ['reject', 'normalize', 'accept'] as const) {
      const q = new ByteQueue();
      q.push(enc('a\r\n.\r\nb\r\n.\r\nx'));
      const d = new DotDecoder({ lineEndings: policy });
      const first: (Uint8Array | ProtocolError)[] = [];
      expect(d.decode(q, first)).toBe(true);
      const second: (Uint8Array | ProtocolError)[] = [];
      expect(d.decode(q, second)).toBe(true);
      expect(dec(concat(second as Uint8Array[]))).toBe('b\r\n');
      expect(dec(q.take(q.length))).toBe('x');
    }
  });

  it('a line that is exactly ".." becomes "."', () => {
    expect(decode([enc('a\r\n..\r\n.\r\n')])).toMatchObject({ body: 'a\r\n.\r\n', done: true });
  });

  it('the same body for a split at every byte position', () => {
    const wire = enc('..a\r\nb.\r\n...\r\n\r\n.x\r\n.\r\nNEXT');
    const whole = decode([wire]);
    expect(whole.body).toBe('.a\r\nb.\r\n..\r\n\r\nx\r\n');
    for (let i = 1; i < wire.length; i++) expect(decode(splitAt(wire, [i]))).toEqual(whole);
    expect(decode(bytewise(wire))).toEqual(whole);
  });

  const fakeEnds = [
    '\n.\n',
    '\n.\r\n',
    '\r\n.\n',
    '\r.\r\n',
    '\r\n.\r',
    '\r.\r',
    '\r.\n',
    '\n.\r',
    '\r\n.\r\r\n',
    '\r\r\n.\r\r\n',
    '\r\n\0.\r\n',
    '\r\n.\0\r\n',
  ];
  for (const fake of fakeEnds) {
    const shown = JSON.stringify(fake);
    it(`smuggling: ${shown} never ends the data, for every split`, () => {
      const wire = bin(`body${fake}MAIL FROM:<evil@x>\r\nRCPT TO:<v@y>\r\nDATA\r\nsmuggled\r\n.\r\nQUIT\r\n`);
      for (const policy of ['reject', 'normalize', 'accept'] as const) {
        const whole = decode([wire], policy);
        expect(whole.done).toBe(true);
        // Everything up to the real CRLF.CRLF is body: the fake transaction is inside it.
        expect(whole.body).toContain('MAIL FROM:<evil@x>');
        expect(whole.rest).toBe('QUIT\r\n');
        // The NUL variants hold only proper CRLFs: nothing to refuse, and still no end.
        if (policy === 'reject' && !fake.includes('\0')) expect(whole.errors.length).toBe(1);
        else expect(whole.errors).toEqual([]);
        for (let i = 1; i < wire.length; i++) expect(decode(splitAt(wire, [i]), policy)).toEqual(whole);
      }
    });
  }

  it('normalize turns bare CR and bare LF into CRLF', () => {
    expect(decode([enc('a\nb\rc\r\n.\r\n')], 'normalize')).toMatchObject({ body: 'a\r\nb\r\nc\r\n', errors: [] });
  });

  it('accept passes bare line endings through untouched', () => {
    expect(decode([enc('a\nb\rc\r\n.\r\n')], 'accept')).toMatchObject({ body: 'a\nb\rc\r\n', errors: [] });
  });

  it('reject reports one error per body with the offset of the first bare LF', () => {
    const q = new ByteQueue();
    q.push(enc('ab\ncd\ne\r\n.\r\n'));
    const out: (Uint8Array | ProtocolError)[] = [];
    expect(new DotDecoder().decode(q, out)).toBe(true);
    const errs = out.filter((x) => x instanceof ProtocolError) as ProtocolError[];
    expect(errs.map((e) => [e.code, e.offset])).toEqual([['BARE_LF', 2]]);
  });

  it('hands out zero-copy views of the pushed chunk', () => {
    const chunk = enc(`hello\r\n${'world '.repeat(50)}\r\n.\r\n`);
    const q = new ByteQueue();
    q.push(chunk);
    const out: (Uint8Array | ProtocolError)[] = [];
    new DotDecoder().decode(q, out);
    expect(out.every((x) => x instanceof Uint8Array && x.buffer === chunk.buffer)).toBe(true);
  });
});

describe('DotEncoder', () => {
  it('stuffs leading dots, normalises line endings and terminates', () => {
    const e = new DotEncoder();
    const wire = concat([e.encode(enc('.a\nb\r.c\r')), e.encode(enc('\n.')), e.end()]);
    expect(dec(wire)).toBe('..a\r\nb\r\n..c\r\n..\r\n.\r\n');
  });

  it('an empty body is just ".CRLF"; a body without a final CRLF gets one', () => {
    expect(dec(dotStuff(new Uint8Array(0)))).toBe('.\r\n');
    expect(dec(dotStuff(enc('x')))).toBe('x\r\n.\r\n');
    expect(dec(dotStuff(enc('x\r\n')))).toBe('x\r\n.\r\n');
  });

  it('round trip: decode(encode(body)) is the CRLF-normalised body, for any chunking', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(0x2e, 0x0d, 0x0a, 0x41, 0x00, 0xff), { maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 70 }), { maxLength: 5 }),
        (bytes, cuts) => {
          const body = Uint8Array.from(bytes);
          const enc1 = new DotEncoder();
          const wire = concat([...splitAt(body, cuts).map((c) => enc1.encode(c)), enc1.end()]);
          // The output never holds a bare CR or LF.
          for (let i = 0; i < wire.length; i++) {
            if (wire[i] === 0x0d) expect(wire[i + 1]).toBe(0x0a);
            if (wire[i] === 0x0a) expect(wire[i - 1]).toBe(0x0d);
          }
          const r = decode(splitAt(wire, cuts.map((c) => c * 2)));
          expect(r.done).toBe(true);
          expect(r.errors).toEqual([]);
          expect(r.rest).toBe('');
          const normalised = String.fromCharCode(...body).replace(/\r\n|\r|\n/g, '\r\n');
          const expected = normalised === '' || normalised.endsWith('\r\n') ? normalised : `${normalised}\r\n`;
          expect(r.body).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});

/** The RFC rule, byte by byte: lines end at CRLF only; a line-start dot is dropped, ".CRLF" ends the body. */
function reference(bytes: Uint8Array): { body: string; rest: string } | null {
  const out: number[] = [];
  let lineStart = true;
  for (let i = 0; i < bytes.length; ) {
    if (lineStart && bytes[i] === 0x2e) {
      if (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a) return { body: String.fromCharCode(...out), rest: String.fromCharCode(...bytes.subarray(i + 3)) };
      i++;
      lineStart = false;
      continue;
    }
    if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) {
      out.push(0x0d, 0x0a);
      i += 2;
      lineStart = true;
      continue;
    }
    out.push(bytes[i]!);
    i++;
    lineStart = false;
  }
  return null;
}

describe('DotDecoder against the byte-by-byte rule', () => {
  it('accept and reject keep every byte, and end where the rule ends, for any split', () => {
    const alphabet = fc.constantFrom(0x0d, 0x0a, 0x2e, 0x61, 0x00);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 0 }).chain(() => fc.array(alphabet, { maxLength: 80 })), fc.array(fc.nat(90), { maxLength: 6 }), (raw, cuts) => {
        const wire = concat([Uint8Array.from(raw), enc('\r\n.\r\nNEXT')]);
        const want = reference(wire)!;
        for (const policy of ['accept', 'reject'] as const) {
          const got = decode(splitAt(wire, cuts), policy);
          expect(got.done).toBe(true);
          expect({ body: got.body, rest: got.rest }).toEqual(want);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('DotDecoder accept: the byte after a stuffing dot', () => {
  it('rfc1939 3: "...", "..\\n." and "..\\r\\n.\\r\\n" read the same for every split (the byte after the stuffing dot is stepped over)', () => {
    const wire = enc('...three\r\n..\n.x\r\n..\r\n.\r\nNEXT');
    const want = { body: '..three\r\n.\n.x\r\n.\r\n', done: true, errors: [], rest: 'NEXT' };
    expect(decode([wire], 'accept')).toEqual(want);
    expect(decode(bytewise(wire), 'accept')).toEqual(want);
    for (let cut = 1; cut < wire.length; cut++) expect(decode(splitAt(wire, [cut]), 'accept'), String(cut)).toEqual(want);
  });
});
