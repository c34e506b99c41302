/**
 * FETCH response data (RFC 9051 7.5.2, RFC 3501 7.4.2 and extensions: CONDSTORE MODSEQ,
 * BINARY, OBJECTID, SAVEDATE, PREVIEW, Gmail X-GM-*): `msg-att`, read straight from the bytes
 * into {@link FetchAttributes}, and written back.
 *
 * @packageDocumentation
 */

import { readBody, writeBody } from './body';
import { LazyEnvelope, readEnvelope, writeEnvelope, type EnvelopeLabel } from './envelope';
import { readMailbox, readFlag, writeFlags, writeMailbox, type MailboxReadOptions } from './mailbox';
import { decodeText, readValue, valueText, writeValue, type Reader, type ReaderMark, type StreamedLiteral, type Value, type WireWriter } from './syntax';
import type { BodySection, BodyStructure, Envelope, FetchAttributes } from './types';
import { DQUOTE, GT, LBRACKET, LPAREN, LT, RBRACKET, RPAREN } from './chars';


/** Attribute names: atom characters up to "[" (a section follows) — "]" and "[" end the name. */
const ATT_NAME: Uint8Array = /* @__PURE__ */ (() => {
  const t = new Uint8Array(256);
  for (let c = 0x21; c < 0x7f; c++) if (!'(){"[]'.includes(String.fromCharCode(c))) t[c] = 1;
  return t;
})();

/** What the reader is inside of, for labelling streamed literals: the FETCH item name and the ENVELOPE field. */
export interface FetchLabel extends EnvelopeLabel {
  /** The FETCH item being read, e.g. `BODY[HEADER.FIELDS (A B)]` or `ENVELOPE`. */
  item: string | null;
  /** The FETCH message number (or UID of a UIDFETCH). */
  seq: number | null;
}

/** Options of {@link readMsgAtt}. */
export interface MsgAttReadOptions extends MailboxReadOptions {
  /**
   * Decode ENVELOPE and BODYSTRUCTURE (and BODY without a section) on first access instead of
   * while reading: a BODYSTRUCTURE is skipped over (its lists, strings and literals checked for
   * balance), an ENVELOPE checked and its fields located, and the attributes are a
   * {@link LazyFetchAttributes}, whose `bodyStructure` getter reads it on first access and whose
   * `envelope` is a {@link LazyEnvelope} that decodes each field on first access. Same values when read; the trade-offs are
   * in docs/imap.md ("Lazy FETCH items"). Default false.
   */
  readonly lazy?: boolean;
}

/** Where a {@link LazyFetchAttributes} keeps its ENVELOPE: a {@link LazyEnvelope} (or a value assigned). */
const LAZY_ENVELOPE: unique symbol = Symbol('mailwire lazy ENVELOPE');
/** Where a {@link LazyFetchAttributes} keeps its BODYSTRUCTURE, likewise. */
const LAZY_BODY: unique symbol = Symbol('mailwire lazy BODYSTRUCTURE');

/**
 * A deferred item: the reader of its response (no longer used by anything else once the
 * response is read) and the item's position, to restore when it is decoded. One object per
 * item; a reader of its own per item cost three.
 */
class Pending implements ReaderMark {
  readonly lineIndex: number;
  readonly pos: number;
  readonly lineBase: number;
  readonly depth: number;
  constructor(
    readonly reader: Reader,
    mark: ReaderMark,
  ) {
    this.lineIndex = mark.lineIndex;
    this.pos = mark.pos;
    this.lineBase = mark.lineBase;
    this.depth = mark.depth;
  }
}

/** Reads a pending lazy value; a value that is balanced but does not match the grammar reads as undefined. */
function settle<T>(v: Pending, read: (r: Reader) => T): T | undefined {
  try {
    v.reader.restore(v);
    return read(v.reader);
  } catch {
    return undefined;
  }
}

