/**
 * The client session's optional message sequence number <-> UID map for the selected mailbox
 * (RFC 3501 2.3.1). Kept through EXISTS, EXPUNGE, VANISHED (RFC 7162 3.2.10) and FETCH UID.
 *
 * Slots whose UID the session has not been told yet hold 0 (UIDs are non-zero). UIDs ascend
 * with sequence numbers (RFC 3501 2.3.1.1), which is what lets a VANISHED response, which
 * names UIDs only, be placed: a named UID is either in a known slot, certainly absent, or could
 * sit in a run of unknown slots between two known neighbours. Only the first case is known
 * present; the last makes the positions after that run uncertain, and they are forgotten
 * rather than guessed.
 *
 * @packageDocumentation
 */

import type { SequenceSet } from './sequence-set';

/** What applying a plain VANISHED did. */
export interface VanishResult {
  /** Messages known present that were removed. */
  readonly removed: number;
  /** Some named UID could have been in a slot whose UID was unknown: later positions were forgotten. */
  readonly uncertain: boolean;
}

/** Sequence number <-> UID map of one mailbox, bounded by `max` messages. */
export class UidMap {
  private slots: Uint32Array;
  private n = 0;

  /** @param max - most messages followed */
  constructor(readonly max: number) {
    this.slots = new Uint32Array(Math.min(max, 64));
  }

  /** Number of messages (the mailbox's EXISTS as the map sees it). */
  get size(): number {
    return this.n;
  }

  /** How many slots have a known UID. */
  knownCount(): number {
    let k = 0;
    for (let i = 0; i < this.n; i++) if (this.slots[i] !== 0) k++;
    return k;
  }

  /** EXISTS: grows (new slots unknown) or, for a server that lowers it, shrinks. False when `count` is over the bound. */
  resize(count: number): boolean {
    if (count > this.max) return false;
    if (count > this.slots.length) {
      const next = new Uint32Array(Math.min(this.max, Math.max(count, this.slots.length * 2)));
      next.set(this.slots.subarray(0, this.n));
      this.slots = next;
    }
    if (count > this.n) this.slots.fill(0, this.n, count);
    this.n = count;
    return true;
  }

  /**
   * FETCH `seq` (UID `uid`). Returns false (and records nothing, forgetting the slot) when the
   * UID would break the ascending order with a known adjacent slot; true otherwise. Only the
   * adjacent slots are checked, so that filling the map in order (`FETCH 1:* (UID)`) stays
   * linear. A `seq` outside the mailbox is ignored (true): the server has not announced it yet.
   */
  set(seq: number, uid: number): boolean {
    if (!(seq >= 1 && seq <= this.n) || !Number.isInteger(seq) || !(uid >= 1 && uid <= 0xffffffff)) return true;
    const i = seq - 1;
    const before = i > 0 ? this.slots[i - 1]! : 0;
    const after = i + 1 < this.n ? this.slots[i + 1]! : 0;
    if ((before !== 0 && before >= uid) || (after !== 0 && after <= uid)) {
      this.slots[i] = 0;
      return false;
    }
    this.slots[i] = uid;
    return true;
  }

  /** The UID of message `seq`, or null when unknown. */
  uidOf(seq: number): number | null {
    if (!(seq >= 1 && seq <= this.n) || !Number.isInteger(seq)) return null;
    const u = this.slots[seq - 1]!;
    return u === 0 ? null : u;
  }

  /** The sequence number of the message with `uid`, or null when no known slot holds it. */
  seqOf(uid: number): number | null {
    let lo = 0;
    let hi = this.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      let j = mid;
      while (j >= lo && this.slots[j] === 0) j--;
      if (j < lo) {
        lo = mid + 1;
        continue;
      }
      const v = this.slots[j]!;
      if (v === uid) return j + 1;
      if (v < uid) lo = mid + 1;
      else hi = j - 1;
    }
    return null;
  }

  /** EXPUNGE `seq`: later messages move down by one. False when `seq` is not in the mailbox. */
  expunge(seq: number): boolean {
    if (!(seq >= 1 && seq <= this.n) || !Number.isInteger(seq)) return false;
    this.slots.copyWithin(seq - 1, seq, this.n);
    this.n--;
    return true;
  }

  /**
   * A plain VANISHED (no EARLIER): removes every known slot whose UID the set names, in one
   * pass. A named UID that no known slot holds but that could sit in a run of unknown slots
   * makes every position from that run on uncertain: those slots are set unknown.
   */
  vanish(uids: SequenceSet): VanishResult {
    const ranges = uids.normalize().ranges;
    let r = 0;
    let write = 0;
    let removed = 0;
    let prevKnown = 0;
    let forgetFrom = -1;
    for (let i = 0; i < this.n; i++) {
      const u = this.slots[i]!;
      if (u === 0) {
        if (forgetFrom < 0) {
          // A run of unknown slots between prevKnown and the next known UID: could a named UID be here?
          let k = i + 1;
          while (k < this.n && this.slots[k] === 0) k++;
          const nextKnown = k < this.n ? this.slots[k]! : Number.POSITIVE_INFINITY;
          while (r < ranges.length && ranges[r]!.end <= prevKnown) r++;
          if (r < ranges.length && ranges[r]!.start < nextKnown) forgetFrom = write;
        }
        this.slots[write++] = 0;
        continue;
      }
      while (r < ranges.length && ranges[r]!.end < u) r++;
      if (r < ranges.length && ranges[r]!.start <= u) {
        removed++;
        prevKnown = u;
        continue;
      }
      prevKnown = u;
      this.slots[write++] = u;
    }
    this.n = write;
    if (forgetFrom >= 0) this.slots.fill(0, forgetFrom, this.n);
    return { removed, uncertain: forgetFrom >= 0 };
  }
}
