/**
 * SMTP replies (RFC 5321 4.2): `code SP text` lines, multiline as `code-text`... `code SP
 * text`, with RFC 2034 enhanced status codes after the code. Lenient where real servers
 * deviate: a bare `250`, a missing space after the code (`250OK`), a trailing `250-` with
 * nothing after the hyphen.
 *
 * @packageDocumentation
 */

import { decodeUtf8, encodeUtf8 } from '../core/bytes';
import { assertInteger, assertLineText, assertObject } from '../core/encode-checks';
import { ProtocolError } from '../core/errors';
import { formatEnhancedStatus, parseEnhancedStatus } from './enhanced-status';
import type { EnhancedStatus, Reply } from './types';

/** One reply line split into its parts. */
export interface ReplyLine {
  /** The three-digit code. */
  readonly code: number;
  /** True for the last line (`code SP` or a bare code), false for `code-`. */
  readonly last: boolean;
  /** The text after the separator. */
  readonly text: string;
}

/**
 * Reads the code and separator of a reply line in bytes: `code * 2 + (last ? 1 : 0)`, or -1
 * when the line does not start with a reply code (RFC 5321 4.2: first digit 2-5, second 0-5,
 * third 0-9; 1yz accepted too, RFC 821 positive preliminary; a bare code or a missing
 * separator as in `250OK` count as a last line), or -2 for a fourth digit. No string is made.
 */
export function readReplyCode(bytes: Uint8Array, start: number, end: number): number {
  if (end - start < 3) return -1;
  const d0 = bytes[start]! - 48;
  const d1 = bytes[start + 1]! - 48;
  const d2 = bytes[start + 2]! - 48;
  if (!(d0 >= 1 && d0 <= 5 && d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9)) return -1;
  const code = d0 * 100 + d1 * 10 + d2;
  if (end - start === 3) return code * 2 + 1;
  const sep = bytes[start + 3]!;
  if (sep === 0x2d) return code * 2;
  if (sep >= 48 && sep <= 57) return -2;
  return code * 2 + 1;
}

/** Where the text of a reply line starts: after `code SP` / `code-`, right after the code when the separator is missing. */
export function replyTextStart(bytes: Uint8Array, start: number, end: number): number {
  if (end - start <= 3) return end;
  const sep = bytes[start + 3];
  return sep === 0x20 || sep === 0x2d ? start + 4 : start + 3;
}

function notAReplyLine(kind: number, line: string): ProtocolError {
  return kind === -2
    ? new ProtocolError('SYNTAX', 'reply code longer than three digits', { offset: 3, line: line.slice(0, 80) })
    : new ProtocolError('SYNTAX', 'reply line must start with a three-digit code', { offset: 0, line: line.slice(0, 80) });
}

/** Parses one reply line (without CRLF); a `SYNTAX` ProtocolError when it does not start with a reply code. */
export function parseReplyLine(input: string | Uint8Array): ReplyLine | ProtocolError {
  const bytes = typeof input === 'string' ? encodeUtf8(input) : input;
  const kind = readReplyCode(bytes, 0, bytes.length);
  if (kind < 0) return notAReplyLine(kind, typeof input === 'string' ? input : decodeUtf8(bytes, 0, Math.min(bytes.length, 80)));
  return { code: kind >> 1, last: (kind & 1) === 1, text: decodeUtf8(bytes, replyTextStart(bytes, 0, bytes.length)) };
}

function stripEnhanced(text: string, code: number): { enhanced: EnhancedStatus | null; text: string } {
  const e = parseEnhancedStatus(text);
  if (e instanceof ProtocolError || e.status.class !== Math.floor(code / 100)) return { enhanced: null, text };
  return { enhanced: e.status, text: text.slice(e.length + 1) };
}

/** Builds a {@link Reply} from its lines; a `SYNTAX` error when the codes of the lines differ. */
export function replyFromLines(lines: readonly ReplyLine[]): Reply | ProtocolError {
  if (lines.length === 0) return new ProtocolError('SYNTAX', 'empty reply');
  const code = lines[0]!.code;
  let enhanced: EnhancedStatus | null = null;
  const texts: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.code !== code) return new ProtocolError('SYNTAX', `reply code ${l.code} inside a multiline ${code} reply`, { line: `${l.code}` });
    const s = stripEnhanced(l.text, code);
    if (i === 0) enhanced = s.enhanced;
    texts.push(enhanced !== null && s.enhanced !== null ? s.text : l.text);
  }
  return { code, enhanced, lines: texts };
}

/**
 * Parses a complete reply: one or more lines separated by CRLF (a final CRLF is optional).
 *
 * @example
 * ```ts
 * import { smtp } from 'mailwire';
 * smtp.parseReply('250-mx.example.org\r\n250 2.0.0 SIZE 1000\r\n');
 * ```
 */
