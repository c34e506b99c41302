/**
 * The IMAP formal syntax at the byte level (RFC 9051 9, RFC 3501 9): the one definition of the
 * character classes (ATOM-CHAR, ASTRING-CHAR, tag, list and flag characters, TEXT-CHAR,
 * QUOTED-CHAR) as byte tables, a {@link Reader} whose methods are named after the ABNF rules
 * they read (atom, astring, nstring, string, quoted, literal, number, nz-number, number64 ...),
 * and the one {@link WireWriter} that picks atom, quoted string or literal for a value.
 *
 * Readers of both sides (responses and commands) pull tokens straight from a
 * {@link FramedUnit} with these methods: there is no intermediate value tree. Every method
 * moves forward over each byte once, so reading a unit costs time linear in its size.
 *
 * @packageDocumentation
 */

import { EMPTY_BYTES, concatBytes, decodeLatin1, describeBytes, encodeUtf8, upperAscii } from '../core/bytes';
import { ProtocolError, type ProtocolErrorCode } from '../core/errors';
import { BACKSLASH, DQUOTE, LBRACE, LPAREN, RBRACE, RPAREN, SP, TILDE } from './chars';

// ---------------------------------------------------------------------------------------------
// Character classes

function table(pred: (c: number) => boolean): Uint8Array {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) t[c] = pred(c) ? 1 : 0;
  return t;
}

const has = (chars: string, c: number): boolean => chars.includes(String.fromCharCode(c));

/**
 * ATOM-CHAR = <any CHAR except atom-specials>;
 * atom-specials = "(" / ")" / "{" / SP / CTL / list-wildcards / quoted-specials / resp-specials.
 * A byte table: `ATOM_CHAR[b] === 1` when `b` is an ATOM-CHAR.
 */
export const ATOM_CHAR: Uint8Array = /* @__PURE__ */ table((c) => c > 0x20 && c < 0x7f && !has('(){%*"\\]', c));

/** ASTRING-CHAR = ATOM-CHAR / resp-specials (resp-specials = "]"). */
export const ASTRING_CHAR: Uint8Array = /* @__PURE__ */ table((c) => ATOM_CHAR[c] === 1 || c === 0x5d);

/** Tag characters: tag = 1*<any ASTRING-CHAR except "+">. */
export const TAG_CHAR: Uint8Array = /* @__PURE__ */ table((c) => ASTRING_CHAR[c] === 1 && c !== 0x2b);

/** list-char = ATOM-CHAR / list-wildcards / resp-specials; list-wildcards = "%" / "*". */
export const LIST_CHAR: Uint8Array = /* @__PURE__ */ table((c) => ATOM_CHAR[c] === 1 || c === 0x25 || c === 0x2a || c === 0x5d);

/**
 * Flag characters: flag-keyword = atom, flag-extension = "\" atom, plus `\*` (flag-perm).
 * The table holds the atom characters; {@link isFlag} checks the whole shape.
 */
export const FLAG_CHAR: Uint8Array = ATOM_CHAR;

/** TEXT-CHAR = <any CHAR except CR and LF> (CHAR = %x01-7F). */
export const TEXT_CHAR: Uint8Array = /* @__PURE__ */ table((c) => c >= 0x01 && c <= 0x7f && c !== 0x0d && c !== 0x0a);

/** QUOTED-CHAR = <any TEXT-CHAR except quoted-specials> / "\" quoted-specials (the table holds the unescaped ones). */
export const QUOTED_CHAR: Uint8Array = /* @__PURE__ */ table((c) => TEXT_CHAR[c] === 1 && c !== 0x22 && c !== 0x5c);

/**
 * What a lenient reader takes as part of an atom in server output: ATOM-CHARs plus `%`, `*` and
 * `\` (flags such as `\Seen` and `\*`, list wildcards) and every 8-bit byte (a raw UTF-8 atom
 * such as `Caf\xC3\xA9`, which RFC 9051's utf8 rules allow in many places). Stops at SP, CTL,
 * `(`, `)`, `{`, DQUOTE and `]`.
 */
export const LENIENT_ATOM: Uint8Array = /* @__PURE__ */ table((c) => c >= 0x80 || (c > 0x20 && c < 0x7f && !has('(){"]', c)));

/** {@link LENIENT_ATOM} plus `]` (ASTRING-CHAR): where `]` cannot close anything (mailbox names, flags, tags). */
export const LENIENT_ASTRING: Uint8Array = /* @__PURE__ */ table((c) => LENIENT_ATOM[c] === 1 || c === 0x5d);

/** The bytes {@link Reader.skipBalanced} stops at: "(", ")", DQUOTE, "{" and "~" (a literal8). */
const SKIP_STOP: Uint8Array = /* @__PURE__ */ table((c) => c === 0x28 || c === 0x29 || c === 0x22 || c === 0x7b || c === 0x7e);

/** True when every char of `s` (one or more) is in the byte table. */
export function isInClass(s: string, cls: Uint8Array): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff || cls[c] !== 1) return false;
  }
  return true;
}

/** atom = 1*ATOM-CHAR. */
export function isAtom(s: string): boolean {
  return isInClass(s, ATOM_CHAR);
}

/** tag = 1*<any ASTRING-CHAR except "+">. */
export function isTag(s: string): boolean {
  return isInClass(s, TAG_CHAR);
}

/** flag = "\" atom / atom, or `\*` (flag-perm). */
export function isFlag(s: string): boolean {
  if (s === '\\*') return true;
  return isInClass(s.charCodeAt(0) === 0x5c ? s.slice(1) : s, FLAG_CHAR);
}

