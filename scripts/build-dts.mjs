// Declarations for dist/: tsc writes one .d.ts per source file (one declaration per class,
// shared by every entry, so `smtp.ClientSession` from 'mailwire' and `ClientSession` from
// 'mailwire/smtp' are the same type). Then every relative specifier gets the extension Node's
// resolution needs ('./xtext' -> './xtext.js'), and each file gets a .d.cts twin pointing at
// .cjs files, for the `require` condition (the package is "type": "module", so a .d.ts is read
// as ESM). Run by `npm run build` after tsup; quiet on success (`npm run demo` and `npm run size`
// build first and print only their own output).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

function declarations(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return declarations(path);
    return path.endsWith('.d.ts') ? [path] : [];
  });
}

const SPECIFIER = /(\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*|\.{1,2})\2/g;
for (const file of declarations(dist)) {
  const text = readFileSync(file, 'utf8');
  const withExt = (ext) =>
    text.replace(SPECIFIER, (_, lead, quote, spec) => {
      const target = resolve(dirname(file), spec);
      const path = existsSync(`${target}.d.ts`) ? spec : existsSync(join(target, 'index.d.ts')) ? `${spec}/index` : null;
      if (path === null) throw new Error(`${file}: cannot resolve ${spec}`);
      return `${lead}${quote}${path}${ext}${quote}`;
    });
  writeFileSync(file, withExt('.js'));
  writeFileSync(file.replace(/\.d\.ts$/, '.d.cts'), withExt('.cjs'));
}
