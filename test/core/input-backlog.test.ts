import { describe, it, expect } from 'vitest';
import { InputBacklog, ParsedInput } from '../../src/index';
import { enc, dec } from '../helpers/bytes';

describe('InputBacklog', () => {
  it('hands out one line at a time across reads, kept by reference, counting the lines it holds', () => {
    const b = new InputBacklog();
    const first = enc('NOOP\r\nQU');
    b.append(first);
    b.append(enc('IT\r\nx'));
    expect(b.lines).toBe(2);
    expect(b.length).toBe(13);
    const line = b.next(false)!;
    expect(dec(line)).toBe('NOOP\r\n');
    expect(line.buffer).toBe(first.buffer);
    expect(dec(b.next(false)!)).toBe('QU');
    expect(dec(b.next(false)!)).toBe('IT\r\n');
    expect(b.lines).toBe(0);
    expect(dec(b.next(false)!)).toBe('x');
    expect(b.next(false)).toBeNull();
    expect(b.length).toBe(0);
  });

  it('whole: the rest of the current read at once (a body), lines counted down', () => {
    const b = new InputBacklog();
    b.append(enc('a\r\nb\r\nc'));
    expect(dec(b.next(true)!)).toBe('a\r\nb\r\nc');
    expect(b.lines).toBe(0);
  });

  it('overflow: past maxPending lines, then past maxWaitingInput octets (with the parser\'s)', () => {
    const b = new InputBacklog({ maxPending: 2, maxWaitingInput: 20 });
    b.append(enc('A\r\nB\r\n'));
    expect(b.overflow(0)).toBeNull();
    expect(b.overflow(15)).toBe('maxWaitingInput');
    b.append(enc('C\r\n'));
    expect(b.overflow(0)).toBe('maxPending');
  });

  it('takeAll and clear return what was held (COMPRESS rest, STARTTLS discard)', () => {
    const b = new InputBacklog();
    b.append(enc('A1 NOOP\r\nxy'));
    b.next(false);
    b.append(enc('z'));
    expect(dec(b.takeAll())).toBe('xyz');
    b.append(enc('12345'));
    expect(b.clear()).toBe(5);
    expect(b.length).toBe(0);
  });

  it('10^6 one-byte reads cost linear time (no array shifting)', () => {
    const b = new InputBacklog();
    const one = enc('x');
    for (let i = 0; i < 1_000_000; i++) b.append(one);
    let n = 0;
    while (b.next(false)) n++;
    expect(n).toBe(1_000_000);
  });
});

describe('core ParsedInput: the read loop of the SMTP and POP3 servers', () => {
  const lines = (slice: Uint8Array): string[] => [new TextDecoder().decode(slice).trim()];

  it('one slice at a time: a session that stops reading has parsed nothing beyond the item in hand', () => {
    const backlog = new InputBacklog();
    backlog.append(new TextEncoder().encode('NOOP\r\nQUIT\r\n'));
    const input = new ParsedInput<string>(backlog);
    const seen: string[] = [];
    let parsed = 0;
    input.pump({ reading: () => seen.length < 1, want: () => false, parse: (s) => (parsed++, lines(s)), handle: (l) => seen.push(l) });
    expect(seen).toEqual(['NOOP']);
    expect(parsed).toBe(1);
    expect(backlog.length).toBe(6);
    expect(input.held).toBe(true);
  });

  it('prepended items (a parser control call) come before the unread ones; mayHandle and want: null stop the loop', () => {
    const backlog = new InputBacklog();
    const input = new ParsedInput<string>(backlog);
    backlog.append(new TextEncoder().encode('A\r\nB\r\n'));
    const seen: string[] = [];
    const steps = { reading: () => true, want: () => false as const, parse: (s: Uint8Array) => [...lines(s), 'x'], handle: (l: string) => seen.push(l), mayHandle: (l: string) => l !== 'x' };
    input.pump(steps);
    expect(seen).toEqual(['A']);
    expect(input.unread).toBe(1);
    input.prepend(['resumed']);
    input.pump({ ...steps, mayHandle: undefined, want: () => null });
    expect(seen).toEqual(['A', 'resumed', 'x']);
    expect(backlog.length).toBe(3); // "B\r\n": want() said null
    expect(input.clear()).toBe(0);
  });
});
