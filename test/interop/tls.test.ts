/**
 * Real TLS: mailwire's three clients through mailwire/node against a Dovecot with
 * `ssl = required` and a Postfix with `smtpd_tls_security_level = encrypt` (and their implicit
 * TLS ports: IMAPS, POP3S, SMTPS), with a throw-away CA made for the run. Every STARTTLS/STLS
 * connection goes through a relay that records what the client sent: the clear-text part must
 * be the capability request and STARTTLS/STLS only, and no credential byte may appear anywhere.
 */
import { afterAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { imap, pop3 } from '../../src/index';
import { connect, imapMessages, pop3Messages, sendMail } from '../../src/node/index';
import { clearTextPrefix, indexOfBytes, recordingRelay, type Recorder } from '../node/recorder';
import { servers } from './net';

const info = servers();
const D = info.domain;
const trust = { ca: info.tls.ca, servername: 'localhost' } as const;
const relays: Recorder[] = [];
afterAll(() => relays.forEach((r) => r.close()));

/**
 * Dovecot counts a connection from its own address (127.0.0.1 to 127.0.0.1) as secured and
 * would allow clear-text logins on it: the TLS tests connect from another loopback address.
 */
const FROM = '127.0.0.2';

async function relay(port: number): Promise<Recorder> {
  const r = await recordingRelay(port, info.host, FROM);
  relays.push(r);
  return r;
}


/** No credential, in any encoding a client could send it, anywhere in the recorded bytes. */
function expectNoCredential(sent: Uint8Array, user: string, password: string): void {
  const forms = [password, Buffer.from(`\0${user}\0${password}`).toString('base64'), Buffer.from(password).toString('base64')];
  for (const f of forms) expect(indexOfBytes(sent, f), `credential form ${f}`).toBe(-1);
}

function message(subject: string, from: string, to: string): string {
  return `From: <${from}>\r\nTo: <${to}>\r\nSubject: ${subject}\r\nMessage-ID: <${Date.now()}.${Math.random().toString(36).slice(2)}@${D}>\r\n\r\nsent over TLS\r\n`;
}

describe('Postfix, smtpd_tls_security_level = encrypt', () => {
  const user = 'smtpuser';
  const password = info.users[user]!.password;

  it('rfc3207: sendMail over submission says EHLO and STARTTLS in clear text, then AUTH PLAIN and the mail over TLS; Postfix takes it', async () => {
    const r = await relay(info.ports.submissionTls);
    const result = await sendMail({
      port: r.port,
      tls: trust,
      auth: { mechanism: 'PLAIN', user, password },
      from: `${user}@${D}`,
      to: [`bounces@${D}`],
      message: message('tls submission', `${user}@${D}`, `bounces@${D}`),
    });
    expect(result).toMatchObject({ accepted: true, encrypted: true, reply: { code: 250 } });
    const sent = r.sent();
    expect(clearTextPrefix(sent)).toBe('EHLO localhost\r\nSTARTTLS\r\n');
    expectNoCredential(sent, user, password);
    expect(indexOfBytes(sent, 'MAIL FROM')).toBe(-1);
  });

  it('rfc3207 4: Postfix refuses MAIL before STARTTLS (530), which shows the port really requires TLS', async () => {
    const result = await sendMail({ port: info.ports.submissionTls, startTls: 'never', from: `${user}@${D}`, to: [`bounces@${D}`], message: 'Subject: x\r\n\r\nx\r\n' });
    expect(result.accepted).toBe(false);
    expect(result.reply.code).toBe(530);
  });

  it('rfc8314 3.3: SMTPS (implicit TLS, smtpd_tls_wrappermode) with AUTH LOGIN', async () => {
    const result = await sendMail({
      port: info.ports.smtps,
      implicitTls: true,
      tls: trust,
      auth: { mechanism: 'LOGIN', user, password },
      from: `${user}@${D}`,
      to: [`bounces@${D}`],
      message: message('smtps', `${user}@${D}`, `bounces@${D}`),
    });
    expect(result).toMatchObject({ accepted: true, encrypted: true });
  });

  it('a certificate from another CA fails the handshake before any credential goes out', async () => {
    const r = await relay(info.ports.submissionTls);
    await expect(
      sendMail({ port: r.port, tls: { servername: 'localhost' }, auth: { mechanism: 'PLAIN', user, password }, from: `${user}@${D}`, to: [`bounces@${D}`], message: 'x' }),
    ).rejects.toThrow(/certificate/i);
    expectNoCredential(r.sent(), user, password);
  });
});

describe('Dovecot, ssl = required', () => {
  const user = 'popuser';
  const password = info.users[user]!.password;

  it('rfc2595 4: POP3 STLS, then USER/PASS over TLS (pop3Messages); nothing secret in clear text', async () => {
    const r = await relay(info.ports.pop3Tls);
    for await (const m of pop3Messages({ port: r.port, tls: trust, user, password })) expect(m.message.length).toBeGreaterThan(0);
    const sent = r.sent();
    expect(clearTextPrefix(sent)).toBe('CAPA\r\nSTLS\r\n');
    expectNoCredential(sent, user, password);
    expect(indexOfBytes(sent, `USER ${user}`)).toBe(-1);
  });

  it('rfc8314 3.3: POP3S (implicit TLS) logs in and lists the maildrop', async () => {
    const conn = await connect(new pop3.ClientSession(), { port: info.ports.pop3s, implicitTls: true, tls: trust });
    await conn.next('greeting');
    conn.do((s) => s.login(user, password));
    expect((await conn.next('auth')).success).toBe(true);
    conn.do((s) => s.stat());
    expect((await conn.next('response')).ok).toBe(true);
    conn.do((s) => s.quit());
    await conn.next('closed');
    expect(conn.encrypted).toBe(true);
  });

  it('Dovecot refuses USER/PASS with the right password in clear text before STLS (ssl = required is in force)', async () => {
    const conn = await connect(new pop3.ClientSession(), { port: info.ports.pop3Tls, localAddress: FROM });
    await conn.next('greeting');
    conn.do((s) => s.login(user, password));
    const auth = await conn.next('auth');
    expect(auth.success).toBe(false);
    conn.close();
  });

  it('rfc3501 6.2.1: IMAP STARTTLS, then LOGIN over TLS (imapMessages); nothing secret in clear text', async () => {
    const imapUser = 'imapuser';
    const imapPassword = info.users[imapUser]!.password;
    const r = await relay(info.ports.imapTls);
    for await (const m of imapMessages({ port: r.port, tls: trust, user: imapUser, password: imapPassword })) expect(m.uid).toBeGreaterThan(0);
    const sent = r.sent();
    expect(clearTextPrefix(sent)).toMatch(/^(A\d+ CAPABILITY\r\n)?A\d+ STARTTLS\r\n$/);
    expectNoCredential(sent, imapUser, imapPassword);
    expect(indexOfBytes(sent, 'LOGIN')).toBe(-1);
  });

  it('rfc8314 3.3: IMAPS (implicit TLS) delivers the mail sent above over SMTPS/submission to bounces@', async () => {
    const found: string[] = [];
    for (let attempt = 0; attempt < 40 && found.filter((s) => /tls submission|smtps/.test(s)).length < 2; attempt++) {
      found.length = 0;
      for await (const m of imapMessages({ port: info.ports.imaps, implicitTls: true, tls: trust, user: 'bounces', password: info.users.bounces!.password })) {
        const subject = /\r\nSubject: ([^\r\n]*)/.exec(`\r\n${new TextDecoder().decode(m.message.subarray(0, 4096))}`)?.[1];
        if (subject) found.push(subject);
      }
      if (found.filter((s) => /tls submission|smtps/.test(s)).length < 2) await new Promise((res) => setTimeout(res, 500));
    }
    expect(found).toEqual(expect.arrayContaining(['tls submission', 'smtps']));
  });

  it('Dovecot announces LOGINDISABLED and refuses LOGIN before STARTTLS', async () => {
    const socket = net.connect({ port: info.ports.imapTls, host: info.host, localAddress: FROM });
    const lines = await new Promise<string>((resolve, reject) => {
      let buf = '';
      socket.on('data', (d: Buffer) => {
        buf += d.toString('latin1');
        if (buf.startsWith('* OK') && !buf.includes('A1 ')) socket.write(`A1 LOGIN imapuser ${info.users.imapuser!.password}\r\n`);
        if (/\r\nA1 [A-Z]+ /.test(buf) && buf.endsWith('\r\n')) resolve(buf);
      });
      socket.on('error', reject);
    });
    socket.destroy();
    expect(lines).toMatch(/LOGINDISABLED/);
    expect(lines).toMatch(/\r\nA1 (NO|BAD) /);
  });
});
