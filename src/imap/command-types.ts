/**
 * IMAP command value types (RFC 3501 6, RFC 9051 6 and extensions). Every command has its
 * `tag` and is discriminated by `command` (upper-case). `uid` marks the UID variants of
 * FETCH, STORE, COPY, MOVE, SEARCH, SORT, THREAD and EXPUNGE.
 *
 * @packageDocumentation
 */

import type { StreamedLiteral as StreamedCommandLiteral } from './syntax';
import type { FetchItem } from './fetch-items';
import type { SearchKey, SearchReturnOption, SequenceSetOrSaved } from './search';
import type { SequenceSet } from './sequence-set';

export type { CommandFragment } from './command-writer';

/** Commands without arguments. UNAUTHENTICATE is RFC 8437. */
export interface SimpleCommand {
  readonly tag: string;
  readonly command: 'CAPABILITY' | 'NOOP' | 'LOGOUT' | 'STARTTLS' | 'IDLE' | 'CHECK' | 'CLOSE' | 'UNSELECT' | 'NAMESPACE' | 'EXPUNGE' | 'UNAUTHENTICATE';
}
/** `LOGIN userid password`. */
export interface LoginCommand {
  readonly tag: string;
  readonly command: 'LOGIN';
  readonly user: string;
  readonly password: string;
}
/** `AUTHENTICATE mechanism [initial-response]` (RFC 4959 SASL-IR; `=` is the empty response). */
export interface AuthenticateCommand {
  readonly tag: string;
  readonly command: 'AUTHENTICATE';
  readonly mechanism: string;
  readonly initialResponse: string | null;
}
/** `ENABLE capability...` (RFC 5161). */
export interface EnableCommand {
  readonly tag: string;
  readonly command: 'ENABLE';
  readonly capabilities: readonly string[];
}
/** The QRESYNC select parameter (RFC 7162 3.2.5). */
export interface QresyncParameter {
  /** The UIDVALIDITY the client last knew. */
  readonly uidValidity: number;
  /** The last known HIGHESTMODSEQ. */
  readonly modseq: bigint;
  /** The UIDs the client knows, or null. */
  readonly knownUids: SequenceSet | null;
  /** Sample message numbers and the UIDs they had (`(seqs uids)`), or null. */
  readonly seqMatch: { readonly sequences: SequenceSet; readonly uids: SequenceSet } | null;
}
/** `SELECT|EXAMINE mailbox [(CONDSTORE | QRESYNC (...))]` (RFC 7162). */
export interface SelectCommand {
  readonly tag: string;
  readonly command: 'SELECT' | 'EXAMINE';
  readonly mailbox: string;
  /** The CONDSTORE parameter (RFC 7162 3.1.8). */
  readonly condstore?: boolean;
  /** The QRESYNC parameter (RFC 7162 3.2.5). */
  readonly qresync?: QresyncParameter;
}
/** `CREATE mailbox [(USE (special-use...))]` (RFC 6154 5.2). */
export interface CreateCommand {
  readonly tag: string;
  readonly command: 'CREATE';
  readonly mailbox: string;
  /** Special-use attributes to give the new mailbox, e.g. `['\\Drafts']`. */
  readonly use?: readonly string[];
}
/** Commands taking one mailbox name and nothing else. */
export interface MailboxCommand {
  readonly tag: string;
  readonly command: 'DELETE' | 'SUBSCRIBE' | 'UNSUBSCRIBE' | 'GETQUOTAROOT' | 'MYRIGHTS' | 'GETACL';
  readonly mailbox: string;
}
/** `RENAME from to`. */
export interface RenameCommand {
  readonly tag: string;
  readonly command: 'RENAME';
  readonly from: string;
  readonly to: string;
}
/** A LIST selection option (RFC 5258 3.1, RFC 6154 SPECIAL-USE). */
export type ListSelectionOption = 'SUBSCRIBED' | 'REMOTE' | 'RECURSIVEMATCH' | 'SPECIAL-USE';
/** A LIST return option (RFC 5258 3.2, RFC 5819 STATUS, RFC 6154 SPECIAL-USE, RFC 8440 MYRIGHTS). */
export type ListReturnOption = 'SUBSCRIBED' | 'CHILDREN' | 'SPECIAL-USE' | 'MYRIGHTS' | { readonly status: readonly string[] };
/**
 * `LIST [(selection)] reference pattern(s) [RETURN (options)]` (RFC 5258) and
 * `LSUB reference pattern`.
 */
