import { defineConfig } from 'tsup';

// One build for every entry so that shared code (core/, ProtocolError) lands in shared chunks:
// `instanceof ProtocolError` must hold across `mailwire` and `mailwire/smtp`.
export default defineConfig([
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
]);
