/**
 * SMTP/LMTP command lines (RFC 5321 4.1.1, RFC 2033, RFC 3030, RFC 4468, RFC 4954, RFC 6531):
 * parse one line, encode one command.
 *
 * @packageDocumentation
 */

import { decodeLatin1, decodeUtf8, decodeUtf8Strict, encodeUtf8, indexOfByte, isAsciiString, upperAscii } from '../core/bytes';
import { ProtocolError } from '../core/errors';
import { assertBoolean, assertInteger, assertLineText, assertObject, assertOneOf, assertOptionalLineText } from '../core/encode-checks';
import { encodePath, isAddressLiteral, isDomain, parsePath } from './address';
import { encodeParameters, parseParameters } from './parameters';
import type { Command } from './types';

/** Options of {@link parseCommand}. */
export interface ParseCommandOptions {
  /**
   * Accept what broken clients send beyond the default leniencies: paths without angle
   * brackets, a HELO/EHLO domain that is not a valid domain, spaces around the argument.
   * Default false.
   */
  readonly lenient?: boolean;
  /**
   * Turn off the default leniencies, which cost no security and which Postfix and Exim grant
   * too. There is one: `space-after-colon`, a space between `FROM:`/`TO:` (and `SEND`/`SOML`/
   * `SAML FROM:`) and the path, as Outlook 2007 sends (`MAIL FROM: <a@b.example>`). Default
   * false; `strict: true` makes such a line a `SYNTAX` error (RFC 5321 4.1.2 has no space there).
   */
  readonly strict?: boolean;
}

/** The leniencies {@link parseCommand} grants unless `strict` is set. */
export const DEFAULT_LENIENCIES = ['space-after-colon'] as const;

/** Longest SASL mechanism name accepted: RFC 4422 3.1 says 20, but the IANA registry has longer (`ECDSA-NIST256P-CHALLENGE`, 24). */
export const MAX_MECHANISM_LENGTH = 64;

/** Index of the first octet >= 0x80 in `bytes` from `start`, or -1. */
function firstHighByte(bytes: Uint8Array, start: number): number {
  for (let i = start; i < bytes.length; i++) if (bytes[i]! >= 0x80) return i;
  return -1;
}

function fail(message: string, line: string, offset = 0): ProtocolError {
  return new ProtocolError('SYNTAX', message, { offset, line: line.slice(0, 80) });
}

type PathVerb = 'MAIL' | 'RCPT' | 'SEND' | 'SOML' | 'SAML';

function parsePathCommand(verb: PathVerb, arg: string, line: string, lenient: boolean, spaceAfterColon: boolean): Command | ProtocolError {
  const prefix = verb === 'RCPT' ? 'TO:' : 'FROM:';
  const at = verb.length + 1;
  for (let k = 0; k < prefix.length; k++) {
    const c = arg.charCodeAt(k);
    // Letters compare case-insensitively (c | 0x20 folds A-Z onto a-z; ':' is compared exactly).
    if (k === prefix.length - 1 ? c !== 0x3a : (c | 0x20) !== (prefix.charCodeAt(k) | 0x20)) return fail(`${verb} needs "${prefix}"`, line, at);
  }
  let i = prefix.length;
  if (lenient || spaceAfterColon) while (arg.charCodeAt(i) === 0x20) i++;
  const r = parsePath(arg, i, { lenient });
  if (r instanceof ProtocolError) return fail(`${verb}: ${r.message}`, line, at + i);
  const rest = r.end === arg.length ? '' : arg.slice(r.end);
  if (rest !== '' && rest.charCodeAt(0) !== 0x20) return fail(`${verb}: expected SP before parameters`, line, at + r.end);
  const params = rest === '' ? [] : parseParameters(rest);
  if (params instanceof ProtocolError) return fail(`${verb}: ${params.message}`, line, at + r.end);
  if (verb === 'MAIL') return { verb, from: r.path, params };
  if (verb === 'RCPT') {
    if (r.path === null) return fail('RCPT TO:<> is not a valid recipient', line, at);
    return { verb, to: r.path, params };
  }
  return { verb, from: r.path, params };
}

/**
 * The verbs parseCommand models, keyed by their four (or eight) upper-case letters packed into
 * a number: the verb is found from the line's bytes without making a string of it.
 */
