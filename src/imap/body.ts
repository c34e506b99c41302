/**
 * BODYSTRUCTURE / BODY (RFC 9051 7.5.2, RFC 3501 7.4.2 `body`): the reader and the writer,
 * with part numbers computed the IMAP way and named leniencies for real servers (NIL where a
 * string belongs, missing extension fields, lower-case types, a multipart without parts, a
 * basic part without its media type).
 *
 * @packageDocumentation
 */

import { readEnvelope, writeEnvelope } from './envelope';
import { LENIENT_ATOM, asciiText, decodeText, readValue, writeValue, type Reader, type Value, type WireWriter } from './syntax';
import type { BodyStructure, Disposition, MultiPart, RawStrings, SinglePart } from './types';
import { BACKSLASH, DQUOTE, LPAREN, RPAREN, SP } from './chars';


type Raw = Record<string, Uint8Array>;

/**
 * A string field read leniently: nstring, or an atom or number where a string belongs (servers
 * send `TEXT` unquoted); a list there reads as null and is skipped; a field missing before the
 * part's ")" reads as NIL and leaves the ")" (named leniency "part cut short", as ENVELOPE's
 * missing trailing fields). Afterwards `r.invalid` holds the octets of a string that was not
 * UTF-8 (null otherwise): the caller files them under its key.
 */
function looseString(r: Reader): string | null {
  const c = r.peek();
  if (c === DQUOTE) return r.quotedText();
  if (r.atLiteral()) return r.nstringText() ?? '';
  r.invalid = null;
  if (c === RPAREN) return null;
  if (c === LPAREN) {
    r.skipValue();
    return null;
  }
  if (r.nil()) return null;
  const start = r.pos;
  if (r.run(LENIENT_ATOM) === 0) throw r.unexpected('a string');
  return decodeText(r.slice(start));
}

/**
 * `looseString` upper-cased (media types, subtypes, encodings, parameter names). Servers send
 * these in upper case: a quoted ASCII string without escapes or lower-case letters is its own
 * upper-case text, decoded straight from the line without `toUpperCase`.
 */
function looseUpper(r: Reader): string | null {
  const l = r.line;
  const start = r.pos + 1;
  if (start <= l.length && l[start - 1] === DQUOTE) {
    let p = start;
    while (p < l.length) {
      const c = l[p]!;
      if (c === DQUOTE || c === BACKSLASH || c >= 0x80 || (c >= 0x61 && c <= 0x7a)) break;
      p++;
    }
    if (p < l.length && l[p] === DQUOTE && r.closes(p)) {
      r.pos = p + 1;
      r.invalid = null;
      return asciiText(l, start, p);
    }
  }
  const s = looseString(r);
  return s === null ? null : s.toUpperCase();
}

/**
 * body-fld-octets / body-fld-lines = number; lenient: a string of digits, NIL or anything else
 * reads as 0. Named leniency "number in floating-point notation" (mail.ru, MailKit issue 1838):
 * a size sent as `9.3736e+06` reads as the number it spells, rounded (9373600).
 */
function looseNumber(r: Reader): number {
  if (r.atDigit()) {
    const start = r.pos;
    r.run(LENIENT_ATOM);
    const l = r.line;
    let n = 0;
    for (let i = start; i < r.pos; i++) {
      const d = l[i]! - 0x30;
      if (d < 0 || d > 9) return floatNumber(asciiText(l, start, r.pos));
      n = n * 10 + d;
    }
    return Number.isSafeInteger(n) ? n : 0;
  }
  const s = looseString(r);
  return s !== null && /^\d{1,15}$/.test(s) ? Number(s) : 0;
}

/** `9.3736e+06` or `12.0` as a whole number; anything else (or out of range) 0. Off the hot path: only for atoms that are not digits. */
function floatNumber(s: string): number {
  if (s.length > 32 || !/^\d+(?:\.\d+)?(?:[eE]\+?\d{1,2})?$/.test(s)) return 0;
  const n = Math.round(Number(s));
  return Number.isSafeInteger(n) ? n : 0;
}

/**
 * The `rawParams` of the last {@link readParams} call (octets of values that were not UTF-8), or
 * null. Read right after the call: parameter lists do not nest, so nothing overwrites it between.
 */
let lastRawParams: Raw | null = null;

