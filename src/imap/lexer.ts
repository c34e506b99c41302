/**
 * The IMAP lexer (RFC 3501 9 / RFC 9051 9 formal syntax): reads values from a framed unit
 * (the lines of one response or command, with the literals that followed each line).
 * Values form a small tree — atoms, numbers, strings (quoted or literal, kept as bytes), NIL
 * and parenthesised lists — which the response and command grammars then interpret.
 *
 * @packageDocumentation
 */

import { decodeUtf8 } from '../core/bytes';
import { ProtocolError } from '../core/errors';
import type { FramedUnit, Value } from './syntax';

export { frameUnit, literalAnnouncement } from './framer';
export type { FramedUnit, StreamedLiteral, Value } from './syntax';

/** Limits the lexer enforces. */
export interface LexerLimits {
  /** Deepest list nesting. Default 100 (`TOO_DEEP`). */
  readonly maxDepth?: number;
  /** Most items in one list. Default 1,000,000 (`TOO_MANY`). */
  readonly maxListItems?: number;
  /**
   * Let atoms contain "]" (ASTRING-CHAR in commands). Off for responses, where "]" closes a
   * response code.
   */
  readonly bracketInAtom?: boolean;
  /**
   * Read a DQUOTE inside a quoted string as part of it unless SP, ")", "]" or the end of the
   * line follows it: servers that copy header values without escaping them send
   * `"MOUNDARY="x""` or `""""` (MailKit issue 485, go-imap issue 659), and the grammar never
   * puts anything else right after a closing quote. Off by default; responses turn it on.
   */
  readonly unescapedQuotes?: boolean;
}

const SP = 0x20;
const NIL: Value = Object.freeze({ kind: 'nil' as const });
const DQUOTE = 0x22;
const LPAREN = 0x28;
const RPAREN = 0x29;
const LBRACE = 0x7b;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const BACKSLASH = 0x5c;

/**
 * A cursor over a framed unit. Methods named after the ABNF rules they read.
 *
 * @example
 * ```ts
 * import { imap } from 'mailwire';
 * const lx = new imap.Lexer({ lines: [new TextEncoder().encode('(\\Seen "a b" NIL 42)')], literals: [] });
 * lx.value(); // { kind: 'list', items: [atom \Seen, string "a b", nil, number 42] }
 * ```
 */
export class Lexer {
  private readonly unit: FramedUnit;
  private li = 0;
  private pos = 0;
  /** The current line (`unit.lines[li]`), cached: it is read for every byte. */
  private line: Uint8Array;
  /** Deepest nesting allowed ({@link LexerLimits.maxDepth}); grammars that nest without lists (SEARCH) share it. */
  readonly maxDepth: number;
  private readonly maxItems: number;
  private bracketInAtom: boolean;
  private readonly unescapedQuotes: boolean;

  constructor(unit: FramedUnit, limits: LexerLimits = {}) {
    this.unit = unit;
    this.line = unit.lines[0] ?? new Uint8Array(0);
    this.bracketInAtom = limits.bracketInAtom ?? false;
    this.unescapedQuotes = limits.unescapedQuotes ?? false;
    this.maxDepth = limits.maxDepth ?? 100;
    this.maxItems = limits.maxListItems ?? 1_000_000;
  }

  /** The next byte, or -1 at the end of the current line. */
  peek(): number {
    return this.pos < this.line.length ? this.line[this.pos]! : -1;
  }

  /** The current position, to come back to with {@link Lexer.reset}. */
  mark(): number {
    return this.pos;
  }

  /** Back to a position from {@link Lexer.mark} on the same line (for a fallback after a failed parse). */
  reset(mark: number): void {
    this.pos = mark;
  }

  /** Runs `read` with "]" allowed inside atoms (flag lists: Gmail sends keywords like `OIB-Seen-[Google Mail]/Alle`). */
  withBracketsInAtoms<T>(read: () => T): T {
    const saved = this.bracketInAtom;
    this.bracketInAtom = true;
    try {
      return read();
    } finally {
      this.bracketInAtom = saved;
    }
  }

