/**
 * FETCH items as typed values (RFC 3501 6.4.5, RFC 9051 6.4.5, RFC 3516 BINARY and the
 * attributes of common extensions), with their wire names both ways.
 *
 * @packageDocumentation
 */

import { encodeUtf8 } from '../core/bytes';
import { ProtocolError } from '../core/errors';
import { CommandReader } from './command-reader';

/** The macros, each only valid as the whole item list: ALL, FAST, FULL. */
export interface FetchMacroItem {
  readonly item: 'ALL' | 'FAST' | 'FULL';
}
/** A message attribute without a section. */
export interface FetchAttributeItem {
  readonly item:
    | 'FLAGS'
    | 'INTERNALDATE'
    | 'RFC822.SIZE'
    | 'ENVELOPE'
    | 'BODYSTRUCTURE'
    /** The non-extensible BODYSTRUCTURE (without a section). */
    | 'BODY'
    | 'UID'
    | 'RFC822'
    | 'RFC822.HEADER'
    | 'RFC822.TEXT'
    /** RFC 7162 CONDSTORE. */
    | 'MODSEQ'
    /** RFC 8474. */
    | 'EMAILID'
    | 'THREADID'
    /** RFC 8514. */
    | 'SAVEDATE'
    /** RFC 8970. */
    | 'PREVIEW'
    /** Gmail. */
    | 'X-GM-MSGID'
    | 'X-GM-THRID'
    | 'X-GM-LABELS';
  /** `PREVIEW (LAZY)` (RFC 8970 3.2): only a preview the server has at hand. */
  readonly lazy?: true;
}
/** `<offset.length>` of a partial fetch. */
export interface FetchPartial {
  readonly offset: number;
  readonly length: number;
}
/** A body section (RFC 3501 `section-spec`): a part path, then optionally what of it. */
export interface FetchSection {
  /** Part numbers, e.g. `[4, 2]` for `4.2`; empty for the whole message. */
  readonly part: readonly number[];
  /** HEADER, HEADER.FIELDS, HEADER.FIELDS.NOT, TEXT, MIME (only after a part), or null for the part's content. */
  readonly text: 'HEADER' | 'HEADER.FIELDS' | 'HEADER.FIELDS.NOT' | 'TEXT' | 'MIME' | null;
  /** The header field names of HEADER.FIELDS / HEADER.FIELDS.NOT (empty otherwise). */
  readonly fields: readonly string[];
}
/** `BODY[section]<partial>` / `BODY.PEEK[...]` (peek leaves \Seen alone). */
export interface FetchBodySectionItem {
  readonly item: 'BODY[]';
  readonly peek: boolean;
  readonly section: FetchSection;
  readonly partial: FetchPartial | null;
}
/** `BINARY[part]<partial>` / `BINARY.PEEK[...]` (RFC 3516, RFC 9051): the decoded content. */
export interface FetchBinaryItem {
  readonly item: 'BINARY[]';
  readonly peek: boolean;
  readonly part: readonly number[];
  readonly partial: FetchPartial | null;
}
/** `BINARY.SIZE[part]`: the size of the decoded part. */
export interface FetchBinarySizeItem {
  readonly item: 'BINARY.SIZE';
  readonly part: readonly number[];
}

/** One FETCH item. */
export type FetchItem = FetchMacroItem | FetchAttributeItem | FetchBodySectionItem | FetchBinaryItem | FetchBinarySizeItem;

