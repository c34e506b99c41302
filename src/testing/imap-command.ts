/**
 * fast-check arbitraries for IMAP commands: every kind `encodeCommand` writes (the new
 * extension commands, CATENATE and unknown commands with literals included), search criteria
 * trees and FETCH items, with values that survive `parseCommand(encodeCommand(c))` unchanged.
 * The kinds are checked against the command table (`imap.COMMANDS`) by the tests.
 *
 * @packageDocumentation
 */

import fc from 'fast-check';
import type { AppendMessage, Command, FilterMailboxes, NotifyEvent } from '../imap/command-types';
import { COMMANDS, commandAllowedIn, type CommandState } from '../imap/command';
import type { FetchItem, FetchSection } from '../imap/fetch-items';
import type { SearchKey, SearchReturnOption, SequenceSetOrSaved } from '../imap/search';
import { mailboxName, sequenceSet } from './imap';

const atomChars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._';
const atom = (min = 1, max = 10) => fc.string({ unit: fc.constantFrom(...atomChars.split('')), minLength: min, maxLength: max });
const flag = fc.oneof(fc.constantFrom('\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft'), atom(1, 8).map((a) => `$${a}`));
const objectId = fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/);

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
    fc.constant({ item: 'PREVIEW' as const, lazy: true as const }),
    fc.record({ item: fc.constantFrom('FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODYSTRUCTURE', 'BODY', 'UID', 'RFC822', 'RFC822.HEADER', 'RFC822.TEXT', 'MODSEQ', 'EMAILID', 'THREADID', 'SAVEDATE', 'PREVIEW', 'X-GM-MSGID', 'X-GM-THRID', 'X-GM-LABELS') }),
    fc.record({ item: fc.constant('BODY[]' as const), peek: fc.boolean(), section, partial }),
    fc.record({ item: fc.constant('BINARY[]' as const), peek: fc.boolean(), part: partPath, partial }),
    fc.record({ item: fc.constant('BINARY.SIZE' as const), part: partPath }),
  ) as fc.Arbitrary<FetchItem>;
}

const appendDate = fc.tuple(fc.integer({ min: 1, max: 28 }), fc.constantFrom(...MONTHS), fc.integer({ min: 1970, max: 2099 }), fc.constantFrom('+0000', '-0800', '+0530')).map(([d, m, y, z]) => `${String(d).padStart(2, ' ')}-${m}-${y} 21:52:25 ${z}`);

const urlText = fc.constantFrom('imap://joe@example.com/INBOX/;uid=20/;section=1.2;urlauth=submit+fred', 'imap://example.com/Drafts/;UID=3', 'imap://joe@example.com/INBOX/;uid=20/;section=1.2;urlauth=submit+fred:internal:91354a473744909de610943775f92038');

/** One APPEND / REPLACE message: a literal (literal8 too), or CATENATE parts. */
export function appendMessage(): fc.Arbitrary<AppendMessage> {
  const flags = fc.option(fc.array(flag, { maxLength: 4 }), { nil: null });
  const date = fc.option(appendDate, { nil: null });
  return fc.oneof(
    fc.record({ flags, date, message: fc.uint8Array({ min: 1, maxLength: 60 }), binary: fc.constant(false) }),
    fc.record({ flags, date, message: fc.uint8Array({ maxLength: 60 }), binary: fc.constant(true) }),
    fc.record({
      flags,
      date,
      catenate: fc.array(fc.oneof(fc.record({ type: fc.constant('text' as const), data: fc.uint8Array({ min: 1, maxLength: 30 }) }), fc.record({ type: fc.constant('url' as const), url: urlText })), { minLength: 1, maxLength: 3 }),
    }),
  ) as fc.Arbitrary<AppendMessage>;
}

/** A filter-mailboxes value (RFC 5465 6, RFC 7377 subtree-one). */
export function filterMailboxes(): fc.Arbitrary<FilterMailboxes> {
  return fc.oneof(
    fc.record({ kind: fc.constantFrom('selected' as const, 'selected-delayed' as const, 'inboxes' as const, 'personal' as const, 'subscribed' as const) }),
    fc.record({ kind: fc.constantFrom('subtree' as const, 'subtree-one' as const, 'mailboxes' as const), mailboxes: fc.array(mailboxName(), { minLength: 1, maxLength: 3 }) }),
  );
}

