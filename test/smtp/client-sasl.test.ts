import { describe, expect, it } from 'vitest';
import { smtp } from '../../src/index';
import { concat, dec, enc } from '../helpers/bytes';

const out = (c: smtp.ClientSession): string => dec(concat(c.takeOutput()));
const kinds = (events: readonly smtp.ClientEvent[]): string[] => events.map((e) => (e.type === 'error' ? `error:${e.error.code}` : e.type));

function ready(): smtp.ClientSession {
  const c = new smtp.ClientSession({ domain: 'c.example' });
  c.receive(enc('220 mx.example\r\n'));
  c.receive(enc('250-mx.example\r\n250-PIPELINING\r\n250 AUTH CRAM-MD5 PLAIN XOAUTH2 OAUTHBEARER\r\n'));
  out(c);
  return c;
}

// RFC 2195 2: the CRAM-MD5 example exchange.
const CRAM_CHALLENGE = 'PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+';
const CRAM_RESPONSE = 'tim b913a602c7eda7a495b4e6e7334d3890';

describe('rfc4954 4 AUTH with a mechanism the application runs (sasl-challenge / saslRespond, as in the IMAP client)', () => {
  it('rfc2195 CRAM-MD5: the challenge decoded, the response base64-encoded on its own line', () => {
    const c = ready();
    c.authenticate({ mechanism: 'CRAM-MD5' });
    expect(out(c)).toBe('AUTH CRAM-MD5\r\n');
    const ev = c.receive(enc(`334 ${CRAM_CHALLENGE}\r\n`));
    expect(kinds(ev)).toEqual(['reply', 'sasl-challenge']);
    const challenge = (ev[1] as smtp.ClientSaslChallengeEvent).challenge;
    expect(dec(challenge!)).toBe('<1896.697170952@postoffice.reston.mci.net>');
    c.saslRespond(enc(CRAM_RESPONSE));
    expect(out(c)).toBe('dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw\r\n');
    expect(c.receive(enc('235 2.7.0 Authentication successful\r\n'))).toMatchObject([{ type: 'reply' }, { type: 'auth', success: true }]);
  });

  it('an initial response given by the application goes on the AUTH line; null cancels with "*"', () => {
    const c = ready();
    c.authenticate({ mechanism: 'SCRAM-SHA-256', initialResponse: enc('n,,n=user,r=rOprNGfwEbeRWgbNEkqO') });
    expect(out(c)).toBe('AUTH SCRAM-SHA-256 biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8=\r\n');
    c.receive(enc('334 cj1yT3ByTkdmd0ViZVJXZ2JORWtxTyVodllEcFdVYTJSYVRDQWZ1eEZJbGopaE5sRiRrMCxzPVcyMlphSjBTTlk3c29Fc1VFamI2Z1E9PSxpPTQwOTY=\r\n'));
    c.saslRespond(null);
    expect(out(c)).toBe('*\r\n');
    expect(c.receive(enc('501 5.7.0 cancelled\r\n'))).toMatchObject([{ type: 'reply' }, { type: 'auth', success: false }]);
  });

  it('the challenge and the final reply in one read: saslRespond() afterwards writes nothing and does not throw', () => {
    const c = ready();
    c.authenticate({ mechanism: 'CRAM-MD5' });
    c.noop();
    expect(out(c)).toBe('AUTH CRAM-MD5\r\n');
    const ev = c.receive(enc(`334 ${CRAM_CHALLENGE}\r\n535 5.7.8 too slow\r\n`));
    expect(kinds(ev)).toEqual(['reply', 'sasl-challenge', 'reply', 'auth']);
    expect(out(c)).toBe('NOOP\r\n');
    expect(() => c.saslRespond(enc(CRAM_RESPONSE))).not.toThrow();
    expect(out(c)).toBe('');
  });

  it('saslRespond() with no AUTH run by the application is a mistake', () => {
    const c = ready();
    expect(() => c.saslRespond(null)).toThrow(Error);
    c.authenticate({ mechanism: 'PLAIN', user: 'u', password: 'p' });
    expect(() => c.saslRespond(null)).toThrow(Error);
  });
});

describe('XOAUTH2 / OAUTHBEARER error flow (RFC 7628 3.2.2-3.2.3, Google XOAUTH2)', () => {
  it('google XOAUTH2: the JSON challenge becomes an oauth-error event, the empty response goes out, the final reply is 535', () => {
    const c = ready();
    c.authenticate({ mechanism: 'XOAUTH2', user: 'someuser@example.com', accessToken: 'ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg' });
    expect(out(c)).toBe('AUTH XOAUTH2 dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==\r\n');
    const ev = c.receive(enc('334 eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIG1hYyIsInNjb3BlIjoiaHR0cHM6Ly9tYWlsLmdvb2dsZS5jb20vIn0K\r\n'));
    expect(kinds(ev)).toEqual(['reply', 'oauth-error']);
    expect(ev[1]).toMatchObject({ oauth: { status: '401', schemes: 'bearer mac', scope: 'https://mail.google.com/', openidConfiguration: null } });
    // Not "*" (which gets 501): the empty response, so the server ends with its 535.
    expect(out(c)).toBe('\r\n');
    expect(c.receive(enc('535-5.7.8 Username and Password not accepted.\r\n535 5.7.8 https://support.google.com/mail/?p=BadCredentials\r\n'))).toMatchObject([
      { type: 'reply', reply: { code: 535 } },
      { type: 'auth', success: false },
    ]);
  });

  it('rfc7628 4.3 OAUTHBEARER failure: the error JSON decoded, AQ== (a single ^A) sent', () => {
    const c = ready();
    c.authenticate({ mechanism: 'OAUTHBEARER', user: 'user@example.com', accessToken: 'vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==', host: 'server.example.com', port: 587 });
    expect(out(c)).toBe(`AUTH OAUTHBEARER ${btoa('n,a=user@example.com,\x01host=server.example.com\x01port=587\x01auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\x01\x01')}\r\n`);
    const ev = c.receive(enc('334 eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NvcGUiOiJleGFtcGxlX3Njb3BlIiwib3BlbmlkLWNvbmZpZ3VyYXRpb24iOiJodHRwczovL2V4YW1wbGUuY29tLy53ZWxsLWtub3duL29wZW5pZC1jb25maWd1cmF0aW9uIn0=\r\n'));
    expect(ev[1]).toMatchObject({ type: 'oauth-error', oauth: { status: 'invalid_token', schemes: null, scope: 'example_scope', openidConfiguration: 'https://example.com/.well-known/openid-configuration' } });
    expect(out(c)).toBe('AQ==\r\n');
  });

  it('a challenge that is not base64 JSON: still the finishing response, the raw text kept', () => {
    const c = ready();
    c.authenticate({ mechanism: 'XOAUTH2', user: 'u', accessToken: 't' });
    out(c);
    const ev = c.receive(enc('334 not json at all\r\n'));
    expect(ev[1]).toMatchObject({ type: 'oauth-error', oauth: { status: null, raw: 'not json at all' } });
    expect(out(c)).toBe('\r\n');
  });
});
