/**
 * fast-check arbitraries for POP3 commands, responses and multiline bodies.
 *
 * @packageDocumentation
 */

import fc from 'fast-check';
import type { Command, StatusResponse } from '../pop3/types';

const printable = (min: number, max: number) => fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: min, maxLength: max });
const msg = fc.integer({ min: 1, max: 99999 });

/** Any POP3 command value mailwire models. */
export function command(): fc.Arbitrary<Command> {
  return fc.oneof(
    fc.record({ verb: fc.constantFrom('STAT' as const, 'NOOP' as const, 'RSET' as const, 'QUIT' as const, 'CAPA' as const, 'STLS' as const, 'UTF8' as const, 'LAST' as const) }),
    fc.record({ verb: fc.constant('USER' as const), argument: printable(1, 40) }),
    fc.record({ verb: fc.constant('PASS' as const), argument: fc.tuple(printable(1, 20), fc.option(printable(1, 20), { nil: null })).map(([a, b]) => (b ? `${a} ${b}` : a)) }),
    fc.record({ verb: fc.constant('APOP' as const), name: printable(1, 30), digest: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'.split('')), minLength: 32, maxLength: 32 }) }),
    fc.record({ verb: fc.constantFrom('LIST' as const, 'UIDL' as const), message: fc.option(msg, { nil: null }) }),
    fc.record({ verb: fc.constantFrom('RETR' as const, 'DELE' as const), message: msg }),
    fc.record({ verb: fc.constant('TOP' as const), message: msg, lines: fc.nat(10000) }),
    fc.oneof(
      fc.constant({ verb: 'AUTH' as const, mechanism: null, initialResponse: null }),
      fc.record({ verb: fc.constant('AUTH' as const), mechanism: fc.constantFrom('PLAIN', 'LOGIN', 'XOAUTH2', 'SCRAM-SHA-256'), initialResponse: fc.option(printable(1, 40), { nil: null }) }),
    ),
    fc.record({ verb: fc.constant('LANG' as const), range: fc.option(fc.constantFrom('en', 'ru', '*', 'de-CH'), { nil: null }) }),
    fc.record({ verb: fc.constant('UNKNOWN' as const), name: fc.constantFrom('XTND', 'XSENDER', 'X-FOO'), argument: fc.option(printable(1, 20), { nil: null }) }),
  );
}

/** A `+OK` / `-ERR` response; the text never starts with a space or `[`. */
export function statusResponse(): fc.Arbitrary<StatusResponse> {
  const text = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 }).filter((t) => !t.startsWith(' ') && !t.startsWith('['));
  return fc.record({ status: fc.constantFrom('+OK' as const, '-ERR' as const), code: fc.option(fc.constantFrom('IN-USE', 'LOGIN-DELAY', 'SYS/TEMP', 'SYS/PERM', 'AUTH', 'UTF8', 'X-CUSTOM/SUB'), { nil: null }), text });
}

/** A message body: lines that start with dots, lone dots, empty lines, arbitrary bytes. */
export function body(): fc.Arbitrary<Uint8Array> {
  const line = fc.oneof(fc.constant('.'), fc.constant('..'), fc.constant(''), fc.constant('.x'), printable(0, 30));
  return fc.array(line, { maxLength: 10 }).map((ls) => new TextEncoder().encode(ls.map((l) => `${l}\r\n`).join('')));
}
