import { describe, expect, it } from 'vitest';
import { smtp } from '../../src/index';
import { concat, dec, enc } from '../helpers/bytes';

const out = (s: { takeOutput(): Uint8Array[] }) => dec(concat(s.takeOutput()));

// RFC 5321 appendix D.1, "A Typical SMTP Transaction Scenario".
const D1_SERVER = {
  greeting: '220 foo.com Simple Mail Transfer Service Ready\r\n',
  ehlo: '250-foo.com greets bar.com\r\n250-8BITMIME\r\n250-SIZE\r\n250-DSN\r\n250 HELP\r\n',
};

describe('rfc5321 D.1 typical transaction', () => {
  it('client session: its bytes are the RFC client lines, and it reports per-recipient results', () => {
    const c = new smtp.ClientSession({ domain: 'bar.com' });
    const events: smtp.ClientEvent[] = [];
    const feed = (s: string) => events.push(...c.receive(enc(s)));
    feed(D1_SERVER.greeting);
    expect(out(c)).toBe('EHLO bar.com\r\n');
    feed(D1_SERVER.ehlo);
    expect(c.capabilities?.dsn).toBe(true);
    c.sendMail({ from: 'Smith@bar.com', to: ['Jones@foo.com', 'Green@foo.com', 'Brown@foo.com'] });
    c.writeBody(enc('Blah blah blah...\r\n...etc. etc. etc.\r\n'));
    c.endBody();
    // No PIPELINING offered: one command at a time.
    expect(out(c)).toBe('MAIL FROM:<Smith@bar.com>\r\n');
    feed('250 OK\r\n');
    expect(out(c)).toBe('RCPT TO:<Jones@foo.com>\r\n');
    feed('250 OK\r\n');
    expect(out(c)).toBe('RCPT TO:<Green@foo.com>\r\n');
    feed('550 No such user here\r\n');
    expect(out(c)).toBe('RCPT TO:<Brown@foo.com>\r\n');
    feed('250 OK\r\n');
    expect(out(c)).toBe('DATA\r\n');
    feed('354 Start mail input; end with <CRLF>.<CRLF>\r\n');
    expect(out(c)).toBe('Blah blah blah...\r\n....etc. etc. etc.\r\n.\r\n');
    feed('250 OK\r\n');
    c.quit();
    expect(out(c)).toBe('QUIT\r\n');
    feed('221 foo.com Service closing transmission channel\r\n');
    const rcpts = events.filter((e): e is smtp.ClientRecipientEvent => e.type === 'recipient').map((e) => [e.to.address, e.accepted]);
    expect(rcpts).toEqual([
      ['Jones@foo.com', true],
      ['Green@foo.com', false],
      ['Brown@foo.com', true],
    ]);
    const msg = events.find((e): e is smtp.ClientMessageEvent => e.type === 'message')!;
    expect(msg.accepted).toBe(true);
    expect(msg.acceptedRecipients.map((p) => p.address)).toEqual(['Jones@foo.com', 'Brown@foo.com']);
    expect(c.state).toBe('closed');
  });

  it('server session: fed the client lines it yields the commands and the body; answers frame the RFC replies', () => {
    const s = new smtp.ServerSession({ domain: 'foo.com', greeting: 'Simple Mail Transfer Service Ready' });
    expect(out(s)).toBe(D1_SERVER.greeting);
    const client = 'EHLO bar.com\r\nMAIL FROM:<Smith@bar.com>\r\nRCPT TO:<Jones@foo.com>\r\nRCPT TO:<Green@foo.com>\r\nRCPT TO:<Brown@foo.com>\r\nDATA\r\nBlah blah blah...\r\n...etc. etc. etc.\r\n.\r\nQUIT\r\n';
    const seen: string[] = [];
    let body = '';
    const handle = (events: smtp.ServerEvent[]): void => {
      for (const e of events) {
        if (e.type === 'data') body += dec(e.chunk);
        else if (e.type === 'data-end') {
          seen.push(`end:${e.to.map((t) => t.address).join(',')}`);
          handle(s.reply(250, 'OK'));
        } else if (e.type === 'command') {
          seen.push(e.command.verb);
          const c = e.command;
          if (c.verb === 'EHLO') handle(s.replyAll([{ code: 250, enhanced: null, lines: ['foo.com greets bar.com', '8BITMIME', 'SIZE', 'DSN', 'HELP'] }]));
          else if (c.verb === 'RCPT' && c.to.localPart === 'Green') handle(s.reply(550, 'No such user here'));
          else if (c.verb === 'DATA') handle(s.reply(354, 'Start mail input; end with <CRLF>.<CRLF>'));
          else if (c.verb === 'QUIT') handle(s.reply(221, 'foo.com Service closing transmission channel'));
          else handle(s.reply(250, 'OK'));
        }
      }
    };
    handle(s.receive(enc(client)));
    expect(seen).toEqual(['EHLO', 'MAIL', 'RCPT', 'RCPT', 'RCPT', 'DATA', 'end:Jones@foo.com,Brown@foo.com', 'QUIT']);
    expect(body).toBe('Blah blah blah...\r\n..etc. etc. etc.\r\n');
    expect(out(s)).toBe(
      `${D1_SERVER.ehlo}250 OK\r\n250 OK\r\n550 No such user here\r\n250 OK\r\n354 Start mail input; end with <CRLF>.<CRLF>\r\n250 OK\r\n221 foo.com Service closing transmission channel\r\n`,
    );
    expect(s.state).toBe('closed');
  });
});

