#!/usr/bin/env node
// IMAP response reader benchmark (standalone; issue 15). Measures:
//   1. ENVELOPE + BODYSTRUCTURE FETCH metadata, fully typed and every value walked, in MB/s:
//      this branch's dist, a baseline dist (--baseline=/path/to/dist/index.js, e.g. main built
//      in /tmp) and node-imap when bench/node_modules has it (npm ci in bench/).
//   2. Flatness: one FETCH line of 16 KB .. 1 MiB fed in 64-byte chunks (MB/s should not fall),
//      the parser and the framer alone; hostile lines of one repeated byte (cost linear).
// Medians of --runs runs (default 7) after a warm-up. Builds dist first when it is missing
// (or with --build).
//
//   node bench/imap-reader.mjs [--mb=8] [--runs=7] [--baseline=/tmp/mw-base/dist/index.js] [--build]
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { imapMeta } from './corpus.mjs';
import { split } from './drivers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const args = Object.fromEntries(process.argv.slice(2).map((a) => { const [k, v] = a.replace(/^--/, '').split('='); return [k, v ?? true]; }));
const MB = Number(args.mb ?? 8);
const RUNS = Number(args.runs ?? 7);

if (args.build || !existsSync(join(root, 'dist/index.js'))) execSync('npm run build', { cwd: root, stdio: 'inherit' });
const current = await import(pathToFileURL(join(root, 'dist/index.js')).href);
const baseline = args.baseline ? await import(pathToFileURL(resolve(String(args.baseline))).href) : null;

/** Touches every value of a parsed item (what an application reading all fields does). */
function walk(v) {
  if (v === null || typeof v !== 'object') return typeof v === 'string' ? v.length : 1;
  if (v instanceof Uint8Array) return v.length;
  let n = 0;
  if (Array.isArray(v)) { for (const x of v) n += walk(x); return n; }
  for (const k in v) n += walk(v[k]);
  return n;
}

function mailwire(lib) {
  return (chunks) => {
    const p = new lib.imap.ResponseParser({ maxLineLength: 8 << 20 });
    let n = 0;
    for (const c of chunks) for (const it of p.push(c)) { if (it.type === 'error') throw it.error; n += walk(it); }
    return n;
  };
}

function median(xs) { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; }

async function measure(name, fn, chunks, bytes) {
  await fn(chunks); // warm-up
  const rates = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn(chunks);
    rates.push(bytes / 1e6 / ((performance.now() - t) / 1000));
  }
  return { name, mbps: median(rates), runs: rates.map((r) => r.toFixed(1)).join(' ') };
}

// node-imap, when installed under bench/ (npm ci in bench/); every value its parser builds is walked.
let nodeImap = null;
try {
  const require = createRequire(join(here, 'package.json'));
  const { Parser } = require('imap/lib/Parser');
  const { PassThrough } = await import('node:stream');
  nodeImap = (chunks) => new Promise((done) => {
    const s = new PassThrough(); const p = new Parser(s); let n = 0;
    p.on('untagged', (u) => { n += walk(u); }); p.on('tagged', (t) => { n += walk(t); });
    p.on('body', (st) => st.resume());
    let i = 0;
    const feed = () => { if (i >= chunks.length) { setImmediate(() => done(n)); return; } const end = Math.min(chunks.length, i + 64); for (; i < end; i++) s.write(chunks[i]); setImmediate(feed); };
    feed();
  });
} catch { /* not installed */ }

const corpus = imapMeta(MB * 1e6);
const chunks = split(corpus.data, 65536);
console.log(`IMAP metadata (ENVELOPE + BODYSTRUCTURE, every value walked), ${(corpus.data.length / 1e6).toFixed(1)} MB in 64 KiB chunks, median of ${RUNS}:`);
const rows = [await measure('mailwire (this branch)', mailwire(current), chunks, corpus.data.length)];
if (baseline) rows.push(await measure('mailwire (baseline)', mailwire(baseline), chunks, corpus.data.length));
if (nodeImap) rows.push(await measure('node-imap', nodeImap, chunks, corpus.data.length));
for (const r of rows) console.log(`  ${r.name.padEnd(26)} ${r.mbps.toFixed(1).padStart(7)} MB/s   (${r.runs})`);
for (const r of rows.slice(1)) console.log(`  this branch / ${r.name}: ${(rows[0].mbps / r.mbps).toFixed(2)}x`);

// Flatness (issue 15): one long FETCH line (an ENVELOPE whose From list grows with the size) fed
// in 64-byte chunks, MB/s per size; the framer alone beside the whole parser, so a drop can be
// told apart: framing (queue, line scan, literal bookkeeping) or reading (the values built).
// Then the hostile lines of one repeated byte: MB/s at 1 MiB over MB/s at 64 KiB (linear ~1,
// quadratic ~0.06), in 64-byte chunks and in one chunk. See imap-linear.mjs for the timing rules.
const L = await import('./imap-linear.mjs');
const SIZES = [16 << 10, 64 << 10, 256 << 10, 1 << 20];
const framerOnly = (lib) => (chunks) => {
  const f = new lib.imap.LiteralFramer({ maxLineLength: 16 << 20, lineEndings: 'accept', maxLiteralSize: 1e9, maxLiterals: 10, maxUnitSize: 1e9 });
  let n = 0;
  for (const c of chunks) { f.push(c); while (f.next()) n++; }
  return n;
};
console.log('\nOne FETCH line in 64-byte chunks, MB/s per size (target: flat within 20 %):');
for (const [label, lib] of [['this branch', current], ...(baseline ? [['baseline', baseline]] : [])]) {
  const inputs = SIZES.map((size) => { const b = L.envelopeLine(size); return { key: size, bytes: b.length, chunks: L.split(b, 64) }; });
  for (const [what, fn] of [['parser', (chunks) => L.parse(lib, chunks, walk)], ['framer', framerOnly(lib)]]) {
    const r = L.rates(inputs, fn);
    const v = SIZES.map((s) => r[s]);
    const spread = 1 - Math.min(...v) / Math.max(...v);
    console.log(`  ${label.padEnd(12)} ${what}  ${SIZES.map((s) => `${(s >> 10).toString().padStart(5)} KiB ${r[s].toFixed(1).padStart(7)}`).join(' |')}   spread ${(spread * 100).toFixed(0)} %`);
  }
}
console.log('\nHostile lines: MB/s at 1 MiB / MB/s at 64 KiB (linear ~1, quadratic ~0.06):');
for (const [label, lib] of [['this branch', current], ...(baseline ? [['baseline', baseline]] : [])]) {
  const rows = L.hostile(lib);
  console.log(`  ${label.padEnd(12)} ${rows.map((r) => `${JSON.stringify(r.byte)} ${r.chunk}: ${r.ratio.toFixed(2)}`).join(' | ')}`);
}
