/**
 * fast-check arbitraries for SMTP values and wire streams: commands, paths, parameters,
 * replies, and whole client streams. Every value they produce encodes without throwing and
 * parses back to itself.
 *
 * @packageDocumentation
 */

import fc from 'fast-check';
import { makePath } from '../smtp/address';
import { unquoteString } from '../smtp/command';
import { encodeMailParameters, encodeRcptParameters, type MailParameters, type RcptParameters } from '../smtp/parameters';
import type { Command, EnhancedStatus, Parameter, Path, Reply } from '../smtp/types';

const alnum = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const word = (chars: string, min = 1, max = 10) => fc.string({ unit: fc.constantFrom(...chars.split('')), minLength: min, maxLength: max });

/** A domain name: 1-3 labels of letters, digits and inner hyphens. */
export function domain(): fc.Arbitrary<string> {
  const label = fc.tuple(word(alnum, 1, 1), word(`${alnum}-`, 0, 8), word(alnum, 1, 1)).map(([a, b, c]) => `${a}${b}${c}`);
  return fc.array(label, { minLength: 1, maxLength: 3 }).map((ls) => ls.join('.'));
}

/** A local part: a dot-string, or any printable text (then it is quoted on the wire). */
export function localPart(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.array(word(`${alnum}!#$%&'*+-/=?^_\`{|}~`, 1, 8), { minLength: 1, maxLength: 3 }).map((a) => a.join('.')),
    fc.string({ unit: fc.integer({ min: 32, max: 126 }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 12 }),
  );
}

/** A mailbox path with an optional source route or address literal. */
export function path(): fc.Arbitrary<Path> {
  const literal = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => `[${o.join('.')}]`);
  return fc
    .tuple(localPart(), fc.oneof({ weight: 4, arbitrary: domain() }, { weight: 1, arbitrary: literal }), fc.array(domain(), { maxLength: 2 }))
    .map(([l, d, route]) => makePath(l, d, route));
}