  /** True at the end of the last line. */
  atEnd(): boolean {
    return this.li === this.unit.lines.length - 1 && this.pos >= this.line.length;
  }

  /** A ProtocolError at the current position. */
  error(message: string, code: 'SYNTAX' | 'TOO_DEEP' | 'TOO_MANY' = 'SYNTAX'): ProtocolError {
    let offset = this.pos;
    for (let i = 0; i < this.li; i++) offset += this.unit.lines[i]!.length;
    return new ProtocolError(code, message, { offset });
  }

  /** Consumes one SP; throws a ProtocolError when it is not there. */
  sp(): void {
    if (this.peek() !== SP) throw this.error('expected SP');
    this.pos++;
  }

  /** Consumes SP if present (servers sometimes double them). */
  optionalSp(): boolean {
    const l = this.line;
    let p = this.pos;
    if (p >= l.length || l[p] !== SP) return false;
    while (p < l.length && l[p] === SP) p++;
    this.pos = p;
    return true;
  }

  /** Consumes `byte` if it is next. */
  accept(byte: number): boolean {
    if (this.peek() !== byte) return false;
    this.pos++;
    return true;
  }

  /** Consumes `byte`; throws when it is not next. */
  expect(byte: number): void {
    if (!this.accept(byte)) throw this.error(`expected "${String.fromCharCode(byte)}"`);
  }

  /**
   * atom (with the response-side extensions: a leading `\` for flags, `\*`, and
   * `[section]<partial>` for fetch attribute names). Empty string when none is there.
   */
  atom(): string {
    const l = this.line;
    const start = this.pos;
    let i = this.pos;
    while (i < l.length) {
      const c = l[i]!;
      if (c === LBRACKET) {
        // section-spec: up to the matching "]", which may hold a parenthesised header list
        // (a space at the top level only before that list).
        let depth = 0;
        let k = i + 1;
        while (k < l.length && !(l[k] === RBRACKET && depth === 0) && !(l[k] === SP && depth === 0 && l[k + 1] !== LPAREN)) {
          if (l[k] === LPAREN) depth++;
          else if (l[k] === RPAREN) depth--;
          k++;
        }
        // No closing "]" before a space: the "[" is an ordinary atom character.
        i = k < l.length && l[k] === RBRACKET ? k + 1 : i + 1;
        continue;
      }
      if (c <= SP || c === LPAREN || c === RPAREN || c === DQUOTE || c === LBRACE || c === 0x7f || (c === RBRACKET && !this.bracketInAtom)) break;
      i++;
    }
    this.pos = i;
    let s = '';
    for (let k = start; k < i; k++) s += String.fromCharCode(l[k]!);
    return s;
  }

  /** Any value: list, quoted string, literal, NIL, number or atom. */
  value(depth = 0): Value {
    const c = this.peek();
    if (c === LPAREN) return this.list(depth + 1);
    if (c === DQUOTE) return this.quoted();
    if (c === LBRACE || (c === 0x7e && this.line[this.pos + 1] === LBRACE)) return this.literal();
    // Classify on the bytes before building a string: numbers and NIL are the common cases.
    const l = this.line;
    const start = this.pos;
    let i = start;
    let n = 0;
    while (i < l.length && l[i]! >= 0x30 && l[i]! <= 0x39) n = n * 10 + (l[i++]! - 0x30);
    const digits = i - start;
    if (digits > 0 && digits <= 15 && (i === l.length || l[i] === SP || l[i] === RPAREN)) {
      this.pos = i;
      // The text differs from String(n) only with leading zeros ("007").
      let text: string;
      if (l[start] !== 0x30 || digits === 1) text = String(n);
      else {
        text = '';
        for (let k = start; k < i; k++) text += String.fromCharCode(l[k]!);
      }
      return { kind: 'number', value: n, text };
    }
    if (i === start && i + 3 <= l.length && (l[i]! | 0x20) === 0x6e && (l[i + 1]! | 0x20) === 0x69 && (l[i + 2]! | 0x20) === 0x6c && (i + 3 === l.length || l[i + 3] === SP || l[i + 3] === RPAREN)) {
      this.pos = i + 3;
      return NIL;
    }
    const a = this.atom();
    if (a === '') throw this.error(c < 0 ? 'unexpected end of line' : `unexpected "${String.fromCharCode(c)}"`);
    if (a.length <= 20 && /^\d+$/.test(a)) return { kind: 'number', value: Number(a), text: a };
    return { kind: 'atom', value: a };
  }