function notifyEvent(): fc.Arbitrary<NotifyEvent> {
  return fc.oneof(
    fc.record({ name: fc.constantFrom('MessageNew', 'MessageExpunge', 'FlagChange', 'AnnotationChange', 'MailboxName', 'SubscriptionChange', 'MailboxMetadataChange', 'ServerMetadataChange', 'X-Vendor') }),
    fc.record({ name: fc.constant('MessageNew'), fetch: fc.array(fetchItem(), { minLength: 1, maxLength: 3 }) }),
  );
}

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
    r({ tag, command: fc.constant('APPEND'), mailbox: box, messages: fc.array(appendMessage(), { minLength: 1, maxLength: 3 }) }),
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
    fc
      .record({
        tag,
        command: fc.constant('UNKNOWN' as const),
        name: upperAtom(3, 10).filter((n) => n !== 'UID' && COMMANDS[n] === undefined),
        text: fc.constantFrom('', 'a b (c)', '"quoted" 1:*', 'X '),
        literals: fc.option(fc.array(fc.record({ octets: fc.uint8Array({ min: 1, maxLength: 20 }), binary: fc.constant(false), text: fc.constantFrom('', ' tail', ' (x)') }), { minLength: 1, maxLength: 2 }), { nil: undefined }),
      })
      .map(({ literals, ...c }) => (literals ? { ...c, literals } : c)),
    r({ tag, command: fc.constant('REPLACE'), uid, number: fc.integer({ min: 1, max: 2 ** 32 - 1 }), mailbox: box, message: appendMessage() }),
    fc
      .record({
        tag,
        command: fc.constant('ESEARCH' as const),
        source: fc.option(fc.record({ mailboxes: fc.array(filterMailboxes(), { minLength: 1, maxLength: 3 }), scope: fc.array(fc.record({ name: fc.constantFrom('X-SCOPE', 'depth', 'x.y'), value: fc.constantFrom(null, '1:5', '(a "b c")') }), { maxLength: 2 }) }), { nil: null }),
        returnOptions: searchReturn,
        charset: fc.option(charset, { nil: null }),
        criteria,
      })
      .map(({ returnOptions, ...c }) => (returnOptions ? { ...c, returnOptions } : c)),
    fc.oneof(
      r({ tag, command: fc.constant('NOTIFY'), groups: fc.constant(null), status: fc.constant(false) }),
      r({ tag, command: fc.constant('NOTIFY'), groups: fc.array(fc.record({ mailboxes: filterMailboxes(), events: fc.option(fc.array(notifyEvent(), { minLength: 1, maxLength: 3 }), { nil: null }) }), { minLength: 1, maxLength: 3 }), status: fc.boolean() }),
    ),
    r({ tag, command: fc.constant('UIDBATCHES'), size: fc.integer({ min: 500, max: 1e6 }), batches: fc.option(fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.nat(1000)).map(([first, more]) => [first, first + more] as [number, number]), { nil: null }) }),
    r({ tag, command: fc.constant('GENURLAUTH'), urls: fc.array(fc.record({ rump: urlText, mechanism: fc.constantFrom('INTERNAL', 'X-MECH.1') }), { minLength: 1, maxLength: 2 }) }),
    fc.oneof(
      r({ tag, command: fc.constant('RESETKEY'), mailbox: fc.constant(null), mechanisms: fc.constant([]) }),
      r({ tag, command: fc.constant('RESETKEY'), mailbox: box, mechanisms: fc.array(fc.constantFrom('INTERNAL', 'X-MECH.1'), { maxLength: 2 }) }),
    ),
    r({ tag, command: fc.constant('URLFETCH'), urls: fc.array(urlText, { minLength: 1, maxLength: 2 }) }),
  ];
  return fc.oneof(...kinds);
}

/** A command valid in `state`, by the command table's state rules (`imap.commandAllowedIn`). */
export function commandIn(state: CommandState): fc.Arbitrary<Command> {
  return command().filter((c) => commandAllowedIn(c.command, state));
}
