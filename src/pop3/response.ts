/**
 * POP3 responses (RFC 1939 3, RFC 2449 8 response codes, RFC 5034 continuations): the status
 * line, and the structured results of STAT, LIST, UIDL, CAPA and the greeting's APOP timestamp.
 *
 * @packageDocumentation
 */

import { decodeUtf8, upperAscii } from '../core/bytes';
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
  const line = typeof input === 'string' ? input : decodeUtf8(input);
  const lenient = options.lenientStatus ?? true;
  if (line === '+' || line.startsWith('+ ')) return { status: '+', text: line.slice(2) };
  let status: '+OK' | '-ERR' | null = null;
  let rest = '';
  for (const s of ['+OK', '-ERR'] as const) {
    const head = line.slice(0, s.length);
    if ((head === s || (lenient && upperAscii(head) === s)) && (line.length === s.length || line[s.length] === ' ')) {
      status = s;
      rest = line.slice(s.length + 1);
    }
  }
  if (status === null) return new ProtocolError('SYNTAX', 'response must start with +OK, -ERR or "+ "', { offset: 0, line: line.slice(0, 80) });
  rest = rest.replace(/^ +/, '');
  let code: string | null = null;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    const inner = close < 0 ? '' : rest.slice(1, close);
    if (close > 0 && /^[A-Za-z0-9/-]+$/.test(inner)) {
      code = upperAscii(inner);
      rest = rest.slice(close + 1).replace(/^ /, '');
    }
  }
  return { status, code, text: rest };
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

/** Reads `+OK nn mm` (RFC 1939 5 STAT); text after the numbers is allowed. */
export function parseStat(r: StatusResponse): Stat | null {
  const m = /^(\d{1,15}) +(\d{1,15})(?: |$)/.exec(r.text);
  return m ? { count: Number(m[1]), size: Number(m[2]) } : null;
}

/** Reads `n size` (a LIST line, or the text of a single-message `+OK`); extra text allowed. */
export function parseListEntry(text: string): ListEntry | null {
  const m = /^ *(\d{1,10}) +(\d{1,15})(?: |$)/.exec(text);
  return m ? { message: Number(m[1]), size: Number(m[2]) } : null;
}

/** Reads `n uid` (a UIDL line, or the text of a single-message `+OK`). UIDs are 0x21..0x7E, up to 70 chars (RFC 1939 7). */
export function parseUidlEntry(text: string): UidlEntry | null {
  const m = /^ *(\d{1,10}) +([\x21-\x7e]{1,70})(?: |$)/.exec(text);
  return m ? { message: Number(m[1]), uid: m[2]! } : null;
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
  /** EXPIRE days, 'NEVER', with the per-user flag; null when absent. */
  readonly expire: { readonly days: number | 'NEVER'; readonly perUser: boolean } | null;
  /** IMPLEMENTATION text; null when absent. */
  readonly implementation: string | null;
  /** UTF8 offered, and whether only as `UTF8 USER`; null when absent. */
  readonly utf8: { readonly user: boolean } | null;
  readonly lang: boolean;
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
    expire: ex && ex.params[0] !== undefined ? { days: upperAscii(ex.params[0]) === 'NEVER' ? 'NEVER' : Number(ex.params[0]), perUser: upperAscii(ex.params[1] ?? '') === 'USER' } : null,
    implementation: impl === undefined ? null : impl.trim().slice('IMPLEMENTATION'.length).trim(),
    utf8: u8 ? { user: upperAscii(u8.params[0] ?? '') === 'USER' } : null,
    lang: has('LANG'),
  };
}
