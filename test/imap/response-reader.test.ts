/**
 * The grammar-direct response reader (issue 15): lossless strings, the grammar and real-server
 * items, grammar-labelled streaming, encoder checks, and linear cost on hostile lines.
 */
import { describe, expect, it } from 'vitest';
import { ProtocolError, imap } from '../../src/index';
import { bin, bytewise, dec, enc } from '../helpers/bytes';

type Fetch = imap.UntaggedResponse & { kind: 'FETCH' };
const ok = (s: string | Uint8Array, o?: imap.ReadResponseOptions) => {
  const r = imap.parseResponse(s, o);
  if (r instanceof ProtocolError) throw new Error(`${typeof s === 'string' ? s : dec(s)}: ${r.message}`);
  return r;
};
/** parse(encode(x)) equals x. */
const roundTrip = (r: imap.Response) => expect(ok(imap.encodeResponse(r))).toEqual(r);

describe('lossless strings (issue 15)', () => {
  it('a Latin-1 BODYSTRUCTURE filename G\\xF6r\\xFCnt\\xFC1 keeps its octets next to the best-effort text', () => {
    const r = ok(bin('* 1 FETCH (BODYSTRUCTURE ("APPLICATION" "PDF" ("NAME" "G\xF6r\xFCnt\xFC1.pdf") NIL NIL "BASE64" 100 NIL ("ATTACHMENT" ("FILENAME" "G\xF6r\xFCnt\xFC1.pdf")) NIL NIL))')) as Fetch;
    const b = r.attributes.bodyStructure as imap.SinglePart;
    expect(b.params.NAME).toBe('Görüntü1.pdf');
    expect(b.rawParams?.NAME).toEqual(bin('G\xF6r\xFCnt\xFC1.pdf'));
    expect(b.disposition?.rawParams?.FILENAME).toEqual(bin('G\xF6r\xFCnt\xFC1.pdf'));
    // Written back with the original octets (a literal), read back the same.
    const wire = imap.encodeResponse(r);
    expect(wire.indexOf(0xf6)).toBeGreaterThan(0);
    roundTrip(r);
  });

  it('a Latin-1 subject literal keeps its octets (envelope.raw.subject); valid UTF-8 has no raw', () => {
    const r = ok(bin('* 2 FETCH (ENVELOPE (NIL {10}\r\nCaf\xE9 cr\xE8me NIL NIL NIL NIL NIL NIL NIL NIL))')) as Fetch;
    expect(r.attributes.envelope?.subject).toBe('Café crème');
    expect(r.attributes.envelope?.raw?.subject).toEqual(bin('Caf\xE9 cr\xE8me'));
    roundTrip(r);
    const u = ok('* 2 FETCH (ENVELOPE (NIL "Café" NIL NIL NIL NIL NIL NIL NIL NIL))') as Fetch;
    expect(u.attributes.envelope?.subject).toBe('Café');
    expect(u.attributes.envelope && 'raw' in u.attributes.envelope).toBe(false);
  });

  it('a raw UTF-8 atom reads as UTF-8 like its quoted form: * LIST () "/" Caf\\xC3\\xA9, flag caf\\xC3\\xA9', () => {
    expect(ok(bin('* LIST () "/" Caf\xC3\xA9'))).toMatchObject({ kind: 'LIST', mailbox: 'Café' });
    expect(ok(bin('* LIST () "/" "Caf\xC3\xA9"'))).toMatchObject({ kind: 'LIST', mailbox: 'Café' });
    expect(ok(bin('* FLAGS (\\Seen caf\xC3\xA9)'))).toMatchObject({ flags: ['\\Seen', 'café'] });
    expect(ok(bin('* 1 FETCH (FLAGS (caf\xC3\xA9))'))).toMatchObject({ attributes: { flags: ['café'] } });
  });

  it('the encoder never writes what the reader reads back differently: a non-ASCII flag as raw UTF-8, a mailbox as modified UTF-7', () => {
    roundTrip({ type: 'untagged', kind: 'FLAGS', flags: ['café', '\\Seen'] });
    expect(() => imap.encodeResponse({ type: 'untagged', kind: 'FLAGS', flags: ['caf é'] })).toThrow(TypeError);
    expect(() => imap.encodeResponse({ type: 'untagged', kind: 'FLAGS', flags: ['\ud800'] })).toThrow(TypeError);
    roundTrip({ type: 'untagged', kind: 'LIST', attributes: [], delimiter: '/', mailbox: 'Café', extended: {} });
  });
});

