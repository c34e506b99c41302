import { describe, expect, it } from 'vitest';
import {
  MD5,
  SHA1,
  SHA256,
  ProtocolError,
  ScramClient,
  ScramServer,
  decodeBase64,
  decodeCramMd5,
  decodeSaslLogin,
  decodeSaslPlain,
  encodeUtf8,
  hmac,
  pbkdf2Block,
  saslAnonymous,
  saslCramMd5,
  saslPrep,
  scramCredentials,
  toHex,
  verifyCramMd5,
  verifySaslPlain,
} from '../../src/index';

const text = (b: Uint8Array | ProtocolError): string => {
  if (b instanceof ProtocolError) throw b;
  return new TextDecoder().decode(b);
};
const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)!.map((h) => parseInt(h, 16)));

describe('digests (FIPS 180-4, RFC 1321, RFC 2202, RFC 4231, RFC 6070 vectors)', () => {
  it('MD5, SHA-1, SHA-256 of "abc" and of the empty string and of 1,000,000 "a"', () => {
    expect(toHex(MD5.digest(encodeUtf8('abc')))).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(toHex(MD5.digest(new Uint8Array(0)))).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(toHex(SHA1.digest(encodeUtf8('abc')))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(toHex(SHA1.digest(encodeUtf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe('84983e441c3bd26ebaae4aa1f95129e5e54670f1');
    expect(toHex(SHA256.digest(encodeUtf8('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHex(SHA256.digest(new Uint8Array(0)))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(SHA256.digest(new Uint8Array(1_000_000).fill(0x61)))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('HMAC: RFC 2202 test case 2 (MD5, SHA-1) and RFC 4231 test cases 2 and 6 (SHA-256, key longer than a block)', () => {
    const key = encodeUtf8('Jefe');
    const data = encodeUtf8('what do ya want for nothing?');
    expect(toHex(hmac(MD5, key, data))).toBe('750c783e6ab0b503eaa86e310a5db738');
    expect(toHex(hmac(SHA1, key, data))).toBe('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79');
    expect(toHex(hmac(SHA256, key, data))).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    const longKey = new Uint8Array(131).fill(0xaa);
    expect(toHex(hmac(SHA256, longKey, encodeUtf8('Test Using Larger Than Block-Size Key - Hash Key First')))).toBe('60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54');
  });

  it('PBKDF2-HMAC-SHA1: RFC 6070 (1, 2 and 4096 iterations)', () => {
    const p = encodeUtf8('password');
    const s = encodeUtf8('salt');
    expect(toHex(pbkdf2Block(SHA1, p, s, 1))).toBe('0c60c80f961f0e71f3a9b524af6012062fe037a6');
    expect(toHex(pbkdf2Block(SHA1, p, s, 2))).toBe('ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957');
    expect(toHex(pbkdf2Block(SHA1, p, s, 4096))).toBe('4b007901b765489abead49d926f721d065a429c1');
    expect(() => pbkdf2Block(SHA1, p, s, 0)).toThrow(RangeError);
  });
});

describe('SASLprep (RFC 4013 3 examples)', () => {
  it('maps, normalises and refuses as the RFC table says', () => {
    expect(saslPrep('I\u00ADX')).toBe('IX');
    expect(saslPrep('user')).toBe('user');
    expect(saslPrep('USER')).toBe('USER');
    expect(saslPrep('\u00AA')).toBe('a');
    expect(saslPrep('\u2168')).toBe('IX');
    expect(saslPrep('\u0007')).toBeInstanceOf(ProtocolError);
    expect(saslPrep('\u0627\u0031')).toBeInstanceOf(ProtocolError);
  });

  it('maps non-ASCII space to SPACE; refuses private use, lone surrogates and mixed-direction strings', () => {
    expect(saslPrep('a\u00A0b')).toBe('a b');
    expect(saslPrep('\uE000')).toBeInstanceOf(ProtocolError);
    expect(saslPrep('a\uD800')).toBeInstanceOf(ProtocolError);
    expect(saslPrep('\u0627a\u0628')).toBeInstanceOf(ProtocolError);
    expect(saslPrep('\u0627\u0031\u0628')).toBe('\u0627\u0031\u0628');
    expect(saslPrep('\u{10FFFF}')).toBeInstanceOf(ProtocolError);
  });
});

describe('CRAM-MD5 (RFC 2195 2)', () => {
  const challenge = encodeUtf8('<1896.697170952@postoffice.reston.mci.net>');
  it('client answer of the RFC example', () => {
    expect(text(saslCramMd5('tim', 'tanstaaftanstaaf', challenge))).toBe('tim b913a602c7eda7a495b4e6e7334d3890');
  });
  it('server reads and verifies it; a wrong password or a malformed answer fails', () => {
    const r = decodeCramMd5(encodeUtf8('tim b913a602c7eda7a495b4e6e7334d3890'));
    if (r instanceof ProtocolError) throw r;
    expect(r.user).toBe('tim');
    expect(verifyCramMd5(r, challenge, 'tanstaaftanstaaf')).toBe(true);
    expect(verifyCramMd5(r, challenge, 'tanstaaf')).toBe(false);
    expect(decodeCramMd5(encodeUtf8('tim b913a602'))).toBeInstanceOf(ProtocolError);
    expect(decodeCramMd5(encodeUtf8('b913a602c7eda7a495b4e6e7334d3890'))).toBeInstanceOf(ProtocolError);
  });
});

describe('SCRAM (RFC 5802 5, RFC 7677 3 examples)', () => {
  it('rfc5802 5: SCRAM-SHA-1 exchange, user "user", password "pencil"', () => {
    const c = new ScramClient({ mechanism: 'SCRAM-SHA-1', username: 'user', password: 'pencil', nonce: 'fyko+d2lbbFgONRv9qkxdawL' });
    expect(text(c.first())).toBe('n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL');
    const final = c.respond(encodeUtf8('r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096'));
    expect(text(final)).toBe('c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=');
    expect(c.verified).toBe(false);
    expect(text(c.respond(encodeUtf8('v=rmF9pqV8S7suAoZWja4dJRkFsKQ=')))).toBe('');
    expect(c.verified).toBe(true);
  });

  it('rfc7677 3: SCRAM-SHA-256 exchange', () => {
    const c = new ScramClient({ mechanism: 'SCRAM-SHA-256', username: 'user', password: 'pencil', nonce: 'rOprNGfwEbeRWgbNEkqO' });
    expect(text(c.first())).toBe('n,,n=user,r=rOprNGfwEbeRWgbNEkqO');
    const final = c.respond(encodeUtf8('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096'));
    expect(text(final)).toBe('c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=');
    expect(text(c.respond(encodeUtf8('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=')))).toBe('');
    expect(c.verified).toBe(true);
  });

  it('a server signature that does not match, a foreign nonce, a server error or a huge iteration count fails the exchange', () => {
    const mk = () => new ScramClient({ mechanism: 'SCRAM-SHA-1', username: 'user', password: 'pencil', nonce: 'fyko+d2lbbFgONRv9qkxdawL' });
    const serverFirst = encodeUtf8('r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096');
    let c = mk();
    c.first();
    c.respond(serverFirst);
    const bad = c.respond(encodeUtf8('v=AAAAAAAAAAAAAAAAAAAAAAAAAAA='));
    expect(bad).toBeInstanceOf(ProtocolError);
    expect((bad as ProtocolError).code).toBe('AUTH_FAILED');
    expect(c.verified).toBe(false);
    c = mk();
    c.first();
    expect(c.respond(encodeUtf8('r=someoneelse,s=QSXCR+Q6sek8bf92,i=4096'))).toBeInstanceOf(ProtocolError);
    c = mk();
    c.first();
    expect((c.respond(encodeUtf8('r=fyko+d2lbbFgONRv9qkxdawLx,s=QSXCR+Q6sek8bf92,i=4000000000')) as ProtocolError).code).toBe('TOO_MANY');
    c = mk();
    c.first();
    c.respond(serverFirst);
    expect(c.respond(encodeUtf8('e=invalid-proof'))).toBeInstanceOf(ProtocolError);
  });

  it('-PLUS: the channel binding data goes into c= and the server checks it', () => {
    const channelBinding = { type: 'tls-exporter', data: hex('00112233445566778899aabbccddeeff') };
    const creds = scramCredentials('SCRAM-SHA-256-PLUS', 'pencil', encodeUtf8('salt-of-sixteen!'), 4096);
    const server = new ScramServer({ mechanism: 'SCRAM-SHA-256-PLUS', lookup: (u) => (u === 'user' ? creds : null), channelBinding, nonce: 'srv' });
    const client = new ScramClient({ mechanism: 'SCRAM-SHA-256-PLUS', username: 'user', password: 'pencil', channelBinding, nonce: 'cli' });
    const first = client.first();
    expect(text(first)).toBe('p=tls-exporter,,n=user,r=cli');
    const final = client.respond(server.start(first) as Uint8Array) as Uint8Array;
    const c = /c=([^,]+)/.exec(text(final))![1]!;
    expect(toHex(decodeBase64(c)!)).toBe(toHex(encodeUtf8('p=tls-exporter,,')) + '00112233445566778899aabbccddeeff');
    const result = server.finish(final);
    if (result instanceof ProtocolError) throw result;
    expect(result.username).toBe('user');
    expect(text(client.respond(result.serverFinal))).toBe('');
    expect(client.verified).toBe(true);
    // Another channel (a MITM relaying the exchange) gives other binding data: refused.
    const other = new ScramServer({ mechanism: 'SCRAM-SHA-256-PLUS', lookup: () => creds, channelBinding: { type: 'tls-exporter', data: new Uint8Array(16) }, nonce: 'srv' });
    const client2 = new ScramClient({ mechanism: 'SCRAM-SHA-256-PLUS', username: 'user', password: 'pencil', channelBinding, nonce: 'cli' });
    const final2 = client2.respond(other.start(client2.first()) as Uint8Array) as Uint8Array;
    expect((other.finish(final2) as ProtocolError).code).toBe('AUTH_FAILED');
  });

  it('server: a wrong password, a "y" flag against a -PLUS server, an unknown user fail; a name with "," and "=" round-trips', () => {
    const creds = scramCredentials('SCRAM-SHA-1', 'pencil', encodeUtf8('0123456789abcdef'), 4096);
    const lookup = (u: string) => (u === 'a,b=c' ? creds : null);
    const server = new ScramServer({ mechanism: 'SCRAM-SHA-1', lookup, nonce: 'S' });
    const good = new ScramClient({ mechanism: 'SCRAM-SHA-1', username: 'a,b=c', password: 'pencil', nonce: 'C' });
    expect(text(good.first())).toBe('n,,n=a=2Cb=3Dc,r=C');
    const r = server.finish(good.respond(server.start(good.first()) as Uint8Array) as Uint8Array);
    expect(r).not.toBeInstanceOf(ProtocolError);
    const wrong = new ScramClient({ mechanism: 'SCRAM-SHA-1', username: 'a,b=c', password: 'pen', nonce: 'C' });
    const s2 = new ScramServer({ mechanism: 'SCRAM-SHA-1', lookup, nonce: 'S' });
    expect((s2.finish(wrong.respond(s2.start(wrong.first()) as Uint8Array) as Uint8Array) as ProtocolError).code).toBe('AUTH_FAILED');
    const s3 = new ScramServer({ mechanism: 'SCRAM-SHA-1', lookup, offersPlus: true });
    expect(s3.start(encodeUtf8('y,,n=a=2Cb=3Dc,r=C'))).toBeInstanceOf(ProtocolError);
    expect(new ScramServer({ mechanism: 'SCRAM-SHA-1', lookup }).start(encodeUtf8('n,,n=nobody,r=C'))).toBeInstanceOf(ProtocolError);
    expect(new ScramServer({ mechanism: 'SCRAM-SHA-1', lookup }).start(encodeUtf8('garbage'))).toBeInstanceOf(ProtocolError);
  });

  it('refuses a -PLUS mechanism without binding data, and binding data on a plain mechanism', () => {
    expect(() => new ScramClient({ mechanism: 'SCRAM-SHA-1-PLUS', username: 'u', password: 'p', nonce: 'n' })).toThrow(TypeError);
    expect(() => new ScramClient({ mechanism: 'SCRAM-SHA-1', username: 'u', password: 'p', nonce: 'n', channelBinding: { type: 'tls-unique', data: new Uint8Array(1) } })).toThrow(TypeError);
  });
});

describe('PLAIN, LOGIN and ANONYMOUS server helpers', () => {
  it('rfc4616 2: PLAIN with and without authzid; malformed messages are ProtocolErrors', () => {
    expect(decodeSaslPlain(encodeUtf8('\0tim\0tanstaaftanstaaf'))).toEqual({ authzid: '', authcid: 'tim', password: 'tanstaaftanstaaf' });
    expect(decodeSaslPlain(encodeUtf8('Ursel\0Kurt\0xipj3plmq'))).toEqual({ authzid: 'Ursel', authcid: 'Kurt', password: 'xipj3plmq' });
    expect(decodeSaslPlain(encodeUtf8('\0\0x'))).toBeInstanceOf(ProtocolError);
    expect(decodeSaslPlain(Uint8Array.of(0, 0xff, 0, 0x61))).toBeInstanceOf(ProtocolError);
    const check = (u: string) => (u === 'tim' ? 'tanstaaftanstaaf' : null);
    expect(verifySaslPlain(encodeUtf8('\0tim\0tanstaaftanstaaf'), check)).not.toBeInstanceOf(ProtocolError);
    expect(verifySaslPlain(encodeUtf8('\0tim\0tanstaaf'), check)).toBeInstanceOf(ProtocolError);
    expect(verifySaslPlain(encodeUtf8('\0bob\0tanstaaftanstaaf'), check)).toBeInstanceOf(ProtocolError);
  });
  it('LOGIN responses and ANONYMOUS trace (RFC 4505 3)', () => {
    expect(decodeSaslLogin(encodeUtf8('alice'), encodeUtf8('secret'))).toEqual({ user: 'alice', password: 'secret' });
    expect(decodeSaslLogin(encodeUtf8(''), encodeUtf8('secret'))).toBeInstanceOf(ProtocolError);
    expect(text(saslAnonymous('sirhc'))).toBe('sirhc');
    expect(() => saslAnonymous('x'.repeat(256))).toThrow(RangeError);
  });
});
