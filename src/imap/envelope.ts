/**
 * ENVELOPE (RFC 9051 7.5.2, RFC 3501 7.4.2): the reader and writer of the lossless structure,
 * and a helper that resolves addresses and groups into `{ name, address }`.
 *
 * @packageDocumentation
 */

import { decodeEncodedWords } from './encoded-words';
import { LENIENT_ATOM, decodeText, type Reader, type ReaderMark, type WireWriter } from './syntax';
import type { Address, Envelope, RawStrings } from './types';
import { BACKSLASH, DQUOTE, LPAREN, RPAREN, SP } from './chars';


/** What a streamed literal inside an ENVELOPE belongs to: the field name, set while it is read. */
export interface EnvelopeLabel {
  field: string | null;
}

/** A field missing before ")" reads as NIL (short addresses from real servers). */
function field(r: Reader): string | null {
  r.spaces();
  if (r.peek() === RPAREN) {
    r.invalid = null;
    return null;
  }
  return r.nstringText();
}

/**
 * address = "(" addr-name SP addr-adl SP addr-mailbox SP addr-host ")"
 * addr-name = nstring; addr-adl = nstring; addr-mailbox = nstring; addr-host = nstring
 */
export function readAddress(r: Reader): Address {
  r.expect(LPAREN);
  let raw: Record<string, Uint8Array> | null = null;
  const name = field(r);
  if (r.invalid) (raw ??= {}).name = r.invalid;
  const adl = field(r);
  if (r.invalid) (raw ??= {}).adl = r.invalid;
  const mailbox = field(r);
  if (r.invalid) (raw ??= {}).mailbox = r.invalid;
  const host = field(r);
  if (r.invalid) (raw ??= {}).host = r.invalid;
  r.spaces();
  r.expect(RPAREN);
  return raw === null ? { name, adl, mailbox, host } : { name, adl, mailbox, host, raw };
}

/**
 * env-from = "(" 1*address ")" / nil (and env-sender, env-reply-to, env-to, env-cc, env-bcc).
 * Lenient: a NIL where an address belongs carries nothing and is skipped (MailKit issue 991,
 * node-imap issue 565: `(NIL ("name" NIL "box" "host"))`); `()` reads as an empty list.
 */
export function readAddressList(r: Reader): Address[] | null {
  if (r.nil()) return null;
  r.expect(LPAREN);
  r.enter();
  const out: Address[] = [];
  r.spaces();
  while (!r.accept(RPAREN)) {
    if (r.nil()) {
      // skipped, see above
    } else out.push(readAddress(r));
    if (out.length > r.maxListItems) throw r.error(`address list longer than ${r.maxListItems}`, 'TOO_MANY');
    r.spaces();
    if (r.atLineEnd() && !r.atLiteral()) throw r.error('unterminated address list');
  }
  r.leave();
  return out;
}

/**
 * envelope = "(" env-date SP env-subject SP env-from SP env-sender SP env-reply-to SP env-to
 *            SP env-cc SP env-bcc SP env-in-reply-to SP env-message-id ")"
 * env-date = nstring; env-subject = nstring; env-in-reply-to = nstring; env-message-id = nstring
 *
 * Lenient: missing trailing fields read as NIL. `label.field` says which field is being read
 * (for streamed literals).
 */
export function readEnvelope(r: Reader, label?: EnvelopeLabel): Envelope {
  r.expect(LPAREN);
  r.enter();
  let raw: Record<string, Uint8Array> | null = null;
  if (label) label.field = 'date';
  const date = field(r);
  if (r.invalid) (raw ??= {}).date = r.invalid;
  if (label) label.field = 'subject';
  const subject = field(r);
  if (r.invalid) (raw ??= {}).subject = r.invalid;
  const from = envelopeList(r, label, 'from');
  const sender = envelopeList(r, label, 'sender');
  const replyTo = envelopeList(r, label, 'replyTo');
  const to = envelopeList(r, label, 'to');
  const cc = envelopeList(r, label, 'cc');
  const bcc = envelopeList(r, label, 'bcc');
  if (label) label.field = 'inReplyTo';
  const inReplyTo = field(r);
  if (r.invalid) (raw ??= {}).inReplyTo = r.invalid;
  if (label) label.field = 'messageId';
  const messageId = field(r);
  if (r.invalid) (raw ??= {}).messageId = r.invalid;
  if (label) label.field = null;
  r.spaces();
  r.expect(RPAREN);
  r.leave();
  return raw === null ? { date, subject, from, sender, replyTo, to, cc, bcc, inReplyTo, messageId } : { date, subject, from, sender, replyTo, to, cc, bcc, inReplyTo, messageId, raw };
}

