import { describe, expect, it } from 'vitest';
import { ProtocolError, smtp } from '../../src/index';

describe('rfc5321 4.2 replies', () => {
  it('one-line and multiline replies', () => {
    expect(smtp.parseReply('250 OK\r\n')).toEqual({ code: 250, enhanced: null, lines: ['OK'] });
    expect(smtp.parseReply('250-First line\r\n250-Second line\r\n250-234 Text beginning with numbers\r\n250 The last line\r\n')).toEqual({
      code: 250,
      enhanced: null,
      lines: ['First line', 'Second line', '234 Text beginning with numbers', 'The last line'],
    });
  });

  it('rfc2034 enhanced status codes on each line', () => {
    expect(smtp.parseReply('550 5.1.1 <x@y> User unknown')).toEqual({ code: 550, enhanced: { class: 5, subject: 1, detail: 1 }, lines: ['<x@y> User unknown'] });
    expect(smtp.parseReply('250-2.0.0 a\r\n250 2.0.0 b')).toEqual({ code: 250, enhanced: { class: 2, subject: 0, detail: 0 }, lines: ['a', 'b'] });
    // A class that does not match the reply code is text, not an enhanced code.
    expect(smtp.parseReply('250 5.0.0 odd')).toEqual({ code: 250, enhanced: null, lines: ['5.0.0 odd'] });
  });

  it('real-server deviations: bare code, no space after the code', () => {
    expect(smtp.parseReply('250')).toEqual({ code: 250, enhanced: null, lines: [''] });
    expect(smtp.parseReply('250OK')).toEqual({ code: 250, enhanced: null, lines: ['OK'] });
  });

  it('errors: mismatched code inside a multiline reply, missing last line, not a code', () => {
    expect((smtp.parseReply('250-a\r\n251 b') as ProtocolError).code).toBe('SYNTAX');
    expect(smtp.parseReply('250-a\r\n250-b')).toBeInstanceOf(ProtocolError);
    expect(smtp.parseReply('25 x')).toBeInstanceOf(ProtocolError);
    expect(smtp.parseReply('2500 x')).toBeInstanceOf(ProtocolError);
    expect(smtp.parseReply('hello')).toBeInstanceOf(ProtocolError);
  });

  it('encodeReply: code- lines then code SP; enhanced code on every line; no injection', () => {
    expect(smtp.encodeReply({ code: 250, enhanced: { class: 2, subject: 1, detail: 0 }, lines: ['a', 'b'] })).toBe('250-2.1.0 a\r\n250 2.1.0 b\r\n');
    expect(smtp.encodeReply({ code: 354, enhanced: null, lines: ['Start mail input'] })).toBe('354 Start mail input\r\n');
    expect(() => smtp.encodeReply({ code: 250, enhanced: null, lines: ['ok\r\n250 injected'] })).toThrow(TypeError);
    expect(() => smtp.encodeReply({ code: 250, enhanced: { class: 5, subject: 0, detail: 0 }, lines: ['x'] })).toThrow(RangeError);
    expect(() => smtp.encodeReply({ code: 99, enhanced: null, lines: ['x'] })).toThrow(RangeError);
  });

  it('4.2.1 class and category helpers', () => {
    expect(smtp.replyClass(354)).toBe(3);
    expect(smtp.replyCategory(500)).toBe('syntax');
    expect(smtp.replyCategory(214)).toBe('information');
    expect(smtp.replyCategory(421)).toBe('connections');
    expect(smtp.replyCategory(550)).toBe('mail system');
  });
});

describe('rfc3463 enhanced status codes', () => {
  it('parses class.subject.detail and refuses malformed codes', () => {
    expect(smtp.parseEnhancedStatus('4.7.1 try later')).toEqual({ status: { class: 4, subject: 7, detail: 1 }, length: 5 });
    expect(smtp.parseEnhancedStatus('5.7.30')).toEqual({ status: { class: 5, subject: 7, detail: 30 }, length: 6 });
    expect(smtp.parseEnhancedStatus('5.7.999')).toEqual({ status: { class: 5, subject: 7, detail: 999 }, length: 7 });
    expect(smtp.parseEnhancedStatus('2.0.0')).toEqual({ status: { class: 2, subject: 0, detail: 0 }, length: 5 });
    // One failure shape for unit parsers: a SYNTAX ProtocolError, no null.
    for (const bad of ['3.0.0 x', '5.1.1000 x', '5.01.1 x', '5.1.1x', '5.1.', '5..1 x', '', '5.1', '４.1.1 x']) {
      const r = smtp.parseEnhancedStatus(bad);
      expect(r, bad).toBeInstanceOf(ProtocolError);
      expect((r as ProtocolError).code).toBe('SYNTAX');
    }
  });

  it('readEnhancedStatus reads the code from the bytes of a reply line without a string', () => {
    const line = new TextEncoder().encode('550 5.1.1 <x@y>: User unknown');
    expect(smtp.readEnhancedStatus(line, 4, line.length)).toEqual({ class: 5, subject: 1, detail: 1 });
    expect(smtp.readEnhancedStatus(line, 0, line.length)).toBeNull();
    expect(smtp.enhancedStatusLength({ class: 4, subject: 10, detail: 100 })).toBe('4.10.100'.length);
  });

  it('the registry knows the RFC 3463 and later codes (seed table: 5.2.2 mailbox full, 5.7.1 not authorized)', () => {
    expect(smtp.describeEnhancedStatus({ class: 5, subject: 2, detail: 2 })).toBe('Mailbox full');
    expect(smtp.describeEnhancedStatus({ class: 5, subject: 7, detail: 1 })).toBe('Delivery not authorized, message refused');
    expect(smtp.describeEnhancedStatus({ class: 4, subject: 4, detail: 7 })).toBe('Delivery time expired');
    expect(smtp.describeEnhancedStatus({ class: 5, subject: 7, detail: 8 })).toBe('Authentication credentials invalid');
    expect(smtp.describeEnhancedStatus({ class: 5, subject: 9, detail: 9 })).toBeUndefined();
    expect(smtp.formatEnhancedStatus({ class: 2, subject: 0, detail: 0 })).toBe('2.0.0');
    expect(() => smtp.formatEnhancedStatus({ class: 3, subject: 0, detail: 0 })).toThrow(RangeError);
  });
});

