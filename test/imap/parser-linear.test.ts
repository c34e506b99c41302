// Issue 15 targets: "no scan anywhere is super-linear: a 1 MiB line of `[`, `(`, `"`, `\` or `{`
// costs linear time", and a long FETCH line costs linear time in 64-byte reads too. The
// one-read case is in response-reader.test.ts; here every line also goes through the
// ResponseParser in 64-byte reads (the framer's line scan, its queue of small reads, and the
// reader running on the joined line), and through the framer alone.
import { describe, expect, it } from 'vitest';
import { imap } from '../../src/index';
import { LiteralFramer } from '../../src/imap/framer';

const enc = (s: string) => new TextEncoder().encode(s);

function reads(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** Milliseconds of the fastest of `runs` runs of `fn` (the least disturbed by other work on the machine). */
function best(fn: () => void, runs = 3): number {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return Math.max(min, 0.5);
}

const parse = (chunks: Uint8Array[]) => () => {
  const p = new imap.ResponseParser({ maxLineLength: 8 << 20 });
  for (const c of chunks) p.push(c);
  p.end();
};

const frame = (chunks: Uint8Array[]) => () => {
  const f = new LiteralFramer({ maxLineLength: 8 << 20, lineEndings: 'accept', maxLiteralSize: 1e9, maxLiterals: 10, maxUnitSize: 1e9 });
  for (const c of chunks) {
    f.push(c);
    while (f.next());
  }
};

const LINES: readonly (readonly [string, (n: number) => string])[] = [
  ['"* OK " + "[" x n', (n) => `* OK ${'['.repeat(n)}\r\n`],
  ['a run of "(" in a FETCH', (n) => `* 1 FETCH (X ${'('.repeat(n)})\r\n`],
  ['a run of "\\"" in a FETCH', (n) => `* 1 FETCH (X ${'"'.repeat(n)})\r\n`],
  ['a run of "\\\\" in a quoted string', (n) => `* 1 FETCH (X "${'\\'.repeat(n)})\r\n`],
  ['a run of "{"', (n) => `* 1 FETCH (X ${'{'.repeat(n)})\r\n`],
  ['an ENVELOPE From list of n/43 addresses', (n) => `* 1 FETCH (UID 1 ENVELOPE (NIL "s" (${'("Some Person" NIL "someone" "example.com")'.repeat(Math.ceil(n / 43))}) NIL NIL NIL NIL NIL NIL NIL))\r\n`],
];

// The small line runs 16 times and the big one (16x longer) once, so both parse the same bytes:
// linear code costs about the same (1x), a rescan per byte about 16x. The bound (8x) is generous:
// other work shares the machine, and a 1 MiB result outlives V8's young generation.
const perByte = (small: Uint8Array[], big: Uint8Array[], run: (c: Uint8Array[]) => () => void): number => {
  const smallRun = run(small);
  const sixteen = () => {
    for (let i = 0; i < 16; i++) smallRun();
  };
  best(sixteen, 1); // warm-up
  best(run(big), 1);
  return best(run(big)) / best(sixteen);
};

describe('linear cost of one long line in 64-byte reads (issue 15)', () => {
  for (const [name, make] of LINES) {
    it(`${name}: 1 MiB in 64-byte reads costs per byte what 64 KiB does (16x the bytes, not 256x the time)`, () => {
      expect(perByte(reads(enc(make(1 << 16)), 64), reads(enc(make(1 << 20)), 64), parse)).toBeLessThan(8);
    });
  }

  it('the framer alone: a 1 MiB line in 64-byte reads costs per byte what a 64 KiB one does', () => {
    const line = (n: number) => reads(enc(`* OK ${'x'.repeat(n)}\r\n`), 64);
    expect(perByte(line(1 << 16), line(1 << 20), frame)).toBeLessThan(8);
  });
});