// ---------------------------------------------------------------------------------------------
// Framed units

/** A literal too large to hold in memory: its octets went out as chunk items; this stands in its place. */
export interface StreamedLiteral {
  readonly kind: 'streamed';
  /** Announced size in octets. */
  readonly size: number;
  /** True for a `~{n}` literal8 (RFC 3516). */
  readonly binary: boolean;
}

/**
 * One framed unit (a response or a command): `lines[i]` (without CRLF) was followed by
 * `literals[i]` when it ended in a literal announcement.
 */
export interface FramedUnit {
  readonly lines: readonly Uint8Array[];
  readonly literals: readonly (Uint8Array | StreamedLiteral)[];
}

/** A saved {@link Reader} position. */
export interface ReaderMark {
  readonly lineIndex: number;
  readonly pos: number;
  readonly lineBase: number;
  readonly depth: number;
}

/** Limits a {@link Reader} enforces. */
export interface ReaderLimits {
  /** Deepest list nesting. Default 100 (`TOO_DEEP`). */
  readonly maxDepth?: number;
  /** Most items in one list. Default 1,000,000 (`TOO_MANY`). */
  readonly maxListItems?: number;
  /**
   * Read a DQUOTE inside a quoted string as part of it unless SP, ")", "]" or the end of the
   * line follows it: servers that copy header values without escaping them send
   * `"MOUNDARY="x""` or `""""` (MailKit issue 485, go-imap issue 659), and the grammar never
   * puts anything else right after a closing quote. Off by default; responses turn it on.
   */
  readonly unescapedQuotes?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Strings

const utf8Strict = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The text of a string's octets: ASCII one char per byte (the fast path), otherwise UTF-8 when
 * the octets are valid UTF-8, otherwise Latin-1 as a best effort (one char per byte, so nothing
 * is lost) after calling `onInvalid` with the octets, so the caller can keep them next to the
 * text.
 */
export function decodeText(bytes: Uint8Array, onInvalid?: (bytes: Uint8Array) => void): string {
  const n = bytes.length;
  let i = 0;
  while (i < n && bytes[i]! < 0x80) i++;
  if (i === n) return asciiText(bytes, 0, n);
  return decodeNonAscii(bytes, onInvalid);
}

/** The non-ASCII half of {@link decodeText}: strict UTF-8, else Latin-1 after `onInvalid`. Kept apart so the ASCII path stays small. */
function decodeNonAscii(bytes: Uint8Array, onInvalid?: (bytes: Uint8Array) => void): string {
  const s = decodeUtf8Strict(bytes);
  if (s !== null) return s;
  onInvalid?.(bytes);
  return decodeLatin1(bytes);
}

function decodeUtf8Strict(bytes: Uint8Array): string | null {
  try {
    return utf8Strict.decode(bytes);
  } catch {
    return null;
  }
}

const fromCharCode = String.fromCharCode;
const utf8Ascii = /* @__PURE__ */ new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * The text of the bytes `[start, end)`, one char per byte (Latin-1; ASCII is the case that
 * matters). Runs of up to 48 bytes are built with `String.fromCharCode` called with exactly as
 * many arguments as bytes, up to 16 a call, straight from the array (no view, no per-char
 * string): on Node 20 that beat a per-char loop 2-5x and `TextDecoder` 1.5-3x below 48 bytes.
 */
export function latin1Text(l: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n <= 16) return charsOf(l, start, n);
  if (n > 48) return decodeLatin1(l, start, end);
  let s = charsOf(l, start, 16);
  let p = start + 16;
  for (; end - p > 16; p += 16) s += charsOf(l, p, 16);
  return s + charsOf(l, p, end - p);
}

/** The `k` (0..16) bytes at `i` as chars, in one `fromCharCode` call of exactly `k` arguments. */
function charsOf(l: Uint8Array, i: number, k: number): string {
  switch (k) {
    case 0:
      return '';
    case 1:
      return fromCharCode(l[i]!);
    case 2:
      return fromCharCode(l[i]!, l[i + 1]!);
    case 3:
      return fromCharCode(l[i]!, l[i + 1]!, l[i + 2]!);
    case 4:
      return fromCharCode(l[i]!, l[i + 1]!, l[i + 2]!, l[i + 3]!);
    case 5:
      return fromCharCode(l[i]!, l[i + 1]!, l[i + 2]!, l[i + 3]!, l[i + 4]!);
    case 6:
      return fromCharCode(l[i]!, l[i + 1]!, l[i + 2]!, l[i + 3]!, l[i + 4]!, l[i + 5]!);
    case 7:
      return fromCharCode(l[i]!, l[i + 1]!, l[i + 2]!, l[i + 3]!, l[i + 4]!, l[i + 5]!, l[i + 6]!);
    case 8:
      return fromCharCode(l[i]!, l[i + 1]!, l[i + 2]!, l[i + 3]!, l[i + 4]!, l[i + 5]!, l[i + 6]!, l[i + 7]!);
    case 9:
      return fromCharCode(l[i]!, l[i + 1]!, l[i + 2]!, l[i + 3]!, l[i + 4]!, l[i + 5]!, l[i + 6]!, l[i + 7]!, l[i + 8]!);
    case 10:
      return fromCharCode(l[i]!, l[i + 1]!, l[i + 2]!, l[i + 3]!, l[i + 4]!, l[i + 5]!, l[i + 6]!, l[i + 7]!, l[i + 8]!, l[i + 9]!);
    case 11:
      return fromCharCode(l[i]!, l[i + 1]!, l[i + 2]!, l[i + 3]!, l[i + 4]!, l[i + 5]!, l[i + 6]!, l[i + 7]!, l[i + 8]!, l[i + 9]!, l[i + 10]!);
    case 12:
      return fromCharCode(l[i]!, l[i + 1]!, l[i + 2]!, l[i + 3]!, l[i + 4]!, l[i + 5]!, l[i + 6]!, l[i + 7]!, l[i + 8]!, l[i + 9]!, l[i + 10]!, l[i + 11]!);
    case 13:
      return fromCharCode(l[i]!, l[i + 1]!, l[i + 2]!, l[i + 3]!, l[i + 4]!, l[i + 5]!, l[i + 6]!, l[i + 7]!, l[i + 8]!, l[i + 9]!, l[i + 10]!, l[i + 11]!, l[i + 12]!);
    case 14:
      return fromCharCode(l[i]!, l[i + 1]!, l[i + 2]!, l[i + 3]!, l[i + 4]!, l[i + 5]!, l[i + 6]!, l[i + 7]!, l[i + 8]!, l[i + 9]!, l[i + 10]!, l[i + 11]!, l[i + 12]!, l[i + 13]!);
    case 15:
      return fromCharCode(l[i]!, l[i + 1]!, l[i + 2]!, l[i + 3]!, l[i + 4]!, l[i + 5]!, l[i + 6]!, l[i + 7]!, l[i + 8]!, l[i + 9]!, l[i + 10]!, l[i + 11]!, l[i + 12]!, l[i + 13]!, l[i + 14]!);
    default:
      return fromCharCode(l[i]!, l[i + 1]!, l[i + 2]!, l[i + 3]!, l[i + 4]!, l[i + 5]!, l[i + 6]!, l[i + 7]!, l[i + 8]!, l[i + 9]!, l[i + 10]!, l[i + 11]!, l[i + 12]!, l[i + 13]!, l[i + 14]!, l[i + 15]!);
  }
}

