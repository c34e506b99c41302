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

export const KNOWN_OPEN: readonly KnownOpen[] = [
  {
    // issue 14: maxPending counts the commands of one read, so more than 1000 lines in one read
    // close the session while the same bytes in two reads are all answered.
    name: 'maxPending counts the commands of one read',
    symptom: /Too many (?:pipelined )?commands without reading/i,
  },
];

/**
 * issue 14: answering a POP3 AUTH with no mechanism un-pauses the parser that a queued AUTH
 * with a mechanism paused, so in one read the SASL response after the "+" is read as a command
 * (with a command's line limit and grammar). Recognised by its cause in the events: an AUTH
 * without a mechanism, later an AUTH with one.
 */
function pop3AuthUnpause(run: SeenRun): boolean {
  let listing = false;
  for (const it of run.items) {
    const c = (it as { type?: string; command?: { verb?: string; mechanism?: unknown } }).command;
    if ((it as { type?: string }).type !== 'command' || c?.verb !== 'AUTH') continue;
    if (c.mechanism === null) listing = true;
    else if (listing) return true;
  }
  return false;
}

/** The known open finding a run shows, or null. */
export function knownOpenRun(run: SeenRun): string | null {
  if (pop3AuthUnpause(run)) return 'POP3 AUTH without a mechanism un-pauses the parser';
  return knownOpen(run.output)?.name ?? null;
}

/**
 * Reply lines that quote the line the server could not read as a command. A client that sends
 * its SASL response without waiting for the 334 / "+" (after a refused AUTH, say) gets its
 * credential written back (and into the server's logs): Postfix answers "502 5.5.2 Error:
 * command not recognized" and Dovecot "BAD Error in IMAP command" without quoting.
 */
export const KNOWN_OPEN_ECHO: readonly KnownOpen[] = [
  { name: 'SMTP server quotes an unrecognised command line', symptom: /^5\d\d[ -](?:\d\.\d+\.\d+ )?Syntax error: "/i },
  { name: 'IMAP server quotes an unknown command name', symptom: /^\S+ BAD unknown command /i },
  { name: 'POP3 server quotes an unrecognised command line', symptom: /^-ERR syntax error: /i },
];

/** The known open finding whose symptom `output` shows, or null. */
export function knownOpen(output: string, list: readonly KnownOpen[] = KNOWN_OPEN): KnownOpen | null {
  return list.find((k) => k.symptom.test(output)) ?? null;
}
