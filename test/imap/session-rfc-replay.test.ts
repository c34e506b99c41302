// The command examples of RFC 3501 section 6 and RFC 9051 section 6 (and the extension RFCs
// the sessions know about) replayed through both sessions, exchange by exchange:
// - ClientSession: the typed command (parsed from the RFC's C: line) is sent; what the session
//   writes must parse back to the same command; the RFC's S: lines are fed one byte at a time and
//   the command must complete with the RFC's status and the untagged data that came for it.
// - ServerSession: the RFC's C: bytes are fed; the session must hand the application exactly that
//   command; the application answers with the S: lines (untagged data, then the completion) and
//   what the session writes must parse to the same responses.
// The "..." elisions of the RFC text are filled with concrete data; the GSSAPI token of 6.2.2 is cut
// to its first 28 base64 characters (the session does not interpret it).
import { describe, expect, it } from 'vitest';
import { ProtocolError, imap } from '../../src/index';
import { bytewise, concat, dec, enc } from '../helpers/bytes';

type State = 'not-authenticated' | 'authenticated' | 'selected';

/** One command and everything the server sends for it. */
interface Exchange {
  /** The command line as the RFC shows it (without CRLF). */
  readonly c: string;
  /** The octets of a literal the command line announces (the client sends them after "+"). */
  readonly literal?: string;
  /** The server's lines (without CRLF); a "+" line answers the literal or a SASL step. */
  readonly s: readonly string[];
  /** SASL responses the client sends to the "+" lines (base64 text as on the wire). */
  readonly sasl?: readonly string[];
  /** IDLE: the client sends DONE after these many untagged lines. */
  readonly doneAfter?: number;
}

interface Scenario {
  readonly name: string;
  readonly state: State;
  readonly exchanges: readonly Exchange[];
}

const APPEND_MESSAGE =
  'Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)\r\n' +
  'From: Fred Foobar <foobar@Blurdybloop.COM>\r\n' +
  'Subject: afternoon meeting\r\n' +
  'To: mooch@owatagu.siam.edu\r\n' +
  'Message-Id: <B27397-0100000@Blurdybloop.COM>\r\n' +
  'MIME-Version: 1.0\r\n' +
  'Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n' +
  '\r\n' +
  'Hello Joe, do you think we can meet at 3:30 tomorrow?\r\n';

const HEADER_2 = 'Date: Mon, 7 Feb 1994 21:52:25 -0800\r\nFrom: Fred Foobar <foobar@Blurdybloop.COM>\r\n\r\n';
const HEADER_3 = 'Date: Tue, 8 Feb 1994 09:01:02 +0100\r\nFrom: joe@example.org\r\n\r\n';

