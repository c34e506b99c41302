import { describe, expect, it } from 'vitest';
import { pop3 } from '../../src/index';
import { bytewise, concat, dec, enc } from '../helpers/bytes';

const out = (s: { takeOutput(): Uint8Array[] }) => dec(concat(s.takeOutput()));
const MSG1 = 'Subject: one\r\n\r\n.leading dot\r\n.\r\nend\r\n';
const MSG2 = 'Subject: two\r\n\r\nbody\r\n';

// RFC 1939 section 10, the example POP3 session (message bodies filled in).
const SERVER_LINES = [
  '+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n',
  "+OK mrose's maildrop has 2 messages (320 octets)\r\n",
  '+OK 2 320\r\n',
  '+OK 2 messages (320 octets)\r\n1 120\r\n2 200\r\n.\r\n',
  `+OK 120 octets\r\nSubject: one\r\n\r\n..leading dot\r\n..\r\nend\r\n.\r\n`,
  '+OK message 1 deleted\r\n',
  `+OK 200 octets\r\n${MSG2}.\r\n`,
  '+OK message 2 deleted\r\n',
  '+OK dewey POP3 server signing off (maildrop empty)\r\n',
];
const CLIENT_LINES = ['APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n', 'STAT\r\n', 'LIST\r\n', 'RETR 1\r\n', 'DELE 1\r\n', 'RETR 2\r\n', 'DELE 2\r\n', 'QUIT\r\n'];

describe('rfc1939 10 example session', () => {
  it('client session: its bytes are the RFC C: lines; typed results', () => {
    const c = new pop3.ClientSession();
    const events: pop3.ClientEvent[] = [];
    const feed = (s: string) => events.push(...c.receive(enc(s)));
    feed(SERVER_LINES[0]!);
    expect(c.apopTimestamp).toBe('<1896.697170952@dbc.mtview.ca.us>');
    c.apop('mrose', 'tanstaaf');
    const sent: string[] = [out(c)];
    feed(SERVER_LINES[1]!);
    expect(c.state).toBe('transaction');
    const steps: [() => void, string][] = [
      [() => c.stat(), SERVER_LINES[2]!],
      [() => c.list(), SERVER_LINES[3]!],
      [() => c.retr(1), SERVER_LINES[4]!],
      [() => c.dele(1), SERVER_LINES[5]!],
      [() => c.retr(2), SERVER_LINES[6]!],
      [() => c.dele(2), SERVER_LINES[7]!],
      [() => c.quit(), SERVER_LINES[8]!],
    ];
    for (const [act, reply] of steps) {
      act();
      sent.push(out(c));
      // Feed each response one byte at a time: results must not depend on chunking.
      for (const b of bytewise(enc(reply))) events.push(...c.receive(b));
    }
    expect(sent).toEqual(CLIENT_LINES);
    const responses = events.filter((e): e is pop3.ClientResponseEvent => e.type === 'response');
    expect(responses.find((r) => r.command.verb === 'STAT')?.stat).toEqual({ count: 2, size: 320 });
    expect(responses.find((r) => r.command.verb === 'LIST')?.list).toEqual([
      { message: 1, size: 120 },
      { message: 2, size: 200 },
    ]);
    const bodies = new Map<number, Uint8Array[]>();
    for (const e of events) if (e.type === 'data' && e.command.verb === 'RETR') bodies.set(e.command.message, [...(bodies.get(e.command.message) ?? []), e.chunk]);
    expect(dec(concat(bodies.get(1)!))).toBe(MSG1);
    expect(dec(concat(bodies.get(2)!))).toBe(MSG2);
    expect(events.filter((e) => e.type === 'data-end')).toHaveLength(2);
    expect(events.at(-1)).toEqual({ type: 'closed' });
    expect(c.state).toBe('closed');
  });

  it('server session: fed the C: lines, with the application answering, it writes the S: lines', () => {
    const s = new pop3.ServerSession({ greeting: 'POP3 server ready <1896.697170952@dbc.mtview.ca.us>' });
    const wrote: string[] = [out(s)];
    const states: string[] = [];
    const deleted: number[] = [];
    for (const line of CLIENT_LINES) {
      for (const e of s.receive(enc(line))) {
        if (e.type !== 'command') continue;
        const c = e.command;
        states.push(`${c.verb}@${s.state}`);
        if (c.verb === 'APOP') {
          expect(c.digest).toBe(pop3.apopDigest('<1896.697170952@dbc.mtview.ca.us>', 'tanstaaf'));
          s.ok("mrose's maildrop has 2 messages (320 octets)");
        } else if (c.verb === 'STAT') s.ok('2 320');
        else if (c.verb === 'LIST') s.listing('2 messages (320 octets)', ['1 120', '2 200']);
        else if (c.verb === 'RETR') {
          s.beginBody(`${c.message === 1 ? 120 : 200} octets`);
          s.writeBody(enc(c.message === 1 ? MSG1 : MSG2));
          s.endBody();
        } else if (c.verb === 'DELE') {
          deleted.push(c.message);
          s.ok(`message ${c.message} deleted`);
        } else if (c.verb === 'QUIT') s.ok('dewey POP3 server signing off (maildrop empty)');
      }
      wrote.push(out(s));
    }
    expect(wrote).toEqual(SERVER_LINES);
    expect(states).toEqual(['APOP@authorization', 'STAT@transaction', 'LIST@transaction', 'RETR@transaction', 'DELE@transaction', 'RETR@transaction', 'DELE@transaction', 'QUIT@update']);
    expect(deleted).toEqual([1, 2]);
    expect(s.state).toBe('closed');
  });
});