/**
 * body-fld-param = "(" string SP string *(SP string SP string) ")" / nil. Keys upper-cased;
 * values that are not UTF-8 keep their octets, left in {@link lastRawParams}.
 */
function readParams(r: Reader): Record<string, string> {
  const params: Record<string, string> = {};
  lastRawParams = null;
  if (r.peek() !== LPAREN) {
    looseString(r);
    return params;
  }
  let raw: Raw | null = null;
  r.expect(LPAREN);
  r.enter();
  r.spaces();
  let n = 0;
  while (!r.accept(RPAREN)) {
    if (r.atLineEnd() && !r.atLiteral()) throw r.error('unterminated parameter list');
    const key = looseUpper(r);
    r.spaces();
    if (r.accept(RPAREN)) {
      // Named leniency "parameter without a value": an odd count, `("CHARSET")`. The name is
      // kept with an empty value, as for `("BOUNDARY" NIL)`; the list ends here.
      if (key !== null) params[key] = '';
      break;
    }
    const v = looseString(r);
    if (r.invalid !== null) (raw ??= {})[key ?? ''] = r.invalid;
    if (key !== null) params[key] = v ?? '';
    if (++n > r.maxListItems) throw r.error(`parameter list longer than ${r.maxListItems}`, 'TOO_MANY');
    r.spaces();
  }
  r.leave();
  if (raw !== null) for (const key of Object.keys(raw)) if (!(key in params)) delete raw[key];
  lastRawParams = raw;
  return params;
}

/**
 * body-fld-dsp = "(" string SP body-fld-param ")" / nil. Lenient: Exchange sends the type as a
 * bare string (`"inline"`, MailKit issue 919) or even a description in its place on a multipart
 * (javamail issue 278): kept as the type; `(NIL NIL)` (Exchange) means none.
 */
function readDisposition(r: Reader): Disposition | null {
  const c = r.peek();
  if (c === DQUOTE || r.atLiteral()) return { type: (looseString(r) ?? '').toUpperCase(), params: {} };
  if (c !== LPAREN) {
    r.skipValue();
    return null;
  }
  r.expect(LPAREN);
  r.enter();
  r.spaces();
  if (r.accept(RPAREN)) {
    r.leave();
    return null;
  }
  const type = looseString(r);
  r.spaces();
  let params: Record<string, string> = {};
  let rawParams: Raw | null = null;
  if (r.peek() !== RPAREN) {
    params = readParams(r);
    rawParams = lastRawParams;
  }
  r.spaces();
  while (!r.accept(RPAREN)) {
    if (r.atLineEnd() && !r.atLiteral()) throw r.error('unterminated disposition');
    r.skipValue();
    r.spaces();
  }
  r.leave();
  if (type === null) return null;
  return rawParams === null ? { type: type.toUpperCase(), params } : { type: type.toUpperCase(), params, rawParams };
}

/** body-fld-lang = nstring / "(" string *(SP string) ")". */
function readLanguage(r: Reader): string[] | null {
  if (r.peek() === LPAREN) return r.list((x) => looseString(x) ?? '');
  const s = looseString(r);
  return s === null ? null : [s];
}

/** Whether another extension field follows (after optional spaces). */
function more(r: Reader): boolean {
  r.spaces();
  return r.peek() !== RPAREN && !(r.atLineEnd() && !r.atLiteral());
}

/**
 * The extension fields every body type shares after its first one: body-fld-dsp, then
 * body-fld-lang, body-fld-loc, then *(SP body-extension) kept as values.
 */
function readExtensionTail(r: Reader, out: Record<string, unknown>): void {
  if (!more(r)) return;
  out.disposition = readDisposition(r);
  if (!more(r)) return;
  out.language = readLanguage(r);
  if (!more(r)) return;
  out.location = looseString(r);
  if (r.invalid !== null) out.raw = { ...((out.raw as Raw | undefined) ?? {}), location: r.invalid };
  const ext: Value[] = [];
  while (more(r)) {
    ext.push(readValue(r));
    if (ext.length > r.maxListItems) throw r.error('too many body extensions', 'TOO_MANY');
  }
  if (ext.length > 0) out.extensions = ext;
}

/** body-ext-mpart = body-fld-param [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc *(SP body-extension)]]] */
function readMultipartTail(r: Reader, out: Record<string, unknown>): void {
  if (!more(r)) return;
  out.params = readParams(r);
  if (lastRawParams) out.rawParams = lastRawParams;
  readExtensionTail(r, out);
}