/**
 * The text of ASCII bytes `[start, end)` (the caller has checked every byte is below 0x80):
 * {@link latin1Text} for short runs, the runtime's decoder (native ASCII path) above 48 bytes.
 */
export function asciiText(l: Uint8Array, start: number, end: number): string {
  return end - start > 48 ? utf8Ascii.decode(l.subarray(start, end)) : latin1Text(l, start, end);
}

/** True when `bytes` is valid UTF-8 (ASCII included). */
export function isUtf8(bytes: Uint8Array): boolean {
  let ok = true;
  decodeText(bytes, () => (ok = false));
  return ok;
}

// ---------------------------------------------------------------------------------------------
// Reader


/**
 * A cursor over one {@link FramedUnit}, with methods named after the ABNF rules they read.
 * Methods throw a {@link ProtocolError} (with the byte offset in the unit) when the bytes do
 * not match; the entry points that use a reader (`readResponse`, `readCommand`) catch it and
 * return it, so nothing escapes to a caller.
 *
 * @example
 * ```ts
 * import { imap } from 'mailwire';
 * const r = new imap.Reader({ lines: [new TextEncoder().encode('42 "a b" NIL')], literals: [] });
 * r.number(); r.sp(); r.astring(); r.sp(); r.nstring(); // 42, 'a b', null
 * ```
 */
export class Reader {
  /** The unit being read. */
  readonly unit: FramedUnit;
  /** The current line (`unit.lines[lineIndex]`). */
  line: Uint8Array;
  /** Position in {@link Reader.line}. */
  pos = 0;
  /** Index of the current line in the unit. */
  lineIndex = 0;
  /** Offset of the current line from the start of the unit (lines, CRLFs and literals before it). */
  private lineBase = 0;
  /** Deepest list nesting allowed. */
  readonly maxDepth: number;
  /** Most items in one list. */
  readonly maxListItems: number;
  /**
   * Set by {@link Reader.nstringText} when the string it just read was not valid UTF-8: the
   * original octets (the text returned is then Latin-1). Null otherwise.
   */
  invalid: Uint8Array | null = null;
  /** Current nesting depth, kept by {@link Reader.enter} / {@link Reader.leave}. */
  depth = 0;
  /**
   * Called with each streamed literal the reader meets (and the reader itself), so the grammar
   * can say what it belongs to. See the response parser's probe.
   */
  onStreamed: ((lit: StreamedLiteral) => void) | null = null;
  private readonly unescapedQuotes: boolean;

  constructor(unit: FramedUnit, limits: ReaderLimits = {}) {
    this.unit = unit;
    this.unescapedQuotes = limits.unescapedQuotes ?? false;
    this.line = unit.lines[0] ?? EMPTY_BYTES;
    this.maxDepth = limits.maxDepth ?? 100;
    this.maxListItems = limits.maxListItems ?? 1_000_000;
  }

  /** The byte at the cursor, or -1 at the end of the current line. */
  peek(): number {
    return this.pos < this.line.length ? this.line[this.pos]! : -1;
  }

  /** The byte `k` positions ahead, or -1 past the end of the line. */
  peekAt(k: number): number {
    const p = this.pos + k;
    return p < this.line.length ? this.line[p]! : -1;
  }

  /** Consumes `byte` when it is next. */
  accept(byte: number): boolean {
    if (this.pos < this.line.length && this.line[this.pos] === byte) {
      this.pos++;
      return true;
    }
    return false;
  }

  /** Consumes `byte`; throws when something else is next. */
  expect(byte: number): void {
    if (!this.accept(byte)) throw this.unexpected(`"${String.fromCharCode(byte)}"`);
  }

  /** True at the end of the current line. */
  atLineEnd(): boolean {
    return this.pos >= this.line.length;
  }