describe('rfc2920 3.2 pipelining', () => {
  it('client pipelines MAIL, RCPTs and DATA when PIPELINING is offered; body after 354', () => {
    const c = new smtp.ClientSession({ domain: 'dbc.mtview.ca.us' });
    c.receive(enc('220 innosoft.com SMTP service ready\r\n'));
    c.takeOutput();
    c.receive(enc('250-innosoft.com\r\n250 PIPELINING\r\n'));
    c.sendMail({ from: 'mrose@dbc.mtview.ca.us', to: ['ned@innosoft.com', 'dan@innosoft.com', 'kvc@innosoft.com'] });
    c.writeBody(enc('body\r\n'));
    c.endBody();
    expect(out(c)).toBe('MAIL FROM:<mrose@dbc.mtview.ca.us>\r\nRCPT TO:<ned@innosoft.com>\r\nRCPT TO:<dan@innosoft.com>\r\nRCPT TO:<kvc@innosoft.com>\r\nDATA\r\n');
    const ev = c.receive(enc('250 sender <mrose@dbc.mtview.ca.us> OK\r\n250 recipient <ned@innosoft.com> OK\r\n250 recipient <dan@innosoft.com> OK\r\n250 recipient <kvc@innosoft.com> OK\r\n354 enter mail, end with line containing only "."\r\n'));
    expect(ev.filter((e) => e.type === 'recipient')).toHaveLength(3);
    expect(out(c)).toBe('body\r\n.\r\n');
    const done = c.receive(enc('250 message sent\r\n'));
    expect(done.find((e) => e.type === 'message')).toMatchObject({ accepted: true });
  });

  it('server answers pipelined commands in order, checking each in the state its predecessors left', () => {
    const s = new smtp.ServerSession({ domain: 'innosoft.com' });
    s.takeOutput();
    const verbs: string[] = [];
    const auto: number[] = [];
    const handle = (events: smtp.ServerEvent[]): void => {
      for (const e of events) {
        if (e.type === 'command') {
          verbs.push(e.command.verb);
          // The MAIL is refused: the pipelined RCPT and DATA must then be out of sequence.
          handle(e.command.verb === 'MAIL' ? s.reply(550, 'sender refused') : s.accept());
        } else if (e.type === 'auto-reply') auto.push(e.reply.code);
      }
    };
    handle(s.receive(enc('EHLO dbc.mtview.ca.us\r\nMAIL FROM:<mrose@dbc.mtview.ca.us>\r\nRCPT TO:<ned@innosoft.com>\r\nDATA\r\nRSET\r\n')));
    expect(verbs).toEqual(['EHLO', 'MAIL', 'RSET']);
    expect(auto).toEqual([503, 503]);
    expect(out(s)).toMatch(/550 sender refused\r\n503 5.5.1 Need MAIL command\r\n503 5.5.1 Need RCPT command\r\n250 2.0.0 OK\r\n$/);
  });
});

