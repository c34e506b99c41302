/**
 * EHLO reply -> server capabilities (RFC 5321 4.1.1.1 ehlo-ok-rsp and the extension RFCs).
 *
 * @packageDocumentation
 */

import { upperAscii } from '../core/bytes';
import type { Reply } from './types';

/** One EHLO keyword with its parameters, as announced. */
export interface Extension {
  /** Keyword, upper-case. */
  readonly keyword: string;
  /** Parameters split on spaces. */
  readonly params: readonly string[];
}

/** What an EHLO reply says the server supports. Unknown keywords stay in `extensions`. */
export interface Capabilities {
  /** The server's domain (first word of the first line). */
  readonly domain: string;
  /** Rest of the first line. */
  readonly greeting: string;
  /** Every keyword line in order, including unknown ones. */
  readonly extensions: readonly Extension[];
  /** SIZE: the limit in octets, 0 when announced without a number or with 0 (no fixed limit); null if absent. */
  readonly size: number | null;
  /** SASL mechanisms, upper-case, from `AUTH` and the old `AUTH=` form, without duplicates. */
  readonly auth: readonly string[];
  readonly pipelining: boolean;
  readonly chunking: boolean;
  readonly binaryMime: boolean;
  readonly eightBitMime: boolean;
  readonly dsn: boolean;
  readonly smtputf8: boolean;
  readonly enhancedStatusCodes: boolean;
  readonly startTls: boolean;
  readonly requireTls: boolean;
  readonly etrn: boolean;
  readonly expn: boolean;
  readonly vrfy: boolean;
  readonly help: boolean;
  /** DELIVERBY minimum seconds (0 when announced bare); null when absent. */
  readonly deliverBy: number | null;
  /** MT-PRIORITY profile name ('' when bare); null when absent. */
  readonly mtPriority: string | null;
  /** FUTURERELEASE max interval and max date-time; null when absent. */
  readonly futureRelease: { readonly maxInterval: number; readonly maxDateTime: string } | null;
  /** LIMITS (RFC 9422): e.g. `{ 'RCPTMAX': 100, 'MAILMAX': 10 }`; null when absent. */
  readonly limits: Readonly<Record<string, number>> | null;
  /** MTRK (RFC 3885): message tracking (`MTRK=` on MAIL). */
  readonly mtrk: boolean;
  /** NO-SOLICITING (RFC 3865): the solicitation keywords the server lists (often none); null when absent. */
  readonly noSoliciting: readonly string[] | null;
  /** CHECKPOINT (RFC 1845): restartable transactions (`TRANSID=` on MAIL). */
  readonly checkpoint: boolean;
  /** CONPERM (RFC 4141): content conversion permission (`CONPERM=` on MAIL). */
  readonly conperm: boolean;
  /** CONNEG (RFC 4141): content negotiation (`CONNEG` on RCPT). */
  readonly conneg: boolean;
  /** SUBMITTER (RFC 4405): responsible submitter (`SUBMITTER=` on MAIL). */
  readonly submitter: boolean;
  /** BURL (RFC 4468): the URL schemes it takes (`['IMAP']`, or `[]` bare); null when absent. */
  readonly burl: readonly string[] | null;
  /** ATRN (RFC 2645): authenticated TURN. */
  readonly atrn: boolean;
}

/**
 * Reads the capabilities from an EHLO (or LHLO) reply.
 *
 * @example
 * ```ts
 * import { smtp } from 'mailwire';
 * const reply = smtp.parseReply('250-mx.example.org hi\r\n250-SIZE 1000\r\n250 PIPELINING\r\n');
 * if (!(reply instanceof Error)) smtp.parseCapabilities(reply).size; // 1000
 * ```
 */
