#!/usr/bin/env node
// npm run test:runtimes: the runtime smoke suite (test/runtimes/) on the built package, run by
// Node (the control), Deno, Bun and headless Chromium. Any failure fails the run, and so does a
// runtime that cannot be installed: nothing is skipped.
//
// Installs what is missing: Deno and Bun from npm into test/runtimes/node_modules (npm ci
// --prefix test/runtimes, pinned by its package-lock.json; their binaries come from the npm
// registry as platform packages, never from the package's own install), Chromium from Debian's
// packages (as root, waiting for the apt lock). Prints one summary line per runtime and a last
// "N passed, N failed" line counting the cases of all runtimes.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const suite = join(root, 'test', 'runtimes');
const bin = join(suite, 'node_modules', '.bin');
const CHROMIUM = '/usr/bin/chromium';
const TIMEOUT_MS = 120_000;

if (!existsSync(join(root, 'dist', 'index.js'))) {
  console.error('test:runtimes: dist/index.js missing, run `npm run build` first');
  process.exit(1);
}

/** The version a runtime binary reports, or null when it is missing or does not run. */
function versionOf(file, args, pattern) {
  if (!existsSync(file)) return null;
  const r = spawnSync(file, args, { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0 ? (pattern.exec(r.stdout)?.[1] ?? null) : null;
}

function installRuntimes() {
  const pinned = JSON.parse(readFileSync(join(suite, 'package.json'), 'utf8')).devDependencies;
  const have = () => ({ deno: versionOf(join(bin, 'deno'), ['--version'], /^deno (\S+)/), bun: versionOf(join(bin, 'bun'), ['--version'], /^(\S+)/) });
  let now = have();
  if (now.deno === pinned.deno && now.bun === pinned.bun) return;
  const start = Date.now();
  console.error(`test:runtimes: installing deno@${pinned.deno} and bun@${pinned.bun} (npm ci --prefix test/runtimes)`);
  execFileSync('npm', ['ci', '--prefix', suite, '--no-audit', '--no-fund'], { stdio: ['ignore', process.stderr, 'inherit'], timeout: 600_000 });
  now = have();
  if (now.deno !== pinned.deno || now.bun !== pinned.bun) throw new Error(`runtimes after npm ci: deno ${now.deno}, bun ${now.bun}; expected ${pinned.deno} and ${pinned.bun}`);
  console.error(`test:runtimes: installed in ${((Date.now() - start) / 1000).toFixed(0)}s`);
}

function installChromium() {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) throw new Error(`${CHROMIUM} missing: install Debian's chromium package (as root: apt-get install chromium)`);
  const start = Date.now();
  // Wait for another apt/dpkg run (unattended upgrades, the interop install) instead of failing at once.
  const apt = ['-o', 'DPkg::Lock::Timeout=300', '-o', 'Acquire::Retries=3'];
  console.error('test:runtimes: installing chromium (apt-get; progress follows)');
  const opts = { stdio: ['ignore', process.stderr, 'inherit'], timeout: 900_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
  execFileSync('apt-get', [...apt, 'update'], opts);
  execFileSync('apt-get', [...apt, 'install', '-y', '--no-install-recommends', '-o', 'Dpkg::Progress-Fancy=0', 'chromium'], opts);
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is missing`);
  console.error(`test:runtimes: installed chromium in ${((Date.now() - start) / 1000).toFixed(0)}s`);
}

/** Runs a command in its own process group (killed whole on timeout); resolves with its output. */
function run(file, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd: suite, detached: true, stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: `${stderr}${e.message}\n`, timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** Bundles the browser entry with esbuild and loads it in headless Chromium; returns the page's result text. */
async function runChromium(work) {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(suite, 'browser.mjs')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    outfile: join(work, 'smoke.js'),
    logLevel: 'error',
  });
  writeFileSync(join(work, 'index.html'), '<!doctype html><meta charset="utf-8"><title>mailwire runtime smoke</title><pre id="result"></pre><script src="smoke.js"></script>\n');
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    `--user-data-dir=${join(work, 'profile')}`,
    // Virtual time runs the page's promises and timers to quiescence before the DOM is dumped.
    '--virtual-time-budget=60000',
    '--dump-dom',
    pathToFileURL(join(work, 'index.html')).href,
  ];
  const r = await run(CHROMIUM, args);
  const pre = /<pre id="result"([^>]*)>([\s\S]*?)<\/pre>/.exec(r.stdout);
  const unescape = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  const done = pre !== null && /data-done="1"/.test(pre[1]);
  return { ...r, stdout: pre ? unescape(pre[2]) : r.stdout, code: r.code === 0 && done ? 0 : (r.code ?? 1), notFinished: !done };
}

const { cases } = await import(pathToFileURL(join(suite, 'smoke.mjs')).href);
const withSocket = cases({ byteSearch: 'native', socketLink: () => null }).length;
const withoutSocket = cases({ byteSearch: 'portable' }).length;

const work = mkdtempSync(join(tmpdir(), 'mailwire-runtimes-'));
// No update checks, telemetry or prompts: the runs reach nothing but 127.0.0.1.
const env = { ...process.env, DENO_DIR: join(work, 'deno'), DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1', NO_COLOR: '1', DO_NOT_TRACK: '1' };
const runtimes = [
  { name: 'node', expect: withSocket, go: () => run(process.execPath, ['main.mjs'], { env }) },
  { name: 'deno', expect: withSocket, install: installRuntimes, go: () => run(join(bin, 'deno'), ['run', '--no-config', '--no-lock', '--no-prompt', '--allow-net=127.0.0.1', 'main.mjs'], { env }) },
  { name: 'bun', expect: withSocket, install: installRuntimes, go: () => run(join(bin, 'bun'), ['run', 'main.mjs'], { env }) },
  { name: 'chromium', expect: withoutSocket, install: installChromium, go: () => runChromium(work) },
];

let passed = 0;
let failed = 0;
const summary = [];
try {
  for (const rt of runtimes) {
    const start = Date.now();
    let r;
    try {
      rt.install?.();
      r = await rt.go();
    } catch (e) {
      r = { code: null, stdout: '', stderr: `install or start failed: ${e && e.message ? e.message : e}\n` };
    }
    const secs = ((Date.now() - start) / 1000).toFixed(1);
    const lines = r.stdout.trimEnd().split('\n');
    const version = (lines.find((l) => l.startsWith('# ')) ?? '# ?').slice(2);
    const counts = /^(\d+) passed, (\d+) failed$/.exec(lines.at(-1) ?? '');
    const p = counts ? Number(counts[1]) : 0;
    const f = counts ? Number(counts[2]) : 0;
    const ok = r.code === 0 && counts !== null && f === 0 && p === rt.expect;
    passed += p;
    // A runtime that did not run all its cases counts its missing cases as failed.
    failed += ok ? 0 : Math.max(f, rt.expect - p, 1);
    for (const l of lines) if (l.startsWith('not ok')) console.log(`${rt.name}: ${l}`);
    if (!ok) {
      console.log(`${rt.name}: FAILED (exit ${r.code}${r.timedOut ? ', timed out' : ''}${r.notFinished ? ', page did not finish' : ''}; ${p}/${rt.expect} cases passed)`);
      console.log(r.stdout.trimEnd().replace(/^/gm, `${rt.name}| `));
      if (r.stderr.trim()) console.log(r.stderr.trimEnd().split('\n').slice(-30).join('\n').replace(/^/gm, `${rt.name} stderr| `));
    }
    summary.push(`${ok ? 'ok  ' : 'FAIL'} ${rt.name.padEnd(8)} ${String(p).padStart(2)}/${rt.expect} cases  ${secs.padStart(5)}s  ${version}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(summary.join('\n'));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
