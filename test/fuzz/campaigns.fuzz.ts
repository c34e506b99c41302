import { describe, it } from 'vitest';
import { campaigns } from './campaigns';
import { runCampaign } from './harness';

// `npm run fuzz`: every campaign for its share of the time budget (scripts/fuzz.mjs sets the
// environment). A failure is saved to test/fuzz/regressions/ and reported with its seed.
const totalMs = Number(process.env.MAILWIRE_FUZZ_MS ?? 600_000);
const seed = process.env.MAILWIRE_FUZZ_SEED ? Number(process.env.MAILWIRE_FUZZ_SEED) : undefined;
const only = process.env.MAILWIRE_FUZZ_ONLY ?? '';
const selected = campaigns.filter((c) => c.name.includes(only));
const perCampaign = Math.max(1000, Math.floor(totalMs / Math.max(1, selected.length)));

describe(`fuzz campaigns (${Math.round(totalMs / 1000)} s in all)`, () => {
  for (const c of selected) {
    it(c.name, { timeout: perCampaign * 3 + 60_000 }, () => {
      const runs = runCampaign(c, { milliseconds: perCampaign, seed, save: true });
      console.log(`${c.name}: ${runs} runs in ${Math.round(perCampaign / 1000)} s`);
    });
  }
});
