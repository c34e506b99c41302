/**
 * The MAIL/RCPT parameters of five rarer ESMTP extensions, each with its reader and its
 * writer: MTRK (RFC 3885), SOLICIT (RFC 3865 NO-SOLICITING), TRANSID (RFC 1845 CHECKPOINT),
 * SUBMITTER (RFC 4405), CONPERM and CONNEG (RFC 4141). Readers take the value as written
 * (`null` for a bare keyword) and give the typed value or a ProtocolError; writers check every
 * field at run time and give the value to put after `KEYWORD=`.
 *
 * Sources of the grammars are quoted above each reader; where the RFC text itself could not be
 * consulted the comment says what the rule rests on.
 *
 * @packageDocumentation
 */

import { ProtocolError } from '../core/errors';
import { decodeXtext, encodeXtext } from './xtext';

function bad(message: string): ProtocolError {
  return new ProtocolError('SYNTAX', message);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** RFC 3885 1: `base64 = %x2b / %x2f / %x30-39 / %x41-5a / %x61-7a` (no "=" padding: it would end the esmtp-value). */
function isBase64Char(c: number): boolean {
  return c === 0x2b || c === 0x2f || isDigit(c) || isAlpha(c);
}

function allChars(s: string, ok: (c: number) => boolean): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!ok(s.charCodeAt(i))) return false;
  return true;
}

/** Message tracking request (RFC 3885). */
export interface MtrkParameter {
  /** The certifier: base64 characters (the hash of the authenticator the sender keeps). */
  readonly certifier: string;
  /** Seconds the tracking information should be kept, or `null` when not given (server default). */
  readonly timeout: number | null;
}

/** The largest timeout `1*9DIGIT` can carry. */
const MAX_MTRK_TIMEOUT = 999_999_999;

/**
 * RFC 3885 MTRK: `"MTRK=" certifier [":" timeout]`, certifier 1*base64, timeout 1*9DIGIT.
 * The base64 and DIGIT rules were read from RFC 3885 1; the certifier/timeout split and the
 * refusals (`MTRK=abc:`, `MTRK=:998`) are how stalwart smtp-proto reads the parameter; the
 * 9-digit bound is from memory of the RFC's rule, not read here.
 */
export function readMtrk(value: string | null): MtrkParameter | ProtocolError {
  if (value === null) return bad('MTRK needs certifier[:timeout]');
  const colon = value.indexOf(':');
  const certifier = colon < 0 ? value : value.slice(0, colon);
  if (!allChars(certifier, isBase64Char)) return bad('MTRK certifier must be base64 characters');
  if (colon < 0) return { certifier, timeout: null };
  const t = value.slice(colon + 1);
  if (t.length > 9 || !allChars(t, isDigit)) return bad('MTRK timeout must be 1 to 9 digits');
  return { certifier, timeout: Number(t) };
}

/** Writes the MTRK value; throws for a certifier outside base64 or a timeout outside 0..999999999. */
export function writeMtrk(m: MtrkParameter): string {
  if (typeof m !== 'object' || m === null) throw new TypeError('MTRK must be { certifier, timeout }');
  if (typeof m.certifier !== 'string' || !allChars(m.certifier, isBase64Char)) throw new TypeError('MTRK certifier must be 1 or more base64 characters (RFC 3885)');
  if (m.timeout === null) return m.certifier;
  if (typeof m.timeout !== 'number' || !Number.isInteger(m.timeout) || m.timeout < 0 || m.timeout > MAX_MTRK_TIMEOUT) throw new RangeError('MTRK timeout must be an integer 0..999999999 (RFC 3885)');
  return `${m.certifier}:${m.timeout}`;
}

/**
 * One solicitation class keyword character. RFC 3865 builds keywords from a reversed domain
 * name and ":"-separated labels (`org.example:ADV:ADLT`, the RFC's examples as stalwart's tests
 * carry them); a keyword list is comma-separated, so "," never belongs to a keyword. The RFC's
 * exact character rule could not be read here: letters, digits, "-", ".", ":" and "_" are taken.
 */
function isSolicitChar(c: number): boolean {
  return isAlpha(c) || isDigit(c) || c === 0x2d || c === 0x2e || c === 0x3a || c === 0x5f;
}

function isSolicitKeyword(k: string): boolean {
  return allChars(k, isSolicitChar) && (isAlpha(k.charCodeAt(0)) || isDigit(k.charCodeAt(0)));
}

/** RFC 3865 SOLICIT: `"SOLICIT=" keyword *("," keyword)` on MAIL (comma-separated, as stalwart's tests of the RFC's examples show). */
export function readSolicit(value: string | null): string[] | ProtocolError {
  if (value === null) return bad('SOLICIT needs one or more solicitation keywords');
  const keywords = value.split(',');
  for (const k of keywords) if (!isSolicitKeyword(k)) return bad(`bad solicitation keyword "${k}" (RFC 3865)`);
  return keywords;
}

/** Writes the SOLICIT value; throws for an empty list or a keyword with a character outside the rule (a "," would split it). */
export function writeSolicit(keywords: readonly string[]): string {
  if (!Array.isArray(keywords) || keywords.length === 0) throw new TypeError('SOLICIT needs a non-empty array of keywords');
  for (const k of keywords as readonly unknown[]) {
    if (typeof k !== 'string' || !isSolicitKeyword(k)) throw new TypeError(`bad solicitation keyword ${JSON.stringify(k)} (RFC 3865: letters, digits, "-", ".", ":", "_")`);
  }
  return keywords.join(',');
}

