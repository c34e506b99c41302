// Bundle size of each package entry as a browser user gets it: esbuild bundles a file that
// imports everything the entry exports (platform browser, minified, fast-check external for
// mailwire/testing), then gzip -9 (node:zlib). Prints a markdown table for the README.
// Run with `npm run size` (it builds first, so the numbers are for dist/ as published).
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRIES = [
  ['mailwire', 'dist/index.js'],
  ['mailwire/smtp', 'dist/smtp.js'],
  ['mailwire/pop3', 'dist/pop3.js'],
  ['mailwire/imap', 'dist/imap.js'],
  ['mailwire/testing', 'dist/testing.js'],
];

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;

const rows = [];
for (const [name, file] of ENTRIES) {
  const path = join(root, file);
  if (!existsSync(path)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  const result = await build({
    // `export *` keeps every export alive, so this is the cost of the whole entry; an
    // application that imports a few names gets less after tree shaking.
    stdin: { contents: `export * from ${JSON.stringify(path)};`, resolveDir: root, loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    external: ['fast-check'],
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  rows.push([name, code.length, gzipSync(code, { level: 9 }).length]);
}

console.log('| entry | minified | minified + gzip |');
console.log('|---|---:|---:|');
for (const [name, min, gz] of rows) console.log(`| \`${name}\` | ${kb(min)} | ${kb(gz)} |`);
