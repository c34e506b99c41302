/**
 * Response codes (RFC 9051 7.1, RFC 3501 7.1, RFC 5530 and extensions): `resp-text-code`, the
 * part inside `[...]` of a status response, and `resp-text`. Reader and writer.
 *
 * @packageDocumentation
 */

import { ProtocolError } from '../core/errors';
import { assertNoLineBreak } from '../core/bytes';
import { SequenceSet } from './sequence-set';
import { decodeText, type Reader, type WireWriter } from './syntax';
import type { ResponseCode } from './types';
import { RBRACKET } from './chars';


/** Code names: atom characters, no "]" (which closes the code). */
const CODE_NAME: Uint8Array = /* @__PURE__ */ (() => {
  const t = new Uint8Array(256);
  for (let c = 0x21; c < 0x7f; c++) if (!'(){%*"\\]'.includes(String.fromCharCode(c))) t[c] = 1;
  return t;
})();

/** The astrings of a code's argument list: atoms, and quoted strings without their quotes. */
function codeWords(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/"((?:[^"\\]|\\.)*)"|[^\s"]+/g)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[0]);
  return out;
}

/**
 * resp-text-code = "ALERT" / "BADCHARSET" [SP "(" charset *(SP charset) ")"] / capability-data /
 *     "PARSE" / "PERMANENTFLAGS" SP "(" [flag-perm *(SP flag-perm)] ")" / "READ-ONLY" /
 *     "READ-WRITE" / "TRYCREATE" / "UIDNEXT" SP nz-number / "UIDVALIDITY" SP nz-number /
 *     "UNSEEN" SP nz-number / resp-code-apnd / resp-code-copy / "UIDNOTSTICKY" / ... /
 *     atom [SP 1*<any TEXT-CHAR except "]">]
 *
 * The name, then the arguments up to the matching "]" (not one inside parentheses or a quoted
 * string, e.g. `[BADCHARSET (US-ASCII "[x]")]` in net-imap's fixtures), read in one forward
 * pass over the bytes; the known codes are then typed from their (short) argument text.
 * The reader is left after the "]".
 */
export function readRespTextCode(r: Reader): ResponseCode {
  // Check the name ends where a code name can end before building its text: a line of a
  // million "[" is no code, and is then read once more, as text, by the caller.
  const start = r.pos;
  r.run(CODE_NAME);
  const after = r.peek();
  if (r.pos === start || (after !== 0x20 && after !== RBRACKET)) throw r.unexpected('a response code');
  r.pos = start;
  const name = r.keyword(CODE_NAME);
  let raw = '';
  if (r.accept(0x20)) {
    const l = r.line;
    const start = r.pos;
    let p = start;
    let depth = 0;
    let quoted = false;
    for (; p < l.length; p++) {
      const c = l[p]!;
      if (quoted) {
        if (c === 0x5c) p++;
        else if (c === 0x22) quoted = false;
        continue;
      }
      if (c === RBRACKET && depth === 0) break;
      if (c === 0x22) quoted = true;
      else if (c === 0x28) depth++;
      else if (c === 0x29) depth--;
    }
    if (p >= l.length) {
      r.pos = l.length;
      throw r.error('unterminated response code');
    }
    raw = decodeText(l.subarray(start, p));
    r.pos = p;
  }
  r.expect(RBRACKET);
  const parts = raw.split(' ').filter((p) => p !== '');
  const n = (s: string | undefined) => (s !== undefined && /^\d{1,10}$/.test(s) ? Number(s) : undefined);
  switch (name) {
    case 'CAPABILITY':
      return { name, raw, list: parts };
    case 'PERMANENTFLAGS':
    case 'BADCHARSET':
      return { name, raw, list: codeWords(raw.replace(/^\(|\)$/g, '')) };
    case 'UIDNEXT':
    case 'UIDVALIDITY':
    case 'UNSEEN':
    case 'APPENDLIMIT': {
      const v = n(parts[0]);
      return v === undefined ? { name, raw } : { name, raw, number: v };
    }
    case 'HIGHESTMODSEQ':
      return /^\d{1,20}$/.test(parts[0] ?? '') ? { name, raw, modseq: BigInt(parts[0]!) } : { name, raw };
    case 'APPENDUID': {
      const uv = n(parts[0]);
      const set = parts[1] ? setOrNull(parts[1]) : null;
      return uv !== undefined && set ? { name, raw, uidValidity: uv, uids: set } : { name, raw };
    }
    case 'COPYUID': {
      const uv = n(parts[0]);
      const src = parts[1] ? setOrNull(parts[1]) : null;
      const dst = parts[2] ? setOrNull(parts[2]) : null;
      return uv !== undefined && src && dst ? { name, raw, uidValidity: uv, sourceUids: src, uids: dst } : { name, raw };
    }
    case 'MODIFIED': {
      const set = parts[0] ? setOrNull(parts[0]) : null;
      return set ? { name, raw, set } : { name, raw };
    }
    case 'BADURL':
      return raw === '' ? { name, raw } : { name, raw, url: raw };
    case 'MAILBOXID': {
      const id = /^\(([A-Za-z0-9_-]{1,255})\)$/.exec(raw);
      return id ? { name, raw, objectId: id[1]! } : { name, raw };
    }
    case 'METADATA': {
      const kind = parts[0]?.toUpperCase();
      if (kind === 'TOOMANY' || kind === 'NOPRIVATE') return { name, raw, metadata: { kind } };
      if (kind === 'LONGENTRIES' || kind === 'MAXSIZE') {
        const v = n(parts[1]);
        return v === undefined ? { name, raw } : { name, raw, metadata: { kind, number: v } };
      }
      return { name, raw };
    }
    default:
      return { name, raw };
  }
}