describe('grammar and real servers (issue 15)', () => {
  it('rfc9394 ESEARCH UID PARTIAL (-1:-100 200:250,252:300)', () => {
    const r = ok('* ESEARCH (TAG "A1") UID PARTIAL (-1:-100 200:250,252:300)') as imap.UntaggedResponse & { kind: 'ESEARCH' };
    const p = r.results.PARTIAL as imap.PartialResult;
    expect(p).toMatchObject({ kind: 'partial', start: -1, end: -100 });
    expect(p.set?.toString()).toBe('200:250,252:300');
    expect(ok('* ESEARCH (TAG "A2") UID PARTIAL (1:10 NIL)')).toMatchObject({ results: { PARTIAL: { kind: 'partial', start: 1, end: 10, set: null } } });
    roundTrip(r);
  });

  it('rfc6203 RELEVANCY (90 80); unknown return data kept typed, never ""', () => {
    expect(ok('* ESEARCH (TAG "A3") ALL 1,5 RELEVANCY (90 80)')).toMatchObject({ results: { RELEVANCY: [90, 80] } });
    const r = ok('* ESEARCH (TAG "A4") XFOO (1 "two" NIL)') as imap.UntaggedResponse & { kind: 'ESEARCH' };
    expect(r.results.XFOO).toEqual({ kind: 'list', items: [{ kind: 'number', value: 1, text: '1' }, { kind: 'string', value: enc('two'), form: 'quoted' }, { kind: 'nil' }] });
    roundTrip(r);
  });

  it('rfc7889 * STATUS "INBOX" (APPENDLIMIT NIL) reads NIL as null (no limit)', () => {
    const r = ok('* STATUS "INBOX" (APPENDLIMIT NIL MESSAGES 3)');
    expect(r).toMatchObject({ kind: 'STATUS', mailbox: 'INBOX', attributes: { APPENDLIMIT: null, MESSAGES: 3 } });
    roundTrip(r);
  });

  it('rfc2342 NAMESPACE extensions and rfc5255 TRANSLATION', () => {
    const r = ok('* NAMESPACE (("" "/" "X-PARAM" ("FLAG1" "FLAG2"))) NIL (("Public/" "/" "TRANSLATION" ("Öffentlich/")))');
    expect(r).toMatchObject({
      personal: [{ prefix: '', delimiter: '/', extensions: { 'X-PARAM': ['FLAG1', 'FLAG2'] } }],
      otherUsers: null,
      shared: [{ prefix: 'Public/', extensions: { TRANSLATION: ['Öffentlich/'] } }],
    });
    roundTrip(r);
  });

  it('Gmail XLIST reads as LIST with its flags', () => {
    expect(ok('* XLIST (\\HasNoChildren \\Inbox) "/" "Inbox"')).toMatchObject({ kind: 'LIST', attributes: ['\\HasNoChildren', '\\Inbox'], mailbox: 'INBOX' });
  });

  it('rfc9586 UIDONLY: * 3 UIDFETCH', () => {
    const r = ok('* 3 UIDFETCH (FLAGS (\\Seen))');
    expect(r).toEqual({ type: 'untagged', kind: 'UIDFETCH', uid: 3, attributes: { flags: ['\\Seen'] } });
    roundTrip(r);
  });

  it('Domino 9: * 2 FETCH (UID 14935 (ENVELOPE (...)) BODYSTRUCTURE (...)) keeps both', () => {
    const r = ok('* 2 FETCH (UID 14935 (ENVELOPE ("Mon, 1 Jan 2024 10:00:00 +0000" "hi" NIL NIL NIL NIL NIL NIL NIL "<a@b>")) BODYSTRUCTURE ("TEXT" "PLAIN" NIL NIL NIL "7BIT" 10 1))') as Fetch;
    expect(r.attributes.uid).toBe(14935);
    expect(r.attributes.envelope?.subject).toBe('hi');
    expect(r.attributes.bodyStructure).toMatchObject({ kind: 'single', type: 'TEXT', size: 10, lines: 1 });
  });

  it('Office 365: a bare [COPYUID 55 31 6] line before untagged data reads as an untagged OK with the code', () => {
    const p = new imap.ResponseParser();
    const items = p.push(enc('[COPYUID 55 31 6]\r\n* 3 EXPUNGE\r\nA1 OK MOVE completed\r\n'));
    expect(items[0]).toMatchObject({ type: 'untagged', kind: 'OK', code: { name: 'COPYUID', uidValidity: 55 } });
    expect((items[0] as { code: imap.ResponseCode }).code.uids?.toString()).toBe('6');
    expect(items.map((i) => i.type)).toEqual(['untagged', 'untagged', 'tagged']);
  });

  it('Yandex: BODY[2] ) with no value reports the section as NIL', () => {
    expect(ok('* 1 FETCH (UID 7 BODY[2] )')).toMatchObject({ attributes: { uid: 7, sections: [{ name: 'BODY[2]', section: '2', data: null }] } });
  });

  it('an unknown response with a literal keeps it: * XFOO {3}\\r\\nabc', () => {
    const r = ok('* XFOO {3}\r\nabc\r\n');
    expect(r).toEqual({ type: 'untagged', kind: 'UNKNOWN', name: 'XFOO', text: '', literals: [{ octets: enc('abc'), binary: false, text: '' }] });
    expect(dec(imap.encodeResponse(r))).toBe('* XFOO {3}\r\nabc\r\n');
    const s = ok('* 4 XBAR a {2}\r\nxy b ~{1}\r\n\0 end\r\n');
    expect(s).toMatchObject({ number: 4, name: 'XBAR', text: 'a ', literals: [{ octets: enc('xy'), text: ' b ' }, { octets: Uint8Array.of(0), binary: true, text: ' end' }] });
    roundTrip(s);
  });
});

