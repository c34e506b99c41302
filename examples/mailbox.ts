/**
 * The in-memory INBOX behind the example IMAP server: messages with UIDs and flags, and the
 * three things IMAP asks of a store: which messages a set names, their FETCH attributes, and
 * which ones match a SEARCH. Everything here is plain data; the protocol is in imap-server.ts.
 */
import { imap } from 'mailwire';
import type { BodyStructure, FetchAttributes, FetchItem, SearchKey, SequenceSetOrSaved } from 'mailwire/imap';
import { bodyOffset, envelope, headers } from './message';

/** One stored message. */
export interface Message { uid: number; flags: Set<string>; data: Uint8Array; date: Date }

const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');
const internalDate = (d: Date) => `${String(d.getUTCDate()).padStart(2, '0')}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${d.toISOString().slice(11, 19)} +0000`;
const MACROS: Record<string, string[]> = { ALL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'], FAST: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'] };
const latin1 = new TextDecoder('latin1');

/** Header lines (with their folds) whose names are, or with `not` are not, in `fields`; then the blank line. */
function headerFields(header: Uint8Array, fields: readonly string[], not: boolean): Uint8Array {
  const wanted = new Set(fields.map((f) => f.toLowerCase()));
  const lines = latin1.decode(header).split(/\r\n(?![ \t])/).filter((l) => l !== '' && wanted.has(l.slice(0, l.indexOf(':')).trim().toLowerCase()) !== not);
  return Uint8Array.from(`${lines.map((l) => `${l}\r\n`).join('')}\r\n`, (ch) => ch.charCodeAt(0));
}

/**
 * BODYSTRUCTURE of a message, read from its Content-Type and Content-Transfer-Encoding as one
 * part (this example does not split multipart bodies; a multipart message is described as
 * its outer type, which clients show as an attachment-less part).
 */
export function bodyStructure(data: Uint8Array): BodyStructure {
  const h = headers(data);
  const [type = 'TEXT', subtype = 'PLAIN'] = (h.get('content-type') ?? 'text/plain').split(';')[0]!.trim().toUpperCase().split('/');
  const params: Record<string, string> = {};
  for (const m of (h.get('content-type') ?? '').matchAll(/;\s*([\w-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;\s]+)/g)) params[m[1]!.toUpperCase()] = m[2]!.replace(/^"(.*)"$/, '$1');
  if (type === 'TEXT' && !params.CHARSET) params.CHARSET = 'US-ASCII';
  const body = data.subarray(bodyOffset(data));
  let lines = 0;
  for (const b of body) if (b === 10) lines++;
  return { kind: 'single', part: '1', type, subtype, params, id: null, description: null, encoding: (h.get('content-transfer-encoding') ?? '7BIT').toUpperCase(), size: body.length, ...(type === 'TEXT' ? { lines } : {}) };
}

/** A mailbox of messages numbered 1..n (sequence numbers) with growing UIDs. */
export class Mailbox {
  readonly messages: Message[] = [];
  readonly uidValidity = Math.floor(Date.now() / 1000);
  uidNext = 1;

  add(data: Uint8Array, flags: readonly string[] = []): number {
    this.messages.push({ uid: this.uidNext, flags: new Set(flags), data, date: new Date() });
    return this.uidNext++;
  }

  /** The messages a sequence set (or UID set) names, with their sequence numbers. */
  select(set: SequenceSetOrSaved, uid: boolean): [number, Message][] {
    const n = this.messages.length;
    const maxUid = n ? this.messages[n - 1]!.uid : 0;
    return this.messages.map((m, i) => [i + 1, m] as [number, Message]).filter(([seq, m]) => set !== '$' && (uid ? set.contains(m.uid, maxUid) : set.contains(seq, n)));
  }

