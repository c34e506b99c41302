/**
 * IMAP response encoder (the server side of the same values `parseResponse` reads). Strings
 * are written as atom, quoted string or literal, whichever is safe: a value holding CR, LF or
 * NUL, or 8-bit bytes, always becomes a literal, so no value can end a line early.
 *
 * @packageDocumentation
 */

import { assertNoLineBreak, encodeUtf8 } from '../core/bytes';
import { formatBody } from './encoder-body';
import { encodeMailboxName } from './mailbox-name';
import { isValidTag } from './tag';
import { literalAnnouncement, type Value } from './lexer';
import type { Address, Envelope, FetchAttributes, Response, ResponseCode } from './types';

/** Builds the bytes of one response: text parts and literals. */
export class ResponseWriter {
  private parts: Uint8Array[] = [];
  private text = '';

  /** Appends protocol text (must not contain CR or LF). */
  raw(s: string): this {
    this.text += s;
    return this;
  }

  /** Appends a string as atom, quoted or literal. */
  string(value: string | Uint8Array, allowAtom = false): this {
    const bytes = typeof value === 'string' ? encodeUtf8(value) : value;
    let quotable = bytes.length < 1000;
    let atom = allowAtom && bytes.length > 0;
    for (let i = 0; i < bytes.length && (quotable || atom); i++) {
      const c = bytes[i]!;
      if (c < 0x20 || c > 0x7e) {
        quotable = false;
        atom = false;
      } else if (c <= 0x20 || c === 0x28 || c === 0x29 || c === 0x7b || c === 0x25 || c === 0x2a || c === 0x22 || c === 0x5c || c === 0x5d) atom = false;
    }
    if (atom && !(bytes.length === 3 && String.fromCharCode(...bytes).toUpperCase() === 'NIL')) return this.raw(String.fromCharCode(...bytes));
    if (quotable) {
      let s = '"';
      for (const c of bytes) s += c === 0x22 || c === 0x5c ? `\\${String.fromCharCode(c)}` : String.fromCharCode(c);
      return this.raw(`${s}"`);
    }
    return this.literal(bytes);
  }

  /** Appends a literal `{n}` CRLF octets (`~{n}`, RFC 3516 literal8, when `binary`). */
  literal(bytes: Uint8Array, binary = false): this {
    this.text += `${binary ? '~' : ''}{${bytes.length}}\r\n`;
    this.flushText();
    this.parts.push(bytes);
    return this;
  }

