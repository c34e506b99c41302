/**
 * Fuzz campaign harness. A campaign is a named fast-check property. The same campaigns run
 * twice: briefly inside `npm test` (a fixed number of runs, plus every saved regression), and
 * time-boxed by `npm run fuzz`. A failure found by `npm run fuzz` is written to
 * test/fuzz/regressions/ (campaign, seed, path, counterexample), so `npm test` replays it from
 * then on; the file is meant to be committed with the fix.
 */
import fc from 'fast-check';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Campaign {
  /** Unique, file-name safe: `protocol.target.property`. */
  readonly name: string;
  /** Most runs in the short run inside `npm test` (for campaigns whose runs are slow, e.g. timing). */
  readonly shortRuns?: number;
  /** Builds the property (fresh per run so campaigns do not share state). */
  readonly property: () => fc.IProperty<never> | fc.IProperty<unknown>;
}

export interface Regression {
  readonly campaign: string;
  readonly seed: number;
  readonly path: string;
  readonly counterexample: string;
  readonly error: string;
  readonly found: string;
}

export const REGRESSION_DIR = join(__dirname, 'regressions');

/** Saved regressions, oldest first. */
export function loadRegressions(): Regression[] {
  if (!existsSync(REGRESSION_DIR)) return [];
  return readdirSync(REGRESSION_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(REGRESSION_DIR, f), 'utf8')) as Regression);
}

function describeFailure(c: Campaign, d: fc.RunDetails<unknown>): Regression {
  return {
    campaign: c.name,
    seed: d.seed,
    path: d.counterexamplePath ?? '',
    counterexample: fc.stringify(d.counterexample),
    error: String(d.errorInstance instanceof Error ? d.errorInstance.message : d.errorInstance).slice(0, 2000),
    found: new Date().toISOString(),
  };
}

function report(r: Regression, file: string | null): Error {
  return new Error(
    `fuzz campaign ${r.campaign} failed\n  seed: ${r.seed}\n  path: ${r.path}\n  counterexample: ${r.counterexample}\n  error: ${r.error}` +
      (file ? `\n  saved as ${file}: commit it with the fix; npm test replays it` : ''),
  );
}

/** Runs a campaign for a number of runs (npm test) or a time budget (npm run fuzz). */
export function runCampaign(c: Campaign, budget: { runs: number; seed?: number } | { milliseconds: number; seed?: number; save: boolean }): number {
  const params: fc.Parameters<unknown> =
    'runs' in budget
      ? { numRuns: budget.runs, seed: budget.seed }
      : { numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: budget.milliseconds, markInterruptAsFailure: false, seed: budget.seed };
  const d = fc.check(c.property() as fc.IProperty<unknown>, params);
  if (d.failed) {
    const r = describeFailure(c, d);
    let file: string | null = null;
    if ('save' in budget && budget.save) {
      mkdirSync(REGRESSION_DIR, { recursive: true });
      file = join(REGRESSION_DIR, `${c.name}-${r.seed}.json`);
      writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
    }
    throw report(r, file);
  }
  return d.numRuns;
}

/** Replays one saved failure exactly (same seed and path). */
export function replay(c: Campaign, r: Regression): void {
  fc.assert(c.property() as fc.IProperty<unknown>, { seed: r.seed, path: r.path, endOnFailure: true });
}