const VERBS = /* @__PURE__ */ (() => {
  const m = new Map<number, string>();
  for (const v of ['HELO', 'EHLO', 'LHLO', 'MAIL', 'RCPT', 'DATA', 'RSET', 'QUIT', 'BDAT', 'BURL', 'AUTH', 'VRFY', 'EXPN', 'HELP', 'NOOP', 'ETRN', 'ATRN', 'SEND', 'SOML', 'SAML', 'TURN']) {
    m.set(pack4(Uint8Array.from(v, (c) => c.charCodeAt(0)), 0), v);
  }
  return m;
})();
const STARTTLS = /* @__PURE__ */ Uint8Array.from('STARTTLS', (c) => c.charCodeAt(0));

/** Four ASCII letters at `i` upper-cased and packed into one number, or -1 if one is not a letter. */
function pack4(b: Uint8Array, i: number): number {
  let key = 0;
  for (let k = i; k < i + 4; k++) {
    const c = b[k]! & 0xdf;
    if (c < 0x41 || c > 0x5a) return -1;
    key = key * 64 + (c - 0x40);
  }
  return key;
}

function isStartTls(b: Uint8Array, n: number): boolean {
  if (n !== 8) return false;
  for (let k = 0; k < 8; k++) if ((b[k]! & 0xdf) !== STARTTLS[k]) return false;
  return true;
}

