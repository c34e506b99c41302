/**
 * fast-check arbitraries for IMAP responses (the kinds `encodeResponse` writes), sequence
 * sets and mailbox names. The command arbitraries are in `imap-command.ts`.
 *
 * @packageDocumentation
 */

import fc from 'fast-check';
import { SequenceSet } from '../imap/sequence-set';
import { parseResponse } from '../imap/response';
import type { Address, BodyStructure, Envelope, FetchAttributes, Response, ResponseCode } from '../imap/types';
import type { PartialResult, ThreadNode } from '../imap/esearch';

const atomChars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._';
const atom = (min = 1, max = 10) => fc.string({ unit: fc.constantFrom(...atomChars.split('')), minLength: min, maxLength: max });
// Text that ends in "{n}" would read as a literal announcement; the encoder refuses it, so it is no value to generate.
const text = fc
  .string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 30 })
  .filter((t) => !t.startsWith('[') && !t.startsWith(' ') && !/\{\d+[+-]?\}$/.test(t));
/** Any string, including CR, LF, NUL and non-ASCII (encoded as a literal when needed). */
const anyString = fc.string({ maxLength: 20 });

/** A sequence set of 1-5 items. */
export function sequenceSet(): fc.Arbitrary<SequenceSet> {
  const n = fc.integer({ min: 1, max: 100000 });
  return fc.array(fc.oneof(n, fc.tuple(n, n)), { minLength: 1, maxLength: 5 }).map((items) => SequenceSet.from(items));
}

/** A mailbox name with any Unicode text, `&` and hierarchy delimiters. */
export function mailboxName(): fc.Arbitrary<string> {
  return fc.oneof(fc.constant('INBOX'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 15 }).filter((s) => s.toUpperCase() !== 'INBOX' && !/[\r\n\0]/.test(s)));
}

function address(): fc.Arbitrary<Address> {
  const ns = fc.option(anyString, { nil: null });
  return fc.record({ name: ns, adl: fc.constant(null), mailbox: ns, host: ns });
}

/** An ENVELOPE. */
export function envelope(): fc.Arbitrary<Envelope> {
  const ns = fc.option(anyString, { nil: null });
  const al = fc.option(fc.array(address(), { minLength: 1, maxLength: 3 }), { nil: null });
  return fc.record({ date: ns, subject: ns, from: al, sender: al, replyTo: al, to: al, cc: al, bcc: al, inReplyTo: ns, messageId: ns });
}

const flag = fc.oneof(fc.constantFrom('\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft'), atom(1, 8).map((a) => `$${a}`));
/** Flags in responses also come non-ASCII (written as raw UTF-8 atoms, read back the same). */
const responseFlag = fc.oneof(flag, fc.constantFrom('café', 'Ärger', '重要'));

const CODE_TEXTS = [
  'ALERT', 'PARSE', 'READ-ONLY', 'READ-WRITE', 'TRYCREATE', 'UIDNEXT 4392', 'UIDVALIDITY 3857529045', 'UNSEEN 12',
  'PERMANENTFLAGS (\\Deleted \\Seen \\*)', 'BADCHARSET (UTF-8 US-ASCII)', 'CAPABILITY IMAP4rev1 IDLE',
  'APPENDUID 38505 3955', 'COPYUID 38505 304,319:320 3956:3958', 'UIDNOTSTICKY', 'HIGHESTMODSEQ 715194045007',
  'NOMODSEQ', 'MODIFIED 7,9', 'CLOSED', 'BADURL imap://a@b/INBOX/;uid=20', 'TOOBIG', 'METADATA LONGENTRIES 2199',
  'METADATA MAXSIZE 1024', 'METADATA TOOMANY', 'METADATA NOPRIVATE', 'NOTSAVED', 'HASCHILDREN', 'UNAVAILABLE',
  'AUTHENTICATIONFAILED', 'OVERQUOTA', 'ALREADYEXISTS', 'NONEXISTENT', 'MAILBOXID (F2212ea87-6097)', 'X-UNKNOWN a (b c)',
];

