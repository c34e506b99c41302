/**
 * ESMTP parameters of MAIL and RCPT (RFC 5321 4.1.2 esmtp-param) and typed readings of the
 * registered ones: SIZE (1870), BODY (6152, 3030), SMTPUTF8 (6531), RET/ENVID/NOTIFY/ORCPT
 * (3461), AUTH (4954), MT-PRIORITY (6710), HOLDFOR/HOLDUNTIL (4865), BY (2852),
 * REQUIRETLS (8689), RRVS (7293), MTRK (3885), SOLICIT (3865), TRANSID (1845), SUBMITTER
 * (4405), CONPERM/CONNEG (4141); and the typed writers back to parameters.
 *
 * @packageDocumentation
 */

import { upperAscii } from '../core/bytes';
import { assertBoolean, assertInteger, assertLineText, assertObject, assertOneOf, assertOptionalLineText } from '../core/encode-checks';
import { ProtocolError } from '../core/errors';
import {
  type MtrkParameter,
  readFlagParameter,
  readMtrk,
  readSolicit,
  readSubmitter,
  readTransId,
  writeMtrk,
  writeSolicit,
  writeSubmitter,
  writeTransId,
} from './extension-parameters';
import type { Parameter } from './types';
import { decodeUtf8AddrXtext, encodeUtf8AddrXtext } from './utf8-addr-xtext';
import { decodeXtext, encodeXtext } from './xtext';

function isKeyword(k: string): boolean {
  if (k.length === 0) return false;
  for (let i = 0; i < k.length; i++) {
    const c = k.charCodeAt(i);
    const alnum = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (!alnum && !(i > 0 && c === 0x2d)) return false;
  }
  return true;
}

function isValue(v: string): boolean {
  if (v.length === 0) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 33 || c === 0x3d || c === 127) return false;
  }
  return true;
}

function bad(message: string): ProtocolError {
  return new ProtocolError('SYNTAX', message);
}

/** Parses the space-separated parameters after a path; a `SYNTAX` ProtocolError for malformed ones. */
export function parseParameters(text: string): Parameter[] | ProtocolError {
  const out: Parameter[] = [];
  for (const word of text.split(' ')) {
    if (word === '') continue;
    const eq = word.indexOf('=');
    const keyword = eq < 0 ? word : word.slice(0, eq);
    const value = eq < 0 ? null : word.slice(eq + 1);
    if (!isKeyword(keyword)) return bad(`bad parameter keyword "${keyword}"`);
    if (value !== null && !isValue(value)) return bad(`bad value for parameter ${keyword}`);
    out.push({ keyword: upperAscii(keyword), value });
  }
  return out;
}

/**
 * Encodes parameters (with a leading space each). Every field is checked at run time: throws
 * a `TypeError` for a keyword that is not esmtp-keyword or a value that is not esmtp-value
 * (a space, "=", a control char), which would not re-parse as the same parameters.
 */
export function encodeParameters(params: readonly Parameter[]): string {
  if (!Array.isArray(params)) throw new TypeError('ESMTP parameters must be an array');
  let s = '';
  for (const p of params as readonly Parameter[]) {
    const value: unknown = p;
    assertObject(value, 'ESMTP parameter');
    assertLineText(p.keyword, 'ESMTP parameter keyword');
    assertOptionalLineText(p.value, `ESMTP parameter ${p.keyword} value`);
    if (!isKeyword(p.keyword)) throw new TypeError(`bad ESMTP parameter keyword "${p.keyword}"`);
    if (p.value !== null && !isValue(p.value)) throw new TypeError(`ESMTP parameter ${p.keyword} value must be printable, without space or "="`);
    s += p.value === null ? ` ${p.keyword}` : ` ${p.keyword}=${p.value}`;
  }
  return s;
}

/** The value of the first parameter named `keyword` (`null` for a flag), or `undefined` when absent. */
export function getParameter(params: readonly Parameter[], keyword: string): string | null | undefined {
  const k = upperAscii(keyword);
  for (const p of params) if (p.keyword === k) return p.value;
  return undefined;
}

