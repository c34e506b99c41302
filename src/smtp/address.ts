/**
 * SMTP paths and mailboxes (RFC 5321 4.1.2, RFC 6531 3.3 for UTF-8): parse and encode.
 *
 * @packageDocumentation
 */

import { ProtocolError } from '../core/errors';
import type { Path } from './types';

/** What {@link parsePath} read: the path (null for `<>`) and where parsing stopped. */
export interface PathResult {
  readonly path: Path | null;
  readonly end: number;
}

/** Options for path parsing. */
export interface PathOptions {
  /** Accept a path without angle brackets (`MAIL FROM:a@b`), as some broken clients send. Default false. */
  readonly lenient?: boolean;
}

// atext (RFC 5322 3.2.3) plus any non-ASCII char (RFC 6531 UTF8-non-ascii).
function isAtext(c: number): boolean {
  if (c >= 0x80) return true;
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) return true;
  return "!#$%&'*+-/=?^_`{|}~".includes(String.fromCharCode(c));
}

function isLetDig(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c >= 0x80;
}

/** True when `text` is a Domain: sub-domains of letters, digits and inner hyphens (U-labels allowed). */
export function isDomain(text: string): boolean {
  if (text.length === 0 || text.length > 255) return false;
  for (const label of text.split('.')) {
    if (label.length === 0 || label.length > 63 * 4) return false;
    if (!isLetDig(label.charCodeAt(0)) || !isLetDig(label.charCodeAt(label.length - 1))) return false;
    for (let i = 1; i < label.length - 1; i++) {
      const c = label.charCodeAt(i);
      if (!isLetDig(c) && c !== 0x2d) return false;
    }
  }
  return true;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function isIPv6(text: string): boolean {
  // RFC 5321 IPv6-addr: full, compressed, and with an embedded IPv4 tail.
  let s = text;
  let groupsMax = 8;
  const lastColon = s.lastIndexOf(':');
  if (lastColon >= 0 && s.slice(lastColon + 1).includes('.')) {
    if (!IPV4.test(s.slice(lastColon + 1))) return false;
    s = `${s.slice(0, lastColon + 1)}0`;
    groupsMax = 7;
  }
  const dbl = s.indexOf('::');
  if (dbl !== s.lastIndexOf('::')) return false;
  const hex = (g: string) => /^[0-9A-Fa-f]{1,4}$/.test(g);
  if (dbl < 0) {
    const g = s.split(':');
    return g.length === groupsMax && g.every(hex);
  }
  const left = s.slice(0, dbl);
  const right = s.slice(dbl + 2);
  const lg = left === '' ? [] : left.split(':');
  const rg = right === '' ? [] : right.split(':');
  return lg.every(hex) && rg.every(hex) && lg.length + rg.length <= groupsMax - 1;
}

/** True for `[IPv4]`, `[IPv6:...]` and general `[tag:content]` address literals (RFC 5321 4.1.3). */
export function isAddressLiteral(text: string): boolean {
  if (text.length < 3 || text[0] !== '[' || text[text.length - 1] !== ']') return false;
  const inner = text.slice(1, -1);
  if (IPV4.test(inner)) return true;
  if (/^IPv6:/i.test(inner)) return isIPv6(inner.slice(5));
  const colon = inner.indexOf(':');
  if (colon <= 0) return false;
  const tag = inner.slice(0, colon);
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(tag)) return false;
  const content = inner.slice(colon + 1);
  if (content.length === 0) return false;
  for (let i = 0; i < content.length; i++) {
    const c = content.charCodeAt(i);
    if (c < 33 || c > 126 || c === 0x5b || c === 0x5c || c === 0x5d) return false;
  }
  return true;
}

function isDotString(text: string): boolean {
  if (text.length === 0) return false;
  for (const atom of text.split('.')) {
    if (atom.length === 0) return false;
    for (let i = 0; i < atom.length; i++) if (!isAtext(atom.charCodeAt(i))) return false;
  }
  return true;
}

/** Quotes a local part when it is not a Dot-string (RFC 5321 4.1.2 Quoted-string). */
export function formatLocalPart(local: string): string {
  if (isDotString(local)) return local;
  let s = '"';
  for (let i = 0; i < local.length; i++) {
    const ch = local[i]!;
    if (ch === '"' || ch === '\\') s += '\\';
    s += ch;
  }
  return `${s}"`;
}

