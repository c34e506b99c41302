import { describe, it } from 'vitest';
import { campaigns } from './campaigns';
import { loadRegressions, replay, runCampaign } from './harness';

// The short run inside `npm test`: every campaign for a fixed number of runs (fast-check picks
// a new seed each time, so repeated CI runs widen the search), then every saved regression.
const RUNS = Number(process.env.MAILWIRE_FUZZ_RUNS ?? 60);

describe('fuzz campaigns (short run)', () => {
  for (const c of campaigns) it(c.name, () => void runCampaign(c, { runs: Math.min(RUNS, c.shortRuns ?? RUNS) }));
});

describe('fuzz regressions', () => {
  const saved = loadRegressions();
  it('every saved regression names a campaign that exists', () => {
    for (const r of saved) if (!campaigns.some((c) => c.name === r.campaign)) throw new Error(`regression for unknown campaign ${r.campaign}`);
  });
  for (const r of saved) {
    const c = campaigns.find((x) => x.name === r.campaign);
    if (c) it(`${r.campaign} seed ${r.seed}`, () => replay(c, r));
  }
});
