/**
 * Named BODYSTRUCTURE leniencies (docs/imap.md, "Named leniencies"), each on the bytes of the
 * report that named it; the fixtures in test/fixtures/imap/body-quirks.json replay the same
 * responses whole and split.
 */
import { describe, expect, it } from 'vitest';
import { imap } from '../../src/index';
import { ProtocolError } from '../../src/core/errors';
import { bin } from '../helpers/bytes';

const fetch = (wire: string) => {
  const r = imap.parseResponse(bin(`${wire}\r\n`));
  if (r instanceof ProtocolError) throw r;
  return (r as imap.UntaggedResponse & { kind: 'FETCH' }).attributes;
};

describe('parameter without a value (odd body-fld-param count)', () => {
  it('("CHARSET"): the name kept with an empty value, the FETCH items around it kept', () => {
    const a = fetch('* 7 FETCH (UID 41 BODYSTRUCTURE ("TEXT" "PLAIN" ("CHARSET") NIL NIL "7BIT" 1152 23) FLAGS (\\Seen))');
    expect(a.uid).toBe(41);
    expect(a.flags).toEqual(['\\Seen']);
    expect(a.bodyStructure).toMatchObject({ type: 'TEXT', subtype: 'PLAIN', params: { CHARSET: '' }, id: null, description: null, encoding: '7BIT', size: 1152, lines: 23 });
  });

  it('the lone last name of three, and in a disposition: ("CHARSET" "utf-8" "FORMAT"), ("attachment" ("filename"))', () => {
    const a = fetch('* 8 FETCH (BODYSTRUCTURE ("TEXT" "PLAIN" ("CHARSET" "utf-8" "FORMAT") NIL NIL "7BIT" 10 1 NIL ("attachment" ("filename")) NIL NIL) UID 42)');
    expect(a.bodyStructure).toMatchObject({ params: { CHARSET: 'utf-8', FORMAT: '' }, size: 10, lines: 1, disposition: { type: 'ATTACHMENT', params: { FILENAME: '' } }, language: null, location: null });
    expect(a.uid).toBe(42);
  });

  it('exchange ("name" "value" NIL): the trailing NIL name carries nothing and is dropped', () => {
    const a = fetch('* 9 FETCH (BODYSTRUCTURE ("APPLICATION" "PDF" ("NAME" "a.pdf" NIL) NIL NIL "BASE64" 10) UID 43)');
    expect(a.bodyStructure).toMatchObject({ params: { NAME: 'a.pdf' }, encoding: 'BASE64', size: 10 });
    expect(a.uid).toBe(43);
  });
});

describe('NIL media type on a part-less multipart', () => {
  it('MailKit 1393: (NIL "alternative" ("boundary" ...) NIL NIL NIL) as the body of a MESSAGE/RFC822 is MULTIPART/ALTERNATIVE with no parts', () => {
    const a = fetch('* 1 FETCH (UID 9 BODYSTRUCTURE (("text" "plain" ("charset" "utf-8") NIL NIL "7bit" 727 16 NIL NIL NIL NIL)("message" "delivery-status" ("name" "Delivery status") NIL NIL "7bit" 416 NIL NIL NIL NIL)("message" "rfc822" ("name" "Message headers") NIL NIL "7bit" 903 ("Mon, 17 Nov 2014 13:29:21 +0100" "Re: Adresy" (("username" NIL "e.username" "example.com")) (("username" NIL "e.username" "example.com")) (("username" NIL "e.username" "example.com")) (("=?utf-8?Q?Justyna?=" NIL "salesde" "some-company.eu")) ((NIL NIL "saleseu" "some-company.eu")("Bogdan" NIL "bogdan" "some-company.eu")) NIL "<004901d00260$35405970$9fc10c50$@some-company.eu>" "<D6173425-9D71-4D78-8C3C-1CEB03BCB4D0@example.com>") (NIL "alternative" ("boundary" "Apple-Mail=_352FCEEC-EB15-428F-9D8B-D3B4259DD646") NIL NIL NIL) 17 NIL NIL NIL NIL) "report" ("report-type" "delivery-status" "boundary" "_e0d7475d888f9882b71de053e5efb221_idea") NIL NIL NIL))');
    const msg = (a.bodyStructure as imap.MultiPart).parts[2] as imap.SinglePart;
    expect(msg).toMatchObject({ type: 'MESSAGE', subtype: 'RFC822', size: 903, lines: 17, envelope: { subject: 'Re: Adresy' } });
    expect(msg.body).toEqual({ kind: 'multipart', part: '3', subtype: 'ALTERNATIVE', parts: [], params: { BOUNDARY: 'Apple-Mail=_352FCEEC-EB15-428F-9D8B-D3B4259DD646' }, disposition: null, language: null, location: null });
  });

  it('a NIL media type before real body-fields stays a single part (size and encoding in place)', () => {
    const a = fetch('* 2 FETCH (BODYSTRUCTURE (NIL "PDF" NIL NIL NIL "BASE64" 10))');
    expect(a.bodyStructure).toMatchObject({ kind: 'single', subtype: 'PDF', encoding: 'BASE64', size: 10 });
  });
});

describe('number in floating-point notation', () => {
  it('mail.ru (MailKit 1838): a size of 9.3736e+06 reads as 9373600, not 0', () => {
    const a = fetch('* 3 FETCH (UID 11 BODYSTRUCTURE ("application" "pdf" ("name" "a.pdf") NIL NIL "base64" 9.3736e+06 NIL ("attachment" ("filename" "a.pdf")) NIL NIL) FLAGS ())');
    expect(a.bodyStructure).toMatchObject({ type: 'APPLICATION', subtype: 'PDF', size: 9373600, disposition: { type: 'ATTACHMENT', params: { FILENAME: 'a.pdf' } } });
  });

  it('what is not a number stays 0: 1.2.3, 1e+999', () => {
    expect(fetch('* 4 FETCH (BODYSTRUCTURE ("TEXT" "PLAIN" NIL NIL NIL "BASE64" 1.2.3 1e+999))').bodyStructure).toMatchObject({ size: 0, lines: 0 });
  });
});
