import { describe, expect, it } from 'vitest';
import { ProtocolError, smtp } from '../../src/index';

const ok = (line: string, opts?: smtp.ParseCommandOptions) => {
  const c = smtp.parseCommand(line, opts);
  if (c instanceof ProtocolError) throw new Error(`unexpected error for ${line}: ${c.message}`);
  return c;
};
const bad = (line: string, opts?: smtp.ParseCommandOptions) => {
  const c = smtp.parseCommand(line, opts);
  expect(c, line).toBeInstanceOf(ProtocolError);
  return c as ProtocolError;
};

describe('rfc5321 4.1.1 commands', () => {
  it('4.1.1.1 EHLO/HELO with a domain or address literal; LHLO (rfc2033)', () => {
    expect(ok('EHLO bar.com')).toEqual({ verb: 'EHLO', domain: 'bar.com' });
    expect(ok('helo [192.0.2.1]')).toEqual({ verb: 'HELO', domain: '[192.0.2.1]' });
    expect(ok('LHLO foo.edu')).toEqual({ verb: 'LHLO', domain: 'foo.edu' });
    bad('EHLO');
    bad('EHLO bad domain');
    expect(ok('EHLO bad_host', { lenient: true })).toEqual({ verb: 'EHLO', domain: 'bad_host' });
  });

  it('4.1.1.2 MAIL FROM with the null path, params, case-insensitive verb', () => {
    expect(ok('MAIL FROM:<>')).toEqual({ verb: 'MAIL', from: null, params: [] });
    const m = ok('mail from:<Smith@bar.com> SIZE=500000 BODY=8BITMIME SMTPUTF8') as smtp.MailCommand;
    expect(m.from).toEqual({ localPart: 'Smith', domain: 'bar.com', route: [], address: 'Smith@bar.com' });
    expect(m.params).toEqual([
      { keyword: 'SIZE', value: '500000' },
      { keyword: 'BODY', value: '8BITMIME' },
      { keyword: 'SMTPUTF8', value: null },
    ]);
    expect(smtp.readMailParameters(m.params)).toEqual({ size: 500000, body: '8BITMIME', smtputf8: true });
    bad('MAIL FROM:Smith@bar.com');
    bad('MAIL TO:<a@b.com>');
    bad('MAIL FROM:<a@b.com>SIZE=1');
  });

  it('outlook 2007: "MAIL FROM: <a@b>" (space after the colon) is a default leniency; strict refuses it', () => {
    // Outlook 2007 sends it; Postfix and Exim accept it. The space is not in RFC 5321 4.1.2.
    expect(smtp.DEFAULT_LENIENCIES).toContain('space-after-colon');
    expect((ok('MAIL FROM: <a@b.example>') as smtp.MailCommand).from?.address).toBe('a@b.example');
    expect((ok('RCPT TO: <c@d.example> NOTIFY=NEVER') as smtp.RcptCommand).to.address).toBe('c@d.example');
    expect((ok('mail from:  <> SIZE=10') as smtp.MailCommand).params).toEqual([{ keyword: 'SIZE', value: '10' }]);
    const e = bad('MAIL FROM: <a@b.example>', { strict: true });
    expect(e.code).toBe('SYNTAX');
    expect(e.offset).toBe(10);
    bad('RCPT TO: <c@d.example>', { strict: true });
    // The leniency is the space only: a path without brackets still needs `lenient`.
    bad('MAIL FROM: a@b.example');
  });

  it('outlook 2007 through the server session: MAIL FROM: <a@b> is answered 250 by default, 501 under strict', () => {
    const enc = (t: string) => new TextEncoder().encode(t);
    const run = (parser: smtp.CommandParserOptions) => {
      const p = new smtp.CommandParser(parser);
      return p.push(enc('MAIL FROM: <sender@example.com>\r\n')).map((it) => (it.type === 'command' ? it.command.verb : it.type === 'error' ? it.error.code : it.type));
    };
    expect(run({})).toEqual(['MAIL']);
    expect(run({ strict: true })).toEqual(['SYNTAX']);
    const answer = (parser: smtp.CommandParserOptions) => {
      const s = new smtp.ServerSession({ domain: 'mx.example', parser });
      s.takeOutput();
      for (const ev of s.receive(enc('EHLO c.example\r\n'))) if (ev.type === 'command') s.accept();
      s.takeOutput();
      for (const ev of s.receive(enc('MAIL FROM: <sender@example.com>\r\n'))) if (ev.type === 'command') s.accept();
      return new TextDecoder().decode(s.takeOutput()[0]).slice(0, 3);
    };
    expect(answer({})).toBe('250');
    expect(answer({ strict: true })).toBe('501');
  });

  it('lenient: "MAIL FROM: <a@b>" with a space and missing brackets (real broken clients)', () => {
    expect((ok('MAIL FROM: <a@b.example>', { lenient: true }) as smtp.MailCommand).from?.address).toBe('a@b.example');
    expect((ok('RCPT TO:a@b.example', { lenient: true }) as smtp.RcptCommand).to.address).toBe('a@b.example');
  });

  it('4.1.1.3 RCPT TO with Postmaster, source routes and address literals', () => {
    expect((ok('RCPT TO:<Postmaster>') as smtp.RcptCommand).to).toEqual({ localPart: 'Postmaster', domain: '', route: [], address: 'Postmaster' });
    const routed = ok('RCPT TO:<@hosta.int,@jkl.org:userc@d.bar.org>') as smtp.RcptCommand;
    expect(routed.to.route).toEqual(['hosta.int', 'jkl.org']);
    expect(routed.to.address).toBe('userc@d.bar.org');
    expect((ok('RCPT TO:<user@[IPv6:2001:db8::1]>') as smtp.RcptCommand).to.domain).toBe('[IPv6:2001:db8::1]');
    expect((ok('RCPT TO:<user@[x-tag:content]>') as smtp.RcptCommand).to.domain).toBe('[x-tag:content]');
    bad('RCPT TO:<>');
    bad('RCPT TO:<user@[300.1.1.1]>');
    bad('RCPT TO:<user@[IPv6:1:2:3]>');
    bad('RCPT TO:<user>');
    bad('RCPT TO:<user@-bad.com>');
  });

  it('4.1.2 quoted local parts with escapes', () => {
    const r = ok('RCPT TO:<"John \\"Q\\" Public"@example.com>') as smtp.RcptCommand;
    expect(r.to.localPart).toBe('John "Q" Public');
    expect(smtp.encodeCommand(r)).toBe('RCPT TO:<"John \\"Q\\" Public"@example.com>\r\n');
    bad('RCPT TO:<"unterminated@example.com>');
    bad('RCPT TO:<a..b@example.com>');
  });

  it('rfc6531 UTF-8 addresses and EXPN/VRFY SMTPUTF8', () => {
    const r = ok('RCPT TO:<用户@例子.广告>') as smtp.RcptCommand;
    expect(r.to.address).toBe('用户@例子.广告');
    expect(ok('VRFY Smith SMTPUTF8')).toEqual({ verb: 'VRFY', argument: 'Smith', value: 'Smith', smtputf8: true });
    expect(ok('EXPN Example-People')).toEqual({ verb: 'EXPN', argument: 'Example-People', value: 'Example-People', smtputf8: false });
  });

  it('rfc5321 3.5.3 / 4.1.2 VRFY and EXPN with a Quoted-string keep the raw text and give the value', () => {
    expect(ok('VRFY "Smith, John"')).toEqual({ verb: 'VRFY', argument: '"Smith, John"', value: 'Smith, John', smtputf8: false });
    expect(ok('EXPN "list \\"x\\" \\\\ y" SMTPUTF8')).toEqual({ verb: 'EXPN', argument: '"list \\"x\\" \\\\ y"', value: 'list "x" \\ y', smtputf8: true });
    // Not one Quoted-string: the value is the text as sent.
    for (const raw of ['"a" "b"', '"open', 'x"y"', '"esc\\"']) expect((ok(`VRFY ${raw}`) as smtp.VerifyCommand).value).toBe(raw);
    expect(smtp.unquoteString('"a\\\\b"')).toBe('a\\b');
  });

  it('rfc821 SEND, SOML, SAML FROM:<path> and TURN are typed (a server answers 502)', () => {
    expect(ok('SEND FROM:<a@b.example>')).toMatchObject({ verb: 'SEND', from: { address: 'a@b.example' }, params: [] });
    expect(ok('soml FROM:<>')).toEqual({ verb: 'SOML', from: null, params: [] });
    expect(ok('SAML FROM: <x@y.example>')).toMatchObject({ verb: 'SAML', from: { address: 'x@y.example' } });
    expect(ok('TURN')).toEqual({ verb: 'TURN' });
    bad('TURN now');
    bad('SEND TO:<a@b.example>');
    for (const c of [{ verb: 'TURN' as const }, { verb: 'SAML' as const, from: smtp.makePath('a', 'b.example'), params: [] }]) {
      expect(ok(smtp.encodeCommand(c).slice(0, -2))).toEqual(c);
    }
    // A server that accepts every command, as docs/smtp.md shows, answers both 502.
    const s = new smtp.ServerSession({ domain: 'mx.example' });
    s.takeOutput();
    const verbs: string[] = [];
    let events = s.receive(new TextEncoder().encode('EHLO c.example\r\nTURN\r\nSEND FROM:<a@b.example>\r\n'));
    for (let guard = 0; guard < 10; guard++) {
      const cmd = events.find((e) => e.type === 'command');
      if (cmd === undefined || cmd.type !== 'command') break;
      verbs.push(cmd.command.verb);
      events = s.accept();
    }
    expect(verbs).toEqual(['EHLO', 'TURN', 'SEND']);
    const out = s.takeOutput().map((b) => new TextDecoder().decode(b)).join('');
    expect(out.split('\r\n').filter((l) => l.startsWith('502'))).toHaveLength(2);
  });

  it('rfc4954 AUTH with a registered mechanism name longer than 20 characters (ECDSA-NIST256P-CHALLENGE)', () => {
    expect(ok('AUTH ECDSA-NIST256P-CHALLENGE')).toEqual({ verb: 'AUTH', mechanism: 'ECDSA-NIST256P-CHALLENGE', initialResponse: null });
    expect(ok('AUTH ecdsa-nist256p-challenge dGVzdA==')).toEqual({ verb: 'AUTH', mechanism: 'ECDSA-NIST256P-CHALLENGE', initialResponse: 'dGVzdA==' });
    bad(`AUTH ${'A'.repeat(smtp.MAX_MECHANISM_LENGTH + 1)}`);
    bad('AUTH PL@IN');
    bad('AUTH PLAIN a b');
  });

  it('rfc3030 BDAT, rfc4468 BURL, rfc4954 AUTH, ETRN, ATRN, HELP, NOOP', () => {
    expect(ok('BDAT 86982 LAST')).toEqual({ verb: 'BDAT', size: 86982, last: true });
    expect(ok('bdat 0')).toEqual({ verb: 'BDAT', size: 0, last: false });
    bad('BDAT');
    bad('BDAT -1');
    bad('BDAT 10 FIRST');
    expect(ok('BURL imap://harry@gray.example.com/outbox;uidvalidity=1078863300/;uid=25;urlauth=submit+harry:internal:91354a473744909de610943775f92038 LAST')).toMatchObject({ verb: 'BURL', last: true });
    expect(ok('AUTH PLAIN dGVzdAB0ZXN0ADEyMzQ=')).toEqual({ verb: 'AUTH', mechanism: 'PLAIN', initialResponse: 'dGVzdAB0ZXN0ADEyMzQ=' });
    expect(ok('AUTH login')).toEqual({ verb: 'AUTH', mechanism: 'LOGIN', initialResponse: null });
    expect(ok('AUTH PLAIN =')).toEqual({ verb: 'AUTH', mechanism: 'PLAIN', initialResponse: '=' });
    bad('AUTH');
    expect(ok('ETRN @example.org')).toEqual({ verb: 'ETRN', argument: '@example.org' });
    bad('ETRN');
    expect(ok('ATRN')).toEqual({ verb: 'ATRN', argument: null });
    expect(ok('HELP MAIL')).toEqual({ verb: 'HELP', argument: 'MAIL' });
    expect(ok('NOOP')).toEqual({ verb: 'NOOP', argument: null });
  });

  it('commands without arguments refuse one', () => {
    for (const v of ['DATA', 'RSET', 'QUIT', 'STARTTLS']) {
      expect(ok(v.toLowerCase())).toEqual({ verb: v });
      bad(`${v} extra`);
    }
  });

  it('unknown and X- verbs are kept with their argument', () => {
    expect(ok('XCLIENT NAME=spike.porcupine.org ADDR=168.100.189.2')).toEqual({
      verb: 'UNKNOWN',
      name: 'XCLIENT',
      argument: 'NAME=spike.porcupine.org ADDR=168.100.189.2',
    });
    expect(ok('X-FOO')).toEqual({ verb: 'UNKNOWN', name: 'X-FOO', argument: null });
    bad('');
    bad('<html> x');
    expect(ok('GET / HTTP/1.1')).toMatchObject({ verb: 'UNKNOWN', name: 'GET' });
  });

  it('a CR, LF or NUL inside the line is a syntax error, never part of a value', () => {
    bad('MAIL FROM:<a@b.com>\rRCPT TO:<c@d.com>');
    expect(bad('NOOP a\0b').code).toBe('SYNTAX');
  });
});

