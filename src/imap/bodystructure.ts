/**
 * BODYSTRUCTURE / BODY (RFC 3501 7.4.2 `body`), with part numbers computed the IMAP way and
 * leniency for real servers (NIL where a string belongs, missing extension fields, lower-case
 * types, a multipart without parts).
 *
 * @packageDocumentation
 */

import { ProtocolError } from '../core/errors';
import { stringValue, type Value } from './lexer';
import { readEnvelope } from './envelope';
import type { BodyStructure, Disposition } from './types';

const APPLICATION = new TextEncoder().encode('APPLICATION');
const str = (v: Value | undefined): string | null => (v === undefined || v.kind === 'nil' ? null : stringValue(v));
const num = (v: Value | undefined): number => (v && v.kind === 'number' ? v.value : v && v.kind === 'string' && /^\d+$/.test(stringValue(v) ?? '') ? Number(stringValue(v)) : 0);

function params(v: Value | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!v || v.kind !== 'list') return out;
  for (let i = 0; i + 1 < v.items.length; i += 2) {
    const k = str(v.items[i]);
    if (k !== null) out[k.toUpperCase()] = str(v.items[i + 1]) ?? '';
  }
  return out;
}

function disposition(v: Value | undefined): Disposition | null {
  if (!v) return null;
  // Exchange sends the disposition type as a bare string (`"inline"`, MailKit issue 919) and
  // even a description in its place on a multipart (javamail issue 278): keep it as the type.
  if (v.kind === 'string') return { type: (str(v) ?? '').toUpperCase(), params: {} };
  if (v.kind !== 'list' || v.items.length === 0) return null;
  // Exchange also sends `(NIL NIL)` for "no disposition".
  const type = str(v.items[0]);
  return type === null ? null : { type: type.toUpperCase(), params: params(v.items[1]) };
}

/**
 * The extension fields of a multipart (body-ext-mpart) from `ext` on: params, disposition,
 * language, location, then anything further.
 */
/**
 * A multipart part with its extension data (body-ext-mpart) read from `items[from..]`. Built
 * field by field: object spreads here were an eighth of IMAP metadata parsing.
 */
function multipart(part: string, subtype: string, parts: BodyStructure[], items: readonly Value[], from: number): BodyStructure {
  const out: Record<string, unknown> = { kind: 'multipart', part, subtype, parts };
  if (items.length > from) out.params = params(items[from]);
  extensionTail(out, items, from + 1);
  return out as unknown as BodyStructure;
}

/** The extension fields every body type shares after its first one: disposition, language, location, more. */
function extensionTail(out: Record<string, unknown>, items: readonly Value[], from: number): void {
  const n = items.length - from;
  if (n > 0) out.disposition = disposition(items[from]);
  if (n > 1) out.language = language(items[from + 1]);
  if (n > 2) out.location = str(items[from + 2]);
  if (n > 3) out.extensions = items.slice(from + 3);
}

function language(v: Value | undefined): string[] | null {
  if (!v || v.kind === 'nil') return null;
  if (v.kind === 'list') return v.items.map((x) => str(x) ?? '');
  const s = str(v);
  return s === null ? null : [s];
}

/** Reads a `body` value; `part` is the IMAP part number of this part ('' at the top). */
export function readBodyStructure(v: Value, part = '', depth = 0): BodyStructure {
  if (v.kind !== 'list') throw new ProtocolError('SYNTAX', 'BODYSTRUCTURE must be a list');
  if (depth > 100) throw new ProtocolError('TOO_DEEP', 'BODYSTRUCTURE nested too deeply');
  const items = v.items;
  if (items.length === 0) {
    // `()` as the body of a MESSAGE/RFC822 (MailKit issue 944): nothing is known about it; an
    // empty multipart without a subtype says so and writes back as `("")`.
    return { kind: 'multipart', part, subtype: '', parts: [] };
  }
  if (items[0]!.kind === 'string' && (items.length === 1 || items[1]!.kind === 'list' || items[1]!.kind === 'nil')) {
    // A lone string where "type" "subtype" should be.
    if (items.length >= 6 && items[4]!.kind === 'string' && items[5]!.kind === 'number') {
      // The media type is missing and the rest is a basic part shifted by one:
      // `("X-ZIP" ("BOUNDARY" "") NIL NIL "base64" 4096)` (MailKit issue 371). An unknown
      // type is treated as APPLICATION (RFC 2046 4.5.3, like application/octet-stream).
      return readBodyStructure({ kind: 'list', items: [{ kind: 'string', value: APPLICATION, form: 'quoted' }, ...items] }, part, depth);
    }
    // A multipart with no parts, sent as `("MIXED")` (net-imap bug 7153) or with its extension
    // data, `("ALTERNATIVE" ("BOUNDARY" "x") NIL NIL)` (Gmail: MailKit issues 205, 777;
    // net-imap's mixed-boundary case, inside a MESSAGE/RFC822).
    return multipart(part, (str(items[0]) ?? '').toUpperCase(), [], items, 1);
  }
  if (items.length > 0 && items[0]!.kind === 'list') {
    // body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]
    const parts: BodyStructure[] = [];
    let i = 0;
    for (; i < items.length && items[i]!.kind === 'list'; i++) parts.push(readBodyStructure(items[i]!, part === '' ? String(i + 1) : `${part}.${i + 1}`, depth + 1));
    const subtype = (str(items[i]) ?? '').toUpperCase();
    return multipart(part, subtype, parts, items, i + 1);
  }
  const self = part === '' ? '1' : part;
  const type = (str(items[0]) ?? 'TEXT').toUpperCase();
  const subtype = (str(items[1]) ?? 'PLAIN').toUpperCase();
  const enc = str(items[5]);
  // Built field by field (no object spreads: this runs once per part of every message).
  const out: Record<string, unknown> = {
    kind: 'single',
    part: self,
    type,
    subtype,
    params: params(items[2]),
    id: str(items[3]),
    description: str(items[4]),
    encoding: enc === null ? null : enc.toUpperCase(),
    size: num(items[6]),
  };
  let i = 7;
  if (type === 'MESSAGE' && (subtype === 'RFC822' || subtype === 'GLOBAL') && items[7]?.kind === 'list') {
    // body-type-msg: envelope SP body SP body-fld-lines. The embedded body's parts are
    // numbered under this part ("2.1"); a non-multipart embedded body is "2.1" too.
    const inner = readBodyStructure(items[8]!, self, depth + 1);
    out.envelope = readEnvelope(items[7]!);
    out.body = inner.kind === 'single' ? { ...inner, part: `${self}.1` } : inner;
    out.lines = num(items[9]);
    i = 10;
  } else if (type === 'TEXT') {
    out.lines = num(items[7]);
    i = 8;
  }
  if (items.length > i) out.md5 = str(items[i]);
  extensionTail(out, items, i + 1);
  return out as unknown as BodyStructure;
}