/** Typed MAIL FROM parameters. Absent parameters are `undefined`. */
export interface MailParameters {
  /** SIZE=n, declared message size (RFC 1870). */
  readonly size?: number;
  /** BODY=7BIT|8BITMIME|BINARYMIME. */
  readonly body?: '7BIT' | '8BITMIME' | 'BINARYMIME';
  /** SMTPUTF8 present (RFC 6531). */
  readonly smtputf8?: boolean;
  /** RET=FULL|HDRS (RFC 3461). */
  readonly ret?: 'FULL' | 'HDRS';
  /** ENVID, xtext-decoded (RFC 3461). */
  readonly envid?: string;
  /** AUTH=<mailbox> or `<>`, xtext-decoded (RFC 4954 5). */
  readonly auth?: string;
  /** MT-PRIORITY=-9..9 (RFC 6710). */
  readonly mtPriority?: number;
  /** HOLDFOR=seconds (RFC 4865). */
  readonly holdFor?: number;
  /** HOLDUNTIL=date-time text (RFC 4865). */
  readonly holdUntil?: string;
  /** BY=time;mode[T] (RFC 2852). */
  readonly by?: { readonly time: number; readonly mode: 'N' | 'R'; readonly trace: boolean };
  /** REQUIRETLS present (RFC 8689). */
  readonly requireTls?: boolean;
  /** MTRK=certifier[:timeout], message tracking (RFC 3885). */
  readonly mtrk?: MtrkParameter;
  /** SOLICIT=keyword,keyword: the solicitation classes the message belongs to (RFC 3865). */
  readonly solicit?: readonly string[];
  /** TRANSID=<local@domain>, the transaction id for checkpoint/restart (RFC 1845), without the brackets. */
  readonly transId?: string;
  /** SUBMITTER=mailbox, the responsible submitter (RFC 4405), xtext-decoded. */
  readonly submitter?: string;
  /** CONPERM present: content conversion permitted as the Content-Convert field says (RFC 4141). */
  readonly conperm?: boolean;
}

/** Typed RCPT TO parameters. */
export interface RcptParameters {
  /** NOTIFY=NEVER or a list of SUCCESS, FAILURE, DELAY (RFC 3461 4.1). */
  readonly notify?: readonly ('NEVER' | 'SUCCESS' | 'FAILURE' | 'DELAY')[];
  /** ORCPT=addr-type;xtext (RFC 3461 4.2), decoded; the `UTF-8` type's `\x{HEX}` escapes too (RFC 6533 3). */
  readonly orcpt?: { readonly type: string; readonly address: string };
  /** RRVS=date-time[;C|R] (RFC 7293). */
  readonly rrvs?: { readonly time: string; readonly action: 'C' | 'R' | null };
  /** CONNEG present: the client asks for the recipient's content capabilities (RFC 4141). */
  readonly conneg?: boolean;
}

function int(v: string | null | undefined, min: number, max: number): number | null {
  if (v === null || v === undefined || !/^-?\d{1,15}$/.test(v)) return null;
  const n = Number(v);
  return n >= min && n <= max ? n : null;
}

/**
 * A parameter given twice makes the command ambiguous (which SIZE counts?): RFC 5321 4.1.2
 * lets each keyword stand once, as Postfix and Exim require.
 */
function repeated(params: readonly Parameter[]): ProtocolError | null {
  for (let i = 1; i < params.length; i++) {
    for (let j = 0; j < i; j++) if (params[j]!.keyword === params[i]!.keyword) return bad(`parameter ${params[i]!.keyword} given twice`);
  }
  return null;
}

/** RFC 3339 5.6 date-time (RFC 4865 HOLDUNTIL), with the field ranges checked. */
function isDateTime(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:[Zz]|[-+](\d{2}):(\d{2}))$/.exec(v);
  if (!m) return false;
  const [mo, d, h, mi, se] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number];
  const days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  if (days === undefined || d < 1 || d > days || h > 23 || mi > 59 || se > 60) return false;
  return m[7] === undefined || (Number(m[7]) <= 23 && Number(m[8]) <= 59);
}

