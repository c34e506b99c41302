import { describe, expect, it } from 'vitest';
import { smtp } from '../../src/index';
import { bin, concat, dec, enc, splitAt } from '../helpers/bytes';

// The published fake end-of-data sequences (SMTP smuggling, 2023) and their relatives.
const FAKE_ENDS = ['\n.\n', '\n.\r\n', '\r\n.\n', '\r.\r\n', '\r\n.\r', '\r.\r', '\r.\n', '\n.\r', '\r\n.\r\r\n', '\r\r\n.\r\r\n', '\r\n\0.\r\n', '\r\n.\0\r\n'];

interface Outcome {
  messages: string[];
  autoReplies: number[];
  mailCommands: number;
}

function runServer(chunks: Uint8Array[], policy: 'reject' | 'normalize' | 'accept' = 'reject'): Outcome {
  const s = new smtp.ServerSession({ domain: 'mx.example', parser: { dataLineEndings: policy } });
  const o: Outcome = { messages: [], autoReplies: [], mailCommands: 0 };
  let body: Uint8Array[] = [];
  const handle = (events: smtp.ServerEvent[]): void => {
    for (const e of events) {
      if (e.type === 'command') {
        if (e.command.verb === 'MAIL') o.mailCommands++;
        handle(s.accept());
      } else if (e.type === 'data') body.push(e.chunk);
      else if (e.type === 'data-end') {
        o.messages.push(String.fromCharCode(...concat(body)));
        body = [];
        handle(s.accept());
      } else if (e.type === 'auto-reply') {
        if (e.reply.code >= 500) body = [];
        o.autoReplies.push(e.reply.code);
      }
    }
  };
  for (const c of chunks) handle(s.receive(c));
  return o;
}

describe('SMTP smuggling: only CRLF.CRLF ends DATA', () => {
  for (const fake of FAKE_ENDS) {
    it(`${JSON.stringify(fake)} followed by a second transaction, split at every byte`, () => {
      const wire = bin(
        `EHLO attacker.example\r\nMAIL FROM:<a@attacker.example>\r\nRCPT TO:<v@mx.example>\r\nDATA\r\nfirst${fake}MAIL FROM:<admin@bank.example>\r\nRCPT TO:<v@mx.example>\r\nDATA\r\nsmuggled\r\n.\r\nQUIT\r\n`,
      );
      for (const policy of ['reject', 'normalize', 'accept'] as const) {
        const whole = runServer([wire], policy);
        // Never a second MAIL command and never a second message.
        expect(whole.mailCommands).toBe(1);
        const hasBare = /\r(?!\n)|(?<!\r)\n/.test(fake);
        if (policy === 'reject' && hasBare) {
          expect(whole.messages).toEqual([]);
          expect(whole.autoReplies).toEqual([550]);
        } else {
          expect(whole.messages).toHaveLength(1);
          expect(whole.messages[0]).toContain('MAIL FROM:<admin@bank.example>');
        }
        for (let i = 1; i < wire.length; i++) expect(runServer(splitAt(wire, [i]), policy)).toEqual(whole);
      }
    });
  }

  it('the client never emits a bare CR or LF: it normalises before stuffing', () => {
    const c = new smtp.ClientSession({ domain: 'c.example' });
    c.receive(enc('220 s\r\n250-s\r\n250 PIPELINING\r\n'));
    c.takeOutput();
    c.sendMail({ from: 'a@b.example', to: ['c@d.example'] });
    c.receive(enc('250 ok\r\n250 ok\r\n354 go\r\n'));
    expect(dec(concat(c.takeOutput()))).toBe('MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\n');
    c.writeBody(bin('first\n.\nMAIL FROM:<admin@bank.example>\r.\r\n'));
    c.endBody();
    const wire = dec(concat(c.takeOutput()));
    expect(wire).toBe('first\r\n..\r\nMAIL FROM:<admin@bank.example>\r\n..\r\n.\r\n');
    expect(runServer([enc(`EHLO c.example\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\n${wire}`)]).messages).toEqual(['first\r\n.\r\nMAIL FROM:<admin@bank.example>\r\n.\r\n']);
  });
});
