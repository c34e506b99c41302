import { describe, expect, it } from 'vitest';
import { smtp } from '../../src/index';
import { concat, dec, enc } from '../helpers/bytes';

/**
 * Replays an RFC transcript through the server session: the C: lines go in, the application
 * answers every event with the S: reply that follows in the transcript, and the bytes the
 * session writes must be exactly the S: lines.
 */
function replayServer(domain: string, transcript: string[]): string[] {
  const s = new smtp.ServerSession({ domain, greeting: transcript[0]!.slice("S: 220 ".length + domain.length + 1) });
  const written = [dec(concat(s.takeOutput()))];
  let i = 1;
  const replies: string[] = [];
  // Collect the server's replies in order; client lines are fed one by one.
  const serverQueue = transcript.slice(1).filter((l) => l.startsWith('S: ')).map((l) => l.slice(3));
  let q = 0;
  const nextReply = (): smtp.Reply => {
    const lines: string[] = [];
    for (;;) {
      const l = serverQueue[q++]!;
      lines.push(l);
      if (l[3] !== '-') break;
    }
    return smtp.parseReply(lines.join('\r\n')) as smtp.Reply;
  };
  const handle = (events: smtp.ServerEvent[]): void => {
    for (const e of events) if (e.type === 'command' || e.type === 'data-end') handle(s.replyAll([nextReply()]));
  };
  for (; i < transcript.length; i++) {
    const l = transcript[i]!;
    if (l.startsWith('C: ')) {
      handle(s.receive(enc(`${l.slice(3)}\r\n`)));
      replies.push(dec(concat(s.takeOutput())));
    }
  }
  return [written[0]!, ...replies].join('').split('\r\n').filter((x) => x !== '');
}

const D2: string[] = [
  'S: 220 foo.com Simple Mail Transfer Service Ready',
  'C: EHLO bar.com',
  'S: 250-foo.com greets bar.com',
  'S: 250-8BITMIME',
  'S: 250-SIZE',
  'S: 250-DSN',
  'S: 250 HELP',
  'C: MAIL FROM:<Smith@bar.com>',
  'S: 250 OK',
  'C: RCPT TO:<Jones@foo.com>',
  'S: 250 OK',
  'C: RCPT TO:<Green@foo.com>',
  'S: 550 No such user here',
  'C: RSET',
  'S: 250 OK',
  'C: QUIT',
  'S: 221 foo.com Service closing transmission channel',
];

const D4: string[] = [
  'S: 220 foo.com Simple Mail Transfer Service Ready',
  'C: EHLO bar.com',
  'S: 250-foo.com greets bar.com',
  'S: 250-8BITMIME',
  'S: 250-SIZE',
  'S: 250-DSN',
  'S: 250-VRFY',
  'S: 250 HELP',
  'C: VRFY Crispin',
  'S: 250 Mark Crispin <Admin.MRC@foo.com>',
  'C: MAIL FROM:<EAK@bar.com>',
  'S: 250 OK',
  'C: RCPT TO:<Admin.MRC@foo.com>',
  'S: 250 OK',
  'C: DATA',
  'S: 354 Start mail input; end with <CRLF>.<CRLF>',
  'C: Blah blah blah...',
  'C: ...etc. etc. etc.',
  'C: .',
  'S: 250 OK',
  'C: QUIT',
  'S: 221 foo.com Service closing transmission channel',
];

const serverLines = (t: string[]) => t.filter((l) => l.startsWith('S: ')).map((l) => l.slice(3));