/** `digits` of 1-15 ASCII digits, the whole of `text[start, end)`: the number, or -1. */
function decimal(text: string, start: number, end: number): number {
  if (end <= start || end - start > 15) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** True when `text` ends with SP and `word` (ASCII letters, any case). */
function endsWithWord(text: string, word: string): boolean {
  const at = text.length - word.length;
  if (at < 1 || text.charCodeAt(at - 1) !== 0x20) return false;
  for (let k = 0; k < word.length; k++) if ((text.charCodeAt(at + k) | 0x20) !== (word.charCodeAt(k) | 0x20)) return false;
  return true;
}

function hasSpace(text: string, start = 0): boolean {
  return text.indexOf(' ', start) >= 0;
}

/**
 * The value of an RFC 5321 String: a Quoted-string (`"..."` with `\x` quoted-pairs, 4.1.2)
 * without its quotes and escapes; anything else is returned as it is.
 */
export function unquoteString(text: string): string {
  const n = text.length;
  if (n < 2 || text.charCodeAt(0) !== 0x22 || text.charCodeAt(n - 1) !== 0x22) return text;
  let out = '';
  for (let i = 1; i < n - 1; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return text; // an unescaped quote inside: not one Quoted-string
    if (c === 0x5c) {
      if (i + 1 >= n - 1) return text; // the closing quote is escaped
      out += text[i + 1];
      i++;
    } else out += text[i];
  }
  return out;
}

/**
 * Parses one command line (without its CRLF). Never throws for peer input: a malformed line
 * gives a `ProtocolError` with code `SYNTAX`. Verbs are case-insensitive; unknown verbs give
 * an `UNKNOWN` command with their argument text.
 *
 * The line is read in bytes: control characters and the verb without a string, then one
 * UTF-8 decode of the argument. No regular expression runs per line.
 *
 * @example
 * ```ts
 * import { smtp } from 'mailwire';
 * const cmd = smtp.parseCommand('MAIL FROM:<a@example.org> SIZE=1000');
 * // { verb: 'MAIL', from: { localPart: 'a', domain: 'example.org', ... }, params: [{ keyword: 'SIZE', value: '1000' }] }
 * ```
 */
export function parseCommand(input: string | Uint8Array, options: ParseCommandOptions = {}): Command | ProtocolError {
  const bytes = typeof input === 'string' ? encodeUtf8(input) : input;
  const n = bytes.length;
  const lenient = options.lenient ?? false;
  const spaceAfterColon = !(options.strict ?? false);
  let bad = indexOfByte(bytes, 0x0d, 0);
  for (const c of [0x0a, 0x00]) {
    const j = indexOfByte(bytes, c, 0);
    if (j >= 0 && (bad < 0 || j < bad)) bad = j;
  }
  const whole = (): string => (typeof input === 'string' ? input : decodeUtf8(bytes, 0, Math.min(n, 80)));
  if (bad >= 0) return fail('control character (CR, LF or NUL) in command line', whole(), bad);
  const sp = indexOfByte(bytes, 0x20, 0);
  const nameEnd = sp < 0 ? n : sp;
  if (nameEnd === 0) return fail('empty command line', whole());
  const name = nameEnd === 4 ? VERBS.get(pack4(bytes, 0)) : nameEnd === 8 && isStartTls(bytes, nameEnd) ? 'STARTTLS' : undefined;
  // The one decode of the line: the argument (or, for a verb mailwire does not model, the line).
  const argRaw = sp < 0 ? null : decodeUtf8(bytes, sp + 1, n);
  const line = (): string => (typeof input === 'string' ? input : `${decodeLatin1(bytes, 0, Math.min(nameEnd, 80))}${argRaw === null ? '' : ` ${argRaw}`}`);
  const arg = argRaw === null ? null : lenient ? argRaw.trim() : argRaw;
  switch (name) {
    case 'HELO':
    case 'EHLO':
    case 'LHLO': {
      if (arg === null || arg === '') return fail(`${name} needs a domain`, line(), 4);
      // RFC 6531 3.7.1: EHLO comes before SMTPUTF8 is known, so its domain is ASCII (LDH labels
      // or A-labels), never U-labels; RFC 5321 4.1.2 Domain is ASCII. Lenient: valid UTF-8 only.
      const high = firstHighByte(bytes, sp + 1);
      if (high >= 0 && (!lenient || decodeUtf8Strict(bytes, sp + 1, n) === null)) {
        return fail(`${name}: octet 0x${bytes[high]!.toString(16).toUpperCase()} in the domain: it must be ASCII (A-labels for internationalized names, RFC 6531 3.7.1)`, line(), high);
      }
      if (!lenient && !isDomain(arg) && !isAddressLiteral(arg)) return fail(`${name}: "${arg}" is not a domain or address literal`, line(), 5);
      return { verb: name, domain: arg };
    }
    case 'MAIL':
    case 'RCPT':
    case 'SEND':
    case 'SOML':
    case 'SAML':
      if (arg === null) return fail(`${name} needs an argument`, line(), 4);
      return parsePathCommand(name, arg, line(), lenient, spaceAfterColon);
    case 'DATA':
    case 'RSET':
    case 'QUIT':
    case 'STARTTLS':
    case 'TURN':
      return arg === null || (lenient && arg === '') ? { verb: name } : fail(`${name} takes no argument`, line(), sp);
    case 'BDAT': {
      // BDAT chunk-size [SP "LAST"] (RFC 3030 2)
      const last = arg !== null && endsWithWord(arg, 'LAST');
      const size = arg === null ? -1 : decimal(arg, 0, last ? arg.length - 5 : arg.length);
      if (size < 0) return fail('BDAT needs a size and optional LAST', line(), 4);
      return { verb: 'BDAT', size, last };
    }
    case 'BURL': {
      // BURL absolute-URI [SP "LAST"] (RFC 4468 3)
      const last = arg !== null && endsWithWord(arg, 'LAST');
      const uri = arg === null ? '' : last ? arg.slice(0, -5) : arg;
      if (uri === '' || hasSpace(uri) || uri.indexOf('\t') >= 0) return fail('BURL needs a URL and optional LAST', line(), 4);
      return { verb: 'BURL', uri, last };
    }
    case 'AUTH': {
      // AUTH mechanism [SP initial-response] (RFC 4954 4); mechanism names longer than RFC
      // 4422's 20 characters are registered (ECDSA-NIST256P-CHALLENGE), so up to 64 are read.
      const split = arg === null ? -1 : arg.indexOf(' ');
      const mech = arg === null ? '' : split < 0 ? arg : arg.slice(0, split);
      const ir = split < 0 ? null : arg!.slice(split + 1);
      let ok = mech.length >= 1 && mech.length <= MAX_MECHANISM_LENGTH && (ir === null || (ir !== '' && !hasSpace(ir) && ir.indexOf('\t') < 0));
      for (let k = 0; ok && k < mech.length; k++) {
        const c = mech.charCodeAt(k);
        ok = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f;
      }
      if (!ok) return fail('AUTH needs a mechanism and optional initial response', line(), 4);
      return { verb: 'AUTH', mechanism: upperAscii(mech), initialResponse: ir };
    }
    case 'VRFY':
    case 'EXPN': {
      if (arg === null || arg === '') return fail(`${name} needs a string`, line(), 4);
      const smtputf8 = endsWithWord(arg, 'SMTPUTF8') && arg.length > 9;
      const argument = smtputf8 ? arg.slice(0, -9) : arg;
      return { verb: name, argument, value: unquoteString(argument), smtputf8 };
    }
    case 'HELP':
    case 'NOOP':
    case 'ETRN':
    case 'ATRN':
      if (name === 'ETRN' && (arg === null || arg === '')) return fail('ETRN needs a node name', line(), 4);
      return { verb: name, argument: arg === '' ? null : arg };
    default: {
      const verb = upperAscii(decodeUtf8(bytes, 0, nameEnd));
      for (let i = 0; i < verb.length; i++) {
        const c = verb.charCodeAt(i);
        if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f)) return fail(`"${verb.slice(0, 20)}" is not a command verb`, line(), i);
      }
      return { verb: 'UNKNOWN', name: verb, argument: argRaw };
    }
  }
}

