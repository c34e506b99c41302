/**
 * Every fuzz campaign: both sides of each protocol. Inputs are built from protocol tokens mixed
 * with random bytes (pure random bytes rarely get past the first line), cut into random chunks.
 *
 * Properties:
 * - split invariance: any chunking (and 1-byte chunks for short inputs) gives the same
 *   transcript (items or events and every byte written) as one chunk;
 * - no exception: drivers call the code under test without try/catch, so any throw fails;
 * - round trips: parse(encode(x)) equals x for the public arbitraries;
 * - state rules: a server session hands the application only commands valid in its state;
 * - a client session writes nothing after the server closed the session.
 */
import fc from 'fast-check';
import { imap, pop3, smtp } from '../../src/index';
import * as imapArb from '../../src/testing/imap';
import * as pop3Arb from '../../src/testing/pop3';
import * as smtpArb from '../../src/testing/smtp';
import { bin, bytewise, concat, splitAt } from '../helpers/bytes';
import * as d from './drivers';
import type { Campaign } from './harness';
import { mutationCampaigns } from './mutation-campaigns';

/** Bytes made of protocol tokens (weighted) and random bytes. */
function wire(tokens: readonly string[], maxItems = 40): fc.Arbitrary<Uint8Array> {
  return fc
    .array(
      fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...tokens).map(bin) },
        { weight: 1, arbitrary: fc.uint8Array({ maxLength: 12 }) },
        { weight: 1, arbitrary: fc.constantFrom('\r', '\n', '\r\n', '\0', ' ', '\xff', '.', '"', '{', '}', '(', ')', '\\').map(bin) },
      ),
      { maxLength: maxItems },
    )
    .map(concat);
}

const cuts = fc.array(fc.nat(2000), { maxLength: 12 });

/** Same transcript for one chunk, random chunks and (short inputs) 1-byte chunks. */
function splitInvariant(name: string, bytes: fc.Arbitrary<Uint8Array>, run: (chunks: readonly Uint8Array[]) => unknown): Campaign {
  return {
    name,
    property: () =>
      fc.property(bytes, cuts, (b, c) => {
        const whole = run([b]);
        assertEqual(run(splitAt(b, c)), whole, 'random chunks');
        if (b.length <= 400) assertEqual(run(bytewise(b)), whole, '1-byte chunks');
      }),
  };
}

/** Server bytes the IMAP client reads once a STARTTLS or COMPRESS layer is up (tags A1-A5: the commands of d.imapClientSwitch and its CAPABILITY after TLS). */
const IMAP_AFTER_SWITCH_TOKENS = ['* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n', 'A5 OK done\r\n', 'A2 OK logged in\r\n', 'A3 OK noop\r\n', 'A4 OK bye\r\n', '* BYE bye\r\n', 'A2 NO [AUTHENTICATIONFAILED] no\r\n'];

/**
 * Split invariance across a layer switch (d.imapClientSwitch): a greeting and the switch's
 * answer from `openings`, random bytes after them in the same reads, then random bytes read
 * through the new layer; both parts chunked at random.
 */
function switchSplitInvariant(name: string, mode: 'starttls' | 'compress', openings: readonly string[]): Campaign {
  const before = fc.tuple(fc.constantFrom(...openings).map(bin), wire(IMAP_SERVER_TOKENS, 6)).map(([o, t]) => concat([o, t]));
  const after = wire([...IMAP_AFTER_SWITCH_TOKENS, ...IMAP_SERVER_TOKENS], 20);
  return {
    name,
    property: () =>
      fc.property(before, after, cuts, cuts, (b, a, cb, ca) => {
        const whole = d.imapClientSwitch(mode, [b], [a]);
        assertEqual(d.imapClientSwitch(mode, splitAt(b, cb), splitAt(a, ca)), whole, 'random chunks');
        if (b.length + a.length <= 400) assertEqual(d.imapClientSwitch(mode, bytewise(b), bytewise(a)), whole, '1-byte chunks');
      }),
  };
}