  /** True at the end of the unit (the end of its last line). */
  atEnd(): boolean {
    return this.pos >= this.line.length && this.lineIndex >= this.unit.lines.length - 1;
  }

  /** Offset of the cursor in the unit. */
  offset(): number {
    return this.lineBase + this.pos;
  }

  /** A ProtocolError at the cursor. Peer bytes in `message` must already be escaped (see {@link describeBytes}). */
  error(message: string, code: ProtocolErrorCode = 'SYNTAX'): ProtocolError {
    return new ProtocolError(code, message, { offset: this.offset() });
  }

  /** A SYNTAX error naming what was expected and what is there (escaped: any peer byte can be quoted safely). */
  unexpected(expected: string): ProtocolError {
    if (this.atLineEnd()) return this.error(`expected ${expected}, found the end of the line`);
    return this.error(`expected ${expected}, found "${describeBytes(this.line.subarray(this.pos, this.pos + 12), 12)}"`);
  }

  /** SP: exactly one space. */
  sp(): void {
    if (!this.accept(SP)) throw this.unexpected('SP');
  }

  /** One or more spaces (lenient SP: servers double them); false when none is there. */
  spaces(): boolean {
    const l = this.line;
    let p = this.pos;
    while (p < l.length && l[p] === SP) p++;
    const moved = p !== this.pos;
    this.pos = p;
    return moved;
  }

  /** Advances over bytes of the class; returns how many. */
  run(cls: Uint8Array): number {
    const l = this.line;
    const start = this.pos;
    let p = start;
    while (p < l.length && cls[l[p]!] === 1) p++;
    this.pos = p;
    return p - start;
  }

  /** The bytes of a run of the class (a view of the line), possibly empty. */
  runBytes(cls: Uint8Array): Uint8Array {
    const start = this.pos;
    this.run(cls);
    return this.line.subarray(start, this.pos);
  }

  /**
   * atom = 1*ATOM-CHAR, over the given class (default {@link LENIENT_ATOM}); non-ASCII bytes
   * decode as UTF-8 like a quoted string's. Throws when no atom is there.
   */
  atom(cls: Uint8Array = LENIENT_ATOM): string {
    const start = this.pos;
    if (this.run(cls) === 0) throw this.unexpected('an atom');
    return decodeText(this.line.subarray(start, this.pos));
  }

  /** An atom upper-cased (ASCII letters only): keywords, response names, attribute names. */
  keyword(cls: Uint8Array = LENIENT_ATOM): string {
    const l = this.line;
    const start = this.pos;
    const n = this.run(cls);
    if (n === 0) throw this.unexpected('a keyword');
    let lower = false;
    for (let i = start; i < this.pos && !lower; i++) lower = l[i]! >= 0x61 && l[i]! <= 0x7a;
    // Servers send their keywords in upper case: then the bytes are the text.
    if (!lower) return latin1Text(l, start, this.pos);
    if (n > 32) return upperAscii(decodeLatin1(l, start, this.pos));
    let s = '';
    for (let i = start; i < this.pos; i++) {
      const c = l[i]!;
      s += String.fromCharCode(c >= 0x61 && c <= 0x7a ? c - 0x20 : c);
    }
    return s;
  }

  /** Whether the next bytes are `word` (ASCII, case-insensitive) followed by a byte outside `cls`. Consumes them when so. */
  acceptWord(word: string, cls: Uint8Array = LENIENT_ATOM): boolean {
    const l = this.line;
    const p = this.pos;
    const n = word.length;
    if (p + n > l.length) return false;
    for (let i = 0; i < n; i++) if ((l[p + i]! | 0x20) !== (word.charCodeAt(i) | 0x20)) return false;
    if (p + n < l.length && cls[l[p + n]!] === 1) return false;
    this.pos = p + n;
    return true;
  }

  /** NIL, when it is next (not as the start of a longer atom). */
  nil(): boolean {
    return this.acceptWord('NIL');
  }

  /** True when the cursor is at a run of digits. */
  atDigit(): boolean {
    const c = this.peek();
    return c >= 0x30 && c <= 0x39;
  }

  /** number = 1*DIGIT, as a safe integer (throws beyond 2^53 - 1). */
  number(): number {
    const l = this.line;
    const start = this.pos;
    let p = start;
    let n = 0;
    while (p < l.length && l[p]! >= 0x30 && l[p]! <= 0x39) n = n * 10 + (l[p++]! - 0x30);
    if (p === start) throw this.unexpected('a number');
    if (p - start > 16 || !Number.isSafeInteger(n)) throw this.error('number too large');
    this.pos = p;
    return n;
  }

  /** nz-number = digit-nz *DIGIT. */
  nzNumber(): number {
    const at = this.pos;
    const n = this.number();
    if (n === 0) {
      this.pos = at;
      throw this.unexpected('a non-zero number');
    }
    return n;
  }

  /** number64 = 1*DIGIT (RFC 9051: 0 .. 2^63 - 1; mod-sequences, Gmail ids up to 2^64 - 1) as a bigint. */
  number64(): bigint {
    const l = this.line;
    const start = this.pos;
    let p = start;
    while (p < l.length && l[p]! >= 0x30 && l[p]! <= 0x39) p++;
    if (p === start) throw this.unexpected('a number');
    if (p - start > 20) throw this.error('number too large');
    this.pos = p;
    return BigInt(decodeLatin1(l, start, p));
  }

