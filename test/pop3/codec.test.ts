import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ProtocolError, dotStuff, pop3 } from '../../src/index';
import * as arb from '../../src/testing/pop3';
import { bytewise, concat, dec, enc, splitAt } from '../helpers/bytes';

describe('pop3 commands (rfc1939 5-7, rfc2449, rfc5034, rfc6856)', () => {
  it('parses every command, keywords case-insensitive', () => {
    expect(pop3.parseCommand('stat')).toEqual({ verb: 'STAT' });
    expect(pop3.parseCommand('LIST 2')).toEqual({ verb: 'LIST', message: 2 });
    expect(pop3.parseCommand('UIDL')).toEqual({ verb: 'UIDL', message: null });
    expect(pop3.parseCommand('TOP 10 0')).toEqual({ verb: 'TOP', message: 10, lines: 0 });
    expect(pop3.parseCommand('PASS my secret')).toEqual({ verb: 'PASS', argument: 'my secret' });
    expect(pop3.parseCommand('APOP mrose C4C9334BAC560ECC979E58001B3E22FB')).toEqual({ verb: 'APOP', name: 'mrose', digest: 'c4c9334bac560ecc979e58001b3e22fb' });
    expect(pop3.parseCommand('AUTH')).toEqual({ verb: 'AUTH', mechanism: null, initialResponse: null });
    expect(pop3.parseCommand('auth plain =')).toEqual({ verb: 'AUTH', mechanism: 'PLAIN', initialResponse: '=' });
    expect(pop3.parseCommand('LANG *')).toEqual({ verb: 'LANG', range: '*' });
    expect(pop3.parseCommand('XTND XMIT')).toEqual({ verb: 'UNKNOWN', name: 'XTND', argument: 'XMIT' });
  });

  it('refuses malformed commands', () => {
    for (const bad of ['', 'RETR', 'RETR 0', 'RETR x', 'DELE 1 2', 'TOP 1', 'TOP 1 -1', 'STAT 1', 'USER', 'USER a b', 'APOP mrose 123', 'LIST 1 2', 'NO\0OP', `USER ${'a'.repeat(300)}`, '<bad>']) {
      expect(pop3.parseCommand(bad), bad).toBeInstanceOf(ProtocolError);
    }
  });

  it('encoders refuse line breaks and values that would not parse back', () => {
    expect(() => pop3.encodeCommand({ verb: 'PASS', argument: 'x\r\nDELE 1' })).toThrow(TypeError);
    expect(() => pop3.encodeCommand({ verb: 'USER', argument: 'a b' })).toThrow(TypeError);
    expect(() => pop3.encodeResponse({ status: '+OK', code: null, text: 'a\nb' })).toThrow(TypeError);
    expect(() => pop3.encodeResponse({ status: '+OK', code: null, text: '[IN-USE] x' })).toThrow(TypeError);
    expect(() => pop3.encodeCommand({ verb: 'UNKNOWN', name: 'DELE', argument: '1' })).toThrow(TypeError);
  });

  it('parseCommand(encodeCommand(c)) equals c', () => {
    fc.assert(
      fc.property(arb.command(), (c) => {
        expect(pop3.parseCommand(pop3.encodeCommand(c).slice(0, -2))).toEqual(c);
      }),
      { numRuns: 400 },
    );
  });
});