describe('rfc5321 4.1.1.1 EHLO capabilities', () => {
  it('reads the common keywords, SIZE, AUTH (both forms), LIMITS, DELIVERBY; keeps unknown ones', () => {
    const reply = smtp.parseReply(
      [
        '250-mx.example.com Hello client [192.0.2.7]',
        '250-SIZE 35882577',
        '250-8BITMIME',
        '250-AUTH LOGIN PLAIN XOAUTH2',
        '250-AUTH=LOGIN PLAIN',
        '250-ENHANCEDSTATUSCODES',
        '250-PIPELINING',
        '250-CHUNKING',
        '250-SMTPUTF8',
        '250-DSN',
        '250-STARTTLS',
        '250-DELIVERBY 240',
        '250-LIMITS RCPTMAX=100 MAILMAX=10',
        '250-X-CUSTOM a b',
        '250 HELP',
      ].join('\r\n'),
    ) as smtp.Reply;
    const caps = smtp.parseCapabilities(reply);
    expect(caps.domain).toBe('mx.example.com');
    expect(caps.greeting).toBe('Hello client [192.0.2.7]');
    expect(caps.size).toBe(35882577);
    expect(caps.auth).toEqual(['LOGIN', 'PLAIN', 'XOAUTH2']);
    expect([caps.eightBitMime, caps.pipelining, caps.chunking, caps.smtputf8, caps.dsn, caps.startTls, caps.help, caps.enhancedStatusCodes]).toEqual(Array(8).fill(true));
    expect([caps.binaryMime, caps.requireTls, caps.etrn, caps.vrfy]).toEqual([false, false, false, false]);
    expect(caps.deliverBy).toBe(240);
    expect(caps.limits).toEqual({ RCPTMAX: 100, MAILMAX: 10 });
    expect(caps.extensions.find((e) => e.keyword === 'X-CUSTOM')?.params).toEqual(['a', 'b']);
  });

  it('SIZE without a number means no fixed limit (0); absent means null', () => {
    expect(smtp.parseCapabilities({ code: 250, enhanced: null, lines: ['h', 'SIZE'] }).size).toBe(0);
    expect(smtp.parseCapabilities({ code: 250, enhanced: null, lines: ['h'] }).size).toBeNull();
  });
});

describe('rfc2034 3: an enhanced code hidden in the text', () => {
  it('encodeReply refuses enhanced: null with a text that reads back as an enhanced code ("550 5.1.1 user unknown")', () => {
    // The reader takes 5.1.1 at the start of a 550's text as its enhanced code: these exact bytes
    // come back as another reply than the one given, so the encoder refuses to write them.
    expect(smtp.parseReply('550 5.1.1 user unknown\r\n')).toEqual({ code: 550, enhanced: { class: 5, subject: 1, detail: 1 }, lines: ['user unknown'] });
    expect(() => smtp.encodeReply({ code: 550, enhanced: null, lines: ['5.1.1 user unknown'] })).toThrow(RangeError);
    expect(() => smtp.encodeReply({ code: 250, enhanced: null, lines: ['2.0.0', 'b'] })).toThrow(RangeError);
    // The same value with the code where it belongs writes those bytes and reads back equal.
    const r = { code: 550, enhanced: { class: 5, subject: 1, detail: 1 }, lines: ['user unknown'] };
    expect(smtp.encodeReply(r)).toBe('550 5.1.1 user unknown\r\n');
    expect(smtp.parseReply(smtp.encodeReply(r))).toEqual(r);
  });

  it('text the reader keeps as text is still written: another class, a later line, not a code', () => {
    for (const r of [
      { code: 250, enhanced: null, lines: ['5.0.0 odd'] },
      { code: 250, enhanced: null, lines: ['ok', '2.0.0 second line'] },
      { code: 550, enhanced: null, lines: ['5.01.1 x'] },
      { code: 550, enhanced: null, lines: ['5.1.1x'] },
    ]) {
      const wire = smtp.encodeReply(r);
      expect(smtp.parseReply(wire), wire).toEqual(r);
    }
  });
});