/** One address list field of an envelope; missing before ")" reads as NIL. */
function envelopeList(r: Reader, label: EnvelopeLabel | undefined, name: string): Address[] | null {
  r.spaces();
  if (label) label.field = name;
  return r.peek() === RPAREN ? null : readAddressList(r);
}

// ---------------------------------------------------------------------------------------------
// Lazy ENVELOPE (`lazy: true`)

/**
 * Moves past one nstring field of an ENVELOPE or an address as {@link field} would read it
 * (missing before ")" is NIL), building nothing: same errors, same leniencies.
 */
function skipField(r: Reader): void {
  // The common shapes straight on the line: a quoted string without escapes, NIL, ")"; the
  // rest (escapes, unescaped quotes, literals, errors) through the reader's own methods.
  const l = r.line;
  const n = l.length;
  let p = r.pos;
  while (p < n && l[p] === SP) p++;
  r.pos = p;
  if (p >= n) throw r.unexpected('a string');
  const c = l[p]!;
  if (c === DQUOTE) {
    let q = p + 1;
    while (q < n) {
      const d = l[q]!;
      if (d === DQUOTE || d === BACKSLASH) break;
      q++;
    }
    if (q < n && l[q] === DQUOTE && r.closes(q)) r.pos = q + 1;
    else r.skipQuoted();
    return;
  }
  if (c === RPAREN) return;
  if ((c | 0x20) === 0x6e && p + 2 < n && (l[p + 1]! | 0x20) === 0x69 && (l[p + 2]! | 0x20) === 0x6c && (p + 3 >= n || LENIENT_ATOM[l[p + 3]!] !== 1)) {
    r.pos = p + 3;
    return;
  }
  if (!r.atLiteral()) throw r.unexpected('a string');
  r.literal();
}

/** Moves past an `address` as {@link readAddress} reads it. */
function skipAddress(r: Reader): void {
  r.expect(LPAREN);
  skipField(r);
  skipField(r);
  skipField(r);
  skipField(r);
  r.spaces();
  r.expect(RPAREN);
}

/** Moves past one address list field as {@link envelopeList} reads it (the same leniencies and limits). */
function skipAddressList(r: Reader): void {
  r.spaces();
  if (r.peek() === RPAREN || r.nil()) return;
  r.expect(LPAREN);
  r.enter();
  let n = 0;
  r.spaces();
  while (!r.accept(RPAREN)) {
    if (!r.nil()) {
      skipAddress(r);
      n++;
    }
    if (n > r.maxListItems) throw r.error(`address list longer than ${r.maxListItems}`, 'TOO_MANY');
    r.spaces();
    if (r.atLineEnd() && !r.atLiteral()) throw r.error('unterminated address list');
  }
  r.leave();
}

/** Whether `NIL` (any case) stands at `p` of `l`, not as the start of a longer atom (as {@link Reader.nil}). */
function nilAt(l: Uint8Array, p: number, n: number): boolean {
  return p + 2 < n && (l[p]! | 0x20) === 0x6e && (l[p + 1]! | 0x20) === 0x69 && (l[p + 2]! | 0x20) === 0x6c && (p + 3 >= n || LENIENT_ATOM[l[p + 3]!] !== 1);
}

/**
 * The end of the quoted string that starts at `p` (a DQUOTE) and closes on this line, past its
 * closing DQUOTE, stepping over escapes as {@link Reader.skipQuoted} does; -1 when it does not
 * close on this line (left to the reader's own methods, which report it).
 */
