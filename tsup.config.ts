import { defineConfig } from 'tsup';

const ENTRIES = {
  index: 'src/index.ts',
  smtp: 'src/smtp/index.ts',
  pop3: 'src/pop3/index.ts',
  imap: 'src/imap/index.ts',
  testing: 'src/testing/index.ts',
};

export default defineConfig([
  // One build for every library entry so that shared code (core/, ProtocolError) lands in
  // shared chunks: `instanceof ProtocolError` must hold across `mailwire` and `mailwire/smtp`.
  {
    entry: ENTRIES,
    format: ['esm', 'cjs'],
    dts: false,
    splitting: true,
    sourcemap: true,
    clean: false, // the build script empties dist/ first: these configs run in parallel
    target: 'es2020',
    platform: 'neutral',
    external: ['fast-check'],
  },
  // Declarations: one self-contained file per entry. Bundled with code splitting, the d.ts
  // bundler turned interfaces that live in a shared chunk into values inside the `smtp` /
  // `pop3` / `imap` namespaces (`imap.Envelope` "refers to a value"), and lost some outright.
  ...Object.entries(ENTRIES).map(([name, file]) => ({
    entry: { [name]: file },
    format: ['esm' as const, 'cjs' as const],
    dts: { only: true },
    clean: false,
    external: ['fast-check'],
  })),
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
