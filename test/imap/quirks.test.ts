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