/** Cut points just after every LF: each server reply arrives on its own. */
function lineCuts(b: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = b.indexOf(0x0a); i >= 0; i = b.indexOf(0x0a, i + 1)) out.push(i + 1);
  return out;
}

/**
 * Split invariance for a client whose application reacts to events (sends the next command):
 * a reply can only follow the command it answers, so the reference run feeds one line per
 * chunk, and the other runs cut those lines further.
 */
function reactiveSplitInvariant(name: string, bytes: fc.Arbitrary<Uint8Array>, run: (chunks: readonly Uint8Array[]) => unknown): Campaign {
  return {
    name,
    property: () =>
      fc.property(bytes, cuts, (b, c) => {
        const lines = lineCuts(b);
        const whole = run(splitAt(b, lines));
        assertEqual(run(splitAt(b, [...lines, ...c])), whole, 'random chunks');
        if (b.length <= 400) assertEqual(run(bytewise(b)), whole, '1-byte chunks');
      }),
  };
}

function assertEqual(got: unknown, want: unknown, what: string): void {
  const a = stableJson(got);
  const b = stableJson(want);
  if (a !== b) throw new Error(`${what} differ from one chunk:\n  got  ${a.slice(0, 1500)}\n  want ${b.slice(0, 1500)}`);
}

/** JSON with sorted keys, so that two values compare by content, not by key order. */
function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (typeof x === 'bigint') return `${x}n`;
    if (x instanceof Uint8Array) return `bytes:${String.fromCharCode(...x)}`;
    if (x instanceof imap.SequenceSet) return `set:${x.toString()}`;
    if (x !== null && typeof x === 'object' && !Array.isArray(x)) {
      const o = x as Record<string, unknown>;
      return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
    }
    return x;
  });
}

// ------------------------------------------------------------------ token sets