describe('streamed literals labelled by the grammar (issue 15)', () => {
  const stream = (wire: Uint8Array, chunks = [wire]) => {
    const p = new imap.ResponseParser({ literalThreshold: 4 });
    return chunks.flatMap((c) => p.push(c));
  };

  it('BODY[HEADER.FIELDS (A B)] is the label of its literal, in 1-byte reads too', () => {
    const wire = enc('* 5 FETCH (UID 1 BODY[HEADER.FIELDS (A B)] {10}\r\nA: 1\r\nB: 2 BODY[1]<0> {5}\r\nhello)\r\n');
    for (const items of [stream(wire), stream(wire, bytewise(wire))]) {
      const ends = items.filter((i) => i.type === 'literal-end');
      expect(ends).toEqual([
        { type: 'literal-end', seq: 5, item: 'BODY[HEADER.FIELDS (A B)]', size: 10 },
        { type: 'literal-end', seq: 5, item: 'BODY[1]<0>', size: 5 },
      ]);
    }
  });

  it('an ENVELOPE field literal carries the field name', () => {
    const items = stream(enc('* 6 FETCH (ENVELOPE (NIL {6}\r\nsubjct NIL NIL NIL NIL NIL NIL NIL NIL))\r\n'));
    expect(items.find((i) => i.type === 'literal-end')).toMatchObject({ seq: 6, item: 'ENVELOPE', field: 'subject' });
  });

  it('a "{n}" in a quoted string does not label anything: the grammar, not a regex, decides', () => {
    const items = stream(enc('* 7 FETCH (X-NOTE "BODY[] {99}" BODY[TEXT] {5}\r\nhello)\r\n'));
    expect(items.find((i) => i.type === 'literal-end')).toMatchObject({ item: 'BODY[TEXT]' });
  });
});

