import { describe, it, expect } from 'vitest';
import { smtp } from '../../src/index';
import { enc, dec } from '../helpers/bytes';

const out = (s: smtp.ServerSession) => s.takeOutput().map(dec).join('');

describe('smtp ServerSession AUTH challenges on the wire (RFC 4954 4)', () => {
  it('an empty challenge is "334 " with its space (continue-req = "334" SP [base64] CRLF), as curl gets it for AUTH PLAIN without an initial response', () => {
    const s = new smtp.ServerSession({ domain: 'mx.example', extensions: [{ keyword: 'AUTH', params: ['PLAIN'] }] });
    const responses: string[] = [];
    const handle = (events: smtp.ServerEvent[]): void => {
      for (const e of events) {
        if (e.type === 'command' && e.command.verb === 'AUTH') handle(s.challenge(new Uint8Array(0)));
        else if (e.type === 'command') handle(s.accept());
        else if (e.type === 'auth-response') {
          responses.push(dec(e.response));
          handle(s.reply(235, 'Authentication successful', { class: 2, subject: 7, detail: 0 }));
        }
      }
    };
    s.takeOutput();
    handle(s.receive(enc('EHLO client.example\r\nAUTH PLAIN\r\n')));
    expect(out(s)).toBe('250-mx.example greets client.example\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250-CHUNKING\r\n250-SMTPUTF8\r\n250 AUTH PLAIN\r\n334 \r\n');
    handle(s.receive(enc('AHUAcA==\r\n')));
    expect(responses).toEqual(['\0u\0p']);
    expect(out(s)).toBe('235 2.7.0 Authentication successful\r\n');
  });

  it('a non-empty challenge is "334 " followed by its base64', () => {
    const s = new smtp.ServerSession({ domain: 'mx.example' });
    const handle = (events: smtp.ServerEvent[]): void => {
      for (const e of events) {
        if (e.type === 'command' && e.command.verb === 'AUTH') s.challenge(enc('Username:'));
        else if (e.type === 'command') handle(s.accept());
      }
    };
    s.takeOutput();
    handle(s.receive(enc('EHLO c\r\nAUTH LOGIN\r\n')));
    expect(out(s).endsWith('\r\n334 VXNlcm5hbWU6\r\n')).toBe(true);
  });
});