describe('rfc3030 4 BDAT', () => {
  it('client sends BDAT chunks with CHUNKING; server yields the exact octets', () => {
    const c = new smtp.ClientSession({ domain: 'c.example', chunking: true });
    c.receive(enc('220 s.example ESMTP\r\n'));
    c.receive(enc('250-s.example\r\n250-PIPELINING\r\n250 CHUNKING\r\n'));
    c.takeOutput();
    c.sendMail({ from: 'Sam@Random.com', to: ['Susan@Random.com'] });
    c.writeBody(enc('.line one\r\nno stuffing'));
    c.endBody();
    const wire = out(c);
    expect(wire).toBe('MAIL FROM:<Sam@Random.com>\r\nRCPT TO:<Susan@Random.com>\r\nBDAT 22\r\n.line one\r\nno stuffingBDAT 0 LAST\r\n');
    const s = new smtp.ServerSession({ domain: 's.example' });
    let body = '';
    const handle = (events: smtp.ServerEvent[]): void => {
      for (const e of events) {
        // A BDAT command is answered at its data-end, once its octets have arrived (RFC 3030 2).
        if (e.type === 'command' && e.command.verb !== 'BDAT') handle(s.accept());
        else if (e.type === 'data') body += dec(e.chunk);
        else if (e.type === 'data-end') handle(s.accept());
      }
    };
    handle(s.receive(enc(`EHLO c.example\r\n${wire}`)));
    expect(body).toBe('.line one\r\nno stuffing');
    s.takeOutput();
    const ev = c.receive(enc('250 2.1.0 ok\r\n250 2.1.5 ok\r\n250 2.0.0 23 octets\r\n250 2.0.0 Message OK\r\n'));
    expect(ev.find((e) => e.type === 'message')).toMatchObject({ accepted: true });
  });
});

describe('rfc4954 AUTH', () => {
  it('4 PLAIN with an initial response through both sessions', () => {
    const c = new smtp.ClientSession({ domain: 'c.example' });
    c.receive(enc('220 s.example ESMTP\r\n'));
    c.receive(enc('250-s.example\r\n250 AUTH PLAIN LOGIN\r\n'));
    c.takeOutput();
    c.authenticate({ mechanism: 'PLAIN', user: 'test', password: '1234', authzid: 'test' });
    expect(out(c)).toBe('AUTH PLAIN dGVzdAB0ZXN0ADEyMzQ=\r\n');
    expect(c.receive(enc('235 2.7.0 Authentication successful\r\n')).find((e) => e.type === 'auth')).toMatchObject({ success: true });
    expect(c.state).toBe('ready');
  });

  it('LOGIN with two 334 challenges, and the server side of it', () => {
    const c = new smtp.ClientSession({ domain: 'c.example' });
    c.receive(enc('220 s\r\n250-s\r\n250 AUTH LOGIN\r\n'));
    c.takeOutput();
    c.authenticate({ mechanism: 'LOGIN', user: 'tim', password: 'tanstaaftanstaaf' });
    expect(out(c)).toBe('AUTH LOGIN\r\n');
    c.receive(enc('334 VXNlcm5hbWU6\r\n'));
    expect(out(c)).toBe('dGlt\r\n');
    c.receive(enc('334 UGFzc3dvcmQ6\r\n'));
    expect(out(c)).toBe('dGFuc3RhYWZ0YW5zdGFhZg==\r\n');
    expect(c.receive(enc('535 5.7.8 Authentication credentials invalid\r\n')).find((e) => e.type === 'auth')).toMatchObject({ success: false });

    const s = new smtp.ServerSession({ domain: 's' });
    const got: string[] = [];
    const handle = (events: smtp.ServerEvent[]): void => {
      for (const e of events) {
        if (e.type === 'command' && e.command.verb === 'EHLO') handle(s.accept());
        else if (e.type === 'command' && e.command.verb === 'AUTH') handle(s.challenge(enc('Username:')));
        else if (e.type === 'auth-response') {
          got.push(dec(e.response));
          handle(got.length === 1 ? s.challenge(enc('Password:')) : s.reply(235, 'Authentication successful', { class: 2, subject: 7, detail: 0 }));
        }
      }
    };
    handle(s.receive(enc('EHLO c\r\nAUTH LOGIN\r\ndGlt\r\ndGFuc3RhYWZ0YW5zdGFhZg==\r\nNOOP\r\n')));
    expect(got).toEqual(['tim', 'tanstaaftanstaaf']);
    expect(s.isAuthenticated).toBe(true);
    expect(out(s)).toContain('334 VXNlcm5hbWU6\r\n334 UGFzc3dvcmQ6\r\n235 2.7.0 Authentication successful\r\n');
  });

  it('4: "*" cancels the exchange with 501', () => {
    const s = new smtp.ServerSession({ domain: 's' });
    const auto: number[] = [];
    const handle = (events: smtp.ServerEvent[]): void => {
      for (const e of events) {
        if (e.type === 'command' && e.command.verb === 'EHLO') handle(s.accept());
        else if (e.type === 'command' && e.command.verb === 'AUTH') handle(s.challenge(new Uint8Array(0)));
        else if (e.type === 'auto-reply') auto.push(e.reply.code);
      }
    };
    handle(s.receive(enc('EHLO c\r\nAUTH PLAIN\r\n*\r\n')));
    expect(auto).toEqual([501]);
    expect(s.state).toBe('ready');
  });
});