  /**
   * quoted = DQUOTE *QUOTED-CHAR DQUOTE, with `\"` and `\\` escapes; 8-bit bytes are kept (UTF-8
   * in RFC 9051). Lenient: a backslash before another character stands for that character.
   * Returns a view of the line when there is no escape.
   */
  quoted(): Uint8Array {
    const l = this.line;
    this.expect(DQUOTE);
    const start = this.pos;
    let p = start;
    while (p < l.length && l[p] !== DQUOTE && l[p] !== BACKSLASH) p++;
    if (p < l.length && l[p] === DQUOTE && this.closes(p)) {
      this.pos = p + 1;
      return l.subarray(start, p);
    }
    // Escapes: find the closing quote first (forward only), then copy once into an array of
    // the exact size (sized by the rest of the line, it cost a zeroed line per escaped string).
    const first = p;
    let escapes = 0;
    for (;;) {
      if (p >= l.length) {
        this.pos = p;
        throw this.error('unterminated quoted string');
      }
      const c = l[p++]!;
      if (c === DQUOTE && this.closes(p - 1)) break;
      if (c === BACKSLASH) {
        if (p >= l.length) {
          this.pos = p;
          throw this.error('unterminated quoted string');
        }
        escapes++;
        p++;
      }
    }
    const end = p - 1;
    const out = new Uint8Array(end - start - escapes);
    out.set(l.subarray(start, first));
    let o = first - start;
    for (let k = first; k < end; k++) {
      const c = l[k]!;
      out[o++] = c === BACKSLASH ? l[++k]! : c;
    }
    this.pos = p;
    return out;
  }

  /** Whether the DQUOTE at `i` of the current line ends a quoted string (always, unless `unescapedQuotes`). */
  closes(i: number): boolean {
    if (!this.unescapedQuotes) return true;
    const n = this.line[i + 1];
    return n === undefined || n === SP || n === RPAREN || n === 0x5d;
  }

  /** True when a literal announcement (`{`, `~{`) is next. */
  atLiteral(): boolean {
    const c = this.peek();
    return c === LBRACE || (c === TILDE && this.peekAt(1) === LBRACE);
  }

  /**
   * literal = "{" number64 ["+"] "}" CRLF *CHAR8, literal8 = "~{" number64 "}" CRLF *OCTET
   * (RFC 3516); the framer already collected the octets. A literal that was streamed out as
   * chunk items reads as its {@link StreamedLiteral} marker.
   */
  literal(): Uint8Array | StreamedLiteral {
    this.accept(TILDE);
    this.expect(LBRACE);
    const l = this.line;
    let p = this.pos;
    while (p < l.length && l[p] !== RBRACE) p++;
    this.pos = p;
    this.expect(RBRACE);
    if (this.pos !== l.length) throw this.error('a literal announcement must end the line');
    const lit = this.unit.literals[this.lineIndex];
    if (lit === undefined || this.lineIndex + 1 >= this.unit.lines.length) throw this.error('literal without its octets', 'TRUNCATED');
    this.lineBase += l.length + 2 + (lit instanceof Uint8Array ? lit.length : lit.size);
    this.lineIndex++;
    this.line = this.unit.lines[this.lineIndex]!;
    this.pos = 0;
    if (!(lit instanceof Uint8Array) && this.onStreamed) this.onStreamed(lit);
    return lit;
  }

  /** string = quoted / literal. A streamed literal reads as its marker. */
  string(): Uint8Array | StreamedLiteral {
    if (this.peek() === DQUOTE) return this.quoted();
    if (this.atLiteral()) return this.literal();
    throw this.unexpected('a string');
  }

  /** string as bytes: a streamed literal reads as no bytes (its octets went out as chunks). */
  stringBytes(): Uint8Array {
    const s = this.string();
    return s instanceof Uint8Array ? s : EMPTY_BYTES;
  }

  /** astring = 1*ASTRING-CHAR / string, as bytes. `cls` is the atom class (default {@link LENIENT_ASTRING}). */
  astringBytes(cls: Uint8Array = LENIENT_ASTRING): Uint8Array {
    const c = this.peek();
    if (c === DQUOTE || c === LBRACE || (c === TILDE && this.peekAt(1) === LBRACE)) return this.stringBytes();
    const b = this.runBytes(cls);
    if (b.length === 0) throw this.unexpected('an atom or a string');
    return b;
  }

  /** astring as text (see {@link decodeText}). */
  astring(cls: Uint8Array = LENIENT_ASTRING, onInvalid?: (bytes: Uint8Array) => void): string {
    return decodeText(this.astringBytes(cls), onInvalid);
  }

  /** nstring = string / nil, as bytes. */
  nstringBytes(): Uint8Array | null {
    if (this.nil()) return null;
    return this.stringBytes();
  }

  /**
   * nstring as text without an intermediate view for the common case (a quoted string without
   * escapes is decoded straight from the line). When the octets are not valid UTF-8 the text is
   * Latin-1 and {@link Reader.invalid} holds the octets; otherwise `invalid` is null.
   */
  nstringText(): string | null {
    const l = this.line;
    if (this.pos < l.length && l[this.pos] === DQUOTE) return this.quotedText();
    this.invalid = null;
    const b = this.nstringBytes();
    if (b === null) return null;
    return this.textOf(b);
  }

