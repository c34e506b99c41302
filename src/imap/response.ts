/**
 * IMAP server responses (RFC 3501 7, RFC 9051 7 and extensions): grammar over a framed
 * unit. `parseResponse` takes one whole response (line, literals inline); the streaming
 * {@link ResponseParser} frames the stream and calls {@link readResponse}.
 *
 * @packageDocumentation
 */

import { decodeUtf8 } from '../core/bytes';
import { ProtocolError } from '../core/errors';
import { readBodyStructure } from './bodystructure';
import { readEnvelope } from './envelope';
import { Lexer, frameUnit, stringValue, type FramedUnit, type LexerLimits, type Value } from './lexer';
import { decodeMailboxName } from './mailbox-name';
import { SequenceSet } from './sequence-set';
import type { BodySection, FetchAttributes, NamespaceEntry, Response, ResponseCode, UntaggedData } from './types';

/** Options for reading responses. */
export interface ReadResponseOptions extends LexerLimits {
  /** UTF8=ACCEPT is enabled: mailbox names are UTF-8, not modified UTF-7. Default false. */
  readonly utf8Accept?: boolean;
}

const RBRACKET = 0x5d;

function words(v: Value | undefined): string[] {
  if (!v || v.kind !== 'list') return [];
  return v.items.map((x) => stringValue(x) ?? '');
}

const big = (v: Value | undefined): bigint => {
  const s = v ? stringValue(v) : null;
  return s !== null && /^\d{1,20}$/.test(s) ? BigInt(s) : 0n;
};

/** The astrings of a code's argument list: atoms, and quoted strings without their quotes. */
function codeWords(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/"((?:[^"\\]|\\.)*)"|[^\s"]+/g)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[0]);
  return out;
}

/** resp-text-code: the part inside `[...]`. */
function responseCode(lx: Lexer): ResponseCode {
  const name = lx.atom().toUpperCase();
  if (name === '') throw lx.error('empty response code');
  let raw = '';
  if (lx.accept(0x20)) {
    // The arguments run to the matching "]" (not one inside parentheses or a quoted string,
    // e.g. `[BADCHARSET (US-ASCII "[x]")]` in net-imap's fixtures); read them as text, then
    // interpret the known codes.
    const chars: number[] = [];
    let depth = 0;
    let quoted = false;
    for (;;) {
      const c = lx.peek();
      if (c < 0) throw lx.error('unterminated response code');
      if (c === RBRACKET && depth === 0 && !quoted) break;
      if (quoted && c === 0x5c) {
        chars.push(c);
        lx.accept(c);
        const e = lx.peek();
        if (e < 0) throw lx.error('unterminated response code');
        chars.push(e);
        lx.accept(e);
        continue;
      }
      if (c === 0x22) quoted = !quoted;
      else if (!quoted && c === 0x28) depth++;
      else if (!quoted && c === 0x29) depth--;
      chars.push(c);
      lx.accept(c);
    }
    raw = decodeUtf8(Uint8Array.from(chars));
  }
  lx.expect(RBRACKET);
  const parts = raw.split(' ').filter((p) => p !== '');
  const n = (s: string | undefined) => (s !== undefined && /^\d{1,10}$/.test(s) ? Number(s) : undefined);
  switch (name) {
    case 'CAPABILITY':
      return { name, raw, list: parts };
    case 'PERMANENTFLAGS':
    case 'BADCHARSET':
      return { name, raw, list: codeWords(raw.replace(/^\(|\)$/g, '')) };
    case 'UIDNEXT':
    case 'UIDVALIDITY':
    case 'UNSEEN':
    case 'APPENDLIMIT': {
      const v = n(parts[0]);
      return v === undefined ? { name, raw } : { name, raw, number: v };
    }
    case 'HIGHESTMODSEQ':
      return /^\d{1,20}$/.test(parts[0] ?? '') ? { name, raw, modseq: BigInt(parts[0]!) } : { name, raw };
    case 'APPENDUID': {
      const uv = n(parts[0]);
      const set = parts[1] ? SequenceSet.parse(parts[1]) : null;
      return uv !== undefined && set ? { name, raw, uidValidity: uv, uids: set } : { name, raw };
    }
    case 'COPYUID': {
      const uv = n(parts[0]);
      const src = parts[1] ? SequenceSet.parse(parts[1]) : null;
      const dst = parts[2] ? SequenceSet.parse(parts[2]) : null;
      return uv !== undefined && src && dst ? { name, raw, uidValidity: uv, sourceUids: src, uids: dst } : { name, raw };
    }
    case 'MODIFIED': {
      const set = parts[0] ? SequenceSet.parse(parts[0]) : null;
      return set ? { name, raw, set } : { name, raw };
    }
    case 'BADURL':
      return raw === '' ? { name, raw } : { name, raw, url: raw };
    case 'MAILBOXID': {
      const id = /^\(([A-Za-z0-9_-]{1,255})\)$/.exec(raw);
      return id ? { name, raw, objectId: id[1]! } : { name, raw };
    }
    case 'METADATA': {
      const kind = parts[0]?.toUpperCase();
      if (kind === 'TOOMANY' || kind === 'NOPRIVATE') return { name, raw, metadata: { kind } };
      if (kind === 'LONGENTRIES' || kind === 'MAXSIZE') {
        const v = n(parts[1]);
        return v === undefined ? { name, raw } : { name, raw, metadata: { kind, number: v } };
      }
      return { name, raw };
    }
    default:
      return { name, raw };
  }
}

