/**
 * IMAP URLs (RFC 5092), with the URLAUTH parts of RFC 4467: parse a URL into its fields and
 * write the fields back as a URL. Names, searches and sections are percent-decoded (UTF-8).
 *
 * @packageDocumentation
 */

import { ProtocolError } from '../core/errors';

/** The `;PARTIAL=offset[.length]` of a URL (RFC 5092 6). */
export interface ImapUrlPartial {
  readonly offset: number;
  /** null when the range runs to the end. */
  readonly length: number | null;
}

/** The URLAUTH parts of a URL (RFC 4467 3): `[;EXPIRE=date-time];URLAUTH=access[:mechanism:token]`. */
export interface ImapUrlAuth {
  /** RFC 3339 date-time as written, or null. */
  readonly expire: string | null;
  /** `anonymous`, `authuser`, `submit+user` or `user+user`. */
  readonly access: string;
  /** The authorization mechanism (e.g. `INTERNAL`) and the token (32+ hex digits), or null in a URL rump. */
  readonly mechanism: string | null;
  readonly token: string | null;
}

/** An IMAP URL's fields; null where the URL has no such part. */
export interface ImapUrl {
  /** The user (enc-user, decoded), or null. */
  readonly user: string | null;
  /** `;AUTH=` mechanism, `*` for any, or null. */
  readonly auth: string | null;
  readonly host: string;
  readonly port: number | null;
  /** The mailbox (UTF-8, decoded), or null for a server URL. */
  readonly mailbox: string | null;
  readonly uidValidity: number | null;
  /** The search program (decoded), for a message-list URL. */
  readonly search: string | null;
  readonly uid: number | null;
  /** The section (decoded), e.g. `1.2` or `HEADER.FIELDS (SUBJECT)`. */
  readonly section: string | null;
  readonly partial: ImapUrlPartial | null;
  readonly urlauth: ImapUrlAuth | null;
}

const HEX = '0123456789ABCDEF';
/** unreserved / sub-delims-sh minus what each part forbids; everything else is percent-encoded. */
const UNRESERVED = /[A-Za-z0-9\-._~!$'()*+,]/;

function pctDecode(s: string): string | null {
  if (!/^(?:[^%]|%[0-9A-Fa-f]{2})*$/.test(s)) return null;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 0x80) bytes.push(c);
    else return null;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    return null;
  }
}

/** Percent-encodes text for a URL part; `keep` lists the extra characters the part allows bare. */
function pctEncode(s: string, keep: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(s)) {
    const ch = String.fromCharCode(b);
    if (b < 0x80 && (UNRESERVED.test(ch) || keep.includes(ch))) out += ch;
    else out += `%${HEX[b >> 4]}${HEX[b & 15]}`;
  }
  return out;
}

