/**
 * The byte builder behind `encodeCommand`: protocol text, strings that pick atom / quoted /
 * literal by themselves, and literals that cut the output into fragments at the points where
 * a synchronizing literal must wait for the server's `+`. Large literals are not copied: their
 * fragment is the caller's own bytes.
 *
 * @packageDocumentation
 */

import { assertNoLineBreak, encodeUtf8 } from '../core/bytes';
import { ASTRING_CHAR, TEXT_CHAR, isUtf8, stringForm } from './syntax';
import { encodeMailboxName } from './mailbox-name';
import { SequenceSet } from './sequence-set';

/** One piece of an encoded command: bytes to send, and whether to wait for a `+` continuation after them. */
export interface CommandFragment {
  /** The bytes. For a literal of 16 KiB or more, the very array the command value holds (not a copy). */
  readonly data: Uint8Array;
  /** True after a synchronizing literal announcement: send nothing more until the server says `+`. */
  readonly waitForContinuation: boolean;
}

/** Options of `encodeCommand`. */
export interface EncodeCommandOptions {
  /** The server offers LITERAL+ (RFC 7888): every literal is non-synchronizing `{n+}`. */
  readonly literalPlus?: boolean;
  /** The server offers LITERAL- (RFC 7888): literals up to 4096 octets are non-synchronizing. */
  readonly literalMinus?: boolean;
  /** UTF8=ACCEPT is enabled: mailbox names and strings go as UTF-8, not modified UTF-7. */
  readonly utf8Accept?: boolean;
}