/** Builds a {@link Path} from a local part and a domain (no source route). */
export function makePath(localPart: string, domain: string, route: readonly string[] = []): Path {
  return { localPart, domain, route, address: domain === '' ? formatLocalPart(localPart) : `${formatLocalPart(localPart)}@${domain}` };
}

function bad(message: string, text: string, at: number): ProtocolError {
  return new ProtocolError('SYNTAX', message, { offset: at, line: text.slice(0, 80) });
}

/**
 * Parses a Reverse-path or Forward-path starting at `pos` of `text`:
 * `<>`, `<Postmaster>`, `<@a,@b:user@c>`, `<"quoted local"@[192.0.2.1]>`. A malformed path
 * is a `SYNTAX` ProtocolError whose offset is where in `text` reading stopped.
 */
export function parsePath(text: string, pos: number, options: PathOptions = {}): PathResult | ProtocolError {
  let i = pos;
  let bracketed = true;
  if (text[i] !== '<') {
    if (!options.lenient) return bad('path must be enclosed in angle brackets', text, i);
    bracketed = false;
  } else i++;
  if (bracketed && text[i] === '>') return { path: null, end: i + 1 };
  const route: string[] = [];
  if (text[i] === '@') {
    // A-d-l ":" — obsolete source route, parsed and kept.
    const colon = text.indexOf(':', i);
    if (colon < 0) return bad('source route without ":"', text, i);
    for (const hop of text.slice(i, colon).split(',')) {
      if (hop[0] !== '@' || !(isDomain(hop.slice(1)) || isAddressLiteral(hop.slice(1)))) return bad(`bad source route hop "${hop}"`, text, i);
      route.push(hop.slice(1));
    }
    i = colon + 1;
  }
  let local = '';
  if (text[i] === '"') {
    i++;
    for (;;) {
      if (i >= text.length) return bad('unterminated quoted local part', text, i);
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c === 0x5c) {
        const n = text.charCodeAt(i + 1);
        if (!(n >= 32 && n <= 126)) return bad('bad quoted-pair in local part', text, i);
        local += text[i + 1];
        i += 2;
        continue;
      }
      if (c < 32 || c === 127) return bad('control character in quoted local part', text, i);
      local += text[i];
      i++;
    }
    i++;
  } else {
    const start = i;
    while (i < text.length && (isAtext(text.charCodeAt(i)) || text[i] === '.')) i++;
    local = text.slice(start, i);
    if (!isDotString(local)) return bad(`bad local part "${local}"`, text, i);
  }
  let domain = '';
  if (text[i] === '@') {
    i++;
    const start = i;
    if (text[i] === '[') {
      const close = text.indexOf(']', i);
      if (close < 0) return bad('unterminated address literal', text, i);
      domain = text.slice(start, close + 1);
      if (!isAddressLiteral(domain)) return bad(`bad address literal ${domain}`, text, i);
      i = close + 1;
    } else {
      while (i < text.length && (isLetDig(text.charCodeAt(i)) || text[i] === '-' || text[i] === '.')) i++;
      domain = text.slice(start, i);
      if (!isDomain(domain)) return bad(`bad domain "${domain}"`, text, i);
    }
  } else if (local.toLowerCase() !== 'postmaster' || route.length > 0) {
    return bad('mailbox without "@domain" (only <Postmaster> may omit it)', text, i);
  }
  if (bracketed) {
    if (text[i] !== '>') return bad('expected ">" at the end of the path', text, i);
    i++;
  }
  return { path: makePath(local, domain, route), end: i };
}

/** Encodes a path with angle brackets; `null` gives `<>`. Throws for values that would not re-parse. */
export function encodePath(path: Path | null): string {
  if (path === null) return '<>';
  const route = path.route.length > 0 ? `${path.route.map((h) => `@${h}`).join(',')}:` : '';
  for (const h of path.route) if (!isDomain(h) && !isAddressLiteral(h)) throw new TypeError(`bad source route host "${h}"`);
  if (path.domain !== '' && !isDomain(path.domain) && !isAddressLiteral(path.domain)) throw new TypeError(`bad domain "${path.domain}"`);
  if (path.domain === '' && path.localPart.toLowerCase() !== 'postmaster') throw new TypeError('only Postmaster may have an empty domain');
  for (let i = 0; i < path.localPart.length; i++) {
    const c = path.localPart.charCodeAt(i);
    if (c < 32 || c === 127) throw new TypeError('local part must not contain control characters (CR, LF, NUL...)');
  }
  const local = formatLocalPart(path.localPart);
  return `<${route}${path.domain === '' ? local : `${local}@${path.domain}`}>`;
}