describe('rfc2033 4.2 LMTP', () => {
  it('one reply per accepted recipient after the body, through both sessions', () => {
    const c = new smtp.ClientSession({ domain: 'foo.edu', lmtp: true });
    const events: smtp.ClientEvent[] = [];
    const feed = (x: string) => events.push(...c.receive(enc(x)));
    feed('220 foo.edu LMTP server ready\r\n');
    expect(out(c)).toBe('LHLO foo.edu\r\n');
    feed('250-foo.edu\r\n250-PIPELINING\r\n250 SIZE\r\n');
    c.sendMail({ from: 'chris@bar.com', to: ['pat@foo.edu', 'jones@foo.edu', 'green@foo.edu'] });
    c.writeBody(enc('Blah blah blah...\r\n...etc. etc. etc.\r\n'));
    c.endBody();
    expect(out(c)).toBe('MAIL FROM:<chris@bar.com>\r\nRCPT TO:<pat@foo.edu>\r\nRCPT TO:<jones@foo.edu>\r\nRCPT TO:<green@foo.edu>\r\nDATA\r\n');
    feed('250 OK\r\n250 OK\r\n550 No such user here\r\n250 OK\r\n354 Start mail input; end with <CRLF>.<CRLF>\r\n');
    expect(out(c)).toBe('Blah blah blah...\r\n....etc. etc. etc.\r\n.\r\n');
    feed('250 OK\r\n452 <green@foo.edu> is over quota\r\n');
    const delivery = events.filter((e): e is smtp.ClientRecipientEvent => e.type === 'recipient' && e.stage === 'delivery');
    expect(delivery.map((e) => [e.to.address, e.reply.code])).toEqual([
      ['pat@foo.edu', 250],
      ['green@foo.edu', 452],
    ]);
    const msg = events.find((e): e is smtp.ClientMessageEvent => e.type === 'message')!;
    expect(msg.acceptedRecipients.map((p) => p.address)).toEqual(['pat@foo.edu']);

    const s = new smtp.ServerSession({ domain: 'foo.edu', lmtp: true });
    s.takeOutput();
    const handle = (evs: smtp.ServerEvent[]): void => {
      for (const e of evs) {
        if (e.type === 'command') handle(e.command.verb === 'RCPT' && e.command.to.localPart === 'jones' ? s.reply(550, 'No such user here') : s.accept());
        else if (e.type === 'data-end') handle(s.accept());
      }
    };
    handle(s.receive(enc('LHLO foo.edu\r\nMAIL FROM:<chris@bar.com>\r\nRCPT TO:<pat@foo.edu>\r\nRCPT TO:<jones@foo.edu>\r\nRCPT TO:<green@foo.edu>\r\nDATA\r\nx\r\n.\r\n')));
    const lines = out(s).split('\r\n');
    expect(lines.filter((l) => l.startsWith('250 2.1.5 <'))).toEqual(['250 2.1.5 <pat@foo.edu> delivered', '250 2.1.5 <green@foo.edu> delivered']);
    // HELO is not LMTP.
    const s2 = new smtp.ServerSession({ domain: 'foo.edu', lmtp: true });
    expect(s2.receive(enc('HELO x.com\r\n'))).toMatchObject([{ type: 'auto-reply', reply: { code: 500 } }]);
  });
});

describe('rfc5321 3.2 / seed notes: an old server without EHLO', () => {
  it('falls back to HELO after "500 command unrecognized" (sendmail 1995 session in the seed notes)', () => {
    const c = new smtp.ClientSession({ domain: 'crnvma.cern.ch' });
    const ev: smtp.ClientEvent[] = [];
    ev.push(...c.receive(enc('220 dxmint.cern.ch sendmail ready at sun, 9 jul 1995 11:13:57 +0200\r\n')));
    expect(out(c)).toBe('EHLO crnvma.cern.ch\r\n');
    ev.push(...c.receive(enc('500 command unrecognized\r\n')));
    expect(out(c)).toBe('HELO crnvma.cern.ch\r\n');
    ev.push(...c.receive(enc('250 dxmint.cern.ch hello crnvma.cern.ch, pleased to meet you\r\n')));
    expect(ev.find((e) => e.type === 'ready')).toEqual({ type: 'ready', capabilities: null });
    c.sendMail({ from: null, to: ['ysemenov@cernvm.cern.ch'] });
    expect(out(c)).toBe('MAIL FROM:<>\r\n');
    c.receive(enc('250 <>... sender ok\r\n'));
    expect(out(c)).toBe('RCPT TO:<ysemenov@cernvm.cern.ch>\r\n');
  });
});