/** Reads the registered MAIL parameters; a ProtocolError names the first invalid one. */
export function readMailParameters(params: readonly Parameter[]): MailParameters | ProtocolError {
  const r: { -readonly [K in keyof MailParameters]: MailParameters[K] } = {};
  const twice = repeated(params);
  if (twice !== null) return twice;
  for (const p of params) {
    const v = p.value;
    switch (p.keyword) {
      case 'SIZE': {
        const n = int(v, 0, Number.MAX_SAFE_INTEGER);
        if (n === null) return bad('SIZE needs a number');
        r.size = n;
        break;
      }
      case 'BODY': {
        const b = v === null ? '' : upperAscii(v);
        if (b !== '7BIT' && b !== '8BITMIME' && b !== 'BINARYMIME') return bad('BODY must be 7BIT, 8BITMIME or BINARYMIME');
        r.body = b;
        break;
      }
      case 'SMTPUTF8':
        if (v !== null) return bad('SMTPUTF8 takes no value');
        r.smtputf8 = true;
        break;
      case 'REQUIRETLS':
        if (v !== null) return bad('REQUIRETLS takes no value');
        r.requireTls = true;
        break;
      case 'RET': {
        const t = v === null ? '' : upperAscii(v);
        if (t !== 'FULL' && t !== 'HDRS') return bad('RET must be FULL or HDRS');
        r.ret = t;
        break;
      }
      case 'ENVID':
      case 'AUTH': {
        if (v === null) return bad(`${p.keyword} needs an xtext value`);
        const d = decodeXtext(v);
        if (d instanceof ProtocolError) return new ProtocolError('INVALID_ENCODING', `${p.keyword}: ${d.message}`);
        if (p.keyword === 'ENVID') r.envid = d;
        else r.auth = d;
        break;
      }
      case 'MT-PRIORITY': {
        const n = int(v, -9, 9);
        if (n === null) return bad('MT-PRIORITY must be -9..9');
        r.mtPriority = n;
        break;
      }
      case 'HOLDFOR': {
        const n = int(v, 0, 999_999_999);
        if (n === null) return bad('HOLDFOR needs a number of seconds');
        r.holdFor = n;
        break;
      }
      case 'HOLDUNTIL':
        if (v === null || !isDateTime(v)) return bad('HOLDUNTIL needs an RFC 3339 date-time');
        r.holdUntil = v;
        break;
      case 'BY': {
        // RFC 2852 4: by-time = ["-" / "+"] 1*9digit.
        const m = v === null ? null : /^([-+]?\d{1,9});([NRnr])([Tt]?)$/.exec(v);
        if (!m) return bad('BY must be time;N|R[T]');
        r.by = { time: Number(m[1]), mode: upperAscii(m[2]!) as 'N' | 'R', trace: m[3] !== '' };
        break;
      }
      case 'MTRK': {
        const m = readMtrk(v);
        if (m instanceof ProtocolError) return m;
        r.mtrk = m;
        break;
      }
      case 'SOLICIT': {
        const k = readSolicit(v);
        if (k instanceof ProtocolError) return k;
        r.solicit = k;
        break;
      }
      case 'TRANSID': {
        const t = readTransId(v);
        if (t instanceof ProtocolError) return t;
        r.transId = t;
        break;
      }
      case 'SUBMITTER': {
        const m = readSubmitter(v);
        if (m instanceof ProtocolError) return m;
        r.submitter = m;
        break;
      }
      case 'CONPERM': {
        const f = readFlagParameter('CONPERM', v);
        if (f instanceof ProtocolError) return f;
        r.conperm = f;
        break;
      }
      default:
        break;
    }
  }
  return r;
}