function checkArg(text: unknown, what: string): string {
  assertLineText(text, what);
  return text;
}

/** Checks the shape of a path at run time; `encodePath` checks its grammar. */
function checkPath(path: unknown, what: string): void {
  assertObject(path, what);
  const p = path as Record<string, unknown>;
  assertLineText(p.localPart, `${what} local part`);
  assertLineText(p.domain, `${what} domain`);
  if (!Array.isArray(p.route)) throw new TypeError(`${what} route must be an array`);
  for (const h of p.route) assertLineText(h, `${what} route host`);
}

/** Largest BDAT size the parser reads back (15 digits). */
const MAX_BDAT_SIZE = 999_999_999_999_999;

/**
 * Encodes a command as one line ending in CRLF. Every field is checked at run time, not only
 * by its type: it throws `TypeError` for any value that would not read back as the same
 * command (an unknown verb, CR, LF or NUL anywhere, a space in a domain, a non-boolean flag...)
 * and `RangeError` for a number out of range.
 *
 * @example
 * ```ts
 * import { smtp } from 'mailwire';
 * smtp.encodeCommand({ verb: 'RCPT', to: smtp.makePath('bob', 'example.org'), params: [] });
 * // 'RCPT TO:<bob@example.org>\r\n'
 * ```
 */
