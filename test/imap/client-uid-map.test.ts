/**
 * The client session's UID map against a model: whatever the server expunges, whichever slots
 * the session knows, every UID the map still claims is the true UID at that position
 * (RFC 3501 2.3.1: UIDs ascend with sequence numbers), and `exists` is exact whenever the map
 * says it could place every UID a VANISHED named (RFC 7162 3.2.10).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { imap } from '../../src/index';
import { enc } from '../helpers/bytes';

/** A true mailbox (ascending UIDs), which of its slots the session was told, and a VANISHED set. */
const scenario = fc
  .uniqueArray(fc.integer({ min: 1, max: 200 }), { maxLength: 40 })
  .map((u) => u.sort((a, b) => a - b))
  .chain((uids) =>
    fc.record({
      uids: fc.constant(uids),
      known: fc.array(fc.boolean(), { minLength: uids.length, maxLength: uids.length }),
      vanished: fc.uniqueArray(fc.integer({ min: 1, max: 220 }), { minLength: 1, maxLength: 12 }),
      expunge: fc.array(fc.integer({ min: 1, max: 45 }), { maxLength: 4 }),
    }),
  );

describe('the UID map against a model of the mailbox', () => {
  it('never claims a wrong UID; exists exact when nothing named could hide in an unknown slot', () => {
    fc.assert(
      fc.property(scenario, ({ uids, known, vanished, expunge }) => {
        const c = new imap.ClientSession({ uidMap: 1000 });
        c.receive(enc('* PREAUTH ready\r\n'));
        c.send({ command: 'SELECT', mailbox: 'INBOX' });
        const fetches = uids.map((u, i) => (known[i] ? `* ${i + 1} FETCH (UID ${u})\r\n` : '')).join('');
        c.receive(enc(`* ${uids.length} EXISTS\r\n${fetches}A1 OK [READ-WRITE] done\r\n`));
        let truth = [...uids];
        // EXPUNGE keeps the map exact.
        for (const n of expunge) {
          c.receive(enc(`* ${n} EXPUNGE\r\n`));
          if (n <= truth.length) truth.splice(n - 1, 1);
          expect(c.mailbox!.exists).toBe(truth.length);
        }
        const set = imap.SequenceSet.from(vanished);
        const knownBefore = truth.map((_, i) => c.uidOf(i + 1));
        const hideable = vanished.some((v) => truth.includes(v) && !knownBefore.includes(v));
        c.receive(enc(`* VANISHED ${set.toString()}\r\n`));
        const knownRemoved = knownBefore.filter((u) => u !== null && vanished.includes(u)).length;
        truth = truth.filter((u) => !vanished.includes(u));
        const exists = c.mailbox!.exists;
        // Lowered only by UIDs known present; exact unless a named UID sat in an unknown slot.
        expect(exists).toBe(knownBefore.length - knownRemoved);
        if (!hideable) expect(exists).toBe(truth.length);
        for (let s = 1; s <= exists; s++) {
          const u = c.uidOf(s);
          if (u !== null) {
            expect(u).toBe(truth[s - 1]);
            expect(c.seqOf(u)).toBe(s);
          }
        }
        for (const v of vanished) expect(c.seqOf(v)).toBe(null);
      }),
      { numRuns: 500 },
    );
  });
});