/** A response code as `parseResponse` reads it: the known codes with their typed fields, and an unknown one. */
export function responseCode(): fc.Arbitrary<ResponseCode | null> {
  return fc.option(
    fc.constantFrom(...CODE_TEXTS).map((t) => (parseResponse(`* OK [${t}] x\r\n`) as { code: ResponseCode }).code),
    { nil: null },
  );
}

const objectId = fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/);
const modseqArb = fc.bigInt({ min: 1n, max: 2n ** 63n - 1n });

const upper = (min = 1, max = 8) => fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('')), minLength: min, maxLength: max }).filter((s) => s !== 'NIL');
const nz = fc.integer({ min: 1, max: 2 ** 32 - 1 });
/** Text without CR, LF or NUL that does not end in a literal announcement. */
const lineText = fc.string({ maxLength: 20 }).filter((t) => !/[\r\n\0]/.test(t) && !/\{\d+[+-]?\}$/.test(t));

const INTERNAL_DATES = ['17-Jul-1996 02:44:25 -0700', ' 7-Jul-1996 02:44:25 +0000', '01-Jan-2024 10:00:00 +0100', 'not a date'];

/** A body part's wire text, from random parts (read once with parseResponse to get its value). */
function bodyWire(depth: number): fc.Arbitrary<string> {
  const q = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  const str = fc.oneof(atom(1, 8).map(q), fc.constant('NIL'), fc.constantFrom('"Görüntü"', '"a \\"b\\""', '{3}\r\nx y'));
  const params = fc.oneof(fc.constant('NIL'), fc.array(fc.tuple(upper(1, 6), str.filter((x) => x !== 'NIL')), { minLength: 1, maxLength: 2 }).map((ps) => `(${ps.map(([k, v]) => `"${k}" ${v}`).join(' ')})`));
  const ext = fc.oneof(
    fc.constant(''),
    fc.tuple(str, fc.oneof(fc.constant('NIL'), params.map((p) => `("ATTACHMENT" ${p})`)), fc.oneof(fc.constant('NIL'), fc.constant('("EN" "DE")')), str).map(([md5, d, l, loc]) => ` ${md5} ${d} ${l} ${loc}`),
  );
  const text = fc.tuple(atom(1, 6), params, str, str, fc.constantFrom('"7BIT"', '"BASE64"'), fc.nat(1e6), fc.nat(1e4), ext).map(([sub, p, id, desc, enc, size, lines, e]) => `("TEXT" "${sub}" ${p} ${id} ${desc} ${enc} ${size} ${lines}${e})`);
  const basic = fc.tuple(upper(1, 6).filter((t) => t !== 'TEXT' && t !== 'MESSAGE'), atom(1, 6), params, str, fc.nat(1e6), ext).map(([t, sub, p, desc, size, e]) => `("${t}" "${sub}" ${p} NIL ${desc} "BASE64" ${size}${e})`);
  const leaf = fc.oneof(text, basic);
  if (depth <= 0) return leaf;
  const inner = bodyWire(depth - 1);
  const multi = fc.tuple(fc.array(inner, { minLength: 1, maxLength: 3 }), atom(1, 8), fc.oneof(fc.constant(''), params.map((p) => ` ${p} NIL NIL NIL`))).map(([parts, sub, e]) => `(${parts.join('')} "${sub}"${e})`);
  return fc.oneof(leaf, multi);
}

/** A BODYSTRUCTURE value (single parts, multiparts, extension data, a Latin-1-free non-ASCII parameter). */
export function bodyStructure(): fc.Arbitrary<BodyStructure> {
  return bodyWire(2).map((w) => (parseResponse(`* 1 FETCH (BODYSTRUCTURE ${w})\r\n`) as { attributes: FetchAttributes }).attributes.bodyStructure!);
}

