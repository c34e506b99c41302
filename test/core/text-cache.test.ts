import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TextCache, decodeUtf8 } from '../../src/core/index';
import { bin, enc } from '../helpers/bytes';

describe('TextCache', () => {
  it('returns what decodeUtf8 returns, and the same string again for the same ASCII bytes', () => {
    const cache = new TextCache();
    const line = enc('250 2.1.5 Recipient OK');
    const a = cache.decode(line, 10, line.length);
    expect(a).toBe('Recipient OK');
    const again = enc('xx Recipient OK');
    expect(cache.decode(again, 3, again.length)).toBe(a);
    expect(cache.decode(line, 4, 4)).toBe('');
  });

  it('never answers from a remembered string for other bytes: UTF-8, invalid bytes, Latin-1 look-alikes', () => {
    const cache = new TextCache();
    // "é" as UTF-8 (2 bytes) and as the single byte 0xe9: the char code equals the byte, the text does not.
    expect(cache.decode(enc('é'), 0, 2)).toBe('é');
    expect(cache.decode(bin('\xe9'), 0, 1)).toBe('\ufffd');
    expect(cache.decode(enc('caf\u00e9 ok'), 0, 8)).toBe('café ok');
    expect(cache.decode(bin('caf\xe9 ok'), 0, 7)).toBe('caf\ufffd ok');
  });

  it('any sequence of byte runs decodes as decodeUtf8 would (collisions, long runs, non-ASCII)', () => {
    // A small alphabet with high bytes makes equal lengths and sampled bytes (same slot) common.
    const byte = fc.constantFrom(0x41, 0x42, 0x20, 0x2e, 0x7f, 0x80, 0xc3, 0xa9, 0xe9, 0xff);
    fc.assert(
      fc.property(fc.array(fc.array(byte, { maxLength: 70 }), { minLength: 1, maxLength: 40 }), (runs) => {
        const cache = new TextCache();
        for (const r of [...runs, ...runs]) {
          const bytes = Uint8Array.from([0x20, ...r, 0x0d]);
          expect(cache.decode(bytes, 1, bytes.length - 1)).toBe(decodeUtf8(bytes, 1, bytes.length - 1));
        }
      }),
    );
  });
});
