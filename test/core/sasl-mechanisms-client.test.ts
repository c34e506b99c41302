import { describe, expect, it } from 'vitest';
import { ProtocolError, SaslClientExchange, chooseSaslMechanism, createSaslClient, encodeBase64, encodeUtf8, readOAuthError } from '../../src/index';

const text = (b: Uint8Array | ProtocolError | null): string => {
  if (b === null) return '<null>';
  if (b instanceof ProtocolError) throw b;
  return new TextDecoder().decode(b);
};

describe('createSaslClient: every mechanism the sessions run', () => {
  it('PLAIN sends its message as the initial response; a challenge after it is unexpected', () => {
    const c = createSaslClient({ mechanism: 'PLAIN', user: 'tim', password: 'tanstaaftanstaaf' });
    expect(text(c.initialResponse())).toBe('\0tim\0tanstaaftanstaaf');
    expect(c.respond(new Uint8Array(0))).toBeInstanceOf(ProtocolError);
  });

  it('LOGIN answers "Username:" then "Password:", whatever the wording', () => {
    const c = createSaslClient({ mechanism: 'LOGIN', user: 'alice', password: 'secret' });
    expect(c.initialResponse()).toBeNull();
    expect(text(c.respond(encodeUtf8('Username:')))).toBe('alice');
    expect(text(c.respond(encodeUtf8('VXNlcm5hbWU6')))).toBe('secret');
    expect(c.respond(encodeUtf8('again?'))).toBeInstanceOf(ProtocolError);
  });

  it('rfc2195 2: CRAM-MD5 answers the timestamp challenge', () => {
    const c = createSaslClient({ mechanism: 'CRAM-MD5', user: 'tim', password: 'tanstaaftanstaaf' });
    expect(c.initialResponse()).toBeNull();
    expect(text(c.respond(encodeUtf8('<1896.697170952@postoffice.reston.mci.net>')))).toBe('tim b913a602c7eda7a495b4e6e7334d3890');
  });

  it('rfc7677 3: SCRAM-SHA-256 through the generic steps, server signature checked', () => {
    const c = createSaslClient({ mechanism: 'SCRAM-SHA-256', user: 'user', password: 'pencil', nonce: 'rOprNGfwEbeRWgbNEkqO' });
    expect(text(c.initialResponse())).toBe('n,,n=user,r=rOprNGfwEbeRWgbNEkqO');
    expect(text(c.respond(encodeUtf8('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096')))).toMatch(/,p=dHzbZapWIk4jUhN\+Ute9ytag9zjfMHgsqmmiz7AndVQ=$/);
    expect(c.serverVerified).toBe(false);
    expect(text(c.respond(encodeUtf8('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=')))).toBe('');
    expect(c.serverVerified).toBe(true);
  });

  it('gmail: XOAUTH2 error challenge is decoded and answered with the empty response; OAUTHBEARER (RFC 7628 3.2.3) with ^A', () => {
    const challenge = encodeUtf8('{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}');
    const x = createSaslClient({ mechanism: 'XOAUTH2', user: 'someuser@example.com', accessToken: 'ya29.vF9dft4' });
    expect(text(x.initialResponse())).toBe('user=someuser@example.com\x01auth=Bearer ya29.vF9dft4\x01\x01');
    expect(text(x.respond(challenge))).toBe('');
    expect(x.oauthError).toMatchObject({ status: '401', schemes: 'bearer', scope: 'https://mail.google.com/' });
    const o = createSaslClient({ mechanism: 'OAUTHBEARER', user: 'user@example.com', accessToken: 'vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==', host: 'server.example.com', port: 143 });
    expect(text(o.initialResponse())).toBe('n,a=user@example.com,\x01host=server.example.com\x01port=143\x01auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\x01\x01');
    expect(text(o.respond(encodeUtf8('{"status":"invalid_token","scope":"example_scope","openid-configuration":"https://example.com/.well-known/openid-configuration"}')))).toBe('\x01');
    expect(o.oauthError?.status).toBe('invalid_token');
    expect(readOAuthError(encodeUtf8('not json'))).toBeInstanceOf(ProtocolError);
  });

  it('EXTERNAL and ANONYMOUS (RFC 4422 A, RFC 4505)', () => {
    expect(text(createSaslClient({ mechanism: 'EXTERNAL' }).initialResponse())).toBe('');
    expect(text(createSaslClient({ mechanism: 'ANONYMOUS', trace: 'sirhc' }).initialResponse())).toBe('sirhc');
  });
});

describe('SaslClientExchange runs the built-in mechanisms', () => {
  const b64 = (t: string) => encodeBase64(encodeUtf8(t));
  it('rfc5802 5: SCRAM-SHA-1 through the exchange the SMTP/POP3 clients use; a forged server signature cancels', () => {
    const mk = () => new SaslClientExchange({ mechanism: 'SCRAM-SHA-1', user: 'user', password: 'pencil', nonce: 'fyko+d2lbbFgONRv9qkxdawL' });
    let x = mk();
    expect(text(x.initialResponse)).toBe('n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL');
    expect(x.byApplication).toBe(false);
    const step = x.challenge(b64('r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096'));
    expect(step).toEqual({ type: 'respond', line: b64('c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=') });
    expect(x.challenge(b64('v=rmF9pqV8S7suAoZWja4dJRkFsKQ='))).toEqual({ type: 'respond', line: '' });
    expect(x.serverVerified).toBe(true);
    x = mk();
    x.challenge(b64('r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096'));
    expect(x.challenge(b64('v=AAAAAAAAAAAAAAAAAAAAAAAAAAA='))).toEqual({ type: 'respond', line: '*' });
    expect(x.serverVerified).toBe(false);
  });
  it('a mechanism name without secrets is run by the application', () => {
    const x = new SaslClientExchange({ mechanism: 'CRAM-MD5' });
    expect(x.byApplication).toBe(true);
    expect(x.challenge(b64('<1896.697170952@postoffice.reston.mci.net>'))).toMatchObject({ type: 'ask' });
  });
  it('XOAUTH2 error challenge: oauth-error step with the empty response', () => {
    const x = new SaslClientExchange({ mechanism: 'XOAUTH2', user: 'u@example.com', accessToken: 't' });
    const step = x.challenge(b64('{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}'));
    expect(step).toMatchObject({ type: 'oauth-error', line: '', error: { status: '401', scope: 'https://mail.google.com/' } });
  });
});

describe('chooseSaslMechanism', () => {
  it('prefers SCRAM, then CRAM-MD5, PLAIN, LOGIN; -PLUS only with binding data', () => {
    expect(chooseSaslMechanism(['PLAIN', 'LOGIN', 'SCRAM-SHA-1', 'scram-sha-256'])).toBe('SCRAM-SHA-256');
    expect(chooseSaslMechanism(['SCRAM-SHA-256-PLUS', 'PLAIN'])).toBe('PLAIN');
    expect(chooseSaslMechanism(['SCRAM-SHA-256-PLUS', 'PLAIN'], { channelBinding: true })).toBe('SCRAM-SHA-256-PLUS');
    expect(chooseSaslMechanism(['GSSAPI'])).toBeNull();
  });
});