describe('server sequence rules and limits', () => {
  const auto = (s: smtp.ServerSession, wire: string, answer = true) => {
    const codes: number[] = [];
    const handle = (events: smtp.ServerEvent[]): void => {
      for (const e of events) {
        if (e.type === 'auto-reply') codes.push(e.reply.code);
        else if ((e.type === 'command' || e.type === 'data-end') && answer) handle(s.accept());
      }
    };
    handle(s.receive(enc(wire)));
    return codes;
  };

  it('503 for MAIL before EHLO, RCPT before MAIL, DATA before RCPT; 554 for DATA with no valid recipient', () => {
    expect(auto(new smtp.ServerSession({ domain: 's' }), 'MAIL FROM:<a@b.com>\r\nRCPT TO:<c@d.com>\r\nDATA\r\n')).toEqual([503, 503, 503]);
    expect(auto(new smtp.ServerSession({ domain: 's' }), 'EHLO c.com\r\nMAIL FROM:<a@b.com>\r\nMAIL FROM:<a@b.com>\r\nDATA\r\n')).toEqual([503, 554]);
  });

  it('500 for unknown verbs and overlong lines, 501 for syntax errors', () => {
    expect(auto(new smtp.ServerSession({ domain: 's' }), `XYZZY\r\nNOOP ${'a'.repeat(5000)}\r\nMAIL FROM:bad\r\n`)).toEqual([500, 500, 501]);
  });

  it('552 for a declared SIZE over the limit and for a body over it; 452 past maxRecipients', () => {
    expect(auto(new smtp.ServerSession({ domain: 's', maxMessageSize: 100 }), 'EHLO c.com\r\nMAIL FROM:<a@b.com> SIZE=1000\r\n')).toEqual([552]);
    expect(auto(new smtp.ServerSession({ domain: 's', maxMessageSize: 10 }), `EHLO c.com\r\nMAIL FROM:<a@b.com>\r\nRCPT TO:<x@y.com>\r\nDATA\r\n${'x'.repeat(50)}\r\n.\r\n`)).toEqual([552]);
    expect(auto(new smtp.ServerSession({ domain: 's', maxRecipients: 2 }), 'EHLO c.com\r\nMAIL FROM:<a@b.com>\r\nRCPT TO:<x@y.com>\r\nRCPT TO:<x@y.com>\r\nRCPT TO:<x@y.com>\r\n')).toEqual([452]);
  });

  it('a bare LF in DATA refuses the message (550) and the session stays in sync', () => {
    const s = new smtp.ServerSession({ domain: 's' });
    expect(auto(s, 'EHLO c.com\r\nMAIL FROM:<a@b.com>\r\nRCPT TO:<x@y.com>\r\nDATA\r\nbad\nline\r\n.\r\nNOOP\r\n')).toEqual([550]);
    expect(s.state).toBe('ready');
  });

  it('STARTTLS resets the session and reports the discarded clear-text bytes', () => {
    const s = new smtp.ServerSession({ domain: 's', extensions: [{ keyword: 'STARTTLS', params: [] }] });
    const events: smtp.ServerEvent[] = [];
    const handle = (ev: smtp.ServerEvent[]): void => {
      for (const e of ev) {
        events.push(e);
        if (e.type === 'command') handle(s.accept());
      }
    };
    handle(s.receive(enc('EHLO c.com\r\nSTARTTLS\r\nMAIL FROM:<evil@x.com>\r\n')));
    expect(events.find((e) => e.type === 'starttls')).toEqual({ type: 'starttls', discarded: 24 });
    expect(s.state).toBe('start');
  });

  it('bounds the backlog of pipelined commands nobody answers', () => {
    const s = new smtp.ServerSession({ domain: 's', maxPending: 50 });
    // One read is the peer's own: held (by reference) until the application answers.
    expect(s.receive(enc('NOOP\r\n'.repeat(200))).find((e) => e.type === 'closed')).toBeUndefined();
    // More while 199 wait unanswered: past maxPending, closed.
    const ev = s.receive(enc('NOOP\r\n'));
    expect(ev.find((e) => e.type === 'closed')).toBeDefined();
    expect(s.state).toBe('closed');
  });
});
