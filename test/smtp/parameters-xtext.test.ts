import { describe, expect, it } from 'vitest';
import { ProtocolError, smtp } from '../../src/index';
import { concat, dec, enc } from '../helpers/bytes';

/** Runs an SMTP server that accepts every command it is asked about; returns everything it wrote. */
function serve(lines: string): string {
  const s = new smtp.ServerSession({ domain: 'mx.example' });
  const out: Uint8Array[] = [...s.takeOutput()];
  const handle = (events: smtp.ServerEvent[]): void => {
    for (const e of events) if (e.type === 'command') handle(s.accept());
  };
  handle(s.receive(enc(lines)));
  out.push(...s.takeOutput());
  return dec(concat(out));
}

describe('rfc3461 4 xtext', () => {
  it('decodes +XX escapes and printable chars', () => {
    expect(smtp.decodeXtext('a+2Bb+3Dc+20d')).toBe('a+b=c d');
    expect(smtp.decodeXtext('C+2Bd@Y.EDU')).toBe('C+d@Y.EDU');
    expect(smtp.decodeXtext('')).toBe('');
  });

  it('rfc3461 4.4: ENVID ab+0D+0Acd (CR LF once decoded) is an INVALID_ENCODING error', () => {
    const e = smtp.decodeXtext('ab+0D+0Acd');
    expect(e).toBeInstanceOf(ProtocolError);
    expect(e).toMatchObject({ code: 'INVALID_ENCODING', offset: 2 });
  });

  it('rfc3461 4.2: every escape outside printable US-ASCII is refused (NUL, TAB, DEL, 8-bit)', () => {
    for (const x of ['+00', '+09', '+0A', '+0D', '+1F', '+7F', '+80', '+C3+A9', '+FF']) {
      expect(smtp.decodeXtext(`a${x}b`), x).toMatchObject({ code: 'INVALID_ENCODING' });
    }
    expect(smtp.decodeXtext('+20+7E')).toBe(' ~');
  });

  it('malformed escapes and chars outside xtext are refused', () => {
    for (const x of ['bad+2', 'bad+', '+G0', '+0g', 'a=b', 'a b', 'a\rb', 'a\u0085b', 'a\u2028b']) {
      expect(smtp.decodeXtext(x), JSON.stringify(x)).toMatchObject({ code: 'INVALID_ENCODING' });
    }
  });

  it('rfc6533 3: raw UTF-8 in an SMTPUTF8 address is kept', () => {
    expect(smtp.decodeXtext('j\u00f6rg@example.org')).toBe('j\u00f6rg@example.org');
  });

  it('encodeXtext writes +XX for SP, "+", "=" and refuses what RFC 3461 forbids before encoding', () => {
    expect(smtp.encodeXtext('a+b=c d')).toBe('a+2Bb+3Dc+20d');
    for (const v of ['a\r\nb', 'a\0b', 'a\tb', 'a\x7fb', 'j\u00f6rg']) expect(() => smtp.encodeXtext(v), JSON.stringify(v)).toThrow(TypeError);
    expect(() => smtp.encodeXtext(7 as unknown as string)).toThrow(TypeError);
  });
});

describe('rfc5321 4.1.2 esmtp-param: failures are ProtocolErrors', () => {
  it('parseParameters: a bad keyword or value is a SYNTAX error', () => {
    expect(smtp.parseParameters(' SIZE=1 -X=2')).toMatchObject({ code: 'SYNTAX', message: 'bad parameter keyword "-X"' });
    expect(smtp.parseParameters(' SIZE=')).toMatchObject({ code: 'SYNTAX' });
    expect(smtp.parseParameters(' SIZE=1 BODY=8BITMIME')).toEqual([
      { keyword: 'SIZE', value: '1' },
      { keyword: 'BODY', value: '8BITMIME' },
    ]);
  });

  it('readMailParameters: ENVID=ab+0D+0Acd is INVALID_ENCODING', () => {
    const m = smtp.parseCommand('MAIL FROM:<a@b.c> ENVID=ab+0D+0Acd') as smtp.MailCommand;
    expect(m.verb).toBe('MAIL');
    expect(smtp.readMailParameters(m.params)).toMatchObject({ code: 'INVALID_ENCODING' });
    expect(smtp.readMailParameters([{ keyword: 'ENVID', value: null }])).toMatchObject({ code: 'SYNTAX' });
  });

  it('readRcptParameters: ORCPT=rfc822;a+0D+0Ab@c is INVALID_ENCODING', () => {
    const c = smtp.parseCommand('RCPT TO:<b@c.example> ORCPT=rfc822;a+0D+0Ab@c') as smtp.RcptCommand;
    expect(smtp.readRcptParameters(c.params)).toMatchObject({ code: 'INVALID_ENCODING' });
    expect(smtp.readRcptParameters([{ keyword: 'ORCPT', value: ';x' }])).toMatchObject({ code: 'SYNTAX' });
    expect(smtp.readRcptParameters([{ keyword: 'ORCPT', value: 'rfc822;a+2Bb@c' }])).toEqual({ orcpt: { type: 'RFC822', address: 'a+b@c' } });
  });

  it('encodeParameters refuses values that are not strings at run time', () => {
    const bad = [{ keyword: 'SIZE', value: 5 }] as unknown as smtp.Parameter[];
    expect(() => smtp.encodeParameters(bad)).toThrow(TypeError);
    expect(() => smtp.encodeParameters([{ keyword: 'SIZE\r\nRSET', value: null }])).toThrow(TypeError);
    expect(() => smtp.encodeParameters('x' as unknown as smtp.Parameter[])).toThrow(TypeError);
  });
});

