import { describe, expect, it } from 'vitest';
import { imap, pop3, smtp } from '../../src/index';
import { enc } from '../helpers/bytes';

// Adversarial inputs, bounded by counting (items produced, bytes buffered), never by timing.
const CHUNK = new Uint8Array(64 * 1024).fill(0x41);

function codes(items: readonly { type: string; error?: { code: string } }[]): string[] {
  return items.filter((i) => i.type === 'error').map((i) => i.error!.code);
}

describe('100 MB without CRLF', () => {
  const MB100 = Math.ceil((100 * 1024 * 1024) / CHUNK.length);

  it('smtp.CommandParser: one LINE_TOO_LONG, nothing buffered, the next command parses', () => {
    const p = new smtp.CommandParser();
    const errors: string[] = [];
    let maxBuffered = 0;
    for (let i = 0; i < MB100; i++) {
      errors.push(...codes(p.push(CHUNK)));
      maxBuffered = Math.max(maxBuffered, p.buffered);
    }
    expect(errors).toEqual(['LINE_TOO_LONG']);
    expect(maxBuffered).toBeLessThan(64 * 1024 + 2048);
    expect(p.push(enc('\r\nNOOP\r\n')).map((i) => i.type)).toEqual(['command']);
  });

  it('pop3.ResponseParser and imap.ResponseParser: one LINE_TOO_LONG each, then in sync', () => {
    const p = new pop3.ResponseParser();
    const q = new imap.ResponseParser();
    const e1: string[] = [];
    const e2: string[] = [];
    for (let i = 0; i < MB100; i++) {
      e1.push(...codes(p.push(CHUNK)));
      e2.push(...codes(q.push(CHUNK)));
    }
    expect(e1).toEqual(['LINE_TOO_LONG']);
    expect(e2).toEqual(['LINE_TOO_LONG']);
    expect(p.push(enc('\r\n+OK\r\n'))).toMatchObject([{ type: 'response' }]);
    expect(q.push(enc('\r\nA1 OK\r\n'))).toMatchObject([{ type: 'tagged' }]);
  });
});

describe('IMAP structure bombs', () => {
  it('lists nested 10^6 deep: TOO_DEEP (or LINE_TOO_LONG under the default line limit), never a stack overflow', () => {
    const deep = enc(`* 1 FETCH (X ${'('.repeat(1_000_000)}${')'.repeat(1_000_000)})\r\nA1 OK\r\n`);
    const big = new imap.ResponseParser({ maxLineLength: 4 * 1024 * 1024 });
    expect(big.push(deep).map((i) => (i.type === 'error' ? i.error.code : i.type))).toEqual(['TOO_DEEP', 'tagged']);
    const dflt = new imap.ResponseParser();
    expect(dflt.push(deep).map((i) => (i.type === 'error' ? i.error.code : i.type))).toEqual(['LINE_TOO_LONG', 'tagged']);
  });

  it('a literal announced at 2^31 octets streams: nothing is held, chunks come out as bytes arrive', () => {
    const p = new imap.ResponseParser();
    expect(p.push(enc('* 1 FETCH (BODY[] {2147483648}\r\n'))).toEqual([]);
    let streamed = 0;
    let held = 0;
    for (let i = 0; i < 160; i++) {
      for (const it of p.push(CHUNK)) {
        if (it.type === 'literal-chunk') {
          streamed += it.chunk.length;
          // Zero copy: each chunk is a view into what was pushed.
          if (it.chunk.buffer !== CHUNK.buffer) held++;
        }
      }
    }
    expect(streamed).toBe(160 * CHUNK.length);
    expect(held).toBe(0);
    expect(p.end()).toMatchObject([{ type: 'error', error: { code: 'TRUNCATED' } }]);
  });

  it('a million tiny literals in one response: TOO_MANY once, then in sync', () => {
    const parts: string[] = ['* 1 FETCH (X ('];
    for (let i = 0; i < 1_000_000; i++) parts.push('{1}\r\na ');
    parts.push('))\r\nA1 OK\r\n');
    const p = new imap.ResponseParser();
    const items = p.push(enc(parts.join('')));
    expect(items.map((i) => (i.type === 'error' ? i.error.code : i.type))).toEqual(['TOO_MANY', 'tagged']);
  });

  it('a 10 MB sequence set is refused by the range limit, and 1:* is never expanded blindly', () => {
    const big = Array.from({ length: 1_500_000 }, (_, i) => String(i * 2 + 1)).join(',');
    expect(big.length).toBeGreaterThan(10_000_000);
    expect(imap.SequenceSet.parse(big)).toMatchObject({ code: 'TOO_MANY' });
    expect(() => (imap.SequenceSet.parse('1:*') as imap.SequenceSet).toArray(4_000_000_000)).toThrow(RangeError);
  });
});

describe('pipelining floods', () => {
  it('10^6 pipelined SMTP commands without reading replies: one read is held, the next read closes with 421', () => {
    const s = new smtp.ServerSession({ domain: 'mx.example' });
    s.takeOutput();
    const flood = enc('NOOP\r\n'.repeat(1_000_000));
    const first = s.receive(flood);
    expect(first.filter((e) => e.type === 'command').length).toBeLessThanOrEqual(1);
    expect(s.inputHeld).toBe(true); // the caller is told to stop reading
    const events = s.receive(enc('NOOP\r\n'));
    expect(events.at(-1)).toEqual({ type: 'closed' });
    expect(new TextDecoder().decode(s.takeOutput().at(-1))).toMatch(/^421 /);
    expect(s.state).toBe('closed');
    expect(s.receive(enc('NOOP\r\n'))).toEqual([]);
  });

  it('the POP3 server does the same', () => {
    const s = new pop3.ServerSession();
    expect(s.receive(enc('CAPA\r\n'.repeat(100_000))).at(-1)).not.toEqual({ type: 'closed' });
    expect(s.inputHeld).toBe(true);
    expect(s.receive(enc('CAPA\r\n')).at(-1)).toEqual({ type: 'closed' });
  });
});

describe('NUL bytes and invalid UTF-8 everywhere', () => {
  const junk = Uint8Array.from({ length: 4096 }, (_, i) => [0, 0xff, 0xc3, 0x28, 0x0d, 0x0a, 0x41, 0x7b, 0x28, 0x22][i % 10]!);
  it('no parser throws, and each resynchronises on the next well-formed line', () => {
    const s = new smtp.CommandParser();
    s.push(junk);
    s.resume();
    expect(s.push(enc('\r\nQUIT\r\n')).filter((i) => i.type === 'command')).toHaveLength(1);
    const r = new smtp.ReplyParser();
    r.push(junk);
    expect(r.push(enc('\r\n221 bye\r\n')).filter((i) => i.type === 'reply')).toHaveLength(1);
    const p = new pop3.CommandParser();
    p.push(junk);
    expect(p.push(enc('\r\nQUIT\r\n')).filter((i) => i.type === 'command')).toHaveLength(1);
    const q = new imap.ResponseParser({ maxLiteralSize: 1024 });
    q.push(junk);
    const tail = q.push(enc('\r\nA1 OK\r\n'));
    expect(tail.filter((i) => i.type === 'tagged').length).toBeLessThanOrEqual(1);
  });
});