const SMTP_CLIENT_TOKENS = [
  'EHLO client.example\r\n', 'HELO client\r\n', 'LHLO client\r\n', 'MAIL FROM:<a@b.example> SIZE=100 BODY=8BITMIME\r\n', 'MAIL FROM:<>\r\n',
  'RCPT TO:<c@d.example> NOTIFY=SUCCESS,FAILURE\r\n', 'RCPT TO:<postmaster>\r\n', 'DATA\r\n', 'Subject: hi\r\n', '\r\n', 'body line\r\n',
  '.\r\n', '\r\n.\r\n', '..stuffed\r\n', '\n.\n', '\n.\r\n', '\r\n.\n', '\r.\r\n', '\r\n.\r', '\r.\r', '\r\n.\r\r\n', '\0.\r\n',
  'BDAT 4\r\nabcd', 'BDAT 3 LAST\r\nxyz', 'BDAT 0 LAST\r\n', 'AUTH PLAIN\r\n', 'AUTH PLAIN AGFsaWNlAHNlc2FtZQ==\r\n', 'AUTH LOGIN\r\n',
  'YWxpY2U=\r\n', '*\r\n', 'STARTTLS\r\n', 'RSET\r\n', 'NOOP\r\n', 'QUIT\r\n', 'VRFY bob\r\n', 'HELP\r\n', 'mail from:<x@y>\r\n',
  `MAIL FROM:<${'a'.repeat(300)}@b>\r\n`,
];
const SMTP_SERVER_TOKENS = [
  '220 mx.example ESMTP ready\r\n', '220-mx.example\r\n', '250-mx.example greets you\r\n', '250-PIPELINING\r\n', '250-CHUNKING\r\n',
  '250-SIZE 10000\r\n', '250-AUTH PLAIN LOGIN\r\n', '250-STARTTLS\r\n', '250 ENHANCEDSTATUSCODES\r\n', '250 2.1.0 OK\r\n', '250 2.1.5 OK\r\n',
  '250 2.0.0 queued\r\n', '354 go ahead\r\n', '550 5.1.1 no such user\r\n', '452 4.5.3 too many\r\n', '421 4.3.2 closing\r\n',
  '221 2.0.0 bye\r\n', '334 VXNlcm5hbWU6\r\n', '235 2.7.0 ok\r\n', '500 what\r\n', '250', '-', ' ', '2', '\r\n',
];
const POP3_CLIENT_TOKENS = [
  'USER alice\r\n', 'PASS secret\r\n', 'APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n', 'STAT\r\n', 'LIST\r\n', 'LIST 1\r\n', 'UIDL\r\n',
  'UIDL 2\r\n', 'RETR 1\r\n', 'TOP 1 0\r\n', 'DELE 1\r\n', 'RSET\r\n', 'NOOP\r\n', 'QUIT\r\n', 'CAPA\r\n', 'STLS\r\n', 'AUTH PLAIN\r\n',
  'AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n', 'dGVzdA==\r\n', '*\r\n', 'UTF8\r\n', 'user x\r\n', 'RETR 99999999999999\r\n',
];
const POP3_SERVER_TOKENS = [
  '+OK POP3 ready <1896.697170952@dbc.mtview.ca.us>\r\n', '+OK\r\n', '+OK 2 320\r\n', '-ERR no\r\n', '-ERR [IN-USE] locked\r\n',
  '-ERR [AUTH] bad\r\n', '1 120\r\n', '2 200\r\n', '1 whqtswO00WBw418f9t5JxYwZ\r\n', '.\r\n', '..stuffed\r\n', 'Subject: x\r\n',
  '\r\n', '+ \r\n', '+ VXNlcm5hbWU6\r\n', 'PIPELINING\r\n', 'UIDL\r\n', 'SASL PLAIN\r\n', '\n.\n',
];
const IMAP_SERVER_TOKENS = [
  '* OK [CAPABILITY IMAP4rev1 LITERAL+ IDLE SASL-IR] ready\r\n', '* PREAUTH hi\r\n', '* 3 EXISTS\r\n', '* 2 EXPUNGE\r\n', '* 1 RECENT\r\n',
  '* FLAGS (\\Seen \\Deleted)\r\n', '* 1 FETCH (FLAGS (\\Seen) UID 7)\r\n', '* 1 FETCH (BODY[] {12}\r\nhello world!)\r\n',
  '* 2 FETCH (BODY[HEADER] {4}\r\n', 'abcd', ')\r\n', '* 3 FETCH (ENVELOPE (NIL "s" NIL NIL NIL NIL NIL NIL NIL NIL))\r\n',
  '* 4 FETCH (BODYSTRUCTURE ("TEXT" "PLAIN" NIL NIL NIL "7BIT" 3 1))\r\n', 'A1 OK done\r\n', 'A2 OK [CAPABILITY IMAP4rev1] logged in\r\n',
  'A3 OK [READ-WRITE] selected\r\n', 'A4 NO failed\r\n', 'A5 BAD what\r\n', 'A9 OK stray\r\n', '+ go ahead\r\n', '+ \r\n', '* BYE bye\r\n',
  '* SEARCH 1 2 3\r\n', '* LIST (\\HasNoChildren) "/" INBOX\r\n', '* VANISHED (EARLIER) 1:3\r\n', '* ESEARCH (TAG "A1") COUNT 3\r\n',
  '{99999999999999999999}\r\n', '{5}\r\n', '~{3}\r\n', '* OK [UIDVALIDITY 3857529045] ok\r\n',
];
const IMAP_CLIENT_TOKENS = [
  'A1 LOGIN smith sesame\r\n', 'A1 LOGIN {5}\r\nsmith {6+}\r\nsesame\r\n', 'A2 SELECT INBOX\r\n', 'A3 FETCH 1:* (FLAGS UID)\r\n',
  'A3 UID FETCH 1:* BODY.PEEK[HEADER]\r\n', 'A4 IDLE\r\n', 'DONE\r\n', 'A5 APPEND INBOX {5}\r\nhello\r\n', 'A5 APPEND INBOX (\\Seen) {5+}\r\nhello\r\n',
  'A5 APPEND INBOX {999999}\r\n', 'A6 AUTHENTICATE PLAIN\r\n', 'A6 AUTHENTICATE PLAIN AHNtaXRoAHNlc2FtZQ==\r\n', 'AHNtaXRoAHNlc2FtZQ==\r\n',
  '*\r\n', 'A7 LOGOUT\r\n', 'A8 NOOP\r\n', 'A9 CAPABILITY\r\n', 'A10 STARTTLS\r\n', 'A11 STORE 1 +FLAGS (\\Seen)\r\n', 'A12 EXPUNGE\r\n',
  'A13 SEARCH UNSEEN\r\n', 'A14 CLOSE\r\n', 'A15 LIST "" *\r\n', 'A16 STATUS INBOX (MESSAGES)\r\n', 'A17 ENABLE QRESYNC\r\n', 'A18 XFOO bar\r\n',
  'A19 COPY 1 Trash\r\n', 'A20 UNSELECT\r\n', 'A21 CREATE "a b"\r\n', '{3}\r\n', '"', '\\',
];