/** FETCH attributes: every modelled attribute, BODYSTRUCTURE and INTERNALDATE included. */
export function fetchAttributes(): fc.Arbitrary<FetchAttributes> {
  return fc.record(
    {
      uid: nz,
      flags: fc.array(responseFlag, { maxLength: 4 }),
      rfc822Size: fc.nat(1e9),
      envelope: envelope(),
      bodyStructure: bodyStructure(),
      sections: fc.array(
        fc.oneof(
          fc.record({ name: fc.constant('BODY[]'), section: fc.constant(''), origin: fc.constant(null), data: fc.option(fc.uint8Array({ maxLength: 40 }), { nil: null }) }),
          fc.record({ name: fc.constant('BINARY[1]'), section: fc.constant('1'), origin: fc.constant(null), data: fc.uint8Array({ maxLength: 40 }) }),
        ),
        { minLength: 1, maxLength: 1 },
      ),
      modseq: fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }),
      emailId: objectId,
      threadId: fc.option(objectId, { nil: null }),
      saveDate: fc.option(fc.constant('01-Jan-2024 10:00:00 +0000'), { nil: null }),
      preview: fc.option(text, { nil: null }),
      gmailMessageId: fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }),
      gmailThreadId: fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }),
      gmailLabels: fc.array(fc.oneof(fc.constantFrom('\\Inbox', '\\Sent', '\\Important'), mailboxName()), { maxLength: 3 }),
      binarySizes: fc.dictionary(fc.constantFrom('1', '2', '1.2'), fc.nat(1e9), { minKeys: 1, maxKeys: 2 }),
    },
    { requiredKeys: [] },
  ).chain((a) =>
    fc.option(fc.constantFrom(...INTERNAL_DATES), { nil: undefined }).map((d) =>
      d === undefined ? a : { ...a, internalDateText: d, internalDate: (parseResponse(`* 1 FETCH (INTERNALDATE "${d}")\r\n`) as { attributes: FetchAttributes }).attributes.internalDate! },
    ),
  );
}

const nstr = fc.option(anyString, { nil: null });
const threadTree: fc.Arbitrary<ThreadNode[]> = fc.array(fc.oneof(nz.map((n): ThreadNode => n), fc.array(nz, { minLength: 1, maxLength: 3 })), { minLength: 1, maxLength: 4 });
const partialResult = fc
  .tuple(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1000 }), fc.boolean(), fc.option(sequenceSet(), { nil: null }))
  .map(([a, b, neg, set]): PartialResult => ({ kind: 'partial', start: neg ? -a : a, end: neg ? -b : b, set }));
const namespace = fc.option(
  fc.array(
    fc.record(
      { prefix: anyString, delimiter: fc.constantFrom('/', '.', null), extensions: fc.dictionary(fc.constantFrom('X-PARAM', 'TRANSLATION'), fc.array(anyString, { minLength: 1, maxLength: 2 }), { minKeys: 1, maxKeys: 2 }) },
      { requiredKeys: ['prefix', 'delimiter'] },
    ),
    { minLength: 1, maxLength: 2 },
  ),
  { nil: null },
);

