/**
 * POP3 responses (RFC 1939 3, RFC 2449 8 response codes, RFC 5034 continuations): the status
 * line, and the structured results of STAT, LIST, UIDL, CAPA and the greeting's APOP timestamp.
 *
 * @packageDocumentation
 */

import { SP, decodeLatin1, decodeUtf8, encodeUtf8, indexOfByte, upperAscii } from '../core/bytes';
import { assertLineText, assertObject, assertOneOf, assertOptionalLineText } from '../core/encode-checks';
import { ProtocolError } from '../core/errors';
import type { ListEntry, Response, Stat, StatusResponse, UidlEntry } from './types';

/** Options of {@link parseResponse}. */
export interface ParseResponseOptions {
  /** Accept `+ok` / `-err` in lower case, as some old servers send. Default true. */
  readonly lenientStatus?: boolean;
}

/**
 * Parses one response line (without CRLF): `+OK`, `-ERR` (each with an optional `[CODE]`),
 * or a SASL continuation `+ text`.
 *
 * @example
 * ```ts
 * import { pop3 } from 'mailwire';
 * pop3.parseResponse('-ERR [IN-USE] Do you have another POP session running?');
 * // { status: '-ERR', code: 'IN-USE', text: 'Do you have another POP session running?' }
 * ```
 */
export function parseResponse(input: string | Uint8Array, options: ParseResponseOptions = {}): Response | ProtocolError {
  // Read in bytes: the status, the spaces and the [CODE] without a string; one decode for the text.
  const bytes = typeof input === 'string' ? encodeUtf8(input) : input;
  const n = bytes.length;
  const lenient = options.lenientStatus ?? true;
  const b0 = bytes[0];
  if (b0 === 0x2b && (n === 1 || bytes[1] === SP)) return { status: '+', text: decodeUtf8(bytes, 2, n) };
  let status: '+OK' | '-ERR';
  let i: number;
  if (b0 === 0x2b && n >= 3 && letter(bytes[1]!, 0x4f, lenient) && letter(bytes[2]!, 0x4b, lenient) && (n === 3 || bytes[3] === SP)) {
    status = '+OK';
    i = 4;
  } else if (b0 === 0x2d && n >= 4 && letter(bytes[1]!, 0x45, lenient) && letter(bytes[2]!, 0x52, lenient) && letter(bytes[3]!, 0x52, lenient) && (n === 4 || bytes[4] === SP)) {
    status = '-ERR';
    i = 5;
  } else {
    const line = typeof input === 'string' ? input : decodeUtf8(bytes, 0, Math.min(n, 80));
    return new ProtocolError('SYNTAX', 'response must start with +OK, -ERR or "+ "', { offset: 0, line: line.slice(0, 80) });
  }
  while (i < n && bytes[i] === SP) i++;
  let code: string | null = null;
  if (i < n && bytes[i] === 0x5b) {
    const close = indexOfByte(bytes, 0x5d, i);
    if (close > i + 1 && isCodeText(bytes, i + 1, close)) {
      code = upperAscii(decodeLatin1(bytes, i + 1, close));
      i = close + 1;
      if (bytes[i] === SP) i++;
    }
  }
  return { status, code, text: decodeUtf8(bytes, i, n) };
}

/** `c` is the upper-case letter `upper`, or (lenient) its lower-case form. */
function letter(c: number, upper: number, lenient: boolean): boolean {
  return c === upper || (lenient && c === (upper | 0x20));
}

/** RFC 2449 8 resp-code characters: letters, digits, `/` and `-`. */
function isCodeText(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = bytes[i]!;
    if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2f || c === 0x2d)) return false;
  }
  return true;
}

/**
 * Encodes a response line with CRLF. Every field is checked at run time, not only by its
 * type: the status must be `+OK`, `-ERR` or `+`, the text a string without CR, LF or NUL,
 * the code `null` or an RFC 2449 8 response code (letters, digits, `/`, `-`); throws
 * `TypeError` otherwise.
 */
export function encodeResponse(r: Response): string {
  assertObject(r, 'POP3 response');
  assertOneOf(r.status, STATUSES, 'POP3 response status');
  assertLineText(r.text, 'POP3 response text');
  if (r.status === '+') return `+ ${r.text}\r\n`;
  assertOptionalLineText(r.code, 'POP3 response code');
  if (r.code !== null && !/^[A-Z0-9/-]+$/.test(r.code)) throw new TypeError(`bad response code "${r.code}"`);
  if (r.code === null && /^ *\[[A-Za-z0-9/-]+\]/.test(r.text)) throw new TypeError('response text starting with "[CODE]" would read back as a response code; set `code`');
  const code = r.code === null ? '' : `[${r.code}]`;
  const body = [code, r.text].filter((x) => x !== '').join(' ');
  return body === '' ? `${r.status}\r\n` : `${r.status} ${body}\r\n`;
}

