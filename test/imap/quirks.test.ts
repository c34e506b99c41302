import { describe, expect, it } from 'vitest';
import { ProtocolError, imap } from '../../src/index';

const ok = (s: string) => {
  const r = imap.parseResponse(s);
  if (r instanceof ProtocolError) throw new Error(`${s}: ${r.message}`);
  return r;
};

describe('real-server deviations the response parser accepts', () => {
  it('status responses without text, or with a code and no space after it', () => {
    expect(ok('* OK')).toMatchObject({ kind: 'OK', code: null, text: '' });
    expect(ok('A1 OK [READ-WRITE]')).toMatchObject({ code: { name: 'READ-WRITE' }, text: '' });
    expect(ok('* BYE')).toMatchObject({ kind: 'BYE', text: '' });
    expect(ok('a1 ok done')).toMatchObject({ tag: 'a1', status: 'OK' });
  });

  it('trailing and doubled spaces (Yahoo "* SEARCH 1 2 ", Exchange "* CAPABILITY ... ")', () => {
    expect(ok('* SEARCH 1 2 ')).toMatchObject({ numbers: [1, 2] });
    expect(ok('* CAPABILITY IMAP4rev1  IDLE ')).toMatchObject({ capabilities: ['IMAP4rev1', 'IDLE'] });
    expect(ok('* 1 FETCH (UID 5  FLAGS (\\Seen) )')).toMatchObject({ attributes: { uid: 5, flags: ['\\Seen'] } });
  });

  it('iCloud/Gmail: NIL body section, empty flag list, quoted header-field names (Dovecot)', () => {
    expect(ok('* 1 FETCH (UID 1 BODY[] NIL)')).toMatchObject({ attributes: { sections: [{ name: 'BODY[]', data: null }] } });
    expect(ok('* 2 FETCH (FLAGS ())')).toMatchObject({ attributes: { flags: [] } });
    expect(ok('* 3 FETCH (BODY[HEADER.FIELDS ("Subject")] "x")')).toMatchObject({ attributes: { sections: [{ section: 'HEADER.FIELDS ("SUBJECT")' }] } });
  });

  it('INTERNALDATE with a space-padded day (RFC 3501 date-day-fixed)', () => {
    const r = ok('* 1 FETCH (INTERNALDATE " 7-Jul-1996 02:44:25 +0000")') as imap.UntaggedResponse & { kind: 'FETCH' };
    expect(r.attributes.internalDate?.toISOString()).toBe('1996-07-07T02:44:25.000Z');
    const bad = ok('* 1 FETCH (INTERNALDATE "yesterday")') as imap.UntaggedResponse & { kind: 'FETCH' };
    expect(bad.attributes.internalDate).toBeNull();
    expect(bad.attributes.internalDateText).toBe('yesterday');
  });

  it('Courier/Cyrus "." delimiter, raw UTF-8 mailbox names kept as sent when not modified UTF-7', () => {
    expect(ok('* LIST (\\HasNoChildren) "." "INBOX.Sent"')).toMatchObject({ delimiter: '.', mailbox: 'INBOX.Sent' });
    expect(ok('* LIST () "/" "Caf\u00e9"')).toMatchObject({ mailbox: 'Café' });
  });

  it('Exchange: BODYSTRUCTURE of a message/rfc822 without lines and a multipart with NIL params', () => {
    const r = ok('* 1 FETCH (BODYSTRUCTURE (("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "7BIT" 10 1 NIL NIL NIL)("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 100) "MIXED" NIL NIL NIL))') as imap.UntaggedResponse & { kind: 'FETCH' };
    const b = r.attributes.bodyStructure as imap.MultiPart;
    expect(b.parts[1]).toMatchObject({ type: 'MESSAGE', subtype: 'RFC822', size: 100, part: '2' });
    expect(b.params).toEqual({});
  });

  it('a literal inside an ENVELOPE subject (Dovecot sends literals for 8-bit or long strings)', () => {
    const subject = 'Тема письма';
    const bytes = new TextEncoder().encode(subject);
    const wire = `* 1 FETCH (ENVELOPE (NIL {${bytes.length}}\r\n${subject} NIL NIL NIL NIL NIL NIL NIL NIL))`;
    expect((ok(wire) as imap.UntaggedResponse & { kind: 'FETCH' }).attributes.envelope?.subject).toBe(subject);
  });
});

