/**
 * The byte builder behind `encodeCommand`: protocol text, strings that pick atom / quoted /
 * literal by themselves, and literals that cut the output into fragments at the points where
 * a synchronizing literal must wait for the server's `+`.
 *
 * @packageDocumentation
 */

import { encodeUtf8 } from '../core/bytes';
import { literalAnnouncement } from './lexer';
import { encodeMailboxName } from './mailbox-name';
import type { CommandFragment } from './command-types';

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
  if (!ATOM_RE.test(v)) throw new TypeError(`${what} "${v}" is not a valid atom`);
  return v;
}

/**
 * Collects the bytes of one command. Internal to the encoder; the search-criteria and
 * fetch-item writers share it.
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

  private flushText(): void {
    if (this.text !== '') this.parts.push(encodeUtf8(this.text));
    this.text = '';
  }

  private cut(wait: boolean): void {
    this.flushText();
    let n = 0;
    for (const p of this.parts) n += p.length;
    const data = new Uint8Array(n);
    let o = 0;
    for (const p of this.parts) (data.set(p, o), (o += p.length));
    this.frags.push({ data, waitForContinuation: wait });
    this.parts = [];
  }

  /** A literal `{n}` (or `~{n}` literal8), synchronizing unless LITERAL+/LITERAL- allow otherwise. */
  literal(bytes: Uint8Array, binary = false): this {
    // A literal is CHAR8 (no NUL); only literal8 may carry NUL octets (RFC 3516).
    if (!binary && bytes.includes(0)) throw new TypeError('a NUL octet can only be sent in a literal8 (binary) value');
    const nonSync = this.opts.literalPlus || (this.opts.literalMinus && bytes.length <= 4096);
    this.text += `${binary ? '~' : ''}{${bytes.length}${nonSync ? '+' : ''}}\r\n`;
    if (!nonSync) this.cut(true);
    else this.flushText();
    this.parts.push(bytes);
    return this;
  }

  /** astring: atom when every char is an ASTRING-CHAR, quoted when printable, literal otherwise. */
  astring(value: string): this {
    const bytes = encodeUtf8(value);
    let atom = bytes.length > 0;
    for (const c of bytes) {
      // "[" and "]" are legal in an astring atom but quoting them keeps readers simple.
      if (c <= 0x20 || c > 0x7e || c === 0x28 || c === 0x29 || c === 0x7b || c === 0x25 || c === 0x2a || c === 0x22 || c === 0x5c || c === 0x5b || c === 0x5d) {
        atom = false;
        break;
      }
    }
    if (atom && value.toUpperCase() !== 'NIL') return this.raw(value);
    return this.string(bytes);
  }

  /** string: quoted when printable (UTF-8 too under UTF8=ACCEPT) and short, a literal otherwise. */
  string(value: string | Uint8Array): this {
    const bytes = typeof value === 'string' ? encodeUtf8(value) : value;
    let quoted = bytes.length < 1024;
    for (let i = 0; i < bytes.length && quoted; i++) {
      const c = bytes[i]!;
      if (c < 0x20 || c === 0x7f || (c > 0x7f && !this.opts.utf8Accept)) quoted = false;
    }
    if (!quoted) return this.literal(bytes);
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

  /** A mailbox name: INBOX canonical, modified UTF-7 unless UTF8=ACCEPT. */
  mailbox(name: string): this {
    return this.astring(name.toUpperCase() === 'INBOX' ? 'INBOX' : this.opts.utf8Accept ? name : encodeMailboxName(name));
  }

  /** Ends the command with CRLF and returns its fragments. */
  finish(): CommandFragment[] {
    // Raw text (SEARCH criteria, an unknown command's arguments) ending in "{n}" would read as a literal announcement.
    if (literalAnnouncement(encodeUtf8(this.text)) !== null) throw new TypeError('command text must not end in a literal announcement "{n}"');
    this.text += '\r\n';
    this.cut(false);
    return this.frags;
  }
}
