/**
 * The package as users get it: `npm pack` of the built tree, installed with `npm install
 * <tarball>` into a scratch project (test/package/packed.ts, once per build), then loaded the
 * ways users load it (ESM import and CJS require in a child node process, esbuild browser
 * bundles), typechecked as a consumer with the repo's TypeScript under node16 (ESM and CJS)
 * and bundler resolution, and checked by publint and @arethetypeswrong/cli. Needs
 * `npm run build` first (`.ci/run` builds before `npm test`).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { publint } from 'publint';
import { packed, root, typecheckInAsync, type Packed } from './packed';

const ENTRIES = ['mailwire', 'mailwire/smtp', 'mailwire/pop3', 'mailwire/imap', 'mailwire/testing', 'mailwire/node'] as const;
const BROWSER_ENTRIES = ENTRIES.filter((e) => e !== 'mailwire/node');
const DIST = ['index', 'entries/smtp', 'entries/pop3', 'entries/imap', 'testing/index', 'node/index'].flatMap((e) => [`dist/${e}.js`, `dist/${e}.cjs`, `dist/${e}.d.ts`, `dist/${e}.d.cts`]);
const missing = DIST.filter((f) => !existsSync(join(root, f)));

let pkg: Packed;
beforeAll(() => {
  if (missing.length === 0) pkg = packed();
}, 120_000);

/** Runs a script in a child node process inside the scratch project; returns its stdout. */
function node(file: string, source: string): string {
  const path = join(pkg.app, file);
  writeFileSync(path, source);
  return execFileSync(process.execPath, [path], { cwd: pkg.app, encoding: 'utf8' });
}

