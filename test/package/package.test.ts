/**
 * The package as users get it: `npm pack` of the built tree, unpacked into a temporary
 * node_modules, then loaded the ways users load it (ESM import and CJS require in a child
 * node process, an esbuild browser bundle), and checked by publint and
 * @arethetypeswrong/cli. Needs `npm run build` first (`.ci/run` builds before `npm test`).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { publint } from 'publint';

const root = resolve(__dirname, '../..');
const ENTRIES = ['mailwire', 'mailwire/smtp', 'mailwire/pop3', 'mailwire/imap', 'mailwire/testing'] as const;
const DIST = ['index', 'smtp', 'pop3', 'imap', 'testing'].flatMap((e) => [`dist/${e}.js`, `dist/${e}.cjs`, `dist/${e}.d.ts`, `dist/${e}.d.cts`]);
const missing = DIST.filter((f) => !existsSync(join(root, f)));

let work = '';
let tarball = '';
let pkgDir = '';

beforeAll(() => {
  if (missing.length > 0) return;
  work = mkdtempSync(join(tmpdir(), 'mailwire-pkg-'));
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  tarball = join(work, (JSON.parse(out) as { filename: string }[])[0].filename);
  pkgDir = join(work, 'app', 'node_modules', 'mailwire');
  mkdirSync(pkgDir, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1']);
  // fast-check is an optional peer of mailwire/testing: let the unpacked package find ours.
  execFileSync('ln', ['-s', join(root, 'node_modules', 'fast-check'), join(work, 'app', 'node_modules', 'fast-check')]);
}, 60_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Runs a script in a child node process inside the unpacked app; returns its stdout. */
function node(file: string, source: string): string {
  const path = join(work, 'app', file);
  writeFileSync(path, source);
  return execFileSync(process.execPath, [path], { cwd: join(work, 'app'), encoding: 'utf8' });
}