const SCENARIOS: readonly Scenario[] = [
  {
    name: 'rfc3501 6.1.1 CAPABILITY',
    state: 'not-authenticated',
    exchanges: [{ c: 'abcd CAPABILITY', s: ['* CAPABILITY IMAP4rev1 STARTTLS AUTH=GSSAPI LOGINDISABLED', 'abcd OK CAPABILITY completed'] }],
  },
  {
    name: 'rfc3501 6.1.2 NOOP with status updates',
    state: 'selected',
    exchanges: [
      { c: 'a002 NOOP', s: ['a002 OK NOOP completed'] },
      { c: 'a047 NOOP', s: ['* 22 EXPUNGE', '* 23 EXISTS', '* 3 RECENT', '* 14 FETCH (FLAGS (\\Seen \\Deleted))', 'a047 OK NOOP completed'] },
    ],
  },
  {
    name: 'rfc3501 6.1.3 LOGOUT',
    state: 'authenticated',
    exchanges: [{ c: 'A023 LOGOUT', s: ['* BYE IMAP4rev1 Server logging out', 'A023 OK LOGOUT completed'] }],
  },
  {
    name: 'rfc3501 6.2.2 AUTHENTICATE GSSAPI (three steps, run by the application)',
    state: 'not-authenticated',
    exchanges: [
      {
        c: 'A001 AUTHENTICATE GSSAPI',
        s: ['+ ', '+ YDMGCSqGSIb3EgECAgIBAAD/////6jcyG4GE3KkTzBeBiVHeceP2CWY0SR0fAQAgAAQEBAQ=', '+ ', 'A001 OK GSSAPI authentication successful'],
        sasl: ['YIIB+wYJKoZIhvcSAQICAQBuggHq', '', 'YDMGCSqGSIb3EgECAgIBAAD/////IiqkHT2Nl4E1s3jK36OLpm8LAzAAxSxTqnv6GHfbTbM='],
      },
    ],
  },
  {
    name: 'rfc3501 6.2.3 LOGIN',
    state: 'not-authenticated',
    exchanges: [{ c: 'a001 LOGIN SMITH SESAME', s: ['a001 OK LOGIN completed'] }],
  },
  {
    name: 'rfc3501 6.3.1 SELECT',
    state: 'authenticated',
    exchanges: [
      {
        c: 'A142 SELECT INBOX',
        s: [
          '* 172 EXISTS',
          '* 1 RECENT',
          '* OK [UNSEEN 12] Message 12 is first unseen',
          '* OK [UIDVALIDITY 3857529045] UIDs valid',
          '* OK [UIDNEXT 4392] Predicted next UID',
          '* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)',
          '* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited',
          'A142 OK [READ-WRITE] SELECT completed',
        ],
      },
    ],
  },
  {
    name: 'rfc3501 6.3.2 EXAMINE',
    state: 'authenticated',
    exchanges: [
      {
        c: 'A932 EXAMINE blurdybloop',
        s: [
          '* 17 EXISTS',
          '* 2 RECENT',
          '* OK [UNSEEN 8] Message 8 is first unseen',
          '* OK [UIDVALIDITY 3857529045] UIDs valid',
          '* OK [UIDNEXT 4392] Predicted next UID',
          '* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)',
          '* OK [PERMANENTFLAGS ()] No permanent flags permitted',
          'A932 OK [READ-ONLY] EXAMINE completed',
        ],
      },
    ],
  },
  {
    name: 'rfc3501 6.3.3 CREATE',
    state: 'authenticated',
    exchanges: [
      { c: 'A003 CREATE owatagusiam/', s: ['A003 OK CREATE completed'] },
      { c: 'A004 CREATE owatagusiam/blurdybloop', s: ['A004 OK CREATE completed'] },
    ],
  },
  {
    name: 'rfc3501 6.3.4 DELETE, with a refusal for inferior names',
    state: 'authenticated',
    exchanges: [
      { c: 'A682 LIST "" *', s: ['* LIST () "/" blurdybloop', '* LIST (\\Noselect) "/" foo', '* LIST () "/" foo/bar', 'A682 OK LIST completed'] },
      { c: 'A683 DELETE blurdybloop', s: ['A683 OK DELETE completed'] },
      { c: 'A684 DELETE foo', s: ['A684 NO Name "foo" has inferior hierarchical names'] },
      { c: 'A685 DELETE foo/bar', s: ['A685 OK DELETE Completed'] },
      { c: 'A686 LIST "" *', s: ['* LIST (\\Noselect) "/" foo', 'A686 OK LIST completed'] },
      { c: 'A687 DELETE foo', s: ['A687 OK DELETE Completed'] },
    ],
  },
  {
    name: 'rfc3501 6.3.5 RENAME',
    state: 'authenticated',
    exchanges: [
      { c: 'A683 RENAME blurdybloop sarasoop', s: ['A683 OK RENAME completed'] },
      { c: 'A684 RENAME foo zowie', s: ['A684 OK RENAME Completed'] },
      { c: 'A685 LIST "" *', s: ['* LIST () "/" sarasoop', '* LIST (\\Noselect) "/" zowie', '* LIST () "/" zowie/bar', 'A685 OK LIST completed'] },
    ],
  },
  {
    name: 'rfc3501 6.3.6 SUBSCRIBE and 6.3.7 UNSUBSCRIBE',
    state: 'authenticated',
    exchanges: [
      { c: 'A002 SUBSCRIBE #news.comp.mail.mime', s: ['A002 OK SUBSCRIBE completed'] },
      { c: 'A003 UNSUBSCRIBE #news.comp.mail.mime', s: ['A003 OK UNSUBSCRIBE completed'] },
    ],
  },
  {
    name: 'rfc3501 6.3.8 LIST',
    state: 'authenticated',
    exchanges: [
      { c: 'A101 LIST "" ""', s: ['* LIST (\\Noselect) "/" ""', 'A101 OK LIST Completed'] },
      { c: 'A102 LIST #news.comp.mail.misc ""', s: ['* LIST (\\Noselect) "." #news.', 'A102 OK LIST Completed'] },
      { c: 'A103 LIST /usr/staff/jones ""', s: ['* LIST (\\Noselect) "/" /', 'A103 OK LIST Completed'] },
      { c: 'A202 LIST ~/Mail/ %', s: ['* LIST (\\Noselect) "/" ~/Mail/foo', '* LIST () "/" ~/Mail/meetings', 'A202 OK LIST completed'] },
    ],
  },
  {
    name: 'rfc3501 6.3.9 LSUB',
    state: 'authenticated',
    exchanges: [
      { c: 'A002 LSUB "#news." "comp.mail.*"', s: ['* LSUB () "." #news.comp.mail.mime', '* LSUB () "." #news.comp.mail.misc', 'A002 OK LSUB completed'] },
      { c: 'A003 LSUB "#news." "comp.%"', s: ['* LSUB (\\NoSelect) "." #news.comp.mail', 'A003 OK LSUB completed'] },
    ],
  },
  {
    name: 'rfc3501 6.3.10 STATUS',
    state: 'authenticated',
    exchanges: [{ c: 'A042 STATUS blurdybloop (UIDNEXT MESSAGES)', s: ['* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)', 'A042 OK STATUS completed'] }],
  },
  {
    name: 'rfc3501 6.3.11 APPEND with a synchronizing literal',
    state: 'authenticated',
    exchanges: [{ c: 'A003 APPEND saved-messages (\\Seen) {310}', literal: APPEND_MESSAGE, s: ['+ Ready for literal data', 'A003 OK APPEND completed'] }],
  },
  {
    name: 'rfc3501 6.4.1 CHECK, 6.4.2 CLOSE',
    state: 'selected',
    exchanges: [
      { c: 'FXXZ CHECK', s: ['FXXZ OK CHECK Completed'] },
      { c: 'A341 CLOSE', s: ['A341 OK CLOSE completed'] },
    ],
  },
  {
    name: 'rfc3501 6.4.3 EXPUNGE',
    state: 'selected',
    exchanges: [{ c: 'A202 EXPUNGE', s: ['* 3 EXPUNGE', '* 3 EXPUNGE', '* 5 EXPUNGE', '* 8 EXPUNGE', 'A202 OK EXPUNGE completed'] }],
  },
  {
    name: 'rfc3501 6.4.4 SEARCH, with CHARSET and a literal',
    state: 'selected',
    exchanges: [
      { c: 'A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"', s: ['* SEARCH 2 84 882', 'A282 OK SEARCH completed'] },
      { c: 'A283 SEARCH TEXT "string not in mailbox"', s: ['* SEARCH', 'A283 OK SEARCH completed'] },
      // The RFC's literal holds 6 octets of non-ASCII text; these are "Grüße" in UTF-8.
      { c: 'A284 SEARCH CHARSET UTF-8 TEXT {7}', literal: 'Grüße', s: ['+ Ready for literal data', '* SEARCH 43', 'A284 OK SEARCH completed'] },
    ],
  },
  {
    name: 'rfc3501 6.4.5 FETCH header fields (the elided responses filled in)',
    state: 'selected',
    exchanges: [
      {
        c: 'A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])',
        s: [
          `* 2 FETCH (FLAGS (\\Seen) BODY[HEADER.FIELDS (DATE FROM)] {${HEADER_2.length}}\r\n${HEADER_2})`,
          `* 3 FETCH (FLAGS () BODY[HEADER.FIELDS (DATE FROM)] {${HEADER_3.length}}\r\n${HEADER_3})`,
          '* 4 FETCH (FLAGS (\\Deleted) BODY[HEADER.FIELDS (DATE FROM)] "")',
          'A654 OK FETCH completed',
        ],
      },
    ],
  },
  {
    name: 'rfc3501 6.4.6 STORE, 6.4.7 COPY, 6.4.8 UID FETCH',
    state: 'selected',
    exchanges: [
      { c: 'A003 STORE 2:4 +FLAGS (\\Deleted)', s: ['* 2 FETCH (FLAGS (\\Deleted \\Seen))', '* 3 FETCH (FLAGS (\\Deleted))', '* 4 FETCH (FLAGS (\\Deleted \\Flagged \\Seen))', 'A003 OK STORE completed'] },
      { c: 'A004 COPY 2:4 MEETING', s: ['A004 OK COPY completed'] },
      { c: 'A999 UID FETCH 4827313:4828442 FLAGS', s: ['* 23 FETCH (FLAGS (\\Seen) UID 4827313)', '* 24 FETCH (FLAGS (\\Seen) UID 4827943)', '* 25 FETCH (FLAGS (\\Seen) UID 4828442)', 'A999 OK UID FETCH completed'] },
    ],
  },
  {
    name: 'rfc3501 6.5.1 X<atom>: an experimental command and its untagged data',
    state: 'authenticated',
    exchanges: [
      { c: 'a441 CAPABILITY', s: ['* CAPABILITY IMAP4rev1 XPIG-LATIN', 'a441 OK CAPABILITY completed'] },
      { c: 'A442 XPIG-LATIN', s: ['* XPIG-LATIN ow-nay eaking-spay ig-pay atin-lay', 'A442 OK XPIG-LATIN ompleted-cay'] },
    ],
  },
  {
    name: 'rfc9051 6.3.1 ENABLE, 6.3.10 NAMESPACE',
    state: 'authenticated',
    exchanges: [
      { c: 't2 ENABLE CONDSTORE X-GOOD-IDEA', s: ['* ENABLED X-GOOD-IDEA', 't2 OK foo'] },
      { c: 'A001 NAMESPACE', s: ['* NAMESPACE (("" "/")) NIL NIL', 'A001 OK NAMESPACE command completed'] },
    ],
  },
  {
    name: 'rfc9051 6.3.13 IDLE woken by new mail',
    state: 'selected',
    exchanges: [{ c: 'A002 IDLE', s: ['+ idling', '* 4 EXISTS', 'A002 OK IDLE terminated'], doneAfter: 1 }],
  },
  {
    name: 'rfc9051 6.4.2 UNSELECT, after 6.4.8 MOVE with COPYUID and EXPUNGE',
    state: 'selected',
    exchanges: [
      { c: 'a UID MOVE 42:69 foo', s: ['* OK [COPYUID 432432 42:69 1202:1229] Moved', '* 22 EXPUNGE', '* 22 EXPUNGE', '* 22 EXPUNGE', 'a OK Done'] },
      { c: 'A342 UNSELECT', s: ['A342 OK Unselect completed'] },
    ],
  },
  {
    name: 'rfc9051 6.4.4 SEARCH RETURN (ESEARCH)',
    state: 'selected',
    exchanges: [
      { c: 'A282 SEARCH RETURN (MIN COUNT) FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"', s: ['* ESEARCH (TAG "A282") MIN 2 COUNT 3', 'A282 OK SEARCH completed'] },
      { c: 'A283 UID SEARCH RETURN () FLAGGED', s: ['* ESEARCH (TAG "A283") UID ALL 4:19,21,28', 'A283 OK completed'] },
    ],
  },
  {
    name: 'rfc7162 3.1 CONDSTORE: SELECT (CONDSTORE), STORE UNCHANGEDSINCE with MODIFIED',
    state: 'authenticated',
    exchanges: [
      {
        c: 'A142 SELECT INBOX (CONDSTORE)',
        s: ['* 172 EXISTS', '* OK [UIDVALIDITY 3857529045] UIDs valid', '* OK [HIGHESTMODSEQ 715194045007] Highest', 'A142 OK [READ-WRITE] SELECT completed, CONDSTORE is now enabled'],
      },
      { c: 'd105 STORE 7,5,9 (UNCHANGEDSINCE 320162338) +FLAGS.SILENT (\\Deleted)', s: ['* 5 FETCH (MODSEQ (320162350))', 'd105 OK [MODIFIED 7,9] Conditional STORE failed'] },
    ],
  },
];

