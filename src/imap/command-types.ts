/**
 * IMAP command value types (RFC 3501 6, RFC 9051 6 and extensions). Every command has its
 * `tag` and is discriminated by `command` (upper-case). `uid` marks the UID variants of
 * FETCH, STORE, COPY, MOVE, SEARCH and EXPUNGE.
 *
 * @packageDocumentation
 */

import type { SequenceSet } from './sequence-set';

/** Commands without arguments. */
export interface SimpleCommand {
  readonly tag: string;
  readonly command: 'CAPABILITY' | 'NOOP' | 'LOGOUT' | 'STARTTLS' | 'IDLE' | 'CHECK' | 'CLOSE' | 'UNSELECT' | 'NAMESPACE' | 'EXPUNGE';
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
/** Commands taking one mailbox name. SELECT/EXAMINE may carry parameters (CONDSTORE, QRESYNC ...) kept as raw text. */
export interface MailboxCommand {
  readonly tag: string;
  readonly command: 'SELECT' | 'EXAMINE' | 'CREATE' | 'DELETE' | 'SUBSCRIBE' | 'UNSUBSCRIBE' | 'GETQUOTAROOT' | 'MYRIGHTS' | 'GETACL';
  readonly mailbox: string;
  /** The parenthesised parameters after the name, without the parentheses ('' when none). */
  readonly params: string;
}
/** `RENAME from to`. */
export interface RenameCommand {
  readonly tag: string;
  readonly command: 'RENAME';
  readonly from: string;
  readonly to: string;
}
/** `LIST reference pattern` / `LSUB reference pattern` (selection and RETURN options kept raw). */
export interface ListCommand {
  readonly tag: string;
  readonly command: 'LIST' | 'LSUB';
  readonly reference: string;
  readonly pattern: string;
}
/** `STATUS mailbox (items)`. */
export interface StatusCommand {
  readonly tag: string;
  readonly command: 'STATUS';
  readonly mailbox: string;
  readonly items: readonly string[];
}
/** `APPEND mailbox [(flags)] [date-time] literal`. */
export interface AppendCommand {
  readonly tag: string;
  readonly command: 'APPEND';
  readonly mailbox: string;
  readonly flags: readonly string[] | null;
  readonly date: string | null;
  readonly message: Uint8Array;
  /** Sent as literal8 (`~{n}`, RFC 3516 BINARY). */
  readonly binary: boolean;
}
/** `[UID] FETCH set items` — items as the names sent (macros ALL/FAST/FULL kept as one name). */
export interface FetchCommand {
  readonly tag: string;
  readonly command: 'FETCH';
  readonly uid: boolean;
  readonly set: SequenceSet;
  readonly items: readonly string[];
  /** Modifiers after the items, e.g. `CHANGEDSINCE 12345 VANISHED`, as raw text ('' when none). */
  readonly modifiers: string;
}
/** `[UID] STORE set [+|-]FLAGS[.SILENT] (flags)`. */
export interface StoreCommand {
  readonly tag: string;
  readonly command: 'STORE';
  readonly uid: boolean;
  readonly set: SequenceSet;
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
  readonly set: SequenceSet;
  readonly mailbox: string;
}
/** `[UID] SEARCH criteria` — the criteria kept as raw text for now. */
export interface SearchCommand {
  readonly tag: string;
  readonly command: 'SEARCH';
  readonly uid: boolean;
  readonly criteria: string;
}
/** `UID EXPUNGE set` (RFC 4315). */
export interface UidExpungeCommand {
  readonly tag: string;
  readonly command: 'UID EXPUNGE';
  readonly set: SequenceSet;
}
/** `ID (params)` / `ID NIL` (RFC 2971). */
export interface IdCommand {
  readonly tag: string;
  readonly command: 'ID';
  readonly params: Readonly<Record<string, string | null>> | null;
}
/** Any other command, kept with its argument text. */
export interface UnknownCommand {
  readonly tag: string;
  readonly command: 'UNKNOWN';
  readonly name: string;
  readonly text: string;
}

/** Every IMAP command value. */
export type Command =
  | SimpleCommand
  | LoginCommand
  | AuthenticateCommand
  | EnableCommand
  | MailboxCommand
  | RenameCommand
  | ListCommand
  | StatusCommand
  | AppendCommand
  | FetchCommand
  | StoreCommand
  | CopyCommand
  | SearchCommand
  | UidExpungeCommand
  | IdCommand
  | UnknownCommand;

/** One piece of an encoded command: bytes to send, and whether to wait for a `+` continuation after them. */
export interface CommandFragment {
  readonly data: Uint8Array;
  /** True after a synchronizing literal announcement: send nothing more until the server says `+`. */
  readonly waitForContinuation: boolean;
}