/**
 * body = "(" (body-type-1part / body-type-mpart) ")"
 * body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]
 * body-type-1part = (body-type-basic / body-type-msg / body-type-text) [SP body-ext-1part]
 * body-type-basic = media-basic SP body-fields
 * body-type-msg = media-message SP body-fields SP envelope SP body SP body-fld-lines
 * body-type-text = media-text SP body-fields SP body-fld-lines
 * body-fields = body-fld-param SP body-fld-id SP body-fld-desc SP body-fld-enc SP body-fld-octets
 * body-ext-1part = body-fld-md5 [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc *(SP body-extension)]]]
 *
 * `part` is the IMAP part number of this part ('' at the top).
 */
export function readBody(r: Reader, part = ''): BodyStructure {
  r.expect(LPAREN);
  r.enter();
  r.spaces();
  let result: BodyStructure;
  if (r.accept(RPAREN)) {
    // `()` as the body of a MESSAGE/RFC822 (MailKit issue 944): nothing is known about it; an
    // empty multipart without a subtype says so and writes back as `("")`.
    r.leave();
    return { kind: 'multipart', part, subtype: '', parts: [] };
  }
  if (r.peek() === LPAREN) {
    const parts: BodyStructure[] = [];
    while (r.peek() === LPAREN) {
      parts.push(readBody(r, part === '' ? String(parts.length + 1) : `${part}.${parts.length + 1}`));
      if (parts.length > r.maxListItems) throw r.error('too many body parts', 'TOO_MANY');
      r.spaces();
    }
    const out: Record<string, unknown> = { kind: 'multipart', part, subtype: '', parts };
    if (r.peek() !== RPAREN) out.subtype = looseUpper(r) ?? '';
    readMultipartTail(r, out);
    result = out as unknown as MultiPart;
  } else if (r.peek() === DQUOTE && typeThenSubtype(r)) {
    result = readSinglePart(r, part, null);
  } else {
    const mark = r.save();
    const first = looseString(r);
    r.spaces();
    const c = r.peek();
    if (first === null && (c === DQUOTE || r.atLiteral()) && nilTypedMultipart(r)) {
      // Named leniency "NIL media type on a part-less multipart" (MailKit issue 1393): the body
      // of a MESSAGE/RFC822 sent as `(NIL "alternative" ("boundary" "x") NIL NIL NIL)`: NIL
      // stands for the missing parts, then the subtype and body-ext-mpart; no body-fields follow.
      const out: Record<string, unknown> = { kind: 'multipart', part, subtype: looseUpper(r) ?? '', parts: [] };
      readMultipartTail(r, out);
      result = out as unknown as MultiPart;
    } else if (c === RPAREN || c === LPAREN || looksNil(r)) {
      // A lone string where "type" "subtype" should be.
      if (c !== RPAREN && c !== LPAREN && nilSubtypeBasic(r)) {
        // Named leniency "NIL media subtype": the type, then NIL for the subtype, then
        // body-fields in place: `("" NIL () NIL NIL "7-bit" 1108 NIL NIL NIL NIL)` (mail.ru, for
        // a `Content-Type: /Trdq4` header; MailKit issue 226). A single part, fields unshifted.
        r.restore(mark);
        result = readSinglePart(r, part, null);
      } else if (shiftedBasic(r)) {
        // The media type is missing and the rest is a basic part shifted by one:
        // `("X-ZIP" ("BOUNDARY" "") NIL NIL "base64" 4096)` (MailKit issue 371). An unknown
        // type is treated as APPLICATION (RFC 2046 4.5.3, like application/octet-stream).
        r.restore(mark);
        result = readSinglePart(r, part, 'APPLICATION');
      } else {
        // A multipart with no parts, sent as `("MIXED")` (net-imap bug 7153) or with its
        // extension data, `("ALTERNATIVE" ("BOUNDARY" "x") NIL NIL)` (Gmail: MailKit issues 205,
        // 777; net-imap's mixed-boundary case, inside a MESSAGE/RFC822).
        const out: Record<string, unknown> = { kind: 'multipart', part, subtype: (first ?? '').toUpperCase(), parts: [] };
        readMultipartTail(r, out);
        result = out as unknown as MultiPart;
      }
    } else {
      r.restore(mark);
      result = readSinglePart(r, part, null);
    }
  }
  r.spaces();
  r.expect(RPAREN);
  r.leave();
  return result;
}

