/**
 * RFC 6152 3 / RFC 5321 2.4: without BODY=8BITMIME (or BINARYMIME, or SMTPUTF8: RFC 6531 3.6)
 * on MAIL the server agreed to 7-bit text only. A body octet >= 0x80 written after a 7-bit MAIL
 * is the application's mistake: writeBody() throws a RangeError and writes nothing of the chunk.
 */
import { describe, expect, it } from 'vitest';
import { smtp } from '../../src/index';
import { bin, concat, dec, enc } from '../helpers/bytes';

const out = (c: smtp.ClientSession) => dec(concat(c.takeOutput()));

function ready(ehlo: string): smtp.ClientSession {
  const c = new smtp.ClientSession({ domain: 'client.example' });
  c.receive(enc('220 mx.example ESMTP\r\n'));
  c.receive(enc(ehlo));
  out(c);
  return c;
}

describe('rfc6152 3: an 8-bit body needs BODY=8BITMIME on MAIL', () => {
  it('"Subject: caf\\xC3\\xA9" after a 7-bit MAIL: RangeError, nothing of the chunk written', () => {
    const c = ready('250-mx.example\r\n250 8BITMIME\r\n');
    c.sendMail({ from: 'a@b.example', to: ['c@d.example'] });
    expect(out(c)).toBe('MAIL FROM:<a@b.example>\r\n');
    c.receive(enc('250 ok\r\n'));
    c.receive(enc('250 ok\r\n'));
    c.receive(enc('354 go ahead\r\n'));
    expect(out(c)).toBe('RCPT TO:<c@d.example>\r\nDATA\r\n');
    c.writeBody(enc('From: a@b.example\r\n'));
    expect(() => c.writeBody(bin('Subject: caf\xC3\xA9\r\n'))).toThrow(RangeError);
    expect(dec(concat(c.takeOutput()))).toBe('From: a@b.example\r\n');
    // The transaction goes on with 7-bit text.
    c.writeBody(enc('\r\nhi\r\n'));
    c.endBody();
    expect(out(c)).toBe('\r\nhi\r\n.\r\n');
  });

  it('a single 0x80 octet held before the 354 is refused the same way', () => {
    const c = ready('250 mx.example\r\n');
    c.sendMail({ from: 'a@b.example', to: ['c@d.example'] });
    expect(() => c.writeBody(bin('\x80'))).toThrow(/8BITMIME/);
  });

  it("body: '8BITMIME' declares it; the octets go out as they are", () => {
    const c = ready('250-mx.example\r\n250 8BITMIME\r\n');
    c.sendMail({ from: 'a@b.example', to: ['c@d.example'], body: '8BITMIME' });
    expect(out(c)).toBe('MAIL FROM:<a@b.example> BODY=8BITMIME\r\n');
    c.receive(enc('250 ok\r\n'));
    c.receive(enc('250 ok\r\n'));
    c.receive(enc('354 go ahead\r\n'));
    out(c);
    c.writeBody(bin('Subject: caf\xC3\xA9\r\n'));
    c.endBody();
    expect(concat(c.takeOutput())).toEqual(bin('Subject: caf\xC3\xA9\r\n.\r\n'));
  });

  it('rfc6531 3.6: SMTPUTF8 on MAIL allows 8-bit octets too', () => {
    const c = ready('250-mx.example\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n');
    c.sendMail({ from: 'a@b.example', to: ['c@d.example'], smtputf8: true });
    expect(out(c)).toBe('MAIL FROM:<a@b.example> SMTPUTF8\r\n');
    expect(() => c.writeBody(bin('Subject: caf\xC3\xA9\r\n'))).not.toThrow();
  });

  it('rfc3030 3: BODY=BINARYMIME with BDAT allows any octet', () => {
    const c = new smtp.ClientSession({ domain: 'client.example', chunking: true });
    c.receive(enc('220 mx.example ESMTP\r\n'));
    c.receive(enc('250-mx.example\r\n250-CHUNKING\r\n250 BINARYMIME\r\n'));
    out(c);
    c.sendMail({ from: 'a@b.example', to: ['c@d.example'], mailParams: [{ keyword: 'BODY', value: 'BINARYMIME' }] });
    expect(() => c.writeBody(bin('\xFF\x00\xFE'))).not.toThrow();
  });
});