  /** "(" [value *(SP value)] ")" — lenient about extra spaces. */
  list(depth: number): Value {
    if (depth > this.maxDepth) throw this.error(`lists nested deeper than ${this.maxDepth}`, 'TOO_DEEP');
    this.expect(LPAREN);
    const items: Value[] = [];
    this.optionalSp();
    while (!this.accept(RPAREN)) {
      if (this.peek() < 0) throw this.error('unterminated list');
      items.push(this.value(depth));
      if (items.length > this.maxItems) throw this.error(`list longer than ${this.maxItems} items`, 'TOO_MANY');
      this.optionalSp();
    }
    return { kind: 'list', items };
  }

  /** quoted = DQUOTE *QUOTED-CHAR DQUOTE, with `\"` and `\\`; 8-bit bytes are kept. */
  quoted(): Value {
    const l = this.line;
    this.expect(DQUOTE);
    const start = this.pos;
    // Fast path: no escapes, the value is a view into the line.
    let i = start;
    while (i < l.length && l[i] !== DQUOTE && l[i] !== BACKSLASH) i++;
    if (i < l.length && l[i] === DQUOTE && this.closes(i)) {
      this.pos = i + 1;
      return { kind: 'string', value: l.subarray(start, i), form: 'quoted' };
    }
    const out: number[] = [];
    for (let k = start; k < i; k++) out.push(l[k]!);
    this.pos = i;
    for (;;) {
      if (this.pos >= l.length) throw this.error('unterminated quoted string');
      const c = l[this.pos++]!;
      if (c === DQUOTE && this.closes(this.pos - 1)) break;
      if (c === BACKSLASH && this.pos < l.length) {
        out.push(l[this.pos++]!);
        continue;
      }
      out.push(c);
    }
    return { kind: 'string', value: Uint8Array.from(out), form: 'quoted' };
  }

  /** Whether the DQUOTE at `i` ends the quoted string (always, unless `unescapedQuotes`). */
  private closes(i: number): boolean {
    if (!this.unescapedQuotes) return true;
    const n = this.line[i + 1];
    return n === undefined || n === SP || n === RPAREN || n === RBRACKET;
  }

  /** literal = "{" number ["+"] "}" CRLF *CHAR8, and literal8 "~{" number "}" (the framer already collected the octets). */
  literal(): Value {
    const binary = this.accept(0x7e);
    this.expect(LBRACE);
    while (this.pos < this.line.length && this.line[this.pos] !== 0x7d) this.pos++;
    this.expect(0x7d);
    if (this.pos !== this.line.length) throw this.error('literal announcement must end the line');
    const lit = this.unit.literals[this.li];
    if (lit === undefined || this.li + 1 >= this.unit.lines.length) throw this.error('literal without its octets');
    this.li++;
    this.line = this.unit.lines[this.li]!;
    this.pos = 0;
    if (lit instanceof Uint8Array) return { kind: 'string', value: lit, form: binary ? 'literal8' : 'literal' };
    return lit;
  }

  /** text = 1*TEXT-CHAR: the rest of the current line, as UTF-8. */
  text(): string {
    const t = decodeUtf8(this.line, this.pos);
    this.pos = this.line.length;
    return t;
  }
}

/** A string, atom or number value as text (UTF-8, invalid sequences replaced); `null` for NIL and lists. */
export function stringValue(v: Value): string | null {
  if (v.kind === 'string') return decodeUtf8(v.value);
  if (v.kind === 'atom') return v.value;
  if (v.kind === 'number') return v.text;
  return null;
}