describe('the built package (npm pack, npm install into a scratch project)', () => {
  it('dist/ exists (run `npm run build` before these tests)', () => {
    expect(missing, `missing build output: ${missing.join(', ')} — run \`npm run build\` first`).toEqual([]);
  });

  it('the tarball holds dist, the node10 stub folders, README, LICENSE and CHANGELOG, and no sources, tests or source maps', () => {
    const files = execFileSync('tar', ['-tzf', pkg.tarball], { encoding: 'utf8' }).trim().split('\n').map((f) => f.replace(/^package\//, ''));
    for (const f of [...DIST, 'dist/cli.js', 'smtp/package.json', 'pop3/package.json', 'imap/package.json', 'testing/package.json', 'node/package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'package.json']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => /^(src|test|bench|scripts|node_modules|docs)\/|\.map$/.test(f))).toEqual([]);
  });

  it('package.json names the repository, homepage and issue tracker', () => {
    const manifest = JSON.parse(readFileSync(join(pkg.pkgDir, 'package.json'), 'utf8'));
    expect(manifest.repository.url).toMatch(/^git\+https:\/\/.+\.git$/);
    expect(manifest.homepage).toMatch(/^https:\/\//);
    expect(manifest.bugs.url).toMatch(/^https:\/\/.+\/issues$/);
    expect(manifest.sideEffects).toBe(false);
  });

  it('ESM: every entry imports; classes and ProtocolError are one across the root namespaces and the subpaths', () => {
    const out = node(
      'esm.mjs',
      `
      const names = ${JSON.stringify(ENTRIES)};
      const mods = {};
      for (const n of names) mods[n] = await import(n);
      const keys = Object.fromEntries(names.map((n) => [n, Object.keys(mods[n]).length]));
      const { ProtocolError, smtp, pop3, imap } = mods['mailwire'];
      const bytes = new TextEncoder().encode('garbage\\r\\n');
      const fromSub = new mods['mailwire/smtp'].ReplyParser().push(bytes)[0].error;
      const fromRoot = new smtp.ReplyParser().push(bytes)[0].error;
      const fromImap = new mods['mailwire/imap'].ResponseParser().push(new TextEncoder().encode('* 1 FETCH (\\r\\n'))[0].error;
      const same = ['ClientSession', 'ServerSession'].every((c) => mods['mailwire/smtp'][c] === smtp[c] && mods['mailwire/pop3'][c] === pop3[c] && mods['mailwire/imap'][c] === imap[c]);
      const subErrors = ['smtp', 'pop3', 'imap'].every((p) => mods['mailwire/' + p].ProtocolError === ProtocolError && typeof mods['mailwire/' + p].toTransformStream === 'function' && typeof mods['mailwire/' + p].toSessionStreams === 'function');
      console.log(JSON.stringify({ keys, sub: fromSub instanceof ProtocolError, root: fromRoot instanceof ProtocolError,
        imap: fromImap instanceof ProtocolError, same, subErrors, code: fromSub.code }));
      `,
    );
    const r = JSON.parse(out);
    for (const n of ENTRIES) expect(r.keys[n], n).toBeGreaterThan(0);
    expect(r).toEqual({ keys: r.keys, sub: true, root: true, imap: true, same: true, subErrors: true, code: 'SYNTAX' });
  });

  it('CJS: every entry requires; classes and ProtocolError are one across the root namespaces and the subpaths', () => {
    const out = node(
      'cjs.cjs',
      `
      const names = ${JSON.stringify(ENTRIES)};
      const mods = {};
      for (const n of names) mods[n] = require(n);
      const keys = Object.fromEntries(names.map((n) => [n, Object.keys(mods[n]).length]));
      const { ProtocolError, smtp } = mods['mailwire'];
      const bytes = new TextEncoder().encode('garbage\\r\\n');
      const fromSub = new mods['mailwire/smtp'].ReplyParser().push(bytes)[0].error;
      const fromPop = new mods['mailwire/pop3'].CommandParser().push(new TextEncoder().encode('\\u0001\\r\\n'))[0];
      const file = require.resolve('mailwire/smtp');
      console.log(JSON.stringify({ keys, sub: fromSub instanceof ProtocolError, pop: fromPop.type === 'error' && fromPop.error instanceof ProtocolError,
        same: mods['mailwire/smtp'].ClientSession === smtp.ClientSession && mods['mailwire/smtp'].ProtocolError === ProtocolError, file }));
      `,
    );
    const r = JSON.parse(out);
    for (const n of ENTRIES) expect(r.keys[n], n).toBeGreaterThan(0);
    expect(r).toMatchObject({ sub: true, pop: true, same: true });
    expect(r.file).toMatch(/dist[\\/]entries[\\/]smtp\.cjs$/);
  });

  it('dual package: an ESM ProtocolError and a CJS one are different classes, and isProtocolError() recognises both from either side', () => {
    const out = node(
      'dual.mjs',
      `
      import { createRequire } from 'node:module';
      import * as esm from 'mailwire';
      const cjs = createRequire(import.meta.url)('mailwire');
      const bytes = new TextEncoder().encode('garbage\\r\\n');
      const fromEsm = new esm.smtp.ReplyParser().push(bytes)[0].error;
      const fromCjs = new cjs.smtp.ReplyParser().push(bytes)[0].error;
      console.log(JSON.stringify({
        instanceofAcross: fromCjs instanceof esm.ProtocolError,
        esmSees: [esm.isProtocolError(fromEsm), esm.isProtocolError(fromCjs)],
        cjsSees: [cjs.isProtocolError(fromEsm), cjs.isProtocolError(fromCjs)],
        notErrors: [esm.isProtocolError(new Error('x')), esm.isProtocolError({ name: 'ProtocolError' }), esm.isProtocolError(null)],
      }));
      `,
    );
    expect(JSON.parse(out)).toEqual({ instanceofAcross: false, esmSees: [true, true], cjsSees: [true, true], notErrors: [false, false, false] });
  });

  it('ESM and CJS: the Web Streams adapters run on the built code, from the root and from a subpath', () => {
    const script = (load: string) => `
      ${load}
      (async () => {
        const src = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode('250-a\\r\\n250 b\\r\\n')); c.close(); } });
        const items = [];
        const reader = src.pipeThrough(toTransformStream(new ReplyParser())).getReader();
        for (let r = await reader.read(); !r.done; r = await reader.read()) items.push(r.value);
        console.log(JSON.stringify(items));
      })();
    `;
    const want = JSON.stringify([{ type: 'reply', reply: { code: 250, enhanced: null, lines: ['a', 'b'] } }]);
    expect(node('ws.mjs', script(`import { smtp, toTransformStream } from 'mailwire'; const { ReplyParser } = smtp;`)).trim()).toBe(want);
    expect(node('ws.cjs', script(`const { smtp, toTransformStream } = require('mailwire'); const { ReplyParser } = smtp;`)).trim()).toBe(want);
    expect(node('ws-sub.mjs', script(`import { ReplyParser, toTransformStream } from 'mailwire/smtp';`)).trim()).toBe(want);
    expect(node('ws-sub.cjs', script(`const { ReplyParser, toTransformStream } = require('mailwire/smtp');`)).trim()).toBe(want);
  });

  it('every entry but mailwire/node bundles for the browser with esbuild, with no Node built-in and no Buffer', async () => {
    for (const entry of BROWSER_ENTRIES) {
      const result = await build({
        stdin: { contents: `export * from '${entry}';`, resolveDir: pkg.app, loader: 'js' },
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
      const code = result.outputFiles[0]!.text;
      expect(code.length, entry).toBeGreaterThan(1000);
      // DESIGN's one exception: core/bytes.ts feature-detects a native byte search as a property
      // of the global object (`host.Buffer?.prototype?.indexOf`); a bare `Buffer` reference never.
      expect(code.match(/(?<!\.)\bBuffer\b|\brequire\(|\bprocess\./g) ?? [], entry).toEqual([]);
      expect((code.match(/\.Buffer\b/g) ?? []).length, entry).toBeLessThanOrEqual(1);
    }
  });

  it('tree shaking below the entry: one import from a subpath bundles that function and what it uses, not the protocol', async () => {
    const size = async (contents: string) => {
      const r = await build({ stdin: { contents, resolveDir: pkg.app, loader: 'js' }, bundle: true, platform: 'browser', format: 'esm', write: false, minify: true, logLevel: 'silent' });
      return r.outputFiles[0]!.contents.length;
    };
    const whole = await size(`export * from 'mailwire/smtp';`);
    const xtext = await size(`import { encodeXtext } from 'mailwire/smtp'; console.log(encodeXtext('a b'));`);
    const mailbox = await size(`import { encodeMailboxName } from 'mailwire/imap'; console.log(encodeMailboxName('Entwürfe'));`);
    const replyParser = await size(`import { ReplyParser } from 'mailwire/smtp'; console.log(new ReplyParser());`);
    expect(whole).toBeGreaterThan(40_000);
    expect(xtext).toBeLessThan(1_000); // was 53 KB: the whole SMTP namespace
    expect(mailbox).toBeLessThan(2_000);
    expect(replyParser).toBeLessThan(whole / 4);
  });

  // A consumer as a user writes it: subpath classes passed where root-namespace types are
  // expected and the reverse, a class compared across entries, ProtocolError from any entry.
  const consumer = `
    import { smtp, imap, pop3, ProtocolError, isProtocolError, toTransformStream } from 'mailwire';
    import * as smtpSub from 'mailwire/smtp';
    import { ClientSession as ImapClient, ResponseParser, ProtocolError as ImapProtocolError, toSessionStreams } from 'mailwire/imap';
    import { ClientSession as Pop3Client, type Response as Pop3Response } from 'mailwire/pop3';
    function useSmtp(session: smtp.ClientSession): smtp.ClientState { return session.state; }
    function useImap(session: ImapClient): string { return session.state; }
    function usePop3(session: pop3.ClientSession): string { return session.state; }
    useSmtp(new smtpSub.ClientSession({ domain: 'client.example' }));
    useImap(new imap.ClientSession());
    usePop3(new Pop3Client());
    const sameClass: boolean = smtpSub.ReplyParser === smtp.ReplyParser && ResponseParser === imap.ResponseParser;
    const e: ProtocolError = new ImapProtocolError('SYNTAX', 'x');
    const e2: ImapProtocolError = new smtpSub.ProtocolError('SYNTAX', 'x');
    const r: pop3.Response | Pop3Response | null = null;
    const item: imap.FetchItem = { item: 'UID' };
    const t = toTransformStream(new smtpSub.ReplyParser());
    const s = toSessionStreams(new ImapClient());
    const checked: boolean = isProtocolError(e2);
    // @ts-expect-error -- a POP3 session is not an SMTP one (the types are real, not any)
    useSmtp(new Pop3Client());
    export const all = [sameClass, e, e2, r, item, t, s, checked];
  `;
  // mailwire/node as a Node user writes it (with @types/node installed).
  const nodeConsumer = `
    import { smtp } from 'mailwire';
    import { connect, sendMail, serve, type SocketSession, type SendMailResult } from 'mailwire/node';
    async function send(): Promise<SendMailResult> {
      const conn: SocketSession<smtp.ClientSession> = await connect(new smtp.ClientSession({ domain: 'me' }), { port: 25 });
      await conn.next('ready');
      conn.do((s) => s.startTls());
      // @ts-expect-error -- the port is a number (the types are real, not any)
      await sendMail({ port: '587', from: 'a@example.org', to: ['b@example.net'], message: 'x' });
      return sendMail({ port: 587, from: 'a@example.org', to: ['b@example.net'], message: 'x' });
    }
    const server = serve<smtp.ServerSession>({ createSession: () => new smtp.ServerSession({ domain: 'me' }), commands: { '*': (_c, conn) => void conn.do((s) => s.accept()) } });
    export { send, server };
  `;

  it('types: subpath and root-namespace classes are one type; consumers typecheck against the tarball under node16 (ESM, CJS) and bundler resolution', async () => {
    const plain = { types: [] as string[] }; // no @types/node: mailwire itself needs none (and lib checking stays fast)
    const runs = [
      ['node16-esm', { 'consumer.mts': consumer }, { module: 'node16', moduleResolution: 'node16', ...plain }],
      ['node16-cjs', { 'consumer.cts': consumer }, { module: 'node16', moduleResolution: 'node16', ...plain }],
      ['bundler', { 'consumer.ts': consumer }, { module: 'esnext', moduleResolution: 'bundler', ...plain }],
      // @types/node is big: its own files are not checked (skipLibCheck), the @ts-expect-error line proves mailwire/node's types are real.
      ['node-entry', { 'consumer.mts': nodeConsumer }, { module: 'node16', moduleResolution: 'node16', skipLibCheck: true }],
    ] as const;
    const outputs = await Promise.all(runs.map(([name, files, options]) => typecheckInAsync(pkg.app, `types-${name}`, files, options)));
    expect(Object.fromEntries(runs.map(([name], i) => [name, outputs[i]]))).toEqual(Object.fromEntries(runs.map(([name]) => [name, ''])));
  }, 180_000);

  it('types: the check above can fail (a wrong type against the tarball is reported)', async () => {
    const output = await typecheckInAsync(pkg.app, 'types-negative', { 'bad.ts': `import { smtp } from 'mailwire'; import { ClientSession } from 'mailwire/pop3'; const s: smtp.ClientSession = new ClientSession(); export { s };` }, { module: 'esnext', moduleResolution: 'bundler', types: [] });
    expect(output).toMatch(/TS2\d{3}/);
  }, 60_000);

  it('publint reports nothing, not even suggestions (strict)', async () => {
    const { messages } = await publint({ pkgDir: pkg.pkgDir, pack: false, strict: true, level: 'suggestion' });
    expect(messages).toEqual([]);
  });

  it('@arethetypeswrong/cli finds no problem in the tarball, node10 resolution of the subpaths included', () => {
    const attw = join(root, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js');
    // Into a file, not a pipe: attw exits right after writing and a pipe would cut the JSON at 64 KiB.
    const jsonFile = join(pkg.app, 'attw.json');
    const fd = openSync(jsonFile, 'w');
    let status = 0;
    try {
      execFileSync(process.execPath, [attw, pkg.tarball, '--format', 'json', '--no-definitely-typed'], { stdio: ['ignore', fd, 'pipe'] });
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
    expect(Object.keys(eps).sort()).toEqual(['.', './imap', './node', './package.json', './pop3', './smtp', './testing']);
    expect(eps['./smtp']!.resolutions.node10!.resolution?.fileName).toMatch(/dist\/entries\/smtp\.d\.cts$/);
  });
});