/** resp-text = ["[" resp-text-code "]" SP] text */
function respText(lx: Lexer): { code: ResponseCode | null; text: string } {
  let code: ResponseCode | null = null;
  if (lx.peek() === 0x5b) {
    const mark = lx.mark();
    try {
      lx.accept(0x5b);
      code = responseCode(lx);
      lx.optionalSp();
    } catch {
      // Exchange sends "[Error="..." Proxy=...] text", which is no resp-text-code: the whole
      // line is then text (RFC 3501 resp-text = ["[" resp-text-code "]" SP] text).
      lx.reset(mark);
      code = null;
    }
  }
  return { code, text: lx.text() };
}

function mailboxName(v: Value, opts: ReadResponseOptions): string {
  // mailbox is an astring, so a bare NIL is the mailbox named "NIL" (RFC 3501 4.5 notes it).
  const s = v.kind === 'nil' ? 'NIL' : (stringValue(v) ?? '');
  if (opts.utf8Accept || s.toUpperCase() === 'INBOX') return s.toUpperCase() === 'INBOX' ? 'INBOX' : s;
  try {
    return decodeMailboxName(s);
  } catch {
    // Not valid modified UTF-7 (a server sending raw UTF-8): keep the name as sent.
    return s;
  }
}

const SECTION = /^(BODY|BINARY|BODY\.PEEK|BINARY\.PEEK)\[([^\]]*)\](?:<(\d+)>)?$/;