// ------------------------------------------------------------------ state models

const SMTP_MAIL_VERBS = new Set(['MAIL', 'RCPT', 'DATA', 'MESSAGE']);

/** RFC 5321 3.3 / 4.1.4: MAIL after a greeting and outside a transaction, RCPT after MAIL, DATA after RCPT. */
function checkSmtpOrder(decisions: readonly string[]): void {
  let hello = false;
  let mail = false;
  let rcpt = false;
  for (const v of decisions) {
    const fail = (why: string) => {
      throw new Error(`${v} handed to the application ${why}; decisions ${decisions.join(' ')}`);
    };
    if (SMTP_MAIL_VERBS.has(v) && !hello) fail('before EHLO/HELO');
    switch (v) {
      case 'EHLO':
      case 'HELO':
      case 'LHLO':
        hello = true;
        mail = rcpt = false;
        break;
      case 'MAIL':
        if (mail) fail('inside a transaction');
        mail = true;
        break;
      case 'RCPT':
        if (!mail) fail('without MAIL');
        rcpt = true;
        break;
      case 'DATA':
      case 'MESSAGE':
        if (!rcpt) fail('without an accepted RCPT');
        if (v === 'MESSAGE') mail = rcpt = false;
        break;
      case 'RSET':
        mail = rcpt = false;
        break;
      case 'STARTTLS':
        // RFC 3207 4.2: the session starts over after TLS.
        hello = mail = rcpt = false;
        break;
      case 'AUTH':
        if (mail) fail('inside a transaction (RFC 4954 4)');
        break;
    }
  }
}

const POP3_AUTHORIZATION = new Set(['USER', 'PASS', 'APOP', 'AUTH', 'CAPA', 'STLS', 'QUIT', 'UTF8']);
const POP3_TRANSACTION = new Set(['STAT', 'LIST', 'UIDL', 'RETR', 'TOP', 'DELE', 'RSET', 'NOOP', 'QUIT', 'CAPA', 'LAST']);

/** RFC 1939 3-5: commands per state, PASS right after USER. */
function checkPop3Order(decisions: readonly string[], states: readonly string[]): void {
  decisions.forEach((v, i) => {
    const st = states[i]!;
    // The application sees QUIT after the session has already entered UPDATE (RFC 1939 6).
    const ok = st === 'update' ? v === 'QUIT' : st === 'authorization' ? POP3_AUTHORIZATION.has(v) && (v !== 'PASS' || decisions[i - 1] === 'USER') : st === 'transaction' ? POP3_TRANSACTION.has(v) : false;
    if (!ok) throw new Error(`${v} handed to the application in the ${st} state; decisions ${decisions.join(' ')}`);
  });
}

