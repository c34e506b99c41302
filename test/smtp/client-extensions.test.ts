import { describe, expect, it } from 'vitest';
import { smtp } from '../../src/index';
import { concat, dec, enc } from '../helpers/bytes';

const out = (c: smtp.ClientSession): string => dec(concat(c.takeOutput()));
const kinds = (events: readonly smtp.ClientEvent[]): string[] => events.map((e) => (e.type === 'error' ? `error:${e.error.code}` : e.type));

function ready(extensions: readonly string[]): smtp.ClientSession {
  const c = new smtp.ClientSession({ domain: 'c.example' });
  c.receive(enc('220 mx.example\r\n'));
  const lines = ['mx.example', 'PIPELINING', ...extensions];
  c.receive(enc(lines.map((l, i) => `250${i === lines.length - 1 ? ' ' : '-'}${l}\r\n`).join('')));
  out(c);
  return c;
}

describe('rfc6531 3.4 SMTPUTF8 on MAIL', () => {
  it('a UTF-8 address adds SMTPUTF8 when the server offers it', () => {
    const c = ready(['SMTPUTF8', '8BITMIME']);
    c.sendMail({ from: 'a@example.org', to: ['用户@例子.广告'] });
    expect(out(c)).toBe('MAIL FROM:<a@example.org> SMTPUTF8\r\nRCPT TO:<用户@例子.广告>\r\nDATA\r\n');
    const d = ready(['SMTPUTF8']);
    d.sendMail({ from: 'jöran@example.org', to: ['b@example.net'] });
    expect(out(d)).toBe('MAIL FROM:<jöran@example.org> SMTPUTF8\r\nRCPT TO:<b@example.net>\r\nDATA\r\n');
  });

  it('a UTF-8 address to a server without SMTPUTF8: RangeError, nothing written, still ready', () => {
    const c = ready(['8BITMIME']);
    expect(() => c.sendMail({ from: 'a@example.org', to: ['用户@例子.广告'] })).toThrow(RangeError);
    expect(out(c)).toBe('');
    expect(c.state).toBe('ready');
    c.sendMail({ from: 'a@example.org', to: ['b@example.net'] });
    expect(out(c)).toBe('MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\nDATA\r\n');
  });

  it('the application says the message needs it (UTF-8 headers): smtputf8: true; SMTPUTF8 given in mailParams is not doubled', () => {
    const c = ready(['SMTPUTF8']);
    c.sendMail({ from: 'a@example.org', to: ['b@example.net'], smtputf8: true });
    expect(out(c)).toContain('MAIL FROM:<a@example.org> SMTPUTF8\r\n');
    c.receive(enc('250 ok\r\n250 ok\r\n354 go\r\n'));
    c.endBody();
    c.receive(enc('250 ok\r\n'));
    out(c);
    c.sendMail({ from: 'ä@example.org', to: ['b@example.net'], mailParams: [{ keyword: 'SMTPUTF8', value: null }] });
    expect(out(c)).toContain('MAIL FROM:<ä@example.org> SMTPUTF8\r\n');
    expect(() => ready([]).sendMail({ from: 'a@example.org', to: ['b@example.net'], smtputf8: true })).toThrow(RangeError);
  });
});

describe('rfc6152 3 BODY=8BITMIME on MAIL', () => {
  it('body: "8BITMIME" adds BODY=8BITMIME when offered, refuses when not', () => {
    const c = ready(['8BITMIME']);
    c.sendMail({ from: 'a@example.org', to: ['b@example.net'], body: '8BITMIME' });
    expect(out(c)).toBe('MAIL FROM:<a@example.org> BODY=8BITMIME\r\nRCPT TO:<b@example.net>\r\nDATA\r\n');
    const d = ready(['SMTPUTF8']);
    expect(() => d.sendMail({ from: 'a@example.org', to: ['b@example.net'], body: '8BITMIME' })).toThrow(RangeError);
    expect(() => d.sendMail({ from: 'a@example.org', to: ['b@example.net'], mailParams: [{ keyword: 'BODY', value: '8BITMIME' }] })).toThrow(RangeError);
    expect(out(d)).toBe('');
  });

  it('after HELO fallback (no extensions at all) both are refused', () => {
    const c = new smtp.ClientSession({ domain: 'c.example' });
    c.receive(enc('220 old.example\r\n'));
    c.receive(enc('502 what?\r\n'));
    c.receive(enc('250 old.example\r\n'));
    expect(c.capabilities).toBeNull();
    expect(() => c.sendMail({ from: 'a@example.org', to: ['b@example.net'], body: '8BITMIME' })).toThrow(RangeError);
    expect(() => c.sendMail({ from: 'a@example.org', to: ['ü@example.net'] })).toThrow(RangeError);
  });
});

describe('rfc5321 3.1 greeting: a garbled one closes the session instead of waiting forever', () => {
  it('"220-..." then "250 ...": one error, closed, nothing sent', () => {
    const c = new smtp.ClientSession({ domain: 'c.example' });
    const ev = c.receive(enc('220-mx.example ESMTP\r\n250 mx.example\r\n'));
    expect(kinds(ev)).toEqual(['error:SYNTAX', 'closed']);
    expect(c.state).toBe('closed');
    expect(out(c)).toBe('');
    expect(kinds(c.end())).toEqual([]);
  });

  it('the same bytes one at a time', () => {
    const c = new smtp.ClientSession({ domain: 'c.example' });
    const seen: string[] = [];
    for (const b of enc('220-mx.example ESMTP\r\n250 mx.example\r\n')) seen.push(...kinds(c.receive(Uint8Array.of(b))));
    expect(seen).toEqual(['error:SYNTAX', 'closed']);
  });

  it('a greeting line that is not a reply at all', () => {
    const c = new smtp.ClientSession({ domain: 'c.example' });
    expect(kinds(c.receive(enc('SSH-2.0-OpenSSH_9.6\r\n')))).toEqual(['error:SYNTAX', 'closed']);
  });
});