  /**
   * Appends a lexer {@link Value} as it was read: atoms and numbers as text, strings in the
   * form they came in (a quoted string that cannot stay quoted becomes a literal), lists
   * recursively. Used for attributes and extension data mailwire keeps raw.
   */
  value(v: Value): this {
    switch (v.kind) {
      case 'nil':
        return this.raw('NIL');
      case 'number':
        return this.raw(v.text);
      case 'atom':
        if (!/^[^\s(){"%*\x00-\x1f\x7f]+$/.test(v.value) || v.value.toUpperCase() === 'NIL') throw new TypeError(`bad atom "${v.value}"`);
        return this.raw(v.value);
      case 'string':
        if (v.form === 'literal8') return this.literal(v.value, true);
        if (v.form === 'literal') return this.literal(v.value);
        return this.string(v.value);
      case 'list':
        this.raw('(');
        v.items.forEach((item, i) => {
          if (i > 0) this.raw(' ');
          this.value(item);
        });
        return this.raw(')');
      default:
        throw new TypeError('a streamed literal marker cannot be encoded; write its octets with a literal');
    }
  }

  /** nstring: NIL or a string. */
  nstring(value: string | Uint8Array | null | undefined): this {
    return value === null || value === undefined ? this.raw('NIL') : this.string(value);
  }

  private flushText(): void {
    if (this.text !== '') this.parts.push(encodeUtf8(this.text));
    this.text = '';
  }

  /** Ends the response with CRLF and returns its bytes. */
  finish(): Uint8Array {
    // Raw text (response text, unknown data) ending in "{n}" would read as a literal announcement.
    if (literalAnnouncement(encodeUtf8(this.text)) !== null) throw new TypeError('response text must not end in a literal announcement "{n}"');
    this.text += '\r\n';
    this.flushText();
    let n = 0;
    for (const p of this.parts) n += p.length;
    const out = new Uint8Array(n);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    this.parts = [];
    return out;
  }
}

/**
 * Whether code text keeps the code closed: no "]" outside quoted strings, no quote left open
 * (a "]" inside quotes is read back as part of the code: `[BADCHARSET ("[x]")]`).
 */
function closedCodeText(raw: string): boolean {
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (quoted && c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (c === ']' && !quoted) return false;
  }
  return !quoted;
}

function code(w: ResponseWriter, c: ResponseCode | null): void {
  if (c === null) return;
  if (!/^[A-Z0-9.-]+$/i.test(c.name)) throw new TypeError(`bad response code name "${c.name}"`);
  assertNoLineBreak(c.raw, 'response code');
  if (!closedCodeText(c.raw)) throw new TypeError('response code text must not contain "]" (outside a quoted string) or an unclosed quote');
  w.raw(c.raw === '' ? `[${c.name}] ` : `[${c.name} ${c.raw}] `);
}

function text(w: ResponseWriter, t: string): void {
  assertNoLineBreak(t, 'response text');
  w.raw(t);
}

function addresses(w: ResponseWriter, list: readonly Address[] | null): void {
  if (list === null) {
    w.raw('NIL');
    return;
  }
  w.raw('(');
  for (const a of list) {
    w.raw('(').nstring(a.name).raw(' ').nstring(a.adl).raw(' ').nstring(a.mailbox).raw(' ').nstring(a.host).raw(')');
  }
  w.raw(')');
}

/** Writes an ENVELOPE value. */
export function writeEnvelope(w: ResponseWriter, e: Envelope): void {
  w.raw('(').nstring(e.date).raw(' ').nstring(e.subject).raw(' ');
  for (const l of [e.from, e.sender, e.replyTo, e.to, e.cc, e.bcc]) {
    addresses(w, l);
    w.raw(' ');
  }
  w.nstring(e.inReplyTo).raw(' ').nstring(e.messageId).raw(')');
}

function mailbox(w: ResponseWriter, name: string, utf8: boolean): void {
  w.string(name.toUpperCase() === 'INBOX' ? 'INBOX' : utf8 ? name : encodeMailboxName(name), true);
}

/** mbox-list-extended (RFC 5258 9): CHILDINFO and OLDNAME typed, others as read. */
function listExtended(w: ResponseWriter, ext: Readonly<Record<string, unknown>>, utf8: boolean): void {
  const keys = Object.keys(ext);
  if (keys.length === 0) return;
  w.raw(' (');
  keys.forEach((k, i) => {
    if (i > 0) w.raw(' ');
    w.string(k);
    w.raw(' ');
    const v = ext[k];
    if (k === 'OLDNAME' && typeof v === 'string') (w.raw('('), mailbox(w, v, utf8), w.raw(')'));
    else if (k === 'CHILDINFO' && Array.isArray(v)) {
      w.raw('(');
      v.forEach((x: string, j) => (j > 0 && w.raw(' '), w.string(x)));
      w.raw(')');
    } else w.value(v as Value);
  });
  w.raw(')');
}

function flags(w: ResponseWriter, list: readonly string[]): void {
  for (const f of list) if (!/^\\?[^\s()"{}\]%*\\\x00-\x1f\x7f]+$|^\\\*$/.test(f)) throw new TypeError(`bad flag "${f}"`);
  w.raw(`(${list.join(' ')})`);
}

function objectId(id: string): string {
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(id)) throw new TypeError(`bad object id "${id}" (RFC 8474 objectid)`);
  return id;
}

function fetch(w: ResponseWriter, a: FetchAttributes): void {
  const items: (() => void)[] = [];
  if (a.uid !== undefined) items.push(() => w.raw(`UID ${a.uid}`));
  if (a.flags) items.push(() => (w.raw('FLAGS '), flags(w, a.flags!)));
  if (a.internalDateText !== undefined) items.push(() => w.raw('INTERNALDATE ').string(a.internalDateText!));
  if (a.rfc822Size !== undefined) items.push(() => w.raw(`RFC822.SIZE ${a.rfc822Size}`));
  if (a.envelope) items.push(() => (w.raw('ENVELOPE '), writeEnvelope(w, a.envelope!)));
  if (a.bodyStructure) items.push(() => (w.raw('BODYSTRUCTURE '), formatBody(w, a.bodyStructure!)));
  if (a.modseq !== undefined) items.push(() => w.raw(`MODSEQ (${a.modseq})`));
  if (a.emailId !== undefined) items.push(() => w.raw(`EMAILID (${objectId(a.emailId!)})`));
  if (a.threadId !== undefined) items.push(() => w.raw(a.threadId === null ? 'THREADID NIL' : `THREADID (${objectId(a.threadId!)})`));
  if (a.saveDate !== undefined) items.push(() => w.raw('SAVEDATE ').nstring(a.saveDate));
  if (a.preview !== undefined) items.push(() => w.raw('PREVIEW ').nstring(a.preview));
  if (a.gmailMessageId !== undefined) items.push(() => w.raw(`X-GM-MSGID ${a.gmailMessageId}`));
  if (a.gmailThreadId !== undefined) items.push(() => w.raw(`X-GM-THRID ${a.gmailThreadId}`));
  if (a.gmailLabels !== undefined) {
    items.push(() => {
      w.raw('X-GM-LABELS (');
      a.gmailLabels!.forEach((l, i) => {
        if (i > 0) w.raw(' ');
        // Labels are astrings; system labels (\Inbox, \Sent) go as atoms.
        if (/^\\[A-Za-z]+$/.test(l)) w.raw(l);
        else w.string(encodeMailboxName(l), true);
      });
      w.raw(')');
    });
  }
  for (const [section, size] of Object.entries(a.binarySizes ?? {})) {
    // section-binary = "[" [section-part] "]" (RFC 3516): part numbers only.
    if (!/^(?:[1-9][0-9]*(?:\.[1-9][0-9]*)*)?$/.test(section)) throw new TypeError(`bad BINARY.SIZE section "${section}"`);
    items.push(() => w.raw(`BINARY.SIZE[${section}] ${size}`));
  }
  for (const [name, v] of Object.entries(a.other ?? {})) {
    if (!/^[A-Z0-9.\-_[\]<>]+$/i.test(name) || /[\r\n]/.test(name)) throw new TypeError(`bad FETCH attribute name "${name}"`);
    items.push(() => (w.raw(`${name} `), w.value(v as Value)));
  }
  for (const s of a.sections ?? []) {
    items.push(() => {
      assertNoLineBreak(s.name, 'section name');
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

/** Options of {@link encodeResponse}. */
export interface EncodeResponseOptions {
  /** UTF8=ACCEPT is on: mailbox names as UTF-8 instead of modified UTF-7. */
  readonly utf8Accept?: boolean;
}

/**
 * Encodes a response as wire bytes (CRLF-terminated; literals inline).
 *
 * @example
 * ```ts
 * import { imap } from 'mailwire';
 * imap.encodeResponse({ type: 'untagged', kind: 'EXISTS', number: 23 }); // "* 23 EXISTS\r\n"
 * ```
 */
export function encodeResponse(r: Response, options: EncodeResponseOptions = {}): Uint8Array {
  const w = new ResponseWriter();
  const utf8 = options.utf8Accept ?? false;
  if (r.type === 'continuation') {
    w.raw('+ ');
    code(w, r.code);
    text(w, r.text);
    return w.finish();
  }
  if (r.type === 'tagged') {
    if (!isValidTag(r.tag)) throw new TypeError(`bad tag "${r.tag}"`);
    w.raw(`${r.tag} ${r.status} `);
    code(w, r.code);
    text(w, r.text);
    return w.finish();
  }
  w.raw('* ');
  switch (r.kind) {
    case 'OK':
    case 'NO':
    case 'BAD':
    case 'PREAUTH':
    case 'BYE':
      w.raw(`${r.kind} `);
      code(w, r.code);
      text(w, r.text);
      break;
    case 'CAPABILITY':
    case 'ENABLED':
      for (const c of r.capabilities) if (!/^[^\s()"{}%*\\\]\x00-\x1f\x7f]+$/.test(c)) throw new TypeError(`bad capability "${c}"`);
      w.raw([r.kind, ...r.capabilities].join(' '));
      break;
    case 'FLAGS':
      w.raw('FLAGS ');
      flags(w, r.flags);
      break;
    case 'LIST':
    case 'LSUB':
      w.raw(`${r.kind} `);
      flags(w, r.attributes);
      w.raw(' ').nstring(r.delimiter).raw(' ');
      mailbox(w, r.mailbox, utf8);
      listExtended(w, r.extended, utf8);
      break;
    case 'STATUS': {
      w.raw('STATUS ');
      mailbox(w, r.mailbox, utf8);
      w.raw(' (');
      Object.entries(r.attributes).forEach(([k, v], i) => {
        if (!/^[A-Z0-9-]+$/i.test(k)) throw new TypeError(`bad STATUS attribute name "${k}"`);
        w.raw(`${i > 0 ? ' ' : ''}${k} `);
        if (k === 'MAILBOXID') w.raw(`(${objectId(String(v))})`);
        else if (typeof v === 'string') w.string(v, true);
        else w.raw(String(v));
      });
      w.raw(')');
      break;
    }
    case 'SEARCH':
    case 'SORT':
      w.raw([r.kind, ...r.numbers.map(String)].join(' '));
      if (r.modseq !== null) w.raw(` (MODSEQ ${r.modseq})`);
      break;
    case 'EXISTS':
    case 'RECENT':
    case 'EXPUNGE':
      w.raw(`${r.number} ${r.kind}`);
      break;
    case 'VANISHED':
      w.raw(`VANISHED ${r.earlier ? '(EARLIER) ' : ''}${r.uids.toString()}`);
      break;
    case 'FETCH':
      w.raw(`${r.seq} FETCH `);
      fetch(w, r.attributes);
      break;
    case 'ESEARCH': {
      w.raw('ESEARCH');
      if (r.tag !== null) w.raw(' (TAG ').string(r.tag).raw(')');
      if (r.uid) w.raw(' UID');
      for (const [k, v] of Object.entries(r.results)) {
        if (!/^[A-Z0-9-]+$/i.test(k)) throw new TypeError(`bad ESEARCH return name "${k}"`);
        w.raw(` ${k} `);
        if (typeof v === 'string') w.string(v, true);
        else w.raw(String(v));
      }
      break;
    }
    case 'THREAD': {
      const tree = (t: unknown): string => (Array.isArray(t) ? `(${t.map(tree).join(' ')})` : String(Number(t)));
      w.raw(`THREAD${r.threads.length > 0 ? ' ' : ''}${r.threads.map(tree).join('')}`);
      break;
    }
    case 'NAMESPACE': {
      w.raw('NAMESPACE');
      for (const ns of [r.personal, r.otherUsers, r.shared]) {
        w.raw(' ');
        if (ns === null) w.raw('NIL');
        else {
          w.raw('(');
          for (const e of ns) w.raw('(').string(e.prefix).raw(' ').nstring(e.delimiter).raw(')');
          w.raw(')');
        }
      }
      break;
    }
    case 'QUOTA':
      for (const x of r.resources) if (!/^[A-Z0-9-]+$/i.test(x.name)) throw new TypeError(`bad quota resource name "${x.name}"`);
      w.raw('QUOTA ').string(r.root, true).raw(` (${r.resources.map((x) => `${x.name} ${x.usage} ${x.limit}`).join(' ')})`);
      break;
    case 'ID': {
      w.raw('ID ');
      if (r.params === null) w.raw('NIL');
      else {
        w.raw('(');
        Object.entries(r.params).forEach(([k, v], i) => {
          if (i > 0) w.raw(' ');
          w.string(k).raw(' ').nstring(v);
        });
        w.raw(')');
      }
      break;
    }
    case 'ACL':
      w.raw('ACL ');
      mailbox(w, r.mailbox, utf8);
      for (const x of r.rights) w.raw(' ').string(x.identifier, true).raw(' ').string(x.rights, true);
      break;
    case 'LISTRIGHTS':
      w.raw('LISTRIGHTS ');
      mailbox(w, r.mailbox, utf8);
      w.raw(' ').string(r.identifier, true).raw(' ').string(r.required);
      for (const o of r.optional) w.raw(' ').string(o, true);
      break;
    case 'MYRIGHTS':
      w.raw('MYRIGHTS ');
      mailbox(w, r.mailbox, utf8);
      w.raw(' ').string(r.rights);
      break;
    case 'METADATA':
      w.raw('METADATA ');
      mailbox(w, r.mailbox, utf8);
      w.raw(' ');
      if (r.entries) {
        w.raw('(');
        r.entries.forEach((e, i) => {
          if (i > 0) w.raw(' ');
          w.string(e.entry, true).raw(' ').nstring(e.value);
        });
        w.raw(')');
      } else (r.names ?? []).forEach((n, i) => (i > 0 && w.raw(' '), w.string(n, true)));
      break;
    case 'QUOTAROOT':
      w.raw('QUOTAROOT ');
      mailbox(w, r.mailbox, utf8);
      for (const root of r.roots) w.raw(' ').string(root, true);
      break;
    case 'UNKNOWN':
      if (!/^[A-Z0-9-]+$/i.test(r.name)) throw new TypeError(`bad response name "${r.name}"`);
      if (r.number !== undefined) w.raw(`${r.number} `);
      w.raw(r.name);
      if (r.text !== '') {
        w.raw(' ');
        text(w, r.text);
      }
      break;
  }
  return w.finish();
}
