/**
 * IMAP response value types (RFC 3501 7, RFC 9051 7). A response is discriminated by
 * `type`: `tagged`, `untagged` or `continuation`; untagged data further by `kind`.
 *
 * @packageDocumentation
 */

import type { StreamedLiteral, Value } from './syntax';
import type { EsearchValue, ThreadNode } from './esearch';
import type { SequenceSet } from './sequence-set';
import type { StatusValue } from './status';
import type { UidBatch } from './uidbatches';

/** A response code `[NAME args]` (RFC 3501 7.1, RFC 5530, extensions). Typed fields for the known ones; `raw` always. */
export interface ResponseCode {
  /** Upper-case name, e.g. `UIDVALIDITY`. */
  readonly name: string;
  /** Everything after the name inside the brackets, as sent ('' when none). */
  readonly raw: string;
  /** CAPABILITY, PERMANENTFLAGS, BADCHARSET: the listed words. */
  readonly list?: readonly string[];
  /** UIDNEXT, UIDVALIDITY, UNSEEN, APPENDLIMIT... : the number. */
  readonly number?: number;
  /** HIGHESTMODSEQ: the 63-bit value. */
  readonly modseq?: bigint;
  /** APPENDUID / COPYUID: UIDVALIDITY and the UID sets (COPYUID has source and destination). */
  readonly uidValidity?: number;
  readonly uids?: SequenceSet;
  readonly sourceUids?: SequenceSet;
  /** MODIFIED: the set of messages that failed UNCHANGEDSINCE. */
  readonly set?: SequenceSet;
  /** BADURL (RFC 4469): the URL the server could not use. */
  readonly url?: string;
  /** METADATA (RFC 5464 4.2.1 / 4.3): which limit applied, with its number where one is sent. */
  readonly metadata?: MetadataCodeDetail;
  /** MAILBOXID (RFC 8474): the object id of the mailbox just created. */
  readonly objectId?: string;
}

/** The argument of a `[METADATA ...]` response code (RFC 5464). */
export interface MetadataCodeDetail {
  /** LONGENTRIES (GETMETADATA MAXSIZE hid values), MAXSIZE (value too large), TOOMANY, NOPRIVATE. */
  readonly kind: 'LONGENTRIES' | 'MAXSIZE' | 'TOOMANY' | 'NOPRIVATE';
  /** LONGENTRIES: size of the biggest value withheld; MAXSIZE: the largest size the server accepts. */
  readonly number?: number;
}

/** `tag OK|NO|BAD [code] text` — the completion of a command. */
export interface TaggedResponse {
  readonly type: 'tagged';
  readonly tag: string;
  readonly status: 'OK' | 'NO' | 'BAD';
  readonly code: ResponseCode | null;
  readonly text: string;
}

/** `+ text` or `+ base64` — a continuation request. */
export interface ContinuationResponse {
  readonly type: 'continuation';
  readonly code: ResponseCode | null;
  readonly text: string;
}

/**
 * The original octets of string fields that were not valid UTF-8, by field name (their text
 * fields hold a Latin-1 best effort). Present only when some field needed it; the encoder
 * writes these octets back instead of the text.
 */
export type RawStrings = Readonly<Record<string, Uint8Array>>;

/** An address in an ENVELOPE, lossless (RFC 3501 7.4.2). A group start has `host` null; a group end has `mailbox` null too. */
export interface Address {
  readonly name: string | null;
  readonly adl: string | null;
  readonly mailbox: string | null;
  readonly host: string | null;
  /** Octets of `name` / `adl` / `mailbox` / `host` that were not valid UTF-8. */
  readonly raw?: RawStrings;
}

/** ENVELOPE (RFC 3501 7.4.2). Strings are decoded as UTF-8; encoded words are left as sent (see `decodeEncodedWords`). */
export interface Envelope {
  readonly date: string | null;
  readonly subject: string | null;
  readonly from: readonly Address[] | null;
  readonly sender: readonly Address[] | null;
  readonly replyTo: readonly Address[] | null;
  readonly to: readonly Address[] | null;
  readonly cc: readonly Address[] | null;
  readonly bcc: readonly Address[] | null;
  readonly inReplyTo: string | null;
  readonly messageId: string | null;
  /** Octets of `date` / `subject` / `inReplyTo` / `messageId` that were not valid UTF-8 (a Latin-1 subject literal). */
  readonly raw?: RawStrings;
}