  /**
   * quoted as text (see {@link Reader.quoted}): without escapes decoded straight from the line,
   * ASCII by {@link asciiText}; {@link Reader.invalid} as for {@link Reader.nstringText}.
   */
  quotedText(): string {
    this.invalid = null;
    const l = this.line;
    const n = l.length;
    const at = this.pos;
    this.expect(DQUOTE);
    const start = at + 1;
    let p = start;
    let high = 0;
    while (p < n) {
      const c = l[p]!;
      if (c === DQUOTE || c === BACKSLASH) break;
      high |= c;
      p++;
    }
    if (p < n && l[p] === DQUOTE && this.closes(p)) {
      this.pos = p + 1;
      return high < 0x80 ? asciiText(l, start, p) : this.textOf(l.subarray(start, p));
    }
    if (high < 0x80) {
      // ASCII with escapes: the runs between them straight from the line.
      let s = asciiText(l, start, p);
      while (p < n) {
        const c = l[p]!;
        if (c === BACKSLASH) {
          if (p + 1 >= n || l[p + 1]! >= 0x80) break;
          s += fromCharCode(l[p + 1]!);
          p += 2;
        } else if (c === DQUOTE && this.closes(p)) {
          this.pos = p + 1;
          return s;
        } else if (c >= 0x80) break;
        else {
          const run = p;
          while (p < n && l[p] !== BACKSLASH && l[p] !== DQUOTE && l[p]! < 0x80) p++;
          if (p === run) p++;
          s += asciiText(l, run, p);
        }
      }
    }
    // 8-bit bytes with escapes, or unterminated: the general path (it reports the error).
    this.pos = at;
    return this.textOf(this.quoted());
  }

  /** The text of octets (see {@link decodeText}); sets {@link Reader.invalid} to them when they are not UTF-8. */
  textOf(b: Uint8Array): string {
    const n = b.length;
    let i = 0;
    while (i < n && b[i]! < 0x80) i++;
    if (i === n) return asciiText(b, 0, n);
    const s = decodeUtf8Strict(b);
    if (s !== null) return s;
    this.invalid = b;
    return decodeLatin1(b);
  }

  /** nstring as text; `onInvalid` receives the octets of a string that is not valid UTF-8. */
  nstring(onInvalid?: (bytes: Uint8Array) => void): string | null {
    const b = this.nstringBytes();
    return b === null ? null : decodeText(b, onInvalid);
  }

  /** text = 1*TEXT-CHAR: the rest of the current line, as UTF-8 (lenient: empty allowed). */
  text(): string {
    const l = this.line;
    const t = decodeText(this.pos === 0 ? l : l.subarray(this.pos));
    this.pos = l.length;
    return t;
  }

  /** Enters one level of nesting (a list); throws `TOO_DEEP` past {@link Reader.maxDepth}. */
  enter(): void {
    if (++this.depth > this.maxDepth) throw this.error(`lists nested deeper than ${this.maxDepth}`, 'TOO_DEEP');
  }

  /** Leaves one level of nesting. */
  leave(): void {
    this.depth--;
  }

  /**
   * "(" [item *(SP item)] ")" — a parenthesised list of what `item` reads; lenient about
   * extra or missing spaces between items. Empty lists allowed.
   */
  list<T>(item: (r: Reader) => T): T[] {
    this.expect(LPAREN);
    this.enter();
    const out: T[] = [];
    this.spaces();
    while (!this.accept(RPAREN)) {
      if (this.atLineEnd() && !this.atLiteral()) throw this.error('unterminated list');
      out.push(item(this));
      if (out.length > this.maxListItems) throw this.error(`list longer than ${this.maxListItems} items`, 'TOO_MANY');
      this.spaces();
    }
    this.leave();
    return out;
  }

  /** `list` or NIL (null). */
  nlist<T>(item: (r: Reader) => T): T[] | null {
    return this.nil() ? null : this.list(item);
  }

  /**
   * Skips one value of any kind (atom, number, string, NIL, nested list) without building it:
   * for data a reader does not model. Linear in the bytes skipped.
   */
  skipValue(): void {
    const c = this.peek();
    if (c === LPAREN) {
      // `list` without building anything: no closure, no array.
      this.pos++;
      this.enter();
      let n = 0;
      this.spaces();
      while (!this.accept(RPAREN)) {
        if (this.atLineEnd() && !this.atLiteral()) throw this.error('unterminated list');
        this.skipValue();
        if (++n > this.maxListItems) throw this.error(`list longer than ${this.maxListItems} items`, 'TOO_MANY');
        this.spaces();
      }
      this.leave();
      return;
    }
    if (c === DQUOTE) {
      this.skipQuoted();
      return;
    }
    if (this.atLiteral()) {
      this.literal();
      return;
    }
    if (this.run(LENIENT_ASTRING) === 0) throw this.unexpected('a value');
  }

  /**
   * Skips one value like {@link Reader.skipValue}, a list in one forward loop with a depth count
   * (`TOO_DEEP` past {@link Reader.maxDepth}): quoted strings and literals are stepped over whole,
   * every other byte is passed. It checks balance only (item counts, atom characters and the
   * grammar are left to whoever reads the value later): for the lazy FETCH items.
   */
  skipBalanced(): void {
    if (this.peek() !== LPAREN) {
      this.skipValue();
      return;
    }
    let depth = 0;
    for (;;) {
      const l = this.line;
      const n = l.length;
      let p = this.pos;
      while (p < n) {
        const c = l[p]!;
        if (SKIP_STOP[c] === 0) {
          p++;
          continue;
        }
        if (c === LPAREN) {
          if (this.depth + ++depth > this.maxDepth) {
            this.pos = p;
            throw this.error(`lists nested deeper than ${this.maxDepth}`, 'TOO_DEEP');
          }
          p++;
        } else if (c === RPAREN) {
          p++;
          if (--depth === 0) {
            this.pos = p;
            return;
          }
        } else if (c === DQUOTE) {
          // skipQuoted, inlined: most of an ENVELOPE or BODYSTRUCTURE is quoted strings
          p++;
          for (;;) {
            if (p >= n) {
              this.pos = p;
              throw this.error('unterminated quoted string');
            }
            const d = l[p++]!;
            if (d === DQUOTE) {
              if (this.closes(p - 1)) break;
            } else if (d === BACKSLASH) {
              if (p >= n) {
                this.pos = p;
                throw this.error('unterminated quoted string');
              }
              p++;
            }
          }
        } else if (c === LBRACE || (c === TILDE && p + 1 < n && l[p + 1] === LBRACE)) {
          this.pos = p;
          this.literal();
          break;
        } else p++;
      }
      if (p >= n) {
        this.pos = n;
        throw this.error('unterminated list');
      }
    }
  }

