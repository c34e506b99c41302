import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ProtocolError,
  decodeBase64,
  decodeInitialResponse,
  decodeSaslPlain,
  encodeBase64,
  encodeInitialResponse,
  parseSaslClientLine,
  saslExternal,
  saslLogin,
  saslOAuthBearer,
  saslPlain,
  saslXOAuth2,
} from '../../src/core/index';
import { dec, enc } from '../helpers/bytes';

describe('base64 (RFC 4648 4)', () => {
  it('rfc4648 10 test vectors', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, b64] of vectors) {
      expect(encodeBase64(enc(plain))).toBe(b64);
      expect(dec(decodeBase64(b64)!)).toBe(plain);
    }
  });

  it('refuses malformed input', () => {
    for (const bad of ['Zg=', 'Z', 'Zm9v!', 'Z=g=', '=Zg=', 'Zm9v\r\n']) expect(decodeBase64(bad)).toBeNull();
  });

  it('accepts missing padding only when asked', () => {
    expect(decodeBase64('Zg')).toBeNull();
    expect(dec(decodeBase64('Zg', true)!)).toBe('f');
    expect(decodeBase64('Z', true)).toBeNull();
  });

  it('round trip for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        expect(decodeBase64(encodeBase64(b))).toEqual(b);
      }),
    );
  });
});

describe('SASL helpers', () => {
  it('rfc4616 PLAIN message: authzid NUL authcid NUL passwd', () => {
    expect(dec(saslPlain('tim', 'tanstaaftanstaaf'))).toBe('\0tim\0tanstaaftanstaaf');
    expect(dec(saslPlain('Kurt', 'xipj3plmq', 'Ursel'))).toBe('Ursel\0Kurt\0xipj3plmq');
    // rfc4954 4 example: AUTH PLAIN dGVzdAB0ZXN0ADEyMzQ= is "test\0test\01234"
    expect(encodeBase64(saslPlain('test', '1234', 'test'))).toBe('dGVzdAB0ZXN0ADEyMzQ=');
    expect(() => saslPlain('a\0b', 'x')).toThrow(TypeError);
  });

  it('decodes PLAIN on the server side, refusing malformed messages', () => {
    expect(decodeSaslPlain(enc('\0tim\0secret'))).toEqual({ authzid: '', authcid: 'tim', password: 'secret' });
    expect(decodeSaslPlain(enc('tim\0secret'))).toMatchObject({ code: 'SYNTAX' });
    expect(decodeSaslPlain(enc('\0\0secret'))).toMatchObject({ code: 'SYNTAX' });
    expect(decodeSaslPlain(Uint8Array.of(0, 0xff, 0, 0x61))).toMatchObject({ code: 'INVALID_ENCODING' });
  });

  it('LOGIN, XOAUTH2, OAUTHBEARER and EXTERNAL responses', () => {
    expect(saslLogin('user', 'pw').map(dec)).toEqual(['user', 'pw']);
    expect(dec(saslXOAuth2('someuser@example.com', 'ya29.vF9dft4'))).toBe(
      'user=someuser@example.com\x01auth=Bearer ya29.vF9dft4\x01\x01',
    );
    // rfc7628 4.1 example
    expect(dec(saslOAuthBearer('user@example.com', 'vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==', 'server.example.com', 143))).toBe(
      'n,a=user@example.com,\x01host=server.example.com\x01port=143\x01auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\x01\x01',
    );
    expect(saslExternal().length).toBe(0);
  });

  it('rfc4954 4: an empty initial response is "="', () => {
    expect(encodeInitialResponse(new Uint8Array(0))).toBe('=');
    expect(decodeInitialResponse('=')).toEqual(new Uint8Array(0));
    expect(dec(decodeInitialResponse('dGVzdA==') as Uint8Array)).toBe('test');
    expect((decodeInitialResponse('***') as ProtocolError).code).toBe('INVALID_ENCODING');
  });

  it('rfc4954 4: "*" cancels the exchange', () => {
    expect(parseSaslClientLine('*')).toEqual({ cancel: true });
    expect(parseSaslClientLine('')).toEqual({ cancel: false, response: new Uint8Array(0) });
    expect(parseSaslClientLine('not base64!')).toBeInstanceOf(ProtocolError);
  });
});