describe('rfc1939 7 APOP and MD5', () => {
  it('rfc1321 A.5 test suite and the rfc1939 APOP example', () => {
    const vectors: [string, string][] = [
      ['', 'd41d8cd98f00b204e9800998ecf8427e'],
      ['a', '0cc175b9c0f1b6a831c399e269772661'],
      ['abc', '900150983cd24fb0d6963f7d28e17f72'],
      ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
      ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
      ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
      ['12345678901234567890123456789012345678901234567890123456789012345678901234567890', '57edf4a22be3c955ac49da2e2107b67a'],
    ];
    for (const [input, hex] of vectors) expect(pop3.md5Hex(input)).toBe(hex);
    expect(pop3.apopDigest('<1896.697170952@dbc.mtview.ca.us>', 'tanstaaf')).toBe('c4c9334bac560ecc979e58001b3e22fb');
  });

  it('the client refuses APOP when the greeting has no timestamp', () => {
    const c = new pop3.ClientSession();
    c.receive(enc('+OK ready\r\n'));
    expect(() => c.apop('u', 'p')).toThrow();
  });
});

describe('rfc1939 7 USER/PASS and the AUTHORIZATION state rules', () => {
  it('client: USER then PASS one at a time; a failed PASS is a failed login', () => {
    const c = new pop3.ClientSession();
    c.receive(enc('+OK ready\r\n'));
    c.login('mrose', 'secret with spaces');
    expect(out(c)).toBe('USER mrose\r\n');
    c.receive(enc('+OK mrose is a real hoopy frood\r\n'));
    expect(out(c)).toBe('PASS secret with spaces\r\n');
    const ev = c.receive(enc('-ERR [AUTH] invalid password\r\n'));
    expect(ev.find((e) => e.type === 'auth')).toMatchObject({ success: false, response: { code: 'AUTH' } });
    expect(c.state).toBe('authorization');
  });

  it('server: transaction commands are refused before login, PASS needs USER', () => {
    const s = new pop3.ServerSession();
    s.takeOutput();
    const ev = s.receive(enc('STAT\r\nPASS x\r\nUSER a\r\n'));
    expect(ev.filter((e) => e.type === 'auto-reply')).toHaveLength(2);
    expect(ev.find((e) => e.type === 'command')).toMatchObject({ command: { verb: 'USER' } });
    expect(out(s)).toBe('-ERR STAT not allowed in the AUTHORIZATION state\r\n-ERR PASS must follow a successful USER\r\n');
    s.ok('hi');
    const ev2 = s.receive(enc('PASS p w\r\n'));
    expect(ev2).toEqual([{ type: 'command', command: { verb: 'PASS', argument: 'p w' }, user: 'a' }]);
    s.ok('logged in');
    expect(s.state).toBe('transaction');
    expect(s.receive(enc('USER b\r\n'))).toMatchObject([{ type: 'auto-reply' }]);
  });
});

