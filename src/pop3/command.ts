/**
 * POP3 command lines (RFC 1939 3, 5-7; RFC 2449; RFC 2595 STLS; RFC 5034 AUTH; RFC 6856
 * UTF8/LANG): parse one line, encode one command. Keywords are case-insensitive.
 *
 * @packageDocumentation
 */

import { decodeUtf8, encodeUtf8, upperAscii } from '../core/bytes';
import { assertInteger, assertLineText, assertObject, assertOneOf, assertOptionalLineText } from '../core/encode-checks';
import { ProtocolError } from '../core/errors';
import type { Command } from './types';

/**
 * The default longest POP3 command line, CRLF included: the one line limit of both the codec
 * ({@link parseCommand}) and the server's `CommandParser`. RFC 2449 4 raises RFC 1939's 47
 * octets to 255; 1024 leaves room for the long passwords and SASL initial responses real
 * clients send. A longer line is a `LINE_TOO_LONG` error (a server answers `-ERR line too long`).
 */
export const MAX_COMMAND_LINE_LENGTH = 1024;

/** Options of {@link parseCommand}. */
export interface ParseCommandOptions {
  /** Longest command line in octets, CRLF included. Default {@link MAX_COMMAND_LINE_LENGTH} (1024): longer is `LINE_TOO_LONG`. */
  readonly maxLineLength?: number;
  /** Longest argument in octets (RFC 2449 4: 255). Default 255; PASS is exempt (passwords may be long). */
  readonly maxArgumentLength?: number;
}

const fail = (message: string, line: string, offset = 0) => new ProtocolError('SYNTAX', message, { offset, line: line.slice(0, 80) });

function msgNumber(text: string): number | null {
  if (!/^[1-9]\d{0,9}$/.test(text)) return null;
  return Number(text);
}

/**
 * Parses one command line (without CRLF). Never throws for peer input: bad lines give a
 * `SYNTAX` ProtocolError.
 *
 * @example
 * ```ts
 * import { pop3 } from 'mailwire';
 * pop3.parseCommand('TOP 1 10'); // { verb: 'TOP', message: 1, lines: 10 }
 * ```
 */
export function parseCommand(input: string | Uint8Array, options: ParseCommandOptions = {}): Command | ProtocolError {
  const maxLine = options.maxLineLength ?? MAX_COMMAND_LINE_LENGTH;
  const octets = typeof input !== 'string' ? input.length : input.length * 3 + 2 <= maxLine ? input.length : encodeUtf8(input).length;
  if (octets + 2 > maxLine) {
    const head = typeof input === 'string' ? input.slice(0, 80) : decodeUtf8(input, 0, Math.min(input.length, 80));
    return new ProtocolError('LINE_TOO_LONG', `line longer than ${maxLine} octets`, { offset: 0, line: head });
  }
  const line = typeof input === 'string' ? input : decodeUtf8(input);
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 13 || c === 10 || c === 0) return fail('control character (CR, LF or NUL) in command line', line, i);
  }
  const sp = line.indexOf(' ');
  const name = upperAscii(sp < 0 ? line : line.slice(0, sp));
  const arg = sp < 0 ? null : line.slice(sp + 1);
  if (name === '' || name.length > 40) return fail('missing or overlong command keyword', line);
  const max = options.maxArgumentLength ?? 255;
  if (name !== 'PASS' && arg !== null && arg.split(' ').some((a) => a.length > max)) return fail(`argument longer than ${max} octets`, line, sp + 1);
  const args = arg === null ? [] : arg.split(' ');
  switch (name) {
    case 'STAT':
    case 'NOOP':
    case 'RSET':
    case 'QUIT':
    case 'CAPA':
    case 'STLS':
    case 'UTF8':
    case 'LAST':
      if (arg !== null && arg !== '') return fail(`${name} takes no argument`, line, sp);
      return { verb: name };
    case 'USER':
      if (arg === null || arg === '' || args.length !== 1) return fail('USER needs one name', line, 4);
      return { verb: 'USER', argument: arg };
    case 'PASS':
      // RFC 1939 7: the password may contain spaces; everything after "PASS " is the password.
      if (arg === null || arg === '') return fail('PASS needs a password', line, 4);
      return { verb: 'PASS', argument: arg };
    case 'APOP':
      if (args.length !== 2 || args[0] === '' || !/^[0-9a-fA-F]{32}$/.test(args[1]!)) return fail('APOP needs a name and a 32-hex-digit digest', line, 4);
      return { verb: 'APOP', name: args[0]!, digest: args[1]!.toLowerCase() };
    case 'LIST':
    case 'UIDL': {
      if (arg === null) return { verb: name, message: null };
      const n = args.length === 1 ? msgNumber(arg) : null;
      if (n === null) return fail(`${name} takes an optional message number`, line, sp + 1);
      return { verb: name, message: n };
    }
    case 'RETR':
    case 'DELE': {
      const n = arg === null || args.length !== 1 ? null : msgNumber(arg);
      if (n === null) return fail(`${name} needs a message number`, line, 4);
      return { verb: name, message: n };
    }
    case 'TOP': {
      const n = args.length === 2 ? msgNumber(args[0]!) : null;
      const k = args.length === 2 && /^\d{1,10}$/.test(args[1]!) ? Number(args[1]) : null;
      if (n === null || k === null) return fail('TOP needs a message number and a line count', line, 3);
      return { verb: 'TOP', message: n, lines: k };
    }
    case 'AUTH': {
      if (arg === null) return { verb: 'AUTH', mechanism: null, initialResponse: null };
      if (args.length > 2 || !/^[A-Za-z0-9_-]{1,20}$/.test(args[0]!)) return fail('AUTH takes a mechanism and an optional initial response', line, 5);
      return { verb: 'AUTH', mechanism: upperAscii(args[0]!), initialResponse: args[1] ?? null };
    }
    case 'LANG':
      if (args.length > 1 || arg === '') return fail('LANG takes an optional language range', line, 5);
      return { verb: 'LANG', range: arg };
    default:
      if (!/^[A-Z0-9_-]+$/.test(name)) return fail(`"${name.slice(0, 20)}" is not a command keyword`, line);
      return { verb: 'UNKNOWN', name, argument: arg };
  }
}

