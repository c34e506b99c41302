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

  it('("NAME" "a.pdf" NIL): an odd count ending in a NIL name; the NIL name carries nothing and is dropped', () => {
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

describe('NIL media subtype', () => {
  it('mail.ru (MailKit 226): ("" NIL () NIL NIL "7-bit" 1108 NIL NIL NIL NIL) is a single part with its encoding and size in place', () => {
    const a = fetch('* 1 FETCH (UID 894 INTERNALDATE "15-May-2015 20:40:02 +0000" ENVELOPE ("Fri, 15 May 2015 21:39:57" "=?utf-8?B?0L/RgNC40LLQtdGC?=" (("=?utf-8?B?FNoMTQ==?=" NIL "from_addr" "mail.ua")) NIL NIL ((NIL NIL "to_addr" "mail.ru")) NIL NIL NIL "<9351372141.9870933@mail.ru>") BODYSTRUCTURE (("" NIL () NIL NIL "7-bit" 1108 NIL NIL NIL NIL)("text" "html" ("charset" "utf-8") NIL NIL "7-bit" 1 0 NIL NIL NIL NIL)("text" "html" ("charset" "utf-8") NIL NIL "base64" 476 0 NIL NIL NIL NIL) "related" ("boundary" NIL)))');
    const b = a.bodyStructure as imap.MultiPart;
    expect(b.subtype).toBe('RELATED');
    expect(b.parts[0]).toMatchObject({ kind: 'single', part: '1', type: '', params: {}, id: null, description: null, encoding: '7-BIT', size: 1108, md5: null, disposition: null });
    expect(b.parts.map((p) => p.part)).toEqual(['1', '2', '3']);
    expect(a.envelope?.messageId).toBe('<9351372141.9870933@mail.ru>');
  });
});

describe('a malformed BODYSTRUCTURE inside balanced parentheses costs no other FETCH item', () => {
  it('part cut short: ("TEXT" "PLAIN" ("A") NIL) and ("IMAGE" "PNG") read with the missing fields as NIL', () => {
    const a = fetch('* 1 FETCH (UID 5 BODYSTRUCTURE (("TEXT" "PLAIN" ("CHARSET" "x") NIL NIL)("IMAGE" "PNG") "MIXED") FLAGS (\\Seen))');
    expect(a.bodyStructure).toMatchObject({ subtype: 'MIXED', parts: [{ type: 'TEXT', params: { CHARSET: 'x' }, id: null, description: null, encoding: null, size: 0 }, { type: 'IMAGE', subtype: 'PNG', encoding: null, size: 0 }] });
    expect(a.flags).toEqual(['\\Seen']);
  });

  it('2,000 random balanced lists of strings, NIL, numbers, atoms and literals as BODYSTRUCTURE: UID and FLAGS after it always read', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), (seed >> 16) % n);
    const tokens = ['"TEXT"', '"PLAIN"', 'NIL', '12', '"x"', 'atom', '""', '"MESSAGE"', '"RFC822"', '9.5e+02', '-1', '\\Seen', '{3}\r\nabc'];
    const list = (depth: number): string => {
      const items: string[] = [];
      for (let i = rnd(9); i > 0; i--) items.push(depth < 4 && rnd(4) === 0 ? list(depth + 1) : tokens[rnd(tokens.length)]!);
      return `(${items.join(' ')})`;
    };
    for (let i = 0; i < 2000; i++) {
      const body = list(0);
      const r = imap.parseResponse(bin(`* 1 FETCH (UID 5 BODYSTRUCTURE ${body} FLAGS (\\Seen))\r\n`));
      expect(r, body).not.toBeInstanceOf(ProtocolError);
      expect((r as imap.UntaggedResponse & { kind: 'FETCH' }).attributes, body).toMatchObject({ uid: 5, flags: ['\\Seen'] });
    }
  });
});
