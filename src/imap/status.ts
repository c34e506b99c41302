/**
 * STATUS response (RFC 9051 7.3.4, RFC 3501 7.2.4, RFC 7162 HIGHESTMODSEQ, RFC 8474 MAILBOXID,
 * RFC 7889 APPENDLIMIT, RFC 8438 SIZE): reader and writer.
 *
 * @packageDocumentation
 */

import { readMailbox, writeMailbox, type MailboxReadOptions } from './mailbox';
import { ATOM_CHAR, LENIENT_ATOM, decodeText, readValue, valueText, type Reader, type WireWriter } from './syntax';

/** One STATUS attribute value: a number, a 63-bit HIGHESTMODSEQ, an object id or other text, or NIL. */
export type StatusValue = number | bigint | string | null;

/** STATUS data. */
export interface StatusData {
  readonly mailbox: string;
  readonly attributes: Readonly<Record<string, StatusValue>>;
}

/**
 * status-att-list = status-att-val *(SP status-att-val)
 * status-att-val = ("MESSAGES" SP number) / ("UIDNEXT" SP nz-number) / ("UIDVALIDITY" SP nz-number) /
 *     ("UNSEEN" SP number) / ("DELETED" SP number) / ("SIZE" SP number64) /
 *     ("HIGHESTMODSEQ" SP mod-sequence-valzer) / ("MAILBOXID" SP "(" objectid ")") /
 *     ("APPENDLIMIT" SP (number / nil))
 *
 * `* STATUS "INBOX" (APPENDLIMIT NIL)` (RFC 7889: no limit) reads as null. Unknown attributes
 * keep their number, or their text.
 */
export function readStatusAttList(r: Reader): Record<string, StatusValue> {
  const attributes: Record<string, StatusValue> = {};
  r.expect(0x28);
  r.enter();
  r.spaces();
  let n = 0;
  while (!r.accept(0x29)) {
    if (r.atLineEnd()) throw r.error('unterminated STATUS list');
    const key = r.keyword(LENIENT_ATOM);
    r.spaces();
    if (r.peek() === 0x29) break;
    if (key === 'HIGHESTMODSEQ' && r.atDigit()) attributes[key] = r.number64();
    else if (key === 'MAILBOXID' && r.peek() === 0x28) attributes[key] = r.list((x) => x.astring())[0] ?? '';
    else if (r.nil()) attributes[key] = null;
    else if (r.atDigit()) {
      const start = r.pos;
      r.run(LENIENT_ATOM);
      const t = decodeText(r.slice(start));
      attributes[key] = /^\d{1,15}$/.test(t) ? Number(t) : /^\d{16,20}$/.test(t) ? BigInt(t) : t;
    } else attributes[key] = valueText(readValue(r)) ?? '';
    if (++n > r.maxListItems) throw r.error('STATUS list too long', 'TOO_MANY');
    r.spaces();
  }
  r.leave();
  return attributes;
}

/** mailbox-data =/ "STATUS" SP mailbox SP "(" [status-att-list] ")" (the part after "STATUS"). */
export function readStatus(r: Reader, opts: MailboxReadOptions): StatusData {
  const mailbox = readMailbox(r, opts);
  r.spaces();
  return { mailbox, attributes: r.peek() === 0x28 ? readStatusAttList(r) : {} };
}

/** Writes `mailbox (k v ...)`; throws for names and values that would not read back. */
export function writeStatus(w: WireWriter, s: StatusData, utf8: boolean): void {
  writeMailbox(w, s.mailbox, utf8);
  w.raw(' (');
  Object.entries(s.attributes).forEach(([k, v], i) => {
    if (!/^[A-Z0-9-]+$/i.test(k)) throw new TypeError(`bad STATUS attribute name ${JSON.stringify(k)}`);
    w.raw(`${i > 0 ? ' ' : ''}${k} `);
    if (v === null) w.raw('NIL');
    else if (k === 'MAILBOXID') {
      if (typeof v !== 'string' || !/^[A-Za-z0-9_-]{1,255}$/.test(v)) throw new TypeError(`bad object id ${JSON.stringify(v)}`);
      w.raw(`(${v})`);
    } else if (typeof v === 'string') {
      if (/^\d+$/.test(v)) throw new TypeError(`STATUS ${k}: a digit string would read back as a number`);
      w.string(v, ATOM_CHAR);
    } else w.number(v);
  });
  w.raw(')');
}
