/**
 * The cursor every command reader pulls its tokens from: the shared {@link Reader} of
 * `syntax.ts` (one definition of the character classes and of atom, astring, string, literal,
 * number ...) plus the rules only commands use: mailbox and list-mailbox names, sequence sets,
 * flags, bounded numbers, literal8 forms and the lossless rest of an unknown command. No
 * intermediate tree: a reader for `append` asks for a `mailbox`, then a `flag-list`, then a
 * literal, and gets typed values straight from the bytes. Every method costs time linear in the
 * bytes it consumes.
 *
 * @packageDocumentation
 */

import { ProtocolError } from '../core/errors';
import { decodeLatin1 } from '../core/bytes';
import { decodeMailboxName } from './mailbox-name';
import { SequenceSet } from './sequence-set';
import { ATOM_CHAR, LENIENT_ASTRING, LENIENT_ATOM, LIST_CHAR, Reader, decodeText, type FramedUnit, type StreamedLiteral } from './syntax';

/** An APPEND literal above the streaming threshold: its octets went out as chunk items; this stands in its place. */
export type StreamedCommandLiteral = StreamedLiteral;

/** A literal as read: its octets (or the streamed stand-in) and whether it was a literal8 (`~{n}`). */
export interface ReadLiteral {
  readonly data: Uint8Array | StreamedLiteral;
  readonly binary: boolean;
}

/** Limits and modes shared by the command readers. */
export interface CommandReaderOptions {
  /** Deepest nesting of parentheses (SEARCH criteria, NOTIFY). Default 100 (`TOO_DEEP`). */
  readonly maxDepth?: number;
  /** Most items in one parenthesised list. Default 1,000,000 (`TOO_MANY`). */
  readonly maxListItems?: number;
  /** UTF8=ACCEPT is enabled: mailbox names are UTF-8, not modified UTF-7. */
  readonly utf8Accept?: boolean;
}

/** list-char = ATOM-CHAR / list-wildcards / resp-specials, and 8-bit octets (a raw UTF-8 name). */
const LIST_NAME = /* @__PURE__ */ LIST_CHAR.map((v, c) => (v === 1 || c >= 0x80 ? 1 : 0));
/** ATOM-CHAR and 8-bit octets, for names read up to `[` or `<` (fetch-att). */
const ATOM_NAME = /* @__PURE__ */ ATOM_CHAR.map((v, c) => (v === 1 || c >= 0x80 ? 1 : 0));