/** Reads the registered RCPT parameters; a ProtocolError names the first invalid one. */
export function readRcptParameters(params: readonly Parameter[]): RcptParameters | ProtocolError {
  const r: { -readonly [K in keyof RcptParameters]: RcptParameters[K] } = {};
  const twice = repeated(params);
  if (twice !== null) return twice;
  for (const p of params) {
    const v = p.value;
    if (p.keyword === 'NOTIFY') {
      const list = (v ?? '').split(',').map(upperAscii);
      const ok = list.every((x) => x === 'SUCCESS' || x === 'FAILURE' || x === 'DELAY' || x === 'NEVER');
      if (!ok || list.length === 0 || (list.includes('NEVER') && list.length > 1)) return bad('NOTIFY must be NEVER or SUCCESS,FAILURE,DELAY');
      r.notify = list as ('NEVER' | 'SUCCESS' | 'FAILURE' | 'DELAY')[];
    } else if (p.keyword === 'ORCPT') {
      const semi = v === null ? -1 : v.indexOf(';');
      if (semi <= 0) return bad('ORCPT must be addr-type;xtext');
      const type = upperAscii(v!.slice(0, semi));
      // RFC 6533 3: the utf-8 type carries utf-8-addr-xtext / -unitext, "\x{HEX}" escapes instead of "+XX".
      const addr = type === 'UTF-8' ? decodeUtf8AddrXtext(v!.slice(semi + 1)) : decodeXtext(v!.slice(semi + 1));
      if (addr instanceof ProtocolError) return new ProtocolError('INVALID_ENCODING', `ORCPT: ${addr.message}`);
      r.orcpt = { type, address: addr };
    } else if (p.keyword === 'RRVS') {
      const m = v === null ? null : /^([^;]+)(?:;([CRcr]))?$/.exec(v);
      if (!m) return bad('RRVS must be date-time[;C|R]');
      r.rrvs = { time: m[1]!, action: m[2] ? (upperAscii(m[2]) as 'C' | 'R') : null };
    } else if (p.keyword === 'CONNEG') {
      const f = readFlagParameter('CONNEG', v);
      if (f instanceof ProtocolError) return f;
      r.conneg = f;
    }
  }
  return r;
}

const nonEmpty = (value: string, what: string): string => {
  if (value === '') throw new TypeError(`${what} must not be empty`);
  return value;
};

const bool = (flag: boolean | undefined, what: string): boolean => {
  assertBoolean(flag, what);
  return flag;
};

/**
 * Writes typed MAIL parameters as parameters (the inverse of {@link readMailParameters}). Every
 * field is checked at run time: a TypeError or RangeError for a value the reader would refuse
 * or read differently (SIZE=-1, MT-PRIORITY=10, a HOLDUNTIL that is no RFC 3339 date-time, an
 * MTRK certifier outside base64 ...). A flag set to `false` is left out.
 *
 * @example
 * ```ts
 * import { smtp } from 'mailwire';
 * smtp.encodeMailParameters({ mtrk: { certifier: 'x5Tq', timeout: 3600 }, submitter: 'a@b.example' });
 * // [{ keyword: 'MTRK', value: 'x5Tq:3600' }, { keyword: 'SUBMITTER', value: 'a@b.example' }]
 * ```
 */