// ---- the client side ----

function command(c: string, literal?: string): imap.Command {
  const r = imap.parseCommand(literal === undefined ? `${c}\r\n` : `${c}\r\n${literal}\r\n`);
  if (r instanceof ProtocolError) throw new Error(`${c}: ${r.message}`);
  return r;
}

function untaggedLines(s: readonly string[]): number {
  return s.filter((l) => l.startsWith('* ')).length;
}

/** A client session brought into `state` with the server's lines fed as the RFC would send them. */
function clientIn(state: State): imap.ClientSession {
  const c = new imap.ClientSession({ tagPrefix: 'Q' });
  c.receive(enc(state === 'not-authenticated' ? '* OK IMAP4rev1 Service Ready\r\n' : '* PREAUTH IMAP4rev1 Service Ready\r\n'));
  if (state === 'selected') {
    const tag = c.send({ command: 'SELECT', mailbox: 'INBOX' });
    c.receive(enc(`* 172 EXISTS\r\n* OK [UIDVALIDITY 3857529045] UIDs valid\r\n${tag} OK [READ-WRITE] SELECT completed\r\n`));
    c.takeOutput();
  }
  expect(c.state).toBe(state);
  return c;
}

function replayClient(sc: Scenario): void {
  const c = clientIn(sc.state);
  for (const ex of sc.exchanges) {
    const want = command(ex.c, ex.literal);
    const { tag: rfcTag, ...intent } = want;
    const tag = c.send(intent as imap.CommandIntent);
    const events: imap.ClientEvent[] = [];
    let wire = dec(concat(c.takeOutput()));
    let challenges = 0;
    let untaggedSeen = 0;
    for (const line of ex.s) {
      const text = line.startsWith(`${rfcTag} `) ? `${tag}${line.slice(rfcTag.length)}` : line;
      for (const b of bytewise(enc(`${text}\r\n`))) {
        for (const e of c.receive(b)) {
          events.push(e);
          if (e.type === 'sasl-challenge') c.saslRespond(base64(ex.sasl![challenges++]!));
        }
      }
      if (line.startsWith('* ')) untaggedSeen++;
      if (ex.doneAfter !== undefined && untaggedSeen === ex.doneAfter && line.startsWith('* ')) c.done();
      wire += dec(concat(c.takeOutput()));
    }
    // What the session wrote is the RFC's command (modulo the tag and the spelling the encoder picks).
    const sent = imap.parseCommand(commandPart(wire, ex));
    expect(sent, `${sc.name}: ${ex.c}`).toEqual({ ...want, tag });
    const done = events.find((e) => e.type === 'completed' && e.tag === tag) as Extract<imap.ClientEvent, { type: 'completed' }> | undefined;
    expect(done, `${sc.name}: ${ex.c} completes`).toBeDefined();
    const last = ex.s[ex.s.length - 1]!;
    expect(done!.response.status).toBe(last.split(' ')[1]);
    const byes = events.filter((e) => e.type === 'bye').length;
    expect(done!.untagged.length + (done!.untagged.some((u) => u.kind === 'BYE') ? 0 : byes), `${sc.name}: ${ex.c} untagged`).toBe(untaggedLines(ex.s));
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
  }
}

