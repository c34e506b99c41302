#!/usr/bin/env node
// mailwire benchmarks: `npm run bench` (full, ~10-15 min on 2 cores) or `npm run bench -- --quick` (1-2 min smoke).
// Every case runs in its own child process (case.mjs) so peers do not share heap or JIT state.
// Options: --quick, --only=<substring of case name>, --docs (rewrite docs/benchmarks.md), --json=<path>.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = (args.find((a) => a.startsWith('--only=')) || '').slice(7);
const jsonPath = (args.find((a) => a.startsWith('--json=')) || '').slice(7) || join(here, quick ? 'results-quick.json' : 'results.json');

if (!existsSync(join(here, 'node_modules'))) {
  const lock = existsSync(join(here, 'package-lock.json'));
  console.error(`bench: installing peer libraries (npm ${lock ? 'ci' : 'install'} --prefix bench)...`);
  execFileSync('npm', [lock ? 'ci' : 'install', '--prefix', here, '--no-audit', '--no-fund'], { stdio: 'inherit' });
}
if (!existsSync(join(root, 'dist', 'index.js'))) { console.error('bench: dist/index.js missing, run `npm run build` first'); process.exit(1); }

const MB = 1e6;
const S = quick ? 0.1 : 1;
const RUNS = quick ? 3 : 5;
const MAIN = [
  ['imap-meta', 20 * MB, ['mailwire', 'imapflow', 'node-imap', 'emailjs-imap-handler']],
  ['imap-body', 50 * MB, ['mailwire', 'imapflow', 'node-imap', 'emailjs-imap-handler']],
  ['smtp-in', 20 * MB, ['mailwire', 'smtp-server']],
  ['smtp-replies', 10 * MB, ['mailwire', 'nodemailer']],
  ['pop3', 20 * MB, ['mailwire', 'node-pop3', 'yapople']],
];
const LIMITS = ['limit-indexOf', 'limit-copy'];
const cases = [];
for (const [corpus, bytes, parsers] of MAIN) {
  for (const chunk of [16384, 64, 1]) {
    const small = chunk < 16384;
    for (const parser of [...parsers, ...LIMITS]) {
      if (small && parser === 'emailjs-imap-handler') continue; // takes pre-framed responses: chunk size does not apply
      cases.push({ kind: 'throughput', corpus, parser, chunk, runs: RUNS, bytes: Math.round((small ? (chunk === 1 ? 0.5 : 1) * MB : bytes) * S) });
    }
  }
}
const sizes = [16384, 65536, 262144, 1048576];
for (const corpus of ['smtp-in', 'imap-body']) cases.push({ kind: 'linear', corpus, parser: 'mailwire', sizes, target: quick ? 2 * MB : 8 * MB });
for (const corpus of ['imap', 'smtp', 'pop3']) cases.push({ kind: 'memory', corpus, parser: 'mailwire', total: quick ? 64 * 2 ** 20 : 2 ** 30 });

const name = (c) => c.kind === 'throughput' ? `${c.corpus} @${c.chunk}B ${c.parser}` : `${c.kind} ${c.corpus} ${c.parser}`;
const results = [];
const t0 = Date.now();
for (const c of cases) {
  if (only && !name(c).includes(only)) continue;
  const r = spawnSync(process.execPath, ['--expose-gc', '--stack-size=4000', join(here, 'case.mjs'), JSON.stringify(c)], { encoding: 'utf8', timeout: quick ? 120e3 : 600e3, maxBuffer: 1 << 24 });
  let res;
  try { res = JSON.parse(r.stdout.trim().split('\n').pop()); } catch { res = { ok: false, error: r.error ? String(r.error) : `exit ${r.status} ${r.signal || ''} ${(r.stderr || '').slice(0, 200)}` }; }
  results.push({ ...c, ...res });
  const x = results[results.length - 1];
  console.error(`${name(c).padEnd(44)} ${x.ok ? (x.mbps ? x.mbps.toFixed(1) + ' MB/s' : 'ok') : 'FAILED ' + x.error}`);
}

