import { describe, expect, it } from 'vitest';
import { ProtocolError, imap, pop3, smtp } from '../../src/index';
import { concat, dec, enc } from '../helpers/bytes';

// Injection suite: every string field of every encoder gets CR, LF, CRLF (with a smuggled
// second command after it), NUL and non-ASCII. The encoder must refuse (throw), or, for IMAP,
// carry the value in a literal. Whatever it emits is parsed back with the matching parser,
// followed by a sentinel unit: exactly the encoded unit and then the sentinel must come out,
// so nothing was smuggled and nothing swallowed the next unit.

const HOSTILE = {
  CR: 'a\rb',
  LF: 'a\nb',
  CRLF: 'a\r\nQUIT\r\nb',
  'trailing CRLF': 'ab\r\n',
  NUL: 'a\0b',
  'non-ASCII': 'Grüße✓',
} as const;
type Kind = keyof typeof HOSTILE;
const CONTROL: readonly Kind[] = ['CR', 'LF', 'CRLF', 'trailing CRLF', 'NUL'];
const KINDS = Object.keys(HOSTILE) as Kind[];

function isRefusal(e: unknown): boolean {
  return e instanceof TypeError || e instanceof RangeError || e instanceof ProtocolError;
}

/** Runs `f`; 'refused' when it threw a refusal, the output otherwise (any other throw fails the test). */
function attempt<T>(f: () => T): T | 'refused' {
  try {
    return f();
  } catch (e) {
    if (!isRefusal(e)) throw e;
    return 'refused';
  }
}

/** A line protocol's output: exactly one CRLF, at the end; no bare CR, LF or NUL anywhere. */
function expectOneCleanLine(text: string): void {
  expect(text.endsWith('\r\n')).toBe(true);
  const body = text.slice(0, -2);
  expect(body).not.toMatch(/[\r\n\0]/);
}

type Row<T> = { readonly name: string; readonly build: (v: string) => T };

// ---------------------------------------------------------------------------------------------
// SMTP

const path = (local = 'bob', domain = 'example.org', route: string[] = []): smtp.Path => smtp.makePath(local, domain, route);

const SMTP_COMMANDS: Row<smtp.Command>[] = [
  ...(['HELO', 'EHLO', 'LHLO'] as const).map((verb) => ({ name: `${verb} domain`, build: (v: string): smtp.Command => ({ verb, domain: v }) })),
  { name: 'MAIL from.localPart', build: (v) => ({ verb: 'MAIL', from: path(v), params: [] }) },
  { name: 'MAIL from.domain', build: (v) => ({ verb: 'MAIL', from: path('bob', v), params: [] }) },
  { name: 'MAIL from.route', build: (v) => ({ verb: 'MAIL', from: path('bob', 'example.org', [v]), params: [] }) },
  { name: 'MAIL param keyword', build: (v) => ({ verb: 'MAIL', from: null, params: [{ keyword: v, value: null }] }) },
  { name: 'MAIL param value', build: (v) => ({ verb: 'MAIL', from: null, params: [{ keyword: 'ENVID', value: v }] }) },
  { name: 'RCPT to.localPart', build: (v) => ({ verb: 'RCPT', to: path(v), params: [] }) },
  { name: 'RCPT to.domain', build: (v) => ({ verb: 'RCPT', to: path('bob', v), params: [] }) },
  { name: 'RCPT to.route', build: (v) => ({ verb: 'RCPT', to: path('bob', 'example.org', [v]), params: [] }) },
  { name: 'RCPT param keyword', build: (v) => ({ verb: 'RCPT', to: path(), params: [{ keyword: v, value: 'x' }] }) },
  { name: 'RCPT param value', build: (v) => ({ verb: 'RCPT', to: path(), params: [{ keyword: 'ORCPT', value: v }] }) },
  { name: 'BURL uri', build: (v) => ({ verb: 'BURL', uri: v, last: true }) },
  { name: 'AUTH mechanism', build: (v) => ({ verb: 'AUTH', mechanism: v, initialResponse: null }) },
  { name: 'AUTH initialResponse', build: (v) => ({ verb: 'AUTH', mechanism: 'PLAIN', initialResponse: v }) },
  ...(['VRFY', 'EXPN'] as const).map((verb) => ({ name: `${verb} argument`, build: (v: string): smtp.Command => ({ verb, argument: v, smtputf8: false }) })),
  ...(['HELP', 'NOOP', 'ETRN', 'ATRN'] as const).map((verb) => ({ name: `${verb} argument`, build: (v: string): smtp.Command => ({ verb, argument: v }) })),
  { name: 'UNKNOWN name', build: (v) => ({ verb: 'UNKNOWN', name: v, argument: null }) },
  { name: 'UNKNOWN argument', build: (v) => ({ verb: 'UNKNOWN', name: 'XCLIENT', argument: v }) },
];

