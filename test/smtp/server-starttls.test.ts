import { describe, it, expect } from 'vitest';
import { smtp } from '../../src/index';
import { enc, dec } from '../helpers/bytes';

const out = (s: smtp.ServerSession) => s.takeOutput().map(dec).join('');
const STARTTLS = { keyword: 'STARTTLS', params: [] };
const AUTH = { keyword: 'AUTH', params: ['PLAIN'] };

/** Accepts every command and body, as docs/smtp.md's handler does; returns every event seen. */
function acceptAll(s: smtp.ServerSession, events: smtp.ServerEvent[]): smtp.ServerEvent[] {
  const seen: smtp.ServerEvent[] = [];
  const handle = (ev: smtp.ServerEvent[]): void => {
    for (const e of ev) {
      seen.push(e);
      if (e.type === 'command' || e.type === 'data-end' || e.type === 'auth-response') handle(s.accept());
    }
  };
  handle(events);
  return seen;
}

describe('smtp ServerSession STARTTLS (RFC 3207)', () => {
  it('rfc3207 4.2: a command sent in the same read after STARTTLS is dropped and reported as UNEXPECTED, with its octet count', () => {
    const s = new smtp.ServerSession({ domain: 'mx.example', extensions: [STARTTLS] });
    s.takeOutput();
    const seen = acceptAll(s, s.receive(enc('EHLO c.example\r\nSTARTTLS\r\nMAIL FROM:<evil@x.com>\r\n')));
    const tail = seen.slice(-2);
    expect(tail[0]).toMatchObject({ type: 'error', error: { code: 'UNEXPECTED' } });
    expect(tail[1]).toEqual({ type: 'starttls', discarded: 24 });
    expect(out(s)).toMatch(/250 STARTTLS\r\n220 2\.0\.0 Ready to start TLS\r\n$/);
    expect(s.state).toBe('start');
  });

  it('between the starttls event and tlsEstablished(), clear-text input is dropped, reported, never parsed, and nothing is written', () => {
    const s = new smtp.ServerSession({ domain: 'mx.example', extensions: [STARTTLS] });
    acceptAll(s, s.receive(enc('EHLO c.example\r\nSTARTTLS\r\n')));
    s.takeOutput();
    const ev = s.receive(enc('EHLO injected\r\n'));
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ type: 'error', error: { code: 'UNEXPECTED' } });
    expect(out(s)).toBe('');
    s.tlsEstablished();
    acceptAll(s, s.receive(enc('EHLO c.example\r\n')));
    const ehlo = out(s);
    expect(ehlo).toMatch(/^250-mx\.example greets c\.example\r\n/);
    expect(ehlo).not.toContain('STARTTLS');
  });

  it('a clean STARTTLS (nothing after it) gives the starttls event alone', () => {
    const s = new smtp.ServerSession({ domain: 'mx.example', extensions: [STARTTLS] });
    const seen = acceptAll(s, s.receive(enc('EHLO c.example\r\nSTARTTLS\r\n')));
    expect(seen.map((e) => e.type)).toEqual(['command', 'command', 'starttls']);
    expect(seen.at(-1)).toEqual({ type: 'starttls', discarded: 0 });
  });

  it('accept() answers 502 to a STARTTLS that was never announced, like AUTH', () => {
    const s = new smtp.ServerSession({ domain: 'mx.example' });
    acceptAll(s, s.receive(enc('EHLO c.example\r\n')));
    s.takeOutput();
    const seen = acceptAll(s, s.receive(enc('STARTTLS\r\nAUTH PLAIN AHUAcA==\r\nNOOP\r\n')));
    expect(seen.some((e) => e.type === 'starttls')).toBe(false);
    expect(out(s)).toBe('502 5.5.1 Command not implemented\r\n502 5.5.1 Command not implemented\r\n250 2.0.0 OK\r\n');
    expect(s.isAuthenticated).toBe(false);
  });

  it('STARTTLS after TLS gets 554 from the session', () => {
    const s = new smtp.ServerSession({ domain: 'mx.example', extensions: [STARTTLS] });
    acceptAll(s, s.receive(enc('EHLO c.example\r\nSTARTTLS\r\n')));
    s.tlsEstablished();
    s.takeOutput();
    const seen = acceptAll(s, s.receive(enc('EHLO c.example\r\nSTARTTLS\r\n')));
    expect(seen.at(-1)).toMatchObject({ type: 'auto-reply', reply: { code: 554 } });
    expect(out(s)).toMatch(/554 5\.5\.1 TLS already active\r\n$/);
  });

  it('authRequiresTls: AUTH is not announced before TLS and gets 530; after TLS it is, and after 235 it is not', () => {
    const s = new smtp.ServerSession({ domain: 'mx.example', extensions: [STARTTLS, AUTH], authRequiresTls: true });
    s.takeOutput();
    acceptAll(s, s.receive(enc('EHLO c.example\r\n')));
    const before = out(s);
    expect(before).toMatch(/250[- ]STARTTLS\r\n/);
    expect(before).not.toContain('AUTH');
    acceptAll(s, s.receive(enc('AUTH PLAIN AHUAcA==\r\n')));
    expect(out(s)).toBe('530 5.7.0 Must issue a STARTTLS command first\r\n');
    acceptAll(s, s.receive(enc('STARTTLS\r\n')));
    s.tlsEstablished();
    s.takeOutput();
    acceptAll(s, s.receive(enc('EHLO c.example\r\n')));
    const after = out(s);
    expect(after).toContain('AUTH PLAIN');
    expect(after).not.toContain('STARTTLS');
    const handle = (ev: smtp.ServerEvent[]): void => {
      for (const e of ev) if (e.type === 'command') handle(e.command.verb === 'AUTH' ? s.reply(235, 'ok', { class: 2, subject: 7, detail: 0 }) : s.accept());
    };
    handle(s.receive(enc('AUTH PLAIN AHUAcA==\r\nEHLO c.example\r\n')));
    expect(s.isAuthenticated).toBe(true);
    expect(out(s)).not.toMatch(/250[- ]AUTH/);
  });
});
