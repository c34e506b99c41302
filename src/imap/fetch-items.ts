/**
 * FETCH items as typed values (RFC 3501 6.4.5, RFC 9051 6.4.5, RFC 3516 BINARY and the
 * attributes of common extensions), with their wire names both ways.
 *
 * @packageDocumentation
 */

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
      return i.item;
  }
}

function parsePath(text: string): number[] | null {
  if (text === '') return [];
  const out: number[] = [];
  for (const p of text.split('.')) {
    if (!/^[1-9]\d{0,9}$/.test(p) || Number(p) > 0xffffffff) return null;
    out.push(Number(p));
  }
  return out;
}

function parseFields(text: string): string[] | null {
  const m = /^\((.*)\)$/.exec(text);
  if (!m) return null;
  const out: string[] = [];
  const re = / ?(?:"((?:[^"\\]|\\.)*)"|([^\s()"\\]+))/gy;
  let pos = 0;
  const body = m[1]!;
  while (pos < body.length) {
    re.lastIndex = pos;
    const t = re.exec(body);
    if (!t || (pos === 0 && body[0] === ' ')) return null;
    out.push(t[1] !== undefined ? t[1].replace(/\\(.)/g, '$1') : t[2]!);
    pos = re.lastIndex;
  }
  return out.length > 0 ? out : null;
}

/** Reads a section-spec (the text between the brackets); null when malformed. */
export function parseFetchSection(spec: string): FetchSection | null {
  const m = /^(\d+(?:\.\d+)*)?(.*)$/s.exec(spec)!;
  const part = parsePath(m[1] ?? '');
  if (part === null) return null;
  let rest = m[2]!;
  if (rest === '') return { part, text: null, fields: [] };
  if (part.length > 0) {
    if (!rest.startsWith('.')) return null;
    rest = rest.slice(1);
  }
  const up = rest.toUpperCase();
  if (up === 'HEADER' || up === 'TEXT') return { part, text: up, fields: [] };
  if (up === 'MIME') return part.length > 0 ? { part, text: 'MIME', fields: [] } : null;
  const f = /^(HEADER\.FIELDS(?:\.NOT)?) (\(.*\))$/is.exec(rest);
  if (!f) return null;
  const fields = parseFields(f[2]!);
  return fields === null ? null : { part, text: f[1]!.toUpperCase() as 'HEADER.FIELDS', fields };
}

/** Reads one FETCH item from its wire form; null when it is not one. */
export function parseFetchItem(text: string): FetchItem | null {
  const up = text.toUpperCase();
  if (MACROS.has(up)) return { item: up as 'ALL' };
  if (ATTRIBUTES.has(up)) return { item: up as 'FLAGS' };
  const m = /^(BODY|BODY\.PEEK|BINARY|BINARY\.PEEK|BINARY\.SIZE)\[(.*)\](?:<(\d{1,15})\.(\d{1,15})>)?$/is.exec(text);
  if (!m) return null;
  const name = m[1]!.toUpperCase();
  const partial = m[3] !== undefined ? { offset: Number(m[3]), length: Number(m[4]) } : null;
  if (partial && partial.length === 0) return null;
  if (name.startsWith('BODY')) {
    const section = parseFetchSection(m[2]!);
    return section ? { item: 'BODY[]', peek: name === 'BODY.PEEK', section, partial } : null;
  }
  const part = parsePath(m[2]!);
  if (part === null) return null;
  if (name === 'BINARY.SIZE') return partial ? null : { item: 'BINARY.SIZE', part };
  return { item: 'BINARY[]', peek: name === 'BINARY.PEEK', part, partial };
}
