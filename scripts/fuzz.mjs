#!/usr/bin/env node
// Runs the fuzz campaigns for a time budget:
//   npm run fuzz                       10 minutes in all
//   npm run fuzz -- --minutes=2        2 minutes
//   npm run fuzz -- --seed=42 --only=imap.server
// A failure prints the seed, path and shrunk counter-example and is saved under
// test/fuzz/regressions/, which `npm test` replays.
import { spawnSync } from 'node:child_process';

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(a);
    if (!m) {
      console.error(`unknown argument ${a}; use --minutes=N --seconds=N --seed=N --only=NAME`);
      process.exit(2);
    }
    return [m[1], m[2] ?? 'true'];
  }),
);
const ms = args.seconds ? Number(args.seconds) * 1000 : Number(args.minutes ?? 10) * 60_000;
if (!(ms > 0)) {
  console.error('the time budget must be positive');
  process.exit(2);
}
const env = { ...process.env, MAILWIRE_FUZZ_MS: String(ms) };
if (args.seed) env.MAILWIRE_FUZZ_SEED = args.seed;
if (args.only) env.MAILWIRE_FUZZ_ONLY = args.only;
console.log(`fuzzing for ${ms / 1000} s${args.only ? ` (campaigns matching "${args.only}")` : ''}`);
const r = spawnSync('npx', ['vitest', 'run', '--config', 'vitest.fuzz.config.ts'], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