describe('pop3 responses', () => {
  it('rfc2449 8 response codes, hierarchical with "/", unknown kept', () => {
    expect(pop3.parseResponse('-ERR [SYS/TEMP] try later')).toEqual({ status: '-ERR', code: 'SYS/TEMP', text: 'try later' });
    expect(pop3.parseResponse('-ERR [LOGIN-DELAY] wait')).toMatchObject({ code: 'LOGIN-DELAY' });
    expect(pop3.parseResponse('+OK [X-VENDOR/THING] hi')).toMatchObject({ code: 'X-VENDOR/THING' });
    expect(pop3.parseResponse('-ERR [not a code here')).toEqual({ status: '-ERR', code: null, text: '[not a code here' });
  });

  it('real-server leniency: bare +OK, extra spaces, lower-case status, text after STAT numbers', () => {
    expect(pop3.parseResponse('+OK')).toEqual({ status: '+OK', code: null, text: '' });
    expect(pop3.parseResponse('+OK   2 320')).toEqual({ status: '+OK', code: null, text: '2 320' });
    expect(pop3.parseResponse('+ok fine')).toMatchObject({ status: '+OK' });
    expect(pop3.parseResponse('+ok fine', { lenientStatus: false })).toBeInstanceOf(ProtocolError);
    expect(pop3.parseStat({ status: '+OK', code: null, text: '2 320 messages' })).toEqual({ count: 2, size: 320 });
    expect(pop3.parseListEntry('1 120 extra')).toEqual({ message: 1, size: 120 });
    expect(pop3.parseUidlEntry('2 QhdPYR:00WBw1Ph7x7')).toEqual({ message: 2, uid: 'QhdPYR:00WBw1Ph7x7' });
    expect(pop3.parseStat({ status: '+OK', code: null, text: 'none' })).toMatchObject({ code: 'SYNTAX' });
  });

  it('rfc5034 continuation "+ base64", and garbage', () => {
    expect(pop3.parseResponse('+ VXNlcm5hbWU6')).toEqual({ status: '+', text: 'VXNlcm5hbWU6' });
    expect(pop3.parseResponse('+ ')).toEqual({ status: '+', text: '' });
    expect(pop3.parseResponse('OK')).toBeInstanceOf(ProtocolError);
    expect(pop3.parseResponse('+OKAY')).toBeInstanceOf(ProtocolError);
  });

  it('rfc1939 7 APOP timestamp from the greeting', () => {
    expect(pop3.apopTimestamp('POP3 server ready <1896.697170952@dbc.mtview.ca.us>')).toBe('<1896.697170952@dbc.mtview.ca.us>');
    expect(pop3.apopTimestamp('POP3 ready')).toBeNull();
  });

  it('parseResponse(encodeResponse(r)) equals r', () => {
    fc.assert(
      fc.property(arb.statusResponse(), (r) => {
        expect(pop3.parseResponse(pop3.encodeResponse(r).slice(0, -2))).toEqual(r);
      }),
      { numRuns: 400 },
    );
  });
});

describe('pop3.ResponseParser', () => {
  const run = (chunks: Uint8Array[], expectations: pop3.Expectation[]) => {
    const p = new pop3.ResponseParser();
    for (const e of expectations) p.expect(e);
    const out: unknown[] = [];
    let body: Uint8Array[] = [];
    for (const c of chunks) {
      for (const it of p.push(c)) {
        if (it.type === 'data') body.push(it.chunk);
        else if (it.type === 'data-end') {
          out.push(['body', dec(concat(body))]);
          body = [];
        } else out.push(it.type === 'error' ? ['error', it.error.code] : [it.response.status, it.lines]);
      }
    }
    for (const it of p.end()) out.push(['end', it.type === 'error' ? it.error.code : it.type]);
    return out;
  };

  it('rfc1939 3: a body whose lines start with "." or are exactly ".", split at every byte', () => {
    const body = enc('.\r\n..\r\n.x\r\n\r\nplain\r\n');
    const wire = concat([enc('+OK ready\r\n+OK message follows\r\n'), dotStuff(body), enc('+OK bye\r\n')]);
    const whole = run([wire], ['single', 'body', 'single']);
    expect(whole).toEqual([['+OK', null], ['+OK', null], ['body', dec(body)], ['+OK', null]]);
    for (let i = 1; i < wire.length; i++) expect(run(splitAt(wire, [i]), ['single', 'body', 'single'])).toEqual(whole);
    expect(run(bytewise(wire), ['single', 'body', 'single'])).toEqual(whole);
  });

  it('-ERR to a multiline command is single-line', () => {
    expect(run([enc('-ERR no such message\r\n+OK 1 2\r\n')], ['body', 'single'])).toEqual([['-ERR', null], ['+OK', null]]);
  });

  it('listings come unstuffed with their response; truncation is reported', () => {
    expect(run([enc('+OK\r\n1 120\r\n..weird\r\n.\r\n')], ['listing'])).toEqual([['+OK', ['1 120', '.weird']]]);
    expect(run([enc('+OK\r\n1 120\r\n')], ['listing'])).toEqual([['end', 'TRUNCATED']]);
    // The bytes of the cut-off body still come out, before the error.
    expect(run([enc('+OK 5 octets\r\nabc')], ['body'])).toEqual([['+OK', null], ['end', 'data'], ['end', 'TRUNCATED']]);
  });

  it('a body sent a byte at a time comes out a line at a time, not a byte at a time', () => {
    const p = new pop3.ResponseParser();
    p.expect('body');
    const wire = enc(`+OK\r\n${'x'.repeat(40)}\r\n${'y'.repeat(300)}\r\n.\r\n`);
    const items = bytewise(wire).flatMap((c) => p.push(c));
    const data = items.filter((i) => i.type === 'data').map((i) => (i as { chunk: Uint8Array }).chunk.length);
    expect(data.reduce((a, b) => a + b, 0)).toBe(40 + 2 + 300 + 2);
    // the 40-byte line in one piece; the 300-byte line in pieces of 256 bytes or what ends the line
    expect(data).toEqual([42, 256, 46]);
    expect(items.at(-1)).toEqual({ type: 'data-end' });
  });

  it('any body round-trips through dot-stuffing and the parser, for any split', () => {
    fc.assert(
      fc.property(arb.body(), fc.array(fc.nat(400), { maxLength: 6 }), (body, cuts) => {
        const wire = concat([enc('+OK\r\n'), dotStuff(body)]);
        expect(run(splitAt(wire, cuts), ['body'])).toEqual([['+OK', null], ['body', dec(body)]]);
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary bytes never throw, on either parser', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.constantFrom<pop3.Expectation>('single', 'listing', 'body'), { maxLength: 5 }), (bytes, ex) => {
        run([bytes], ex);
        const c = new pop3.CommandParser();
        c.push(bytes);
        c.expectAuthLine();
        c.resume();
        c.end();
      }),
      { numRuns: 300 },
    );
  });
});