// RFC 3501 6.1-6.4 / RFC 9051 6.1-6.4: which commands each state allows.
const IMAP_ANY = ['CAPABILITY', 'NOOP', 'LOGOUT', 'ID'];
const IMAP_NOT_AUTH = [...IMAP_ANY, 'STARTTLS', 'AUTHENTICATE', 'LOGIN'];
const IMAP_AUTH = [...IMAP_ANY, 'ENABLE', 'SELECT', 'EXAMINE', 'CREATE', 'DELETE', 'RENAME', 'SUBSCRIBE', 'UNSUBSCRIBE', 'LIST', 'LSUB', 'NAMESPACE', 'STATUS', 'APPEND', 'IDLE', 'GETQUOTA', 'GETQUOTAROOT', 'SETQUOTA', 'GETACL', 'SETACL', 'DELETEACL', 'LISTRIGHTS', 'MYRIGHTS', 'GETMETADATA', 'SETMETADATA', 'COMPRESS'];
const IMAP_SELECTED = [...IMAP_AUTH, 'CHECK', 'CLOSE', 'UNSELECT', 'EXPUNGE', 'UID EXPUNGE', 'SEARCH', 'FETCH', 'STORE', 'COPY', 'MOVE', 'SORT', 'THREAD'];
const IMAP_ALLOWED: Record<string, ReadonlySet<string>> = {
  'not-authenticated': new Set(IMAP_NOT_AUTH),
  authenticated: new Set(IMAP_AUTH),
  selected: new Set(IMAP_SELECTED),
};

function checkImapStates(decisions: readonly { command: string; state: string }[]): void {
  for (const { command, state } of decisions) {
    if (!IMAP_ALLOWED[state]?.has(command)) throw new Error(`${command} handed to the application in the ${state} state`);
  }
}

// ------------------------------------------------------------------ campaigns

const noThrow = <T>(name: string, input: fc.Arbitrary<T>, f: (x: T) => unknown): Campaign => ({ name, property: () => fc.property(input, (x) => void f(x)) });