export function encodeMailParameters(p: MailParameters): Parameter[] {
  assertObject(p, 'MAIL parameters');
  const out: Parameter[] = [];
  const add = (keyword: string, value: string | null) => out.push({ keyword, value });
  if (p.size !== undefined) {
    assertInteger(p.size, 0, Number.MAX_SAFE_INTEGER, 'SIZE');
    add('SIZE', String(p.size));
  }
  if (p.body !== undefined) {
    assertOneOf(p.body, ['7BIT', '8BITMIME', 'BINARYMIME'] as const, 'BODY');
    add('BODY', p.body);
  }
  if (p.smtputf8 !== undefined && bool(p.smtputf8, 'SMTPUTF8')) add('SMTPUTF8', null);
  if (p.ret !== undefined) {
    assertOneOf(p.ret, ['FULL', 'HDRS'] as const, 'RET');
    add('RET', p.ret);
  }
  if (p.envid !== undefined) add('ENVID', nonEmpty(encodeXtext(p.envid), 'ENVID'));
  if (p.auth !== undefined) add('AUTH', nonEmpty(encodeXtext(p.auth), 'AUTH'));
  if (p.mtPriority !== undefined) {
    assertInteger(p.mtPriority, -9, 9, 'MT-PRIORITY');
    add('MT-PRIORITY', String(p.mtPriority));
  }
  if (p.holdFor !== undefined) {
    assertInteger(p.holdFor, 0, 999_999_999, 'HOLDFOR');
    add('HOLDFOR', String(p.holdFor));
  }
  if (p.holdUntil !== undefined) {
    if (typeof p.holdUntil !== 'string' || !isDateTime(p.holdUntil)) throw new RangeError('HOLDUNTIL must be an RFC 3339 date-time (RFC 4865)');
    add('HOLDUNTIL', p.holdUntil);
  }
  if (p.by !== undefined) {
    assertObject(p.by, 'BY');
    assertInteger(p.by.time, -999_999_999, 999_999_999, 'BY time');
    assertOneOf(p.by.mode, ['N', 'R'] as const, 'BY mode');
    add('BY', `${p.by.time};${p.by.mode}${bool(p.by.trace, 'BY trace') ? 'T' : ''}`);
  }
  if (p.requireTls !== undefined && bool(p.requireTls, 'REQUIRETLS')) add('REQUIRETLS', null);
  if (p.mtrk !== undefined) add('MTRK', writeMtrk(p.mtrk));
  if (p.solicit !== undefined) add('SOLICIT', writeSolicit(p.solicit));
  if (p.transId !== undefined) add('TRANSID', writeTransId(p.transId));
  if (p.submitter !== undefined) add('SUBMITTER', writeSubmitter(p.submitter));
  if (p.conperm !== undefined && bool(p.conperm, 'CONPERM')) add('CONPERM', null);
  return out;
}

/**
 * Writes typed RCPT parameters as parameters (the inverse of {@link readRcptParameters}), each
 * field checked at run time like {@link encodeMailParameters}: NOTIFY=NEVER with another value,
 * an ORCPT type that is not an atom, an RRVS that is no date-time throw.
 */
export function encodeRcptParameters(p: RcptParameters): Parameter[] {
  assertObject(p, 'RCPT parameters');
  const out: Parameter[] = [];
  if (p.notify !== undefined) {
    if (!Array.isArray(p.notify) || p.notify.length === 0) throw new TypeError('NOTIFY needs a non-empty array');
    for (const n of p.notify as readonly unknown[]) assertOneOf(n, ['NEVER', 'SUCCESS', 'FAILURE', 'DELAY'] as const, 'NOTIFY');
    if (p.notify.includes('NEVER') && p.notify.length > 1) throw new RangeError('NOTIFY=NEVER stands alone (RFC 3461 4.1)');
    out.push({ keyword: 'NOTIFY', value: p.notify.join(',') });
  }
  if (p.orcpt !== undefined) {
    assertObject(p.orcpt, 'ORCPT');
    if (typeof p.orcpt.type !== 'string' || !/^[A-Za-z0-9-]+$/.test(p.orcpt.type)) throw new TypeError('ORCPT addr-type must be an atom such as rfc822 or utf-8 (RFC 3461 4.2)');
    const type = upperAscii(p.orcpt.type);
    const address = type === 'UTF-8' ? encodeUtf8AddrXtext(p.orcpt.address) : encodeXtext(p.orcpt.address);
    if (address === '') throw new TypeError('ORCPT address must not be empty');
    out.push({ keyword: 'ORCPT', value: `${type};${address}` });
  }
  if (p.rrvs !== undefined) {
    assertObject(p.rrvs, 'RRVS');
    if (typeof p.rrvs.time !== 'string' || !isDateTime(p.rrvs.time)) throw new RangeError('RRVS time must be an RFC 3339 date-time (RFC 7293)');
    if (p.rrvs.action !== null) assertOneOf(p.rrvs.action, ['C', 'R'] as const, 'RRVS action');
    out.push({ keyword: 'RRVS', value: p.rrvs.action === null ? p.rrvs.time : `${p.rrvs.time};${p.rrvs.action}` });
  }
  if (p.conneg !== undefined && bool(p.conneg, 'CONNEG')) out.push({ keyword: 'CONNEG', value: null });
  return out;
}
