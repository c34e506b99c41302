/**
 * The cursor every command reader pulls its tokens from: one framed command (its lines and
 * the literals that followed them), read byte by byte with methods named after the ABNF rules
 * of RFC 9051 9 / RFC 3501 9. No intermediate tree: a reader for `append` asks for a
 * `mailbox`, then `flag-list`, then `literal`, and gets typed values straight from the bytes.
 * Every method costs time linear in the bytes it consumes.
 *
 * @packageDocumentation
 */

import { decodeLatin1, decodeUtf8 } from '../core/bytes';
import { ProtocolError } from '../core/errors';
import { decodeMailboxName } from './mailbox-name';
import { SequenceSet } from './sequence-set';

/** An APPEND literal above the streaming threshold: its octets went out as chunk items; this stands in its place. */
export interface StreamedCommandLiteral {
  readonly kind: 'streamed';
  /** Announced size in octets. */
  readonly size: number;
  /** True for a `~{n}` literal8 (RFC 3516). */
  readonly binary: boolean;
}

/** One framed command: `lines[i]` (without CRLF) was followed by `literals[i]` when it ended in a literal announcement. */
export interface FramedCommand {
  readonly lines: readonly Uint8Array[];
  readonly literals: readonly (Uint8Array | StreamedCommandLiteral)[];
}

/** A literal as read: its octets (or the streamed stand-in) and whether it was a literal8. */
export interface ReadLiteral {
  readonly data: Uint8Array | StreamedCommandLiteral;
  readonly binary: boolean;
}

/** Limits and modes shared by the command readers. */
export interface CommandReaderOptions {
  /** Deepest nesting of parentheses (SEARCH criteria, NOTIFY). Default 100 (`TOO_DEEP`). */
  readonly maxDepth?: number;
  /** UTF8=ACCEPT is enabled: mailbox names are UTF-8, not modified UTF-7. */
  readonly utf8Accept?: boolean;
}

const SP = 0x20;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;

/**
 * Byte classes. ATOM-CHAR = any CHAR except atom-specials (`(` `)` `{` SP CTL `%` `*` `"` `\`
 * `]`); ASTRING-CHAR adds `]`; list-char adds `%` and `*`. 8-bit octets count as atom chars
 * (a raw UTF-8 atom reads as UTF-8, as RFC 9051's UTF8=ACCEPT clients send them).
 */
const ATOM = 1;
const ASTRING = 2;
const LIST = 4;
const CLASS = new Uint8Array(256);
for (let c = 0x21; c < 0x100; c++) {
  if (c === 0x7f) continue;
  const special = c === 0x28 || c === 0x29 || c === LBRACE || c === 0x25 || c === 0x2a || c === DQUOTE || c === BACKSLASH || c === 0x5d;
  CLASS[c] = special ? 0 : ATOM | ASTRING | LIST;
}
CLASS[0x5d] = ASTRING | LIST;
CLASS[0x25] = LIST;
CLASS[0x2a] = LIST;

/** True when `c` is an ATOM-CHAR (RFC 9051 9). */
export function isAtomChar(c: number): boolean {
  return (CLASS[c]! & ATOM) !== 0;
}

/** True when `c` is an ASTRING-CHAR (ATOM-CHAR or `]`). */
export function isAstringChar(c: number): boolean {
  return (CLASS[c]! & ASTRING) !== 0;
}

function latin1(b: Uint8Array, start: number, end: number): string {
  if (end - start > 64) return decodeLatin1(b, start, end);
  let s = '';
  for (let k = start; k < end; k++) s += String.fromCharCode(b[k]!);
  return s;
}

/**
 * A cursor over one framed command.
 *
 * @example
 * ```ts
 * import { imap } from 'mailwire';
 * const r = new imap.CommandReader({ lines: [new TextEncoder().encode('"a b" 1:4,7 (\\Seen)')], literals: [] });
 * r.astring(); // 'a b'
 * r.sp();
 * r.sequenceSet().toString(); // '1:4,7'
 * ```
 */
