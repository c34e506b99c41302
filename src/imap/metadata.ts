/**
 * METADATA response (RFC 5464 4.4): reader and writer.
 *
 * @packageDocumentation
 */

import { readMailbox, writeMailbox, type MailboxReadOptions } from './mailbox';
import { decodeText, readValue, valueText, type Reader, type WireWriter } from './syntax';

/** METADATA data: entries with values (NIL = no value), or entry names only (unsolicited). */
export interface MetadataData {
  readonly mailbox: string;
  readonly entries: readonly { readonly entry: string; readonly value: Uint8Array | null }[] | null;
  readonly names: readonly string[] | null;
}

/**
 * metadata-resp = "METADATA" SP mailbox SP (entry-values / entry-list)
 * entry-values = "(" entry-value *(SP entry-value) ")"; entry-value = entry SP value
 * entry-list = entry *(SP entry); entry = astring; value = nstring / literal8
 */
export function readMetadata(r: Reader, opts: MailboxReadOptions): MetadataData {
  const mailbox = readMailbox(r, opts);
  r.spaces();
  if (r.peek() === 0x28) {
    const entries: { entry: string; value: Uint8Array | null }[] = [];
    r.expect(0x28);
    r.enter();
    r.spaces();
    while (!r.accept(0x29)) {
      if (r.atLineEnd() && !r.atLiteral()) throw r.error('unterminated METADATA list');
      const entry = decodeText(r.astringBytes());
      r.spaces();
      let value: Uint8Array | null;
      if (r.nil()) value = null;
      else if (r.peek() === 0x22 || r.atLiteral()) value = r.stringBytes();
      else value = new TextEncoder().encode(valueText(readValue(r)) ?? '');
      entries.push({ entry, value });
      if (entries.length > r.maxListItems) throw r.error('METADATA list too long', 'TOO_MANY');
      r.spaces();
    }
    r.leave();
    return { mailbox, entries, names: null };
  }
  const names: string[] = [];
  do names.push(decodeText(r.astringBytes()));
  while (r.spaces() && !r.atEnd());
  return { mailbox, entries: null, names };
}

/** Writes `mailbox (entry value ...)` or `mailbox entry entry ...`. */
export function writeMetadata(w: WireWriter, m: MetadataData, utf8: boolean): void {
  writeMailbox(w, m.mailbox, utf8);
  w.raw(' ');
  if (m.entries) {
    w.raw('(');
    m.entries.forEach((e, i) => {
      if (i > 0) w.raw(' ');
      w.astring(e.entry).raw(' ').nstring(e.value);
    });
    w.raw(')');
  } else {
    const names = m.names ?? [];
    if (names.length === 0) throw new TypeError('METADATA needs entries or at least one name');
    names.forEach((n, i) => (i > 0 && w.raw(' '), w.astring(n)));
  }
}