export interface ListCommand {
  readonly tag: string;
  readonly command: 'LIST' | 'LSUB';
  readonly reference: string;
  /** One pattern, or several in the parenthesised form `("INBOX" "Drafts")` (LIST-EXTENDED). */
  readonly pattern: string | readonly string[];
  /** Selection options (may be an empty list `()`); LIST only. */
  readonly selection?: readonly ListSelectionOption[];
  /** RETURN options (may be empty); LIST only. */
  readonly returnOptions?: readonly ListReturnOption[];
}
/** `STATUS mailbox (items)`. */
export interface StatusCommand {
  readonly tag: string;
  readonly command: 'STATUS';
  readonly mailbox: string;
  readonly items: readonly string[];
}
/** One message of an APPEND given as one literal. */
export interface AppendLiteralMessage {
  readonly flags: readonly string[] | null;
  /** date-time as written, e.g. ` 7-Feb-1994 21:52:25 -0800` (see `formatImapDateTime`). */
  readonly date: string | null;
  /**
   * The message. On the server side, a message above `CommandParser`'s `appendStreamThreshold`
   * is a stand-in: its octets came before the command as `literal-chunk` items.
   */
  readonly message: Uint8Array | StreamedCommandLiteral;
  /** Sent as literal8 (`~{n}`, RFC 3516 BINARY). */
  readonly binary: boolean;
}
/** A part of a CATENATE message (RFC 4469 5): literal text, or an IMAP URL the server fetches. */
export type CatenatePart = { readonly type: 'text'; readonly data: Uint8Array | StreamedCommandLiteral } | { readonly type: 'url'; readonly url: string };
/** One message of an APPEND built by the server from parts (`CATENATE (...)`, RFC 4469). */
export interface AppendCatenateMessage {
  readonly flags: readonly string[] | null;
  readonly date: string | null;
  /** At least one part. */
  readonly catenate: readonly CatenatePart[];
}
/** One message of an APPEND (or REPLACE). */
export type AppendMessage = AppendLiteralMessage | AppendCatenateMessage;
/** `APPEND mailbox [(flags)] [date-time] literal`, several messages with MULTIAPPEND (RFC 3502). */
export interface AppendCommand {
  readonly tag: string;
  readonly command: 'APPEND';
  readonly mailbox: string;
  /** At least one message. */
  readonly messages: readonly AppendMessage[];
}
/** `[UID] REPLACE number mailbox message` (RFC 8508): APPEND the message, then expunge the one it replaces. */
export interface ReplaceCommand {
  readonly tag: string;
  readonly command: 'REPLACE';
  readonly uid: boolean;
  /** The sequence number (or UID with `uid`) of the message replaced. */
  readonly number: number;
  readonly mailbox: string;
  readonly message: AppendMessage;
}
/** `[UID] FETCH set items [(CHANGEDSINCE n [VANISHED])]`. */
export interface FetchCommand {
  readonly tag: string;
  readonly command: 'FETCH';
  readonly uid: boolean;
  readonly set: SequenceSetOrSaved;
  /** The items; a macro (ALL, FAST, FULL) only alone. Wire names via `formatFetchItem`. */
  readonly items: readonly FetchItem[];
  /** CHANGEDSINCE modifier (RFC 7162 3.1.4.1). */
  readonly changedSince?: bigint;
  /** VANISHED modifier (RFC 7162 3.2.6; UID FETCH with CHANGEDSINCE only). */
  readonly vanished?: boolean;
}
/** `[UID] STORE set [(UNCHANGEDSINCE n)] [+|-]FLAGS[.SILENT] (flags)`. */
export interface StoreCommand {
  readonly tag: string;
  readonly command: 'STORE';
  readonly uid: boolean;
  readonly set: SequenceSetOrSaved;
  readonly operation: 'set' | 'add' | 'remove';
  readonly silent: boolean;
  readonly flags: readonly string[];
  /** UNCHANGEDSINCE modifier (RFC 7162), or null. */
  readonly unchangedSince: bigint | null;
}
/** `[UID] COPY|MOVE set mailbox`. */
export interface CopyCommand {
  readonly tag: string;
  readonly command: 'COPY' | 'MOVE';
  readonly uid: boolean;
  readonly set: SequenceSetOrSaved;
  readonly mailbox: string;
}
/** `[UID] SEARCH [RETURN (opts)] [CHARSET cs] criteria`. */
export interface SearchCommand {
  readonly tag: string;
  readonly command: 'SEARCH';
  readonly uid: boolean;
  /** ESEARCH result options (RFC 4731, RFC 9051); `[]` is `RETURN ()`. */
  readonly returnOptions?: readonly SearchReturnOption[];
  /** CHARSET, or null when not given. */
  readonly charset: string | null;
  /** The keys, ANDed (at least one). */
  readonly criteria: readonly SearchKey[];
}
/** A SORT criterion (RFC 5256; DISPLAYFROM / DISPLAYTO are RFC 5957). */
export interface SortCriterion {
  readonly key: 'ARRIVAL' | 'CC' | 'DATE' | 'FROM' | 'SIZE' | 'SUBJECT' | 'TO' | 'DISPLAYFROM' | 'DISPLAYTO';
  readonly reverse: boolean;
}
/** `[UID] SORT [RETURN (opts)] (criteria) charset search-criteria` (RFC 5256, RFC 5267 ESORT). */
export interface SortCommand {
  readonly tag: string;
  readonly command: 'SORT';
  readonly uid: boolean;
  readonly returnOptions?: readonly SearchReturnOption[];
  readonly sort: readonly SortCriterion[];
  readonly charset: string;
  readonly criteria: readonly SearchKey[];
}
/** `[UID] THREAD algorithm charset search-criteria` (RFC 5256: ORDEREDSUBJECT, REFERENCES; others as their atom). */
export interface ThreadCommand {
  readonly tag: string;
  readonly command: 'THREAD';
  readonly uid: boolean;
  readonly algorithm: string;
  readonly charset: string;
  readonly criteria: readonly SearchKey[];
}
/** `UID EXPUNGE set` (RFC 4315). */
export interface UidExpungeCommand {
  readonly tag: string;
  readonly command: 'UID EXPUNGE';
  readonly set: SequenceSetOrSaved;
}
/** `ID (params)` / `ID NIL` (RFC 2971). */
export interface IdCommand {
  readonly tag: string;
  readonly command: 'ID';
  readonly params: Readonly<Record<string, string | null>> | null;
}
/** `GETQUOTA root` (RFC 9208 4.2). */
export interface GetQuotaCommand {
  readonly tag: string;
  readonly command: 'GETQUOTA';
  readonly root: string;
}
/** `SETQUOTA root (resource limit ...)` (RFC 9208 4.4). */
export interface SetQuotaCommand {
  readonly tag: string;
  readonly command: 'SETQUOTA';
  readonly root: string;
  /** Resource names (STORAGE, MESSAGE, MAILBOX, ANNOTATION-STORAGE ...) and limits. */
  readonly limits: readonly { readonly resource: string; readonly limit: number }[];
}
/** `SETACL mailbox identifier [+|-]rights` (RFC 4314 3.1). */
export interface SetAclCommand {
  readonly tag: string;
  readonly command: 'SETACL';
  readonly mailbox: string;
  readonly identifier: string;
  /** Replace the rights, add to them (`+`) or remove from them (`-`). */
  readonly mode: 'set' | 'add' | 'remove';
  readonly rights: string;
}
/** `DELETEACL mailbox identifier` and `LISTRIGHTS mailbox identifier` (RFC 4314 3.2, 3.4). */
export interface AclIdentifierCommand {
  readonly tag: string;
  readonly command: 'DELETEACL' | 'LISTRIGHTS';
  readonly mailbox: string;
  readonly identifier: string;
}
/** `GETMETADATA [(MAXSIZE n DEPTH d)] mailbox entries` (RFC 5464 4.2). */
export interface GetMetadataCommand {
  readonly tag: string;
  readonly command: 'GETMETADATA';
  /** The mailbox, or `''` for server annotations. */
  readonly mailbox: string;
  /** One entry is written bare, several in parentheses. */
  readonly entries: readonly string[];
  readonly maxSize: number | null;
  readonly depth: '0' | '1' | 'infinity' | null;
}
/** `SETMETADATA mailbox (entry value ...)` (RFC 5464 4.3); a null value removes the entry. */
export interface SetMetadataCommand {
  readonly tag: string;
  readonly command: 'SETMETADATA';
  readonly mailbox: string;
  readonly entries: readonly { readonly entry: string; readonly value: Uint8Array | null }[];
}
/** `COMPRESS mechanism` (RFC 4978; DEFLATE is the one defined). */
export interface CompressCommand {
  readonly tag: string;
  readonly command: 'COMPRESS';
  readonly mechanism: string;
}
/**
 * One mailbox filter (RFC 5465 6 `filter-mailboxes`, RFC 7377 `subtree-one`): the selected
 * mailbox, a named set, or listed mailboxes (and for subtree, their children).
 */
