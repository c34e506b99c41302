// encodeStreamedFetchStart / encodeStreamedFetchEnd (issue 15, server side of "streaming both
// ways"): the start, the octets and the end are byte for byte what encodeResponse writes for the
// same response whole, so a client cannot tell a streamed FETCH from any other.
import { describe, expect, it } from 'vitest';
import { imap } from '../../src/index';
import { concat, dec, enc } from '../helpers/bytes';

const streamed = (start: imap.StreamedFetchStart, section: string, octets: Uint8Array, after?: imap.FetchAttributes, binary?: boolean): string =>
  dec(concat([...imap.encodeStreamedFetchStart(start, { section, length: octets.length, binary }), octets, ...imap.encodeStreamedFetchEnd(after)]));

describe('encodeStreamedFetchStart + octets + encodeStreamedFetchEnd = encodeResponse of the whole', () => {
  const body = enc('From: a@example.com\r\nSubject: x\r\n\r\nhello\r\n');
  const cases: [string, imap.FetchAttributes, string, imap.FetchAttributes | undefined][] = [
    ['rfc9051 7.5.2 BODY[] alone', {}, 'BODY[]', undefined],
    ['UID, FLAGS and INTERNALDATE before, FLAGS after (a fetch that set \\Seen)', { uid: 9, rfc822Size: 44, internalDateText: '17-Jul-1996 02:44:25 -0700' }, 'BODY[]', { flags: ['\\Seen'] }],
    ['a partial section BODY[1.2]<0>', { uid: 1 }, 'BODY[1.2]<0>', undefined],
    ['RFC822 (rfc3501 7.4.2)', { uid: 1 }, 'RFC822', undefined],
  ];
  for (const [name, before, section, after] of cases) {
    it(name, () => {
      const whole = imap.encodeResponse({ type: 'untagged', kind: 'FETCH', seq: 4, attributes: { ...before, sections: [{ name: section, section: '', origin: null, data: body }], ...(after ?? {}) } });
      // encodeResponse writes FLAGS before the sections; the streamed form writes `after` after the body.
      const expected = after ? dec(imap.encodeResponse({ type: 'untagged', kind: 'FETCH', seq: 4, attributes: { ...before, sections: [{ name: section, section: '', origin: null, data: body }] } })).replace(/\)\r\n$/, ` FLAGS (${after.flags!.join(' ')}))\r\n`) : dec(whole);
      expect(streamed({ kind: 'FETCH', seq: 4, attributes: before }, section, body, after)).toBe(expected);
    });
  }

  it('rfc3516: a BINARY section is literal8 ~{n} by default, {n} with binary: false', () => {
    const octets = Uint8Array.of(1, 0, 2);
    expect(streamed({ kind: 'FETCH', seq: 1, attributes: {} }, 'BINARY[2]', octets)).toBe(dec(imap.encodeResponse({ type: 'untagged', kind: 'FETCH', seq: 1, attributes: { sections: [{ name: 'BINARY[2]', section: '2', origin: null, data: octets }] } })));
    expect(streamed({ kind: 'FETCH', seq: 1, attributes: {} }, 'BINARY[2]', enc('abc'), undefined, false)).toBe('* 1 FETCH (BINARY[2] {3}\r\nabc)\r\n');
  });

  it('items after the body may hold literals of their own', () => {
    const out = streamed({ kind: 'UIDFETCH', uid: 77, attributes: {} }, 'BODY[TEXT]', enc('t'), { sections: [{ name: 'BODY[HEADER]', section: 'HEADER', origin: null, data: enc('H: v\r\n\r\n') }] });
    expect(out).toBe('* 77 UIDFETCH (BODY[TEXT] {1}\r\nt BODY[HEADER] {8}\r\nH: v\r\n\r\n)\r\n');
    const r = imap.parseResponse(enc(out));
    expect(r).toMatchObject({ kind: 'UIDFETCH', uid: 77, attributes: { sections: [{ name: 'BODY[TEXT]' }, { name: 'BODY[HEADER]' }] } });
  });

  it('refuses what would change meaning: a bad section name, a negative or fractional length, literal8 outside BINARY', () => {
    const start: imap.StreamedFetchStart = { kind: 'FETCH', seq: 1, attributes: {} };
    expect(() => imap.encodeStreamedFetchStart(start, { section: 'BODY[]\r\n* BYE', length: 1 })).toThrow(TypeError);
    expect(() => imap.encodeStreamedFetchStart(start, { section: 'BODY[]', length: 1.5 })).toThrow(RangeError);
    expect(() => imap.encodeStreamedFetchStart(start, { section: 'BODY[]', length: -2 })).toThrow(RangeError);
    expect(() => imap.encodeStreamedFetchStart(start, { section: 'RFC822', length: 2, binary: true })).toThrow(TypeError);
    expect(() => imap.encodeStreamedFetchEnd({ other: { 'BAD NAME': 'x' } } as unknown as imap.FetchAttributes)).toThrow(TypeError);
  });
});

describe('ServerSession.beginFetch after the session closed', () => {
  it('writes nothing, like untagged(), but still checks the length', () => {
    const s = new imap.ServerSession({ preauth: true });
    s.receive(enc('A1 LOGOUT\r\n'));
    s.ok();
    s.takeOutput();
    const w = s.beginFetch({ kind: 'FETCH', seq: 1, attributes: {} }, { section: 'BODY[]', length: 2 });
    expect(() => w.write(enc('abc'))).toThrow(RangeError);
    w.write(enc('ab'));
    w.end();
    expect(s.takeOutput()).toEqual([]);
  });
});