export const campaigns: readonly Campaign[] = [
  // SMTP
  splitInvariant('smtp.command-parser.split', wire(SMTP_CLIENT_TOKENS), d.smtpCommandParser),
  splitInvariant('smtp.reply-parser.split', wire(SMTP_SERVER_TOKENS), d.smtpReplyParser),
  splitInvariant('smtp.server-session.split', wire(SMTP_CLIENT_TOKENS), (c) => d.smtpServer(c)),
  reactiveSplitInvariant('smtp.client-session.split', wire(SMTP_SERVER_TOKENS), (c) => d.smtpClient(c)),
  reactiveSplitInvariant('smtp.client-session.pipelining-chunking.split', wire(SMTP_SERVER_TOKENS), (c) => d.smtpClient(c, { pipelining: true, chunking: true })),
  {
    name: 'smtp.server-session.state',
    property: () => fc.property(wire(SMTP_CLIENT_TOKENS, 60), (b) => checkSmtpOrder(d.smtpServer([b]).decisions)),
  },
  {
    name: 'smtp.client-session.silent-after-close',
    property: () =>
      fc.property(wire(SMTP_SERVER_TOKENS), cuts, (b, c) => {
        // The trailing chunk arrives after whatever closed the session: it must not make the client talk.
        const r = d.smtpClient([...splitAt(b, c), bin('220 again\r\n250 OK\r\n354 go\r\n')]);
        if (r.afterClose !== 0) throw new Error(`${r.afterClose} bytes written after the server closed the session`);
      }),
  },
  { name: 'smtp.codec.command.roundtrip', property: () => fc.property(smtpArb.command(), (c) => void sameValue(smtp.parseCommand(smtp.encodeCommand(c).slice(0, -2)), c)) },
  { name: 'smtp.codec.reply.roundtrip', property: () => fc.property(smtpArb.reply(), (r) => void sameValue(smtp.parseReply(smtp.encodeReply(r)), r)) },
  noThrow('smtp.codec.parse.any', fc.uint8Array({ maxLength: 200 }), (b) => (smtp.parseCommand(b), smtp.parseReply(b), smtp.parseReplyLine(b))),

  // POP3
  {
    name: 'pop3.response-parser.split',
    property: () =>
      fc.property(wire(POP3_SERVER_TOKENS), fc.array(fc.constantFrom<pop3.Expectation>('single', 'listing', 'body'), { maxLength: 8 }), cuts, (b, e, c) => {
        const whole = d.pop3ResponseParser([b], e);
        assertEqual(d.pop3ResponseParser(splitAt(b, c), e), whole, 'random chunks');
        if (b.length <= 400) assertEqual(d.pop3ResponseParser(bytewise(b), e), whole, '1-byte chunks');
      }),
  },
  splitInvariant('pop3.server-session.split', wire(POP3_CLIENT_TOKENS), d.pop3Server),
  splitInvariant('pop3.client-session.split', wire(POP3_SERVER_TOKENS), d.pop3Client),
  {
    name: 'pop3.server-session.state',
    property: () =>
      fc.property(wire(POP3_CLIENT_TOKENS, 60), (b) => {
        const r = d.pop3Server([b]);
        checkPop3Order(r.decisions, r.states);
      }),
  },
  { name: 'pop3.codec.command.roundtrip', property: () => fc.property(pop3Arb.command(), (c) => void sameValue(pop3.parseCommand(pop3.encodeCommand(c).slice(0, -2)), c)) },
  { name: 'pop3.codec.response.roundtrip', property: () => fc.property(pop3Arb.statusResponse(), (r) => void sameValue(pop3.parseResponse(pop3.encodeResponse(r).slice(0, -2)), r)) },
  noThrow('pop3.codec.parse.any', fc.uint8Array({ maxLength: 200 }), (b) => (pop3.parseCommand(b), pop3.parseResponse(b))),

  // IMAP
  splitInvariant('imap.response-parser.split', wire(IMAP_SERVER_TOKENS), d.imapResponseParser),
  splitInvariant('imap.server-session.split', wire(IMAP_CLIENT_TOKENS), (c) => d.imapServer(c)),
  splitInvariant('imap.client-session.split', wire(IMAP_SERVER_TOKENS), d.imapClient),
  switchSplitInvariant('imap.client-session.starttls.split', 'starttls', [
    '* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\nA1 OK Begin TLS negotiation now\r\n',
    '* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\nA1 NO not now\r\n',
    '* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] stripped\r\n',
    '* OK ready\r\nA1 OK Begin TLS\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n',
  ]),
  switchSplitInvariant('imap.client-session.compress.split', 'compress', [
    '* OK [CAPABILITY IMAP4rev1 COMPRESS=DEFLATE] ready\r\nA1 OK logged in\r\nA2 OK DEFLATE active\r\n',
    '* OK ready\r\nA1 OK logged in\r\nA2 NO [COMPRESSIONACTIVE] already\r\n',
    '* OK ready\r\nA1 OK logged in\r\nA2 OK DEFLATE active\r\nA3 OK noop\r\n',
  ]),
  {
    name: 'imap.server-session.state',
    property: () => fc.property(wire(IMAP_CLIENT_TOKENS, 60), (b) => checkImapStates(d.imapServer([b]).decisions)),
  },
  {
    name: 'imap.codec.response.roundtrip',
    property: () => fc.property(imapArb.response(), (r) => void sameValue(imap.parseResponse(imap.encodeResponse(r)), r)),
  },
  noThrow('imap.codec.parse.any', fc.uint8Array({ maxLength: 300 }), (b) => (imap.parseResponse(b), imap.parseCommand(b))),

  // Real session bytes, mutated, through all six sessions with random answers; credential echo; linear time.
  ...mutationCampaigns,
];

function sameValue(got: unknown, want: unknown): void {
  assertEqual(got, want, 'decoded value');
}
