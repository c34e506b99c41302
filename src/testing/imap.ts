/**
 * fast-check arbitraries for IMAP responses (the kinds `encodeResponse` writes), commands
 * (every kind `encodeCommand` writes, search criteria trees, FETCH items), sequence sets and
 * mailbox names.
 *
 * @packageDocumentation
 */

import fc from 'fast-check';
import { SequenceSet } from '../imap/sequence-set';
import { parseResponse } from '../imap/response';
import type { Address, Envelope, Response, ResponseCode } from '../imap/types';
import type { Command } from '../imap/command-types';
import type { FetchItem, FetchSection } from '../imap/fetch-items';
import type { SearchKey, SearchReturnOption, SequenceSetOrSaved } from '../imap/search';

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

// ---------------------------------------------------------------------------------------------
// Commands

/** A string for command arguments: any Unicode text, with CR, LF, quotes and specials often (never NUL). */
export function commandString(maxLength = 16): fc.Arbitrary<string> {
  const unit = fc.oneof(
    fc.constantFrom('\r', '\n', '\r\n', '"', '\\', ' ', '(', ')', '{', '}', '%', '*', '[', ']', '~', '+'),
    fc.integer({ min: 1, max: 0x7f }).map((c) => String.fromCharCode(c)),
    fc.constantFrom('é', 'Ж', '日本', '😀'),
  );
  return fc.string({ unit, maxLength });
}

const upperAtom = (min = 1, max = 10) => fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ-'.split('')), minLength: min, maxLength: max }).filter((s) => s !== 'NIL');
const keyword = atom(1, 8).map((a) => `$${a}`);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const searchDate = fc.tuple(fc.integer({ min: 1, max: 31 }), fc.constantFrom(...MONTHS, 'MAR', 'dec'), fc.integer({ min: 1970, max: 2100 })).map(([d, m, y]) => `${d}-${m}-${y}`);
const modseq = fc.bigInt({ min: 1n, max: 2n ** 63n - 1n });
const seqOrSaved: fc.Arbitrary<SequenceSetOrSaved> = fc.oneof({ weight: 5, arbitrary: sequenceSet() }, { weight: 1, arbitrary: fc.constant('$' as const) });
const partPath = fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 3 });
const partial = fc.option(fc.record({ offset: fc.nat(1e9), length: fc.integer({ min: 1, max: 1e9 }) }), { nil: null });

/** A search key tree (every key kind except RAW), nested up to a few levels. */
export function searchKey(): fc.Arbitrary<SearchKey> {
  const leaf: fc.Arbitrary<SearchKey> = fc.oneof(
    fc.record({ key: fc.constantFrom('ALL', 'ANSWERED', 'DELETED', 'DRAFT', 'FLAGGED', 'NEW', 'OLD', 'RECENT', 'SEEN', 'UNANSWERED', 'UNDELETED', 'UNDRAFT', 'UNFLAGGED', 'UNSEEN', 'SAVEDATESUPPORTED') }),
    fc.record({ key: fc.constantFrom('BCC', 'BODY', 'CC', 'FROM', 'SUBJECT', 'TEXT', 'TO', 'X-GM-RAW'), value: commandString() }),
    fc.record({ key: fc.constant('HEADER' as const), field: commandString(), value: commandString() }),
    fc.record({ key: fc.constantFrom('KEYWORD', 'UNKEYWORD'), flag: keyword }),
    fc.record({ key: fc.constantFrom('BEFORE', 'ON', 'SINCE', 'SENTBEFORE', 'SENTON', 'SENTSINCE', 'SAVEDBEFORE', 'SAVEDON', 'SAVEDSINCE'), date: searchDate }),
    fc.record({ key: fc.constantFrom('LARGER', 'SMALLER'), value: fc.nat(2 ** 40) }),
    fc.record({ key: fc.constantFrom('OLDER', 'YOUNGER'), value: fc.integer({ min: 1, max: 1e9 }) }),
    fc.record({ key: fc.constantFrom('UID', 'SEQUENCE'), set: seqOrSaved }),
    fc.record({ key: fc.constant('MODSEQ' as const), modseq, entry: fc.option(fc.record({ name: fc.constantFrom('/flags/\\draft', '/flags/$label', '/flags/\\seen'), type: fc.constantFrom('priv' as const, 'shared' as const, 'all' as const) }), { nil: null }) }),
    fc.record({ key: fc.constantFrom('X-GM-MSGID', 'X-GM-THRID'), id: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) }),
    fc.record({ key: fc.constantFrom('EMAILID', 'THREADID'), id: objectId }),
  ) as fc.Arbitrary<SearchKey>;
  const { key } = fc.letrec<{ key: SearchKey }>((tie) => ({
    key: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.record({ key: fc.constantFrom('NOT' as const, 'FUZZY' as const), criterion: tie('key') }),
      fc.record({ key: fc.constant('OR' as const), left: tie('key'), right: tie('key') }),
      fc.record({ key: fc.constant('AND' as const), criteria: fc.array(tie('key'), { minLength: 1, maxLength: 3 }) }),
    ) as fc.Arbitrary<SearchKey>,
  }));
  return key;
}