/**
 * FETCH attributes read with `lazy: true` ({@link MsgAttReadOptions}): every attribute is an own
 * property as in an eager read, except `envelope` and `bodyStructure`, which are getters on this
 * class: the BODYSTRUCTURE was only skipped over while reading, and is decoded on first access
 * (then kept); the ENVELOPE is a {@link LazyEnvelope}, decoded field by field. Getters on the prototype cost nothing per response; an own accessor per object cost
 * V8 microseconds each. Because they are not own properties, `Object.keys`, spread and
 * `structuredClone` do not list them; `JSON.stringify` does (see {@link LazyFetchAttributes.toJSON}).
 * Trade-offs (input retention, errors): docs/imap.md, "Lazy FETCH items".
 */
export class LazyFetchAttributes implements FetchAttributes {
  private [LAZY_ENVELOPE]: Envelope | undefined = undefined;
  private [LAZY_BODY]: Pending | BodyStructure | undefined = undefined;

  /**
   * ENVELOPE: a {@link LazyEnvelope} whose fields are decoded one by one on first access;
   * undefined when none was sent (or it did not match the grammar).
   */
  get envelope(): Envelope | undefined {
    return this[LAZY_ENVELOPE];
  }

  set envelope(value: Envelope | undefined) {
    this[LAZY_ENVELOPE] = value;
  }

  /** BODYSTRUCTURE (or BODY), decoded on first access; undefined when none was sent (or it did not match the grammar). */
  get bodyStructure(): BodyStructure | undefined {
    const v = this[LAZY_BODY];
    if (!(v instanceof Pending)) return v;
    return (this[LAZY_BODY] = settle(v, readBodyTop));
  }

  set bodyStructure(value: BodyStructure | undefined) {
    this[LAZY_BODY] = value;
  }

  /** Defers the BODYSTRUCTURE at the reader's position and moves the reader past it. */
  defer(r: Reader): void {
    const later = new Pending(r, r.save());
    r.skipBalanced();
    this[LAZY_BODY] = later;
  }

  /**
   * Reads the ENVELOPE at the reader's position as a {@link LazyEnvelope} (checked, fields
   * located, nothing decoded). One that does not match the grammar but is balanced reads as
   * undefined, as before; unbalanced input throws from the skip.
   */
  deferEnvelope(r: Reader): void {
    const start = r.save();
    try {
      this[LAZY_ENVELOPE] = new LazyEnvelope(r);
    } catch {
      r.restore(start);
      r.skipBalanced();
      this[LAZY_ENVELOPE] = undefined;
    }
  }

  /** A plain {@link FetchAttributes} with `envelope` and `bodyStructure` decoded (what `JSON.stringify` sees). */
  toJSON(): FetchAttributes {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(this)) out[k] = (this as unknown as Record<string, unknown>)[k];
    const envelope = this.envelope;
    const bodyStructure = this.bodyStructure;
    if (envelope !== undefined) out.envelope = envelope instanceof LazyEnvelope ? envelope.toJSON() : envelope;
    if (bodyStructure !== undefined) out.bodyStructure = bodyStructure;
    return out as FetchAttributes;
  }
}

const readBodyTop = (r: Reader): BodyStructure => readBody(r);

/** Reads the value of a body section: nstring (lenient: an atom or number stands for its text). */
function sectionData(r: Reader): Uint8Array | StreamedLiteral | null {
  const c = r.peek();
  // Yandex answers `BODY[2] )` with no value at all: the section is NIL (named leniency
  // "section without a value").
  if (c === RPAREN || c < 0) return null;
  if (r.nil()) return null;
  if (c === DQUOTE || r.atLiteral()) return r.string();
  const v = readValue(r);
  return new TextEncoder().encode(valueText(v) ?? '');
}

/**
 * section = "[" [section-spec] "]", section-binary = "[" [section-part] "]": the text inside
 * the brackets, read forward to the "]" that closes it (the header list of
 * `HEADER.FIELDS (A B)` may hold spaces; its parentheses are counted). Returns the text.
 */