/**
 * resp-text = ["[" resp-text-code "]" SP] text. Lenient: the SP after "]" may be missing or
 * doubled; a "[" that does not open a well-formed code (Exchange sends
 * `[Error="..." Proxy=...] text`) is part of the text. Both readings go forward once, so a line
 * of a million "[" costs linear time (the old lexer rescanned from every "[").
 */
export function readRespText(r: Reader): { code: ResponseCode | null; text: string } {
  let code: ResponseCode | null = null;
  if (r.peek() === 0x5b) {
    const mark = r.save();
    try {
      r.accept(0x5b);
      code = readRespTextCode(r);
      r.spaces();
    } catch {
      r.restore(mark);
      code = null;
    }
  }
  return { code, text: r.text() };
}

/**
 * Whether code text keeps the code closed: no "]" outside quoted strings, no quote left open
 * (a "]" inside quotes is read back as part of the code: `[BADCHARSET ("[x]")]`).
 */
function closedCodeText(raw: string): boolean {
  let quoted = false;
  let depth = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ']' && depth === 0) return false;
  }
  return !quoted;
}

/** Writes `[code] ` (nothing for null); throws TypeError for a name or text that would not read back. */
export function writeRespTextCode(w: WireWriter, c: ResponseCode | null): void {
  if (c === null) return;
  if (typeof c.name !== 'string' || !/^[A-Z0-9.-]+$/i.test(c.name)) throw new TypeError(`bad response code name ${JSON.stringify(c.name)}`);
  if (typeof c.raw !== 'string') throw new TypeError('response code raw text must be a string');
  assertNoLineBreak(c.raw, 'response code');
  if (!closedCodeText(c.raw)) throw new TypeError('response code text must not contain "]" (outside a quoted string) or an unclosed quote');
  w.raw(c.raw === '' ? `[${c.name}] ` : `[${c.name} ${c.raw}] `);
}

/** Writes resp-text: `[code] text`; throws TypeError for CR, LF or NUL in the text. */
export function writeRespText(w: WireWriter, code: ResponseCode | null, text: string): void {
  writeRespTextCode(w, code);
  if (typeof text !== 'string') throw new TypeError('response text must be a string');
  assertNoLineBreak(text, 'response text');
  w.raw(text);
}

/** A sequence set, or null where a malformed one leaves the value raw. */
function setOrNull(text: string): SequenceSet | null {
  const s = SequenceSet.parse(text);
  return s instanceof ProtocolError ? null : s;
}
