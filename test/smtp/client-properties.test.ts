/**
 * The SMTP client against any server bytes, split anyhow, driven by an application that makes
 * exactly the calls the events invite (tlsEstablished on starttls, saslRespond on
 * sasl-challenge, writeBody/endBody whenever it likes after sendMail): nothing ever throws, and
 * nothing is written between a starttls event and tlsEstablished().
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { smtp } from '../../src/index';
import { concat, dec, enc, splitAt } from '../helpers/bytes';

const EHLO = '250-mx.example\r\n250-PIPELINING\r\n250-STARTTLS\r\n250-AUTH PLAIN CRAM-MD5 XOAUTH2\r\n250-CHUNKING\r\n250 8BITMIME\r\n';
const REPLIES = [
  '250 ok\r\n', '250 ok\r\n', '250 ok\r\n', '251 forwarded\r\n', '220 go ahead\r\n', EHLO, '334 PDE4OTY+\r\n', '334 eyJzdGF0dXMiOiI0MDEifQ==\r\n',
  '334 !!\r\n', '334 \r\n', '235 ok\r\n', '535 no\r\n', '354 go\r\n', '354 go\r\n', '450 later\r\n', '550 no such user\r\n',
  '554 no valid recipients\r\n', '503 bad sequence\r\n', '500 what\r\n', '250-multi\r\n250 line\r\n',
];
const RARE = ['421 bye\r\n', '221 bye\r\n', 'garbage\r\n', '\0\r\n', '2\r\n', '250', '\n', '\r', '999 x\r\n', '250-\r\n', '220-x\r\n250 y\r\n'];
const LINE = fc.oneof({ arbitrary: fc.constantFrom(...REPLIES), weight: 30 }, { arbitrary: fc.constantFrom(...RARE), weight: 1 });

type Action = 'mail' | 'utf8mail' | 'auth-plain' | 'auth-cram' | 'auth-xoauth2' | 'starttls' | 'noop' | 'rset' | 'quit';
const ACTIONS: Action[] = ['mail', 'utf8mail', 'auth-plain', 'auth-cram', 'auth-xoauth2', 'starttls', 'noop', 'rset', 'quit'];

function run(replies: string[], groups: number[], actions: Action[], bodyAt: number[], chunking: boolean): void {
  const c = new smtp.ClientSession({ domain: 'c.example', chunking });
  let next = 0;
  let bodyState: 'none' | 'open' | 'written' = 'none';
  let step = 0;
  const act = (): void => {
    if (c.state !== 'ready' || next >= actions.length) return;
    const a = actions[next++]!;
    try {
      if (a === 'mail' || a === 'utf8mail') {
        c.sendMail({ from: 'a@c.example', to: [a === 'mail' ? 'b@mx.example' : 'ü@mx.example'] });
        bodyState = 'open';
      } else if (a === 'auth-plain') c.authenticate({ mechanism: 'PLAIN', user: 'u', password: 'p' });
      else if (a === 'auth-cram') c.authenticate({ mechanism: 'CRAM-MD5' });
      else if (a === 'auth-xoauth2') c.authenticate({ mechanism: 'XOAUTH2', user: 'u', accessToken: 't' });
      else if (a === 'starttls') c.startTls();
      else if (a === 'noop') c.noop();
      else if (a === 'rset') c.rset();
      else c.quit();
    } catch (e) {
      // The only refusal an application can meet here: a UTF-8 address to a server without SMTPUTF8.
      expect(e).toBeInstanceOf(RangeError);
    }
  };
  const body = (): void => {
    if (bodyState === 'open') {
      c.writeBody(enc('Subject: x\r\n\r\n.\r\n'));
      bodyState = 'written';
    } else if (bodyState === 'written') {
      c.endBody();
      bodyState = 'none';
    }
  };
  let tlsWait = false;
  // The server answers a few replies per read (1 to 3, some split in two), as replies come back
  // to a client that keeps asking.
  const reads: Uint8Array[] = [enc(`220 mx.example\r\n${EHLO}`)];
  for (let i = 0, g = 0; i < replies.length; g++) {
    const n = 1 + ((groups[g] ?? 0) % 3);
    const bytes = enc(replies.slice(i, i + n).join(''));
    i += n;
    reads.push(...splitAt(bytes, [Math.floor((groups[g] ?? 0) / 3) % (bytes.length + 1)]));
  }
  for (const chunk of reads) {
    const events = c.receive(chunk);
    for (const e of events) {
      if (e.type === 'starttls') tlsWait = true;
      if (e.type === 'sasl-challenge') c.saslRespond(e.challenge === null ? null : enc('tim 0123'));
    }
    if (tlsWait) {
      // Nothing is written between the starttls event and tlsEstablished(), whatever arrives: the
      // output of this read is empty or ends with the STARTTLS line (released by an earlier answer in it).
      const wrote = dec(concat(c.takeOutput()));
      if (wrote !== '') expect(wrote.endsWith('STARTTLS\r\n')).toBe(true);
      // The application is sometimes slower than the next read.
      if (step % 2 === 0) {
        c.tlsEstablished();
        tlsWait = false;
      }
    }
    if (bodyAt.includes(step++)) body();
    act();
    if (tlsWait) expect(c.takeOutput()).toEqual([]);
    c.takeOutput();
  }
  c.end();
  if (bodyState !== 'none') {
    body();
    body();
  }
}

describe('smtp.ClientSession never throws on any server bytes, with the calls its events invite', () => {
  it('random replies, random splits, random application', () => {
    fc.assert(
      fc.property(
        fc.array(LINE, { maxLength: 40 }),
        fc.array(fc.nat(300), { maxLength: 40 }),
        fc.array(fc.constantFrom(...ACTIONS), { maxLength: 12 }),
        fc.array(fc.nat(20), { maxLength: 6 }),
        fc.boolean(),
        (replies, groups, actions, bodyAt, chunking) => {
          run(replies, groups, actions, bodyAt, chunking);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