describe('rfc5321 appendix D through the server session', () => {
  it('D.2 aborted transaction (RSET)', () => {
    const t = D2;
    expect(replayServer('foo.com', t)).toEqual(serverLines(t));
  });

  it('D.3 relayed mail (the relay hop, with Received: lines in the body)', () => {
    const t = [
      'S: 220 foo.com Simple Mail Transfer Service Ready',
      'C: EHLO bar.com',
      'S: 250-foo.com greets bar.com',
      'S: 250-8BITMIME',
      'S: 250-SIZE',
      'S: 250-DSN',
      'S: 250 HELP',
      'C: MAIL FROM:<JQP@bar.com>',
      'S: 250 OK',
      'C: RCPT TO:<Jones@XYZ.COM>',
      'S: 250 OK',
      'C: DATA',
      'S: 354 Start mail input; end with <CRLF>.<CRLF>',
      'C: Received: from bar.com by foo.com ; Thu, 21 May 1998',
      'C:     05:33:29 -0700',
      'C: Date: Thu, 21 May 1998 05:33:22 -0700',
      'C: From: John Q. Public <JQP@bar.com>',
      'C: Subject: The Next Meeting of the Board',
      'C: To: Jones@xyz.com',
      'C: ',
      'C: Bill:',
      'C: The next meeting of the board of directors will be',
      'C: on Tuesday.',
      'C:                                               John.',
      'C: .',
      'S: 250 OK',
      'C: QUIT',
      'S: 221 foo.com Service closing transmission channel',
    ];
    expect(replayServer('foo.com', t)).toEqual(serverLines(t));
  });

  it('D.4 verifying and sending (VRFY then SEND-less transaction)', () => {
    const t = D4;
    expect(replayServer('foo.com', t)).toEqual(serverLines(t));
  });
});

describe('rfc1869 / rfc1870 SIZE', () => {
  it('rfc1870 6 example: the client declares SIZE, the server refuses one over its limit', () => {
    const s = new smtp.ServerSession({ domain: 'foo.com', maxMessageSize: 1000000 });
    s.takeOutput();
    const codes: number[] = [];
    const handle = (events: smtp.ServerEvent[]): void => {
      for (const e of events) {
        if (e.type === 'command') handle(s.accept());
        if (e.type === 'auto-reply') codes.push(e.reply.code);
      }
    };
    handle(s.receive(enc('EHLO bar.com\r\n')));
    expect(dec(concat(s.takeOutput()))).toContain('250 SIZE 1000000\r\n');
    handle(s.receive(enc('MAIL FROM:<ned@thor.innosoft.com> SIZE=500000\r\n')));
    expect(codes).toEqual([]);
    handle(s.receive(enc('RSET\r\nMAIL FROM:<ned@thor.innosoft.com> SIZE=5000000\r\n')));
    expect(codes).toEqual([552]);
  });
});

/**
 * Drives the client session through a transcript: `act` runs the application's intents when
 * the session is ready; the S: lines are fed as the client's bytes are produced, and every byte
 * the client writes must be exactly the transcript's C: lines.
 */
function replayClient(transcript: string[], act: (c: smtp.ClientSession) => void): string[] {
  const c = new smtp.ClientSession({ domain: 'bar.com' });
  const sent: string[] = [];
  const events: smtp.ClientEvent[] = [];
  let acted = false;
  for (const l of transcript) {
    if (!l.startsWith('S: ')) continue;
    const line = l.slice(3);
    events.push(...c.receive(enc(`${line}\r\n`)));
    if (!acted && c.state === 'ready') {
      acted = true;
      act(c);
    }
    const out = dec(concat(c.takeOutput()));
    if (out !== '') sent.push(...out.split('\r\n').filter((x, i, a) => i < a.length - 1 || x !== ''));
  }
  return sent;
}
const clientLines = (t: string[]) => t.filter((l) => l.startsWith('C: ')).map((l) => l.slice(3));

