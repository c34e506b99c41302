/**
 * UIDBATCHES (RFC 10022): ask for UID ranges that cut the mailbox into batches of a given
 * size, for clients that work by UID only (RFC 9586 UIDONLY).
 *
 * @packageDocumentation
 */

import type { CommandReader } from './command-reader';
import type { CommandWriter } from './command-writer';
import type { CommandHead } from './command-session';
import type { UidBatchesCommand } from './command-types';

/** uidbatches = "UIDBATCHES" SP nz-number [SP nz-number ":" nz-number]: the batch size, then which batches. */
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

/** Writes UIDBATCHES. */
export function writeUidBatches(w: CommandWriter, c: UidBatchesCommand): void {
  w.raw('UIDBATCHES ').number(c.size, 'batch size', 1);
  if (c.batches !== null) {
    if (!Array.isArray(c.batches) || c.batches.length !== 2) throw new TypeError('UIDBATCHES batches are [first, last]');
    w.raw(' ').number(c.batches[0], 'batch number', 1).raw(':').number(c.batches[1], 'batch number', 1);
  }
}