describe('pop3.CommandParser', () => {
  it('pipelined commands across any split; overlong lines are errors and resync', () => {
    const wire = enc(`USER a\r\nPASS b c\r\nSTAT\r\nLIST ${'9'.repeat(2000)}\r\nQUIT\r\n`);
    const run = (chunks: Uint8Array[]) => {
      const p = new pop3.CommandParser();
      return chunks.flatMap((c) => p.push(c)).map((i) => (i.type === 'command' ? i.command.verb : i.type === 'error' ? i.error.code : i.type));
    };
    const whole = run([wire]);
    expect(whole).toEqual(['USER', 'PASS', 'STAT', 'LINE_TOO_LONG', 'QUIT']);
    for (let i = 1; i < wire.length; i += 7) expect(run(splitAt(wire, [i]))).toEqual(whole);
  });

  it('rfc2595 4: clear-text bytes pipelined after STLS are dropped', () => {
    const p = new pop3.CommandParser();
    expect(p.push(enc('STLS\r\nUSER evil\r\n'))).toHaveLength(1);
    expect(p.startTls()).toBe(11);
  });
});

describe('one POP3 command line limit, reported as LINE_TOO_LONG', () => {
  it('a 2,061-octet line is LINE_TOO_LONG from the codec (it was SYNTAX), the parser and the server alike', () => {
    const long = `USER ${'a'.repeat(2054)}`;
    expect(long.length + 2).toBe(2061);
    expect(pop3.MAX_COMMAND_LINE_LENGTH).toBe(1024);
    for (const input of [long, enc(long)]) {
      const r = pop3.parseCommand(input);
      expect(r).toBeInstanceOf(ProtocolError);
      expect((r as ProtocolError).code).toBe('LINE_TOO_LONG');
    }
    // PASS is exempt from the argument limit, not from the line limit.
    expect((pop3.parseCommand(`PASS ${'p'.repeat(2054)}`) as ProtocolError).code).toBe('LINE_TOO_LONG');
    const items = new pop3.CommandParser().push(enc(`${long}\r\n`));
    expect(items.map((i) => (i.type === 'error' ? i.error.code : i.type))).toEqual(['LINE_TOO_LONG']);
    const s = new pop3.ServerSession({});
    s.takeOutput();
    s.receive(enc(`${long}\r\n`));
    expect(dec(concat(s.takeOutput()))).toBe('-ERR line too long\r\n');
    // At the limit exactly: 1024 octets with CRLF is a line; an over-long argument in it is a syntax error.
    expect(pop3.parseCommand(`PASS ${'p'.repeat(1017)}`)).toEqual({ verb: 'PASS', argument: 'p'.repeat(1017) });
    expect((pop3.parseCommand(`USER ${'u'.repeat(300)}`) as ProtocolError).code).toBe('SYNTAX');
    // A UTF-8 line counts octets, not characters.
    expect((pop3.parseCommand(`PASS ${'é'.repeat(510)}`) as ProtocolError).code).toBe('LINE_TOO_LONG');
  });
});