/** msg-att: "(" (msg-att-dynamic / msg-att-static) *(SP ...) ")" */
function fetchAttributes(lx: Lexer, opts: ReadResponseOptions): FetchAttributes {
  // "]" can only be part of an atom in here (flags such as Gmail's "OIB-Seen-[Google Mail]/Alle").
  const list = lx.withBracketsInAtoms(() => lx.value());
  if (list.kind !== 'list') throw lx.error('FETCH data must be a list');
  const a: Record<string, unknown> = {};
  const sections: BodySection[] = [];
  const other: Record<string, unknown> = {};
  const binarySizes: Record<string, number> = {};
  const it = list.items;
  for (let i = 0; i + 1 < it.length; i += 2) {
    const key = it[i]!;
    const val = it[i + 1]!;
    const name = (stringValue(key) ?? '').toUpperCase();
    const m = SECTION.exec(name);
    if (m) {
      sections.push({ name, section: m[2]!, origin: m[3] === undefined ? null : Number(m[3]), data: val.kind === 'nil' ? null : val.kind === 'string' ? val.value : val.kind === 'streamed' ? val : new TextEncoder().encode(stringValue(val) ?? '') });
      continue;
    }
    if (name.startsWith('BINARY.SIZE[')) {
      binarySizes[name.slice(12, -1)] = val.kind === 'number' ? val.value : 0;
      continue;
    }
    switch (name) {
      case 'FLAGS':
        a.flags = words(val);
        break;
      case 'UID':
        a.uid = val.kind === 'number' ? val.value : 0;
        break;
      case 'INTERNALDATE': {
        const t = stringValue(val) ?? '';
        a.internalDateText = t;
        const d = parseInternalDate(t);
        a.internalDate = d;
        break;
      }
      case 'RFC822.SIZE':
        a.rfc822Size = val.kind === 'number' ? val.value : 0;
        break;
      case 'ENVELOPE':
        a.envelope = readEnvelope(val);
        break;
      case 'BODY':
      case 'BODYSTRUCTURE':
        a.bodyStructure = readBodyStructure(val);
        break;
      case 'RFC822[]':
        // Some servers answer RFC822 as "RFC822[]" (net-imap's fixtures); it is RFC822.
        sections.push({ name: 'RFC822', section: '', origin: null, data: val.kind === 'nil' ? null : val.kind === 'string' ? val.value : val.kind === 'streamed' ? val : new Uint8Array(0) });
        break;
      case 'RFC822':
      case 'RFC822.HEADER':
      case 'RFC822.TEXT':
        sections.push({ name, section: name === 'RFC822' ? '' : name.slice(7), origin: null, data: val.kind === 'nil' ? null : val.kind === 'string' ? val.value : val.kind === 'streamed' ? val : new Uint8Array(0) });
        break;
      case 'MODSEQ':
        a.modseq = val.kind === 'list' ? big(val.items[0]) : big(val);
        break;
      case 'EMAILID':
        a.emailId = val.kind === 'list' ? (stringValue(val.items[0]!) ?? '') : (stringValue(val) ?? '');
        break;
      case 'THREADID':
        a.threadId = val.kind === 'nil' ? null : val.kind === 'list' ? stringValue(val.items[0]!) : stringValue(val);
        break;
      case 'SAVEDATE':
        a.saveDate = val.kind === 'nil' ? null : stringValue(val);
        break;
      case 'PREVIEW':
        a.preview = val.kind === 'nil' ? null : stringValue(val);
        break;
      case 'X-GM-MSGID':
        a.gmailMessageId = big(val);
        break;
      case 'X-GM-THRID':
        a.gmailThreadId = big(val);
        break;
      case 'X-GM-LABELS':
        a.gmailLabels = val.kind === 'list' ? val.items.map((x) => mailboxName(x, opts)) : [];
        break;
      default:
        other[name] = val;
    }
  }
  if (sections.length > 0) a.sections = sections;
  if (Object.keys(binarySizes).length > 0) a.binarySizes = binarySizes;
  if (Object.keys(other).length > 0) a.other = other;
  return a as FetchAttributes;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE; null when malformed. */
export function parseInternalDate(text: string): Date | null {
  const m = /^ ?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  const month = MONTHS.indexOf(m[2]!.toUpperCase());
  if (month < 0) return null;
  const utc = Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  const offset = (Number(m[8]) * 60 + Number(m[9])) * (m[7] === '+' ? 1 : -1);
  return new Date(utc - offset * 60_000);
}

function namespaces(v: Value): NamespaceEntry[] | null {
  if (v.kind !== 'list') return null;
  return v.items.map((e) => {
    const items = e.kind === 'list' ? e.items : [];
    return { prefix: items[0] ? (stringValue(items[0]) ?? '') : '', delimiter: items[1] && items[1].kind !== 'nil' ? stringValue(items[1]) : null };
  });
}

function untagged(lx: Lexer, opts: ReadResponseOptions): UntaggedData {
  const first = lx.atom();
  if (/^\d+$/.test(first)) {
    const n = Number(first);
    lx.sp();
    const kind = lx.atom().toUpperCase();
    if (kind === 'EXISTS' || kind === 'RECENT' || kind === 'EXPUNGE') return { kind, number: n };
    if (kind === 'FETCH') {
      lx.optionalSp();
      return { kind, seq: n, attributes: fetchAttributes(lx, opts) };
    }
    if (kind === '') throw lx.error('expected a response name after the number');
    return { kind: 'UNKNOWN', number: n, name: kind, text: lx.peek() === 0x20 ? lx.text().slice(1) : lx.text() };
  }
  const kind = first.toUpperCase();
  switch (kind) {
    case 'OK':
    case 'NO':
    case 'BAD':
    case 'PREAUTH':
    case 'BYE': {
      lx.optionalSp();
      return { kind, ...respText(lx) };
    }
    case 'CAPABILITY':
    case 'ENABLED':
      return { kind, capabilities: lx.optionalSp() ? lx.text().split(' ').filter((w) => w !== '') : [] };
    case 'FLAGS':
      lx.optionalSp();
      return { kind, flags: words(lx.withBracketsInAtoms(() => lx.value())) };
    case 'LIST':
    case 'LSUB': {
      lx.optionalSp();
      const attrs = words(lx.value());
      lx.sp();
      const d = lx.value();
      lx.sp();
      const mailbox = mailboxName(lx.value(), opts);
      const extended: Record<string, unknown> = {};
      if (lx.optionalSp() && lx.peek() === 0x28) {
        const ext = lx.value();
        if (ext.kind === 'list') for (let i = 0; i + 1 < ext.items.length; i += 2) {
          const key = (stringValue(ext.items[i]!) ?? '').toUpperCase();
          const val = ext.items[i + 1]!;
          extended[key] = key === 'OLDNAME' && val.kind === 'list' && val.items[0] ? mailboxName(val.items[0], opts) : key === 'CHILDINFO' ? words(val) : val;
        }
      }
      return { kind, attributes: attrs, delimiter: d.kind === 'nil' ? null : stringValue(d), mailbox, extended };
    }
    case 'STATUS': {
      lx.optionalSp();
      const mailbox = mailboxName(lx.value(), opts);
      lx.optionalSp();
      const l = lx.value();
      const attributes: Record<string, number | bigint | string> = {};
      if (l.kind === 'list') for (let i = 0; i + 1 < l.items.length; i += 2) {
        const key = (stringValue(l.items[i]!) ?? '').toUpperCase();
        const v = l.items[i + 1]!;
        attributes[key] = key === 'HIGHESTMODSEQ' ? big(v) : key === 'MAILBOXID' ? (v.kind === 'list' ? (stringValue(v.items[0]!) ?? '') : (stringValue(v) ?? '')) : v.kind === 'number' ? v.value : (stringValue(v) ?? '');
      }
      return { kind, mailbox, attributes };
    }
    case 'SEARCH':
    case 'SORT': {
      const numbers: number[] = [];
      let modseq: bigint | null = null;
      while (lx.optionalSp()) {
        if (lx.peek() === 0x28) {
          const m = lx.value();
          if (m.kind === 'list' && m.items.length === 2) modseq = big(m.items[1]);
          continue;
        }
        const w = lx.atom();
        if (w === '') break;
        if (!/^\d+$/.test(w)) throw lx.error(`${kind} result must be numbers`);
        numbers.push(Number(w));
      }
      return { kind, numbers, modseq };
    }
    case 'ESEARCH': {
      let tag: string | null = null;
      let uid = false;
      const results: Record<string, number | bigint | SequenceSet | string> = {};
      while (lx.optionalSp()) {
        if (lx.peek() === 0x28) {
          const c = lx.value();
          if (c.kind === 'list' && c.items.length === 2) tag = stringValue(c.items[1]!);
          continue;
        }
        const key = lx.atom().toUpperCase();
        if (key === '') break;
        if (key === 'UID') {
          uid = true;
          continue;
        }
        lx.sp();
        const v = lx.value();
        const s = stringValue(v) ?? '';
        results[key] = key === 'MODSEQ' ? big(v) : key === 'ALL' || key === 'PARTIAL' ? (SequenceSet.parse(s) ?? s) : v.kind === 'number' ? v.value : s;
      }
      return { kind, tag, uid, results };
    }
    case 'THREAD': {
      const threads: unknown[] = [];
      lx.optionalSp();
      while (lx.peek() === 0x28) {
        threads.push(threadTree(lx.value()));
        lx.optionalSp();
      }
      return { kind, threads };
    }
    case 'VANISHED': {
      lx.optionalSp();
      let earlier = false;
      if (lx.peek() === 0x28) {
        const e = lx.value();
        earlier = e.kind === 'list' && (stringValue(e.items[0]!) ?? '').toUpperCase() === 'EARLIER';
        lx.optionalSp();
      }
      const set = SequenceSet.parse(lx.atom());
      if (!set) throw lx.error('VANISHED needs a UID set');
      return { kind, earlier, uids: set };
    }
    case 'NAMESPACE': {
      lx.optionalSp();
      const p = lx.value();
      lx.optionalSp();
      const o = lx.value();
      lx.optionalSp();
      const s = lx.value();
      return { kind, personal: namespaces(p), otherUsers: namespaces(o), shared: namespaces(s) };
    }
    case 'QUOTA': {
      lx.optionalSp();
      const root = stringValue(lx.value()) ?? '';
      lx.optionalSp();
      const l = lx.value();
      const resources: { name: string; usage: number; limit: number }[] = [];
      if (l.kind === 'list') for (let i = 0; i + 2 < l.items.length; i += 3) resources.push({ name: (stringValue(l.items[i]!) ?? '').toUpperCase(), usage: Number(stringValue(l.items[i + 1]!)), limit: Number(stringValue(l.items[i + 2]!)) });
      return { kind, root, resources };
    }
    case 'QUOTAROOT': {
      lx.optionalSp();
      const mailbox = mailboxName(lx.value(), opts);
      const roots: string[] = [];
      while (lx.optionalSp()) {
        if (lx.atEnd()) break;
        roots.push(stringValue(lx.value()) ?? '');
      }
      return { kind, mailbox, roots };
    }
    case 'ID': {
      lx.optionalSp();
      const l = lx.value();
      if (l.kind !== 'list') return { kind, params: null };
      const params: Record<string, string | null> = {};
      for (let i = 0; i + 1 < l.items.length; i += 2) params[stringValue(l.items[i]!) ?? ''] = l.items[i + 1]!.kind === 'nil' ? null : stringValue(l.items[i + 1]!);
      return { kind, params };
    }
    case 'ACL': {
      lx.optionalSp();
      const mailbox = mailboxName(lx.value(), opts);
      const rights: { identifier: string; rights: string }[] = [];
      while (lx.optionalSp() && !lx.atEnd()) {
        const identifier = stringValue(lx.value()) ?? '';
        lx.sp();
        rights.push({ identifier, rights: stringValue(lx.value()) ?? '' });
      }
      return { kind, mailbox, rights };
    }
    case 'LISTRIGHTS': {
      lx.optionalSp();
      const mailbox = mailboxName(lx.value(), opts);
      lx.sp();
      const identifier = stringValue(lx.value()) ?? '';
      lx.sp();
      const required = stringValue(lx.value()) ?? '';
      const optional: string[] = [];
      while (lx.optionalSp() && !lx.atEnd()) optional.push(stringValue(lx.value()) ?? '');
      return { kind, mailbox, identifier, required, optional };
    }
    case 'MYRIGHTS': {
      lx.optionalSp();
      const mailbox = mailboxName(lx.value(), opts);
      lx.sp();
      return { kind, mailbox, rights: stringValue(lx.value()) ?? '' };
    }
    case 'METADATA': {
      lx.optionalSp();
      const mailbox = mailboxName(lx.value(), opts);
      lx.sp();
      if (lx.peek() === 0x28) {
        const l = lx.value();
        const entries: { entry: string; value: Uint8Array | null }[] = [];
        if (l.kind === 'list') for (let i = 0; i + 1 < l.items.length; i += 2) {
          const v = l.items[i + 1]!;
          entries.push({ entry: stringValue(l.items[i]!) ?? '', value: v.kind === 'string' ? v.value : v.kind === 'nil' ? null : new TextEncoder().encode(stringValue(v) ?? '') });
        }
        return { kind, mailbox, entries, names: null };
      }
      const names: string[] = [];
      do names.push(stringValue(lx.value()) ?? '');
      while (lx.optionalSp() && !lx.atEnd());
      return { kind, mailbox, entries: null, names };
    }
    default:
      return { kind: 'UNKNOWN', name: kind, text: lx.peek() === 0x20 ? lx.text().slice(1) : lx.text() };
  }
}

function threadTree(v: Value): unknown {
  if (v.kind === 'number') return v.value;
  if (v.kind === 'list') return v.items.map(threadTree);
  return stringValue(v);
}

/**
 * Reads one framed response. Returns a ProtocolError (never throws) when it does not match
 * the grammar; unknown untagged responses are kept raw, not errors.
 */
export function readResponse(unit: FramedUnit, options: ReadResponseOptions = {}): Response | ProtocolError {
  // Responses read quoted strings leniently (see LexerLimits.unescapedQuotes) unless told not to.
  const lx = new Lexer(unit, { unescapedQuotes: true, ...options });
  try {
    const c = lx.peek();
    if (c === 0x2b) {
      lx.accept(0x2b);
      lx.optionalSp();
      return { type: 'continuation', ...respText(lx) };
    }
    if (c === 0x2a) {
      lx.accept(0x2a);
      // DavMail sends "*  1688 EXISTS" (two spaces, its keep-alive workaround).
      if (!lx.optionalSp()) throw lx.error('expected SP');
      const data = untagged(lx, options);
      return { type: 'untagged', ...data };
    }
    // A tag may hold "]" (an ASTRING-CHAR); "+" is the one character a tag never holds.
    const tag = lx.withBracketsInAtoms(() => lx.atom());
    if (tag === '' || tag.includes('+')) throw lx.error('response must start with "*", "+" or a tag');
    lx.sp();
    const status = lx.atom().toUpperCase();
    if (status !== 'OK' && status !== 'NO' && status !== 'BAD') throw lx.error(`tagged response status must be OK, NO or BAD, not "${status.slice(0, 20)}"`);
    lx.optionalSp();
    return { type: 'tagged', tag, status, ...respText(lx) };
  } catch (e) {
    if (e instanceof ProtocolError) return e;
    return new ProtocolError('SYNTAX', e instanceof Error ? e.message : String(e));
  }
}

/**
 * Parses one complete response given as bytes or text (CRLFs inside, literals inline).
 *
 * @example
 * ```ts
 * import { imap } from 'mailwire';
 * imap.parseResponse('* 1 FETCH (UID 42 FLAGS (\\Seen))\r\n');
 * // { type: 'untagged', kind: 'FETCH', seq: 1, attributes: { uid: 42, flags: ['\\Seen'] } }
 * ```
 */
export function parseResponse(input: string | Uint8Array, options: ReadResponseOptions = {}): Response | ProtocolError {
  const unit = frameUnit(input);
  return unit instanceof ProtocolError ? unit : readResponse(unit, options);
}
