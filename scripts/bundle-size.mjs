// Bundle sizes as a browser user gets them from the published package: esbuild bundles a
// small file against dist/ (platform browser, minified, fast-check external), then gzip -9.
// Two tables for the README: whole entries (`export *`), and single imports, which is what
// an application that imports a few names pays (dist/ is one module per source file and the
// package has "sideEffects": false, so the bundler keeps a function and what it uses).
// Run with `npm run size` (it builds first, so the numbers are for dist/ as published).
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const ENTRIES = ['mailwire', 'mailwire/smtp', 'mailwire/pop3', 'mailwire/imap', 'mailwire/testing'];
export const SINGLE = [
  `import { encodeXtext } from 'mailwire/smtp'; use(encodeXtext);`,
  `import { parseReply } from 'mailwire/smtp'; use(parseReply);`,
  `import { ReplyParser } from 'mailwire/smtp'; use(ReplyParser);`,
  `import { ClientSession } from 'mailwire/smtp'; use(ClientSession);`,
  `import { ClientSession } from 'mailwire/pop3'; use(ClientSession);`,
  `import { encodeMailboxName } from 'mailwire/imap'; use(encodeMailboxName);`,
  `import { ResponseParser } from 'mailwire/imap'; use(ResponseParser);`,
  `import { ClientSession } from 'mailwire/imap'; use(ClientSession);`,
  `import { smtp } from 'mailwire'; use(smtp.encodeXtext);`,
];

/** Minified and gzipped size of an esbuild bundle of `contents`. */
export async function bundleSize(contents) {
  const result = await build({
    stdin: { contents: `const use = (x) => console.log(x);\n${contents}`, resolveDir: root, loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    external: ['fast-check'],
    logLevel: 'silent',
    // Resolve `mailwire` to this repository, through its package.json "exports".
    alias: { mailwire: root },
  });
  const code = result.outputFiles[0].contents;
  return { min: code.length, gz: gzipSync(code, { level: 9 }).length };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!existsSync(join(root, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  console.log('| entry (`export *`) | minified | minified + gzip |');
  console.log('|---|---:|---:|');
  for (const name of ENTRIES) {
    const { min, gz } = await bundleSize(`export * from '${name}';`);
    console.log(`| \`${name}\`${name.endsWith('testing') ? ' (fast-check external)' : ''} | ${kb(min)} | ${kb(gz)} |`);
  }
  console.log('\n| single import | minified | minified + gzip |');
  console.log('|---|---:|---:|');
  for (const line of SINGLE) {
    const { min, gz } = await bundleSize(line);
    const shown = line.replace(/; use\(.*$/, '');
    console.log(`| \`${shown}\`${line.includes("from 'mailwire'") ? ' then `smtp.encodeXtext`' : ''} | ${kb(min)} | ${kb(gz)} |`);
  }
}