function quotedEnd(r: Reader, l: Uint8Array, p: number, n: number): number {
  let q = p + 1;
  while (q < n) {
    const d = l[q]!;
    if (d === DQUOTE) {
      if (r.closes(q)) return q + 1;
    } else if (d === BACKSLASH) q++;
    q++;
  }
  return -1;
}

/**
 * The common envelope in one loop over the line with a local position: fields that are quoted
 * strings, NIL, or address lists of such addresses, all on one line, within the reader's
 * limits. Returns the start of each of the ten fields and leaves the reader past the closing
 * ")", or returns null having moved nothing: the caller then takes the general path (the same
 * grammar through the reader's methods), which also reports the errors.
 */
function scanPlainEnvelope(r: Reader): number[] | null {
  const l = r.line;
  const n = l.length;
  // an address list enters one level deeper than the envelope
  if (r.depth + 1 > r.maxDepth) return null;
  const at = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  let p = r.pos;
  for (let i = 0; i < 10; i++) {
    at[i] = p;
    while (p < n && l[p] === SP) p++;
    if (p >= n) return null;
    const c = l[p]!;
    if (c === RPAREN) continue; // missing before ")": NIL, and so are the fields after it
    if (c === DQUOTE) {
      if ((i > 1 && i < 8) || (p = quotedEnd(r, l, p, n)) < 0) return null;
      continue;
    }
    if (nilAt(l, p, n)) {
      p += 3;
      continue;
    }
    if (c !== LPAREN || i < 2 || i > 7) return null;
    p++;
    let count = 0;
    for (;;) {
      while (p < n && l[p] === SP) p++;
      if (p >= n) return null;
      if (l[p] === RPAREN) {
        p++;
        break;
      }
      if (nilAt(l, p, n)) {
        p += 3;
        continue;
      }
      if (l[p] !== LPAREN) return null;
      p++;
      for (let k = 0; k < 4; k++) {
        while (p < n && l[p] === SP) p++;
        if (p >= n) return null;
        const d = l[p]!;
        if (d === RPAREN) continue;
        if (d === DQUOTE) {
          if ((p = quotedEnd(r, l, p, n)) < 0) return null;
        } else if (nilAt(l, p, n)) p += 3;
        else return null;
      }
      while (p < n && l[p] === SP) p++;
      if (p >= n || l[p] !== RPAREN) return null;
      p++;
      if (++count > r.maxListItems) return null;
    }
  }
  while (p < n && l[p] === SP) p++;
  if (p >= n || l[p] !== RPAREN) return null;
  r.pos = p + 1;
  return at;
}

/** The reader's position: a number while on line `line`, a mark once a literal moved it on. */
function here(r: Reader, line: number): number | ReaderMark {
  return r.lineIndex === line ? r.pos : r.save();
}

/** A field not decoded yet (every decoded field is a string, an array or null). */
const UNREAD = undefined;

/**
 * An ENVELOPE read with `lazy: true` (see {@link LazyFetchAttributes}): while the response was
 * read, the envelope was checked against the grammar in one pass that builds nothing (exactly
 * what {@link readEnvelope} accepts) and the start of each of its ten fields was recorded; a
 * field is decoded on first access, by the same code as an eager read, and kept. A message list
 * reads date, subject and from and never pays for the other seven. The fields are getters on
 * this class, so `Object.keys` and spread do not list them: {@link LazyEnvelope.toJSON} gives
 * the plain {@link Envelope} (what `JSON.stringify` sees).
 */
export class LazyEnvelope implements Envelope {
  /** The reader at the envelope's first field (restored, then moved to a field, before it is read). */
  private readonly start: ReaderMark;
  /** Where each field starts: a position on the first line, or a mark after a literal. */
  private readonly at: readonly (number | ReaderMark)[];
  private d: string | null | undefined = UNREAD;
  private s: string | null | undefined = UNREAD;
  private f: readonly Address[] | null | undefined = UNREAD;
  private se: readonly Address[] | null | undefined = UNREAD;
  private rt: readonly Address[] | null | undefined = UNREAD;
  private t: readonly Address[] | null | undefined = UNREAD;
  private c: readonly Address[] | null | undefined = UNREAD;
  private b: readonly Address[] | null | undefined = UNREAD;
  private ir: string | null | undefined = UNREAD;
  private m: string | null | undefined = UNREAD;
  /** Octets of string fields that were not UTF-8, by field, as they are decoded. */
  private invalid: Record<string, Uint8Array> | null = null;
  private rawStrings: RawStrings | undefined | null = null;

