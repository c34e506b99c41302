import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError, escapeUnsafeText, imap, pop3, smtp } from '../../src/index';
import { bin, concat, dec, enc } from '../helpers/bytes';

// Every error text a parser builds can quote peer bytes. ProtocolError escapes them when it is
// built, so a message is always one line of printable text that a reply encoder accepts (IMAP
// BAD, SMTP 5yz, POP3 -ERR) and that cannot forge a log line.

/** Printable: no C0 control, DEL, C1 control, U+2028/U+2029, lone surrogate. */
function unsafeChar(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029) return i;
    if (c >= 0xd800 && c <= 0xdbff) {
      const n = text.charCodeAt(i + 1);
      if (!(n >= 0xdc00 && n <= 0xdfff)) return i;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return i;
  }
  return -1;
}

/** Every ProtocolError inside a list of items/events (`{ type: 'error', error }` or nested). */
function errorsIn(items: readonly unknown[], into: ProtocolError[]): void {
  for (const it of items) {
    if (it instanceof ProtocolError) into.push(it);
    else if (it !== null && typeof it === 'object' && (it as { error?: unknown }).error instanceof ProtocolError) into.push((it as { error: ProtocolError }).error);
  }
}

function checkError(e: ProtocolError, input: Uint8Array): void {
  const fail = (why: string): never => {
    throw new Error(`${why}: ${e.code} ${JSON.stringify(e.message)} (line ${JSON.stringify(e.line)}) from ${JSON.stringify(dec(input))}`);
  };
  if (unsafeChar(e.message) >= 0) fail('unsafe char in the message');
  if (e.line !== undefined && unsafeChar(e.line) >= 0) fail('unsafe char in the line');
  // Every reply encoder takes the text as it is.
  try {
    smtp.encodeReply({ code: 501, enhanced: null, lines: [e.message] });
    pop3.encodeResponse({ status: '-ERR', code: null, text: `syntax error: ${e.message}` });
    imap.encodeResponse({ type: 'tagged', tag: 'A1', status: 'BAD', code: null, text: `syntax error: ${e.message}` });
  } catch (x) {
    fail(`a reply encoder refused it (${(x as Error).message})`);
  }
}

/** Runs bytes through every parser of the three protocols (units and streams); returns every error. */
function parseEverywhere(b: Uint8Array): ProtocolError[] {
  const errors: ProtocolError[] = [];
  const text = dec(b);
  errorsIn([smtp.parseCommand(b), smtp.parseCommand(b, { lenient: true }), smtp.parseReply(b), smtp.parseReplyLine(b), smtp.parseParameters(text), smtp.decodeXtext(text)], errors);
  errorsIn([smtp.readMailParameters([{ keyword: 'ENVID', value: text }]), smtp.readRcptParameters([{ keyword: 'ORCPT', value: `rfc822;${text}` }])], errors);
  errorsIn([pop3.parseCommand(b), pop3.parseResponse(b), imap.parseCommand(b), imap.parseResponse(b)], errors);

  const sc = new smtp.CommandParser();
  const takeSmtp = (items: smtp.CommandParserItem[]): void => {
    errorsIn(items, errors);
    for (const it of items) if (it.type === 'command' && it.command.verb === 'DATA') takeSmtp(sc.startData());
    for (const it of items) if (it.type === 'command' && it.command.verb === 'AUTH') takeSmtp(sc.expectAuthLine());
  };
  takeSmtp(sc.push(b));
  takeSmtp(sc.end());
  const sr = new smtp.ReplyParser();
  errorsIn([...sr.push(b), ...sr.end()], errors);

  const pc = new pop3.CommandParser();
  errorsIn([...pc.push(b), ...pc.end()], errors);
  for (const e of ['single', 'listing', 'body'] as const) {
    const pr = new pop3.ResponseParser();
    pr.expect(e);
    pr.expect(e);
    errorsIn([...pr.push(b), ...pr.end()], errors);
  }

  const ic = new imap.CommandParser();
  errorsIn([...ic.push(b), ...ic.end()], errors);
  const ir = new imap.ResponseParser();
  errorsIn([...ir.push(b), ...ir.end()], errors);
  return errors;
}

/** Runs bytes through the three server sessions and the three client sessions; returns every error event. */
function sessionsEverywhere(b: Uint8Array): ProtocolError[] {
  const errors: ProtocolError[] = [];
  const smtpServer = new smtp.ServerSession({ domain: 'mx.example' });
  errorsIn([...smtpServer.receive(b), ...smtpServer.end()], errors);
  const pop3Server = new pop3.ServerSession();
  errorsIn([...pop3Server.receive(b), ...pop3Server.end()], errors);
  const imapServer = new imap.ServerSession();
  errorsIn([...imapServer.receive(b), ...imapServer.end()], errors);
  const smtpClient = new smtp.ClientSession({ domain: 'client.example' });
  errorsIn([...smtpClient.receive(b), ...smtpClient.end()], errors);
  const pop3Client = new pop3.ClientSession();
  errorsIn([...pop3Client.receive(b), ...pop3Client.end()], errors);
  const imapClient = new imap.ClientSession();
  errorsIn([...imapClient.receive(b), ...imapClient.end()], errors);
  return errors;
}