/** The command's own bytes out of everything the client wrote (SASL lines and DONE removed). */
function commandPart(wire: string, ex: Exchange): string {
  if (ex.literal !== undefined) return wire;
  return `${wire.split('\r\n')[0]!}\r\n`;
}

function base64(text: string): Uint8Array {
  const bin = atob(text);
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
}

// ---- the server side ----

/**
 * A server session in `state`. The session answers CAPABILITY itself from its options, so it
 * is given the capabilities the scenario's server announces.
 */
function serverIn(state: State, sc: Scenario): imap.ServerSession {
  const announced = sc.exchanges.flatMap((e) => e.s).find((l) => l.startsWith('* CAPABILITY '));
  const capabilities = announced ? announced.slice('* CAPABILITY '.length).split(' ') : ['IMAP4rev1', 'IMAP4rev2', 'IDLE', 'ENABLE', 'NAMESPACE', 'CONDSTORE', 'ESEARCH', 'MOVE', 'UNSELECT'];
  const s = new imap.ServerSession({ capabilities, preauth: state !== 'not-authenticated', extraCommands: ['XPIG-LATIN'] });
  if (state === 'selected') {
    for (const e of s.receive(enc('S0 SELECT INBOX\r\n'))) if (e.type === 'command') s.ok('SELECT completed', { name: 'READ-WRITE', raw: '' });
  }
  s.takeOutput();
  expect(s.state).toBe(state);
  return s;
}