describe('rfc5321 appendix D through the client session', () => {
  it('D.2 aborted transaction: the application sends RSET after a refused recipient', () => {
    const t = D2;
    const sent = replayClient(t, (c) => {
      c.sendCommand({ verb: 'MAIL', from: smtp.makePath('Smith', 'bar.com'), params: [] });
      c.sendCommand({ verb: 'RCPT', to: smtp.makePath('Jones', 'foo.com'), params: [] });
      c.sendCommand({ verb: 'RCPT', to: smtp.makePath('Green', 'foo.com'), params: [] });
      c.rset();
      c.quit();
    });
    expect(sent).toEqual(clientLines(t));
  });

  it('D.3 relayed mail: the body with Received: lines goes out dot-stuffed as written', () => {
    const body = 'Received: from bar.com by foo.com ; Thu, 21 May 1998\r\n    05:33:29 -0700\r\nDate: Thu, 21 May 1998 05:33:22 -0700\r\nFrom: John Q. Public <JQP@bar.com>\r\nSubject: The Next Meeting of the Board\r\nTo: Jones@xyz.com\r\n\r\nBill:\r\nThe next meeting of the board of directors will be\r\non Tuesday.\r\n                                              John.\r\n';
    const t = [
      'S: 220 foo.com Simple Mail Transfer Service Ready',
      'C: EHLO bar.com',
      'S: 250-foo.com greets bar.com',
      'S: 250-8BITMIME',
      'S: 250-SIZE',
      'S: 250-DSN',
      'S: 250 HELP',
      'C: MAIL FROM:<JQP@bar.com>',
      'S: 250 OK',
      'C: RCPT TO:<Jones@XYZ.COM>',
      'S: 250 OK',
      'C: DATA',
      'S: 354 Start mail input; end with <CRLF>.<CRLF>',
      ...body.split('\r\n').slice(0, -1).map((l) => `C: ${l}`),
      'C: .',
      'S: 250 OK',
      'C: QUIT',
      'S: 221 foo.com Service closing transmission channel',
    ];
    const sent = replayClient(t, (c) => {
      c.sendMail({ from: 'JQP@bar.com', to: ['Jones@XYZ.COM'] });
      c.writeBody(enc(body));
      c.endBody();
      c.quit();
    });
    expect(sent).toEqual(clientLines(t));
  });

  it('D.4 verifying and sending: VRFY, then the transaction', () => {
    const t = D4;
    const sent = replayClient(t, (c) => {
      c.sendCommand({ verb: 'VRFY', argument: 'Crispin', smtputf8: false });
      c.sendMail({ from: 'EAK@bar.com', to: ['Admin.MRC@foo.com'] });
      c.writeBody(enc('Blah blah blah...\r\n..etc. etc. etc.\r\n'));
      c.endBody();
      c.quit();
    });
    expect(sent).toEqual(clientLines(t));
  });
});

describe('seed notes: the 1995 CERN sendmail session through the server session', () => {
  it('EHLO refused with 500, HELO accepted, null sender, one recipient, a body', () => {
    const s = new smtp.ServerSession({ domain: 'dxmint.cern.ch', greeting: 'sendmail ready at sun, 9 jul 1995 11:13:57 +0200' });
    s.takeOutput();
    let body = '';
    const handle = (events: smtp.ServerEvent[]): void => {
      for (const e of events) {
        if (e.type === 'command' && e.command.verb === 'EHLO') handle(s.reply(500, 'command unrecognized'));
        else if (e.type === 'command' && e.command.verb === 'MAIL') handle(s.reply(250, '<>... sender ok'));
        else if (e.type === 'command') handle(s.accept());
        else if (e.type === 'data') body += dec(e.chunk);
        else if (e.type === 'data-end') handle(s.accept());
      }
    };
    handle(s.receive(enc('EHLO dxmint.cern.ch\r\nHELO crnvma.cern.ch\r\nmail from:<>\r\nRCPT TO:<ysemenov@cernvm.cern.ch>\r\nDATA\r\nnu-i-nu...\r\n.\r\nQUIT\r\n')));
    const lines = dec(concat(s.takeOutput())).split('\r\n');
    expect(lines.slice(0, 3)).toEqual(['500 command unrecognized', '250 dxmint.cern.ch', '250 <>... sender ok']);
    expect(body).toBe('nu-i-nu...\r\n');
    expect(s.state).toBe('closed');
  });
});