/**
 * A cursor over one framed command: {@link Reader} with the command-only rules.
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
export class CommandReader extends Reader {
  /** Mailbox names are UTF-8 (UTF8=ACCEPT). */
  readonly utf8Accept: boolean;

  constructor(unit: FramedUnit, options: CommandReaderOptions = {}) {
    super(unit, { maxDepth: options.maxDepth, maxListItems: options.maxListItems });
    this.utf8Accept = options.utf8Accept ?? false;
  }

  /** Consumes `byte`; throws naming what it was for. */
  override expect(byte: number, what?: string): void {
    if (!this.accept(byte)) throw this.unexpected(`"${String.fromCharCode(byte)}"${what ? ` ${what}` : ''}`);
  }

  /**
   * An atom upper-cased (ASCII letters only). Built from the run's bytes at once: a hostile
   * 1 MiB "atom" of `[` (`BODY[[[...`) costs one decode, not a million string appends.
   */
  override keyword(cls: Uint8Array = LENIENT_ATOM): string {
    const b = this.runBytes(cls);
    if (b.length === 0) throw this.unexpected('a keyword');
    return decodeLatin1(b).replace(/[a-z]+/g, (m) => m.toUpperCase());
  }

  /** The position on the current line, to come back to with {@link CommandReader.reset}. */
  mark(): number {
    return this.pos;
  }

  /** Back to a position from {@link CommandReader.mark} (same line). */
  reset(mark: number): void {
    this.pos = mark;
  }

  /** The text of the current line from `mark` to the cursor. */
  textSince(mark: number): string {
    return decodeText(this.slice(mark));
  }

  /** Throws unless the command ends here. */
  end(what: string): void {
    if (!this.atEnd()) throw this.unexpected(`the end of ${what}`);
  }

  /** 1*ASTRING-CHAR (`''` when none): a tag, before it is checked. */
  astringAtom(): string {
    return decodeText(this.runBytes(LENIENT_ASTRING));
  }

  /** ATOM-CHARs up to (not including) any of `stops` (`''` when none): the name before `[` in `BODY[...]`. */
  atomUntil(stops: readonly number[]): string {
    const l = this.line;
    const start = this.pos;
    let i = start;
    while (i < l.length && ATOM_NAME[l[i]!] === 1 && !stops.includes(l[i]!)) i++;
    this.pos = i;
    return decodeText(l.subarray(start, i));
  }

  /** literal / literal8, telling which: `{ data, binary }`. */
  literalOrLiteral8(): ReadLiteral {
    const binary = this.peek() === 0x7e;
    return { data: this.literal(), binary };
  }

  /**
   * astring (atom, quoted string or literal) whose octets must be valid UTF-8: a user name, a
   * password, a mailbox name. RFC 3501 atoms and quoted strings are 7-bit; RFC 9051 and
   * RFC 6855 (UTF8=ACCEPT) allow UTF-8 in quoted strings, and real clients send it in atoms too,
   * so valid UTF-8 is read in any form. Octets that are not UTF-8 (`a LOGIN \xFF pass`) throw
   * `SYNTAX` (the server answers BAD): read as Latin-1 they would name someone else (`\xFF` and
   * `\xC3\xBF` would both read "ÿ").
   */
  utf8Astring(what: string): string {
    const at = this.offset();
    let invalid = false;
    const text = decodeText(this.astringBytes(), () => (invalid = true));
    if (invalid) throw new ProtocolError('SYNTAX', `${what} is not valid UTF-8`, { offset: at });
    return text;
  }

  /** mailbox = "INBOX" / astring (valid UTF-8): INBOX in any case is INBOX; modified UTF-7 decoded unless UTF8=ACCEPT. */
  mailbox(): string {
    return this.mailboxName(this.utf8Astring('the mailbox name'));
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

  /** list-mailbox = 1*list-char / string. */
  listMailbox(): string {
    if (this.peek() === 0x22 || this.atLiteral()) return this.mailboxName(decodeText(this.stringBytes()));
    const b = this.runBytes(LIST_NAME);
    if (b.length === 0) throw this.unexpected('a mailbox pattern');
    return this.mailboxName(decodeText(b));
  }

  /** number = 1*DIGIT within `min`..`max` (an unsigned 32-bit value by default). */
  numberIn(what: string, max = 0xffffffff, min = 0): number {
    const at = this.pos;
    const n = this.atDigit() ? this.number() : -1;
    if (n < min || n > max) {
      this.pos = at;
      throw this.error(`${what} needs a number from ${min} to ${max}`);
    }
    return n;
  }

  /** nz-number = digit-nz *DIGIT, up to `max`. */
  nzNumberIn(what: string, max = 0xffffffff): number {
    if (this.peek() === 0x30) throw this.error(`${what} needs a non-zero number`);
    return this.numberIn(what, max, 1);
  }

  /** number64 / mod-sequence-value within `min`..`max` (default 0..2^63-1), as a bigint. */
  number64In(what: string, min = 0n, max = 2n ** 63n - 1n): bigint {
    const at = this.pos;
    const n = this.atDigit() ? this.number64() : -1n;
    if (n < min || n > max) {
      this.pos = at;
      throw this.error(`${what} out of range`);
    }
    return n;
  }

  /** sequence-set (RFC 9051 9), or `$` (seq-last-command, RFC 5182). */
  sequenceSet(): SequenceSet | '$' {
    const l = this.line;
    const start = this.pos;
    let i = start;
    while (i < l.length && ((l[i]! >= 0x30 && l[i]! <= 0x3a) || l[i] === 0x2a || l[i] === 0x2c || l[i] === 0x24)) i++;
    const t = decodeText(l.subarray(start, i));
    if (i < l.length && ATOM_NAME[l[i]!] === 1) throw this.error(`"${t.slice(0, 20)}..." is not a sequence set`);
    this.pos = i;
    if (t === '$') return '$';
    const s = SequenceSet.parse(t);
    if (s instanceof ProtocolError) throw this.error(`"${t.slice(0, 20)}" is not a sequence set`);
    return s;
  }

  /** A sequence set proper (no `$`). */
  plainSequenceSet(what: string): SequenceSet {
    const s = this.sequenceSet();
    if (s === '$') throw this.error(`${what} needs a sequence set, not "$"`);
    return s;
  }

  /** flag = "\" atom / atom (`]` allowed: Gmail keywords like `[Gmail]/x`). */
  flag(): string {
    const slash = this.accept(0x5c);
    const a = this.runBytes(LENIENT_ASTRING);
    if (a.length === 0 || a[0] === 0x5c) throw this.unexpected('a flag');
    return slash ? `\\${decodeText(a)}` : decodeText(a);
  }

  /** flag-list = "(" [flag *(SP flag)] ")". */
  flagList(): string[] {
    return this.parenList(() => this.flag(), 'the flag list', true);
  }

  /** "(" item *(SP item) ")" (exactly one SP between items), at least one item unless `allowEmpty`. */
  parenList<T>(item: () => T, what: string, allowEmpty = false): T[] {
    this.expect(0x28, `to open ${what}`);
    this.enter();
    const out: T[] = [];
    if (this.accept(0x29)) {
      if (!allowEmpty) throw this.error(`${what} must not be empty`);
      this.leave();
      return out;
    }
    do {
      out.push(item());
      if (out.length > this.maxListItems) throw this.error(`${what} longer than ${this.maxListItems} items`, 'TOO_MANY');
    } while (this.accept(0x20));
    this.expect(0x29, `to close ${what}`);
    this.leave();
    return out;
  }

  /**
   * The rest of the command, losslessly: the text up to the first literal, then each literal
   * with the text that followed it (an unknown command keeps everything it carried).
   */
  rest(): { text: string; literals: { octets: Uint8Array; binary: boolean; text: string }[] } {
    const literals: { octets: Uint8Array; binary: boolean; text: string }[] = [];
    let text = '';
    for (;;) {
      const l = this.line;
      let end = l.length;
      const hasLiteral = this.lineIndex < this.unit.literals.length && this.lineIndex + 1 < this.unit.lines.length;
      if (hasLiteral) {
        end = l.lastIndexOf(0x7b);
        if (end > 0 && l[end - 1] === 0x7e) end--;
      }
      const piece = decodeText(l.subarray(this.pos, Math.max(end, this.pos)));
      if (literals.length === 0) text = piece;
      else literals[literals.length - 1]!.text = piece;
      if (!hasLiteral) {
        this.pos = l.length;
        return { text, literals };
      }
      this.pos = end;
      const { data, binary } = this.literalOrLiteral8();
      if (!(data instanceof Uint8Array)) throw this.error('a streamed literal in an unknown command');
      literals.push({ octets: data, binary, text: '' });
    }
  }
}
