/**
 * The POP3 client against any server bytes, a few answers per read and split anyhow, driven by
 * an application that makes the calls the events invite (tlsEstablished on starttls,
 * saslRespond on sasl-challenge): nothing ever throws, nothing is written between a starttls
 * event and tlsEstablished(), and end() reports unanswered commands.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pop3 } from '../../src/index';
import { concat, dec, enc, splitAt } from '../helpers/bytes';

const ANSWERS = [
  '+OK\r\n', '+OK\r\n', '+OK 2 320\r\n', '-ERR no\r\n', '+OK\r\nPIPELINING\r\nSTLS\r\nSASL PLAIN CRAM-MD5\r\n.\r\n', '+OK\r\n1 120\r\n2 200\r\n.\r\n',
  '+OK message\r\nSubject: x\r\n\r\n..dot\r\n.\r\n', '+ PDE4OTY+\r\n', '+ eyJzdGF0dXMiOiI0MDEifQ==\r\n', '+ !!\r\n', '+ \r\n',
];
const RARE = ['garbage\r\n', '\0\r\n', '+OK', '\n', '\r', '+OK\r\nunterminated listing\r\n', '+OK bye\r\n'];
const ANSWER = fc.oneof({ arbitrary: fc.constantFrom(...ANSWERS), weight: 20 }, { arbitrary: fc.constantFrom(...RARE), weight: 1 });

type Action = 'login' | 'apop' | 'auth-plain' | 'auth-cram' | 'auth-xoauth2' | 'stls' | 'capa' | 'stat' | 'list' | 'retr' | 'noop' | 'quit';
const ACTIONS: Action[] = ['login', 'apop', 'auth-plain', 'auth-cram', 'auth-xoauth2', 'stls', 'capa', 'stat', 'list', 'retr', 'noop', 'quit'];

function run(greeting: string, answers: string[], groups: number[], actions: Action[]): void {
  const c = new pop3.ClientSession();
  let next = 0;
  let step = 0;
  let tlsWait = false;
  const act = (): void => {
    if (next >= actions.length || tlsWait) return;
    const a = actions[next++]!;
    if (a === 'login') c.login('u', 'p');
    else if (a === 'apop') {
      if (c.apopTimestamp !== null) c.apop('u', 's');
      else expect(() => c.apop('u', 's')).toThrow(Error);
    } else if (a === 'auth-plain') c.authenticate({ mechanism: 'PLAIN', user: 'u', password: 'p' });
    else if (a === 'auth-cram') c.authenticate({ mechanism: 'CRAM-MD5' });
    else if (a === 'auth-xoauth2') c.authenticate({ mechanism: 'XOAUTH2', user: 'u', accessToken: 't' });
    else if (a === 'stls') c.startTls();
    else if (a === 'capa') c.capa();
    else if (a === 'stat') c.stat();
    else if (a === 'list') c.list();
    else if (a === 'retr') c.retr(1);
    else if (a === 'noop') c.noop();
    else c.quit();
  };
  const reads: Uint8Array[] = [enc(greeting)];
  for (let i = 0, g = 0; i < answers.length; g++) {
    const n = 1 + ((groups[g] ?? 0) % 3);
    const bytes = enc(answers.slice(i, i + n).join(''));
    i += n;
    reads.push(...splitAt(bytes, [Math.floor((groups[g] ?? 0) / 3) % (bytes.length + 1)]));
  }
  for (const chunk of reads) {
    for (const e of c.receive(chunk)) {
      if (e.type === 'starttls') tlsWait = true;
      if (e.type === 'sasl-challenge') c.saslRespond(e.challenge === null ? null : enc('tim 0123'));
    }
    if (tlsWait) {
      // Nothing is written between the starttls event and tlsEstablished(), whatever arrives: the
      // output of this read is empty or ends with the STLS line (released by an earlier answer in it).
      const wrote = dec(concat(c.takeOutput()));
      if (wrote !== '') expect(wrote.endsWith('STLS\r\n')).toBe(true);
      if (step % 2 === 0) {
        c.tlsEstablished();
        tlsWait = false;
      }
    }
    step++;
    act();
    act();
    if (tlsWait) expect(c.takeOutput()).toEqual([]);
    c.takeOutput();
  }
  const end = c.end();
  expect(end.at(-1)?.type === 'closed' || c.state === 'closed').toBe(true);
  expect(c.takeOutput()).toEqual([]);
}

describe('pop3.ClientSession never throws on any server bytes, with the calls its events invite', () => {
  it('random answers, random splits, random application', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('+OK ready\r\n', '+OK ready <1896.697170952@dbc.mtview.ca.us>\r\n', '-ERR busy\r\n'),
        fc.array(ANSWER, { maxLength: 40 }),
        fc.array(fc.nat(300), { maxLength: 40 }),
        fc.array(fc.constantFrom(...ACTIONS), { maxLength: 16 }),
        (greeting, answers, groups, actions) => run(greeting, answers, groups, actions),
      ),
      { numRuns: 2000 },
    );
  });
});