function response(line: string): imap.Response {
  const r = imap.parseResponse(`${line}\r\n`);
  if (r instanceof ProtocolError) throw new Error(`${line}: ${r.message}`);
  return r;
}

/** Every response in `bytes`, parsed; continuation requests reduced to their type (their text is the session's). */
function responsesIn(bytes: string): unknown[] {
  const p = new imap.ResponseParser();
  return p.push(enc(bytes)).map((i) => (i.type === 'continuation' ? { type: 'continuation' } : i));
}

function replayServer(sc: Scenario): void {
  const s = serverIn(sc.state, sc);
  for (const ex of sc.exchanges) {
    const want = command(ex.c, ex.literal);
    const plus = ex.s.filter((l) => l.startsWith('+'));
    // The session writes BYE (LOGOUT) and CAPABILITY itself; the application sends the rest.
    const data = ex.s.filter((l) => l.startsWith('* ') && !l.startsWith('* BYE') && !l.startsWith('* CAPABILITY '));
    const last = response(ex.s[ex.s.length - 1]!) as imap.TaggedResponse;
    const sasl = [...(ex.sasl ?? [])];
    let untaggedSent = 0;
    const answer = (events: imap.ServerEvent[]): void => {
      for (const e of events) {
        expect(e.type, `${sc.name}: ${ex.c}`).not.toBe('error');
        expect(e.type).not.toBe('auto-reply');
        if (e.type === 'command') {
          expect(e.command, `${sc.name}: ${ex.c}`).toEqual(want);
          if (want.command === 'AUTHENTICATE') {
            answer(s.challenge(base64(plus[0]!.slice(2))));
            continue;
          }
          if (want.command === 'IDLE') {
            for (const l of data.slice(0, ex.doneAfter)) s.untagged(response(l) as imap.UntaggedResponse);
            untaggedSent = ex.doneAfter ?? 0;
            continue;
          }
          for (const l of data) s.untagged(response(l) as imap.UntaggedResponse);
          answer(complete(s, last));
        } else if (e.type === 'auth-response') {
          const step = ex.sasl!.length - sasl.length;
          expect(e.response).toEqual(base64(ex.sasl![step]!));
          sasl.shift();
          if (sasl.length > 0) answer(s.challenge(base64(plus[step + 1]!.slice(2))));
          else answer(complete(s, last));
        } else if (e.type === 'idle-done') {
          for (const l of data.slice(untaggedSent)) s.untagged(response(l) as imap.UntaggedResponse);
          answer(complete(s, last));
        }
      }
    };
    let wire = '';
    if (ex.literal !== undefined) {
      answer(s.receive(enc(`${ex.c}\r\n`)));
      wire += dec(concat(s.takeOutput()));
      expect(responsesIn(wire)).toEqual([{ type: 'continuation' }]);
      answer(s.receive(enc(`${ex.literal}\r\n`)));
    } else if (ex.sasl !== undefined) {
      answer(s.receive(enc(`${ex.c}\r\n`)));
      for (const step of ex.sasl) answer(s.receive(enc(`${step}\r\n`)));
    } else if (ex.doneAfter !== undefined) {
      answer(s.receive(enc(`${ex.c}\r\n`)));
      answer(s.receive(enc('DONE\r\n')));
    } else {
      answer(s.receive(enc(`${ex.c}\r\n`)));
    }
    wire += dec(concat(s.takeOutput()));
    const expected = ex.s.map((l) => `${l}\r\n`).join('');
    const got = responsesIn(wire);
    const want2 = responsesIn(expected);
    // The session may phrase its own lines ("+" text, the BYE of LOGOUT) differently.
    const norm = (items: unknown[]) => items.map((i) => ((i as imap.Response).type === 'untagged' && (i as imap.UntaggedResponse).kind === 'BYE' ? { bye: true } : i));
    expect(norm(got), `${sc.name}: ${ex.c}`).toEqual(norm(want2));
  }
}

