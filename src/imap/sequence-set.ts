/**
 * IMAP sequence sets (RFC 3501 9 `sequence-set`, RFC 9051): `1:5,7,9:*`. Used for message
 * numbers and UIDs in commands, and in COPYUID / APPENDUID / VANISHED / MODIFIED responses.
 *
 * @packageDocumentation
 */

import { ProtocolError } from '../core/errors';

/** One range; `*` (the largest number in use) is `Infinity`. A single number has `start === end`. */
export interface SequenceRange {
  readonly start: number;
  readonly end: number;
}

const STAR = Number.POSITIVE_INFINITY;

function bad(text: string): ProtocolError {
  return new ProtocolError('SYNTAX', `not a sequence set: ${JSON.stringify(text.slice(0, 40))}`);
}

function parseNumber(text: string): number | null {
  if (text === '*') return STAR;
  if (!/^[1-9]\d{0,9}$/.test(text)) return null;
  const n = Number(text);
  return n <= 0xffffffff ? n : null;
}

/**
 * An immutable sequence set. Ranges keep the order and direction they were written in
 * (`9:2` is allowed and means 2..9); {@link SequenceSet.normalize} sorts and merges.
 *
 * @example
 * ```ts
 * import { imap } from 'mailwire';
 * const s = imap.SequenceSet.parse('4:2,7,9:*')!;
 * s.contains(3);        // true
 * s.toArray(10);        // [2, 3, 4, 7, 9, 10]
 * s.normalize().toString(); // '2:4,7,9:*'
 * ```
 */
export class SequenceSet {
  /** The ranges, as written. */
  readonly ranges: readonly SequenceRange[];

  private constructor(ranges: readonly SequenceRange[]) {
    this.ranges = ranges;
  }

  /**
   * Parses `seq-number / seq-range` items separated by commas; a `SYNTAX` ProtocolError when
   * malformed, `TOO_MANY` past `maxRanges` ranges.
   */
  static parse(text: string, maxRanges = 100_000): SequenceSet | ProtocolError {
    if (text === '' || text === '$') return bad(text);
    const ranges: SequenceRange[] = [];
    let start = 0;
    for (let i = 0; i <= text.length; i++) {
      if (i < text.length && text.charCodeAt(i) !== 0x2c) continue;
      const item = text.slice(start, i);
      start = i + 1;
      const colon = item.indexOf(':');
      const a = parseNumber(colon < 0 ? item : item.slice(0, colon));
      const b = colon < 0 ? a : parseNumber(item.slice(colon + 1));
      if (a === null || b === null) return bad(text);
      ranges.push({ start: a, end: b });
      if (ranges.length > maxRanges) return new ProtocolError('TOO_MANY', `sequence set of more than ${maxRanges} ranges`);
    }
    return new SequenceSet(ranges);
  }

  /** Builds a set from numbers and ranges (`[start, end]`); throws RangeError for numbers outside 1..2^32-1. */
  static from(items: readonly (number | readonly [number, number])[]): SequenceSet {
    const check = (n: number) => {
      if (n !== STAR && (!Number.isInteger(n) || n < 1 || n > 0xffffffff)) throw new RangeError(`sequence number ${n} out of range`);
      return n;
    };
    if (items.length === 0) throw new RangeError('a sequence set needs at least one number');
    return new SequenceSet(items.map((x) => (typeof x === 'number' ? { start: check(x), end: check(x) } : { start: check(x[0]), end: check(x[1]) })));
  }

  /** The wire form. */
  toString(): string {
    const n = (x: number) => (x === STAR ? '*' : String(x));
    return this.ranges.map((r) => (r.start === r.end ? n(r.start) : `${n(r.start)}:${n(r.end)}`)).join(',');
  }

  /** Sorted, merged (overlapping and adjacent ranges joined), each range low:high. */
  normalize(): SequenceSet {
    const rs = this.ranges.map((r) => (r.start <= r.end ? { start: r.start, end: r.end } : { start: r.end, end: r.start })).sort((a, b) => a.start - b.start);
    const out: { start: number; end: number }[] = [];
    for (const r of rs) {
      const last = out[out.length - 1];
      if (last && r.start <= last.end + 1) last.end = Math.max(last.end, r.end);
      else out.push({ ...r });
    }
    return new SequenceSet(out);
  }

  /** True when `n` is in the set; `*` counts as `max` when given, as unbounded otherwise. */
  contains(n: number, max?: number): boolean {
    for (const r of this.ranges) {
      const a = r.start === STAR ? (max ?? STAR) : r.start;
      const b = r.end === STAR ? (max ?? STAR) : r.end;
      if (n >= Math.min(a, b) && n <= Math.max(a, b)) return true;
    }
    return false;
  }

  /**
   * The numbers in the set in ascending order without duplicates, with `*` as `max`.
   * Refuses (RangeError) to expand more than `limit` numbers: `1:*` on a big mailbox is a
   * request, not a list to materialise.
   */
  toArray(max: number, limit = 1_000_000): number[] {
    const norm = new SequenceSet(this.ranges.map((r) => ({ start: r.start === STAR ? max : r.start, end: r.end === STAR ? max : r.end }))).normalize();
    let count = 0;
    for (const r of norm.ranges) count += r.end - r.start + 1;
    if (count > limit) throw new RangeError(`sequence set expands to ${count} numbers (limit ${limit})`);
    const out: number[] = [];
    for (const r of norm.ranges) for (let i = r.start; i <= r.end; i++) out.push(i);
    return out;
  }

  /** Iterates the numbers in the order written (ranges walked in their direction), `*` as `max`. */
  *values(max: number): IterableIterator<number> {
    for (const r of this.ranges) {
      const a = r.start === STAR ? max : r.start;
      const b = r.end === STAR ? max : r.end;
      if (a <= b) for (let i = a; i <= b; i++) yield i;
      else for (let i = a; i >= b; i--) yield i;
    }
  }
}
