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

const serverLines = (t: string[]) => t.filter((l) => l.startsWith('S: ')).map((l) => l.slice(3));

describe('rfc5321 appendix D through the server session', () => {
  it('D.2 aborted transaction (RSET)', () => {
    const t = [
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
    const t = [
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