function complete(s: imap.ServerSession, last: imap.TaggedResponse): imap.ServerEvent[] {
  if (last.status === 'OK') return s.ok(last.text, last.code);
  if (last.status === 'NO') return s.no(last.text, last.code);
  return s.bad(last.text, last.code);
}

describe('RFC command examples replayed through imap.ClientSession', () => {
  for (const sc of SCENARIOS) it(sc.name, () => replayClient(sc));
});

describe('RFC command examples replayed through imap.ServerSession', () => {
  for (const sc of SCENARIOS) it(sc.name, () => replayServer(sc));

  it('an experimental command not listed in extraCommands is refused with BAD by the session', () => {
    const s = new imap.ServerSession({ preauth: true });
    s.takeOutput();
    expect(s.receive(enc('A442 XPIG-LATIN\r\n'))).toEqual([{ type: 'auto-reply', reply: { type: 'tagged', tag: 'A442', status: 'BAD', code: null, text: 'Unknown command' }, reason: 'unknown command' }]);
    expect(dec(concat(s.takeOutput()))).toBe('A442 BAD Unknown command\r\n');
  });
});

it('the APPEND example of rfc3501 6.3.11 is the 310 octets it announces', () => {
  expect(enc(APPEND_MESSAGE).length).toBe(310);
});
