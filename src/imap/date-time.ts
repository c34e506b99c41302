/**
 * IMAP dates (RFC 9051 9 `date-text`, used by SEARCH) and date-times (`date-time`, used by
 * APPEND and INTERNALDATE), to and from `Date`.
 *
 * @packageDocumentation
 */

import { ProtocolError } from '../core/errors';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH_INDEX = new Map(MONTHS.map((m, i) => [m.toUpperCase(), i]));

/**
 * date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE, without
 * the quotes; date-day-fixed = (SP DIGIT) / 2DIGIT; time = 2DIGIT ":" 2DIGIT ":" 2DIGIT;
 * zone = ("+" / "-") 4DIGIT. The month is matched case-insensitively.
 */
export const DATE_TIME_RE = /^([ \d]\d)-([A-Za-z]{3})-(\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;
/** date-text = date-day "-" date-month "-" date-year; date-day = 1*2DIGIT. */
const DATE_RE = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/;

const pad2 = (n: number) => String(n).padStart(2, '0');

function checkDate(d: Date): void {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new TypeError('expected a valid Date');
}

/** Date.UTC without its mapping of years 0..99 to 1900..1999. */
function utcMillis(y: number, month: number, day: number, hh: number, mm: number, ss: number): number {
  const d = new Date(0);
  d.setUTCFullYear(y, month, day);
  d.setUTCHours(hh, mm, ss, 0);
  return d.getTime();
}

function validDay(y: number, m: number, day: number): boolean {
  const last = new Date(0);
  last.setUTCFullYear(y, m + 1, 0);
  return day >= 1 && day <= last.getUTCDate();
}

/**
 * Writes a `Date` as an IMAP date-time (without the quotes), in the zone `offsetMinutes` east of
 * UTC (default 0: `+0000`). Throws TypeError for an invalid date, a year outside 0..9999, or an
 * offset that is not a whole number of minutes within ±99:59.
 *
 * @example
 * ```ts
 * import { imap } from 'mailwire';
 * imap.formatImapDateTime(new Date('1994-02-08T05:52:25Z'), -480); // ' 7-Feb-1994 21:52:25 -0800'
 * ```
 */
export function formatImapDateTime(date: Date, offsetMinutes = 0): string {
  checkDate(date);
  if (!Number.isInteger(offsetMinutes) || Math.abs(offsetMinutes) > 99 * 60 + 59) throw new TypeError(`bad zone offset ${offsetMinutes}`);
  const t = new Date(date.getTime() + offsetMinutes * 60_000);
  const y = t.getUTCFullYear();
  if (y < 0 || y > 9999) throw new TypeError(`year ${y} cannot be written as an IMAP date-time`);
  const abs = Math.abs(offsetMinutes);
  const zone = `${offsetMinutes < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}${pad2(abs % 60)}`;
  return `${String(t.getUTCDate()).padStart(2, ' ')}-${MONTHS[t.getUTCMonth()]}-${String(y).padStart(4, '0')} ${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}:${pad2(t.getUTCSeconds())} ${zone}`;
}

/**
 * Reads an IMAP date-time (quotes optional) into a `Date`, with the zone offset it was written in.
 * A ProtocolError (`SYNTAX`) for anything else, a 30 February included.
 */
export function parseImapDateTime(text: string): { readonly date: Date; readonly offsetMinutes: number } | ProtocolError {
  const s = text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
  const m = DATE_TIME_RE.exec(s);
  const month = m ? MONTH_INDEX.get(m[2]!.toUpperCase()) : undefined;
  if (!m || month === undefined) return new ProtocolError('SYNTAX', `"${s.slice(0, 40)}" is not an IMAP date-time`);
  const [day, y, hh, mm, ss, zh, zm] = [m[1]!.trim(), m[3], m[4], m[5], m[6], m[8], m[9]].map(Number) as number[];
  if (!validDay(y!, month, day!) || hh! > 23 || mm! > 59 || ss! > 60 || zm! > 59) return new ProtocolError('SYNTAX', `"${s}" is not a valid date-time`);
  const offsetMinutes = (m[7] === '-' ? -1 : 1) * (zh! * 60 + zm!);
  // A leap second (60) reads as the last second of its minute: Date has no room for it.
  const date = new Date(utcMillis(y!, month, day!, hh!, mm!, Math.min(ss!, 59)) - offsetMinutes * 60_000);
  return { date, offsetMinutes };
}

/** True when `text` is a valid IMAP date-time (without quotes). */
export function isImapDateTime(text: string): boolean {
  return !(parseImapDateTime(text) instanceof ProtocolError) && DATE_TIME_RE.test(text);
}

/**
 * Writes the UTC calendar day of a `Date` as an IMAP date (`date-text`, e.g. `1-Feb-1994`), as
 * SEARCH SINCE/BEFORE/ON take it. Throws TypeError for an invalid date or a year outside 0..9999.
 */
export function formatImapDate(date: Date): string {
  checkDate(date);
  const y = date.getUTCFullYear();
  if (y < 0 || y > 9999) throw new TypeError(`year ${y} cannot be written as an IMAP date`);
  return `${date.getUTCDate()}-${MONTHS[date.getUTCMonth()]}-${String(y).padStart(4, '0')}`;
}

/** Reads an IMAP date (`d-Mon-yyyy`, quotes optional) as midnight UTC of that day; a ProtocolError otherwise. */
export function parseImapDate(text: string): Date | ProtocolError {
  const s = text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
  const m = DATE_RE.exec(s);
  const month = m ? MONTH_INDEX.get(m[2]!.toUpperCase()) : undefined;
  if (!m || month === undefined || !validDay(Number(m[3]), month, Number(m[1]))) return new ProtocolError('SYNTAX', `"${s.slice(0, 40)}" is not an IMAP date`);
  return new Date(utcMillis(Number(m[3]), month, Number(m[1]), 0, 0, 0));
}