/** A transaction id char: printable, not "<", ">", "@" (they delimit it), "=" or space (esmtp-value). */
function isTransIdChar(c: number): boolean {
  return c > 0x20 && c < 0x7f && c !== 0x3c && c !== 0x3e && c !== 0x40 && c !== 0x3d;
}

/**
 * RFC 1845 TRANSID: `"TRANSID=" "<" local "@" domain ">"`, a Message-ID-like id (example
 * `TRANSID=<12345@claremont.edu>`, as stalwart's tests carry it; the RFC's own rule names were
 * not read here). Read as the text between the angle brackets.
 */
export function readTransId(value: string | null): string | ProtocolError {
  const inner = value !== null && value.length > 2 && value.startsWith('<') && value.endsWith('>') ? value.slice(1, -1) : null;
  const at = inner === null ? -1 : inner.indexOf('@');
  if (inner === null || at <= 0 || !allChars(inner.slice(0, at), isTransIdChar) || !allChars(inner.slice(at + 1), isTransIdChar)) {
    return bad('TRANSID must be <local@domain>');
  }
  return inner;
}

/** Writes the TRANSID value `<local@domain>`; throws unless `id` is `local@domain` of printable chars without "<", ">", "=" or space. */
export function writeTransId(id: string): string {
  if (typeof id !== 'string') throw new TypeError('TRANSID must be a string local@domain');
  const at = id.indexOf('@');
  if (at <= 0 || !allChars(id.slice(0, at), isTransIdChar) || !allChars(id.slice(at + 1), isTransIdChar)) {
    throw new TypeError('TRANSID must be local@domain of printable characters without "<", ">", "@", "=" or space (RFC 1845)');
  }
  return `<${id}>`;
}

/** A Mailbox `local@domain`: a last "@" with text on both sides, no angle brackets and no space. */
function isMailbox(s: string): boolean {
  const at = s.lastIndexOf('@');
  if (at <= 0 || at === s.length - 1) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3c || c === 0x3e || c <= 0x20 || c === 0x7f) return false;
  }
  return true;
}

/**
 * RFC 4405 SUBMITTER: `"SUBMITTER=" xtext`, whose decoded value is the responsible submitter's
 * Mailbox (RFC 5321 `Local-part "@" Domain`, no angle brackets; from memory of the RFC, which
 * was not read here). A quoted local part may hold a space (written `+20`).
 */
export function readSubmitter(value: string | null): string | ProtocolError {
  if (value === null) return bad('SUBMITTER needs an xtext mailbox');
  const d = decodeXtext(value);
  if (d instanceof ProtocolError) return new ProtocolError('INVALID_ENCODING', `SUBMITTER: ${d.message}`);
  if (!isMailbox(unquoteSpaces(d))) return bad('SUBMITTER must be a mailbox local@domain (RFC 4405)');
  return d;
}

/** A quoted local part may hold spaces: they are not separators there. */
function unquoteSpaces(s: string): string {
  return s.startsWith('"') ? s.replace(/"(?:[^"\\]|\\.)*"/, (q) => q.replace(/ /g, '_')) : s;
}

/** Writes the SUBMITTER value (xtext); throws unless `mailbox` is `local@domain` in printable US-ASCII. */
export function writeSubmitter(mailbox: string): string {
  if (typeof mailbox !== 'string' || !isMailbox(unquoteSpaces(mailbox))) throw new TypeError('SUBMITTER must be a mailbox local@domain without angle brackets (RFC 4405)');
  return encodeXtext(mailbox);
}

/**
 * RFC 4141 CONPERM (on MAIL) and CONNEG (on RCPT) are taken as bare keywords: the permitted
 * conversions travel in the message's Content-Convert header field, and the recipient's
 * capabilities come back in the RCPT reply (the IETF FAX WG slides: "RCPT Conneg query /
 * Receiver lists capabilities"). The RFC text was not read here; a value after them is refused.
 */
export function readFlagParameter(keyword: string, value: string | null): true | ProtocolError {
  return value === null ? true : bad(`${keyword} takes no value`);
}

/** The EHLO keyword each of these parameters belongs to: a client may use it only when the server offers that keyword. */
const EXTENSION_OF: Readonly<Record<string, string>> = { MTRK: 'MTRK', SOLICIT: 'NO-SOLICITING', TRANSID: 'CHECKPOINT', SUBMITTER: 'SUBMITTER', CONPERM: 'CONPERM', CONNEG: 'CONNEG' };

/**
 * The EHLO keyword that must be offered before a MAIL/RCPT parameter of these extensions may be
 * sent (`SOLICIT` -> `NO-SOLICITING`, `TRANSID` -> `CHECKPOINT` ...), or `null` for any other
 * parameter. Sessions use it to refuse such a parameter to a server that did not offer it
 * (client) and to answer 555 when it was not offered (server, RFC 5321 4.1.1.11).
 */
export function extensionOfParameter(keyword: string): string | null {
  return Object.prototype.hasOwnProperty.call(EXTENSION_OF, keyword.toUpperCase()) ? EXTENSION_OF[keyword.toUpperCase()]! : null;
}