const ATTRIBUTES = new Set(['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODYSTRUCTURE', 'BODY', 'UID', 'RFC822', 'RFC822.HEADER', 'RFC822.TEXT', 'MODSEQ', 'EMAILID', 'THREADID', 'SAVEDATE', 'PREVIEW', 'X-GM-MSGID', 'X-GM-THRID', 'X-GM-LABELS']);
const MACROS = new Set(['ALL', 'FAST', 'FULL']);
const FIELD_ATOM = /^[!#$&'+-9;-Z^-z|~]+$/;

function partPath(part: readonly number[]): string {
  for (const n of part) if (!Number.isInteger(n) || n < 1 || n > 0xffffffff) throw new TypeError(`bad section part number ${n}`);
  return part.join('.');
}

function partialText(p: FetchPartial | null): string {
  if (p === null) return '';
  if (!Number.isSafeInteger(p.offset) || p.offset < 0 || !Number.isSafeInteger(p.length) || p.length < 1) throw new TypeError('bad partial range');
  return `<${p.offset}.${p.length}>`;
}

function fieldName(f: string): string {
  // RFC 5322 field names are printable ASCII without ":"; mailwire also keeps out the
  // characters that would need quoting inside a section ("(", ")", "[", "]", quotes, "\\").
  if (!FIELD_ATOM.test(f) || f.toUpperCase() === 'NIL') throw new TypeError(`bad header field name "${f}"`);
  return f;
}

/** The section-spec text inside the brackets, e.g. `1.2.HEADER.FIELDS (DATE FROM)`. */
export function formatFetchSection(s: FetchSection): string {
  const path = partPath(s.part);
  if (s.text === 'MIME' && s.part.length === 0) throw new TypeError('MIME needs a part number');
  if (s.text === null) return path;
  let t: string = s.text;
  if (s.text === 'HEADER.FIELDS' || s.text === 'HEADER.FIELDS.NOT') {
    if (s.fields.length === 0) throw new TypeError(`${s.text} needs field names`);
    t += ` (${s.fields.map(fieldName).join(' ')})`;
  } else if (s.fields.length > 0) throw new TypeError(`${s.text} takes no field names`);
  else if (!['HEADER', 'TEXT', 'MIME'].includes(s.text)) throw new TypeError(`bad section text ${String(s.text)}`);
  return path === '' ? t : `${path}.${t}`;
}

/**
 * The wire form of a FETCH item, e.g. `BODY.PEEK[HEADER.FIELDS (DATE FROM)]<0.100>`.
 * Throws TypeError for an item that cannot be written.
 */
export function formatFetchItem(i: FetchItem): string {
  switch (i.item) {
    case 'BODY[]':
      return `BODY${i.peek ? '.PEEK' : ''}[${formatFetchSection(i.section)}]${partialText(i.partial)}`;
    case 'BINARY[]':
      return `BINARY${i.peek ? '.PEEK' : ''}[${partPath(i.part)}]${partialText(i.partial)}`;
    case 'BINARY.SIZE':
      return `BINARY.SIZE[${partPath(i.part)}]`;
    default:
      if (!ATTRIBUTES.has(i.item) && !MACROS.has(i.item)) throw new TypeError(`unknown FETCH item ${String(i.item)}`);
      if ('lazy' in i && i.lazy !== undefined) {
        if (i.item !== 'PREVIEW' || i.lazy !== true) throw new TypeError('only PREVIEW takes the LAZY modifier');
        return 'PREVIEW (LAZY)';
      }
      return i.item;
  }
}

/** section-part = nz-number *("." nz-number), after its first digit was seen. */
function readSectionPart(r: CommandReader): number[] {
  const part = [r.nzNumberIn('a section part')];
  while (r.peek() === 0x2e && r.peekAt(1) >= 0x30 && r.peekAt(1) <= 0x39) {
    r.accept(0x2e);
    part.push(r.nzNumberIn('a section part'));
  }
  return part;
}

/**
 * section-spec = section-msgtext / (section-part ["." section-text]);
 * section-text = section-msgtext / "MIME";
 * section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list / "TEXT";
 * header-list = "(" header-fld-name *(SP header-fld-name) ")". Read up to the "]".
 */
export function readSectionSpec(r: CommandReader): FetchSection {
  const c = r.peek();
  const part = c >= 0x30 && c <= 0x39 ? readSectionPart(r) : [];
  if (r.peek() === 0x5d) return { part, text: null, fields: [] };
  if (part.length > 0) r.expect(0x2e, 'after the section part');
  const text = r.keyword();
  if (text === 'HEADER' || text === 'TEXT') return { part, text, fields: [] };
  if (text === 'MIME') {
    if (part.length === 0) throw r.error('MIME needs a part number');
    return { part, text, fields: [] };
  }
  if (text !== 'HEADER.FIELDS' && text !== 'HEADER.FIELDS.NOT') throw r.error(`unknown section text ${text.slice(0, 20)}`);
  r.sp();
  return { part, text, fields: r.parenList(() => r.astring(), 'the header list') };
}

/** partial = "<" number64 "." nz-number64 ">". */
function readPartial(r: CommandReader): FetchPartial | null {
  if (!r.accept(0x3c)) return null;
  const offset = r.numberIn('a partial offset', Number.MAX_SAFE_INTEGER);
  r.expect(0x2e, 'in the partial range');
  const length = r.nzNumberIn('a partial length', Number.MAX_SAFE_INTEGER);
  r.expect(0x3e, 'to close the partial range');
  return { offset, length };
}

/**
 * fetch-att = "ENVELOPE" / "FLAGS" / "INTERNALDATE" / "RFC822" [".HEADER" / ".TEXT"] /
 *   "RFC822.SIZE" / "BODY" ["STRUCTURE"] / "UID" / "BODY" section [partial] /
 *   "BODY.PEEK" section [partial] / "BINARY" [".PEEK"] section-binary [partial] /
 *   "BINARY.SIZE" section-binary, and the extension attributes; also the macros ALL, FAST,
 *   FULL, which the caller allows only alone. Linear in the bytes it reads.
 */
export function readFetchAtt(r: CommandReader): FetchItem {
  const name = r.atomUntil([0x5b, 0x3c]).toUpperCase();
  if (name === '') throw r.error('expected a FETCH item');
  if (r.peek() !== 0x5b) {
    if (MACROS.has(name)) return { item: name as 'ALL' };
    if (!ATTRIBUTES.has(name)) throw r.error(`unknown FETCH item "${name.slice(0, 30)}"`);
    if (name === 'PREVIEW' && r.peek() === 0x20 && r.peekAt(1) === 0x28) {
      // fetch-att =/ "PREVIEW" [SP "(" preview-mod *(SP preview-mod) ")"]; preview-mod = "LAZY" (RFC 8970 7)
      const m = r.mark();
      r.sp();
      r.accept(0x28);
      if (r.acceptWord('LAZY') && r.accept(0x29)) return { item: 'PREVIEW', lazy: true };
      r.reset(m);
    }
    return { item: name as 'FLAGS' };
  }
  r.accept(0x5b);
  if (name === 'BODY' || name === 'BODY.PEEK') {
    const section = readSectionSpec(r);
    r.expect(0x5d, 'to close the section');
    return { item: 'BODY[]', peek: name === 'BODY.PEEK', section, partial: readPartial(r) };
  }
  if (name !== 'BINARY' && name !== 'BINARY.PEEK' && name !== 'BINARY.SIZE') throw r.error(`unknown FETCH item "${name.slice(0, 30)}["`);
  const c = r.peek();
  const part = c >= 0x30 && c <= 0x39 ? readSectionPart(r) : [];
  r.expect(0x5d, 'to close the binary section');
  if (name === 'BINARY.SIZE') return { item: 'BINARY.SIZE', part };
  return { item: 'BINARY[]', peek: name === 'BINARY.PEEK', part, partial: readPartial(r) };
}

function readWhole<T>(text: string, read: (r: CommandReader) => T): T | ProtocolError {
  const r = new CommandReader({ lines: [encodeUtf8(text)], literals: [] });
  try {
    const v = read(r);
    return r.atEnd() ? v : new ProtocolError('SYNTAX', `text after the FETCH item: ${JSON.stringify(text.slice(0, 40))}`);
  } catch (e) {
    if (e instanceof ProtocolError) return e;
    throw e;
  }
}

/** Reads a section-spec (the text between the brackets); a `SYNTAX` ProtocolError when malformed. */
export function parseFetchSection(spec: string): FetchSection | ProtocolError {
  return readWhole(`${spec}]`, (r) => {
    const s = readSectionSpec(r);
    r.expect(0x5d);
    return s;
  });
}

/** Reads one FETCH item from its wire form; a `SYNTAX` ProtocolError when it is not one. */
export function parseFetchItem(text: string): FetchItem | ProtocolError {
  return readWhole(text, readFetchAtt);
}
