/**
 * Findings of the mutation campaigns in code that other work is changing, kept as data until
 * their fixes land (the failing seeds are in test/fuzz/regressions/open/, which `npm test`
 * does not replay). A run that shows one of these symptoms is discarded instead of failing,
 * so `npm test` stays green while the rest of the space is still searched. When a fix lands,
 * delete its entry here (and move its seed file up to test/fuzz/regressions/ so it is replayed).
 */

export interface KnownOpen {
  readonly name: string;
  /** Recognises the finding in what a session wrote (a whole output, or the one line that echoes a credential). */
  readonly symptom: RegExp;
}

/** A run of a session: its events (normalised) and its output as text. */
export interface SeenRun {
  readonly items: readonly unknown[];
  readonly output: string;
}

export const KNOWN_OPEN: readonly KnownOpen[] = [];

/** The known open finding a run shows, or null. */
export function knownOpenRun(run: SeenRun): string | null {
  return knownOpen(run.output)?.name ?? null;
}

/**
 * Reply lines that would echo a credential. Empty since the servers stopped quoting what they
 * could not read (a client that sends its SASL response without waiting for the 334 / "+" got
 * it written back, and into the server's logs); kept so that a new echo finding can be parked.
 */
export const KNOWN_OPEN_ECHO: readonly KnownOpen[] = [];

/** The known open finding whose symptom `output` shows, or null. */
export function knownOpen(output: string, list: readonly KnownOpen[] = KNOWN_OPEN): KnownOpen | null {
  return list.find((k) => k.symptom.test(output)) ?? null;
}