const capReply = (domain: string, greeting: string, exts: smtp.Extension[]): smtp.Reply => ({ code: 250, enhanced: null, lines: smtp.capabilityLines(domain, greeting, exts) });

const SMTP_REPLIES: Row<smtp.Reply>[] = [
  { name: 'reply single line', build: (v) => ({ code: 550, enhanced: null, lines: [v] }) },
  { name: 'reply first of many lines', build: (v) => ({ code: 250, enhanced: null, lines: [v, 'second'] }) },
  { name: 'reply last of many lines', build: (v) => ({ code: 250, enhanced: null, lines: ['first', v] }) },
  { name: 'reply with enhanced code', build: (v) => ({ code: 550, enhanced: { class: 5, subject: 1, detail: 1 }, lines: [v] }) },
  { name: 'EHLO capabilities domain', build: (v) => capReply(v, 'hi', []) },
  { name: 'EHLO capabilities greeting', build: (v) => capReply('mx.example', v, []) },
  { name: 'EHLO capability keyword', build: (v) => capReply('mx.example', 'hi', [{ keyword: v, params: [] }]) },
  { name: 'EHLO capability parameter', build: (v) => capReply('mx.example', 'hi', [{ keyword: 'AUTH', params: ['PLAIN', v] }]) },
];

const SMTP_SENTINEL_CMD = 'RSET\r\n';
const SMTP_SENTINEL_REPLY = '221 bye\r\n';

function smtpCommandsBack(wire: string): smtp.CommandParserItem[] {
  const p = new smtp.CommandParser();
  const items = p.push(enc(wire + SMTP_SENTINEL_CMD));
  // AUTH, DATA, BDAT and STARTTLS pause the parser until the session says what comes next.
  if (p.expecting === 'paused') items.push(...p.resume());
  return [...items, ...p.end()];
}

function smtpRepliesBack(wire: string): smtp.ReplyParserItem[] {
  const p = new smtp.ReplyParser();
  return [...p.push(enc(wire + SMTP_SENTINEL_REPLY)), ...p.end()];
}