// Lines that get past the first token of each grammar, so the hostile byte lands deep inside.
const BASES = [
  'a1 LOGIN smith sesame', 'a1 FETCH 1:3 (BODY[HEADER.FIELDS (SUBJECT)] FLAGS)', 'a1 SELECT "INBOX"', 'a1 SEARCH OR SEEN TEXT "x"',
  '* 1 FETCH (ENVELOPE (NIL "s" NIL NIL NIL NIL NIL NIL NIL NIL))', '* OK [CAPABILITY IMAP4rev1] ready', 'A1 NO [ALERT] nope',
  'MAIL FROM:<a@b.example> SIZE=10 ENVID=x', 'RCPT TO:<c@d.example> ORCPT=rfc822;c@d', 'EHLO client.example', 'AUTH PLAIN AGFsaWNl',
  'BDAT 10 LAST', '250-mx.example', '550 5.1.1 no such user', 'TOP 1 10', 'APOP mrose c4c9334bac560ecc979e58001b3e22fb', '+OK 2 320',
  '-ERR [IN-USE] locked', 'X'.repeat(90),
];
// Peer bytes that must never reach an error text raw: C0 controls, DEL, C1 NEL (UTF-8 C2 85),
// U+2028, an invalid UTF-8 byte, an astral char that a slice could cut in half.
const HOSTILE = ['\0', '\r', '\n', '\x01', '\x1b', '\t', '\x7f', '\xc2\x85', '\xe2\x80\xa8', '\xff', '\xf0\x9f\x98\x80', '"', '[', '{5}', '\\', ')'];

describe('escapeUnsafeText', () => {
  it('writes control chars as visible escapes and keeps printable text', () => {
    expect(escapeUnsafeText('a\0b\r\nc\x7f')).toBe('a\\x00b\\r\\nc\\x7f');
    expect(escapeUnsafeText('a\u0085b\u2028c')).toBe('a\\u0085b\\u2028c');
    expect(escapeUnsafeText('\ud83d')).toBe('\\ud83d');
    expect(escapeUnsafeText('x\ude00')).toBe('x\\ude00');
    expect(escapeUnsafeText('Grüße \ud83d\ude00 [x] "q" \\')).toBe('Grüße \ud83d\ude00 [x] "q" \\');
  });

  it('ProtocolError escapes its message and its line when it is built', () => {
    const e = new ProtocolError('SYNTAX', 'unexpected "\0" then "\r\n* OK forged"', { line: 'a1 LOGIN \0 b' });
    expect(e.message).toBe('unexpected "\\x00" then "\\r\\n* OK forged"');
    expect(e.line).toBe('a1 LOGIN \\x00 b');
  });
});

describe('peer bytes in error texts are escaped (issue 14)', () => {
  it('imap.ServerSession.receive("a1 LOGIN \\0 b\\r\\n") answers BAD (quoting none of the peer bytes) instead of throwing; the error event escapes the NUL', () => {
    const s = new imap.ServerSession();
    s.takeOutput();
    const events = s.receive(enc('a1 LOGIN \0 b\r\n'));
    const errors: ProtocolError[] = [];
    errorsIn(events, errors);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain('\\x00');
    const out = dec(concat(s.takeOutput()));
    expect(out).toMatch(/^a1 BAD [^\0\r\n]*\r\n$/);
    expect(out.includes('\0')).toBe(false);
  });

  it('every error of every parser of the three protocols is printable and single-line (hostile bytes at every position)', () => {
    let count = 0;
    for (const base of BASES) {
      for (const h of HOSTILE) {
        for (const at of [0, 1, 3, 5, 9, Math.floor(base.length / 2), base.length - 1, base.length]) {
          const line = bin(`${base.slice(0, at)}${h}${base.slice(at)}\r\n`);
          for (const e of parseEverywhere(line)) {
            checkError(e, line);
            count++;
          }
        }
      }
    }
    expect(count).toBeGreaterThan(1000);
  });

  it('every error event of the six sessions is printable and single-line', () => {
    let count = 0;
    for (const base of BASES) {
      for (const h of HOSTILE) {
        const line = bin(`${base.slice(0, 3)}${h}${base.slice(3)}\r\n${base}${h}\r\n`);
        for (const e of sessionsEverywhere(line)) {
          checkError(e, line);
          count++;
        }
      }
    }
    expect(count).toBeGreaterThan(100);
  });

  it('property: any bytes, any parser: error texts are printable and single-line', () => {
    const hostile = fc.oneof(fc.constantFrom(...HOSTILE, ...BASES, ' ', '\r\n').map(bin), fc.uint8Array({ maxLength: 8 }));
    fc.assert(
      fc.property(fc.array(hostile, { maxLength: 12 }).map(concat), (b) => {
        for (const e of parseEverywhere(b)) checkError(e, b);
      }),
      { numRuns: 300 },
    );
  });
});