export class CommandReader {
  private li = 0;
  private pos = 0;
  private line: Uint8Array;
  /** Deepest nesting allowed. */
  readonly maxDepth: number;
  /** Mailbox names are UTF-8 (UTF8=ACCEPT). */
  readonly utf8Accept: boolean;

  constructor(
    private readonly unit: FramedCommand,
    options: CommandReaderOptions = {},
  ) {
    this.line = unit.lines[0] ?? new Uint8Array(0);
    this.maxDepth = options.maxDepth ?? 100;
    this.utf8Accept = options.utf8Accept ?? false;
  }

  /** The next byte, or -1 at the end of the current line. */
  peek(): number {
    return this.pos < this.line.length ? this.line[this.pos]! : -1;
  }

  /** The byte `k` places ahead on the current line, or -1. */
  peekAt(k: number): number {
    const p = this.pos + k;
    return p < this.line.length ? this.line[p]! : -1;
  }

  /** The position on the current line, to come back to with {@link CommandReader.reset}. */
  mark(): number {
    return this.pos;
  }

  /** Back to a position from {@link CommandReader.mark} (same line). */
  reset(mark: number): void {
    this.pos = mark;
  }

  /** The text of the current line from `mark` to the cursor (as read: Latin-1 for ASCII, UTF-8 otherwise). */
  textSince(mark: number): string {
    return this.text(mark, this.pos);
  }

  /**
   * Skips a balanced parenthesised value on the current line (quoted strings inside may hold
   * parentheses), for extension values kept as their wire text. Linear; depth bounded.
   */
  skipParenthesised(): void {
    const l = this.line;
    let depth = 0;
    let i = this.pos;
    while (i < l.length) {
      const c = l[i++]!;
      if (c === 0x22) {
        while (i < l.length && l[i] !== 0x22) i += l[i] === BACKSLASH ? 2 : 1;
        i++;
      } else if (c === 0x28) {
        if (++depth > this.maxDepth) {
          this.pos = i;
          throw this.error(`lists nested deeper than ${this.maxDepth}`, 'TOO_DEEP');
        }
      } else if (c === 0x29 && --depth === 0) {
        this.pos = i;
        return;
      }
    }
    this.pos = l.length;
    throw this.error('unbalanced parentheses');
  }

  /** True at the end of the last line. */
  atEnd(): boolean {
    return this.li === this.unit.lines.length - 1 && this.pos >= this.line.length;
  }

  /** A ProtocolError at the current position (offset counted over the lines). */
  error(message: string, code: 'SYNTAX' | 'TOO_DEEP' | 'TOO_MANY' = 'SYNTAX'): ProtocolError {
    let offset = this.pos;
    for (let i = 0; i < this.li; i++) offset += this.unit.lines[i]!.length;
    return new ProtocolError(code, message, { offset });
  }

  /** Consumes `byte` if it is next. */
  accept(byte: number): boolean {
    if (this.peek() !== byte) return false;
    this.pos++;
    return true;
  }

  /** Consumes `byte`; throws a ProtocolError when it is not next. */
  expect(byte: number, what?: string): void {
    if (!this.accept(byte)) throw this.error(`expected "${String.fromCharCode(byte)}"${what ? ` ${what}` : ''}`);
  }

  /** SP. */
  sp(): void {
    if (this.peek() !== SP) throw this.error('expected SP');
    this.pos++;
  }

  /** Throws unless the command ends here. */
  end(what: string): void {
    if (!this.atEnd()) throw this.error(`unexpected text after ${what}`);
  }

