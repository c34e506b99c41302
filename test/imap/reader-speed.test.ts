/**
 * The fast paths of the response reader (issue 15 speed work) read exactly what the grammar
 * says: INTERNALDATE parsed by char codes agrees with the RFC 9051 date-time shape, and strings
 * decoded straight from the line agree with the general decoder at every length.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError, imap } from '../../src/index';

/** The date-time shape of RFC 9051 (date-day-fixed is SP DIGIT / 2DIGIT), as the reader once matched it. */
const DATE_TIME = /^ ?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
function oracle(text: string): number | null {
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const month = MONTHS.indexOf(m[2]!.toUpperCase());
  if (month < 0) return null;
  const utc = Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  return utc - (Number(m[8]) * 60 + Number(m[9])) * (m[7] === '+' ? 1 : -1) * 60_000;
}
const time = (d: Date | null) => (d === null ? null : d.getTime());

describe('rfc9051 9 date-time (INTERNALDATE)', () => {
  it('the RFC 3501 7.4.2 example "17-Jul-1996 02:44:25 -0700" and its space-padded day', () => {
    expect(time(imap.parseInternalDate('17-Jul-1996 02:44:25 -0700'))).toBe(Date.UTC(1996, 6, 17, 9, 44, 25));
    expect(time(imap.parseInternalDate(' 7-jul-1996 02:44:25 +0130'))).toBe(Date.UTC(1996, 6, 7, 1, 14, 25));
  });
  it('malformed dates read as null: bad month, missing zone, trailing text, non-ASCII digits', () => {
    for (const t of ['17-Jux-1996 02:44:25 -0700', '17-Jul-1996 02:44:25', '17-Jul-1996 02:44:25 -0700 ', '17-Jul-1996 02:44:25 *0700', '١٧-Jul-1996 02:44:25 -0700', '117-Jul-1996 02:44:25 -0700', '']) {
      expect(imap.parseInternalDate(t)).toBeNull();
    }
  });
  it('agrees with the grammar for any mutation of a valid date-time', () => {
    const base = '17-Jul-1996 02:44:25 -0700';
    const chars = fc.constantFrom(...' -:+0123456789JjUuLlXx\u0661\u00e9'.split(''));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(base.length + 1), chars, fc.constantFrom('set', 'insert', 'delete')), { maxLength: 4 }), (edits) => {
        let s = base;
        for (const [i, c, op] of edits) s = op === 'set' ? s.slice(0, i) + c + s.slice(i + 1) : op === 'insert' ? s.slice(0, i) + c + s.slice(i) : s.slice(0, i) + s.slice(i + 1);
        expect(time(imap.parseInternalDate(s))).toBe(oracle(s));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('quoted strings decoded straight from the line (rfc9051 4.3 string)', () => {
  it('every length from 0 to 200, ASCII with and without escapes, UTF-8 and Latin-1, reads like decodeText', () => {
    const enc = new TextEncoder();
    for (let n = 0; n <= 200; n++) {
      const ascii = Array.from({ length: n }, (_, i) => String.fromCharCode(0x21 + ((i * 7) % 90))).join('').replace(/["\\]/g, 'x');
      for (const [wire, want] of [
        [ascii, ascii],
        [`${ascii}\\"`, `${ascii}"`],
        [`é${ascii}`, `é${ascii}`],
        [`é${ascii}\\\\x\\"`, `é${ascii}\\x"`],
        // an unescaped DQUOTE not followed by SP, ")" or "]" is part of the string (MailKit issue 485)
        [`a\\"b "c"d ${ascii}`, `a"b "c"d ${ascii}`],
      ] as const) {
        const r = imap.parseResponse(`* 1 FETCH (ENVELOPE (NIL "${wire}" NIL NIL NIL NIL NIL NIL NIL NIL))\r\n`);
        if (r instanceof ProtocolError) throw r;
        expect((r as { attributes: imap.FetchAttributes }).attributes.envelope!.subject).toBe(want);
      }
      const latin1 = new Uint8Array([...enc.encode(`* 1 FETCH (ENVELOPE (NIL "${ascii}`), 0xe9, ...enc.encode('" NIL NIL NIL NIL NIL NIL NIL NIL))\r\n')]);
      const r = imap.parseResponse(latin1) as { attributes: imap.FetchAttributes };
      expect(r.attributes.envelope!.subject).toBe(`${ascii}\u00e9`);
      expect(r.attributes.envelope!.raw!.subject).toEqual(new Uint8Array([...enc.encode(ascii), 0xe9]));
    }
  });
});