// Cases other IMAP libraries collected from real servers (facts from their issue trackers and
// fixtures; the wire lines are shortened).
describe('quirks collected by other IMAP clients', () => {
  const parse = (line: string) => {
    const r = imap.parseResponse(`${line}\r\n`);
    if (r instanceof ProtocolError) throw r;
    // Whatever was accepted must also be written back and read again to the same value.
    expect(imap.parseResponse(imap.encodeResponse(r))).toEqual(r);
    return r;
  };

  it('"* NOOP" and "* 99 NOOP" (invalid) are kept as unknown responses, number and text apart', () => {
    expect(parse('* NOOP')).toEqual({ type: 'untagged', kind: 'UNKNOWN', name: 'NOOP', text: '' });
    expect(parse('* 86 NOOP froopy snood')).toEqual({ type: 'untagged', kind: 'UNKNOWN', number: 86, name: 'NOOP', text: 'froopy snood' });
  });

  it('Exchange: "[Error=... Service=Imap4]" is not a resp-text-code, so the whole of it is text', () => {
    const r = parse('RUBY0001 OK [Error="Microsoft.Exchange.Data.Storage.WrongServerException: Cross Server access is not allowed" AuthResultFromPopImapEnd=0 Service=Imap4] AUTHENTICATE completed.');
    expect(r).toMatchObject({ type: 'tagged', status: 'OK', code: null });
    expect((r as imap.TaggedResponse).text).toMatch(/^\[Error="Microsoft.*AUTHENTICATE completed\.$/);
  });

  it('outlook.com: an extra SP between the addresses of an ENVELOPE address list', () => {
    const r = parse('* 24 FETCH (UID 60 ENVELOPE ("Mon, 24 May 2021 09:47:50 +0000" "Zoom" (("A G" NIL "ag" "o.test")) NIL NIL (("r@h.test" NIL "r" "h.test") ("s@k.test" NIL "s" "k.test")) NIL NIL NIL "<a@b.PROD.OUTLOOK.COM>"))');
    expect(r).toMatchObject({ attributes: { uid: 60, envelope: { to: [{ mailbox: 'r', host: 'h.test' }, { mailbox: 's', host: 'k.test' }] } } });
  });

  it('gmail: "[" and "]" inside keywords of a FLAGS list', () => {
    const r = imap.parseResponse('* FLAGS (\\Seen $Junk OIB-Seen-INBOX OIB-Seen-[Google Mail]/Alle Nachrichten)\r\n');
    expect(r).toMatchObject({ kind: 'FLAGS', flags: ['\\Seen', '$Junk', 'OIB-Seen-INBOX', 'OIB-Seen-[Google', 'Mail]/Alle', 'Nachrichten'] });
    expect(imap.parseResponse('* 3 FETCH (FLAGS (OIB-Seen-[Google Mail]/Alle) UID 4)\r\n')).toMatchObject({ attributes: { flags: ['OIB-Seen-[Google', 'Mail]/Alle'], uid: 4 } });
  });

  it('greenmail: "\\*" in an untagged FLAGS response', () => {
    expect(parse('* FLAGS (\\Answered \\Seen \\*)')).toMatchObject({ kind: 'FLAGS', flags: ['\\Answered', '\\Seen', '\\*'] });
  });

  it('a multipart with no parts, sent as ("MIXED")', () => {
    expect(parse('* 1038 FETCH (BODY ("MIXED"))')).toMatchObject({ attributes: { bodyStructure: { kind: 'multipart', subtype: 'MIXED', parts: [] } } });
  });

  it('MESSAGE/DELIVERY-STATUS inside MULTIPART/REPORT without lines or extension data', () => {
    const r = parse('* 4902 FETCH (BODY (("MESSAGE" "DELIVERY-STATUS" NIL NIL NIL "7BIT" 324) "REPORT"))');
    expect(r).toMatchObject({ attributes: { bodyStructure: { subtype: 'REPORT', parts: [{ part: '1', type: 'MESSAGE', subtype: 'DELIVERY-STATUS', size: 324 }] } } });
  });

  it('extension data after body-fld-loc is kept, nested lists included, and written back', () => {
    const r = parse('* 161 FETCH (BODYSTRUCTURE (("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 1152 23 "123456789abcdef" ("dsp-type" ("k" "v")) ("lang1" "lang2") "loc" "ext0" 1 (2) ((((4)))))("TEXT" "PLAIN" NIL NIL NIL "BASE64" 4554 73 NiL NIL "lang3" "loc...") "MIXED" ("ext" "mpart") NIL NIL "where" "extended release"))');
    const bs = (r as { attributes: imap.FetchAttributes }).attributes.bodyStructure as imap.MultiPart;
    const first = bs.parts[0] as imap.SinglePart;
    expect(first.location).toBe('loc');
    expect(first.extensions?.length).toBe(4);
    expect(first.extensions?.[1]).toEqual({ kind: 'number', value: 1, text: '1' });
    expect((bs.parts[1] as imap.SinglePart).md5).toBeNull();
    expect(bs.location).toBe('where');
    expect(bs.extensions?.length).toBe(1);
  });
});
