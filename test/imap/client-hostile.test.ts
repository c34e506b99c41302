/**
 * The client session never throws on anything a server sends, in any state it can be in when
 * the bytes arrive (literal wait, IDLE, AUTHENTICATE run by the application, STARTTLS and
 * COMPRESS in flight, UID map on), and the calls its events invite never throw either.
 * Server output is built from real response lines, mutated and cut at random.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError, imap } from '../../src/index';
import { enc } from '../helpers/bytes';

const LINES = [
  '* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR STARTTLS COMPRESS=DEFLATE] ready\r\n',
  '* PREAUTH ready\r\n',
  '* 5 EXISTS\r\n',
  '* 4294967295 EXISTS\r\n',
  '* 0 EXPUNGE\r\n',
  '* 3 EXPUNGE\r\n',
  '* VANISHED 1:*\r\n',
  '* VANISHED (EARLIER) 1:4294967295\r\n',
  '* VANISHED 405,407\r\n',
  '* 2 FETCH (UID 9 MODSEQ (18446744073709551615))\r\n',
  '* 1 FETCH (UID 4294967295)\r\n',
  '* 3 FETCH (BODY[] {5}\r\nhello)\r\n',
  '* OK [UIDVALIDITY 7] x\r\n',
  '* OK [HIGHESTMODSEQ 1] x\r\n',
  '* OK [NOMODSEQ] x\r\n',
  '* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n',
  '* ENABLED UTF8=ACCEPT QRESYNC\r\n',
  '* BYE bye\r\n',
  '+ idling\r\n',
  '+ idling\r\nA2 OK done\r\n',
  '+ cj1meXVu\r\nA1 NO no\r\n',
  'A5 OK Begin TLS\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n',
  '+ cj1meXVu\r\n',
  '+ \r\n',
  'A1 OK [CAPABILITY IMAP4rev1] done\r\n',
  'A2 OK done\r\n',
  'A3 NO no\r\n',
  'A4 BAD bad\r\n',
  'A5 OK Begin TLS\r\n',
  'A6 OK DEFLATE active\r\n',
  'A7 OK done\r\n',
  'Z9 OK who\r\n',
  '* 1 FETCH (BODY[] {4294967296}\r\n',
  '\0\r\n',
  '[[[[((((\r\n',
];

const wire = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...LINES).map((s) => enc(s)) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }) },
    ),
    { maxLength: 40 },
  )
  .map((parts) => {
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    return all;
  });

/** A session with one command of each kind queued up front, in the order a program would send them. */
function busySession(script: number): imap.ClientSession {
  const c = new imap.ClientSession({ uidMap: 100, maxUntagged: 8, parser: { literalThreshold: 4 } });
  c.receive(enc(script === 1 ? '* OK ready\r\n' : '* PREAUTH [CAPABILITY IMAP4rev1 COMPRESS=DEFLATE] ready\r\n'));
  const s = imap.SequenceSet.from([1]);
  const plans: (() => void)[][] = [
    [() => c.send({ command: 'SELECT', mailbox: 'INBOX' }), () => c.send({ command: 'IDLE' }), () => c.send({ command: 'NOOP' })],
    [() => c.send({ command: 'AUTHENTICATE', mechanism: 'X-APP', initialResponse: null }), () => c.send({ command: 'NOOP' })],
    [() => c.compress(), () => c.send({ command: 'APPEND', mailbox: 'INBOX', messages: [{ flags: null, date: null, message: enc('a\r\n'), binary: false }] })],
    [() => c.send({ command: 'SELECT', mailbox: 'INBOX' }), () => c.send({ command: 'FETCH', uid: true, set: s, items: [(imap.parseFetchItem('UID') as imap.FetchItem)] }), () => c.send({ command: 'UNSELECT' })],
  ];
  const t = new imap.ClientSession({ uidMap: 100 });
  if (script === 4) {
    t.receive(enc('* OK ready\r\n'));
    t.startTls();
    t.send({ command: 'LOGIN', user: 'u', password: 'p' });
    return t;
  }
  for (const step of plans[script]!) step();
  return c;
}

describe('imap.ClientSession on hostile bytes', () => {
  it('never throws, in any state; done(), saslRespond(), tlsEstablished(), compressionEstablished() when invited never throw', () => {
    fc.assert(
      fc.property(wire, fc.array(fc.integer({ min: 1, max: 256 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 4 }), (bytes, cuts, script) => {
        const c = busySession(script);
        let at = 0;
        let i = 0;
        while (at < bytes.length) {
          const n = cuts[i++ % cuts.length]!;
          for (const e of c.receive(bytes.subarray(at, at + n))) {
            if (e.type === 'idling') c.done();
            else if (e.type === 'sasl-challenge') c.saslRespond(e.challenge);
            else if (e.type === 'starttls') c.tlsEstablished();
            else if (e.type === 'compress') c.compressionEstablished();
            else if (e.type === 'error') expect(e.error).toBeInstanceOf(ProtocolError);
          }
          c.takeOutput();
          at += n;
        }
        const end = c.end();
        expect(end.at(-1)).toEqual({ type: 'closed' });
        const box = c.mailbox;
        if (box) expect(box.exists).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 400 },
    );
  });
});
