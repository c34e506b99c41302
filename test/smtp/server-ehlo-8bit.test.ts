/**
 * RFC 5321 4.1.1.1 / 4.1.2: the EHLO/HELO argument is a Domain (letters, digits, hyphens) or an
 * address literal: ASCII. RFC 6531 3.7.1: SMTPUTF8 is not known before the EHLO reply, so an
 * SMTPUTF8-aware client MUST send only LDH labels or A-labels in EHLO, never U-labels. An octet
 * >= 0x80 there is a SYNTAX error, answered 501 by the server.
 */
import { describe, expect, it } from 'vitest';
import { smtp, ProtocolError } from '../../src/index';
import { bin, dec } from '../helpers/bytes';

const out = (s: smtp.ServerSession) => s.takeOutput().map(dec).join('');

describe('rfc6531 3.7.1: no U-label and no 8-bit octet in EHLO/HELO', () => {
  for (const [what, wire] of [
    ['a U-label', 'EHLO caf\xC3\xA9.example\r\n'],
    ['0xFF (not UTF-8)', 'EHLO \xFF\r\n'],
    ['HELO with a U-label', 'HELO caf\xC3\xA9.example\r\n'],
    ['LHLO with 0xFF', 'LHLO \xFF\r\n'],
  ] as const) {
    it(`${what}: ${JSON.stringify(wire)} is a SYNTAX error, the server answers 501, the session still waits for a greeting`, () => {
      const s = new smtp.ServerSession({ domain: 'mx.example', lmtp: wire.startsWith('LHLO') });
      s.takeOutput();
      const ev = s.receive(bin(wire));
      expect(ev.filter((e) => e.type === 'error').map((e) => (e.type === 'error' ? e.error.code : ''))).toEqual(['SYNTAX']);
      expect(ev.some((e) => e.type === 'command')).toBe(false);
      expect(out(s)).toMatch(/^501 5\.5\.4 /);
    });
  }

  it('parseCommand: offset of the first 8-bit octet; lenient accepts valid UTF-8 only', () => {
    const e = smtp.parseCommand(bin('EHLO caf\xC3\xA9.example'));
    expect(e).toBeInstanceOf(ProtocolError);
    expect(e).toMatchObject({ code: 'SYNTAX', offset: 8 });
    expect(smtp.parseCommand(bin('EHLO caf\xC3\xA9.example'), { lenient: true })).toEqual({ verb: 'EHLO', domain: 'café.example' });
    expect(smtp.parseCommand(bin('EHLO \xFF'), { lenient: true })).toMatchObject({ code: 'SYNTAX', offset: 5 });
    expect(smtp.parseCommand(bin('EHLO xn--caf-dma.example'))).toEqual({ verb: 'EHLO', domain: 'xn--caf-dma.example' });
  });

  it('the encoder and the client refuse a U-label domain (TypeError): the A-label goes on the wire', () => {
    expect(() => smtp.encodeCommand({ verb: 'EHLO', domain: 'café.example' })).toThrow(TypeError);
    expect(() => new smtp.ClientSession({ domain: 'café.example' })).toThrow(/A-label/);
    expect(smtp.encodeCommand({ verb: 'EHLO', domain: 'xn--caf-dma.example' })).toBe('EHLO xn--caf-dma.example\r\n');
  });
});
