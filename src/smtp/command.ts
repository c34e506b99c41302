/**
 * SMTP/LMTP command lines (RFC 5321 4.1.1, RFC 2033, RFC 3030, RFC 4468, RFC 4954, RFC 6531):
 * parse one line, encode one command.
 *
 * @packageDocumentation
 */

import { decodeUtf8, upperAscii } from '../core/bytes';
import { ProtocolError } from '../core/errors';
import { assertBoolean, assertInteger, assertLineText, assertObject, assertOneOf, assertOptionalLineText } from '../core/encode-checks';
import { encodePath, isAddressLiteral, isDomain, parsePath } from './address';
import { encodeParameters, parseParameters } from './parameters';
import type { Command } from './types';

/** Options of {@link parseCommand}. */
export interface ParseCommandOptions {
  /**
   * Accept what broken clients send: a space after `FROM:`/`TO:`, paths without angle brackets,
   * a HELO/EHLO domain that is not a valid domain. Default false (strict, for servers).
   */
  readonly lenient?: boolean;
}

function fail(message: string, line: string, offset = 0): ProtocolError {
  return new ProtocolError('SYNTAX', message, { offset, line: line.slice(0, 80) });
}

function parseMailRcpt(verb: 'MAIL' | 'RCPT', arg: string, line: string, lenient: boolean): Command | ProtocolError {
  const prefix = verb === 'MAIL' ? 'FROM:' : 'TO:';
  if (upperAscii(arg.slice(0, prefix.length)) !== prefix) return fail(`${verb} needs "${prefix}"`, line, 5);
  let i = prefix.length;
  if (lenient) while (arg[i] === ' ') i++;
  const r = parsePath(arg, i, { lenient });
  if (!r.ok) return fail(`${verb}: ${r.message}`, line, 5 + i);
  const rest = arg.slice(r.end);
  if (rest !== '' && rest[0] !== ' ') return fail(`${verb}: expected SP before parameters`, line, 5 + r.end);
  const params = parseParameters(rest);
  if (params instanceof ProtocolError) return fail(`${verb}: ${params.message}`, line, 5 + r.end);
  if (verb === 'MAIL') return { verb, from: r.path, params };
  if (r.path === null) return fail('RCPT TO:<> is not a valid recipient', line, 5);
  return { verb, to: r.path, params };
}

/**
 * Parses one command line (without its CRLF). Never throws for peer input: a malformed line
 * gives a `ProtocolError` with code `SYNTAX`. Verbs are case-insensitive; unknown verbs give
 * an `UNKNOWN` command with their argument text.
 *
 * @example
 * ```ts
 * import { smtp } from 'mailwire';
 * const cmd = smtp.parseCommand('MAIL FROM:<a@example.org> SIZE=1000');
 * // { verb: 'MAIL', from: { localPart: 'a', domain: 'example.org', ... }, params: [{ keyword: 'SIZE', value: '1000' }] }
 * ```
 */
export function parseCommand(input: string | Uint8Array, options: ParseCommandOptions = {}): Command | ProtocolError {
  const line = typeof input === 'string' ? input : decodeUtf8(input);
  const lenient = options.lenient ?? false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 13 || c === 10 || c === 0) return fail('control character (CR, LF or NUL) in command line', line, i);
  }
  const sp = line.indexOf(' ');
  const name = upperAscii(sp < 0 ? line : line.slice(0, sp));
  const argRaw = sp < 0 ? null : line.slice(sp + 1);
  const arg = argRaw === null ? null : lenient ? argRaw.trim() : argRaw;
  if (name === '') return fail('empty command line', line);
  const noArg = (v: 'DATA' | 'RSET' | 'QUIT' | 'STARTTLS'): Command | ProtocolError =>
    arg === null || (lenient && arg === '') ? { verb: v } : fail(`${v} takes no argument`, line, sp);
  switch (name) {
    case 'HELO':
    case 'EHLO':
    case 'LHLO': {
      if (arg === null || arg === '') return fail(`${name} needs a domain`, line, 4);
      if (!lenient && !isDomain(arg) && !isAddressLiteral(arg)) return fail(`${name}: "${arg}" is not a domain or address literal`, line, 5);
      return { verb: name, domain: arg };
    }
    case 'MAIL':
    case 'RCPT':
      if (arg === null) return fail(`${name} needs an argument`, line, 4);
      return parseMailRcpt(name, arg, line, lenient);
    case 'DATA':
    case 'RSET':
    case 'QUIT':
    case 'STARTTLS':
      return noArg(name);
    case 'BDAT': {
      const m = arg === null ? null : /^(\d{1,15})(?: (LAST))?$/i.exec(arg);
      if (!m) return fail('BDAT needs a size and optional LAST', line, 4);
      return { verb: 'BDAT', size: Number(m[1]), last: m[2] !== undefined };
    }
    case 'BURL': {
      const m = arg === null ? null : /^(\S+)(?: (LAST))?$/i.exec(arg);
      if (!m) return fail('BURL needs a URL and optional LAST', line, 4);
      return { verb: 'BURL', uri: m[1]!, last: m[2] !== undefined };
    }
    case 'AUTH': {
      const m = arg === null ? null : /^([A-Za-z0-9_-]{1,20})(?: (\S+))?$/.exec(arg);
      if (!m) return fail('AUTH needs a mechanism and optional initial response', line, 4);
      return { verb: 'AUTH', mechanism: upperAscii(m[1]!), initialResponse: m[2] ?? null };
    }
    case 'VRFY':
    case 'EXPN': {
      if (arg === null || arg === '') return fail(`${name} needs a string`, line, 4);
      const m = /^(.*) SMTPUTF8$/i.exec(arg);
      return { verb: name, argument: m ? m[1]! : arg, smtputf8: m !== null };
    }
    case 'HELP':
    case 'NOOP':
    case 'ETRN':
    case 'ATRN':
      if (name === 'ETRN' && (arg === null || arg === '')) return fail('ETRN needs a node name', line, 4);
      return { verb: name, argument: arg === '' ? null : arg };
    default:
      for (let i = 0; i < name.length; i++) {
        const c = name.charCodeAt(i);
        if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f)) return fail(`"${name.slice(0, 20)}" is not a command verb`, line, i);
      }
      return { verb: 'UNKNOWN', name, argument: argRaw };
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
      return `${cmd.verb}\r\n`;
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
      if (!/^[A-Za-z0-9_-]{1,20}$/.test(cmd.mechanism)) throw new TypeError(`bad SASL mechanism name "${cmd.mechanism}"`);
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
const ENCODABLE_VERBS: readonly Command['verb'][] = ['HELO', 'EHLO', 'LHLO', 'MAIL', 'RCPT', 'DATA', 'RSET', 'QUIT', 'STARTTLS', 'BDAT', 'BURL', 'AUTH', 'VRFY', 'EXPN', 'HELP', 'NOOP', 'ETRN', 'ATRN', 'UNKNOWN'];

/** Verbs that parse to a modelled command, so an `UNKNOWN` command must not use them. */
const KNOWN_VERBS = new Set(['HELO', 'EHLO', 'LHLO', 'MAIL', 'RCPT', 'DATA', 'RSET', 'QUIT', 'STARTTLS', 'BDAT', 'BURL', 'AUTH', 'VRFY', 'EXPN', 'HELP', 'NOOP', 'ETRN', 'ATRN']);