/** bchar = achar / ":" / "@" / "/"; achar = uchar / "&" / "=" / "~" (RFC 5092 11), percent escapes checked when decoding. */
const BCHARS = /^[A-Za-z0-9\-._~!$'()*+,&=:@/%]+$/;
const ACHARS = /^[A-Za-z0-9\-._~!$'()*+,&=%]+$/;

const fail = (why: string) => new ProtocolError('SYNTAX', `not an IMAP URL: ${why}`);

/** `;NAME=value` parameters of one path segment, in order, names upper-cased. */
function params(segment: string): [string, string][] | null {
  if (!segment.startsWith(';')) return null;
  const out: [string, string][] = [];
  for (const p of segment.slice(1).split(';')) {
    const eq = p.indexOf('=');
    if (eq <= 0) return null;
    out.push([p.slice(0, eq).toUpperCase(), p.slice(eq + 1)]);
  }
  return out;
}

function nz(s: string): number | null {
  return /^[1-9]\d{0,9}$/.test(s) && Number(s) <= 0xffffffff ? Number(s) : null;
}

/**
 * Reads an IMAP URL (`imap://[user][;AUTH=mech]@host[:port]/mailbox[;UIDVALIDITY=n][?search]`,
 * `.../;UID=n[/;SECTION=s][/;PARTIAL=o.l]` and the URLAUTH suffix); a ProtocolError (`SYNTAX`)
 * for anything else.
 *
 * @example
 * ```ts
 * import { imap } from 'mailwire';
 * const u = imap.parseImapUrl('imap://minbari.example.org/gray-council;UIDVALIDITY=385759045/;UID=20/;PARTIAL=0.1024');
 * // { host: 'minbari.example.org', mailbox: 'gray-council', uidValidity: 385759045, uid: 20, partial: { offset: 0, length: 1024 }, ... }
 * ```
 */
export function parseImapUrl(url: string): ImapUrl | ProtocolError {
  if (typeof url !== 'string' || !/^imap:\/\//i.test(url)) return fail('it must start with imap://');
  const rest = url.slice(7);
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '' : rest.slice(slash + 1);
  // iserver = [iuserinfo "@"] host [":" port]; iuserinfo = enc-user [iauth] / [enc-user] iauth
  const at = authority.lastIndexOf('@');
  let user: string | null = null;
  let auth: string | null = null;
  if (at >= 0) {
    const info = authority.slice(0, at);
    const a = info.toUpperCase().indexOf(';AUTH=');
    const u = a < 0 ? info : info.slice(0, a);
    if (a >= 0) {
      auth = info.slice(a + 6);
      if (auth !== '*' && !/^[A-Za-z0-9\-._~!$'()+,&=]+$/.test(auth)) return fail('bad ;AUTH= value');
      auth = auth === '*' ? '*' : pctDecode(auth);
    }
    if (u !== '') {
      user = ACHARS.test(u) ? pctDecode(u) : null;
      if (user === null) return fail('bad user');
    } else if (a < 0) return fail('empty user information');
  }
  const hostPort = at >= 0 ? authority.slice(at + 1) : authority;
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]+)(?::(\d{1,5}))?$/.exec(hostPort);
  if (!m) return fail('bad host');
  const host = m[1]!;
  const port = m[2] !== undefined ? Number(m[2]) : null;
  if (port !== null && port > 65535) return fail('bad port');
  const base = { user, auth, host, port, mailbox: null, uidValidity: null, search: null, uid: null, section: null, partial: null, urlauth: null };
  if (path === '') return base;
  // imailbox-ref = enc-mailbox [uidvalidity]; the message parts follow as "/;NAME=value" segments.
  let cut = path.indexOf('/;');
  const q = path.indexOf('?');
  if (q >= 0 && (cut < 0 || q < cut)) cut = q;
  let ref = cut < 0 ? path : path.slice(0, cut);
  let tail = cut < 0 ? '' : path.slice(cut);
  let uidValidity: number | null = null;
  const uv = ref.toUpperCase().lastIndexOf(';UIDVALIDITY=');
  if (uv >= 0) {
    uidValidity = nz(ref.slice(uv + 13));
    if (uidValidity === null) return fail('bad UIDVALIDITY');
    ref = ref.slice(0, uv);
  }
  const mailbox = BCHARS.test(ref) ? pctDecode(ref) : null;
  if (mailbox === null || mailbox === '') return fail('bad mailbox');
  if (tail.startsWith('?')) {
    const search = BCHARS.test(tail.slice(1)) ? pctDecode(tail.slice(1)) : null;
    if (search === null || search === '') return fail('bad search');
    return { ...base, mailbox, uidValidity, search };
  }
  let uid: number | null = null;
  let section: string | null = null;
  let partial: ImapUrlPartial | null = null;
  let expire: string | null = null;
  let urlauth: ImapUrlAuth | null = null;
  const segments = tail.split('/').slice(1);
  for (let i = 0; i < segments.length; i++) {
    const ps = params(segments[i]!);
    if (ps === null) return fail(`bad path segment "${segments[i]!.slice(0, 30)}"`);
    const [[name, value], ...more] = ps as [[string, string], ...[string, string][]];
    if (name === 'UID' && i === 0) uid = nz(value);
    else if (name === 'SECTION' && uid !== null && section === null && partial === null) section = BCHARS.test(value) ? pctDecode(value) : null;
    else if (name === 'PARTIAL' && uid !== null && partial === null) {
      const pm = /^(\d{1,10})(?:\.([1-9]\d{0,9}))?$/.exec(value);
      partial = pm ? { offset: Number(pm[1]), length: pm[2] !== undefined ? Number(pm[2]) : null } : null;
      if (partial === null) return fail('bad PARTIAL');
    } else return fail(`unexpected ;${name}=`);
    if (uid === null || (name === 'SECTION' && section === null)) return fail(`bad ;${name}=`);
    // iurlauth = [";EXPIRE=" date-time] ";URLAUTH=" access [":" mechanism ":" token], on the last segment only.
    if (more.length > 0) {
      if (i !== segments.length - 1) return fail('URLAUTH parts must end the URL');
      let k = 0;
      if (more[k]![0] === 'EXPIRE') {
        expire = more[k++]![1];
        if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i.test(expire)) return fail('bad EXPIRE');
      }
      if (more[k]?.[0] !== 'URLAUTH' || k + 1 !== more.length) return fail('bad URLAUTH');
      const am = /^((?:submit\+|user\+)[^:]+|authuser|anonymous)(?::([A-Za-z0-9\-.]+):([0-9A-Fa-f]{32,}))?$/i.exec(more[k]![1]);
      if (!am) return fail('bad URLAUTH access');
      const access = am[1]!.includes('+') ? `${am[1]!.split('+')[0]!.toLowerCase()}+${pctDecode(am[1]!.slice(am[1]!.indexOf('+') + 1)) ?? ''}` : am[1]!.toLowerCase();
      urlauth = { expire, access, mechanism: am[2] ?? null, token: am[3] ?? null };
    }
  }
  if (segments.length > 0 && uid === null) return fail('a message URL needs ;UID=');
  return { ...base, mailbox, uidValidity, uid, section, partial, urlauth };
}

/**
 * Writes an IMAP URL from its fields (percent-encoding what must be); throws TypeError for
 * fields that cannot form one (a section without a UID, a port out of range ...).
 */
export function formatImapUrl(u: ImapUrl): string {
  if (typeof u.host !== 'string' || !/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,=%]+)$/.test(u.host)) throw new TypeError(`bad host "${String(u.host)}"`);
  let s = 'imap://';
  if (u.user !== null || u.auth !== null) {
    if (u.user !== null) s += pctEncode(u.user, '&=');
    if (u.auth !== null) s += `;AUTH=${u.auth === '*' ? '*' : pctEncode(u.auth, '&=')}`;
    s += '@';
  }
  s += u.host;
  if (u.port !== null) {
    if (!Number.isInteger(u.port) || u.port < 0 || u.port > 65535) throw new TypeError(`bad port ${u.port}`);
    s += `:${u.port}`;
  }
  if (u.mailbox === null) {
    if (u.uid !== null || u.search !== null || u.uidValidity !== null) throw new TypeError('a URL with a UID, a search or a UIDVALIDITY needs a mailbox');
    return s;
  }
  if (u.mailbox === '') throw new TypeError('the mailbox must not be empty');
  s += `/${pctEncode(u.mailbox, '&=:@/')}`;
  const n = (x: number, what: string) => {
    if (!Number.isInteger(x) || x < 1 || x > 0xffffffff) throw new TypeError(`bad ${what} ${x}`);
    return x;
  };
  if (u.uidValidity !== null) s += `;UIDVALIDITY=${n(u.uidValidity, 'UIDVALIDITY')}`;
  if (u.search !== null) {
    if (u.uid !== null || u.section !== null || u.partial !== null || u.urlauth !== null) throw new TypeError('a search URL has no UID, section, partial or URLAUTH');
    if (u.search === '') throw new TypeError('the search must not be empty');
    return `${s}?${pctEncode(u.search, '&=:@/')}`;
  }
  if (u.uid === null) {
    if (u.section !== null || u.partial !== null || u.urlauth !== null) throw new TypeError('a section, partial or URLAUTH needs a UID');
    return s;
  }
  s += `/;UID=${n(u.uid, 'UID')}`;
  if (u.section !== null) {
    if (u.section === '') throw new TypeError('the section must not be empty');
    s += `/;SECTION=${pctEncode(u.section, '&=:@')}`;
  }
  if (u.partial !== null) {
    if (!Number.isInteger(u.partial.offset) || u.partial.offset < 0 || u.partial.offset > 0xffffffff) throw new TypeError('bad partial offset');
    s += `/;PARTIAL=${u.partial.offset}${u.partial.length !== null ? `.${n(u.partial.length, 'partial length')}` : ''}`;
  }
  if (u.urlauth !== null) {
    const a = u.urlauth;
    if (a.expire !== null) {
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i.test(a.expire)) throw new TypeError(`bad EXPIRE "${a.expire}"`);
      s += `;EXPIRE=${a.expire}`;
    }
    const plus = a.access.indexOf('+');
    const access = plus >= 0 ? `${a.access.slice(0, plus)}+${pctEncode(a.access.slice(plus + 1), '&=')}` : a.access;
    if (!/^((?:submit|user)\+.+|authuser|anonymous)$/i.test(access)) throw new TypeError(`bad URLAUTH access "${a.access}"`);
    s += `;URLAUTH=${access}`;
    if ((a.mechanism === null) !== (a.token === null)) throw new TypeError('a URLAUTH mechanism and token go together');
    if (a.mechanism !== null) {
      if (!/^[A-Za-z0-9\-.]+$/.test(a.mechanism) || !/^[0-9A-Fa-f]{32,}$/.test(a.token!)) throw new TypeError('bad URLAUTH mechanism or token');
      s += `:${a.mechanism}:${a.token}`;
    }
  }
  return s;
}
