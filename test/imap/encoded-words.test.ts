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