function readSectionText(r: Reader): string {
  r.expect(LBRACKET);
  const l = r.line;
  const start = r.pos;
  let p = start;
  let depth = 0;
  for (; p < l.length; p++) {
    const c = l[p]!;
    if (c === RBRACKET && depth === 0) break;
    if (c === DQUOTE) {
      // a quoted header name inside the list
      p++;
      while (p < l.length && l[p] !== DQUOTE) p += l[p] === 0x5c ? 2 : 1;
    } else if (c === LPAREN) depth++;
    else if (c === RPAREN) depth--;
  }
  if (p >= l.length) {
    r.pos = l.length;
    throw r.error('unterminated section');
  }
  r.pos = p + 1;
  let s = '';
  for (let i = start; i < p; i++) {
    const c = l[i]!;
    s += String.fromCharCode(c >= 0x61 && c <= 0x7a ? c - 0x20 : c);
  }
  return s;
}

/** `<` number `>` after a section: the origin of a partial fetch. */
function readOrigin(r: Reader): number | null {
  if (!r.accept(LT)) return null;
  const n = r.number();
  r.expect(GT);
  return n;
}

/** A number where one belongs; lenient: anything else reads as 0 (kept as the old reader did). */
function looseNumber(r: Reader): number {
  if (r.atDigit()) return r.number();
  readValue(r);
  return 0;
}

/** A bigint: `n` or `(n)`; anything else 0n. */
function looseBig(r: Reader): bigint {
  if (r.peek() === LPAREN) {
    const items = r.list((x) => (x.atDigit() ? x.number64() : (readValue(x), 0n)));
    return items[0] ?? 0n;
  }
  if (r.atDigit()) return r.number64();
  readValue(r);
  return 0n;
}

/** objectid in parentheses `(id)` (RFC 8474), or a bare one; null for NIL. */
function objectIdValue(r: Reader): string | null {
  if (r.nil()) return null;
  if (r.peek() === LPAREN) {
    const items = r.list((x) => x.astring());
    return items[0] ?? '';
  }
  return r.astring();
}

/**
 * msg-att = "(" (msg-att-dynamic / msg-att-static) *(SP (msg-att-dynamic / msg-att-static)) ")"
 * msg-att-dynamic = "FLAGS" SP "(" [flag-fetch *(SP flag-fetch)] ")" / "MODSEQ" SP "(" mod-sequence-value ")"
 * msg-att-static = "ENVELOPE" SP envelope / "INTERNALDATE" SP date-time / "RFC822.SIZE" SP number64 /
 *     "BODY" ["STRUCTURE"] SP body / "BODY" section ["<" number ">"] SP nstring /
 *     "BINARY" section-binary SP (nstring / literal8) / "BINARY.SIZE" section-binary SP number /
 *     "UID" SP uniqueid / "EMAILID" SP "(" objectid ")" / "THREADID" SP ("(" objectid ")" / nil) /
 *     "SAVEDATE" SP (date-time / nil) / "PREVIEW" SP nstring / "X-GM-MSGID" / "X-GM-THRID" / "X-GM-LABELS" ...
 *
 * Lenient: Domino 9 wraps items in extra parentheses (`(UID 14935 (ENVELOPE (...)) BODYSTRUCTURE
 * (...))`): an item list where a name belongs is read into the same attributes (named leniency
 * "nested msg-att"). Unknown attributes are kept as values in `other`.
 */
export function readMsgAtt(r: Reader, opts: MsgAttReadOptions = {}, label?: FetchLabel): FetchAttributes {
  // The streaming parser's label probe (`label`) reads eagerly: it must see the ENVELOPE field.
  const a = opts.lazy && !label ? (new LazyFetchAttributes() as unknown as Record<string, unknown>) : {};
  const acc: Acc = { a, sections: [], other: null, binarySizes: null };
  readItems(r, acc, opts, label);
  if (acc.sections.length > 0) a.sections = acc.sections;
  if (acc.binarySizes) a.binarySizes = acc.binarySizes;
  if (acc.other) a.other = acc.other;
  return a as FetchAttributes;
}

interface Acc {
  a: Record<string, unknown>;
  sections: BodySection[];
  other: Record<string, unknown> | null;
  binarySizes: Record<string, number> | null;
}