/** Atom characters (RFC 3501 9 ATOM-CHAR), without "]" which readers of responses stop at. */
export const ATOM_RE = /^[^\s()"{}%*\\\]\x00-\x1f\x7f-\uffff]+$/;

/** Throws a TypeError unless `v` is a valid atom; returns it. */
export function atomOrThrow(v: string, what: string): string {
  if (typeof v !== 'string' || !ATOM_RE.test(v)) throw new TypeError(`${what} "${String(v)}" is not a valid atom`);
  return v;
}

/** ASTRING-CHAR without `[`: the atoms the command writer writes. */
const ASTRING_ATOM = /* @__PURE__ */ ASTRING_CHAR.map((v, c) => (c === 0x5b ? 0 : v));

/** Valid UTF-8 whose ASCII octets are all TEXT-CHARs (no control characters). */
function quotableUtf8(bytes: Uint8Array): boolean {
  for (const c of bytes) if (c < 0x80 && (TEXT_CHAR[c] !== 1 || c < 0x20 || c === 0x7f)) return false;
  return isUtf8(bytes);
}

/** Literals at least this long go out as their own fragment, referencing the caller's bytes. */
const ZERO_COPY_MIN = 16 * 1024;
const MAX_MODSEQ = 2n ** 63n - 1n;

/** True when the text ends in a literal announcement `{n}`, `{n+}`, `{n-}` (it would read as one). */
function endsInAnnouncement(s: string): boolean {
  let i = s.length - 1;
  if (i < 2 || s.charCodeAt(i) !== 0x7d) return false;
  i--;
  if (s.charCodeAt(i) === 0x2b || s.charCodeAt(i) === 0x2d) i--;
  const end = i;
  while (i >= 0 && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) i--;
  return i < end && i >= 0 && s.charCodeAt(i) === 0x7b;
}

/**
 * Collects the bytes of one command. The command-family writers share it.
 *
 * @example
 * ```ts
 * import { imap } from 'mailwire';
 * const w = new imap.CommandWriter({});
 * w.raw('a1 LOGIN ').astring('fred').raw(' ').astring('p w');
 * w.finish(); // [{ data: bytes of 'a1 LOGIN fred "p w"\r\n', waitForContinuation: false }]
 * ```
 */
export class CommandWriter {
  private readonly frags: CommandFragment[] = [];
  private parts: Uint8Array[] = [];
  private text = '';

  /** @param opts - literal flow and UTF-8 options */
  constructor(readonly opts: EncodeCommandOptions) {}

  /** Appends protocol text (the caller vouches it holds no CR, LF or NUL). */
  raw(s: string): this {
    this.text += s;
    return this;
  }

  /** Appends text from a value after checking it holds no CR, LF or NUL. */
  line(s: string, what: string): this {
    if (typeof s !== 'string') throw new TypeError(`${what} must be a string`);
    assertNoLineBreak(s, what);
    return this.raw(s);
  }

  private flushText(): void {
    if (this.text !== '') this.parts.push(encodeUtf8(this.text));
    this.text = '';
  }

  private cut(wait: boolean): void {
    this.flushText();
    if (this.parts.length === 0) {
      if (wait) throw new Error('internal: a wait point with nothing before it');
      return;
    }
    let data: Uint8Array;
    if (this.parts.length === 1) data = this.parts[0]!;
    else {
      let n = 0;
      for (const p of this.parts) n += p.length;
      data = new Uint8Array(n);
      let o = 0;
      for (const p of this.parts) (data.set(p, o), (o += p.length));
    }
    this.frags.push({ data, waitForContinuation: wait });
    this.parts = [];
  }

  /** A literal `{n}` (or `~{n}` literal8), synchronizing unless LITERAL+/LITERAL- allow otherwise. */
  literal(bytes: Uint8Array, binary = false): this {
    if (!(bytes instanceof Uint8Array)) throw new TypeError('a literal must be bytes');
    // A literal is CHAR8 (no NUL); only literal8 may carry NUL octets (RFC 3516).
    if (!binary && bytes.includes(0)) throw new TypeError('a NUL octet can only be sent in a literal8 (binary) value');
    const nonSync = this.opts.literalPlus || (this.opts.literalMinus && bytes.length <= 4096);
    this.text += `${binary ? '~' : ''}{${bytes.length}${nonSync ? '+' : ''}}\r\n`;
    if (!nonSync) this.cut(true);
    if (bytes.length >= ZERO_COPY_MIN) {
      this.cut(false);
      this.frags.push({ data: bytes, waitForContinuation: false });
    } else {
      this.flushText();
      this.parts.push(bytes);
    }
    return this;
  }

  /** astring: an atom of ASTRING-CHARs (but `[`, which quoting keeps simple for readers) when possible, else quoted or literal. */
  astring(value: string): this {
    if (typeof value !== 'string') throw new TypeError('expected a string');
    const bytes = encodeUtf8(value);
    if (stringForm(bytes, ASTRING_ATOM) === 'atom') return this.raw(value);
    return this.string(bytes);
  }

  /**
   * string: the form syntax.ts's `stringForm` picks (quoted when every octet is a TEXT-CHAR and it
   * is short, a literal otherwise); under UTF8=ACCEPT, short valid UTF-8 without controls is
   * quoted too (RFC 9051 QUOTED-CHAR =/ UTF8-2 / UTF8-3 / UTF8-4).
   */
  string(value: string | Uint8Array): this {
    const bytes = typeof value === 'string' ? encodeUtf8(value) : value;
    if (!(bytes instanceof Uint8Array)) throw new TypeError('expected a string');
    let form = stringForm(bytes);
    if (form === 'literal' && this.opts.utf8Accept && bytes.length < 1000 && quotableUtf8(bytes)) form = 'quoted';
    if (form === 'literal') return this.literal(bytes);
    // The bytes may be UTF-8: append them as they are rather than through the text buffer.
    this.flushText();
    const out = new Uint8Array(bytes.length * 2 + 2);
    let o = 0;
    out[o++] = 0x22;
    for (const c of bytes) {
      if (c === 0x22 || c === 0x5c) out[o++] = 0x5c;
      out[o++] = c;
    }
    out[o++] = 0x22;
    this.parts.push(out.subarray(0, o));
    return this;
  }

  /** nstring: NIL for null, a string otherwise. */
  nstring(value: string | null): this {
    return value === null ? this.raw('NIL') : this.string(value);
  }

  /** A mailbox name: INBOX canonical, modified UTF-7 unless UTF8=ACCEPT. */
  mailbox(name: string): this {
    if (typeof name !== 'string') throw new TypeError('a mailbox name must be a string');
    return this.astring(name.toUpperCase() === 'INBOX' ? 'INBOX' : this.opts.utf8Accept ? name : encodeMailboxName(name));
  }

  /** An atom, checked. */
  atom(v: string, what: string): this {
    return this.raw(atomOrThrow(v, what));
  }

  /** A flag: `\` + atom, or an atom. */
  flag(f: string): this {
    if (typeof f !== 'string' || !/^\\?[^\s()"{}%*\\\]\x00-\x1f\x7f-\uffff]+$/.test(f)) throw new TypeError(`bad flag "${String(f)}"`);
    return this.raw(f);
  }

  /** flag-list = "(" [flag *(SP flag)] ")". */
  flagList(flags: readonly string[]): this {
    if (!Array.isArray(flags)) throw new TypeError('flags must be an array');
    this.raw('(');
    flags.forEach((f, i) => (i > 0 && this.raw(' '), this.flag(f)));
    return this.raw(')');
  }

  /** A sequence set, or `$`. */
  sequenceSet(s: SequenceSet | '$'): this {
    if (s === '$') return this.raw('$');
    if (!(s instanceof SequenceSet)) throw new TypeError('expected a SequenceSet or "$"');
    return this.raw(s.toString());
  }

  /** A number in 0..max (an unsigned 32-bit value by default). */
  number(n: number, what: string, min = 0, max = 0xffffffff): this {
    if (!Number.isSafeInteger(n) || n < min || n > max) throw new TypeError(`bad ${what} ${String(n)}`);
    return this.raw(String(n));
  }

  /** A mod-sequence or other 63-bit value. */
  number64(n: bigint, what: string, min = 0n, max = MAX_MODSEQ): this {
    if (typeof n !== 'bigint' || n < min || n > max) throw new TypeError(`bad ${what}`);
    return this.raw(String(n));
  }

  /** Items separated by SP, each written by `item`. */
  each<T>(items: readonly T[], item: (x: T) => void): this {
    items.forEach((x, i) => {
      if (i > 0) this.raw(' ');
      item(x);
    });
    return this;
  }

  /** Ends the command with CRLF and returns its fragments. */
  finish(): CommandFragment[] {
    // Raw text (SEARCH criteria, an unknown command's arguments) ending in "{n}" would read as a literal announcement.
    if (endsInAnnouncement(this.text)) throw new TypeError('command text must not end in a literal announcement "{n}"');
    this.text += '\r\n';
    this.cut(false);
    return this.frags;
  }
}
