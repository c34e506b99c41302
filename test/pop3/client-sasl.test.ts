import { describe, expect, it } from 'vitest';
import { pop3 } from '../../src/index';
import { concat, dec, enc } from '../helpers/bytes';

const out = (c: pop3.ClientSession): string => dec(concat(c.takeOutput()));
const kinds = (events: readonly pop3.ClientEvent[]): string[] => events.map((e) => (e.type === 'error' ? `error:${e.error.code}` : e.type));

function ready(): pop3.ClientSession {
  const c = new pop3.ClientSession();
  c.receive(enc('+OK ready\r\n'));
  return c;
}

describe('rfc5034 4 AUTH with a mechanism the application runs (sasl-challenge / saslRespond)', () => {
  it('rfc2195 CRAM-MD5 over POP3: "+ " challenge decoded, the response base64 on its own line', () => {
    const c = ready();
    c.authenticate({ mechanism: 'CRAM-MD5' });
    c.stat();
    expect(out(c)).toBe('AUTH CRAM-MD5\r\n');
    const ev = c.receive(enc('+ PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+\r\n'));
    expect(kinds(ev)).toEqual(['sasl-challenge']);
    expect(dec((ev[0] as pop3.ClientSaslChallengeEvent).challenge!)).toBe('<1896.697170952@postoffice.reston.mci.net>');
    c.saslRespond(enc('tim b913a602c7eda7a495b4e6e7334d3890'));
    expect(out(c)).toBe('dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw\r\n');
    expect(kinds(c.receive(enc('+OK maildrop locked\r\n')))).toEqual(['response', 'auth']);
    expect(c.state).toBe('transaction');
    expect(out(c)).toBe('STAT\r\n');
  });

  it('the challenge and the -ERR in one read: saslRespond() afterwards writes nothing and does not throw', () => {
    const c = ready();
    c.authenticate({ mechanism: 'CRAM-MD5' });
    out(c);
    expect(kinds(c.receive(enc('+ PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+\r\n-ERR timeout\r\n')))).toEqual(['sasl-challenge', 'response', 'auth']);
    expect(() => c.saslRespond(enc('x'))).not.toThrow();
    expect(out(c)).toBe('');
  });

  it('google XOAUTH2 error: oauth-error event, the empty response, then the -ERR', () => {
    const c = ready();
    c.authenticate({ mechanism: 'XOAUTH2', user: 'someuser@example.com', accessToken: 'token' });
    out(c);
    const ev = c.receive(enc('+ eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIG1hYyIsInNjb3BlIjoiaHR0cHM6Ly9tYWlsLmdvb2dsZS5jb20vIn0K\r\n'));
    expect(ev).toMatchObject([{ type: 'oauth-error', oauth: { status: '401', schemes: 'bearer mac', scope: 'https://mail.google.com/' } }]);
    expect(out(c)).toBe('\r\n');
    expect(c.receive(enc('-ERR [AUTH] Invalid credentials.\r\n'))).toMatchObject([{ type: 'response' }, { type: 'auth', success: false }]);
  });

  it('OAUTHBEARER error: AQ== (RFC 7628 3.2.3)', () => {
    const c = ready();
    c.authenticate({ mechanism: 'OAUTHBEARER', user: 'u@example.com', accessToken: 't' });
    out(c);
    c.receive(enc('+ eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIn0=\r\n'));
    expect(out(c)).toBe('AQ==\r\n');
  });
});