describe('rfc2449 6 / rfc6856 CAPA typed', () => {
  it('EXPIRE: days, NEVER, USER, and a policy that is neither (EXPIRE soon) without NaN', () => {
    const caps = (l: string) => pop3.parseCapabilities([l]).expire;
    expect(caps('EXPIRE 60')).toEqual({ days: 60, policy: '60', perUser: false });
    expect(caps('EXPIRE 0 USER')).toEqual({ days: 0, policy: '0', perUser: true });
    expect(caps('EXPIRE NEVER')).toEqual({ days: 'NEVER', policy: 'NEVER', perUser: false });
    expect(caps('EXPIRE never USER')).toEqual({ days: 'NEVER', policy: 'never', perUser: true });
    expect(caps('EXPIRE soon')).toEqual({ days: null, policy: 'soon', perUser: false });
    expect(caps('EXPIRE 12x')).toEqual({ days: null, policy: '12x', perUser: false });
    expect(pop3.parseCapabilities(['TOP']).expire).toBeNull();
  });

  it('rfc6856 UTF8 (with and without USER) and LANG; the LANG listing', () => {
    expect(pop3.parseCapabilities(['UTF8 USER', 'LANG'])).toMatchObject({ utf8: { user: true }, lang: true });
    expect(pop3.parseCapabilities(['UTF8'])).toMatchObject({ utf8: { user: false }, lang: false });
    expect(pop3.parseCapabilities(['TOP'])).toMatchObject({ utf8: null, lang: false });
    // RFC 6856 3 example listing of LANG without an argument.
    expect(pop3.parseLangEntry('en English')).toEqual({ tag: 'en', description: 'English' });
    expect(pop3.parseLangEntry('es Español')).toEqual({ tag: 'es', description: 'Español' });
    expect(pop3.parseLangEntry('i-default Default language')).toEqual({ tag: 'i-default', description: 'Default language' });
    expect(pop3.parseLangEntry(' no tag')).toBeInstanceOf(ProtocolError);
    expect(pop3.parseCommand('LANG fr')).toEqual({ verb: 'LANG', range: 'fr' });
    expect(pop3.parseCommand('LANG *')).toEqual({ verb: 'LANG', range: '*' });
    expect(pop3.parseCommand('UTF8')).toEqual({ verb: 'UTF8' });
  });
});

describe('rfc1939 7 listing lines read without a regex', () => {
  it('LIST and UIDL lines: spaces, digit limits, the 70-char UID bound, text after the entry', () => {
    expect(pop3.parseListEntry('  2 200 extra')).toEqual({ message: 2, size: 200 });
    expect(pop3.parseListEntry('1234567890 5')).toEqual({ message: 1234567890, size: 5 });
    expect(pop3.parseListEntry('12345678901 5')).toMatchObject({ code: 'SYNTAX' });
    expect(pop3.parseListEntry('1 2x')).toMatchObject({ code: 'SYNTAX' });
    expect(pop3.parseListEntry('1')).toMatchObject({ code: 'SYNTAX' });
    expect(pop3.parseUidlEntry(`1 ${'u'.repeat(70)}`)).toEqual({ message: 1, uid: 'u'.repeat(70) });
    expect(pop3.parseUidlEntry(`1 ${'u'.repeat(71)}`)).toMatchObject({ code: 'SYNTAX' });
    expect(pop3.parseUidlEntry('3 whqtswO00WBw418f9t5JxYwZ more')).toEqual({ message: 3, uid: 'whqtswO00WBw418f9t5JxYwZ' });
    expect(pop3.parseUidlEntry('3 uid\x7f')).toMatchObject({ code: 'SYNTAX' });
    expect(pop3.parseStat({ status: '+OK', code: null, text: '2  320' })).toEqual({ count: 2, size: 320 });
    expect(pop3.parseStat({ status: '+OK', code: null, text: ' 2 320' })).toMatchObject({ code: 'SYNTAX' });
  });
});
