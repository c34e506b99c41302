import { defineConfig } from 'vitest/config';

// `npm run test:interop`: mailwire's ClientSessions against real Dovecot and Postfix started
// by test/interop/global-setup.ts on 127.0.0.1. One file at a time (they share the servers'
// mailboxes only per user, but IDLE and delivery timing are easier to reason about serially).
export default defineConfig({
  test: {
    include: ['test/interop/**/*.test.ts'],
    globalSetup: ['test/interop/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
