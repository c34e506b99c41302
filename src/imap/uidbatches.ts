/**
 * UIDBATCHES (RFC 10022, draft-ietf-mailmaint-imap-uidbatches): the command that asks for UID
 * ranges cutting the selected mailbox into batches of a given size, and its own untagged
 * response `* UIDBATCHES (TAG "A143") 215295:99696,99695:20351,...` (not an ESEARCH).
 *
 * The RFC text could not be read here; the forms follow what implementations of the RFC agree
 * on (stalwart's server and its tests, Apple's swift-nio-imap, Cyrus's `uidbatches_max_messages`):
 * the batch size is at least 500 (smaller is answered `NO [TOOFEW]`), a batch range is
 * `first:last` batch numbers in that order (reversed is `BAD [CLIENTBUG]`), a server takes at least
 * 100000 messages' worth of batches in one command (beyond its own limit: `NO [TOOMANY]`), and
 * the response lists the ranges from the highest UIDs down, each written `high:low`.
 *
 * @packageDocumentation
 */

import type { CommandReader } from './command-reader';
import type { CommandWriter } from './command-writer';
import type { CommandHead } from './command-session';
import type { UidBatchesCommand } from './command-types';
import { decodeText, type Reader, type WireWriter } from './syntax';
import { LPAREN, RPAREN } from './chars';

/** The smallest batch size a client may ask for; a server answers a smaller one with `NO [TOOFEW]`. */
export const UIDBATCHES_MIN_BATCH_SIZE = 500;

/**
 * The number of messages (batch size times batches asked for, or the whole mailbox) every
 * server handles in one UIDBATCHES command (Cyrus: "the minimum allowed value per the
 * specification"); past its own limit a server answers `NO [TOOMANY]`.
 */
export const UIDBATCHES_MIN_SERVER_LIMIT = 100_000;

/**
 * uidbatches = "UIDBATCHES" SP nz-number [SP nz-number ":" nz-number]: the batch size, then
 * which batches (first to last, counted from the highest UIDs). A reversed range and a batch
 * size below {@link UIDBATCHES_MIN_BATCH_SIZE} are read as sent: they are well-formed, and the
 * server's answer to them carries a response code ({@link uidBatchesRefusal}).
 */
export function readUidBatches(r: CommandReader, h: CommandHead): UidBatchesCommand {
  r.sp();
  const size = r.nzNumberIn('UIDBATCHES batch size');
  let batches: [number, number] | null = null;
  if (r.accept(0x20)) {
    const first = r.nzNumberIn('UIDBATCHES batch range');
    r.expect(0x3a, 'in the batch range');
    batches = [first, r.nzNumberIn('UIDBATCHES batch range')];
  }
  r.end(h.name);
  return { tag: h.tag, command: 'UIDBATCHES', size, batches };
}

/**
 * Writes UIDBATCHES. Throws a RangeError for a batch size below {@link UIDBATCHES_MIN_BATCH_SIZE}
 * (every server refuses it, `NO [TOOFEW]`) or a reversed batch range (`BAD [CLIENTBUG]`).
 */
export function writeUidBatches(w: CommandWriter, c: UidBatchesCommand): void {
  if (typeof c.size === 'number' && Number.isInteger(c.size) && c.size < UIDBATCHES_MIN_BATCH_SIZE) {
    throw new RangeError(`UIDBATCHES batch size must be at least ${UIDBATCHES_MIN_BATCH_SIZE} (a server answers NO [TOOFEW]), not ${c.size}`);
  }
  w.raw('UIDBATCHES ').number(c.size, 'batch size', 1);
  if (c.batches !== null) {
    if (!Array.isArray(c.batches) || c.batches.length !== 2) throw new TypeError('UIDBATCHES batches are [first, last]');
    if (c.batches[1] < c.batches[0]) throw new RangeError(`UIDBATCHES batch range ${c.batches[0]}:${c.batches[1]} is reversed`);
    w.raw(' ').number(c.batches[0], 'batch number', 1).raw(':').number(c.batches[1], 'batch number', 1);
  }
}

/** How a server refuses a UIDBATCHES command: the tagged status, its response code and a text. */
export interface UidBatchesRefusal {
  readonly status: 'NO' | 'BAD';
  readonly code: 'TOOFEW' | 'CLIENTBUG' | 'TOOMANY';
  readonly text: string;
}