export function parseCapabilities(reply: Reply): Capabilities {
  const first = reply.lines[0] ?? '';
  const sp = first.indexOf(' ');
  const extensions: Extension[] = [];
  for (const line of reply.lines.slice(1)) {
    const words = line.trim().split(/ +/).filter((w) => w !== '');
    if (words.length === 0) continue;
    let keyword = upperAscii(words[0]!);
    let params = words.slice(1);
    // Old form "AUTH=LOGIN PLAIN" (pre-RFC 2554 Outlook): keyword AUTH with the mechanisms.
    const eq = keyword.indexOf('=');
    if (eq > 0) {
      params = [keyword.slice(eq + 1), ...params].filter((p) => p !== '');
      keyword = keyword.slice(0, eq);
    }
    extensions.push({ keyword, params });
  }
  const find = (k: string) => extensions.find((e) => e.keyword === k);
  const has = (k: string) => find(k) !== undefined;
  const num = (s: string | undefined) => (s !== undefined && /^\d{1,15}$/.test(s) ? Number(s) : null);
  const auth: string[] = [];
  for (const e of extensions) if (e.keyword === 'AUTH') for (const m of e.params) if (!auth.includes(upperAscii(m))) auth.push(upperAscii(m));
  const sizeExt = find('SIZE');
  const dby = find('DELIVERBY');
  const fr = find('FUTURERELEASE');
  const lim = find('LIMITS');
  let limits: Record<string, number> | null = null;
  if (lim) {
    limits = {};
    for (const p of lim.params) {
      const [k, v] = p.split('=');
      const n = num(v);
      if (k && n !== null) limits[upperAscii(k)] = n;
    }
  }
  return {
    domain: sp < 0 ? first : first.slice(0, sp),
    greeting: sp < 0 ? '' : first.slice(sp + 1),
    extensions,
    size: sizeExt ? (num(sizeExt.params[0]) ?? 0) : null,
    auth,
    pipelining: has('PIPELINING'),
    chunking: has('CHUNKING'),
    binaryMime: has('BINARYMIME'),
    eightBitMime: has('8BITMIME'),
    dsn: has('DSN'),
    smtputf8: has('SMTPUTF8'),
    enhancedStatusCodes: has('ENHANCEDSTATUSCODES'),
    startTls: has('STARTTLS'),
    requireTls: has('REQUIRETLS'),
    etrn: has('ETRN'),
    expn: has('EXPN'),
    vrfy: has('VRFY'),
    help: has('HELP'),
    deliverBy: dby ? (num(dby.params[0]) ?? 0) : null,
    mtPriority: find('MT-PRIORITY') ? (find('MT-PRIORITY')!.params[0] ?? '') : null,
    futureRelease: fr ? { maxInterval: num(fr.params[0]) ?? 0, maxDateTime: fr.params[1] ?? '' } : null,
    limits,
    mtrk: has('MTRK'),
    // RFC 3865: "NO-SOLICITING" [SP Solicitation-keywords], the keywords separated by commas.
    noSoliciting: find('NO-SOLICITING') ? find('NO-SOLICITING')!.params.flatMap((p) => p.split(',')).filter((k) => k !== '') : null,
    checkpoint: has('CHECKPOINT'),
    conperm: has('CONPERM'),
    conneg: has('CONNEG'),
    submitter: has('SUBMITTER'),
    burl: find('BURL') ? find('BURL')!.params.map(upperAscii) : null,
    atrn: has('ATRN'),
  };
}

/** `ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")` (RFC 5321 4.1.1.1). */
const EHLO_KEYWORD = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
/** `ehlo-param = 1*(%d33-126)`; `=` joins the old `AUTH=` form, so it is allowed. */
const EHLO_PARAM = /^[\x21-\x7e]+$/;

/**
 * Encodes capabilities as the lines of a 250 EHLO reply (domain line first). Throws a TypeError
 * for a keyword or parameter outside the RFC 5321 4.1.1.1 grammar (a space, CR or LF in one
 * would announce something else).
 */
export function capabilityLines(domain: string, greeting: string, extensions: readonly Extension[]): string[] {
  for (const e of extensions) {
    if (typeof e.keyword !== 'string' || !EHLO_KEYWORD.test(e.keyword)) throw new TypeError(`bad EHLO keyword ${JSON.stringify(e.keyword)}`);
    for (const p of e.params) if (typeof p !== 'string' || !EHLO_PARAM.test(p)) throw new TypeError(`bad EHLO parameter ${JSON.stringify(p)} of ${e.keyword}`);
  }
  return [greeting === '' ? domain : `${domain} ${greeting}`, ...extensions.map((e) => [e.keyword, ...e.params].join(' '))];
}