describe('rfc3461 4.2/4.4 through smtp.ServerSession: 501 5.5.4', () => {
  it('MAIL FROM:<a@b.c> ENVID=ab+0D+0Acd is answered 501 5.5.4 and no transaction starts', () => {
    const out = serve('EHLO client.example\r\nMAIL FROM:<a@b.c> ENVID=ab+0D+0Acd\r\nRCPT TO:<x@y.example>\r\n');
    const lines = out.split('\r\n');
    expect(lines).toContain('501 5.5.4 Invalid MAIL parameters');
    expect(lines).toContain('503 5.5.1 Need MAIL command');
  });

  it('RCPT TO:<x@y.example> ORCPT=rfc822;a+0D+0Ab@c is answered 501 5.5.4 and the recipient is not added', () => {
    const out = serve('EHLO client.example\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<x@y.example> ORCPT=rfc822;a+0D+0Ab@c\r\nDATA\r\n');
    const lines = out.split('\r\n');
    expect(lines).toContain('501 5.5.4 Invalid RCPT parameters');
    // No recipient was accepted, so DATA is refused (RFC 2920 3.1).
    expect(lines).toContain('554 5.5.1 No valid recipients');
    expect(lines.some((l) => l.startsWith('354'))).toBe(false);
  });

  it('a valid ORCPT still passes: the recipient is accepted', () => {
    const out = serve('EHLO client.example\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<x@y.example> NOTIFY=SUCCESS ORCPT=rfc822;x+2By@y.example\r\n');
    expect(out.split('\r\n').filter((l) => l.startsWith('250 '))).toHaveLength(3);
  });
});

describe('issue 17: typed MAIL/RCPT parameters', () => {
  it('a parameter given twice (SIZE=1 SIZE=2) is an error, and the server answers 501 5.5.4', () => {
    const m = smtp.parseCommand('MAIL FROM:<a@b.example> SIZE=1 SIZE=2') as smtp.MailCommand;
    expect(smtp.readMailParameters(m.params)).toMatchObject({ code: 'SYNTAX', message: 'parameter SIZE given twice' });
    expect(smtp.readRcptParameters([{ keyword: 'NOTIFY', value: 'NEVER' }, { keyword: 'NOTIFY', value: 'SUCCESS' }])).toMatchObject({ code: 'SYNTAX' });
    expect(serve('EHLO client.example\r\nMAIL FROM:<a@b.example> SIZE=1 SIZE=2\r\n').split('\r\n')).toContain('501 5.5.4 Invalid MAIL parameters');
  });

  it('rfc2852 4: BY=+22;NT (a signed by-time) is read; BY=++22;N is not', () => {
    expect(smtp.readMailParameters([{ keyword: 'BY', value: '+22;NT' }])).toEqual({ by: { time: 22, mode: 'N', trace: true } });
    expect(smtp.readMailParameters([{ keyword: 'BY', value: '-5;R' }])).toEqual({ by: { time: -5, mode: 'R', trace: false } });
    expect(smtp.readMailParameters([{ keyword: 'BY', value: '++22;N' }])).toBeInstanceOf(ProtocolError);
  });

  it('rfc4865 5: HOLDUNTIL must be an RFC 3339 date-time (HOLDUNTIL=0ABC is refused)', () => {
    expect(smtp.readMailParameters([{ keyword: 'HOLDUNTIL', value: '2008-05-04T12:00:00Z' }])).toEqual({ holdUntil: '2008-05-04T12:00:00Z' });
    expect(smtp.readMailParameters([{ keyword: 'HOLDUNTIL', value: '1996-12-19T16:39:57-08:00' }])).toEqual({ holdUntil: '1996-12-19T16:39:57-08:00' });
    for (const v of ['0ABC', '2008-13-04T12:00:00Z', '2008-02-30T12:00:00Z', '2008-05-04T24:00:00Z', '2008-05-04 12:00:00Z', '2008-05-04T12:00:00']) {
      expect(smtp.readMailParameters([{ keyword: 'HOLDUNTIL', value: v }]), v).toMatchObject({ code: 'SYNTAX' });
    }
  });
});