/**
 * Whether the quoted string at the cursor is followed (after spaces) by something other than
 * ")", "(" or NIL: a media type then its subtype, the common case, read as a single part
 * without the look-ahead below. Looks at the current line only; the cursor stays where it was.
 */
function typeThenSubtype(r: Reader): boolean {
  const at = r.pos;
  r.skipQuoted();
  const l = r.line;
  const n = l.length;
  let p = r.pos;
  r.pos = at;
  while (p < n && l[p] === SP) p++;
  if (p >= n) return true;
  const c = l[p]!;
  if (c === RPAREN || c === LPAREN) return false;
  const nil = (c | 0x20) === 0x6e && p + 2 < n && (l[p + 1]! | 0x20) === 0x69 && (l[p + 2]! | 0x20) === 0x6c && !(p + 3 < n && LENIENT_ATOM[l[p + 3]!] === 1);
  return !nil;
}

function looksNil(r: Reader): boolean {
  const m = r.save();
  const nil = r.nil();
  r.restore(m);
  return nil;
}

/**
 * The kinds of the next (up to) five fields of this part: 'string', 'number' or 'other'. A
 * bounded look-ahead (five small fields), then the reader is back where it was; null when they
 * do not even read as values.
 */
function kindsAhead(r: Reader): string[] | null {
  const m = r.save();
  try {
    const kinds: string[] = [];
    for (let i = 0; i < 5 && more(r); i++) {
      const c = r.peek();
      if (c === DQUOTE || r.atLiteral()) {
        r.stringBytes();
        kinds.push('string');
      } else if (r.atDigit()) {
        r.number();
        kinds.push('number');
      } else {
        r.skipValue();
        kinds.push('other');
      }
    }
    return kinds;
  } catch {
    return null;
  } finally {
    r.restore(m);
  }
}

/**
 * After a lone first string: whether the items that follow are `params nil-or-string
 * nil-or-string string number`, i.e. a basic part with its media type missing.
 */
function shiftedBasic(r: Reader): boolean {
  const kinds = kindsAhead(r);
  return kinds !== null && kinds.length === 5 && kinds[3] === 'string' && kinds[4] === 'number';
}

/**
 * At a NIL subtype: whether body-fields follow it (`params nil-or-string nil-or-string string
 * number`), i.e. a single part whose subtype alone is missing.
 */
function nilSubtypeBasic(r: Reader): boolean {
  const m = r.save();
  if (!r.nil()) return false;
  const ok = shiftedBasic(r);
  r.restore(m);
  return ok;
}

/**
 * After a NIL media type, at the string that follows: whether what comes after that string is
 * not body-fields (`params id desc enc octets`, the fifth a number) but body-ext-mpart, i.e. a
 * multipart whose parts were sent as NIL. A NIL type before real body-fields stays a single part.
 */
function nilTypedMultipart(r: Reader): boolean {
  const m = r.save();
  try {
    r.stringBytes();
  } catch {
    r.restore(m);
    return false;
  }
  const kinds = kindsAhead(r);
  r.restore(m);
  return kinds !== null && !(kinds.length === 5 && kinds[4] === 'number');
}

/** body-type-1part, the media type given (`type`) or read. Built field by field: this runs once per part of every message. */
function readSinglePart(r: Reader, part: string, type: string | null): SinglePart {
  const self = part === '' ? '1' : part;
  let raw: Raw | null = null;
  const t = type ?? looseUpper(r) ?? 'TEXT';
  r.spaces();
  const subtype = looseUpper(r) ?? 'PLAIN';
  r.spaces();
  const params = readParams(r);
  const rawParams = lastRawParams;
  r.spaces();
  const id = looseString(r);
  if (r.invalid !== null) (raw ??= {}).id = r.invalid;
  r.spaces();
  const description = looseString(r);
  if (r.invalid !== null) (raw ??= {}).description = r.invalid;
  r.spaces();
  const encoding = looseUpper(r);
  r.spaces();
  const size = r.peek() === RPAREN ? 0 : looseNumber(r);
  const out: Record<string, unknown> = { kind: 'single', part: self, type: t, subtype, params, id, description, encoding, size };
  if (t === 'MESSAGE' && (subtype === 'RFC822' || subtype === 'GLOBAL') && more(r) && r.peek() === LPAREN) {
    // body-type-msg: envelope SP body SP body-fld-lines. The embedded body's parts are
    // numbered under this part ("2.1"); a non-multipart embedded body is "2.1" too.
    out.envelope = readEnvelope(r);
    r.spaces();
    const inner = readBody(r, self);
    out.body = inner.kind === 'single' ? { ...inner, part: `${self}.1` } : inner;
    out.lines = more(r) ? looseNumber(r) : 0;
  } else if (t === 'TEXT') out.lines = more(r) ? looseNumber(r) : 0;
  if (more(r)) {
    out.md5 = looseString(r);
    if (r.invalid !== null) (raw ??= {}).md5 = r.invalid;
    readExtensionTail(r, out);
  }
  if (rawParams) out.rawParams = rawParams;
  if (raw !== null) out.raw = { ...((out.raw as Raw | undefined) ?? {}), ...raw };
  return out as unknown as SinglePart;
}

