#!/usr/bin/env node
// IMAP response reader benchmark (standalone; issue 15). Measures:
//   1. ENVELOPE + BODYSTRUCTURE FETCH metadata, fully typed and every value walked, in MB/s:
//      this branch's dist, a baseline dist (--baseline=/path/to/dist/index.js, e.g. main built
//      in /tmp) and node-imap when bench/node_modules has it (npm ci in bench/).
//   2. Flatness: one FETCH line of 16 KB .. 1 MiB fed in 64-byte chunks (MB/s should not fall).
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

// One long FETCH line: an ENVELOPE whose address lists hold n addresses, fed in 64-byte chunks.
console.log('\nOne FETCH line in 64-byte chunks (MB/s should stay flat with size):');
const line = (size) => {
  const addr = '("Some Person" NIL "someone" "example.com")';
  const count = Math.max(1, Math.floor((size - 200) / addr.length));
  return Buffer.from(`* 1 FETCH (UID 1 ENVELOPE ("Mon, 1 Jan 2024 10:00:00 +0000" "subject" (${addr.repeat(count)}) NIL NIL NIL NIL NIL NIL "<id@x>"))\r\n`);
};
for (const [label, lib] of [['this branch', current], ...(baseline ? [['baseline', baseline]] : [])]) {
  const out = [];
  for (const size of [16 << 10, 64 << 10, 256 << 10, 1 << 20]) {
    const b = line(size);
    const r = await measure(label, mailwire(lib), split(b, 64), b.length);
    out.push(`${(size >> 10).toString().padStart(5)} KiB ${r.mbps.toFixed(1).padStart(6)} MB/s`);
  }
  console.log(`  ${label.padEnd(12)} ${out.join(' | ')}`);
}
