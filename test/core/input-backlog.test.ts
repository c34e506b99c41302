import { describe, it, expect } from 'vitest';
import { InputBacklog } from '../../src/index';
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