const STATUSES: readonly Response['status'][] = ['+OK', '-ERR', '+'];

/** True when the response is `+OK`. */
export function isOk(r: Response): r is StatusResponse & { status: '+OK' } {
  return r.status === '+OK';
}

/**
 * Reads `[spaces] n1 SP+ n2` at the start of `text` (listing lines and STAT), with at most
 * `max1` / `max2` digits, followed by a space or the end; the two numbers, or null. Char
 * compares, no regex: a LIST or UIDL listing has a line per message.
 */
let second = 0;
function twoNumbers(text: string, leadingSpaces: boolean, max1: number, max2: number): number | null {
  let i = 0;
  const n = text.length;
  if (leadingSpaces) while (i < n && text.charCodeAt(i) === 0x20) i++;
  const a = digitsAt(text, i, max1);
  if (a < 0) return null;
  i = digitsEnd;
  if (i >= n || text.charCodeAt(i) !== 0x20) return null;
  while (i < n && text.charCodeAt(i) === 0x20) i++;
  const b = digitsAt(text, i, max2);
  if (b < 0) return null;
  if (digitsEnd < n && text.charCodeAt(digitsEnd) !== 0x20) return null;
  second = b;
  return a;
}

let digitsEnd = 0;
function digitsAt(text: string, start: number, max: number): number {
  let v = 0;
  let i = start;
  for (; i < text.length && i - start < max; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
  }
  if (i === start) return -1;
  const next = text.charCodeAt(i) - 0x30;
  if (i < text.length && next >= 0 && next <= 9) return -1; // more digits than allowed
  digitsEnd = i;
  return v;
}

/** Reads `+OK nn mm` (RFC 1939 5 STAT); text after the numbers is allowed. A `SYNTAX` ProtocolError otherwise. */
export function parseStat(r: StatusResponse): Stat | ProtocolError {
  const count = twoNumbers(r.text, false, 15, 15);
  return count === null ? listingError('STAT answer', r.text) : { count, size: second };
}

/** Reads `n size` (a LIST line, or the text of a single-message `+OK`); extra text allowed. A `SYNTAX` ProtocolError otherwise. */
export function parseListEntry(text: string): ListEntry | ProtocolError {
  const message = twoNumbers(text, true, 10, 15);
  return message === null ? listingError('LIST entry', text) : { message, size: second };
}

function listingError(what: string, text: string): ProtocolError {
  return new ProtocolError('SYNTAX', `${what} is not "number SP number...": ${JSON.stringify(text.slice(0, 40))}`);
}

/**
 * Reads `n uid` (a UIDL line, or the text of a single-message `+OK`). UIDs are 0x21..0x7E, up
 * to 70 chars (RFC 1939 7). A `SYNTAX` ProtocolError otherwise.
 */
export function parseUidlEntry(text: string): UidlEntry | ProtocolError {
  const e = readUidlEntry(text);
  return e ?? new ProtocolError('SYNTAX', `UIDL entry is not "number SP unique-id": ${JSON.stringify(text.slice(0, 40))}`);
}

function readUidlEntry(text: string): UidlEntry | null {
  let i = 0;
  const n = text.length;
  while (i < n && text.charCodeAt(i) === 0x20) i++;
  const message = digitsAt(text, i, 10);
  if (message < 0) return null;
  i = digitsEnd;
  if (i >= n || text.charCodeAt(i) !== 0x20) return null;
  while (i < n && text.charCodeAt(i) === 0x20) i++;
  const start = i;
  while (i < n && i - start < 70) {
    const c = text.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) break;
    i++;
  }
  if (i === start || (i < n && text.charCodeAt(i) !== 0x20)) return null;
  return { message, uid: text.slice(start, i) };
}

/** Extracts the APOP timestamp `<...@...>` from a greeting's text (RFC 1939 7), or null. */
export function apopTimestamp(greeting: string): string | null {
  const m = /<[^<>\s]*@[^<>\s]*>/.exec(greeting);
  return m ? m[0] : null;
}

