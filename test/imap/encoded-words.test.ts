import { describe, expect, it } from 'vitest';
import { imap } from '../../src/index';

describe('rfc2047 encoded words in ENVELOPE subjects and names', () => {
  it('rfc2047 8 examples', () => {
    expect(imap.decodeEncodedWords('=?US-ASCII?Q?Keith_Moore?=')).toBe('Keith Moore');
    expect(imap.decodeEncodedWords('=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?=')).toBe('Keld Jørn Simonsen');
    expect(imap.decodeEncodedWords('=?ISO-8859-1?Q?Andr=E9?= Pirard')).toBe('André Pirard');
    expect(imap.decodeEncodedWords('=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?= =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=')).toBe(
      'If you can read this you understand the example.',
    );
    expect(imap.decodeEncodedWords('(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)')).toBe('(ab)');
    expect(imap.decodeEncodedWords('(=?ISO-8859-1?Q?a?= b)')).toBe('(a b)');
  });

  it('UTF-8, KOI8-R and Windows-1251 (the seed notes are Russian)', () => {
    expect(imap.decodeEncodedWords('=?UTF-8?B?0J/RgNC40LLQtdGC?=')).toBe('Привет');
    expect(imap.decodeEncodedWords('=?KOI8-R?B?8NLJ18XU?=')).toBe('Привет');
    expect(imap.decodeEncodedWords('=?windows-1251?Q?=CF=F0=E8=E2=E5=F2?=')).toBe('Привет');
  });

  it('unknown charsets and broken words stay as sent', () => {
    expect(imap.decodeEncodedWords('=?X-NOPE?Q?abc?=')).toBe('=?X-NOPE?Q?abc?=');
    expect(imap.decodeEncodedWords('=?UTF-8?Q?bad=Z?=')).toBe('=?UTF-8?Q?bad=Z?=');
    expect(imap.decodeEncodedWords('plain text')).toBe('plain text');
  });
});

describe('resolveAddresses', () => {
  it('rfc3501 7.4.2 groups and encoded display names', () => {
    const list: imap.Address[] = [
      { name: '=?UTF-8?Q?J=C3=B6rg?=', adl: null, mailbox: 'joerg', host: 'example.de' },
      { name: null, adl: null, mailbox: 'undisclosed-recipients', host: null },
      { name: null, adl: null, mailbox: 'a', host: 'b.example' },
      { name: null, adl: null, mailbox: null, host: null },
    ];
    expect(imap.resolveAddresses(list)).toEqual([
      { name: 'Jörg', address: 'joerg@example.de' },
      { group: 'undisclosed-recipients', members: [{ name: null, address: 'a@b.example' }] },
    ]);
  });
});

describe('rfc2047 6.2 adjacent encoded words and rfc2231 parameters (issue 15)', () => {
  it('a character split across two adjacent words joins before decoding: =?UTF-8?Q?=C3?= =?UTF-8?Q?=A9?=', () => {
    expect(imap.decodeEncodedWords('=?UTF-8?Q?=C3?= =?UTF-8?Q?=A9?=')).toBe('é');
    expect(imap.decodeEncodedWords('Re: =?UTF-8?B?w6k=?=\r\n =?UTF-8?Q?t=C3?=\t=?utf-8?Q?=A9_ok?= end')).toBe('Re: été ok end');
    // Different charsets are decoded apart; plain text between words is kept.
    expect(imap.decodeEncodedWords('=?ISO-8859-1?Q?=E9?= =?UTF-8?Q?=C3=A9?=')).toBe('éé');
    expect(imap.decodeEncodedWords('=?UTF-8?Q?a?= b =?UTF-8?Q?c?=')).toBe('a b c');
    expect(imap.decodeEncodedWords('=?X-UNKNOWN?Q?a?= =?UTF-8?Q?b?=')).toBe('=?X-UNKNOWN?Q?a?= b');
  });

  it("rfc2231 continuations and charsets: FILENAME*0*=utf-8''... FILENAME*1*=...", () => {
    expect(imap.decodeParameters({ 'FILENAME*0*': "utf-8''G%C3%B6r", 'FILENAME*1*': '%C3%BCnt%C3%BC1.pdf' })).toEqual({ FILENAME: 'Görüntü1.pdf' });
    expect(imap.decodeParameters({ 'NAME*': "iso-8859-1'de'G%F6r.txt", CHARSET: 'x' })).toEqual({ NAME: 'Gör.txt', CHARSET: 'x' });
    expect(imap.decodeParameters({ 'TITLE*1': ' world', 'TITLE*0': 'hello' })).toEqual({ TITLE: 'hello world' });
    expect(imap.decodeParameters({ FILENAME: 'plain.txt', 'FILENAME*': "utf-8''%E2%82%AC.txt" })).toEqual({ FILENAME: '€.txt' });
  });

  it('rfc2231 from a real BODYSTRUCTURE', () => {
    const r = imap.parseResponse('* 1 FETCH (BODYSTRUCTURE ("APPLICATION" "PDF" NIL NIL NIL "BASE64" 10 NIL ("ATTACHMENT" ("FILENAME*0*" "utf-8\'\'%E2%82%AC" "FILENAME*1" " rates.pdf")) NIL NIL))') as imap.UntaggedResponse & { kind: 'FETCH' };
    const b = r.attributes.bodyStructure as imap.SinglePart;
    expect(imap.decodeParameters(b.disposition!.params)).toEqual({ FILENAME: '€ rates.pdf' });
  });
});