  /**
   * Checks the envelope at the reader's position ("(" next) and moves past it; throws what
   * {@link readEnvelope} would throw for the same bytes (the reader is then somewhere inside).
   */
  constructor(private readonly r: Reader) {
    r.expect(LPAREN);
    r.enter();
    this.start = r.save();
    const plain = scanPlainEnvelope(r);
    if (plain !== null) {
      r.leave();
      this.at = plain;
      return;
    }
    // Unrolled into one array literal: one allocation of the exact size.
    const line = this.start.lineIndex;
    const p0 = here(r, line);
    skipField(r);
    const p1 = here(r, line);
    skipField(r);
    const p2 = here(r, line);
    skipAddressList(r);
    const p3 = here(r, line);
    skipAddressList(r);
    const p4 = here(r, line);
    skipAddressList(r);
    const p5 = here(r, line);
    skipAddressList(r);
    const p6 = here(r, line);
    skipAddressList(r);
    const p7 = here(r, line);
    skipAddressList(r);
    const p8 = here(r, line);
    skipField(r);
    const p9 = here(r, line);
    skipField(r);
    this.at = [p0, p1, p2, p3, p4, p5, p6, p7, p8, p9];
    r.spaces();
    r.expect(RPAREN);
    r.leave();
  }

  /** Puts the reader at field `i`. */
  private seek(i: number): Reader {
    const r = this.r;
    const at = this.at[i]!;
    if (typeof at === 'number') {
      r.restore(this.start);
      r.pos = at;
    } else r.restore(at);
    return r;
  }

  /** Decodes string field `i`, keeping its octets when they are not UTF-8. */
  private text(i: number, key: string): string | null {
    const r = this.seek(i);
    const v = field(r);
    if (r.invalid) (this.invalid ??= {})[key] = r.invalid;
    return v;
  }

  private list(i: number): readonly Address[] | null {
    return envelopeList(this.seek(i), undefined, '');
  }

  /** env-date, decoded on first access. */
  get date(): string | null {
    return this.d === UNREAD ? (this.d = this.text(0, 'date')) : this.d;
  }

  /** env-subject, decoded on first access. */
  get subject(): string | null {
    return this.s === UNREAD ? (this.s = this.text(1, 'subject')) : this.s;
  }

  /** env-from, decoded on first access. */
  get from(): readonly Address[] | null {
    return this.f === UNREAD ? (this.f = this.list(2)) : this.f;
  }

  /** env-sender, decoded on first access. */
  get sender(): readonly Address[] | null {
    return this.se === UNREAD ? (this.se = this.list(3)) : this.se;
  }

  /** env-reply-to, decoded on first access. */
  get replyTo(): readonly Address[] | null {
    return this.rt === UNREAD ? (this.rt = this.list(4)) : this.rt;
  }

  /** env-to, decoded on first access. */
  get to(): readonly Address[] | null {
    return this.t === UNREAD ? (this.t = this.list(5)) : this.t;
  }

  /** env-cc, decoded on first access. */
  get cc(): readonly Address[] | null {
    return this.c === UNREAD ? (this.c = this.list(6)) : this.c;
  }

  /** env-bcc, decoded on first access. */
  get bcc(): readonly Address[] | null {
    return this.b === UNREAD ? (this.b = this.list(7)) : this.b;
  }

  /** env-in-reply-to, decoded on first access. */
  get inReplyTo(): string | null {
    return this.ir === UNREAD ? (this.ir = this.text(8, 'inReplyTo')) : this.ir;
  }

  /** env-message-id, decoded on first access. */
  get messageId(): string | null {
    return this.m === UNREAD ? (this.m = this.text(9, 'messageId')) : this.m;
  }

