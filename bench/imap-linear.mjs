// IMAP linear-cost probes (issue 15), shared by case.mjs (`npm run bench`) and imap-reader.mjs:
//   - one long FETCH line (an ENVELOPE whose address list grows with the size), whose MB/s in
//     64-byte chunks should stay flat from 16 KiB to 1 MiB;
//   - hostile lines of one repeated byte (`[`, `(`, `"`, `\`, `{`), whose cost per byte must not
//     grow with the line, in 64-byte chunks and in one chunk (a rescan from every `[` cost 5 s
//     for 65,000 of them once).
// Timing: every size is warmed up, then the sizes are timed in interleaved rounds, each round
// parsing about `budget` bytes per size (so small sizes are timed over as many bytes, and the
// same garbage collections, as large ones); the best round counts (the least disturbed by other
// work on a shared machine).

/** One FETCH line of about `size` bytes: an ENVELOPE whose From list holds as many addresses as fit. */
export function envelopeLine(size) {
  const addr = '("Some Person" NIL "someone" "example.com")';
  const count = Math.max(1, Math.floor((size - 200) / addr.length));
  return Buffer.from(`* 1 FETCH (UID 1 ENVELOPE ("Mon, 1 Jan 2024 10:00:00 +0000" "subject" (${addr.repeat(count)}) NIL NIL NIL NIL NIL NIL "<id@x>"))\r\n`);
}

/** The hostile lines: a million of one byte where the grammar opens something. */
export const HOSTILE = {
  '[': (n) => `* OK ${'['.repeat(n)}\r\n`,
  '(': (n) => `* 1 FETCH (X ${'('.repeat(n)})\r\n`,
  '"': (n) => `* 1 FETCH (X ${'"'.repeat(n)})\r\n`,
  '\\': (n) => `* 1 FETCH (X "${'\\'.repeat(n)})\r\n`,
  '{': (n) => `* 1 FETCH (X ${'{'.repeat(n)})\r\n`,
};

export function split(buf, n) {
  const out = [];
  for (let i = 0; i < buf.length; i += n) out.push(buf.subarray(i, Math.min(buf.length, i + n)));
  return out;
}

/** Parses `chunks` with a fresh ResponseParser (line limit raised for the probe); returns the item count. */
export function parse(mw, chunks, walk = null) {
  const p = new mw.imap.ResponseParser({ maxLineLength: 16 << 20 });
  let n = 0;
  for (const c of chunks) for (const it of p.push(c)) { n++; if (walk) walk(it); }
  return n + p.end().length;
}

/**
 * MB/s of `fn` over each input (best of `rounds` interleaved rounds of about `budget` bytes each).
 * `inputs`: [{ key, bytes, chunks }]. Returns { [key]: MB/s }.
 */
export function rates(inputs, fn, { budget = 4 << 20, rounds = 5 } = {}) {
  const cases = inputs.map((x) => ({ ...x, reps: Math.max(1, Math.round(budget / x.bytes)), best: 0 }));
  for (const c of cases) for (let j = 0; j < c.reps; j++) fn(c.chunks); // warm-up
  for (let k = 0; k < rounds; k++) {
    for (const c of cases) {
      const t = process.hrtime.bigint();
      for (let j = 0; j < c.reps; j++) fn(c.chunks);
      const s = Number(process.hrtime.bigint() - t) / 1e9;
      c.best = Math.max(c.best, (c.bytes * c.reps) / 1e6 / s);
    }
  }
  return Object.fromEntries(cases.map((c) => [c.key, c.best]));
}

/** The flatness probe: MB/s of one ENVELOPE FETCH line per size, in `chunk`-byte reads. */
export function flatness(mw, sizes = [16 << 10, 64 << 10, 256 << 10, 1 << 20], chunk = 64, walk = null) {
  const inputs = sizes.map((size) => { const b = envelopeLine(size); return { key: size, bytes: b.length, chunks: split(b, chunk) }; });
  for (const x of inputs) if (parse(mw, x.chunks) !== 1) throw new Error(`the ${x.key}-byte line did not read as one response`);
  return rates(inputs, (chunks) => parse(mw, chunks, walk));
}

/** The hostile probe: per byte and chunking, MB/s at `small` and at `big` (16x larger) and their ratio (linear ~1, quadratic ~1/16). */
export function hostile(mw, small = 64 << 10, big = 1 << 20) {
  const out = [];
  for (const [byte, make] of Object.entries(HOSTILE)) {
    for (const chunk of [64, Infinity]) {
      const inputs = [small, big].map((n) => { const b = Buffer.from(make(n)); return { key: n, bytes: b.length, chunks: chunk === Infinity ? [b] : split(b, chunk) }; });
      const r = rates(inputs, (chunks) => parse(mw, chunks), { budget: 2 << 20, rounds: 3 });
      out.push({ byte, chunk: chunk === Infinity ? 'one' : chunk, small: r[small], big: r[big], ratio: r[big] / r[small] });
    }
  }
  return out;
}