// ---------------------------------------------------------------------------------------------
// Writer

function writeText(w: WireWriter, text: string | null | undefined, raw: RawStrings | undefined, key: string): void {
  if (text === null || text === undefined) {
    w.raw('NIL');
    return;
  }
  const bytes = raw?.[key];
  w.string(bytes !== undefined && decodeText(bytes) === text ? bytes : text);
}

function writeParams(w: WireWriter, p: Readonly<Record<string, string>> | undefined, raw: RawStrings | undefined): void {
  const keys = Object.keys(p ?? {});
  if (keys.length === 0) {
    w.raw('NIL');
    return;
  }
  w.raw('(');
  keys.forEach((k, i) => {
    if (i > 0) w.raw(' ');
    w.string(k).raw(' ');
    writeText(w, p![k]!, raw, k);
  });
  w.raw(')');
}

function writeDisposition(w: WireWriter, d: Disposition | null | undefined): void {
  if (!d) {
    w.raw('NIL');
    return;
  }
  w.raw('(').string(d.type).raw(' ');
  writeParams(w, d.params, d.rawParams);
  w.raw(')');
}

function writeLanguage(w: WireWriter, l: readonly string[] | null | undefined): void {
  if (!l) w.raw('NIL');
  else {
    w.raw('(');
    l.forEach((x, i) => {
      if (i > 0) w.raw(' ');
      w.string(x);
    });
    w.raw(')');
  }
}

function writeTail(w: WireWriter, b: BodyStructure, raw: RawStrings | undefined): void {
  if ('disposition' in b) (w.raw(' '), writeDisposition(w, b.disposition));
  if ('language' in b) (w.raw(' '), writeLanguage(w, b.language));
  if ('location' in b) (w.raw(' '), writeText(w, b.location, raw, 'location'));
  for (const v of b.extensions ?? []) (w.raw(' '), writeValue(w, v));
}

/** Writes a `body` (the inverse of {@link readBody}). */
export function writeBody(w: WireWriter, b: BodyStructure): void {
  w.raw('(');
  if (b.kind === 'multipart') {
    for (const p of b.parts) writeBody(w, p);
    // A multipart without parts (sent by some servers as `("MIXED")`) has no separating space.
    if (b.parts.length > 0) w.raw(' ');
    w.string(b.subtype);
    if ('params' in b) (w.raw(' '), writeParams(w, b.params, b.rawParams));
    writeTail(w, b, undefined);
    w.raw(')');
    return;
  }
  if (!Number.isSafeInteger(b.size) || b.size < 0) throw new RangeError(`bad body size ${b.size}`);
  w.string(b.type).raw(' ').string(b.subtype).raw(' ');
  writeParams(w, b.params, b.rawParams);
  w.raw(' ');
  writeText(w, b.id, b.raw, 'id');
  w.raw(' ');
  writeText(w, b.description, b.raw, 'description');
  w.raw(' ').nstring(b.encoding).raw(' ').number(b.size);
  if (b.envelope && b.body) {
    w.raw(' ');
    writeEnvelope(w, b.envelope);
    w.raw(' ');
    writeBody(w, b.body);
    w.raw(' ').number(b.lines ?? 0);
  } else if (b.lines !== undefined) w.raw(' ').number(b.lines);
  if ('md5' in b) (w.raw(' '), writeText(w, b.md5, b.raw, 'md5'));
  writeTail(w, b, b.raw);
  w.raw(')');
}