function readItems(r: Reader, acc: Acc, opts: MsgAttReadOptions, label: FetchLabel | undefined): void {
  r.expect(LPAREN);
  r.enter();
  r.spaces();
  while (!r.accept(RPAREN)) {
    if (r.atLineEnd()) throw r.error('unterminated FETCH data');
    if (r.peek() === LPAREN) {
      readItems(r, acc, opts, label);
      r.spaces();
      continue;
    }
    let name = r.keyword(ATT_NAME);
    let section: string | null = null;
    let origin: number | null = null;
    if (r.peek() === LBRACKET) {
      section = readSectionText(r);
      name += `[${section}]`;
      const o = r.pos;
      origin = readOrigin(r);
      if (origin !== null) name += decodeText(r.slice(o));
    }
    if (label) label.item = name;
    r.spaces();
    readItem(r, acc, name, section, origin, opts, label);
    if (label) (label.item = null), (label.field = null);
    r.spaces();
  }
  r.leave();
}

function readItem(r: Reader, acc: Acc, name: string, section: string | null, origin: number | null, opts: MsgAttReadOptions, label: FetchLabel | undefined): void {
  const a = acc.a;
  if (section !== null) {
    const base = name.slice(0, name.indexOf('['));
    if (base === 'BODY' || base === 'BINARY' || base === 'BODY.PEEK' || base === 'BINARY.PEEK') {
      acc.sections.push({ name, section, origin, data: sectionData(r) });
      return;
    }
    if (base === 'BINARY.SIZE') {
      (acc.binarySizes ??= {})[section] = looseNumber(r);
      return;
    }
    if (base === 'RFC822' && section === '') {
      // Some servers answer RFC822 as "RFC822[]" (net-imap's fixtures); it is RFC822.
      acc.sections.push({ name: 'RFC822', section: '', origin: null, data: sectionData(r) ?? null });
      return;
    }
    (acc.other ??= {})[name] = readValue(r);
    return;
  }
  switch (name) {
    case 'FLAGS':
      a.flags = r.peek() === LPAREN ? r.list(readFlag) : (readValue(r), []);
      return;
    case 'UID':
      a.uid = looseNumber(r);
      return;
    case 'INTERNALDATE': {
      const t = r.peek() === DQUOTE ? r.quotedText() : r.atLiteral() ? decodeText(r.stringBytes()) : (valueText(readValue(r)) ?? '');
      a.internalDateText = t;
      a.internalDate = parseInternalDate(t);
      return;
    }
    case 'RFC822.SIZE':
      a.rfc822Size = looseNumber(r);
      return;
    case 'ENVELOPE':
      if (r.peek() !== LPAREN) throw r.unexpected('an ENVELOPE list');
      if (a instanceof LazyFetchAttributes) a.deferEnvelope(r);
      else a.envelope = readEnvelope(r, label);
      return;
    case 'BODY':
    case 'BODYSTRUCTURE':
      if (r.peek() !== LPAREN) throw r.unexpected('a body structure list');
      if (a instanceof LazyFetchAttributes) a.defer(r);
      else a.bodyStructure = readBody(r);
      return;
    case 'RFC822':
    case 'RFC822.HEADER':
    case 'RFC822.TEXT':
      acc.sections.push({ name, section: name === 'RFC822' ? '' : name.slice(7), origin: null, data: sectionData(r) });
      return;
    case 'MODSEQ':
      a.modseq = looseBig(r);
      return;
    case 'EMAILID':
      a.emailId = objectIdValue(r) ?? '';
      return;
    case 'THREADID':
      a.threadId = objectIdValue(r);
      return;
    case 'SAVEDATE':
      a.saveDate = r.nil() ? null : decodeText(r.astringBytes());
      return;
    case 'PREVIEW':
      a.preview = r.nil() ? null : decodeText(r.astringBytes());
      return;
    case 'X-GM-MSGID':
      a.gmailMessageId = looseBig(r);
      return;
    case 'X-GM-THRID':
      a.gmailThreadId = looseBig(r);
      return;
    case 'X-GM-LABELS':
      a.gmailLabels = r.peek() === LPAREN ? r.list((x) => readMailbox(x, opts)) : (readValue(r), []);
      return;
    default:
      (acc.other ??= {})[name] = r.peek() === RPAREN ? { kind: 'nil' } : readValue(r);
  }
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
/** The months' three letters upper-cased and packed into one number each (see {@link parseInternalDate}). */
const MONTH_CODES = /* @__PURE__ */ MONTHS.map((m) => (m.charCodeAt(0) << 16) | (m.charCodeAt(1) << 8) | m.charCodeAt(2));

/** The decimal digit at `i` of `t`, or -1. */
function digitAt(t: string, i: number): number {
  const d = t.charCodeAt(i) - 0x30;
  return d >= 0 && d <= 9 ? d : -1;
}

/** The ASCII letter at `i` of `t` upper-cased, or -1. */
function letterAt(t: string, i: number): number {
  const c = t.charCodeAt(i) & ~0x20;
  return c >= 0x41 && c <= 0x5a ? c : -1;
}

/** `count` digits at `i` of `t` as a number, or -1 when one is not a digit. */
function digitsAt(t: string, i: number, count: number): number {
  let n = 0;
  for (let k = 0; k < count; k++) {
    const d = digitAt(t, i + k);
    if (d < 0) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE; null when
 * malformed. Read by char codes (it runs once per FETCH of a message list): the same shape a
 * `^ ?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$` match takes.
 */
export function parseInternalDate(text: string): Date | null {
  // A message list's INTERNALDATEs repeat (one import, one day): the last one read is kept.
  if (text === lastDate.text) return lastDate.ms === null ? null : new Date(lastDate.ms);
  const d = parseDateTime(text);
  lastDate.text = text;
  lastDate.ms = d === null ? null : d.getTime();
  return d;
}

/** The last date-time text {@link parseInternalDate} read and its time. */
const lastDate: { text: string; ms: number | null } = { text: '', ms: null };

/** {@link parseInternalDate} without the memo. */
function parseDateTime(text: string): Date | null {
  let i = text.charCodeAt(0) === 0x20 ? 1 : 0;
  let day = digitAt(text, i++);
  if (day < 0) return null;
  const d2 = digitAt(text, i);
  if (d2 >= 0) {
    day = day * 10 + d2;
    i++;
  }
  // "-Jul-1996 02:44:25 -0700": 24 chars after the day
  if (text.length - i !== 24 || text.charCodeAt(i) !== 0x2d || text.charCodeAt(i + 4) !== 0x2d) return null;
  const m1 = letterAt(text, i + 1);
  const m2 = letterAt(text, i + 2);
  const m3 = letterAt(text, i + 3);
  if (m1 < 0 || m2 < 0 || m3 < 0) return null;
  const month = MONTH_CODES.indexOf((m1 << 16) | (m2 << 8) | m3);
  if (month < 0) return null;
  const year = digitsAt(text, i + 5, 4);
  const hour = digitsAt(text, i + 10, 2);
  const minute = digitsAt(text, i + 13, 2);
  const second = digitsAt(text, i + 16, 2);
  const zoneHours = digitsAt(text, i + 20, 2);
  const zoneMinutes = digitsAt(text, i + 22, 2);
  const sign = text.charCodeAt(i + 19);
  if (year < 0 || hour < 0 || minute < 0 || second < 0 || zoneHours < 0 || zoneMinutes < 0) return null;
  if (text.charCodeAt(i + 9) !== 0x20 || text.charCodeAt(i + 12) !== 0x3a || text.charCodeAt(i + 15) !== 0x3a || text.charCodeAt(i + 18) !== 0x20) return null;
  if (sign !== 0x2b && sign !== 0x2d) return null;
  const utc = Date.UTC(year, month, day, hour, minute, second);
  const offset = (zoneHours * 60 + zoneMinutes) * (sign === 0x2b ? 1 : -1);
  return new Date(utc - offset * 60_000);
}

// ---------------------------------------------------------------------------------------------
// Writer

function objectId(id: unknown): string {
  if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,255}$/.test(id)) throw new TypeError(`bad object id ${JSON.stringify(id)} (RFC 8474 objectid)`);
  return id;
}

const SECTION_NAME = /^(?:BODY|BINARY|BODY\.PEEK|BINARY\.PEEK)\[[^\]\r\n\0]*\](?:<\d+>)?$|^RFC822(?:\.HEADER|\.TEXT)?$/;

