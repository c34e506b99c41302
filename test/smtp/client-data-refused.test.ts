import { describe, expect, it } from 'vitest';
import { smtp } from '../../src/index';
import { concat, dec, enc } from '../helpers/bytes';

const out = (s: smtp.ClientSession) => dec(concat(s.takeOutput()));

function ready(): smtp.ClientSession {
  const c = new smtp.ClientSession({ domain: 'client.example' });
  c.receive(enc('220 mx.example ESMTP\r\n'));
  c.receive(enc('250-mx.example\r\n250 PIPELINING\r\n'));
  out(c);
  return c;
}

// Postfix answers DATA with "554 5.5.1 Error: no valid recipients" and keeps the MAIL
// transaction open: a following MAIL or AUTH gets "503 5.5.1 ... transaction in progress".
describe('SMTP ClientSession after a refused DATA', () => {
  it('resets the transaction the server still holds, before the next MAIL', () => {
    const c = ready();
    c.sendMail({ from: 'a@example.org', to: ['nobody@example.net'] });
    c.writeBody(enc('Subject: x\r\n\r\nx\r\n'));
    c.endBody();
    expect(out(c)).toBe('MAIL FROM:<a@example.org>\r\nRCPT TO:<nobody@example.net>\r\nDATA\r\n');
    const events = c.receive(enc('250 2.1.0 Ok\r\n550 5.1.1 unknown user\r\n554 5.5.1 Error: no valid recipients\r\n'));
    const message = events.find((e) => e.type === 'message');
    expect(message).toMatchObject({ accepted: false, acceptedRecipients: [] });
    expect(out(c)).toBe('RSET\r\n');
    c.sendMail({ from: 'a@example.org', to: ['b@example.net'] });
    expect(out(c)).toBe('MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\nDATA\r\n');
    const after = c.receive(enc('250 2.0.0 Ok\r\n250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n'));
    expect(after.filter((e) => e.type === 'reply').map((e) => (e.type === 'reply' ? [e.command?.verb, e.reply.code] : null))).toEqual([
      ['RSET', 250],
      ['MAIL', 250],
      ['RCPT', 250],
      ['DATA', 354],
    ]);
    expect(after.filter((e) => e.type === 'error')).toEqual([]);
  });

  it('sends no RSET when MAIL itself was refused (no transaction was opened)', () => {
    const c = ready();
    c.sendMail({ from: 'a@example.org', to: ['b@example.net'] });
    out(c);
    const events = c.receive(enc('550 5.7.1 sender refused\r\n503 5.5.1 Error: need MAIL command\r\n503 5.5.1 Error: need RCPT command\r\n'));
    expect(events.find((e) => e.type === 'message')).toMatchObject({ accepted: false });
    expect(out(c)).toBe('');
    expect(c.state).toBe('ready');
  });
});

describe('postfix: AUTH LOGIN right after a refused DATA (found by the interop suite)', () => {
  it('the reply to the automatic RSET does not end the AUTH exchange started behind it', () => {
    const c = new smtp.ClientSession({ domain: 'c.example' });
    const out = () => c.takeOutput().map(dec).join('');
    c.receive(enc('220 mx ESMTP Postfix\r\n'));
    c.receive(enc('250-mx\r\n250-PIPELINING\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n'));
    out();
    c.sendMail({ from: 'smtpuser@x.example', to: ['a@x.example'] });
    c.writeBody(enc('Subject: x\r\n\r\nx\r\n'));
    c.endBody();
    out();
    c.receive(enc('250 2.1.0 Ok\r\n554 5.7.1 <a@x.example>: Relay access denied\r\n554 5.5.1 Error: no valid recipients\r\n'));
    expect(out()).toBe('RSET\r\n');
    c.authenticate({ mechanism: 'LOGIN', user: 'smtpuser', password: 'wrong' });
    expect(out()).toBe('AUTH LOGIN\r\n');
    const ev = c.receive(enc('250 2.0.0 Ok\r\n334 VXNlcm5hbWU6\r\n'));
    expect(ev.some((e) => e.type === 'auth')).toBe(false);
    expect(out()).toBe('c210cHVzZXI=\r\n');
    c.receive(enc('334 UGFzc3dvcmQ6\r\n'));
    expect(out()).toBe('d3Jvbmc=\r\n');
    expect(c.receive(enc('535 5.7.8 Error: authentication failed\r\n'))).toContainEqual(expect.objectContaining({ type: 'auth', success: false }));
  });
});
