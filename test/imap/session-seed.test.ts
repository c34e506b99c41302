import { describe, expect, it } from 'vitest';
import { imap } from '../../src/index';
import { concat, dec, enc } from '../helpers/bytes';

// The IMAP examples in the seed lecture notes (/work/shared/seeds/001_*): CAPABILITY,
// STARTTLS, LOGIN, SELECT with bare response codes ("* OK [UNSEEN 12]" without text).
describe('seed notes: IMAP CAPABILITY / STARTTLS / LOGIN / SELECT', () => {
  it('replays through the client session with tags a001..a004', () => {
    const c = new imap.ClientSession({ tagPrefix: 'a00' });
    const out = () => dec(concat(c.takeOutput()));
    const ev: imap.ClientEvent[] = [];
    ev.push(...c.receive(enc('* OK IMAP4rev1 server ready\r\n')));
    c.send({ command: 'CAPABILITY' });
    expect(out()).toBe('a001 CAPABILITY\r\n');
    c.receive(enc('* CAPABILITY IMAP4rev1 STARTTLS AUTH=GSSAPI LOGINDISABLED\r\na001 OK CAPABILITY completed\r\n'));
    expect(c.capabilities.has('LOGINDISABLED')).toBe(true);
    c.send({ command: 'STARTTLS' });
    expect(out()).toBe('a002 STARTTLS\r\n');
    ev.push(...c.receive(enc('a002 OK Begin TLS negotiation now\r\n')));
    expect(ev.some((e) => e.type === 'starttls')).toBe(true);
    expect(c.capabilities.size).toBe(0);
    // After the handshake the session asks for the capabilities again itself (RFC 3501 6.2.1).
    c.tlsEstablished();
    expect(out()).toBe('a003 CAPABILITY\r\n');
    c.receive(enc('* CAPABILITY IMAP4rev1 AUTH=GSSAPI AUTH=PLAIN\r\na003 OK CAPABILITY completed\r\n'));
    expect([...c.capabilities]).toEqual(['IMAP4REV1', 'AUTH=GSSAPI', 'AUTH=PLAIN']);
    c.send({ command: 'LOGIN', user: 'joe', password: 'password' });
    expect(out()).toBe('a004 LOGIN joe password\r\n');
    c.receive(enc('a004 OK LOGIN completed\r\n'));
    expect(c.state).toBe('authenticated');
    c.send({ command: 'SELECT', mailbox: 'INBOX' });
    expect(out()).toBe('a005 SELECT INBOX\r\n');
    c.receive(enc('* 172 EXISTS\r\n* 1 RECENT\r\n* OK [UNSEEN 12]\r\n* OK [UIDVALIDITY 3857529045]\r\n* OK [UIDNEXT 4392]\r\na005 OK [READ-WRITE] SELECT completed\r\n'));
    expect(c.mailbox).toMatchObject({ exists: 172, recent: 1, uidValidity: 3857529045, uidNext: 4392, readOnly: false });
  });
});