/**
 * The answer a server owes a UIDBATCHES command it must refuse, or `null` to go ahead:
 * `NO [TOOFEW]` below the minimum batch size, `BAD [CLIENTBUG]` for a reversed batch range,
 * `NO [TOOMANY]` when the batches asked for (all of them when no range is given: pass the
 * mailbox's message count) cover more than `maxMessages` messages. `maxMessages` may not be set
 * below {@link UIDBATCHES_MIN_SERVER_LIMIT}.
 *
 * @example
 * ```ts
 * const refusal = imap.uidBatchesRefusal(cmd, { messages: 250_000 });
 * if (refusal) session[refusal.status === 'NO' ? 'no' : 'bad'](refusal.text, { name: refusal.code, raw: '' });
 * ```
 */
export function uidBatchesRefusal(c: UidBatchesCommand, limits: { readonly maxMessages?: number; readonly messages?: number } = {}): UidBatchesRefusal | null {
  const max = limits.maxMessages ?? UIDBATCHES_MIN_SERVER_LIMIT;
  if (!(max >= UIDBATCHES_MIN_SERVER_LIMIT)) throw new RangeError(`maxMessages must be at least ${UIDBATCHES_MIN_SERVER_LIMIT}`);
  if (c.size < UIDBATCHES_MIN_BATCH_SIZE) return { status: 'NO', code: 'TOOFEW', text: `Minimum batch size is ${UIDBATCHES_MIN_BATCH_SIZE}` };
  if (c.batches !== null && c.batches[1] < c.batches[0]) return { status: 'BAD', code: 'CLIENTBUG', text: 'Batch ranges go from the lowest to the highest' };
  const asked = c.batches === null ? (limits.messages ?? 0) : (c.batches[1] - c.batches[0] + 1) * c.size;
  if (asked > max) return { status: 'NO', code: 'TOOMANY', text: `At most ${max} messages in one UIDBATCHES command` };
  return null;
}

/** One batch of the response: the UIDs from `high` down to `low` (both included). */
export interface UidBatch {
  readonly high: number;
  readonly low: number;
}

/** The data of a `* UIDBATCHES` response. */
export interface UidBatchesData {
  /** The tag of the UIDBATCHES command it answers. */
  readonly tag: string;
  /** The batches, highest UIDs first; empty when the batches asked for do not exist. */
  readonly ranges: readonly UidBatch[];
}

const MAX_UID = 0xffffffff;

/**
 * uidbatches-response = "UIDBATCHES" SP "(" "TAG" SP tag-string ")" [SP uid-batch *("," uid-batch)]
 * uid-batch = nz-number ":" nz-number (written high:low). Leniencies: a lone UID is read as a
 * one-UID batch (swift-nio-imap writes one), and a batch written low:high is read as the same
 * batch (RFC 9051 ranges mean the same either way).
 */
export function readUidBatchesResponse(r: Reader): UidBatchesData {
  r.spaces();
  r.expect(LPAREN);
  r.spaces();
  if (r.keyword() !== 'TAG') throw r.error('UIDBATCHES response needs its (TAG "...") correlator');
  r.spaces();
  const tag = decodeText(r.astringBytes());
  r.spaces();
  r.expect(RPAREN);
  const ranges: UidBatch[] = [];
  if (r.spaces() && !r.atLineEnd()) {
    do {
      const a = r.nzNumber();
      const b = r.accept(0x3a) ? r.nzNumber() : a;
      if (a > MAX_UID || b > MAX_UID) throw r.error('UIDBATCHES: a UID is at most 4294967295');
      ranges.push(a >= b ? { high: a, low: b } : { high: b, low: a });
    } while (r.accept(0x2c));
  }
  r.spaces();
  if (!r.atLineEnd()) throw r.error('UIDBATCHES response: ranges separated by commas');
  return { tag, ranges };
}

/**
 * Writes the part after "UIDBATCHES". Throws a RangeError unless every batch has
 * `1 <= low <= high <= 4294967295` and the batches go down without overlapping (the order the
 * response has; anything else would be read as other batches).
 */
export function writeUidBatchesResponse(w: WireWriter, d: UidBatchesData): void {
  if (typeof d.tag !== 'string') throw new TypeError('UIDBATCHES response tag must be a string');
  if (!Array.isArray(d.ranges)) throw new TypeError('UIDBATCHES ranges must be an array');
  w.raw(' (TAG ').string(d.tag).raw(')');
  let below = MAX_UID + 1;
  d.ranges.forEach((b: UidBatch, i: number) => {
    const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_UID;
    if (typeof b !== 'object' || b === null || !ok(b.high) || !ok(b.low) || b.low > b.high) throw new RangeError(`UIDBATCHES batch ${i} must be { high, low } with 1 <= low <= high <= 4294967295`);
    if (b.high >= below) throw new RangeError(`UIDBATCHES batch ${i} (${b.high}:${b.low}) must lie below the batch before it`);
    below = b.low;
    w.raw(`${i === 0 ? ' ' : ','}${b.high}:${b.low}`);
  });
}