/** Content-Disposition from BODYSTRUCTURE extension data. */
export interface Disposition {
  readonly type: string;
  readonly params: Readonly<Record<string, string>>;
  /** Octets of parameter values that were not valid UTF-8, by parameter name. */
  readonly rawParams?: RawStrings;
}

/** One part of a BODYSTRUCTURE (RFC 3501 7.4.2 body). */
export type BodyStructure = SinglePart | MultiPart;

/** A non-multipart body part. */
export interface SinglePart {
  readonly kind: 'single';
  /** IMAP part number: "1", "1.2" ... ("1" for a single-part message). */
  readonly part: string;
  /** Upper-case media type and subtype. */
  readonly type: string;
  readonly subtype: string;
  readonly params: Readonly<Record<string, string>>;
  readonly id: string | null;
  readonly description: string | null;
  readonly encoding: string | null;
  readonly size: number;
  /** TEXT parts (and MESSAGE/RFC822): body size in lines. */
  readonly lines?: number;
  /** MESSAGE/RFC822 (and MESSAGE/GLOBAL): the embedded message's envelope and body. */
  readonly envelope?: Envelope;
  readonly body?: BodyStructure;
  readonly md5?: string | null;
  readonly disposition?: Disposition | null;
  readonly language?: readonly string[] | null;
  readonly location?: string | null;
  /** body-extension data after the location (RFC 3501 7.4.2: for future extensions), as read. */
  readonly extensions?: readonly Value[];
  /** Octets of parameter values that were not valid UTF-8 (a Latin-1 filename `G\xF6r\xFCnt\xFC1`), by parameter name. */
  readonly rawParams?: RawStrings;
  /** Octets of `id` / `description` / `md5` / `location` that were not valid UTF-8. */
  readonly raw?: RawStrings;
}

/** A multipart body. */
export interface MultiPart {
  readonly kind: 'multipart';
  /** Part number of the multipart itself ('' at the top level). */
  readonly part: string;
  readonly subtype: string;
  readonly parts: readonly BodyStructure[];
  readonly params?: Readonly<Record<string, string>>;
  readonly disposition?: Disposition | null;
  readonly language?: readonly string[] | null;
  readonly location?: string | null;
  /** body-extension data after the location, as read. */
  readonly extensions?: readonly Value[];
  /** Octets of parameter values that were not valid UTF-8, by parameter name. */
  readonly rawParams?: RawStrings;
}

/** A body section value of FETCH: `BODY[section]<origin>`, `BINARY[...]`, `RFC822`, `RFC822.HEADER`, `RFC822.TEXT`. */
export interface BodySection {
  /** The item name as sent, upper-cased, e.g. `BODY[HEADER.FIELDS (SUBJECT)]`. */
  readonly name: string;
  /** The section text inside the brackets ('' for `BODY[]`). */
  readonly section: string;
  /** `<origin>` of a partial fetch, or null. */
  readonly origin: number | null;
  /** The octets, null for NIL, or a marker when the literal was streamed as chunk items. */
  readonly data: Uint8Array | StreamedLiteral | null;
}

/** FETCH attributes (RFC 3501 7.4.2 and extensions). Unknown attributes stay in `other`. */
export interface FetchAttributes {
  readonly flags?: readonly string[];
  readonly uid?: number;
  /** INTERNALDATE as sent. */
  readonly internalDateText?: string;
  /** INTERNALDATE parsed (null when unparseable). */
  readonly internalDate?: Date | null;
  readonly rfc822Size?: number;
  readonly envelope?: Envelope;
  /** BODYSTRUCTURE (or BODY without a section). */
  readonly bodyStructure?: BodyStructure;
  /** BODY[...], BINARY[...], RFC822, RFC822.HEADER, RFC822.TEXT, in order. */
  readonly sections?: readonly BodySection[];
  /** BINARY.SIZE[section] values by section. */
  readonly binarySizes?: Readonly<Record<string, number>>;
  readonly modseq?: bigint;
  readonly emailId?: string;
  readonly threadId?: string | null;
  readonly saveDate?: string | null;
  readonly preview?: string | null;
  readonly gmailMessageId?: bigint;
  readonly gmailThreadId?: bigint;
  readonly gmailLabels?: readonly string[];
  /** Attributes mailwire does not model: name -> raw lexer value. */
  readonly other?: Readonly<Record<string, unknown>>;
}