describe('SMTP encoders refuse CR, LF, NUL; non-ASCII stays one line', () => {
  for (const row of SMTP_COMMANDS) {
    for (const kind of KINDS) {
      it(`encodeCommand ${row.name} <- ${kind}`, () => {
        const out = attempt(() => smtp.encodeCommand(row.build(HOSTILE[kind])));
        if (CONTROL.includes(kind)) {
          expect(out).toBe('refused');
          return;
        }
        if (out === 'refused') return;
        expectOneCleanLine(out);
        const items = smtpCommandsBack(out);
        expect(items.map((i) => i.type)).toEqual(['command', 'command']);
        expect(items[1]).toMatchObject({ type: 'command', command: { verb: 'RSET' } });
      });
    }
  }

  for (const row of SMTP_REPLIES) {
    for (const kind of KINDS) {
      it(`encodeReply ${row.name} <- ${kind}`, () => {
        const out = attempt(() => smtp.encodeReply(row.build(HOSTILE[kind])));
        if (CONTROL.includes(kind)) {
          expect(out).toBe('refused');
          return;
        }
        if (out === 'refused') return;
        for (const line of out.split(/(?<=\r\n)/)) expectOneCleanLine(line);
        const items = smtpRepliesBack(out);
        expect(items.map((i) => i.type)).toEqual(['reply', 'reply']);
        expect(items[1]).toMatchObject({ reply: { code: 221 } });
      });
    }
  }

  it('the client session refuses a hostile domain, address or parameter before writing anything', () => {
    for (const kind of CONTROL) {
      const v = HOSTILE[kind];
      expect(attempt(() => new smtp.ClientSession({ domain: v }).receive(enc('220 mx ESMTP\r\n')))).toBe('refused');
      for (const env of [
        { from: `a${v}@example.org`, to: ['b@example.org'] },
        { from: 'a@example.org', to: [`b@exa${v}mple.org`] },
        { from: 'a@example.org', to: ['b@example.org'], mailParams: [{ keyword: 'ENVID', value: v }] },
      ]) {
        const c = new smtp.ClientSession({ domain: 'client.example' });
        c.receive(enc('220 mx ESMTP\r\n'));
        c.receive(enc('250-mx\r\n250 PIPELINING\r\n'));
        c.takeOutput();
        expect(attempt(() => c.sendMail(env))).toBe('refused');
        for (const line of dec(concat(c.takeOutput())).split(/(?<=\r\n)/).filter((l) => l !== '')) expectOneCleanLine(line);
      }
    }
  });

  it('the server session refuses a hostile domain or greeting and a hostile reply text', () => {
    for (const kind of CONTROL) {
      const v = HOSTILE[kind];
      expect(attempt(() => new smtp.ServerSession({ domain: v }))).toBe('refused');
      expect(attempt(() => new smtp.ServerSession({ domain: 'mx.example', greeting: v }))).toBe('refused');
      const ext = attempt(() => {
        const s = new smtp.ServerSession({ domain: 'mx.example', extensions: [{ keyword: 'X-EXT', params: [v] }] });
        s.receive(enc('EHLO c.example\r\n'));
        s.accept();
        return dec(concat(s.takeOutput()));
      });
      expect(ext).toBe('refused');
      const s = new smtp.ServerSession({ domain: 'mx.example' });
      s.receive(enc('NOOP\r\n'));
      s.takeOutput();
      expect(attempt(() => s.reply(250, v))).toBe('refused');
      expect(s.takeOutput()).toEqual([]);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// POP3

const POP3_COMMANDS: Row<pop3.Command>[] = [
  { name: 'USER argument', build: (v) => ({ verb: 'USER', argument: v }) },
  { name: 'PASS argument', build: (v) => ({ verb: 'PASS', argument: v }) },
  { name: 'APOP name', build: (v) => ({ verb: 'APOP', name: v, digest: 'c4c9334bac560ecc979e58001b3e22fb' }) },
  { name: 'APOP digest', build: (v) => ({ verb: 'APOP', name: 'mrose', digest: v }) },
  { name: 'AUTH mechanism', build: (v) => ({ verb: 'AUTH', mechanism: v, initialResponse: null }) },
  { name: 'AUTH initialResponse', build: (v) => ({ verb: 'AUTH', mechanism: 'PLAIN', initialResponse: v }) },
  { name: 'LANG range', build: (v) => ({ verb: 'LANG', range: v }) },
  { name: 'UNKNOWN name', build: (v) => ({ verb: 'UNKNOWN', name: v, argument: null }) },
  { name: 'UNKNOWN argument', build: (v) => ({ verb: 'UNKNOWN', name: 'XTND', argument: v }) },
];

const POP3_RESPONSES: Row<pop3.Response>[] = [
  { name: '+OK text', build: (v) => ({ status: '+OK', code: null, text: v }) },
  { name: '-ERR text', build: (v) => ({ status: '-ERR', code: null, text: v }) },
  { name: '-ERR code', build: (v) => ({ status: '-ERR', code: v, text: 'no' }) },
  { name: '-ERR text after a code', build: (v) => ({ status: '-ERR', code: 'AUTH', text: v }) },
  { name: 'continuation text', build: (v) => ({ status: '+', text: v }) },
];

describe('POP3 encoders refuse CR, LF, NUL; non-ASCII stays one line', () => {
  for (const row of POP3_COMMANDS) {
    for (const kind of KINDS) {
      it(`encodeCommand ${row.name} <- ${kind}`, () => {
        const out = attempt(() => pop3.encodeCommand(row.build(HOSTILE[kind])));
        if (CONTROL.includes(kind)) {
          expect(out).toBe('refused');
          return;
        }
        if (out === 'refused') return;
        expectOneCleanLine(out);
        const p = new pop3.CommandParser();
        const items = p.push(enc(`${out}QUIT\r\n`));
        if (row.name.startsWith('AUTH')) items.push(...p.resume());
        items.push(...p.end());
        expect(items.map((i) => i.type)).toEqual(['command', 'command']);
        expect(items[1]).toMatchObject({ command: { verb: 'QUIT' } });
      });
    }
  }

  for (const row of POP3_RESPONSES) {
    for (const kind of KINDS) {
      it(`encodeResponse ${row.name} <- ${kind}`, () => {
        const out = attempt(() => pop3.encodeResponse(row.build(HOSTILE[kind])));
        if (CONTROL.includes(kind)) {
          expect(out).toBe('refused');
          return;
        }
        if (out === 'refused') return;
        expectOneCleanLine(out);
        const p = new pop3.ResponseParser();
        p.expect('single');
        p.expect('single');
        const items = [...p.push(enc(`${out}+OK sentinel\r\n`)), ...p.end()];
        expect(items.map((i) => i.type)).toEqual(['response', 'response']);
        expect(items[1]).toMatchObject({ response: { text: 'sentinel' } });
      });
    }
  }
});

// ---------------------------------------------------------------------------------------------
// IMAP

/** IMAP gets one more hostile value: text ending in a literal announcement would make the reader swallow the next bytes. */
const IMAP_HOSTILE = { ...HOSTILE, 'literal announcement': 'x {9}', 'non-sync literal announcement': 'x {9+}' } as const;
type ImapKind = keyof typeof IMAP_HOSTILE;
const IMAP_KINDS = Object.keys(IMAP_HOSTILE) as ImapKind[];

/**
 * Walks IMAP wire bytes as a reader frames them: a line ends at CRLF; a line ending in a literal
 * announcement is followed by that many octets. Returns the lines (without CRLF); fails when a
 * bare CR, bare LF or NUL appears outside a literal.
 */
function imapLines(wire: Uint8Array): string[] {
  const lines: string[] = [];
  let pos = 0;
  while (pos < wire.length) {
    let i = pos;
    while (i < wire.length && wire[i] !== 0x0d && wire[i] !== 0x0a) {
      expect(wire[i], `NUL outside a literal at ${i}`).not.toBe(0);
      i++;
    }
    expect(wire[i], `line end at ${i} must be CRLF`).toBe(0x0d);
    expect(wire[i + 1], `line end at ${i} must be CRLF`).toBe(0x0a);
    const line = dec(wire.subarray(pos, i));
    lines.push(line);
    pos = i + 2;
    const m = /~?\{(\d+)[+-]?\}$/.exec(line);
    if (m) pos += Number(m[1]);
  }
  expect(pos).toBe(wire.length);
  return lines;
}

const set = (imap.SequenceSet.parse('1:5') as imap.SequenceSet);
const T = 'A1';

const MAILBOX_COMMANDS = ['DELETE', 'SUBSCRIBE', 'UNSUBSCRIBE', 'GETQUOTAROOT', 'MYRIGHTS', 'GETACL'] as const;
const SIMPLE_COMMANDS = ['CAPABILITY', 'NOOP', 'LOGOUT', 'STARTTLS', 'IDLE', 'CHECK', 'CLOSE', 'UNSELECT', 'NAMESPACE', 'EXPUNGE'] as const;

const IMAP_COMMANDS: Row<imap.Command>[] = [
  ...SIMPLE_COMMANDS.map((command) => ({ name: `${command} tag`, build: (v: string): imap.Command => ({ tag: v, command }) })),
  { name: 'LOGIN user', build: (v) => ({ tag: T, command: 'LOGIN', user: v, password: 'pw' }) },
  { name: 'LOGIN password', build: (v) => ({ tag: T, command: 'LOGIN', user: 'u', password: v }) },
  { name: 'AUTHENTICATE mechanism', build: (v) => ({ tag: T, command: 'AUTHENTICATE', mechanism: v, initialResponse: null }) },
  { name: 'AUTHENTICATE initialResponse', build: (v) => ({ tag: T, command: 'AUTHENTICATE', mechanism: 'PLAIN', initialResponse: v }) },
  { name: 'ENABLE capability', build: (v) => ({ tag: T, command: 'ENABLE', capabilities: ['CONDSTORE', v] }) },
  ...MAILBOX_COMMANDS.map((command) => ({ name: `${command} mailbox`, build: (v: string): imap.Command => ({ tag: T, command, mailbox: v }) })),
  ...(['SELECT', 'EXAMINE'] as const).map((command) => ({ name: `${command} mailbox`, build: (v: string): imap.Command => ({ tag: T, command, mailbox: v, condstore: true }) })),
  { name: 'CREATE mailbox', build: (v) => ({ tag: T, command: 'CREATE', mailbox: v }) },
  { name: 'CREATE use', build: (v) => ({ tag: T, command: 'CREATE', mailbox: 'x', use: [v] }) },
  { name: 'RENAME from', build: (v) => ({ tag: T, command: 'RENAME', from: v, to: 'b' }) },
  { name: 'RENAME to', build: (v) => ({ tag: T, command: 'RENAME', from: 'a', to: v }) },
  ...(['LIST', 'LSUB'] as const).flatMap((command) => [
    { name: `${command} reference`, build: (v: string): imap.Command => ({ tag: T, command, reference: v, pattern: '*' }) },
    { name: `${command} pattern`, build: (v: string): imap.Command => ({ tag: T, command, reference: '', pattern: v }) },
  ]),
  { name: 'STATUS mailbox', build: (v) => ({ tag: T, command: 'STATUS', mailbox: v, items: ['MESSAGES'] }) },
  { name: 'STATUS item', build: (v) => ({ tag: T, command: 'STATUS', mailbox: 'INBOX', items: [v] }) },
  { name: 'APPEND mailbox', build: (v) => ({ tag: T, command: 'APPEND', mailbox: v, messages: [{ flags: null, date: null, message: enc('Hi\r\n'), binary: false }] }) },
  { name: 'APPEND flag', build: (v) => ({ tag: T, command: 'APPEND', mailbox: 'INBOX', messages: [{ flags: [v], date: null, message: enc('Hi\r\n'), binary: false }] }) },
  { name: 'APPEND date', build: (v) => ({ tag: T, command: 'APPEND', mailbox: 'INBOX', messages: [{ flags: null, date: v, message: enc('Hi\r\n'), binary: false }] }) },
  { name: 'FETCH header field', build: (v) => ({ tag: T, command: 'FETCH', uid: false, set, items: [{ item: 'UID' }, { item: 'BODY[]', peek: true, section: { part: [], text: 'HEADER.FIELDS', fields: ['From', v] }, partial: null }] }) },
  { name: 'STORE flag', build: (v) => ({ tag: T, command: 'STORE', uid: false, set, operation: 'add', silent: false, flags: [v], unchangedSince: null }) },
  ...(['COPY', 'MOVE'] as const).map((command) => ({ name: `${command} mailbox`, build: (v: string): imap.Command => ({ tag: T, command, uid: true, set, mailbox: v }) })),
  { name: 'SEARCH SUBJECT', build: (v) => ({ tag: T, command: 'SEARCH', uid: false, charset: null, criteria: [{ key: 'SUBJECT', value: v }] }) },
  { name: 'SEARCH criteria (RAW)', build: (v) => ({ tag: T, command: 'SEARCH', uid: false, charset: null, criteria: [{ key: 'RAW', text: v }] }) },
  { name: 'UID EXPUNGE tag', build: (v) => ({ tag: v, command: 'UID EXPUNGE', set }) },
  { name: 'ID key', build: (v) => ({ tag: T, command: 'ID', params: { [v]: 'x' } }) },
  { name: 'ID value', build: (v) => ({ tag: T, command: 'ID', params: { name: v } }) },
  { name: 'UNKNOWN name', build: (v) => ({ tag: T, command: 'UNKNOWN', name: v, text: '' }) },
  { name: 'UNKNOWN text', build: (v) => ({ tag: T, command: 'UNKNOWN', name: 'XAPPLEPUSHSERVICE', text: v }) },
];

const code = (raw: string, name = 'ALERT'): imap.ResponseCode => ({ name, raw });
const U = (d: imap.UntaggedData): imap.Response => ({ type: 'untagged', ...d });
const addr = (a: Partial<imap.Address>): imap.Address => ({ name: null, adl: null, mailbox: 'bob', host: 'example.org', ...a });
const envelope = (e: Partial<imap.Envelope>): imap.Envelope => ({
  date: null,
  subject: null,
  from: null,
  sender: null,
  replyTo: null,
  to: null,
  cc: null,
  bcc: null,
  inReplyTo: null,
  messageId: null,
  ...e,
});
const part = (p: Partial<imap.SinglePart>): imap.SinglePart => ({
  kind: 'single',
  part: '1',
  type: 'TEXT',
  subtype: 'PLAIN',
  params: {},
  id: null,
  description: null,
  encoding: '7BIT',
  size: 3,
  lines: 1,
  ...p,
});
const F = (a: imap.FetchAttributes): imap.Response => U({ kind: 'FETCH', seq: 1, attributes: a });

const IMAP_RESPONSES: Row<imap.Response>[] = [
  { name: 'tagged tag', build: (v) => ({ type: 'tagged', tag: v, status: 'OK', code: null, text: 'done' }) },
  { name: 'tagged text', build: (v) => ({ type: 'tagged', tag: T, status: 'NO', code: null, text: v }) },
  { name: 'tagged code name', build: (v) => ({ type: 'tagged', tag: T, status: 'NO', code: code('', v), text: 'x' }) },
  { name: 'tagged code text', build: (v) => ({ type: 'tagged', tag: T, status: 'NO', code: code(v, 'X-CODE'), text: 'x' }) },
  { name: 'continuation text', build: (v) => ({ type: 'continuation', code: null, text: v }) },
  { name: 'continuation code text', build: (v) => ({ type: 'continuation', code: code(v, 'X-CODE'), text: 'go' }) },
  ...(['OK', 'NO', 'BAD', 'PREAUTH', 'BYE'] as const).flatMap((kind) => [
    { name: `* ${kind} text`, build: (v: string) => U({ kind, code: null, text: v }) },
    { name: `* ${kind} code text`, build: (v: string) => U({ kind, code: code(v, 'X-CODE'), text: 'x' }) },
  ]),
  ...(['CAPABILITY', 'ENABLED'] as const).map((kind) => ({ name: `* ${kind} capability`, build: (v: string) => U({ kind, capabilities: ['IMAP4rev1', v] }) })),
  { name: '* FLAGS flag', build: (v) => U({ kind: 'FLAGS', flags: ['\\Seen', v] }) },
  ...(['LIST', 'LSUB'] as const).flatMap((kind) => [
    { name: `* ${kind} attribute`, build: (v: string) => U({ kind, attributes: [v], delimiter: '/', mailbox: 'a', extended: {} }) },
    { name: `* ${kind} delimiter`, build: (v: string) => U({ kind, attributes: [], delimiter: v, mailbox: 'a', extended: {} }) },
    { name: `* ${kind} mailbox`, build: (v: string) => U({ kind, attributes: [], delimiter: '/', mailbox: v, extended: {} }) },
    { name: `* ${kind} OLDNAME`, build: (v: string) => U({ kind, attributes: [], delimiter: '/', mailbox: 'a', extended: { OLDNAME: v } }) },
    { name: `* ${kind} CHILDINFO`, build: (v: string) => U({ kind, attributes: [], delimiter: '/', mailbox: 'a', extended: { CHILDINFO: [v] } }) },
    { name: `* ${kind} extended key`, build: (v: string) => U({ kind, attributes: [], delimiter: '/', mailbox: 'a', extended: { [v]: { kind: 'nil' } } }) },
  ]),
  { name: '* STATUS mailbox', build: (v) => U({ kind: 'STATUS', mailbox: v, attributes: { MESSAGES: 1 } }) },
  { name: '* STATUS attribute name', build: (v) => U({ kind: 'STATUS', mailbox: 'INBOX', attributes: { [v]: 1 } }) },
  { name: '* STATUS MAILBOXID value', build: (v) => U({ kind: 'STATUS', mailbox: 'INBOX', attributes: { MAILBOXID: v } }) },
  { name: '* ESEARCH tag', build: (v) => U({ kind: 'ESEARCH', tag: v, uid: false, results: { COUNT: 1 } }) },
  { name: '* ESEARCH return name', build: (v) => U({ kind: 'ESEARCH', tag: null, uid: false, results: { [v]: 1 } }) },
  { name: '* ESEARCH string value', build: (v) => U({ kind: 'ESEARCH', tag: null, uid: false, results: { X: v } }) },
  { name: '* FETCH flag', build: (v) => F({ flags: [v] }) },
  { name: '* FETCH INTERNALDATE', build: (v) => F({ internalDateText: v }) },
  { name: '* FETCH ENVELOPE subject', build: (v) => F({ envelope: envelope({ subject: v }) }) },
  { name: '* FETCH ENVELOPE date', build: (v) => F({ envelope: envelope({ date: v }) }) },
  { name: '* FETCH ENVELOPE message-id', build: (v) => F({ envelope: envelope({ messageId: v, inReplyTo: v }) }) },
  { name: '* FETCH ENVELOPE from name', build: (v) => F({ envelope: envelope({ from: [addr({ name: v })] }) }) },
  { name: '* FETCH ENVELOPE to mailbox', build: (v) => F({ envelope: envelope({ to: [addr({ mailbox: v })] }) }) },
  { name: '* FETCH ENVELOPE cc host', build: (v) => F({ envelope: envelope({ cc: [addr({ host: v, adl: v })] }) }) },
  { name: '* FETCH BODYSTRUCTURE type', build: (v) => F({ bodyStructure: part({ type: v }) }) },
  { name: '* FETCH BODYSTRUCTURE subtype', build: (v) => F({ bodyStructure: part({ subtype: v }) }) },
  { name: '* FETCH BODYSTRUCTURE param key', build: (v) => F({ bodyStructure: part({ params: { [v]: 'x' } }) }) },
  { name: '* FETCH BODYSTRUCTURE param value', build: (v) => F({ bodyStructure: part({ params: { CHARSET: v } }) }) },
  { name: '* FETCH BODYSTRUCTURE id/description/encoding', build: (v) => F({ bodyStructure: part({ id: v, description: v, encoding: v }) }) },
  { name: '* FETCH BODYSTRUCTURE md5/location', build: (v) => F({ bodyStructure: part({ md5: v, location: v }) }) },
  { name: '* FETCH BODYSTRUCTURE disposition', build: (v) => F({ bodyStructure: part({ md5: null, disposition: { type: v, params: { FILENAME: v } } }) }) },
  { name: '* FETCH BODYSTRUCTURE language', build: (v) => F({ bodyStructure: part({ md5: null, disposition: null, language: [v] }) }) },
  {
    name: '* FETCH BODYSTRUCTURE multipart subtype',
    build: (v) => F({ bodyStructure: { kind: 'multipart', part: '', subtype: v, parts: [part({})] } }),
  },
  { name: '* FETCH EMAILID', build: (v) => F({ emailId: v }) },
  { name: '* FETCH THREADID', build: (v) => F({ threadId: v }) },
  { name: '* FETCH SAVEDATE', build: (v) => F({ saveDate: v }) },
  { name: '* FETCH PREVIEW', build: (v) => F({ preview: v }) },
  { name: '* FETCH X-GM-LABELS', build: (v) => F({ gmailLabels: ['\\Inbox', v] }) },
  { name: '* FETCH BINARY.SIZE section', build: (v) => F({ binarySizes: { [v]: 1 } }) },
  { name: '* FETCH other attribute name', build: (v) => F({ other: { [v]: { kind: 'nil' } } }) },
  { name: '* FETCH other attribute atom value', build: (v) => F({ other: { 'X-ATOM': { kind: 'atom', value: v } } }) },
  { name: '* FETCH other attribute string value', build: (v) => F({ other: { 'X-STR': { kind: 'string', form: 'quoted', value: enc(v) } } }) },
  { name: '* FETCH section name', build: (v) => F({ sections: [{ name: v, section: '', origin: null, data: enc('x') }] }) },
  { name: '* FETCH section data', build: (v) => F({ sections: [{ name: 'BODY[]', section: '', origin: null, data: enc(v) }] }) },
  { name: '* NAMESPACE prefix', build: (v) => U({ kind: 'NAMESPACE', personal: [{ prefix: v, delimiter: '/' }], otherUsers: null, shared: null }) },
  { name: '* NAMESPACE delimiter', build: (v) => U({ kind: 'NAMESPACE', personal: null, otherUsers: [{ prefix: '', delimiter: v }], shared: null }) },
  { name: '* QUOTA root', build: (v) => U({ kind: 'QUOTA', root: v, resources: [{ name: 'STORAGE', usage: 1, limit: 2 }] }) },
  { name: '* QUOTA resource name', build: (v) => U({ kind: 'QUOTA', root: '', resources: [{ name: v, usage: 1, limit: 2 }] }) },
  { name: '* QUOTAROOT mailbox', build: (v) => U({ kind: 'QUOTAROOT', mailbox: v, roots: [''] }) },
  { name: '* QUOTAROOT root', build: (v) => U({ kind: 'QUOTAROOT', mailbox: 'INBOX', roots: [v] }) },
  { name: '* ID key', build: (v) => U({ kind: 'ID', params: { [v]: 'x' } }) },
  { name: '* ID value', build: (v) => U({ kind: 'ID', params: { name: v } }) },
  { name: '* ACL mailbox', build: (v) => U({ kind: 'ACL', mailbox: v, rights: [] }) },
  { name: '* ACL identifier', build: (v) => U({ kind: 'ACL', mailbox: 'INBOX', rights: [{ identifier: v, rights: 'lr' }] }) },
  { name: '* ACL rights', build: (v) => U({ kind: 'ACL', mailbox: 'INBOX', rights: [{ identifier: 'bob', rights: v }] }) },
  { name: '* LISTRIGHTS mailbox', build: (v) => U({ kind: 'LISTRIGHTS', mailbox: v, identifier: 'bob', required: 'l', optional: [] }) },
  { name: '* LISTRIGHTS identifier', build: (v) => U({ kind: 'LISTRIGHTS', mailbox: 'INBOX', identifier: v, required: 'l', optional: [] }) },
  { name: '* LISTRIGHTS required', build: (v) => U({ kind: 'LISTRIGHTS', mailbox: 'INBOX', identifier: 'bob', required: v, optional: [] }) },
  { name: '* LISTRIGHTS optional', build: (v) => U({ kind: 'LISTRIGHTS', mailbox: 'INBOX', identifier: 'bob', required: 'l', optional: [v] }) },
  { name: '* MYRIGHTS mailbox', build: (v) => U({ kind: 'MYRIGHTS', mailbox: v, rights: 'lr' }) },
  { name: '* MYRIGHTS rights', build: (v) => U({ kind: 'MYRIGHTS', mailbox: 'INBOX', rights: v }) },
  { name: '* METADATA mailbox', build: (v) => U({ kind: 'METADATA', mailbox: v, entries: null, names: ['/shared/comment'] }) },
  { name: '* METADATA entry', build: (v) => U({ kind: 'METADATA', mailbox: 'INBOX', entries: [{ entry: v, value: null }], names: null }) },
  { name: '* METADATA value', build: (v) => U({ kind: 'METADATA', mailbox: 'INBOX', entries: [{ entry: '/shared/comment', value: enc(v) }], names: null }) },
  { name: '* METADATA name', build: (v) => U({ kind: 'METADATA', mailbox: 'INBOX', entries: null, names: [v] }) },
  { name: '* UNKNOWN name', build: (v) => U({ kind: 'UNKNOWN', name: v, text: '' }) },
  { name: '* UNKNOWN text', build: (v) => U({ kind: 'UNKNOWN', name: 'XSTATE', text: v }) },
];

/** Kinds whose numbers or sets carry no string field; their encodings must still be one line. */
const IMAP_NUMERIC_RESPONSES: imap.Response[] = [
  U({ kind: 'SEARCH', numbers: [1, 2], modseq: 5n }),
  U({ kind: 'SORT', numbers: [2, 1], modseq: null }),
  U({ kind: 'EXISTS', number: 3 }),
  U({ kind: 'RECENT', number: 0 }),
  U({ kind: 'EXPUNGE', number: 2 }),
  U({ kind: 'VANISHED', earlier: true, uids: set }),
  U({ kind: 'THREAD', threads: [[1, [2, 3]]] }),
  U({ kind: 'ESEARCH', tag: T, uid: true, results: { MIN: 1, ALL: set, MODSEQ: 7n } }),
];

function imapCommandsBack(wire: Uint8Array): imap.CommandParserItem[] {
  const p = new imap.CommandParser();
  const items = p.push(concat([wire, enc('Z9 NOOP\r\n')]));
  // IDLE and AUTHENTICATE pause the reader until the server says what comes next.
  items.push(...p.resume(), ...p.end());
  return items.filter((i) => i.type !== 'continuation-needed');
}

function imapResponsesBack(wire: Uint8Array): imap.ResponseParserItem[] {
  const p = new imap.ResponseParser();
  const items = [...p.push(concat([wire, enc('Z9 OK sentinel\r\n')])), ...p.end()];
  return items.filter((i) => i.type !== 'literal-chunk' && i.type !== 'literal-end');
}

/** Control characters and literal announcements must never reach the wire as raw text. */
function expectNoRawHostile(lines: readonly string[], kind: ImapKind, value: string): void {
  if (kind === 'literal announcement' || kind === 'non-sync literal announcement') {
    // The only literal announcements are the encoder's own, never the value's text.
    for (const l of lines) expect(l.endsWith(value)).toBe(false);
  }
}

/**
 * Fields the encoders write as raw protocol text by design (FETCH items and section names such as
 * `BODY[HEADER.FIELDS (FROM)]` in responses, raw SEARCH criteria, an unknown command's
 * text): a hostile value there may read back as one syntax error, but never as a second unit.
 */
const RAW_BY_DESIGN = /SEARCH criteria|UNKNOWN text|section name/;

describe('IMAP encoders refuse or write a literal; never a raw line break outside one', () => {
  for (const row of IMAP_COMMANDS) {
    for (const kind of IMAP_KINDS) {
      it(`encodeCommand ${row.name} <- ${kind}`, () => {
        const v = IMAP_HOSTILE[kind];
        const frags = attempt(() => imap.encodeCommand(row.build(v)));
        if (frags === 'refused') return;
        const wire = concat(frags.map((f) => f.data));
        const lines = imapLines(wire);
        expectNoRawHostile(lines, kind, v);
        // A synchronizing literal always ends a fragment: the client waits for "+" before the octets.
        for (const f of frags.slice(0, -1)) expect(f.waitForContinuation).toBe(true);
        const items = imapCommandsBack(wire);
        expect(items).toHaveLength(2);
        expect(items[0]!.type).toBe(RAW_BY_DESIGN.test(row.name) ? items[0]!.type : 'command');
        expect(['command', 'error']).toContain(items[0]!.type);
        expect(items[1]).toMatchObject({ command: { tag: 'Z9', command: 'NOOP' } });
      });
    }
  }

  for (const row of IMAP_RESPONSES) {
    for (const kind of IMAP_KINDS) {
      it(`encodeResponse ${row.name} <- ${kind}`, () => {
        const v = IMAP_HOSTILE[kind];
        const wire = attempt(() => imap.encodeResponse(row.build(v)));
        if (wire === 'refused') return;
        const lines = imapLines(wire);
        expectNoRawHostile(lines, kind, v);
        const items = imapResponsesBack(wire);
        expect(items).toHaveLength(2);
        expect(items[0]!.type).toBe(RAW_BY_DESIGN.test(row.name) && items[0]!.type === 'error' ? 'error' : row.build(v).type);
        expect(items[1]).toMatchObject({ tag: 'Z9', text: 'sentinel' });
      });
    }
  }

  it('responses without string fields are one line each and parse as one response', () => {
    for (const r of IMAP_NUMERIC_RESPONSES) {
      const wire = imap.encodeResponse(r);
      expect(imapLines(wire)).toHaveLength(1);
      expect(imapResponsesBack(wire).map((i) => i.type)).toEqual(['untagged', 'tagged']);
    }
  });

  it('a value with CR, LF or NUL that is accepted always travels inside a literal', () => {
    const login = imap.encodeCommand({ tag: T, command: 'LOGIN', user: 'u', password: 'a\r\nZ9 LOGOUT\r\n' });
    expect(login.map((f) => dec(f.data))).toEqual(['A1 LOGIN u {14}\r\n', 'a\r\nZ9 LOGOUT\r\n\r\n']);
    expect(login[0]!.waitForContinuation).toBe(true);
    const subject = imap.encodeResponse(F({ envelope: envelope({ subject: 'a\0b' }) }));
    expect(dec(subject)).toBe('* 1 FETCH (ENVELOPE (NIL {3}\r\na\0b NIL NIL NIL NIL NIL NIL NIL NIL))\r\n');
  });
});
