/**
 * Set algebra on sequence sets (as net-imap's SequenceSet offers it): union, intersection,
 * difference, complement, subset tests and counting, on normalized ranges, through
 * `SequenceSet`'s public API. `*` counts as a number above every other (2^32 - 1 and beyond),
 * so `5:*` minus `*` is `5:4294967295`. An empty result is `null` (a sequence set is never empty).
 *
 * @packageDocumentation
 */

import { SequenceSet, type SequenceRange } from './sequence-set';

const STAR = Number.POSITIVE_INFINITY;
const MAX = 0xffffffff;

function ranges(s: SequenceSet): SequenceRange[] {
  if (!(s instanceof SequenceSet)) throw new TypeError('expected a SequenceSet');
  return s.normalize().ranges.map((r) => ({ start: r.start, end: r.end }));
}

function build(rs: readonly SequenceRange[]): SequenceSet | null {
  if (rs.length === 0) return null;
  return SequenceSet.from(rs.map((r) => (r.start === r.end ? r.start : ([r.start, r.end] as const)))).normalize();
}

/** The numbers in `a` or in `b`. */
export function sequenceUnion(a: SequenceSet, b: SequenceSet): SequenceSet {
  return build([...ranges(a), ...ranges(b)])!;
}

/** The numbers in both `a` and `b`, or null when none. */
export function sequenceIntersection(a: SequenceSet, b: SequenceSet): SequenceSet | null {
  const x = ranges(a);
  const y = ranges(b);
  const out: SequenceRange[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const start = Math.max(x[i]!.start, y[j]!.start);
    const end = Math.min(x[i]!.end, y[j]!.end);
    if (start <= end) out.push({ start, end });
    if (x[i]!.end < y[j]!.end) i++;
    else j++;
  }
  return build(out);
}

/** The numbers in `a` and not in `b`, or null when none. */
export function sequenceDifference(a: SequenceSet, b: SequenceSet): SequenceSet | null {
  const y = ranges(b);
  const out: SequenceRange[] = [];
  for (const r of ranges(a)) {
    let start = r.start;
    let done = false;
    for (const c of y) {
      if (c.end < start || c.start > r.end) continue;
      // The number before `*` is 2^32 - 1; the one after 2^32 - 1 is `*`.
      if (c.start > start) out.push({ start, end: Math.min(c.start === STAR ? MAX : c.start - 1, r.end) });
      if (c.end >= r.end) {
        done = true;
        break;
      }
      start = c.end >= MAX ? STAR : c.end + 1;
    }
    if (!done && start <= r.end) out.push({ start, end: r.end });
  }
  return build(out);
}

/** The numbers of `1:*` not in `a`, or null when `a` covers them all. */
export function sequenceComplement(a: SequenceSet): SequenceSet | null {
  return sequenceDifference(SequenceSet.from([[1, STAR]]), a);
}

/** True when every number of `a` is in `b`. */
export function sequenceIsSubset(a: SequenceSet, b: SequenceSet): boolean {
  return sequenceDifference(a, b) === null;
}

/** True when `a` and `b` hold the same numbers, whatever order and overlap they are written in. */
export function sequenceEquals(a: SequenceSet, b: SequenceSet): boolean {
  return sequenceIsSubset(a, b) && sequenceIsSubset(b, a);
}

/** How many numbers the set holds, with `*` as `max` (Infinity when it has `*` and no `max` is given). */
export function sequenceCount(a: SequenceSet, max?: number): number {
  let n = 0;
  for (const r of ranges(a)) {
    const end = r.end === STAR ? (max ?? STAR) : r.end;
    const start = r.start === STAR ? (max ?? STAR) : r.start;
    if (start === STAR || end === STAR) return STAR;
    if (end >= start) n += end - start + 1;
  }
  return n;
}
