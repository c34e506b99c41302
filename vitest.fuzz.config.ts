import { defineConfig } from 'vitest/config';

// `npm run fuzz` (through scripts/fuzz.mjs): the time-boxed campaigns, one file, one worker,
// so the budget is the wall-clock time.
export default defineConfig({
  test: {
    include: ['test/fuzz/**/*.fuzz.ts'],
    pool: 'threads',
    fileParallelism: false,
  },
});