/** The untagged kinds beyond the basic ones: STATUS, ESEARCH, THREAD, UIDBATCHES, NAMESPACE, QUOTA, QUOTAROOT, ID, ACL, LISTRIGHTS, MYRIGHTS, METADATA, UNKNOWN, UIDFETCH. */
function moreResponses(): fc.Arbitrary<Response> {
  const u = <T extends object>(rec: fc.Arbitrary<T>) => rec.map((x) => ({ type: 'untagged' as const, ...x }));
  return fc.oneof(
    u(fc.record({ kind: fc.constant('STATUS' as const), mailbox: mailboxName(), attributes: fc.record({ MESSAGES: fc.nat(1e9), UIDNEXT: nz, HIGHESTMODSEQ: modseqArb, APPENDLIMIT: fc.option(fc.nat(1e9), { nil: null }), MAILBOXID: objectId }, { requiredKeys: [] }) })),
    u(
      fc.record({
        kind: fc.constant('ESEARCH' as const),
        tag: fc.option(anyString, { nil: null }),
        uid: fc.boolean(),
        results: fc.record({ MIN: nz, MAX: nz, COUNT: fc.nat(1e9), ALL: sequenceSet(), MODSEQ: modseqArb, PARTIAL: partialResult, RELEVANCY: fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 4 }) }, { requiredKeys: [] }),
      }),
    ),
    u(fc.record({ kind: fc.constant('THREAD' as const), threads: fc.array(threadTree, { maxLength: 3 }) })),
    u(
      fc.record({
        kind: fc.constant('UIDBATCHES' as const),
        tag: fc.stringMatching(/^[A-Za-z0-9.]{1,6}$/),
        // Cut points from the top down: each batch lies below the one before it.
        ranges: fc.uniqueArray(fc.integer({ min: 1, max: 0xffffffff }), { maxLength: 8 }).map((cuts) => {
          const sorted = [...cuts].sort((a, b) => b - a);
          const out: { high: number; low: number }[] = [];
          for (let i = 0; i + 1 < sorted.length; i += 2) out.push({ high: sorted[i]!, low: sorted[i + 1]! });
          if (sorted.length % 2 === 1) out.push({ high: sorted[sorted.length - 1]!, low: sorted[sorted.length - 1]! });
          return out;
        }),
      }),
    ),
    u(fc.record({ kind: fc.constant('NAMESPACE' as const), personal: namespace, otherUsers: namespace, shared: namespace })),
    u(fc.record({ kind: fc.constant('QUOTA' as const), root: anyString, resources: fc.array(fc.record({ name: upper(), usage: fc.nat(1e9), limit: fc.nat(1e9) }), { maxLength: 3 }) })),
    u(fc.record({ kind: fc.constant('QUOTAROOT' as const), mailbox: mailboxName(), roots: fc.array(anyString, { maxLength: 3 }) })),
    u(fc.record({ kind: fc.constant('ID' as const), params: fc.option(fc.dictionary(anyString, nstr, { maxKeys: 3 }), { nil: null }) })),
    u(fc.record({ kind: fc.constant('ACL' as const), mailbox: mailboxName(), rights: fc.array(fc.record({ identifier: anyString, rights: atom(1, 6) }), { maxLength: 3 }) })),
    u(fc.record({ kind: fc.constant('LISTRIGHTS' as const), mailbox: mailboxName(), identifier: anyString, required: atom(0, 4), optional: fc.array(atom(1, 4), { maxLength: 3 }) })),
    u(fc.record({ kind: fc.constant('MYRIGHTS' as const), mailbox: mailboxName(), rights: atom(0, 8) })),
    u(
      fc.oneof(
        fc.record({ kind: fc.constant('METADATA' as const), mailbox: mailboxName(), entries: fc.array(fc.record({ entry: atom(1, 10).map((a) => `/shared/${a}`), value: fc.option(fc.uint8Array({ maxLength: 20 }), { nil: null }) }), { minLength: 1, maxLength: 3 }), names: fc.constant(null) }),
        fc.record({ kind: fc.constant('METADATA' as const), mailbox: mailboxName(), entries: fc.constant(null), names: fc.array(atom(1, 10).map((a) => `/private/${a}`), { minLength: 1, maxLength: 3 }) }),
      ),
    ),
    u(
      fc
        .record({ name: upper(1, 6).map((n) => `X${n}`), text: lineText, number: fc.option(fc.nat(1e6), { nil: undefined }), literals: fc.option(fc.array(fc.record({ octets: fc.uint8Array({ maxLength: 10 }), binary: fc.boolean(), text: lineText }), { minLength: 1, maxLength: 2 }), { nil: undefined }) })
        .map(({ name, text, number, literals: lits }) => {
          // Text before a plain literal does not end in "~" (that would announce literal8): the encoder refuses it.
          const literals = lits?.map((l, i, all) => (!(all[i + 1]?.binary ?? true) ? { ...l, text: l.text.replace(/~+$/, '') } : l));
          const first = literals && !literals[0]!.binary ? text.replace(/~+$/, '') : text;
          const t = literals ? first : first.replace(/^ +/, '');
          const base = { kind: 'UNKNOWN' as const, name, text: literals ? t : t.trimEnd() === '' ? '' : t };
          return { ...base, ...(number === undefined ? {} : { number }), ...(literals ? { literals } : {}) };
        }),
    ),
    u(fc.record({ kind: fc.constant('UIDFETCH' as const), uid: nz, attributes: fetchAttributes() })),
  ) as fc.Arbitrary<Response>;
}