  /** `quoted` without its octets: moves past the closing DQUOTE (same errors as {@link Reader.quoted}). */
  skipQuoted(): void {
    const l = this.line;
    const n = l.length;
    let p = this.pos + 1;
    for (;;) {
      if (p >= n) {
        this.pos = p;
        throw this.error('unterminated quoted string');
      }
      const c = l[p++]!;
      if (c === DQUOTE && this.closes(p - 1)) break;
      if (c === BACKSLASH) {
        if (p >= n) {
          this.pos = p;
          throw this.error('unterminated quoted string');
        }
        p++;
      }
    }
    this.pos = p;
  }

  /** A position to come back to with {@link Reader.restore} (also across literals): for a bounded look-ahead. */
  save(): ReaderMark {
    return { lineIndex: this.lineIndex, pos: this.pos, lineBase: this.lineBase, depth: this.depth };
  }

  /** Back to a position from {@link Reader.save}. */
  restore(m: ReaderMark): void {
    this.lineIndex = m.lineIndex;
    this.line = this.unit.lines[m.lineIndex] ?? EMPTY_BYTES;
    this.pos = m.pos;
    this.lineBase = m.lineBase;
    this.depth = m.depth;
  }

  /** The raw bytes of the current line between two positions (for values kept as sent). */
  slice(from: number, to = this.pos): Uint8Array {
    return this.line.subarray(from, to);
  }
}

// ---------------------------------------------------------------------------------------------
// Writer

/** How a string goes on the wire. */
export type StringForm = 'atom' | 'quoted' | 'literal';

/**
 * Picks the wire form of a string's octets: an atom when `atomClass` is given and every byte is
 * in it (never `NIL`, which would read back as nil), a quoted string when every byte is a
 * TEXT-CHAR and it is short, otherwise a literal (CR, LF, NUL, 8-bit bytes: nothing can end the
 * line early and nothing is reinterpreted).
 */
export function stringForm(bytes: Uint8Array, atomClass: Uint8Array | null = null): StringForm {
  const n = bytes.length;
  let atom = atomClass !== null && n > 0;
  let quotable = n < 1000;
  for (let i = 0; i < n && (atom || quotable); i++) {
    const c = bytes[i]!;
    if (TEXT_CHAR[c] !== 1) return 'literal';
    if (atom && atomClass![c] !== 1) atom = false;
  }
  if (atom && n === 3 && (bytes[0]! | 0x20) === 0x6e && (bytes[1]! | 0x20) === 0x69 && (bytes[2]! | 0x20) === 0x6c) atom = false;
  if (atom) return 'atom';
  return quotable ? 'quoted' : 'literal';
}

/**
 * Builds the bytes of one unit (a response or a command) as fragments: protocol text, and the
 * literal octets themselves (referenced, never copied). The one place that decides atom /
 * quoted / literal ({@link stringForm}) and refuses values that would change meaning.
 */
export class WireWriter {
  private parts: Uint8Array[] = [];
  private pending = '';
  /** Where each literal's octets sit in {@link WireWriter.fragments} (for writers that wait for `+`). */
  private literalIndexes: number[] = [];

  /** Appends protocol text that the caller has validated (no CR, LF or NUL). */
  raw(s: string): this {
    this.pending += s;
    return this;
  }

  /** Appends a number (non-negative integer or bigint); throws RangeError otherwise. */
  number(n: number | bigint): this {
    if (typeof n === 'bigint' ? n < 0n : !(Number.isSafeInteger(n) && n >= 0)) throw new RangeError(`not a non-negative integer: ${String(n)}`);
    this.pending += String(n);
    return this;
  }

  /** Appends an atom of the class (default {@link ATOM_CHAR}); throws TypeError when `s` is not one. */
  atom(s: string, cls: Uint8Array = ATOM_CHAR, what = 'atom'): this {
    if (!isInClass(s, cls)) throw new TypeError(`bad ${what} ${JSON.stringify(s)}`);
    this.pending += s;
    return this;
  }