export type FilterMailboxes =
  | { readonly kind: 'selected' | 'selected-delayed' | 'inboxes' | 'personal' | 'subscribed' }
  | { readonly kind: 'subtree' | 'subtree-one' | 'mailboxes'; readonly mailboxes: readonly string[] };
/** A scope option of an ESEARCH source (RFC 7377 2: `scope-option-name [SP scope-option-value]`); the value as its wire text. */
export interface EsearchScopeOption {
  readonly name: string;
  /** tagged-ext-val as written (e.g. `1:5`, `(a b)`), or null. */
  readonly value: string | null;
}
/** `ESEARCH [IN (sources [(scope)])] [RETURN (opts)] [CHARSET cs] criteria` (RFC 7377 MULTISEARCH). */
export interface EsearchCommand {
  readonly tag: string;
  readonly command: 'ESEARCH';
  /** The mailboxes to search (`IN (...)`), or null for the selected one. */
  readonly source: { readonly mailboxes: readonly FilterMailboxes[]; readonly scope: readonly EsearchScopeOption[] } | null;
  readonly returnOptions?: readonly SearchReturnOption[];
  readonly charset: string | null;
  readonly criteria: readonly SearchKey[];
}
/** One NOTIFY event (RFC 5465 5): `MessageNew` may carry FETCH items to send with it. */
export interface NotifyEvent {
  /** MessageNew, MessageExpunge, FlagChange, AnnotationChange, MailboxName, SubscriptionChange, MailboxMetadataChange, ServerMetadataChange, or an extension atom. */
  readonly name: string;
  /** For MessageNew: the fetch-att list, when given. */
  readonly fetch?: readonly FetchItem[];
}
/** `(filter-mailboxes events)`: the events to report for some mailboxes; null events is `NONE`. */
export interface NotifyEventGroup {
  readonly mailboxes: FilterMailboxes;
  readonly events: readonly NotifyEvent[] | null;
}
/** `NOTIFY NONE` / `NOTIFY SET [STATUS] groups` (RFC 5465 3). */
export interface NotifyCommand {
  readonly tag: string;
  readonly command: 'NOTIFY';
  /** The event groups, or null for `NOTIFY NONE`. */
  readonly groups: readonly NotifyEventGroup[] | null;
  /** `SET STATUS`: send STATUS for the mailboxes first. */
  readonly status: boolean;
}
/** `UIDBATCHES batch-size [low:high]` (RFC 10022): UID ranges that cut the mailbox into batches. */
export interface UidBatchesCommand {
  readonly tag: string;
  readonly command: 'UIDBATCHES';
  /** Messages per batch. */
  readonly size: number;
  /** Which batches (1-based, `[first, last]`), or null for all. */
  readonly batches: readonly [number, number] | null;
}
/** `GENURLAUTH (url mechanism)...` (RFC 4467 7.1): authorized URLs for the given URL rumps. */
export interface GenUrlAuthCommand {
  readonly tag: string;
  readonly command: 'GENURLAUTH';
  /** At least one; `mechanism` is INTERNAL or another registered name. */
  readonly urls: readonly { readonly rump: string; readonly mechanism: string }[];
}
/** `RESETKEY [mailbox [mechanism...]]` (RFC 4467 7.2). */
export interface ResetKeyCommand {
  readonly tag: string;
  readonly command: 'RESETKEY';
  /** The mailbox whose access keys change, or null for all. */
  readonly mailbox: string | null;
  readonly mechanisms: readonly string[];
}
/** `URLFETCH url...` (RFC 4467 7.3). */
export interface UrlFetchCommand {
  readonly tag: string;
  readonly command: 'URLFETCH';
  readonly urls: readonly string[];
}
/** An argument text that followed a literal of an unknown command. */
export interface UnknownCommandLiteral {
  /** The literal's octets (the same field name as an unknown response's literal). */
  readonly octets: Uint8Array;
  /** It was a `~{n}` literal8. */
  readonly binary: boolean;
  /** The text that followed the literal (up to the next literal or the end). */
  readonly text: string;
}
/**
 * Any other command, kept losslessly: the argument text up to the first literal, and each
 * literal with the text after it. `encodeCommand` writes it back the same way.
 */
export interface UnknownCommand {
  readonly tag: string;
  readonly command: 'UNKNOWN';
  readonly name: string;
  readonly text: string;
  /** The literals the command carried, when it carried any. */
  readonly literals?: readonly UnknownCommandLiteral[];
}

/** Every IMAP command value. */
export type Command =
  | SimpleCommand
  | LoginCommand
  | AuthenticateCommand
  | EnableCommand
  | SelectCommand
  | CreateCommand
  | MailboxCommand
  | RenameCommand
  | ListCommand
  | StatusCommand
  | AppendCommand
  | FetchCommand
  | StoreCommand
  | CopyCommand
  | SearchCommand
  | SortCommand
  | ThreadCommand
  | UidExpungeCommand
  | IdCommand
  | GetQuotaCommand
  | SetQuotaCommand
  | SetAclCommand
  | AclIdentifierCommand
  | GetMetadataCommand
  | SetMetadataCommand
  | CompressCommand
  | ReplaceCommand
  | EsearchCommand
  | NotifyCommand
  | UidBatchesCommand
  | GenUrlAuthCommand
  | ResetKeyCommand
  | UrlFetchCommand
  | UnknownCommand;