/** The untagged data mailwire models; anything else is `unknown` with its raw text. */
export type UntaggedData =
  | { readonly kind: 'OK' | 'NO' | 'BAD' | 'PREAUTH' | 'BYE'; readonly code: ResponseCode | null; readonly text: string }
  | { readonly kind: 'CAPABILITY' | 'ENABLED'; readonly capabilities: readonly string[] }
  | { readonly kind: 'FLAGS'; readonly flags: readonly string[] }
  | { readonly kind: 'LIST' | 'LSUB'; readonly attributes: readonly string[]; readonly delimiter: string | null; readonly mailbox: string; readonly extended: Readonly<Record<string, unknown>> }
  | { readonly kind: 'STATUS'; readonly mailbox: string; readonly attributes: Readonly<Record<string, StatusValue>> }
  | { readonly kind: 'SEARCH' | 'SORT'; readonly numbers: readonly number[]; readonly modseq: bigint | null }
  | { readonly kind: 'ESEARCH'; readonly tag: string | null; readonly uid: boolean; readonly results: Readonly<Record<string, EsearchValue>> }
  | { readonly kind: 'THREAD'; readonly threads: readonly ThreadNode[] }
  /** RFC 10022 UIDBATCHES: the batches for the command tagged `tag`, highest UIDs first. */
  | { readonly kind: 'UIDBATCHES'; readonly tag: string; readonly ranges: readonly UidBatch[] }
  | { readonly kind: 'EXISTS' | 'RECENT' | 'EXPUNGE'; readonly number: number }
  | { readonly kind: 'VANISHED'; readonly earlier: boolean; readonly uids: SequenceSet }
  | { readonly kind: 'FETCH'; readonly seq: number; readonly attributes: FetchAttributes }
  /** RFC 9586 UIDONLY: `* 3 UIDFETCH (...)`, where the number is the message's UID. */
  | { readonly kind: 'UIDFETCH'; readonly uid: number; readonly attributes: FetchAttributes }
  | { readonly kind: 'NAMESPACE'; readonly personal: readonly NamespaceEntry[] | null; readonly otherUsers: readonly NamespaceEntry[] | null; readonly shared: readonly NamespaceEntry[] | null }
  | { readonly kind: 'QUOTA'; readonly root: string; readonly resources: readonly { readonly name: string; readonly usage: number; readonly limit: number }[] }
  | { readonly kind: 'QUOTAROOT'; readonly mailbox: string; readonly roots: readonly string[] }
  | { readonly kind: 'ID'; readonly params: Readonly<Record<string, string | null>> | null }
  /** RFC 4314 ACL: identifier -> rights. */
  | { readonly kind: 'ACL'; readonly mailbox: string; readonly rights: readonly { readonly identifier: string; readonly rights: string }[] }
  /** RFC 4314 LISTRIGHTS: always-granted rights, then the optional groups. */
  | { readonly kind: 'LISTRIGHTS'; readonly mailbox: string; readonly identifier: string; readonly required: string; readonly optional: readonly string[] }
  /** RFC 4314 MYRIGHTS. */
  | { readonly kind: 'MYRIGHTS'; readonly mailbox: string; readonly rights: string }
  /** RFC 5464 METADATA: entries with values (NIL = no value), or entry names only (unsolicited). */
  | { readonly kind: 'METADATA'; readonly mailbox: string; readonly entries: readonly { readonly entry: string; readonly value: Uint8Array | null }[] | null; readonly names: readonly string[] | null }
  /** Any other response, e.g. `* NOOP` or `* 99 XFOO bar`: the number before the name (if any) and the text after it. */
  | { readonly kind: 'UNKNOWN'; readonly name: string; readonly text: string; readonly number?: number; readonly literals?: readonly UnknownLiteral[] };

/**
 * A literal inside an unknown response (`* XFOO {3}\r\nabc`): its octets (or the streamed
 * marker), whether it was a literal8, and the text of the line that followed it. The response's
 * `text` then ends where the first literal announcement began.
 */
export interface UnknownLiteral {
  readonly octets: Uint8Array | StreamedLiteral;
  readonly binary: boolean;
  readonly text: string;
}

/** One namespace `(prefix delimiter)` (RFC 2342). */
export interface NamespaceEntry {
  readonly prefix: string;
  readonly delimiter: string | null;
  /** Namespace-Response-Extensions (RFC 2342 `"X-PARAM" ("FLAG1" "FLAG2")`, RFC 5255 `"TRANSLATION" ("name")`), names upper-cased. */
  readonly extensions?: Readonly<Record<string, readonly string[]>>;
}

/** `* ...` — server data. */
export type UntaggedResponse = { readonly type: 'untagged' } & UntaggedData;

/** Any IMAP server response. */
export type Response = TaggedResponse | UntaggedResponse | ContinuationResponse;