export function encodeCommand(cmd: Command): string {
  assertObject(cmd, 'SMTP command');
  assertOneOf(cmd.verb, ENCODABLE_VERBS, 'SMTP command verb');
  switch (cmd.verb) {
    case 'HELO':
    case 'EHLO':
    case 'LHLO':
      assertLineText(cmd.domain, `${cmd.verb} domain`);
      if (!isDomain(cmd.domain) && !isAddressLiteral(cmd.domain)) throw new TypeError(`${cmd.verb} domain "${cmd.domain}" is not a domain or address literal`);
      if (!isAsciiString(cmd.domain)) throw new TypeError(`${cmd.verb} domain "${cmd.domain}" is not ASCII: give the A-label form (xn--...), RFC 6531 3.7.1`);
      return `${cmd.verb} ${cmd.domain}\r\n`;
    case 'MAIL':
      if (cmd.from !== null) checkPath(cmd.from, 'MAIL reverse-path');
      return `MAIL FROM:${encodePath(cmd.from)}${encodeParameters(cmd.params)}\r\n`;
    case 'RCPT':
      checkPath(cmd.to, 'RCPT forward-path');
      return `RCPT TO:${encodePath(cmd.to)}${encodeParameters(cmd.params)}\r\n`;
    case 'DATA':
    case 'RSET':
    case 'QUIT':
    case 'STARTTLS':
    case 'TURN':
      return `${cmd.verb}\r\n`;
    case 'SEND':
    case 'SOML':
    case 'SAML':
      if (cmd.from !== null) checkPath(cmd.from, `${cmd.verb} reverse-path`);
      return `${cmd.verb} FROM:${encodePath(cmd.from)}${encodeParameters(cmd.params)}\r\n`;
    case 'BDAT':
      assertInteger(cmd.size, 0, MAX_BDAT_SIZE, 'BDAT size');
      assertBoolean(cmd.last, 'BDAT last');
      return `BDAT ${cmd.size}${cmd.last ? ' LAST' : ''}\r\n`;
    case 'BURL':
      assertLineText(cmd.uri, 'BURL URI');
      assertBoolean(cmd.last, 'BURL last');
      if (!/^\S+$/.test(cmd.uri)) throw new TypeError('BURL URI must be non-empty without spaces or line breaks');
      return `BURL ${cmd.uri}${cmd.last ? ' LAST' : ''}\r\n`;
    case 'AUTH':
      assertLineText(cmd.mechanism, 'SASL mechanism');
      assertOptionalLineText(cmd.initialResponse, 'AUTH initial response');
      if (cmd.mechanism.length > MAX_MECHANISM_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cmd.mechanism)) throw new TypeError(`bad SASL mechanism name "${cmd.mechanism}"`);
      if (cmd.initialResponse !== null && !/^\S+$/.test(cmd.initialResponse)) throw new TypeError('AUTH initial response must be base64 or "="');
      return `AUTH ${cmd.mechanism}${cmd.initialResponse === null ? '' : ` ${cmd.initialResponse}`}\r\n`;
    case 'VRFY':
    case 'EXPN':
      checkArg(cmd.argument, cmd.verb);
      assertBoolean(cmd.smtputf8, `${cmd.verb} smtputf8`);
      if (cmd.argument === '') throw new TypeError(`${cmd.verb} needs a string`);
      // RFC 6531 3.7.4: a trailing " SMTPUTF8" is the flag; as text it would read back as the flag.
      if (!cmd.smtputf8 && / SMTPUTF8$/i.test(cmd.argument)) throw new TypeError(`${cmd.verb} argument ending in " SMTPUTF8" would read back as the SMTPUTF8 flag`);
      return `${cmd.verb} ${cmd.argument}${cmd.smtputf8 ? ' SMTPUTF8' : ''}\r\n`;
    case 'HELP':
    case 'NOOP':
    case 'ETRN':
    case 'ATRN':
      assertOptionalLineText(cmd.argument, cmd.verb);
      if (cmd.argument === null) {
        if (cmd.verb === 'ETRN') throw new TypeError('ETRN needs a node name');
        return `${cmd.verb}\r\n`;
      }
      if (cmd.argument === '') throw new TypeError(`${cmd.verb} argument must be null or non-empty`);
      return `${cmd.verb} ${cmd.argument}\r\n`;
    case 'UNKNOWN':
      assertLineText(cmd.name, 'UNKNOWN command name');
      assertOptionalLineText(cmd.argument, 'UNKNOWN command argument');
      if (!/^[A-Z0-9_-]+$/.test(cmd.name) || KNOWN_VERBS.has(cmd.name)) throw new TypeError(`bad or known command verb "${cmd.name}" for an UNKNOWN command`);
      return cmd.argument === null ? `${cmd.name}\r\n` : `${cmd.name} ${cmd.argument}\r\n`;
  }
}

/** Every `verb` value of a {@link Command}. */
const ENCODABLE_VERBS: readonly Command['verb'][] = ['HELO', 'EHLO', 'LHLO', 'MAIL', 'RCPT', 'DATA', 'RSET', 'QUIT', 'STARTTLS', 'BDAT', 'BURL', 'AUTH', 'VRFY', 'EXPN', 'HELP', 'NOOP', 'ETRN', 'ATRN', 'SEND', 'SOML', 'SAML', 'TURN', 'UNKNOWN'];

/** Verbs that parse to a modelled command, so an `UNKNOWN` command must not use them. */
const KNOWN_VERBS = new Set(['HELO', 'EHLO', 'LHLO', 'MAIL', 'RCPT', 'DATA', 'RSET', 'QUIT', 'STARTTLS', 'BDAT', 'BURL', 'AUTH', 'VRFY', 'EXPN', 'HELP', 'NOOP', 'ETRN', 'ATRN', 'SEND', 'SOML', 'SAML', 'TURN']);