  /**
   * Appends a string as an atom of `atomClass` (when given and possible), a quoted string or a
   * literal, whichever reads back as the same octets.
   */
  string(value: string | Uint8Array, atomClass: Uint8Array | null = null): this {
    const bytes = typeof value === 'string' ? encodeUtf8(value) : value;
    const form = stringForm(bytes, atomClass);
    if (form === 'literal') return this.literal(bytes);
    if (form === 'atom') {
      this.pending += decodeLatin1(bytes);
      return this;
    }
    let s = '"';
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i]!;
      if (c === DQUOTE || c === BACKSLASH) s += '\\';
      s += String.fromCharCode(c);
    }
    this.pending += `${s}"`;
    return this;
  }

  /** astring: an atom of ASTRING-CHARs when possible, else quoted or literal. */
  astring(value: string | Uint8Array): this {
    return this.string(value, ASTRING_CHAR);
  }

  /** nstring: NIL for null, else a string (never an atom). */
  nstring(value: string | Uint8Array | null | undefined): this {
    return value === null || value === undefined ? this.raw('NIL') : this.string(value);
  }

  /** Appends a literal `{n}` CRLF octets (`~{n}`, RFC 3516 literal8, when `binary`); the octets are referenced, not copied. */
  literal(bytes: Uint8Array, binary = false): this {
    this.pending += `${binary ? '~' : ''}{${bytes.length}}\r\n`;
    this.flush();
    this.literalIndexes.push(this.parts.length);
    this.parts.push(bytes);
    return this;
  }

  private flush(): void {
    if (this.pending !== '') this.parts.push(encodeUtf8(this.pending));
    this.pending = '';
  }

  /** The text written since the last literal (to check, e.g., that it does not end in `{n}`). */
  get tail(): string {
    return this.pending;
  }

  /**
   * Ends the unit with CRLF and returns its fragments: text fragments and the literal octets
   * as given (zero-copy). `literalIndexes` says which fragments are literal octets.
   */
  fragments(): { readonly fragments: Uint8Array[]; readonly literalIndexes: number[] } {
    this.pending += '\r\n';
    this.flush();
    const out = { fragments: this.parts, literalIndexes: this.literalIndexes };
    this.parts = [];
    this.literalIndexes = [];
    return out;
  }

  /** Ends the unit with CRLF and returns it as one byte array (copies the fragments together). */
  finish(): Uint8Array {
    return concatBytes(this.fragments().fragments);
  }
}

// ---------------------------------------------------------------------------------------------
// Values kept as sent (data a reader does not model)

/**
 * A value kept as it was sent, for data no typed reader models (unknown FETCH attributes, body
 * extension data, unknown ESEARCH return data, LIST extended items): atoms, numbers, strings
 * (octets, with the form they came in), NIL, lists, and streamed-literal markers.
 */
export type Value =
  | { readonly kind: 'atom'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number; readonly text: string }
  | { readonly kind: 'string'; readonly value: Uint8Array; readonly form: 'quoted' | 'literal' | 'literal8' }
  | { readonly kind: 'nil' }
  | { readonly kind: 'list'; readonly items: readonly Value[] }
  | StreamedLiteral;

const NIL_VALUE: Value = /* @__PURE__ */ Object.freeze({ kind: 'nil' as const });

/**
 * Reads any one value (list, quoted, literal, NIL, number or atom) as a {@link Value}. Only for
 * data no grammar rule types; typed readers never build these.
 */
export function readValue(r: Reader): Value {
  const c = r.peek();
  if (c === LPAREN) return { kind: 'list', items: r.list(readValue) };
  if (c === DQUOTE) return { kind: 'string', value: r.quoted(), form: 'quoted' };
  if (r.atLiteral()) {
    const binary = c === TILDE;
    const lit = r.literal();
    return lit instanceof Uint8Array ? { kind: 'string', value: lit, form: binary ? 'literal8' : 'literal' } : lit;
  }
  if (r.nil()) return NIL_VALUE;
  const start = r.pos;
  const n = r.run(LENIENT_ATOM);
  if (n === 0) throw r.unexpected('a value');
  const b = r.line.subarray(start, r.pos);
  let digits = true;
  for (let i = 0; i < n && digits; i++) digits = b[i]! >= 0x30 && b[i]! <= 0x39;
  const text = decodeText(b);
  if (digits && n <= 15) return { kind: 'number', value: Number(text), text };
  return { kind: 'atom', value: text };
}

/** A string, atom or number {@link Value} as text (see {@link decodeText}); null for NIL, lists and streamed literals. */
export function valueText(v: Value): string | null {
  if (v.kind === 'string') return decodeText(v.value);
  if (v.kind === 'atom') return v.value;
  if (v.kind === 'number') return v.text;
  return null;
}

/**
 * Writes a {@link Value} as read: atoms and numbers as text (checked), strings in the form they
 * came in (a quoted string that cannot stay quoted becomes a literal), lists recursively.
 * Throws TypeError for what would read back differently (a bad atom, a streamed marker).
 */
export function writeValue(w: WireWriter, v: Value): void {
  switch (v.kind) {
    case 'nil':
      w.raw('NIL');
      return;
    case 'number':
      if (!/^[0-9]{1,15}$/.test(v.text) || Number(v.text) !== v.value) throw new TypeError(`bad number value "${v.text}"`);
      w.raw(v.text);
      return;
    case 'atom': {
      const b = encodeUtf8(v.value);
      let ok = b.length > 0 && !(b.length === 3 && v.value.toUpperCase() === 'NIL');
      for (let i = 0; i < b.length && ok; i++) ok = LENIENT_ATOM[b[i]!] === 1;
      let digits = true;
      for (let i = 0; i < b.length && digits; i++) digits = b[i]! >= 0x30 && b[i]! <= 0x39;
      if (!ok || (digits && b.length <= 15)) throw new TypeError(`bad atom value ${JSON.stringify(v.value)}`);
      w.raw(v.value);
      return;
    }
    case 'string':
      if (v.form === 'literal8') w.literal(v.value, true);
      else if (v.form === 'literal') w.literal(v.value);
      else w.string(v.value);
      return;
    case 'list':
      w.raw('(');
      v.items.forEach((item, i) => {
        if (i > 0) w.raw(' ');
        writeValue(w, item);
      });
      w.raw(')');
      return;
    default:
      throw new TypeError('a streamed literal marker cannot be encoded; write its octets with a literal');
  }
}