/** An IMAP response: every kind the encoder writes (STATUS, ESEARCH, THREAD, UIDBATCHES, NAMESPACE, QUOTA, QUOTAROOT, ID, ACL, LISTRIGHTS, MYRIGHTS, METADATA, UNKNOWN, UIDFETCH included), with non-ASCII strings and flags. */
export function response(): fc.Arbitrary<Response> {
  return fc.oneof(
    moreResponses(),
    fc.record({ type: fc.constant('tagged' as const), tag: fc.stringMatching(/^[A-Za-z0-9.\]]{1,6}$/), status: fc.constantFrom('OK' as const, 'NO' as const, 'BAD' as const), code: responseCode(), text }),
    fc.record({ type: fc.constant('continuation' as const), code: fc.constant(null), text }),
    fc.record({ type: fc.constant('untagged' as const), kind: fc.constantFrom('OK' as const, 'NO' as const, 'BAD' as const, 'BYE' as const, 'PREAUTH' as const), code: responseCode(), text }),
    fc.record({ type: fc.constant('untagged' as const), kind: fc.constantFrom('CAPABILITY' as const, 'ENABLED' as const), capabilities: fc.array(atom(), { maxLength: 5 }) }),
    fc.record({ type: fc.constant('untagged' as const), kind: fc.constant('FLAGS' as const), flags: fc.array(responseFlag, { maxLength: 5 }) }),
    fc.record({ type: fc.constant('untagged' as const), kind: fc.constantFrom('LIST' as const, 'LSUB' as const), attributes: fc.array(fc.constantFrom('\\Noselect', '\\HasChildren', '\\Sent'), { maxLength: 2 }), delimiter: fc.constantFrom('/', '.', null), mailbox: mailboxName(), extended: fc.oneof(fc.constant({}), fc.record({ CHILDINFO: fc.constant(['SUBSCRIBED']) }), fc.record({ OLDNAME: mailboxName() })) }),
    fc.record({ type: fc.constant('untagged' as const), kind: fc.constantFrom('SEARCH' as const, 'SORT' as const), numbers: fc.array(fc.integer({ min: 1, max: 1e6 }), { maxLength: 6 }), modseq: fc.option(fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }), { nil: null }) }),
    fc.record({ type: fc.constant('untagged' as const), kind: fc.constantFrom('EXISTS' as const, 'RECENT' as const, 'EXPUNGE' as const), number: fc.integer({ min: 0, max: 1e9 }) }),
    fc.record({ type: fc.constant('untagged' as const), kind: fc.constant('VANISHED' as const), earlier: fc.boolean(), uids: sequenceSet() }),
    fc.record({
      type: fc.constant('untagged' as const),
      kind: fc.constant('FETCH' as const),
      seq: fc.integer({ min: 1, max: 1e6 }),
      attributes: fetchAttributes(),
    }),
  ) as fc.Arbitrary<Response>;
}