/** An ESMTP parameter. */
export function parameter(): fc.Arbitrary<Parameter> {
  return fc.record({
    keyword: fc.tuple(word('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 1, 1), word('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-', 0, 10)).map(([a, b]) => a + b),
    value: fc.option(fc.string({ unit: fc.integer({ min: 33, max: 126 }).filter((c) => c !== 0x3d).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 12 }), { nil: null }),
  });
}

const dateTime = fc
  .tuple(fc.integer({ min: 1970, max: 2099 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.nat(23), fc.nat(59), fc.nat(59), fc.constantFrom('Z', '+02:00', '-08:00'))
  .map(([y, mo, d, h, mi, se, z]) => `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:${String(se).padStart(2, '0')}${z}`);
const printable = (min: number, max: number) => fc.string({ unit: fc.integer({ min: 33, max: 126 }).map((c) => String.fromCharCode(c)), minLength: min, maxLength: max });
/** A mailbox local@domain with printable local-part characters (xtext escapes "+", "=" and the like). */
const mailbox = fc.tuple(printable(1, 10).filter((l) => !/[<>@]/.test(l)), domain()).map(([l, d]) => `${l}@${d}`);

/**
 * Typed MAIL parameters: every field `smtp.readMailParameters` reads (SIZE ... REQUIRETLS, MTRK,
 * SOLICIT, TRANSID, SUBMITTER, CONPERM), any subset of them. `encodeMailParameters` writes each.
 */
export function mailParameters(): fc.Arbitrary<MailParameters> {
  return fc.record(
    {
      size: fc.nat(1e9),
      body: fc.constantFrom('7BIT' as const, '8BITMIME' as const, 'BINARYMIME' as const),
      smtputf8: fc.constant(true),
      ret: fc.constantFrom('FULL' as const, 'HDRS' as const),
      envid: printable(1, 12),
      auth: fc.oneof(fc.constant('<>'), mailbox),
      mtPriority: fc.integer({ min: -9, max: 9 }),
      holdFor: fc.nat(999_999_999),
      holdUntil: dateTime,
      by: fc.record({ time: fc.integer({ min: -999_999_999, max: 999_999_999 }), mode: fc.constantFrom('N' as const, 'R' as const), trace: fc.boolean() }),
      requireTls: fc.constant(true),
      mtrk: fc.record({ certifier: word(`${alnum}+/`, 1, 28), timeout: fc.option(fc.nat(999_999_999), { nil: null }) }),
      solicit: fc.array(fc.tuple(word(alnum, 1, 1), word(`${alnum}-.:_`, 0, 20)).map(([a, b]) => a + b), { minLength: 1, maxLength: 3 }),
      transId: fc.tuple(word(`${alnum}.-_$`, 1, 12), domain()).map(([l, d]) => `${l}@${d}`),
      submitter: mailbox,
      conperm: fc.constant(true),
    },
    { requiredKeys: [] },
  );
}

/** Typed RCPT parameters: NOTIFY, ORCPT (rfc822 and utf-8), RRVS, CONNEG, any subset. */
export function rcptParameters(): fc.Arbitrary<RcptParameters> {
  return fc.record(
    {
      notify: fc.oneof(fc.constant(['NEVER' as const]), fc.uniqueArray(fc.constantFrom('SUCCESS' as const, 'FAILURE' as const, 'DELAY' as const), { minLength: 1, maxLength: 3 })),
      orcpt: fc.oneof(mailbox.map((address) => ({ type: 'RFC822', address })), fc.constantFrom('jörg@bücher.example', 'a@b.example').map((address) => ({ type: 'UTF-8', address }))),
      rrvs: fc.record({ time: dateTime, action: fc.constantFrom('C' as const, 'R' as const, null) }),
      conneg: fc.constant(true),
    },
    { requiredKeys: [] },
  );
}

const text = (max = 30) => fc.string({ unit: fc.integer({ min: 32, max: 126 }).map((c) => String.fromCharCode(c)), maxLength: max });
const freeArg = text(20).filter((s) => s.length > 0);

/** Any SMTP command value mailwire models. */
export function command(): fc.Arbitrary<Command> {
  return fc.oneof(
    fc.record({ verb: fc.constantFrom('HELO' as const, 'EHLO' as const, 'LHLO' as const), domain: domain() }),
    fc.record({ verb: fc.constant('MAIL' as const), from: fc.option(path(), { nil: null }), params: fc.oneof(fc.array(parameter(), { maxLength: 3 }), mailParameters().map(encodeMailParameters)) }),
    fc.record({ verb: fc.constant('RCPT' as const), to: path(), params: fc.oneof(fc.array(parameter(), { maxLength: 3 }), rcptParameters().map(encodeRcptParameters)) }),
    fc.record({ verb: fc.constantFrom('DATA' as const, 'RSET' as const, 'QUIT' as const, 'STARTTLS' as const) }),
    fc.record({ verb: fc.constant('BDAT' as const), size: fc.nat(1_000_000), last: fc.boolean() }),
    fc.record({ verb: fc.constant('BURL' as const), uri: word(`${alnum}:/;=+.`, 1, 30), last: fc.boolean() }),
    fc.record({ verb: fc.constant('AUTH' as const), mechanism: word('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_', 1, 12), initialResponse: fc.option(word(`${alnum}+/=`, 1, 20), { nil: null }) }),
    fc
      .record({ verb: fc.constantFrom('VRFY' as const, 'EXPN' as const), argument: freeArg.filter((s) => s.trim() === s && !/ SMTPUTF8$/i.test(s)), smtputf8: fc.boolean() })
      .map((c) => ({ ...c, value: unquoteString(c.argument) })),
    fc.record({ verb: fc.constantFrom('HELP' as const, 'NOOP' as const, 'ATRN' as const), argument: fc.option(freeArg, { nil: null }) }),
    fc.record({ verb: fc.constant('ETRN' as const), argument: freeArg }),
    fc.record({ verb: fc.constant('UNKNOWN' as const), name: word('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 1, 6).map((n) => `X${n}`), argument: fc.option(text(20), { nil: null }) }),
  );
}

/** An RFC 3463 enhanced status code. */
export function enhancedStatus(cls?: number): fc.Arbitrary<EnhancedStatus> {
  return fc.record({ class: cls === undefined ? fc.constantFrom(2, 4, 5) : fc.constant(cls), subject: fc.nat(999), detail: fc.nat(999) });
}

/** A reply with 1-4 lines; text never starts with something an enhanced code could be read from. */
export function reply(): fc.Arbitrary<Reply> {
  return fc.integer({ min: 200, max: 559 }).chain((code) =>
    fc.record({
      code: fc.constant(code),
      enhanced: fc.option(code >= 300 && code < 400 ? fc.constant(null as never) : enhancedStatus(Math.floor(code / 100)), { nil: null }),
      lines: fc.array(text(40).filter((t) => !/^\d/.test(t)), { minLength: 1, maxLength: 4 }),
    }),
  );
}

/** A whole client-side SMTP stream (what a server reads): pipelined commands and dot-stuffed bodies. */
export function clientStream(): fc.Arbitrary<string> {
  const body = fc.array(fc.oneof(text(30), fc.constant('.'), fc.constant('..x'), fc.constant('')), { maxLength: 6 }).map((ls) => ls.map((l) => (l.startsWith('.') ? `.${l}` : l)).map((l) => `${l}\r\n`).join(''));
  const params = (list: readonly Parameter[]) => list.map((p) => (p.value === null ? ` ${p.keyword}` : ` ${p.keyword}=${p.value}`)).join('');
  const tx = fc
    .tuple(path(), fc.array(path(), { minLength: 1, maxLength: 3 }), body, mailParameters().map(encodeMailParameters), rcptParameters().map(encodeRcptParameters))
    .map(([f, to, b, mp, rp]) => `MAIL FROM:<${f.address.includes('"') ? 'a@b.c' : f.address}>${params(mp)}\r\n${to.map(() => `RCPT TO:<x@y.example>${params(rp)}\r\n`).join('')}DATA\r\n${b}.\r\n`);
  return fc.tuple(domain(), fc.array(tx, { maxLength: 3 })).map(([d, txs]) => `EHLO ${d}\r\n${txs.join('')}QUIT\r\n`);
}
