import { describe, expect, it } from 'vitest';
import { imap, encodeBase64, encodeUtf8 } from '../../src/index';
import { enc, dec } from '../helpers/bytes';

const out = (c: imap.ClientSession) => c.takeOutput().map(dec).join('');
const b64 = (t: string) => encodeBase64(encodeUtf8(t));

describe('IMAP AUTHENTICATE with the mechanisms the session runs itself (one SASL client for the three protocols)', () => {
  it('rfc5802 5 on the wire: SCRAM-SHA-1 without SASL-IR, the client-first answers the empty "+", the server signature is checked', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* OK [CAPABILITY IMAP4rev1 AUTH=SCRAM-SHA-1] ready\r\n'));
    c.authenticate({ mechanism: 'SCRAM-SHA-1', user: 'user', password: 'pencil', nonce: 'fyko+d2lbbFgONRv9qkxdawL' });
    expect(out(c)).toBe('A1 AUTHENTICATE SCRAM-SHA-1\r\n');
    c.receive(enc('+ \r\n'));
    expect(out(c)).toBe(`${b64('n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL')}\r\n`);
    c.receive(enc(`+ ${b64('r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096')}\r\n`));
    expect(out(c)).toBe(`${b64('c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=')}\r\n`);
    c.receive(enc(`+ ${b64('v=rmF9pqV8S7suAoZWja4dJRkFsKQ=')}\r\n`));
    expect(out(c)).toBe('\r\n');
    c.receive(enc('A1 OK SCRAM done\r\n'));
    expect(c.state).toBe('authenticated');
  });

  it('a forged server-final signature is answered with "*" (RFC 3501 6.2.2 cancel), never with the empty success line', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* OK [CAPABILITY IMAP4rev1 SASL-IR] ready\r\n'));
    c.authenticate({ mechanism: 'SCRAM-SHA-1', user: 'user', password: 'pencil', nonce: 'fyko+d2lbbFgONRv9qkxdawL' });
    expect(out(c)).toBe(`A1 AUTHENTICATE SCRAM-SHA-1 ${b64('n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL')}\r\n`);
    c.receive(enc(`+ ${b64('r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096')}\r\n`));
    out(c);
    c.receive(enc(`+ ${b64('v=AAAAAAAAAAAAAAAAAAAAAAAAAAA=')}\r\n`));
    expect(out(c)).toBe('*\r\n');
  });

  it('rfc2195 CRAM-MD5 and gmail XOAUTH2 error challenge (oauth-error event, empty response)', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* OK ready\r\n'));
    c.authenticate({ mechanism: 'CRAM-MD5', user: 'tim', password: 'tanstaaftanstaaf' });
    expect(out(c)).toBe('A1 AUTHENTICATE CRAM-MD5\r\n');
    c.receive(enc(`+ ${b64('<1896.697170952@postoffice.reston.mci.net>')}\r\n`));
    expect(out(c)).toBe(`${b64('tim b913a602c7eda7a495b4e6e7334d3890')}\r\n`);
    const g = new imap.ClientSession();
    g.receive(enc('* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2] Gimap ready\r\n'));
    g.authenticate({ mechanism: 'XOAUTH2', user: 'someuser@example.com', accessToken: 'ya29.vF9dft4' });
    out(g);
    const ev = g.receive(enc(`+ ${b64('{"status":"400","schemes":"Bearer","scope":"https://mail.google.com/"}')}\r\n`));
    expect(ev).toContainEqual(expect.objectContaining({ type: 'oauth-error', tag: 'A1', oauth: expect.objectContaining({ status: '400' }) }));
    expect(out(g)).toBe('\r\n');
  });
});