const searchReturn: fc.Arbitrary<SearchReturnOption[] | undefined> = fc.option(
  fc.array(
    fc.oneof(
      fc.constantFrom('MIN' as const, 'MAX' as const, 'ALL' as const, 'COUNT' as const, 'SAVE' as const),
      fc.tuple(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 1e6 }), fc.boolean()).map(([a, b, neg]) => ({ partial: (neg ? [-a, -b] : [a, b]) as [number, number] })),
    ),
    { maxLength: 3 },
  ),
  { nil: undefined },
);

/** A FETCH item (not a macro). */
export function fetchItem(): fc.Arbitrary<FetchItem> {
  const field = fc.constantFrom('DATE', 'From', 'subject', 'X-Mailer', 'Message-ID', 'List-Id');
  const section: fc.Arbitrary<FetchSection> = fc.oneof(
    fc.record({ part: partPath, text: fc.constant(null), fields: fc.constant([]) }),
    fc.record({ part: partPath, text: fc.constantFrom('HEADER' as const, 'TEXT' as const), fields: fc.constant([]) }),
    fc.record({ part: partPath.filter((p) => p.length > 0), text: fc.constant('MIME' as const), fields: fc.constant([]) }),
    fc.record({ part: partPath, text: fc.constantFrom('HEADER.FIELDS' as const, 'HEADER.FIELDS.NOT' as const), fields: fc.array(field, { minLength: 1, maxLength: 3 }) }),
  );
  return fc.oneof(
    fc.record({ item: fc.constantFrom('FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODYSTRUCTURE', 'BODY', 'UID', 'RFC822', 'RFC822.HEADER', 'RFC822.TEXT', 'MODSEQ', 'EMAILID', 'THREADID', 'SAVEDATE', 'PREVIEW', 'X-GM-MSGID', 'X-GM-THRID', 'X-GM-LABELS') }),
    fc.record({ item: fc.constant('BODY[]' as const), peek: fc.boolean(), section, partial }),
    fc.record({ item: fc.constant('BINARY[]' as const), peek: fc.boolean(), part: partPath, partial }),
    fc.record({ item: fc.constant('BINARY.SIZE' as const), part: partPath }),
  ) as fc.Arbitrary<FetchItem>;
}

const appendDate = fc.tuple(fc.integer({ min: 1, max: 31 }), fc.constantFrom(...MONTHS), fc.integer({ min: 1970, max: 2099 }), fc.constantFrom('+0000', '-0800', '+0530')).map(([d, m, y, z]) => `${String(d).padStart(2, ' ')}-${m}-${y} 21:52:25 ${z}`);