  /** FETCH attributes of one message; `undefined` when an item is one this example does not serve. */
  fetch(m: Message, items: readonly FetchItem[], uid: boolean, readOnly: boolean): FetchAttributes | undefined {
    const a: { -readonly [K in keyof FetchAttributes]: FetchAttributes[K] } = uid ? { uid: m.uid } : {};
    const sections: NonNullable<FetchAttributes['sections']>[number][] = [];
    const body = bodyOffset(m.data);
    let setSeen = false; // applied at the end, once every item is known to be served
    const seen = () => (setSeen = !readOnly && !m.flags.has('\\Seen'));
    for (const it of items.flatMap((i) => (MACROS[i.item] ?? [i.item]).map((item) => (item === i.item ? i : ({ item }) as FetchItem)))) {
      if (it.item === 'UID') a.uid = m.uid;
      else if (it.item === 'FLAGS') a.flags = [...m.flags];
      else if (it.item === 'INTERNALDATE') a.internalDateText = internalDate(m.date);
      else if (it.item === 'RFC822.SIZE') a.rfc822Size = m.data.length;
      else if (it.item === 'ENVELOPE') a.envelope = envelope(m.data);
      else if (it.item === 'BODYSTRUCTURE' || it.item === 'BODY') a.bodyStructure = bodyStructure(m.data);
      else if (it.item === 'RFC822' || it.item === 'RFC822.HEADER' || it.item === 'RFC822.TEXT') {
        sections.push({ name: it.item, section: '', origin: null, data: it.item === 'RFC822' ? m.data : it.item === 'RFC822.HEADER' ? m.data.subarray(0, body) : m.data.subarray(body) });
        if (it.item !== 'RFC822.HEADER') seen();
      } else if (it.item === 'BODY[]' && it.section.part.length === 0) {
        const { text, fields } = it.section;
        let data = text === null ? m.data : text === 'TEXT' ? m.data.subarray(body) : m.data.subarray(0, body);
        if (text === 'HEADER.FIELDS' || text === 'HEADER.FIELDS.NOT') data = headerFields(data, fields, text === 'HEADER.FIELDS.NOT');
        if (it.partial) data = data.subarray(it.partial.offset, it.partial.offset + it.partial.length);
        const section = imap.formatFetchSection(it.section);
        sections.push({ name: `BODY[${section}]${it.partial ? `<${it.partial.offset}>` : ''}`, section, origin: it.partial?.offset ?? null, data });
        if (!it.peek) seen();
      } else return undefined;
    }
    // A fetch that sets \Seen reports the new flags too (RFC 3501 6.4.5), even unasked.
    if (setSeen) m.flags.add('\\Seen'), (a.flags = [...m.flags]);
    return { ...a, sections };
  }

  /** Does message `m` (number `seq`) match a search key? Throws for keys this example does not know. */
  matches(m: Message, seq: number, k: SearchKey): boolean {
    const flag = (name: string) => m.flags.has(`\\${name[0]}${name.slice(1).toLowerCase()}`);
    switch (k.key) {
      case 'ALL': return true;
      case 'SEEN': case 'DELETED': case 'FLAGGED': case 'ANSWERED': case 'DRAFT': return flag(k.key);
      case 'UNSEEN': case 'UNDELETED': case 'UNFLAGGED': case 'UNANSWERED': case 'UNDRAFT': return !flag(k.key.slice(2));
      case 'NEW': case 'RECENT': case 'OLD': return k.key === 'OLD'; // nothing is \Recent here
      case 'SEQUENCE': case 'UID': return this.select(k.set, k.key === 'UID').some(([s]) => s === seq);
      case 'NOT': return !this.matches(m, seq, k.criterion);
      case 'AND': return k.criteria.every((x) => this.matches(m, seq, x));
      case 'OR': return this.matches(m, seq, k.left) || this.matches(m, seq, k.right);
      // Header searches: a case-insensitive substring of the (unfolded) field, RFC 3501 6.4.4.
      case 'HEADER': case 'FROM': case 'TO': case 'CC': case 'BCC': case 'SUBJECT': {
        const field = (k.key === 'HEADER' ? k.field : k.key).toLowerCase();
        const value = headers(m.data).get(field);
        return value !== undefined && value.toLowerCase().includes(k.value.toLowerCase());
      }
      default: throw new Error(`SEARCH ${k.key} is not supported by this example`);
    }
  }

  /** Removes the \Deleted messages; returns their sequence numbers, highest first (each valid when reported). */
  expunge(): number[] {
    const gone: number[] = [];
    for (let i = this.messages.length - 1; i >= 0; i--) {
      if (this.messages[i]!.flags.has('\\Deleted')) gone.push(i + 1), this.messages.splice(i, 1);
    }
    return gone;
  }
}
