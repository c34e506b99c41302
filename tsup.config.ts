import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineConfig, type Options } from 'tsup';

/**
 * The library ships one output file per source file (dist/ mirrors src/), in both module
 * formats, so that:
 * - every entry (`mailwire`, `mailwire/smtp`, ...) reaches the same module for a class: one
 *   declaration and one runtime class per format, whatever entry the user imported it from;
 * - a bundler that imports one function from `mailwire/smtp` keeps that function's file and
 *   the files it imports, and drops the rest (`"sideEffects": false`). A bundled entry, or
 *   shared chunks holding namespace objects, kept every export alive.
 * Declarations come from tsc (scripts/build-dts.mjs), not from a d.ts bundler.
 */

const LIBRARY_DIRS = ['core', 'smtp', 'pop3', 'imap', 'testing', 'entries', 'node'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * Keeps every import external, rewritten to the file the build writes for it: `./xtext` ->
 * `./xtext.js` (or `.cjs`), `../smtp/index` stays explicit. Node's ESM loader needs full paths.
 */
function perFile(ext: '.js' | '.cjs') {
  return {
    name: 'mailwire-per-file',
    setup(build: { onResolve: (o: { filter: RegExp }, cb: (args: { path: string; kind: string; resolveDir: string }) => unknown) => void }) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        if (!args.path.startsWith('.')) return { path: args.path, external: true };
        const target = resolve(args.resolveDir, args.path);
        const file = existsSync(`${target}.ts`) ? args.path : existsSync(join(target, 'index.ts')) ? `${args.path}/index` : null;
        if (file === null) throw new Error(`cannot resolve ${args.path} from ${args.resolveDir}`);
        return { path: `${file}${ext}`, external: true };
      });
    },
  };
}

const library: Options = {
  entry: LIBRARY_DIRS.flatMap((d) => (existsSync(join('src', d)) ? sources(join('src', d)) : [])).concat('src/index.ts'),
  outDir: 'dist',
  bundle: true,
  splitting: false,
  sourcemap: false, // dist/ is unminified, one file per source file: readable as it is
  dts: false,
  clean: false, // the build script empties dist/ first
  target: 'es2020',
  platform: 'neutral',
  treeshake: false,
  shims: false,
};

export default defineConfig([
  { ...library, format: ['esm'], esbuildPlugins: [perFile('.js')] },
  { ...library, format: ['cjs'], esbuildPlugins: [perFile('.cjs')] },
  // The command-line tool: Node only, self-contained.
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    platform: 'node',
    target: 'node18',
    banner: { js: '#!/usr/bin/env node' },
    sourcemap: false,
    clean: false,
  },
]);