/** What CAPA says (RFC 2449 6, RFC 2595, RFC 5034, RFC 6856). Unknown capabilities stay in `all`. */
export interface Capabilities {
  /** Every capability line split into a keyword (upper-case) and its arguments. */
  readonly all: readonly { readonly keyword: string; readonly params: readonly string[] }[];
  readonly top: boolean;
  readonly user: boolean;
  readonly uidl: boolean;
  readonly pipelining: boolean;
  readonly stls: boolean;
  readonly respCodes: boolean;
  readonly authRespCode: boolean;
  /** SASL mechanisms, upper-case. */
  readonly sasl: readonly string[];
  /** LOGIN-DELAY seconds and whether it varies per user; null when absent. */
  readonly loginDelay: { readonly seconds: number; readonly perUser: boolean } | null;
  /**
   * EXPIRE (RFC 2449 6.7): `days` is the number of days, `'NEVER'`, or null for a policy that
   * is neither (servers send `EXPIRE soon`); `policy` is the word as sent. `perUser` for a
   * trailing `USER`. Null when absent.
   */
  readonly expire: { readonly days: number | 'NEVER' | null; readonly policy: string; readonly perUser: boolean } | null;
  /** IMPLEMENTATION text; null when absent. */
  readonly implementation: string | null;
  /**
   * UTF8 (RFC 6856 2): offered, and `user` when the argument `USER` says UTF-8 user names and
   * passwords are accepted in USER/PASS (without it only SASL carries them). Null when absent.
   */
  readonly utf8: { readonly user: boolean } | null;
  /** LANG (RFC 6856 3): the server can change the language of its response texts (the `LANG` command). */
  readonly lang: boolean;
}

/** The days of an EXPIRE policy: a number of days, `'NEVER'`, or null for anything else (`soon`). */
function expireDays(policy: string): number | 'NEVER' | null {
  if (upperAscii(policy) === 'NEVER') return 'NEVER';
  if (policy.length === 0 || policy.length > 9) return null;
  for (let i = 0; i < policy.length; i++) {
    const c = policy.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return null;
  }
  return Number(policy);
}

/** One line of a LANG listing (RFC 6856 3): a language tag, a space, and its description. */
export interface LangEntry {
  /** The language tag (RFC 5646), as sent. */
  readonly tag: string;
  /** The description, in the language itself (UTF-8). */
  readonly description: string;
}

/**
 * Reads a line of the listing that `LANG` without an argument answers (RFC 6856 3):
 * `tag SP description`; a `SYNTAX` ProtocolError for a line without a tag.
 *
 * @example
 * ```ts
 * import { pop3 } from 'mailwire';
 * pop3.parseLangEntry('fr Français'); // { tag: 'fr', description: 'Français' }
 * ```
 */
export function parseLangEntry(line: string): LangEntry | ProtocolError {
  const sp = line.indexOf(' ');
  const tag = sp < 0 ? line : line.slice(0, sp);
  let ok = tag.length > 0;
  for (let i = 0; ok && i < tag.length; i++) {
    const c = tag.charCodeAt(i);
    ok = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2a;
  }
  if (!ok) return new ProtocolError('SYNTAX', 'LANG listing line must start with a language tag', { offset: 0, line: line.slice(0, 80) });
  return { tag, description: sp < 0 ? '' : line.slice(sp + 1) };
}

/** Reads the lines of a CAPA listing. */
export function parseCapabilities(lines: readonly string[]): Capabilities {
  const all = lines
    .map((l) => l.trim().split(/ +/))
    .filter((w) => w[0] !== '')
    .map((w) => ({ keyword: upperAscii(w[0]!), params: w.slice(1) }));
  const find = (k: string) => all.find((c) => c.keyword === k);
  const has = (k: string) => find(k) !== undefined;
  const ld = find('LOGIN-DELAY');
  const ex = find('EXPIRE');
  const impl = lines.find((l) => /^IMPLEMENTATION( |$)/i.test(l.trim()));
  const u8 = find('UTF8');
  return {
    all,
    top: has('TOP'),
    user: has('USER'),
    uidl: has('UIDL'),
    pipelining: has('PIPELINING'),
    stls: has('STLS'),
    respCodes: has('RESP-CODES'),
    authRespCode: has('AUTH-RESP-CODE'),
    sasl: (find('SASL')?.params ?? []).map(upperAscii),
    loginDelay: ld && /^\d+$/.test(ld.params[0] ?? '') ? { seconds: Number(ld.params[0]), perUser: upperAscii(ld.params[1] ?? '') === 'USER' } : null,
    expire: ex && ex.params[0] !== undefined ? { days: expireDays(ex.params[0]), policy: ex.params[0], perUser: upperAscii(ex.params[1] ?? '') === 'USER' } : null,
    implementation: impl === undefined ? null : impl.trim().slice('IMPLEMENTATION'.length).trim(),
    utf8: u8 ? { user: upperAscii(u8.params[0] ?? '') === 'USER' } : null,
    lang: has('LANG'),
  };
}