  /** As {@link Envelope.raw}: decodes the four string fields (in the eager order) to know. */
  get raw(): RawStrings | undefined {
    if (this.rawStrings !== null) return this.rawStrings;
    void this.date, void this.subject, void this.inReplyTo, void this.messageId;
    const inv = this.invalid;
    if (inv === null) return (this.rawStrings = undefined);
    const out: Record<string, Uint8Array> = {};
    for (const k of ['date', 'subject', 'inReplyTo', 'messageId']) if (inv[k] !== undefined) out[k] = inv[k];
    return (this.rawStrings = out);
  }

  /** The plain {@link Envelope}, every field decoded: the value an eager read gives. */
  toJSON(): Envelope {
    const { date, subject, from, sender, replyTo, to, cc, bcc, inReplyTo, messageId, raw } = this;
    return raw === undefined ? { date, subject, from, sender, replyTo, to, cc, bcc, inReplyTo, messageId } : { date, subject, from, sender, replyTo, to, cc, bcc, inReplyTo, messageId, raw };
  }
}

/** An nstring field written back: its raw octets when it was read from non-UTF-8 ones and the text is unchanged. */
function writeField(w: WireWriter, text: string | null, raw: Readonly<Record<string, Uint8Array>> | undefined, key: string): void {
  if (text === null) {
    w.raw('NIL');
    return;
  }
  const bytes = raw?.[key];
  if (bytes !== undefined && decodeText(bytes) === text) w.string(bytes);
  else w.string(text);
}

/** Writes an `address`. */
export function writeAddress(w: WireWriter, a: Address): void {
  w.raw('(');
  writeField(w, a.name, a.raw, 'name');
  w.raw(' ');
  writeField(w, a.adl, a.raw, 'adl');
  w.raw(' ');
  writeField(w, a.mailbox, a.raw, 'mailbox');
  w.raw(' ');
  writeField(w, a.host, a.raw, 'host');
  w.raw(')');
}

function writeAddressList(w: WireWriter, list: readonly Address[] | null): void {
  if (list === null) {
    w.raw('NIL');
    return;
  }
  // An empty list has no wire form of its own ("(" 1*address ")"): `()` is read back as [].
  w.raw('(');
  for (const a of list) writeAddress(w, a);
  w.raw(')');
}

/** Writes an `envelope`. */
export function writeEnvelope(w: WireWriter, e: Envelope): void {
  w.raw('(');
  writeField(w, e.date, e.raw, 'date');
  w.raw(' ');
  writeField(w, e.subject, e.raw, 'subject');
  for (const l of [e.from, e.sender, e.replyTo, e.to, e.cc, e.bcc]) {
    w.raw(' ');
    writeAddressList(w, l);
  }
  w.raw(' ');
  writeField(w, e.inReplyTo, e.raw, 'inReplyTo');
  w.raw(' ');
  writeField(w, e.messageId, e.raw, 'messageId');
  w.raw(')');
}

/** A resolved address: display name and `mailbox@host`; a group has `group` and its members. */
export type ResolvedAddress =
  | { readonly name: string | null; readonly address: string }
  | { readonly group: string; readonly members: readonly { readonly name: string | null; readonly address: string }[] };

/**
 * Resolves an address list: joins mailbox and host, decodes RFC 2047 encoded words in display
 * names, and folds RFC 3501 group syntax (a start marker with NIL host, members, an end marker
 * with NIL mailbox) into groups.
 */
export function resolveAddresses(list: readonly Address[] | null): ResolvedAddress[] {
  const out: ResolvedAddress[] = [];
  let group: { group: string; members: { name: string | null; address: string }[] } | null = null;
  for (const a of list ?? []) {
    if (a.host === null) {
      if (a.mailbox === null) {
        if (group) out.push(group);
        group = null;
      } else group = { group: a.mailbox, members: [] };
      continue;
    }
    const entry = { name: a.name === null ? null : decodeEncodedWords(a.name), address: a.mailbox === null ? a.host : `${a.mailbox}@${a.host}` };
    if (group) group.members.push(entry);
    else out.push(entry);
  }
  if (group) out.push(group);
  return out;
}