  /** Consumes `word` (ASCII, case-insensitive) when it is next and not followed by an atom char. */
  acceptWord(word: string): boolean {
    const l = this.line;
    const p = this.pos;
    if (p + word.length > l.length) return false;
    for (let k = 0; k < word.length; k++) if ((l[p + k]! | (l[p + k]! >= 0x41 && l[p + k]! <= 0x5a ? 0x20 : 0)) !== (word.charCodeAt(k) | (word.charCodeAt(k) >= 0x41 && word.charCodeAt(k) <= 0x5a ? 0x20 : 0))) return false;
    const after = p + word.length < l.length ? l[p + word.length]! : -1;
    if (after >= 0 && isAtomChar(after)) return false;
    this.pos = p + word.length;
    return true;
  }

  /** atom = 1*ATOM-CHAR (`''` when none is there). */
  atom(): string {
    const l = this.line;
    const start = this.pos;
    let i = start;
    while (i < l.length && (CLASS[l[i]!]! & ATOM) !== 0) i++;
    this.pos = i;
    return this.text(start, i);
  }

  /** ATOM-CHARs up to (not including) any of `stops` (`''` when none): the name before `[` in `BODY[...]`. */
  atomUntil(stops: readonly number[]): string {
    const l = this.line;
    const start = this.pos;
    let i = start;
    while (i < l.length && (CLASS[l[i]!]! & ATOM) !== 0 && !stops.includes(l[i]!)) i++;
    this.pos = i;
    return this.text(start, i);
  }

  /** An atom that must be there, upper-cased: a command name, a keyword, an option name. */
  keyword(what: string): string {
    const a = this.atom();
    if (a === '') throw this.error(`expected ${what}`);
    return a.toUpperCase();
  }

  /** 1*ASTRING-CHAR (`''` when none). */
  astringAtom(): string {
    const l = this.line;
    const start = this.pos;
    let i = start;
    while (i < l.length && (CLASS[l[i]!]! & ASTRING) !== 0) i++;
    this.pos = i;
    return this.text(start, i);
  }

  /** tag = 1*<any ASTRING-CHAR except "+"> (`''` when none). */
  tag(): string {
    const l = this.line;
    const start = this.pos;
    let i = start;
    while (i < l.length && (CLASS[l[i]!]! & ASTRING) !== 0 && l[i] !== 0x2b && l[i]! < 0x80) i++;
    this.pos = i;
    return latin1(l, start, i);
  }

  /** ASCII as Latin-1 (fast), other octets as UTF-8. */
  private text(start: number, end: number): string {
    const l = this.line;
    for (let k = start; k < end; k++) if (l[k]! >= 0x80) return decodeUtf8(l.subarray(start, end));
    return latin1(l, start, end);
  }

  /** quoted = DQUOTE *QUOTED-CHAR DQUOTE; `\"` and `\\` are escapes. A view into the line when it has none. */
  quoted(): Uint8Array {
    const l = this.line;
    this.expect(DQUOTE);
    const start = this.pos;
    let i = start;
    while (i < l.length && l[i] !== DQUOTE && l[i] !== BACKSLASH) i++;
    if (i < l.length && l[i] === DQUOTE) {
      this.pos = i + 1;
      return l.subarray(start, i);
    }
    const out = new Uint8Array(l.length - start);
    let o = 0;
    for (let k = start; k < i; k++) out[o++] = l[k]!;
    for (;;) {
      if (i >= l.length) {
        this.pos = i;
        throw this.error('unterminated quoted string');
      }
      const c = l[i++]!;
      if (c === DQUOTE) break;
      if (c === BACKSLASH) {
        if (i >= l.length) continue;
        out[o++] = l[i++]!;
        continue;
      }
      out[o++] = c;
    }
    this.pos = i;
    return out.subarray(0, o);
  }

  /** True when a literal (`{` or `~{`) starts here. */
  atLiteral(): boolean {
    const c = this.peek();
    return c === LBRACE || (c === 0x7e && this.peekAt(1) === LBRACE);
  }