describe('rfc5034 AUTH', () => {
  it('client PLAIN with an initial response; server LOGIN with "+ " challenges', () => {
    const c = new pop3.ClientSession();
    c.receive(enc('+OK ready\r\n'));
    c.authenticate({ mechanism: 'PLAIN', user: 'tim', password: 'tanstaaftanstaaf' });
    expect(out(c)).toBe('AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm\r\n');
    expect(c.receive(enc('+OK Maildrop locked and ready\r\n')).find((e) => e.type === 'auth')).toMatchObject({ success: true });

    const s = new pop3.ServerSession();
    const got: string[] = [];
    const handle = (events: pop3.ServerEvent[]): void => {
      for (const e of events) {
        if (e.type === 'command' && e.command.verb === 'AUTH') handle(s.challenge(enc('Username:')));
        else if (e.type === 'auth-response') {
          got.push(dec(e.response));
          handle(got.length === 1 ? s.challenge(enc('Password:')) : s.ok('Maildrop locked and ready'));
        }
      }
    };
    handle(s.receive(enc('AUTH LOGIN\r\ndGlt\r\ndGFuc3RhYWZ0YW5zdGFhZg==\r\nSTAT\r\n')));
    expect(got).toEqual(['tim', 'tanstaaftanstaaf']);
    expect(s.state).toBe('transaction');
    expect(out(s)).toContain('+ VXNlcm5hbWU6\r\n+ UGFzc3dvcmQ6\r\n+OK Maildrop locked and ready\r\n');
  });

  it('client LOGIN answers "+ " challenges; "*" cancels on the server', () => {
    const c = new pop3.ClientSession();
    c.receive(enc('+OK ready\r\n'));
    c.authenticate({ mechanism: 'LOGIN', user: 'tim', password: 'pw' });
    expect(out(c)).toBe('AUTH LOGIN\r\n');
    c.receive(enc('+ VXNlcm5hbWU6\r\n'));
    expect(out(c)).toBe('dGlt\r\n');
    const s = new pop3.ServerSession();
    const ev: pop3.ServerEvent[] = [];
    for (const e of s.receive(enc('AUTH PLAIN\r\n*\r\n'))) {
      ev.push(e);
      if (e.type === 'command') ev.push(...s.challenge(new Uint8Array(0)));
    }
    expect(ev.map((e) => e.type)).toEqual(['command', 'auto-reply']);
    expect(s.state).toBe('authorization');
  });
});

describe('rfc2449 CAPA and PIPELINING', () => {
  it('6 CAPA example, then pipelined commands', () => {
    const c = new pop3.ClientSession();
    c.receive(enc('+OK ready\r\n'));
    c.capa();
    expect(out(c)).toBe('CAPA\r\n');
    const ev = c.receive(enc('+OK Capability list follows\r\nTOP\r\nUSER\r\nSASL CRAM-MD5 KERBEROS_V4\r\nRESP-CODES\r\nLOGIN-DELAY 900\r\nPIPELINING\r\nEXPIRE 60\r\nUIDL\r\nIMPLEMENTATION Shlemazle-Plotz-v302\r\n.\r\n'));
    const caps = (ev.find((e) => e.type === 'response') as pop3.ClientResponseEvent).capabilities!;
    expect(caps).toMatchObject({ top: true, user: true, uidl: true, pipelining: true, respCodes: true, sasl: ['CRAM-MD5', 'KERBEROS_V4'], loginDelay: { seconds: 900, perUser: false }, expire: { days: 60, perUser: false }, implementation: 'Shlemazle-Plotz-v302' });
    // The login steps are hold points even under PIPELINING (Courier drops what follows PASS);
    // what comes after the login is pipelined.
    c.login('u', 'p');
    c.stat();
    c.list();
    expect(out(c)).toBe('USER u\r\n');
    c.receive(enc('+OK\r\n'));
    expect(out(c)).toBe('PASS p\r\n');
    c.receive(enc('+OK logged in\r\n'));
    expect(out(c)).toBe('STAT\r\nLIST\r\n');
  });
});

describe('seed notes: the RFC 1939 session as the lecture notes copy it', () => {
  it('the notes changed the timestamp but kept the digest: a server checking APOP refuses it', () => {
    // The seed greeting is "<1896.697270952@dbc.ca.us>" with RFC 1939's digest for "<1896.697170952@dbc.mtview.ca.us>".
    const stamp = '<1896.697270952@dbc.ca.us>';
    const s = new pop3.ServerSession({ greeting: `POP3 server ready ${stamp}` });
    s.takeOutput();
    const ev = s.receive(enc('APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n'));
    const cmd = (ev[0] as pop3.ServerCommandEvent).command as pop3.ApopCommand;
    expect(cmd.digest === pop3.apopDigest(stamp, 'tanstaaf')).toBe(false);
    s.err('permission denied', 'AUTH');
    expect(dec(concat(s.takeOutput()))).toBe('-ERR [AUTH] permission denied\r\n');
    expect(s.state).toBe('authorization');
    // The client, given the notes' greeting, computes the digest that does match it.
    const c = new pop3.ClientSession();
    c.receive(enc(`+OK POP3 server ready ${stamp}\r\n`));
    c.apop('mrose', 'tanstaaf');
    expect(dec(concat(c.takeOutput()))).toBe(`APOP mrose ${pop3.apopDigest(stamp, 'tanstaaf')}\r\n`);
  });
});