/**
 * An IMAP command of any kind `encodeCommand` writes, with values that survive
 * `parseCommand(encodeCommand(c))` unchanged (keywords upper-case, as the parser returns them).
 */
export function command(): fc.Arbitrary<Command> {
  const tag = fc.stringMatching(/^[A-Za-z0-9.\]]{1,8}$/);
  const box = mailboxName();
  const str = commandString();
  const uid = fc.boolean();
  const flags = fc.array(flag, { maxLength: 4 });
  const ids = fc.oneof(atom(1, 12), str);
  const criteria = fc.array(searchKey(), { minLength: 1, maxLength: 3 });
  const charset = fc.constantFrom('UTF-8', 'US-ASCII', 'ISO-8859-1');
  const r = <T>(x: { [K in keyof T]: fc.Arbitrary<T[K]> }) => fc.record(x as never) as fc.Arbitrary<never>;
  const kinds: fc.Arbitrary<Command>[] = [
    r({ tag, command: fc.constantFrom('CAPABILITY', 'NOOP', 'LOGOUT', 'STARTTLS', 'IDLE', 'CHECK', 'CLOSE', 'UNSELECT', 'NAMESPACE', 'EXPUNGE', 'UNAUTHENTICATE') }),
    r({ tag, command: fc.constant('LOGIN'), user: str, password: str }),
    r({ tag, command: fc.constant('AUTHENTICATE'), mechanism: fc.constantFrom('PLAIN', 'XOAUTH2', 'SCRAM-SHA-256'), initialResponse: fc.option(fc.constantFrom('=', 'dGVzdAB0ZXN0AHRlc3Q='), { nil: null }) }),
    r({ tag, command: fc.constant('ENABLE'), capabilities: fc.array(fc.constantFrom('CONDSTORE', 'QRESYNC', 'UTF8=ACCEPT', 'IMAP4rev2'), { minLength: 1, maxLength: 3 }) }),
    fc
      .record({
        tag,
        command: fc.constantFrom('SELECT' as const, 'EXAMINE' as const),
        mailbox: box,
        condstore: fc.boolean(),
        qresync: fc.option(
          fc.record({
            uidValidity: fc.integer({ min: 1, max: 2 ** 32 - 1 }),
            modseq,
            knownUids: fc.option(sequenceSet(), { nil: null }),
            seqMatch: fc.option(fc.record({ sequences: sequenceSet(), uids: sequenceSet() }), { nil: null }),
          }),
          { nil: undefined },
        ),
      })
      .map(({ condstore, qresync, ...c }) => ({
        ...c,
        ...(condstore ? { condstore } : {}),
        ...(qresync ? { qresync: qresync.knownUids === null ? { ...qresync, seqMatch: null } : qresync } : {}),
      })),
    fc.record({ tag, command: fc.constant('CREATE' as const), mailbox: box, use: fc.option(fc.array(fc.constantFrom('\\Drafts', '\\Sent', '\\Archive', '\\Junk', '\\Trash', '\\All', '\\Flagged', '\\Important'), { maxLength: 2 }), { nil: undefined }) }).map(({ use, ...c }) => (use ? { ...c, use } : c)),
    r({ tag, command: fc.constantFrom('DELETE', 'SUBSCRIBE', 'UNSUBSCRIBE', 'GETQUOTAROOT', 'MYRIGHTS', 'GETACL'), mailbox: box }),
    r({ tag, command: fc.constant('RENAME'), from: box, to: box }),
    fc
      .record({
        tag,
        command: fc.constant('LIST' as const),
        selection: fc.option(fc.uniqueArray(fc.constantFrom('SUBSCRIBED' as const, 'REMOTE' as const, 'RECURSIVEMATCH' as const, 'SPECIAL-USE' as const), { maxLength: 3 }), { nil: undefined }),
        reference: fc.oneof(fc.constant(''), box),
        pattern: fc.oneof(fc.constantFrom('*', '%', 'INBOX/%'), box, fc.array(fc.oneof(fc.constantFrom('*', '%'), box), { minLength: 1, maxLength: 3 })),
        returnOptions: fc.option(fc.array(fc.oneof(fc.constantFrom('SUBSCRIBED' as const, 'CHILDREN' as const, 'SPECIAL-USE' as const, 'MYRIGHTS' as const), fc.record({ status: fc.array(fc.constantFrom('MESSAGES', 'UNSEEN', 'UIDNEXT', 'SIZE'), { minLength: 1, maxLength: 3 }) })), { maxLength: 3 }), { nil: undefined }),
      })
      .map(({ selection, returnOptions, ...c }) => ({ ...c, ...(selection ? { selection } : {}), ...(returnOptions ? { returnOptions } : {}) })),
    r({ tag, command: fc.constant('LSUB'), reference: fc.oneof(fc.constant(''), box), pattern: fc.oneof(fc.constantFrom('*', '%'), box) }),
    r({ tag, command: fc.constant('STATUS'), mailbox: box, items: fc.array(fc.constantFrom('MESSAGES', 'RECENT', 'UIDNEXT', 'UIDVALIDITY', 'UNSEEN', 'HIGHESTMODSEQ', 'SIZE', 'MAILBOXID'), { minLength: 1, maxLength: 4 }) }),
    r({
      tag,
      command: fc.constant('APPEND'),
      mailbox: box,
      messages: fc.array(
        fc.oneof(
          fc.record({ flags: fc.option(flags, { nil: null }), date: fc.option(appendDate, { nil: null }), message: fc.uint8Array({ min: 1, maxLength: 60 }), binary: fc.constant(false) }),
          fc.record({ flags: fc.option(flags, { nil: null }), date: fc.option(appendDate, { nil: null }), message: fc.uint8Array({ maxLength: 60 }), binary: fc.constant(true) }),
        ),
        { minLength: 1, maxLength: 3 },
      ),
    }),
    fc
      .record({
        tag,
        command: fc.constant('FETCH' as const),
        uid,
        set: seqOrSaved,
        items: fc.oneof({ weight: 1, arbitrary: fc.constantFrom('ALL' as const, 'FAST' as const, 'FULL' as const).map((item) => [{ item }] as FetchItem[]) }, { weight: 5, arbitrary: fc.array(fetchItem(), { minLength: 1, maxLength: 4 }) }),
        changedSince: fc.option(modseq, { nil: undefined }),
        vanished: fc.boolean(),
      })
      .map(({ changedSince, vanished, ...c }) => ({ ...c, ...(changedSince !== undefined ? { changedSince } : {}), ...(vanished && c.uid && changedSince !== undefined ? { vanished } : {}) })),
    r({ tag, command: fc.constant('STORE'), uid, set: seqOrSaved, operation: fc.constantFrom('set', 'add', 'remove'), silent: fc.boolean(), flags, unchangedSince: fc.option(fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }), { nil: null }) }),
    r({ tag, command: fc.constantFrom('COPY', 'MOVE'), uid, set: seqOrSaved, mailbox: box }),
    fc.record({ tag, command: fc.constant('SEARCH' as const), uid, returnOptions: searchReturn, charset: fc.option(charset, { nil: null }), criteria }).map(({ returnOptions, ...c }) => (returnOptions ? { ...c, returnOptions } : c)),
    fc
      .record({
        tag,
        command: fc.constant('SORT' as const),
        uid,
        returnOptions: searchReturn,
        sort: fc.array(fc.record({ key: fc.constantFrom('ARRIVAL' as const, 'CC' as const, 'DATE' as const, 'FROM' as const, 'SIZE' as const, 'SUBJECT' as const, 'TO' as const, 'DISPLAYFROM' as const, 'DISPLAYTO' as const), reverse: fc.boolean() }), { minLength: 1, maxLength: 3 }),
        charset,
        criteria,
      })
      .map(({ returnOptions, ...c }) => (returnOptions ? { ...c, returnOptions } : c)),
    r({ tag, command: fc.constant('THREAD'), uid, algorithm: fc.constantFrom('ORDEREDSUBJECT', 'REFERENCES', 'REFS'), charset, criteria }),
    r({ tag, command: fc.constant('UID EXPUNGE'), set: seqOrSaved }),
    r({ tag, command: fc.constant('ID'), params: fc.option(fc.dictionary(atom(1, 10), fc.option(str, { nil: null }), { maxKeys: 4 }), { nil: null }) }),
    r({ tag, command: fc.constant('GETQUOTA'), root: str }),
    r({ tag, command: fc.constant('SETQUOTA'), root: str, limits: fc.array(fc.record({ resource: fc.constantFrom('STORAGE', 'MESSAGE', 'MAILBOX', 'ANNOTATION-STORAGE'), limit: fc.nat(2 ** 50) }), { maxLength: 3 }) }),
    r({ tag, command: fc.constant('SETACL'), mailbox: box, identifier: ids, mode: fc.constantFrom('set', 'add', 'remove'), rights: fc.string({ unit: fc.constantFrom(...'lrswipkxtecdan'.split('')), minLength: 1, maxLength: 8 }) }),
    r({ tag, command: fc.constantFrom('DELETEACL', 'LISTRIGHTS'), mailbox: box, identifier: ids }),
    r({
      tag,
      command: fc.constant('GETMETADATA'),
      mailbox: fc.oneof(fc.constant(''), box),
      entries: fc.array(fc.oneof(fc.constantFrom('/shared/comment', '/private/comment', '/shared/vendor/x'), str.map((s) => `/private/${s}`)), { minLength: 1, maxLength: 3 }),
      maxSize: fc.option(fc.nat(1e9), { nil: null }),
      depth: fc.constantFrom('0' as const, '1' as const, 'infinity' as const, null),
    }),
    r({ tag, command: fc.constant('SETMETADATA'), mailbox: fc.oneof(fc.constant(''), box), entries: fc.array(fc.record({ entry: fc.oneof(fc.constantFrom('/shared/comment', '/private/comment'), str.map((s) => `/shared/${s}`)), value: fc.option(fc.uint8Array({ maxLength: 40 }), { nil: null }) }), { minLength: 1, maxLength: 3 }) }),
    r({ tag, command: fc.constant('COMPRESS'), mechanism: fc.constant('DEFLATE') }),
    r({ tag, command: fc.constant('UNKNOWN'), name: upperAtom(3, 10).filter((n) => !KNOWN_COMMANDS.has(n)), text: fc.constantFrom('', 'a b (c)', '"quoted" 1:*') }),
  ];
  return fc.oneof(...kinds);
}

const KNOWN_COMMANDS = new Set(['CAPABILITY', 'NOOP', 'LOGOUT', 'STARTTLS', 'IDLE', 'CHECK', 'CLOSE', 'UNSELECT', 'NAMESPACE', 'EXPUNGE', 'UNAUTHENTICATE', 'LOGIN', 'AUTHENTICATE', 'ENABLE', 'SELECT', 'EXAMINE', 'CREATE', 'DELETE', 'SUBSCRIBE', 'UNSUBSCRIBE', 'GETQUOTAROOT', 'MYRIGHTS', 'GETACL', 'RENAME', 'LIST', 'LSUB', 'STATUS', 'APPEND', 'FETCH', 'STORE', 'COPY', 'MOVE', 'SEARCH', 'SORT', 'THREAD', 'UID', 'ID', 'GETQUOTA', 'SETQUOTA', 'SETACL', 'DELETEACL', 'LISTRIGHTS', 'GETMETADATA', 'SETMETADATA', 'COMPRESS']);