  /** literal = "{" number64 ["+"] "}" CRLF *CHAR8, and literal8 = "~{" number64 ["+"] "}" CRLF *OCTET. */
  literal(): ReadLiteral {
    const binary = this.accept(0x7e);
    this.expect(LBRACE);
    const l = this.line;
    const close = l.indexOf(RBRACE, this.pos);
    if (close !== l.length - 1) throw this.error('a literal announcement must end the line');
    const data = this.unit.literals[this.li];
    if (data === undefined || this.li + 1 >= this.unit.lines.length) throw this.error('literal without its octets');
    this.li++;
    this.line = this.unit.lines[this.li]!;
    this.pos = 0;
    return { data, binary };
  }

  /** string = quoted / literal, as bytes (a streamed literal is refused: only APPEND messages stream). */
  string(): Uint8Array {
    if (this.peek() === DQUOTE) return this.quoted();
    if (!this.atLiteral()) throw this.error('expected a string');
    const { data } = this.literal();
    if (!(data instanceof Uint8Array)) throw this.error('a streamed literal where a string was expected');
    return data;
  }

  /** astring = 1*ASTRING-CHAR / string, as text (UTF-8). */
  astring(): string {
    const c = this.peek();
    if (c === DQUOTE || c === LBRACE || c === 0x7e) {
      if (c === 0x7e && this.peekAt(1) !== LBRACE) return this.astringAtom();
      return decodeUtf8(this.string());
    }
    const a = this.astringAtom();
    if (a === '') throw this.error('expected a string');
    return a;
  }

  /** nstring = string / nil, as text; `null` for NIL. */
  nstring(): string | null {
    if (this.acceptWord('NIL')) return null;
    return decodeUtf8(this.string());
  }

  /** mailbox = "INBOX" / astring: INBOX in any case is INBOX; modified UTF-7 decoded unless UTF8=ACCEPT. */
  mailbox(): string {
    return this.mailboxName(this.astring());
  }

  /** Decodes a mailbox name as read (INBOX canonical, modified UTF-7 unless UTF8=ACCEPT). */
  mailboxName(s: string): string {
    if (s.length === 5 && s.toUpperCase() === 'INBOX') return 'INBOX';
    if (this.utf8Accept) return s;
    try {
      return decodeMailboxName(s);
    } catch (e) {
      throw this.error(`mailbox name is not valid modified UTF-7: ${(e as Error).message}`);
    }
  }

  /** list-mailbox = 1*list-char / string (list-char = ATOM-CHAR / list-wildcards / resp-specials). */
  listMailbox(): string {
    const c = this.peek();
    if (c === DQUOTE || this.atLiteral()) return this.mailboxName(decodeUtf8(this.string()));
    const l = this.line;
    const start = this.pos;
    let i = start;
    while (i < l.length && (CLASS[l[i]!]! & LIST) !== 0) i++;
    if (i === start) throw this.error('expected a mailbox pattern');
    this.pos = i;
    return this.mailboxName(this.text(start, i));
  }

  /** number = 1*DIGIT (an unsigned 32-bit value, or up to `max`). */
  number(what: string, max = 0xffffffff, min = 0): number {
    const l = this.line;
    const start = this.pos;
    let i = start;
    let n = 0;
    while (i < l.length && l[i]! >= 0x30 && l[i]! <= 0x39 && i - start < 17) n = n * 10 + (l[i++]! - 0x30);
    if (i === start || (i < l.length && l[i]! >= 0x30 && l[i]! <= 0x39) || n > max || n < min) throw this.error(`${what} needs a number`);
    this.pos = i;
    return n;
  }

  /** nz-number = digit-nz *DIGIT. */
  nzNumber(what: string, max = 0xffffffff): number {
    if (this.peek() === 0x30) throw this.error(`${what} needs a non-zero number`);
    return this.number(what, max, 1);
  }

