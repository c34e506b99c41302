/**
 * fast-check arbitraries for IMAP responses (the kinds `encodeResponse` writes), sequence
 * sets and mailbox names. The command arbitraries are in `imap-command.ts`.
 *
 * @packageDocumentation
 */

import fc from 'fast-check';
import { SequenceSet } from '../imap/sequence-set';
import { parseResponse } from '../imap/response';
import type { Address, Envelope, Response, ResponseCode } from '../imap/types';

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

/** An IMAP response of the kinds the encoder covers. */
export function response(): fc.Arbitrary<Response> {
  return fc.oneof(
    fc.record({ type: fc.constant('tagged' as const), tag: fc.stringMatching(/^[A-Za-z0-9.\]]{1,6}$/), status: fc.constantFrom('OK' as const, 'NO' as const, 'BAD' as const), code: responseCode(), text }),
    fc.record({ type: fc.constant('continuation' as const), code: fc.constant(null), text }),
    fc.record({ type: fc.constant('untagged' as const), kind: fc.constantFrom('OK' as const, 'NO' as const, 'BAD' as const, 'BYE' as const, 'PREAUTH' as const), code: responseCode(), text }),
    fc.record({ type: fc.constant('untagged' as const), kind: fc.constantFrom('CAPABILITY' as const, 'ENABLED' as const), capabilities: fc.array(atom(), { maxLength: 5 }) }),
    fc.record({ type: fc.constant('untagged' as const), kind: fc.constant('FLAGS' as const), flags: fc.array(flag, { maxLength: 5 }) }),
    fc.record({ type: fc.constant('untagged' as const), kind: fc.constantFrom('LIST' as const, 'LSUB' as const), attributes: fc.array(fc.constantFrom('\\Noselect', '\\HasChildren', '\\Sent'), { maxLength: 2 }), delimiter: fc.constantFrom('/', '.', null), mailbox: mailboxName(), extended: fc.oneof(fc.constant({}), fc.record({ CHILDINFO: fc.constant(['SUBSCRIBED']) }), fc.record({ OLDNAME: mailboxName() })) }),
    fc.record({ type: fc.constant('untagged' as const), kind: fc.constantFrom('SEARCH' as const, 'SORT' as const), numbers: fc.array(fc.integer({ min: 1, max: 1e6 }), { maxLength: 6 }), modseq: fc.option(fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }), { nil: null }) }),
    fc.record({ type: fc.constant('untagged' as const), kind: fc.constantFrom('EXISTS' as const, 'RECENT' as const, 'EXPUNGE' as const), number: fc.integer({ min: 0, max: 1e9 }) }),
    fc.record({ type: fc.constant('untagged' as const), kind: fc.constant('VANISHED' as const), earlier: fc.boolean(), uids: sequenceSet() }),
    fc.record({
      type: fc.constant('untagged' as const),
      kind: fc.constant('FETCH' as const),
      seq: fc.integer({ min: 1, max: 1e6 }),
      attributes: fc.record(
        {
          uid: fc.integer({ min: 1, max: 2 ** 32 - 1 }),
          flags: fc.array(flag, { maxLength: 4 }),
          rfc822Size: fc.nat(1e9),
          envelope: envelope(),
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
      ),
    }),
  ) as fc.Arbitrary<Response>;
}
