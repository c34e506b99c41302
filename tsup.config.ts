import { defineConfig } from 'tsup';

export default defineConfig([
  // One build for every library entry so that shared code (core/, ProtocolError) lands in
  // shared chunks: `instanceof ProtocolError` must hold across `mailwire` and `mailwire/smtp`.
  {
    entry: {
      index: 'src/index.ts',
      smtp: 'src/smtp/index.ts',
      pop3: 'src/pop3/index.ts',
      imap: 'src/imap/index.ts',
      testing: 'src/testing/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    splitting: true,
    sourcemap: true,
    clean: true,
    target: 'es2020',
    platform: 'neutral',
    external: ['fast-check'],
  },
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
