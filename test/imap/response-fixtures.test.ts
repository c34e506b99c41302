/**
 * Fixtures as data (test/fixtures/imap/*.json, one file per response family): each case has the
 * wire bytes, the expected value and its source (RFC section, or server and bug). Every file is
 * replayed whole as one stream, in 1-byte chunks and in random chunks, and each value must
 * survive encodeResponse -> parseResponse.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imap } from '../../src/index';
import { bin, bytewise, splitAt } from '../helpers/bytes';

const dir = join(__dirname, '../fixtures/imap');

/** The JSON markers back to values: $bigint, $latin1 (octets), $set, $date. */
function fromJson(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(fromJson);
  const o = v as Record<string, unknown>;
  if (typeof o.$bigint === 'string') return BigInt(o.$bigint);
  if (typeof o.$latin1 === 'string') return bin(o.$latin1);
  if (typeof o.$set === 'string') return imap.SequenceSet.parse(o.$set);
  if (typeof o.$date === 'string') return new Date(o.$date);
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, fromJson(x)]));
}

/** A small deterministic generator for the random splits. */
function cuts(n: number, seed: number): number[] {
  let x = seed;
  const out: number[] = [];
  for (let i = 0; i < n / 7; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out.push(x % n);
  }
  return out;
}

for (const file of readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('commands-'))) {
  const { family, cases } = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { family: string; cases: { source: string; wire: string; expected: unknown }[] };
  describe(`fixtures: ${family}`, () => {
    const expected = cases.map((c) => fromJson(c.expected));
    const stream = bin(cases.map((c) => c.wire).join(''));
    const replay = (chunks: Uint8Array[], options: imap.ResponseParserOptions = {}) => {
      const p = new imap.ResponseParser(options);
      const items = chunks.flatMap((c) => p.push(c));
      items.push(...p.end());
      return items;
    };

    it('replayed whole, every case as expected', () => {
      const items = replay([stream]);
      cases.forEach((c, i) => expect(items[i], c.source).toEqual(expected[i]));
      expect(items.length).toBe(cases.length);
    });

    it('replayed in 1-byte chunks and in random chunks: the same values', () => {
      expect(replay(bytewise(stream))).toEqual(expected);
      for (const seed of [1, 2, 3]) expect(replay(splitAt(stream, cuts(stream.length, seed)))).toEqual(expected);
    });

    it('lazy: true (ENVELOPE and BODYSTRUCTURE decoded on first access), whole and in 1-byte chunks: the same values when read', () => {
      // A lazy FETCH's attributes, read: every own property plus the two getters.
      const read = (items: imap.ResponseParserItem[]) =>
        items.map((it) => ('attributes' in it && it.attributes instanceof imap.LazyFetchAttributes ? { ...it, attributes: it.attributes.toJSON() } : it));
      const items = read(replay([stream], { lazy: true }));
      cases.forEach((c, i) => expect(items[i], c.source).toEqual(expected[i]));
      expect(read(replay(bytewise(stream), { lazy: true }))).toEqual(expected);
    });

    for (const [i, c] of cases.entries()) {
      it(`${c.source}: parse(encode(x)) = x`, () => {
        const x = expected[i] as imap.Response;
        expect(imap.parseResponse(imap.encodeResponse(x))).toEqual(x);
      });
    }
  });
}