// ---- ratios and verdicts ----
const find = (corpus, chunk, parser) => results.find((r) => r.kind === 'throughput' && r.corpus === corpus && r.chunk === chunk && r.parser === parser && r.ok);
const PEERS = Object.fromEntries(MAIN.map(([c, , p]) => [c, p.filter((x) => x !== 'mailwire')]));
function fastestPeer(corpus, chunk) {
  let best = null;
  for (const p of PEERS[corpus]) { const r = find(corpus, chunk, p); if (r && (!best || r.mbps > best.mbps)) best = r; }
  return best;
}
for (const r of results) {
  if (r.kind !== 'throughput' || !r.ok) continue;
  const fp = fastestPeer(r.corpus, r.chunk); const lim = find(r.corpus, r.chunk, 'limit-indexOf'); const cp = find(r.corpus, r.chunk, 'limit-copy');
  r.vsFastestPeer = fp ? r.mbps / fp.mbps : null; r.fastestPeer = fp ? fp.parser : null;
  r.vsIndexOf = lim ? r.mbps / lim.mbps : null; r.vsCopy = cp ? r.mbps / cp.mbps : null;
}
const verdicts = [];
const ratioVerdict = (label, corpus, chunk, need, peer) => {
  const m = find(corpus, chunk, 'mailwire'); const p = peer ? find(corpus, chunk, peer) : fastestPeer(corpus, chunk);
  if (!m || !p) { verdicts.push({ target: label, met: null, detail: !m ? 'mailwire case failed or not run' : 'no peer measured' }); return; }
  const ratio = m.mbps / p.mbps;
  verdicts.push({ target: label, met: ratio >= need, detail: `${ratio.toFixed(2)}x ${p.parser} (need >= ${need}x)` });
};
ratioVerdict('IMAP metadata >= 5x fastest peer', 'imap-meta', 16384, 5);
ratioVerdict('IMAP bodies >= fastest peer', 'imap-body', 16384, 1);
ratioVerdict('SMTP inbound >= 5x smtp-server', 'smtp-in', 16384, 5, 'smtp-server');
ratioVerdict('SMTP replies >= 20x nodemailer', 'smtp-replies', 16384, 20, 'nodemailer');
ratioVerdict('POP3 >= 5x fastest POP3 peer', 'pop3', 16384, 5);
ratioVerdict('POP3 vs yapople (the POP3 peer that reads whole bodies; for reference)', 'pop3', 16384, 5, 'yapople');
for (const [c] of MAIN) ratioVerdict(`1-byte chunks ${c} >= 3x fastest peer`, c, 1, 3);
for (const r of results.filter((x) => x.kind === 'linear')) {
  const ok = r.ok && r.linear.every((l) => l.ok);
  if (!ok) { verdicts.push({ target: `64-byte chunks flat within 20% (${r.corpus})`, met: false, detail: r.error || 'a size failed its count check' }); continue; }
  const v = r.linear.map((l) => l.mbps); const spread = 1 - Math.min(...v) / Math.max(...v);
  verdicts.push({ target: `64-byte chunks, 16 KB..1 MB item, MB/s flat within 20% (${r.corpus})`, met: spread <= 0.2, detail: `${v.map((x) => x.toFixed(1)).join(' / ')} MB/s, spread ${(spread * 100).toFixed(0)}%` });
}
for (const r of results.filter((x) => x.kind === 'memory')) {
  verdicts.push({ target: `${(r.total / 2 ** 20).toFixed(0)} MiB ${r.corpus} body streamed: RSS growth < 64 MiB`, met: r.ok ? r.rssGrowthMiB < 64 : false, detail: r.ok ? `+${r.rssGrowthMiB.toFixed(1)} MiB (${r.mbps.toFixed(0)} MB/s)` : r.error });
}

// ---- output ----
const cpu = (os.cpus()[0] || {}).model || 'unknown';
const ver = (p) => { try { return JSON.parse(readFileSync(join(here, 'node_modules', p, 'package.json'), 'utf8')).version; } catch { return '?'; } };
const env = {
  date: new Date().toISOString(), node: process.version, nproc: os.cpus().length, cpu, mode: quick ? 'quick' : 'full', runs: RUNS,
  mailwire: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version,
  peers: Object.fromEntries(['imapflow', 'imap', 'emailjs-imap-handler', 'smtp-server', 'nodemailer', 'node-pop3', 'yapople'].map((p) => [p, ver(p)])),
  minutes: (Date.now() - t0) / 60e3,
};
writeFileSync(jsonPath, JSON.stringify({ env, results, verdicts }, null, 2) + '\n');
const f = (x, d = 1) => (x == null ? '—' : x.toFixed(d));
const lines = [];
lines.push(`Machine: ${cpu}, ${env.nproc} cores, Node ${env.node}; ${env.mode} mode, median of ${RUNS} runs after one warm-up run (which is also the output-count check); ${env.minutes.toFixed(1)} min.`);
lines.push(`Peers: ${Object.entries(env.peers).map(([k, v]) => `${k} ${v}`).join(', ')}.`);
lines.push('');
lines.push('| corpus | chunk | parser | MB | MB/s | items/s | x fastest peer | x indexOf(CRLF) | x copy | peak RSS MiB |');
lines.push('|---|---:|---|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results.filter((x) => x.kind === 'throughput')) {
  if (!r.ok) { lines.push(`| ${r.corpus} | ${r.chunk} | ${r.parser} | — | FAILED: ${String(r.error).replace(/\|/g, '/').split('\n')[0]} | | | | | |`); continue; }
  lines.push(`| ${r.corpus} | ${r.chunk} | ${r.parser} | ${f(r.bytes / MB)} | ${f(r.mbps)} | ${Math.round(r.itemsps).toLocaleString('en-US')} | ${r.parser.startsWith('limit') ? '' : f(r.vsFastestPeer, 2)} | ${f(r.vsIndexOf, 3)} | ${f(r.vsCopy, 3)} | ${f(r.peakRssMiB, 0)} |`);
}
lines.push('');
lines.push('| target | verdict | measured |');
lines.push('|---|---|---|');
for (const v of verdicts) lines.push(`| ${v.target} | ${v.met === null ? 'not measured' : v.met ? 'met' : 'MISSED'} | ${v.detail} |`);
const table = lines.join('\n');
console.log(table);
if (args.includes('--docs')) {
  const doc = join(root, 'docs', 'benchmarks.md');
  const begin = '<!-- bench:begin -->'; const end = '<!-- bench:end -->';
  let text = existsSync(doc) ? readFileSync(doc, 'utf8') : `# Benchmarks\n\n${begin}\n${end}\n`;
  if (!text.includes(begin)) text += `\n${begin}\n${end}\n`;
  text = text.slice(0, text.indexOf(begin) + begin.length) + '\n' + table + '\n' + text.slice(text.indexOf(end));
  writeFileSync(doc, text);
  console.error(`bench: wrote ${doc}`);
}
