import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ByteQueue, OutputQueue } from '../../src/core/index';
import { concat, dec, enc, splitAt } from '../helpers/bytes';

describe('ByteQueue', () => {
  it('take returns a view within a chunk and a copy across chunks (chunks of 256 bytes or more are kept by reference)', () => {
    const a = enc(`hello ${'a'.repeat(300)}`);
    const b = enc('w'.repeat(300));
    const q = new ByteQueue();
    q.push(a);
    q.push(b);
    const v = q.take(5);
    expect(dec(v)).toBe('hello');
    expect(v.buffer).toBe(a.buffer);
    q.skip(300);
    const spanning = q.take(3);
    expect(dec(spanning)).toBe('aww');
    expect(spanning.buffer).not.toBe(a.buffer);
    expect(spanning.buffer).not.toBe(b.buffer);
    expect(q.offset).toBe(308);
    expect(q.length).toBe(298);
  });

  it('small chunks are copied into one tail buffer: a line sent a byte at a time is one view, and views stay valid', () => {
    const q = new ByteQueue();
    const line = enc('A1 LOGIN smith sesame\r\n');
    for (const b of line) q.push(Uint8Array.of(b));
    expect(q.indexOf(0x0a, 0)).toBe(line.length - 1);
    const first = q.take(8);
    expect(dec(first)).toBe('A1 LOGIN');
    q.skip(q.length);
    // More bytes after the queue emptied go to the same tail buffer, after the bytes handed out.
    for (const b of enc('A2 NOOP\r\n')) q.push(Uint8Array.of(b));
    const second = q.take(7);
    expect(second.buffer).toBe(first.buffer);
    expect(dec(first)).toBe('A1 LOGIN');
    expect(dec(second)).toBe('A2 NOOP');
    // A pushed small chunk is copied, so the caller may reuse it.
    const reused = Uint8Array.of(0x41);
    q.push(reused);
    reused[0] = 0x42;
    expect(dec(q.take(q.length))).toBe('\r\nA');
  });

  it('tail buffers roll over when full without losing or reordering bytes', () => {
    const q = new ByteQueue();
    const data = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 7) & 0xff);
    let taken: number[] = [];
    for (let i = 0; i < data.length; i += 100) {
      q.push(data.subarray(i, i + 100));
      if (i % 700 === 0) taken = taken.concat([...q.take(q.length)]);
    }
    taken = taken.concat([...q.take(q.length)]);
    expect(Uint8Array.from(taken)).toEqual(data);
  });

  it('indexOf uses absolute offsets and resumes across pushes', () => {
    const q = new ByteQueue();
    q.push(enc('abc'));
    expect(q.indexOf(0x0a, 0)).toBe(-1);
    q.push(enc('d\nx'));
    expect(q.indexOf(0x0a, 3)).toBe(4);
    q.skip(2);
    expect(q.indexOf(0x0a, 0)).toBe(4);
    expect(q.byteAt(4)).toBe(0x0a);
  });

  it('refuses to take or skip more than is buffered', () => {
    const q = new ByteQueue();
    q.push(enc('ab'));
    expect(() => q.take(3)).toThrow(RangeError);
    expect(() => q.skip(3)).toThrow(RangeError);
  });

  it('takeChunk never copies and never crosses a queue entry', () => {
    const q = new ByteQueue();
    const big = enc('x'.repeat(300));
    q.push(enc('abc'));
    q.push(enc('def'));
    q.push(big);
    // The two small chunks share the tail entry; the big one is its own entry.
    expect(dec(q.takeChunk(10))).toBe('abcdef');
    const v = q.takeChunk(2);
    expect(dec(v)).toBe('xx');
    expect(v.buffer).toBe(big.buffer);
    expect(q.peekChunk().length).toBe(298);
  });

  it('any chunking yields the same bytes in the same order', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.array(fc.nat(200)), fc.array(fc.integer({ min: 1, max: 17 })), (data, cuts, reads) => {
        const q = new ByteQueue();
        for (const c of splitAt(data, cuts)) q.push(c);
        const got: Uint8Array[] = [];
        let i = 0;
        while (q.length > 0) got.push(q.take(Math.min(q.length, reads[i++ % Math.max(1, reads.length)] ?? 5)));
        expect(concat(got)).toEqual(data);
      }),
    );
  });

  it('compacts consumed chunks (100k tiny chunks, bounded bookkeeping)', () => {
    const q = new ByteQueue();
    for (let i = 0; i < 100_000; i++) {
      q.push(Uint8Array.of(i & 0xff));
      if (i % 2 === 1) q.skip(2);
    }
    expect(q.length).toBe(0);
    expect(q.offset).toBe(100_000);
  });
});

describe('OutputQueue', () => {
  it('drains in order and counts bytes', () => {
    const o = new OutputQueue();
    o.pushText('EHLO x\r\n');
    o.push(new Uint8Array(0));
    o.push(enc('QUIT\r\n'));
    expect(o.length).toBe(14);
    expect(o.take().map(dec)).toEqual(['EHLO x\r\n', 'QUIT\r\n']);
    expect(o.take()).toEqual([]);
  });
});

describe('ByteQueue with Uint8Array subclasses (Node Buffers)', () => {
  it('hands out plain Uint8Array views of the same memory, never the subclass', () => {
    class Sub extends Uint8Array {}
    const q = new ByteQueue();
    const big = new Sub(300).fill(0x61);
    q.push(big);
    const v = q.take(10);
    expect(v.constructor).toBe(Uint8Array);
    big[10] = 0x62;
    expect(q.take(1)[0]).toBe(0x62); // a view, not a copy
  });
});

describe('ByteQueue head positions', () => {
  it('headChunk / headIndex / consumeHead read the first chunk without a view, and stop at its end', () => {
    const q = new ByteQueue();
    const a = new Uint8Array(300).fill(0x61);
    const b = new Uint8Array(300).fill(0x62);
    q.push(a);
    q.push(b);
    expect(q.headChunk()).toBe(a);
    q.consumeHead(250);
    expect([q.headIndex, q.offset, q.length]).toEqual([250, 250, 350]);
    expect(() => q.consumeHead(51)).toThrow(RangeError);
    q.consumeHead(50);
    expect(q.headChunk()).toBe(b);
    expect(q.headIndex).toBe(0);
    q.consumeHead(300);
    expect(q.headChunk().length).toBe(0);
  });

  it('small chunks: the head is the coalesced tail, read up to what was pushed', () => {
    const q = new ByteQueue();
    q.push(Uint8Array.of(1, 2));
    q.push(Uint8Array.of(3));
    const h = q.headChunk();
    expect(Array.from(h.subarray(q.headIndex, q.headEnd))).toEqual([1, 2, 3]);
    q.consumeHead(2);
    q.push(Uint8Array.of(4));
    const h2 = q.headChunk();
    expect(Array.from(h2.subarray(q.headIndex, q.headEnd))).toEqual([3, 4]);
    expect(() => q.consumeHead(3)).toThrow(RangeError);
    q.consumeHead(2);
    expect(q.length).toBe(0);
  });
});
