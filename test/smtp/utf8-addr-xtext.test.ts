import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { smtp, ProtocolError } from '../../src/index';

describe('rfc6533 3: ORCPT=utf-8;utf-8-addr-xtext', () => {
  it('decodes \\x{HEX} escapes of non-ASCII characters and of the xtext specials', () => {
    expect(smtp.decodeUtf8AddrXtext('j\\x{F6}rg@b\\x{FC}cher.example')).toBe('jörg@bücher.example');
    expect(smtp.decodeUtf8AddrXtext('\\x{8D77}\\x{4E1C}@\\x{1F600}.example')).toBe('起东@😀.example');
    expect(smtp.decodeUtf8AddrXtext('a\\x{2B}b\\x{3D}c\\x{5C}d\\x{20}e@x')).toBe('a+b=c\\d e@x');
    expect(smtp.decodeUtf8AddrXtext('jörg@bücher.example')).toBe('jörg@bücher.example'); // utf-8-addr-unitext
  });

  it('refuses controls (a line break would reach a DSN header), bad escapes, leading zeros, surrogates and raw "+", "=", SP', () => {
    for (const bad of ['a\\x{D}\\x{A}b@c', 'a\\x{0D}\\x{0A}b@c', 'a\\x{00}@c', 'a\\x{7F}@c', 'a\\x{00E9}@c', 'a\\x{D800}@c', 'a\\x{110000}@c', 'a\\x{}@c', 'a\\x{E9@c', 'a\\y@c', 'a+b@c', 'a=b@c', 'a b@c', '']) {
      expect(smtp.decodeUtf8AddrXtext(bad), bad).toBeInstanceOf(ProtocolError);
    }
  });

  it('round-trips through the encoder, in the 7-bit form and the unitext form', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((s) => !/[\0-\x1f\x7f-\x9f\u2028\u2029\ufffd]/.test(s)), fc.boolean(), (address, unitext) => {
        const wire = smtp.encodeUtf8AddrXtext(address, unitext);
        if (!unitext) expect(wire).toMatch(/^[\x21-\x7e]+$/);
        expect(smtp.decodeUtf8AddrXtext(wire)).toBe(address);
      }),
    );
    expect(smtp.encodeUtf8AddrXtext('jörg@bücher.example')).toBe('j\\x{F6}rg@b\\x{FC}cher.example');
    expect(() => smtp.encodeUtf8AddrXtext('a\r\nb@c')).toThrow(TypeError);
  });

  it('RCPT TO ... ORCPT=utf-8;... reads the address; the server refuses an escaped line break with 501 5.5.4', () => {
    const cmd = smtp.parseCommand('RCPT TO:<j@x.example> ORCPT=utf-8;j\\x{F6}rg@b\\x{FC}cher.example NOTIFY=FAILURE');
    if (cmd instanceof ProtocolError || cmd.verb !== 'RCPT') throw new Error('not a RCPT');
    expect(smtp.readRcptParameters(cmd.params)).toMatchObject({ orcpt: { type: 'UTF-8', address: 'jörg@bücher.example' } });
    const s = new smtp.ServerSession({ domain: 'mx.example' });
    const handle = (events: smtp.ServerEvent[]): void => {
      for (const e of events) if (e.type === 'command') handle(s.accept());
    };
    s.takeOutput();
    handle(s.receive(new TextEncoder().encode('EHLO c.example\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<j@x.example> ORCPT=utf-8;a\\x{D}\\x{A}Bcc:evil@x\r\n')));
    const lines = s.takeOutput().map((b) => new TextDecoder().decode(b)).join('').split('\r\n');
    expect(lines).toContain('501 5.5.4 Invalid RCPT parameters');
  });
});