describe('encodeCommand refuses what would change the line', () => {
  it('CR/LF/NUL in free arguments, paths and parameters', () => {
    expect(() => smtp.encodeCommand({ verb: 'NOOP', argument: 'x\r\nRSET' })).toThrow(TypeError);
    expect(() => smtp.encodeCommand({ verb: 'HELO', domain: 'a.com\r\nMAIL' })).toThrow(TypeError);
    expect(() => smtp.encodeCommand({ verb: 'RCPT', to: smtp.makePath('a\nb', 'c.com'), params: [] })).toThrow(TypeError);
    expect(() => smtp.encodeCommand({ verb: 'MAIL', from: null, params: [{ keyword: 'ENVID', value: 'a\r\nb' }] })).toThrow(TypeError);
    expect(() => smtp.encodeCommand({ verb: 'UNKNOWN', name: 'MAIL', argument: 'FROM:<>' })).toThrow(TypeError);
    expect(() => smtp.encodeCommand({ verb: 'AUTH', mechanism: 'PLAIN', initialResponse: 'a b' })).toThrow(TypeError);
  });

  it('rfc3461 4 xtext for ENVID and ORCPT', () => {
    expect(smtp.encodeXtext('a+b=c d')).toBe('a+2Bb+3Dc+20d');
    expect(smtp.decodeXtext('a+2Bb+3Dc+20d')).toBe('a+b=c d');
    expect(smtp.decodeXtext('bad+2')).toMatchObject({ code: 'INVALID_ENCODING' });
    const rc = smtp.parseCommand('RCPT TO:<c@x.edu> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;C+2Bd@Y.EDU') as smtp.RcptCommand;
    expect(smtp.readRcptParameters(rc.params)).toEqual({ notify: ['SUCCESS', 'FAILURE'], orcpt: { type: 'RFC822', address: 'C+d@Y.EDU' } });
    expect(smtp.readRcptParameters([{ keyword: 'NOTIFY', value: 'NEVER,DELAY' }])).toBeInstanceOf(ProtocolError);
  });

  it('typed MAIL parameters: RET, ENVID, AUTH, MT-PRIORITY, HOLDFOR, BY, REQUIRETLS; bad values named', () => {
    const m = smtp.parseCommand('MAIL FROM:<a@b.com> RET=HDRS ENVID=QQ314159 AUTH=<> MT-PRIORITY=-3 HOLDFOR=60 BY=120;R REQUIRETLS') as smtp.MailCommand;
    expect(smtp.readMailParameters(m.params)).toEqual({ ret: 'HDRS', envid: 'QQ314159', auth: '<>', mtPriority: -3, holdFor: 60, by: { time: 120, mode: 'R', trace: false }, requireTls: true });
    expect(smtp.readMailParameters([{ keyword: 'SIZE', value: 'x' }])).toMatchObject({ code: 'SYNTAX', message: 'SIZE needs a number' });
    expect(smtp.readMailParameters([{ keyword: 'MT-PRIORITY', value: '10' }])).toBeInstanceOf(ProtocolError);
    expect(smtp.readMailParameters([{ keyword: 'BODY', value: '9BIT' }])).toBeInstanceOf(ProtocolError);
  });
});