const KNOWN = new Set(['STAT', 'NOOP', 'RSET', 'QUIT', 'CAPA', 'STLS', 'UTF8', 'LAST', 'USER', 'PASS', 'APOP', 'LIST', 'UIDL', 'RETR', 'DELE', 'TOP', 'AUTH', 'LANG']);

/** Largest message number and line count the parser reads back (10 digits). */
const MAX_NUMBER = 9_999_999_999;

function num(n: unknown, min: number, what: string): number {
  assertInteger(n, min, MAX_NUMBER, what);
  return n;
}

/** Every `verb` value of a {@link Command}. */
const VERBS: readonly Command['verb'][] = ['STAT', 'NOOP', 'RSET', 'QUIT', 'CAPA', 'STLS', 'UTF8', 'LAST', 'USER', 'PASS', 'APOP', 'LIST', 'UIDL', 'RETR', 'DELE', 'TOP', 'AUTH', 'LANG', 'UNKNOWN'];

/**
 * Encodes a command as one line with CRLF. Every field is checked at run time, not only by
 * its type: throws `TypeError` for values that would not parse back (an unknown verb, line
 * breaks, spaces in a name...) and `RangeError` for a message number outside 1..9999999999 or a
 * line count outside 0..9999999999.
 */
export function encodeCommand(cmd: Command): string {
  assertObject(cmd, 'POP3 command');
  assertOneOf(cmd.verb, VERBS, 'POP3 command verb');
  switch (cmd.verb) {
    case 'STAT':
    case 'NOOP':
    case 'RSET':
    case 'QUIT':
    case 'CAPA':
    case 'STLS':
    case 'UTF8':
    case 'LAST':
      return `${cmd.verb}\r\n`;
    case 'USER':
      assertLineText(cmd.argument, 'POP3 USER name');
      if (cmd.argument === '' || cmd.argument.includes(' ')) throw new TypeError('USER name must be non-empty without spaces');
      return `USER ${cmd.argument}\r\n`;
    case 'PASS':
      assertLineText(cmd.argument, 'POP3 password');
      if (cmd.argument === '') throw new TypeError('PASS needs a password');
      return `PASS ${cmd.argument}\r\n`;
    case 'APOP':
      assertLineText(cmd.name, 'APOP name');
      assertLineText(cmd.digest, 'APOP digest');
      if (cmd.name === '' || cmd.name.includes(' ') || !/^[0-9a-f]{32}$/.test(cmd.digest)) throw new TypeError('APOP needs a name without spaces and a lower-case hex digest');
      return `APOP ${cmd.name} ${cmd.digest}\r\n`;
    case 'LIST':
    case 'UIDL':
      return cmd.message === null ? `${cmd.verb}\r\n` : `${cmd.verb} ${num(cmd.message, 1, 'message number')}\r\n`;
    case 'RETR':
    case 'DELE':
      return `${cmd.verb} ${num(cmd.message, 1, 'message number')}\r\n`;
    case 'TOP':
      return `TOP ${num(cmd.message, 1, 'message number')} ${num(cmd.lines, 0, 'line count')}\r\n`;
    case 'AUTH':
      assertOptionalLineText(cmd.mechanism, 'SASL mechanism');
      assertOptionalLineText(cmd.initialResponse, 'AUTH initial response');
      if (cmd.mechanism === null) {
        if (cmd.initialResponse !== null) throw new TypeError('AUTH without a mechanism cannot carry an initial response');
        return 'AUTH\r\n';
      }
      if (!/^[A-Za-z0-9_-]{1,20}$/.test(cmd.mechanism)) throw new TypeError(`bad SASL mechanism "${cmd.mechanism}"`);
      if (cmd.initialResponse !== null && !/^\S+$/.test(cmd.initialResponse)) throw new TypeError('initial response must be base64 or "="');
      return cmd.initialResponse === null ? `AUTH ${cmd.mechanism}\r\n` : `AUTH ${cmd.mechanism} ${cmd.initialResponse}\r\n`;
    case 'LANG':
      assertOptionalLineText(cmd.range, 'LANG range');
      if (cmd.range === null) return 'LANG\r\n';
      if (!/^\S+$/.test(cmd.range)) throw new TypeError('LANG range must be one word');
      return `LANG ${cmd.range}\r\n`;
    case 'UNKNOWN':
      assertLineText(cmd.name, 'UNKNOWN command name');
      assertOptionalLineText(cmd.argument, 'UNKNOWN command argument');
      if (!/^[A-Z0-9_-]+$/.test(cmd.name) || KNOWN.has(cmd.name)) throw new TypeError(`bad or known keyword "${cmd.name}" for an UNKNOWN command`);
      return cmd.argument === null ? `${cmd.name}\r\n` : `${cmd.name} ${cmd.argument}\r\n`;
  }
}