describe('the built package (npm pack of dist/)', () => {
  it('dist/ exists (run `npm run build` before these tests)', () => {
    expect(missing, `missing build output: ${missing.join(', ')} — run \`npm run build\` first`).toEqual([]);
  });

  it('the tarball holds dist, the node10 stub folders, README, LICENSE and CHANGELOG, and no sources or tests', () => {
    expect(missing).toEqual([]);
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').map((f) => f.replace(/^package\//, ''));
    for (const f of [...DIST, 'dist/cli.js', 'smtp/package.json', 'pop3/package.json', 'imap/package.json', 'testing/package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'package.json']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => /^(src|test|bench|scripts|node_modules|docs)\//.test(f))).toEqual([]);
  });

  it('ESM: every entry imports in a child node process, and ProtocolError is one class across entries', () => {
    expect(missing).toEqual([]);
    const out = node(
      'esm.mjs',
      `
      const names = ${JSON.stringify(ENTRIES)};
      const mods = {};
      for (const n of names) mods[n] = await import(n);
      const keys = Object.fromEntries(names.map((n) => [n, Object.keys(mods[n]).length]));
      const { ProtocolError, smtp, imap } = mods['mailwire'];
      const bytes = new TextEncoder().encode('garbage\\r\\n');
      const fromSub = new mods['mailwire/smtp'].ReplyParser().push(bytes)[0].error;
      const fromRoot = new smtp.ReplyParser().push(bytes)[0].error;
      const fromImap = new mods['mailwire/imap'].ResponseParser().push(new TextEncoder().encode('* 1 FETCH (\\r\\n'))[0].error;
      console.log(JSON.stringify({ keys, sub: fromSub instanceof ProtocolError, root: fromRoot instanceof ProtocolError,
        imap: fromImap instanceof ProtocolError, same: mods['mailwire/imap'].ResponseParser === imap.ResponseParser,
        code: fromSub.code, arb: typeof mods['mailwire/testing'] }));
      `,
    );
    const r = JSON.parse(out);
    for (const n of ENTRIES) expect(r.keys[n], n).toBeGreaterThan(0);
    expect(r).toMatchObject({ sub: true, root: true, imap: true, same: true, code: 'SYNTAX' });
  });

  it('CJS: every entry requires in a child node process, and ProtocolError is one class across entries', () => {
    expect(missing).toEqual([]);
    const out = node(
      'cjs.cjs',
      `
      const names = ${JSON.stringify(ENTRIES)};
      const mods = {};
      for (const n of names) mods[n] = require(n);
      const keys = Object.fromEntries(names.map((n) => [n, Object.keys(mods[n]).length]));
      const { ProtocolError } = mods['mailwire'];
      const bytes = new TextEncoder().encode('garbage\\r\\n');
      const fromSub = new mods['mailwire/smtp'].ReplyParser().push(bytes)[0].error;
      const fromPop = new mods['mailwire/pop3'].CommandParser().push(new TextEncoder().encode('\\u0001\\r\\n'))[0];
      const file = require.resolve('mailwire/smtp');
      console.log(JSON.stringify({ keys, sub: fromSub instanceof ProtocolError, pop: fromPop.type === 'error' && fromPop.error instanceof ProtocolError, file }));
      `,
    );
    const r = JSON.parse(out);
    for (const n of ENTRIES) expect(r.keys[n], n).toBeGreaterThan(0);
    expect(r).toMatchObject({ sub: true, pop: true });
    expect(r.file).toMatch(/dist[\\/]smtp\.cjs$/);
  });

  it('ESM and CJS: the Web Streams adapters run on the built code', () => {
    expect(missing).toEqual([]);
    const script = (load: string) => `
      ${load}
      (async () => {
        const src = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode('250-a\\r\\n250 b\\r\\n')); c.close(); } });
        const items = [];
        const reader = src.pipeThrough(toTransformStream(new smtp.ReplyParser())).getReader();
        for (let r = await reader.read(); !r.done; r = await reader.read()) items.push(r.value);
        console.log(JSON.stringify(items));
      })();
    `;
    const want = JSON.stringify([{ type: 'reply', reply: { code: 250, enhanced: null, lines: ['a', 'b'] } }]);
    expect(node('ws.mjs', script(`import { smtp, toTransformStream } from 'mailwire';`)).trim()).toBe(want);
    expect(node('ws.cjs', script(`const { smtp, toTransformStream } = require('mailwire');`)).trim()).toBe(want);
  });

  it('every entry bundles for the browser with esbuild, with no Node built-in and no Buffer', async () => {
    expect(missing).toEqual([]);
    for (const entry of ENTRIES) {
      const result = await build({
        stdin: { contents: `export * from '${entry}';`, resolveDir: join(work, 'app'), loader: 'js' },
        bundle: true,
        platform: 'browser',
        format: 'esm',
        write: false,
        metafile: true,
        logLevel: 'silent',
        external: ['fast-check'],
      });
      expect(result.errors, entry).toEqual([]);
      const imports = Object.values(result.metafile.inputs).flatMap((i) => i.imports.map((x) => x.path));
      expect(imports.filter((p) => p.startsWith('node:') || /^(fs|net|tls|stream|buffer|crypto|os|path|events|util)$/.test(p)), entry).toEqual([]);
      const code = result.outputFiles[0].text;
      expect(code.length, entry).toBeGreaterThan(1000);
      // DESIGN's one exception: core/bytes.ts feature-detects a native byte search as a property
      // of the global object (`host.Buffer?.prototype?.indexOf`); a bare `Buffer` reference never.
      expect(code.match(/(?<!\.)\bBuffer\b|\brequire\(|\bprocess\./g) ?? [], entry).toEqual([]);
      expect((code.match(/\.Buffer\b/g) ?? []).length, entry).toBeLessThanOrEqual(1);
    }
  });

  it('types: a consumer using namespace types through the root and the subpaths typechecks (ESM and CJS resolution)', () => {
    expect(missing).toEqual([]);
    const consumer = `
      import { imap, smtp, pop3, ProtocolError, toTransformStream } from 'mailwire';
      import type { Envelope, UntaggedResponse } from 'mailwire/imap';
      import { ReplyParser, type Path } from 'mailwire/smtp';
      import type { Response as Pop3Response } from 'mailwire/pop3';
      const item: imap.FetchItem = { item: 'UID' };
      const env: imap.Envelope | Envelope | null = null;
      const u: imap.UntaggedResponse | UntaggedResponse | null = null;
      const path: smtp.Path | Path | null = null;
      const r: pop3.Response | Pop3Response | null = null;
      const e: ProtocolError | null = null;
      const cmd: imap.Command = { tag: 'A1', command: 'SEARCH', uid: false, charset: null, criteria: [{ key: 'ALL' }] };
      const t = toTransformStream(new ReplyParser());
      export const all = [item, env, u, path, r, e, cmd, t];
    `;
    for (const [file, module] of [['consumer.mts', 'nodenext'], ['consumer.cts', 'nodenext']] as const) {
      writeFileSync(join(work, 'app', file), file.endsWith('.cts') ? consumer.replace(/^\s*import (type )?\{[^}]*\} from 'mailwire\/(imap|pop3)';$/gm, '').replace(/\| (Envelope|UntaggedResponse|Pop3Response) /g, '') : consumer);
      writeFileSync(join(work, 'app', 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module, moduleResolution: module, target: 'es2022', noEmit: true, skipLibCheck: false, types: [], lib: ['es2022', 'dom'] }, files: [file] }));
      let output = '';
      try {
        execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(work, 'app')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (err) {
        output = String((err as { stdout?: string }).stdout ?? err);
      }
      expect(output, file).toBe('');
    }
  }, 60_000);

  it('publint reports nothing, not even suggestions (strict)', async () => {
    expect(missing).toEqual([]);
    const { messages } = await publint({ pkgDir, pack: false, strict: true, level: 'suggestion' });
    expect(messages).toEqual([]);
  });

  it('@arethetypeswrong/cli finds no problem in the tarball, node10 resolution of the subpaths included', () => {
    expect(missing).toEqual([]);
    const attw = join(root, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js');
    // Into a file, not a pipe: attw exits right after writing and a pipe would cut the JSON at 64 KiB.
    const jsonFile = join(work, 'attw.json');
    const fd = openSync(jsonFile, 'w');
    let status = 0;
    try {
      execFileSync(process.execPath, [attw, tarball, '--format', 'json', '--no-definitely-typed'], { stdio: ['ignore', fd, 'pipe'] });
    } catch (e) {
      status = (e as { status: number }).status;
    } finally {
      closeSync(fd);
    }
    const report = JSON.parse(readFileSync(jsonFile, 'utf8')) as {
      problems: Record<string, unknown[]>;
      analysis: { entrypoints: Record<string, { resolutions: Record<string, { resolution?: { fileName: string } }> }> };
    };
    expect(report.problems).toEqual({});
    expect(status).toBe(0);
    const eps = report.analysis.entrypoints;
    expect(Object.keys(eps).sort()).toEqual(['.', './imap', './package.json', './pop3', './smtp', './testing']);
    expect(eps['./smtp'].resolutions.node10.resolution?.fileName).toMatch(/dist\/smtp\.d\.cts$/);
  });
});