  /** number64 / mod-sequence-value: up to 2^63-1 (or `max`), as a bigint. */
  number64(what: string, min = 0n, max = 2n ** 63n - 1n): bigint {
    const l = this.line;
    const start = this.pos;
    let i = start;
    while (i < l.length && l[i]! >= 0x30 && l[i]! <= 0x39 && i - start < 21) i++;
    if (i === start || (i < l.length && l[i]! >= 0x30 && l[i]! <= 0x39)) throw this.error(`${what} needs a number`);
    const n = BigInt(latin1(l, start, i));
    if (n < min || n > max) throw this.error(`${what} out of range`);
    this.pos = i;
    return n;
  }

  /** sequence-set (RFC 9051 9), or `$` (seq-last-command, RFC 5182). */
  sequenceSet(): SequenceSet | '$' {
    const l = this.line;
    const start = this.pos;
    let i = start;
    while (i < l.length && ((l[i]! >= 0x30 && l[i]! <= 0x3a) || l[i] === 0x2a || l[i] === 0x2c || l[i] === 0x24)) i++;
    const t = latin1(l, start, i);
    if (i < l.length && isAtomChar(l[i]!)) throw this.error(`"${t.slice(0, 20)}${String.fromCharCode(l[i]!)}" is not a sequence set`);
    this.pos = i;
    if (t === '$') return '$';
    const s = SequenceSet.parse(t);
    if (!s) throw this.error(`"${t.slice(0, 20)}" is not a sequence set`);
    return s;
  }

  /** A sequence set proper (no `$`). */
  plainSequenceSet(what: string): SequenceSet {
    const s = this.sequenceSet();
    if (s === '$') throw this.error(`${what} needs a sequence set, not "$"`);
    return s;
  }

  /** flag = "\Answered" / ... / flag-keyword / flag-extension: "\" atom, or an atom (`]` allowed: Gmail keywords). */
  flag(): string {
    const start = this.pos;
    const slash = this.accept(BACKSLASH);
    const a = this.astringAtom();
    if (a === '') {
      this.pos = start;
      throw this.error('expected a flag');
    }
    return slash ? `\\${a}` : a;
  }

  /** flag-list = "(" [flag *(SP flag)] ")". */
  flagList(): string[] {
    this.expect(0x28, 'to open a flag list');
    const out: string[] = [];
    if (this.accept(0x29)) return out;
    do out.push(this.flag());
    while (this.accept(SP));
    this.expect(0x29, 'to close the flag list');
    return out;
  }

  /** "(" item *(SP item) ")" with at least one item, each read by `item`. */
  parenList<T>(item: () => T, what: string, allowEmpty = false): T[] {
    this.expect(0x28, `to open ${what}`);
    const out: T[] = [];
    if (this.accept(0x29)) {
      if (!allowEmpty) throw this.error(`${what} must not be empty`);
      return out;
    }
    do out.push(item());
    while (this.accept(SP));
    this.expect(0x29, `to close ${what}`);
    return out;
  }

  /**
   * The rest of the command, losslessly: the text up to the first literal, then each literal
   * with the text that followed it (an unknown command keeps everything it carried).
   */
  rest(): { text: string; literals: { data: Uint8Array; binary: boolean; text: string }[] } {
    const literals: { data: Uint8Array; binary: boolean; text: string }[] = [];
    let text = '';
    for (;;) {
      const l = this.line;
      let end = l.length;
      const lit = this.li < this.unit.literals.length ? this.unit.literals[this.li] : undefined;
      let binary = false;
      if (lit !== undefined && this.li + 1 < this.unit.lines.length) {
        end = l.lastIndexOf(LBRACE);
        if (end > 0 && l[end - 1] === 0x7e) {
          binary = true;
          end--;
        }
      }
      const piece = decodeUtf8(l.subarray(this.pos, end));
      if (literals.length === 0) text = piece;
      else literals[literals.length - 1]!.text = piece;
      if (end === l.length) {
        this.pos = l.length;
        return { text, literals };
      }
      if (!(lit instanceof Uint8Array)) throw this.error('a streamed literal in an unknown command');
      literals.push({ data: lit, binary, text: '' });
      this.li++;
      this.line = this.unit.lines[this.li]!;
      this.pos = 0;
    }
  }
}