describe('encoder validates every field at run time (issue 15 / issue 14)', () => {
  it("a tagged status of 'OK\\r\\n* BYE' throws, as does an untagged kind or a code name with CRLF", () => {
    expect(() => imap.encodeResponse({ type: 'tagged', tag: 'A1', status: 'OK\r\n* BYE' as 'OK', code: null, text: 'x' })).toThrow(TypeError);
    expect(() => imap.encodeResponse({ type: 'untagged', kind: 'BYE\r\nA1 OK' as 'BYE', code: null, text: '' })).toThrow(TypeError);
    expect(() => imap.encodeResponse({ type: 'untagged', kind: 'OK', code: { name: 'ALERT]\r\n', raw: '' }, text: '' })).toThrow(TypeError);
    expect(() => imap.encodeResponse({ type: 'untagged', kind: 'EXISTS', number: -1 })).toThrow(RangeError);
    expect(() => imap.encodeResponse({ type: 'untagged', kind: 'FETCH', seq: 1, attributes: { sections: [{ name: 'BODY[]\r\n* BYE', section: '', origin: null, data: null }] } })).toThrow(TypeError);
  });

  it('encodeResponseFragments references literal octets, no copy', () => {
    const body = new Uint8Array(1 << 20);
    const parts = imap.encodeResponseFragments({ type: 'untagged', kind: 'FETCH', seq: 1, attributes: { sections: [{ name: 'BODY[]', section: '', origin: null, data: body }] } });
    expect(parts.includes(body)).toBe(true);
  });
});

describe('linear cost on hostile lines (issue 14: the "[" rescan)', () => {
  /** Milliseconds to parse (the fastest of 9 runs: the least disturbed by other work on the machine). */
  const cost = (line: string): number => {
    const bytes = enc(line);
    const times: number[] = [];
    for (let i = 0; i < 9; i++) {
      const t = performance.now();
      const p = new imap.ResponseParser({ maxLineLength: 8 << 20 });
      p.push(bytes);
      times.push(performance.now() - t);
    }
    return times.sort((a, b) => a - b)[0]!;
  };
  for (const [name, make] of [
    ['"* OK " + "[" x n', (n: number) => `* OK ${'['.repeat(n)}\r\n`],
    ['"* OK [" + "(" x n', (n: number) => `* OK [X ${'('.repeat(n)}\r\n`],
    ['a run of "\\"" in a FETCH', (n: number) => `* 1 FETCH (X ${'"'.repeat(n)})\r\n`],
    ['a run of "\\\\" in a quoted string', (n: number) => `* 1 FETCH (X "${'\\'.repeat(n)})\r\n`],
    ['a run of "{"', (n: number) => `* 1 FETCH (X ${'{'.repeat(n)})\r\n`],
    ['a FETCH section of "["', (n: number) => `* 1 FETCH (BODY${'['.repeat(n)} NIL)\r\n`],
  ] as const) {
    it(`${name}: 1 MiB costs 16x 64 KiB, not 256x (a generous factor: other work shares the machine)`, () => {
      cost(make(1 << 16));
      const small = Math.max(cost(make(1 << 16)), 0.5);
      const big = cost(make(1 << 20));
      expect(big / small).toBeLessThan(100); // linear: 16, quadratic: 256
    });
  }

  it('a 1 MiB FETCH line of ENVELOPEs costs about 16x a 64 KiB one (the old reader: a 1 MiB line cost 15x a 256 KiB one)', () => {
    const env = ' ENVELOPE ("Mon, 1 Jan 2024 10:00:00 +0000" "subject" (("A" NIL "a" "b.c")) NIL NIL (("B" NIL "b" "c.d")) NIL NIL NIL "<id@x>")';
    const line = (n: number) => `* 1 FETCH (UID 1${env.repeat(Math.ceil(n / env.length))})\r\n`;
    cost(line(1 << 16));
    const small = Math.max(cost(line(1 << 16)), 0.5);
    const big = cost(line(1 << 20));
    expect(big / small).toBeLessThan(100); // linear: 16, quadratic: 256
  });

  it('NUL in peer bytes never reaches an error message raw', () => {
    const r = imap.parseResponse(bin('A1 \x00OK\r\n'));
    expect(r).toBeInstanceOf(ProtocolError);
    expect((r as ProtocolError).message).not.toContain('\0');
  });
});
