/**
 * Mutations of real session bytes: byte flips, inserted CR/LF/NUL/literal announcements/
 * brackets/quotes/backslashes, deletion, truncation, duplication, huge numbers, deep nesting
 * and lines spliced in from other seeds. Random bytes rarely get past the first line of a
 * session; a few changes to a real session reach every state.
 */
import fc from 'fast-check';
import { bin, concat } from '../helpers/bytes';

type Mutation = (b: Uint8Array, seeds: readonly Uint8Array[]) => Uint8Array;

/** Short byte strings that change the meaning of a line in one of the three protocols. */
export const HOSTILE_TOKENS = [
  '\r', '\n', '\r\n', '\0', '\r\r\n', '\n.\n', '\r\n.\r\n', '\r\n.\n', '.\r\n', '{0}', '{5}\r\n', '{4294967296}\r\n', '{99999999999999999999}\r\n',
  '{3+}\r\n', '{2-}\r\n', '~{2}\r\n', '[', ']', '(', ')', '"', '\\', ' ', '  ', '*', '+', '-', '=', ':', '<', '>', '<>', '.', '\t', '\x7f', '\xff',
  '\xc2\x85', '\xe2\x80\xa8', '\xf0\x9f\x98\x80', 'A1 ', '* ', '+ ', '+OK ', '-ERR ', '250-', '250 ', '334 ', '354 ', 'DONE\r\n', '*\r\n', 'NIL',
  '99999999999999999999', '4294967296', '-1', '0', 'BODY[', 'BDAT 3 LAST\r\n', 'DATA\r\n', 'STARTTLS\r\n', 'STLS\r\n', 'AUTH PLAIN\r\n',
].map(bin);

/** Tokens whose long runs stress nesting depth and rescans. */
const RUN_TOKENS = ['(', '[', '"', '\\', '{', ')', ']', ' ', '*', '.', 'A', '0', '\r\n', '{1}\r\n', '((', '"\\'].map(bin);

const at = (b: Uint8Array, p: number): number => (b.length === 0 ? 0 : p % (b.length + 1));

function insert(b: Uint8Array, pos: number, x: Uint8Array): Uint8Array {
  const p = at(b, pos);
  return concat([b.subarray(0, p), x, b.subarray(p)]);
}

function repeat(x: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(x.length * n);
  for (let i = 0; i < n; i++) out.set(x, i * x.length);
  return out;
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // Flip one byte to any value.
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([pos, v]): Mutation => (b) => {
    if (b.length === 0) return b;
    const c = b.slice();
    c[pos % c.length] = v;
    return c;
  }),
  { weight: 3, arbitrary: fc.tuple(fc.nat(), fc.constantFrom(...HOSTILE_TOKENS)).map(([pos, t]): Mutation => (b) => insert(b, pos, t)) },
  // Delete a range.
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 64 })).map(([pos, n]): Mutation => (b) => {
    const p = at(b, pos);
    return concat([b.subarray(0, p), b.subarray(p + n)]);
  }),
  // Truncate.
  fc.nat().map((pos): Mutation => (b) => b.slice(0, at(b, pos))),
  // Duplicate a range somewhere else.
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 300 }), fc.nat()).map(([from, n, to]): Mutation => (b) => {
    const p = at(b, from);
    return insert(b, to, b.slice(p, p + n));
  }),
  // A long run: deep nesting, long quoted strings, many literals, many lines.
  fc.tuple(fc.nat(), fc.constantFrom(...RUN_TOKENS), fc.integer({ min: 2, max: 2000 })).map(([pos, t, n]): Mutation => (b) => insert(b, pos, repeat(t, n))),
  // A number made huge (or zero, or negative).
  fc.tuple(fc.nat(), fc.constantFrom('99999999999999999999', '4294967296', '9007199254740993', '0', '-1', '00000000000000000001')).map(([pos, n]): Mutation => (b) => {
    if (b.length === 0) return b;
    let i = pos % b.length;
    let k = 0;
    while (k < b.length && !(b[i]! >= 0x30 && b[i]! <= 0x39)) {
      i = (i + 1) % b.length;
      k++;
    }
    if (k === b.length) return b;
    let j = i;
    while (j < b.length && b[j]! >= 0x30 && b[j]! <= 0x39) j++;
    while (i > 0 && b[i - 1]! >= 0x30 && b[i - 1]! <= 0x39) i--;
    return concat([b.subarray(0, i), bin(n), b.subarray(j)]);
  }),
  // A line of another seed spliced in.
  fc.tuple(fc.nat(), fc.nat(), fc.nat()).map(([pos, seed, line]): Mutation => (b, seeds) => {
    const s = seeds[seed % seeds.length]!;
    const starts = [0];
    for (let i = 0; i < s.length; i++) if (s[i] === 0x0a) starts.push(i + 1);
    const st = starts[line % starts.length]!;
    const nl = s.indexOf(0x0a, st);
    return insert(b, pos, s.slice(st, nl < 0 ? s.length : nl + 1));
  }),
);

/** A seed with one to six mutations applied. */
export function mutated(seeds: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc.tuple(fc.nat(seeds.length - 1), fc.array(mutation, { minLength: 1, maxLength: 6 })).map(([i, ms]) => ms.reduce((b, m) => m(b, seeds), seeds[i]!));
}

/** One to three whole seeds one after the other, unchanged: a credential only stands where a real client put it. */
export function sessions(seeds: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc.array(fc.constantFrom(...seeds), { minLength: 1, maxLength: 3 }).map(concat);
}
