/**
 * Mailbox names and LIST / LSUB / XLIST responses (RFC 9051 7.3.1, RFC 3501 7.2.2-3,
 * RFC 5258 LIST-EXTENDED, RFC 6154 special-use): reader and writer.
 *
 * @packageDocumentation
 */

import { decodeMailboxName, encodeMailboxName } from './mailbox-name';
import { ATOM_CHAR, LENIENT_ASTRING, decodeText, isFlag, readValue, writeValue, type Reader, type Value, type WireWriter } from './syntax';
import { LPAREN } from './chars';

/** Options shared by the response readers. */
export interface MailboxReadOptions {
  /** UTF8=ACCEPT is enabled: mailbox names are UTF-8, not modified UTF-7. Default false. */
  readonly utf8Accept?: boolean;
}


/**
 * mailbox = "INBOX" / astring. INBOX in any case reads as `INBOX`; a bare NIL is the mailbox
 * named "NIL" (RFC 3501 4.5 notes it). Without UTF8=ACCEPT the name is decoded from modified
 * UTF-7; a name that is not valid modified UTF-7 (a server sending raw UTF-8) is kept as sent,
 * and raw UTF-8 reads as UTF-8 whether quoted or an atom (`Caf\xC3\xA9`).
 */
export function readMailbox(r: Reader, opts: MailboxReadOptions): string {
  return mailboxFromText(decodeText(r.astringBytes(LENIENT_ASTRING)), opts);
}

/** A mailbox name's wire text decoded (INBOX folded, modified UTF-7 decoded unless UTF8=ACCEPT). */
export function mailboxFromText(s: string, opts: MailboxReadOptions): string {
  if (s.length === 5 && s.toUpperCase() === 'INBOX') return 'INBOX';
  if (opts.utf8Accept) return s;
  try {
    return decodeMailboxName(s);
  } catch {
    return s;
  }
}

/** Writes a mailbox name (INBOX as is; modified UTF-7 unless `utf8`): an atom when it can be one. */
export function writeMailbox(w: WireWriter, name: string, utf8: boolean): void {
  if (typeof name !== 'string') throw new TypeError('mailbox name must be a string');
  w.astring(name.toUpperCase() === 'INBOX' ? 'INBOX' : utf8 ? name : encodeMailboxName(name));
}

/** A LIST / LSUB response's data (XLIST is read as LIST). */
export interface MailboxList {
  readonly attributes: readonly string[];
  readonly delimiter: string | null;
  readonly mailbox: string;
  readonly extended: Readonly<Record<string, unknown>>;
}

/** flag (and mbx-list-flag): an atom with an optional leading "\" (lenient: "]" and 8-bit UTF-8 allowed), or a quoted flag. */
export function readFlag(r: Reader): string {
  return decodeText(r.astringBytes(LENIENT_ASTRING));
}

/**
 * mailbox-list = "(" [mbx-list-flags] ")" SP (DQUOTE QUOTED-CHAR DQUOTE / nil) SP mailbox
 *                [SP mbox-list-extended]
 * mbox-list-extended = "(" [mbox-list-extended-item *(SP mbox-list-extended-item)] ")"
 * mbox-list-extended-item = mbox-list-extended-item-tag SP tagged-ext-val
 *
 * CHILDINFO (RFC 5258) reads as its list of words, OLDNAME (RFC 9051) as the old mailbox
 * name; other items are kept as values.
 */
export function readMailboxList(r: Reader, opts: MailboxReadOptions): MailboxList {
  const attributes = r.list(readFlag);
  r.spaces();
  const delimiter = r.nil() ? null : decodeText(r.astringBytes(LENIENT_ASTRING));
  r.spaces();
  const mailbox = readMailbox(r, opts);
  const extended: Record<string, unknown> = {};
  if (r.spaces() && r.peek() === LPAREN) {
    r.expect(LPAREN);
    r.enter();
    r.spaces();
    while (!r.accept(0x29)) {
      if (r.atLineEnd() && !r.atLiteral()) throw r.error('unterminated LIST extended data');
      const key = decodeText(r.astringBytes()).toUpperCase();
      r.spaces();
      if (key === 'OLDNAME' && r.peek() === LPAREN) {
        const names = r.list((x) => readMailbox(x, opts));
        extended[key] = names[0] ?? '';
      } else if (key === 'CHILDINFO' && r.peek() === LPAREN) extended[key] = r.list((x) => x.astring(LENIENT_ASTRING));
      else extended[key] = readValue(r);
      r.spaces();
    }
    r.leave();
  }
  return { attributes, delimiter, mailbox, extended };
}

/** A flag as written: an ASCII flag, or one whose other characters are non-ASCII (written as raw UTF-8, read back the same by {@link readFlag}). */
function writableFlag(f: string): boolean {
  if (isFlag(f)) return true;
  const body = f.charCodeAt(0) === 0x5c ? f.slice(1) : f;
  if (body.length === 0) return false;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c < 0x80 && ATOM_CHAR[c] !== 1) return false;
    if (c >= 0xd800 && c <= 0xdfff) return false;
  }
  return true;
}

/** Writes a flag list `(\Seen $Junk)`; throws TypeError for a flag that would not read back as itself. */
export function writeFlags(w: WireWriter, list: readonly string[]): void {
  if (!Array.isArray(list)) throw new TypeError('flags must be an array');
  for (const f of list) if (typeof f !== 'string' || !writableFlag(f)) throw new TypeError(`bad flag ${JSON.stringify(f)}`);
  w.raw(`(${list.join(' ')})`);
}

/** Writes mailbox-list (the inverse of {@link readMailboxList}). */
export function writeMailboxList(w: WireWriter, l: MailboxList, utf8: boolean): void {
  writeFlags(w, l.attributes);
  w.raw(' ');
  if (l.delimiter === null) w.raw('NIL');
  else {
    if (typeof l.delimiter !== 'string' || l.delimiter.length !== 1 || l.delimiter.charCodeAt(0) > 0x7e || l.delimiter.charCodeAt(0) < 0x20) {
      throw new TypeError(`bad hierarchy delimiter ${JSON.stringify(l.delimiter)}`);
    }
    w.string(l.delimiter);
  }
  w.raw(' ');
  writeMailbox(w, l.mailbox, utf8);
  const keys = Object.keys(l.extended);
  if (keys.length === 0) return;
  w.raw(' (');
  keys.forEach((k, i) => {
    if (!/^[A-Za-z0-9.-]+$/.test(k)) throw new TypeError(`bad LIST extended item name ${JSON.stringify(k)}`);
    if (i > 0) w.raw(' ');
    w.raw(`${k} `);
    const v = l.extended[k];
    if (k === 'OLDNAME' && typeof v === 'string') {
      w.raw('(');
      writeMailbox(w, v, utf8);
      w.raw(')');
    } else if (k === 'CHILDINFO' && Array.isArray(v)) {
      w.raw('(');
      v.forEach((x: string, j) => (j > 0 && w.raw(' '), w.string(x)));
      w.raw(')');
    } else writeValue(w, v as Value);
  });
  w.raw(')');
}