/** Writes msg-att (the inverse of {@link readMsgAtt}); throws TypeError / RangeError for fields that would not read back. */
export function writeMsgAtt(w: WireWriter, a: FetchAttributes, utf8 = false): void {
  const items: (() => void)[] = [];
  if (a.uid !== undefined) items.push(() => w.raw('UID ').number(a.uid!));
  if (a.flags) items.push(() => (w.raw('FLAGS '), writeFlags(w, a.flags!)));
  if (a.internalDateText !== undefined) items.push(() => w.raw('INTERNALDATE ').string(a.internalDateText!));
  if (a.rfc822Size !== undefined) items.push(() => w.raw('RFC822.SIZE ').number(a.rfc822Size!));
  if (a.envelope) items.push(() => (w.raw('ENVELOPE '), writeEnvelope(w, a.envelope!)));
  if (a.bodyStructure) items.push(() => (w.raw('BODYSTRUCTURE '), writeBody(w, a.bodyStructure!)));
  if (a.modseq !== undefined) items.push(() => w.raw('MODSEQ (').number(a.modseq!).raw(')'));
  if (a.emailId !== undefined) items.push(() => w.raw(`EMAILID (${objectId(a.emailId)})`));
  if (a.threadId !== undefined) items.push(() => w.raw(a.threadId === null ? 'THREADID NIL' : `THREADID (${objectId(a.threadId)})`));
  if (a.saveDate !== undefined) items.push(() => w.raw('SAVEDATE ').nstring(a.saveDate));
  if (a.preview !== undefined) items.push(() => w.raw('PREVIEW ').nstring(a.preview));
  if (a.gmailMessageId !== undefined) items.push(() => w.raw('X-GM-MSGID ').number(a.gmailMessageId!));
  if (a.gmailThreadId !== undefined) items.push(() => w.raw('X-GM-THRID ').number(a.gmailThreadId!));
  if (a.gmailLabels !== undefined) {
    items.push(() => {
      w.raw('X-GM-LABELS (');
      a.gmailLabels!.forEach((l, i) => {
        if (i > 0) w.raw(' ');
        // Labels are astrings; system labels (\Inbox, \Sent) go as atoms.
        if (/^\\[A-Za-z]+$/.test(l)) w.raw(l);
        else writeMailbox(w, l, utf8);
      });
      w.raw(')');
    });
  }
  for (const [section, size] of Object.entries(a.binarySizes ?? {})) {
    // section-binary = "[" [section-part] "]" (RFC 3516): part numbers only.
    if (!/^(?:[1-9][0-9]*(?:\.[1-9][0-9]*)*)?$/.test(section)) throw new TypeError(`bad BINARY.SIZE section "${section}"`);
    items.push(() => w.raw(`BINARY.SIZE[${section}] `).number(size));
  }
  for (const [name, v] of Object.entries(a.other ?? {})) {
    if (!/^[A-Z0-9.\-_]+(?:\[[^\]\r\n\0]*\](?:<\d+>)?)?$/i.test(name)) throw new TypeError(`bad FETCH attribute name ${JSON.stringify(name)}`);
    items.push(() => (w.raw(`${name} `), writeValue(w, v as Value)));
  }
  for (const s of a.sections ?? []) {
    if (typeof s.name !== 'string' || !SECTION_NAME.test(s.name)) throw new TypeError(`bad body section name ${JSON.stringify(s.name)}`);
    items.push(() => {
      w.raw(`${s.name} `);
      if (s.data === null) w.raw('NIL');
      else if (s.data instanceof Uint8Array) w.literal(s.data, s.name.startsWith('BINARY') && s.data.includes(0));
      else throw new TypeError('a streamed literal marker cannot be encoded; write its octets with a literal');
    });
  }
  w.raw('(');
  items.forEach((f, i) => {
    if (i > 0) w.raw(' ');
    f();
  });
  w.raw(')');
}