export function parseReply(input: string | Uint8Array): Reply | ProtocolError {
  let text = typeof input === 'string' ? input : decodeUtf8(input);
  if (text.endsWith('\r\n')) text = text.slice(0, -2);
  const parts = text.split('\r\n');
  const lines: ReplyLine[] = [];
  for (let i = 0; i < parts.length; i++) {
    const l = parseReplyLine(parts[i]!);
    if (l instanceof ProtocolError) return l;
    if (l.last !== (i === parts.length - 1)) {
      return new ProtocolError('SYNTAX', l.last ? 'text after the last line of a reply' : 'multiline reply without a last line');
    }
    lines.push(l);
  }
  return replyFromLines(lines);
}

/**
 * Encodes a reply: every line but the last as `code-`, the last as `code SP`; the enhanced
 * code, when set, starts every line (RFC 2034 3). Every field is checked at run time: the
 * code must be an integer 200..599 (RFC 5321 4.2: first digit 2-5), the enhanced code
 * `2|4|5 . 0-999 . 0-999` of the code's class, the lines an array of strings without CR, LF
 * or NUL. With `enhanced: null`, the first line must not start with an enhanced code of the
 * reply's class (it would read back as the enhanced code: pass it as `enhanced`). Throws
 * `TypeError` / `RangeError` otherwise.
 */
export function encodeReply(reply: Reply): string {
  assertObject(reply, 'SMTP reply');
  assertInteger(reply.code, 200, 599, 'SMTP reply code');
  const enhanced: unknown = reply.enhanced;
  if (enhanced !== null) {
    assertObject(enhanced, 'SMTP enhanced status');
    const e = enhanced as Record<string, unknown>;
    assertInteger(e.class, 2, 5, 'enhanced status class');
    assertInteger(e.subject, 0, 999, 'enhanced status subject');
    assertInteger(e.detail, 0, 999, 'enhanced status detail');
    if (e.class !== Math.floor(reply.code / 100)) throw new RangeError(`enhanced status class ${e.class} does not match reply code ${reply.code}`);
  }
  if (!Array.isArray(reply.lines)) throw new TypeError('SMTP reply lines must be an array of strings');
  if (enhanced === null && reply.lines.length > 0) refuseHiddenEnhanced(reply.code, reply.lines[0]);
  const prefix = reply.enhanced === null ? '' : `${formatEnhancedStatus(reply.enhanced)} `;
  const lines = reply.lines.length === 0 ? [''] : reply.lines;
  let s = '';
  for (let i = 0; i < lines.length; i++) {
    const t: unknown = lines[i];
    assertLineText(t, 'SMTP reply text');
    const sep = i === lines.length - 1 ? ' ' : '-';
    const body = prefix + t;
    s += body === '' && sep === ' ' ? `${reply.code}\r\n` : `${reply.code}${sep}${body}\r\n`;
  }
  return s;
}

/**
 * RFC 2034 3: a reader takes `class.subject.detail` at the start of the first line as the
 * reply's enhanced code when its class is the reply's (the ReplyParser and parseReply do,
 * whether or not ENHANCEDSTATUSCODES was announced: servers send them either way). A reply
 * with `enhanced: null` whose first text starts like that would read back as another reply
 * (`550 5.1.1 user unknown` comes back with enhanced 5.1.1 and the text `user unknown`), so
 * it is refused: the code belongs in `enhanced`.
 */
function refuseHiddenEnhanced(code: number, first: unknown): void {
  if (typeof first !== 'string') return; // assertLineText reports it
  const e = parseEnhancedStatus(first);
  if (e instanceof ProtocolError || e.status.class !== Math.floor(code / 100)) return;
  throw new RangeError(
    `SMTP reply text ${JSON.stringify(first.slice(0, 20))} starts with the enhanced status code ${formatEnhancedStatus(e.status)} but enhanced is null: ` +
      'a reader would take it as the enhanced code; pass it as enhanced instead',
  );
}

/** The reply class: 2 (positive completion), 3 (intermediate), 4 (transient failure), 5 (permanent failure). */
export function replyClass(code: number): 1 | 2 | 3 | 4 | 5 {
  return Math.floor(code / 100) as 1 | 2 | 3 | 4 | 5;
}

/** Names of the second-digit categories (RFC 5321 4.2.1). */
export const REPLY_CATEGORIES = ['syntax', 'information', 'connections', 'unspecified', 'unspecified', 'mail system'] as const;

/** The reply category (RFC 5321 4.2.1): x0z syntax, x1z information, x2z connections, x5z mail system. */
export function replyCategory(code: number): (typeof REPLY_CATEGORIES)[number] | 'unknown' {
  return REPLY_CATEGORIES[Math.floor(code / 10) % 10] ?? 'unknown';
}

/** True for 2yz replies. */
export function isPositive(reply: Reply): boolean {
  return reply.code >= 200 && reply.code < 300;
}
