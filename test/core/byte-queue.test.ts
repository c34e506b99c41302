import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ByteQueue, OutputQueue } from '../../src/core/index';
import { concat, dec, enc, splitAt } from '../helpers/bytes';

describe('ByteQueue', () => {
  it('take returns a view within a chunk and a copy across chunks', () => {
    const a = enc('hello ');
    const b = enc('world');
    const q = new ByteQueue();
    q.push(a);
    q.push(b);
    const v = q.take(5);
    expect(dec(v)).toBe('hello');
    expect(v.buffer).toBe(a.buffer);
    const spanning = q.take(3);
    expect(dec(spanning)).toBe(' wo');
    expect(spanning.buffer).not.toBe(a.buffer);
    expect(q.offset).toBe(8);
    expect(q.length).toBe(3);
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

  it('takeChunk never copies and never crosses a chunk', () => {
    const q = new ByteQueue();
    q.push(enc('abc'));
    q.push(enc('def'));
    expect(dec(q.takeChunk(10))).toBe('abc');
    expect(dec(q.takeChunk(2))).toBe('de');
    expect(dec(q.peekChunk())).toBe('f');
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
