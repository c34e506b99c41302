/**
 * IMAP commands (RFC 3501 6, RFC 9051 6 and extensions): one table, {@link COMMANDS}, maps
 * each command name to its reader, its writer and the connection states it is valid in. The
 * readers pull typed values straight from the bytes of a framed command (see
 * `CommandReader`); `encodeCommand` writes fragments that respect literal flow control.
 *
 * @packageDocumentation
 */

import { ProtocolError } from '../core/errors';
import { readAppend, readReplace, writeAppend, writeReplace } from './append';
import { readAclIdentifier, readGetMetadata, readGetQuota, readSetAcl, readSetMetadata, readSetQuota, writeAclIdentifier, writeGetMetadata, writeGetQuota, writeSetAcl, writeSetMetadata, writeSetQuota } from './command-admin';
import { readCreate, readList, readMailboxOnly, readRename, readSelect, readStatus, writeCreate, writeList, writeMailboxOnly, writeRename, writeSelect, writeStatus } from './command-mailbox';
import { readCopy, readExpunge, readFetch, readStore, writeCopy, writeExpunge, writeFetch, writeStore } from './command-message';
import { CommandReader, type CommandReaderOptions } from './command-reader';
import { frameUnit } from './framer';
import type { FramedUnit } from './syntax';
import { readAuthenticate, readCompress, readEnable, readId, readLogin, readSimple, writeAuthenticate, writeCompress, writeEnable, writeId, writeLogin, writeSimple, type CommandHead } from './command-session';
import type { Command, UnknownCommand, UnknownCommandLiteral } from './command-types';
import { CommandWriter, atomOrThrow, type CommandFragment, type EncodeCommandOptions } from './command-writer';
import { readNotify, writeNotify } from './notify';
import { readEsearch, readSearch, readSort, readThread, writeEsearch, writeSearch, writeSort, writeThread } from './search-commands';
import { isValidTag } from './tag';
import { readUidBatches, writeUidBatches } from './uidbatches';
import { readGenUrlAuth, readResetKey, readUrlFetch, writeGenUrlAuth, writeResetKey, writeUrlFetch } from './urlauth';

export type { EncodeCommandOptions } from './command-writer';

/** A connection state a command can be valid in (RFC 9051 3). */
export type CommandState = 'not-authenticated' | 'authenticated' | 'selected';

/** One row of {@link COMMANDS}. */
export interface CommandSpec {
  /** The states the command is valid in. */
  readonly states: readonly CommandState[];
  /** The command also has a `UID` form (`UID FETCH` ...). */
  readonly uid: boolean;
  /** Reads the arguments after the name (the reader stands right after it). */
  readonly read: (r: CommandReader, head: CommandHead) => Command;
  /** Writes the command from its name on (the `UID ` prefix included). */
  readonly write: (w: CommandWriter, c: Command) => void;
}

const ANY: readonly CommandState[] = ['not-authenticated', 'authenticated', 'selected'];
const NOT_AUTH: readonly CommandState[] = ['not-authenticated'];
const AUTH: readonly CommandState[] = ['authenticated', 'selected'];
/** RFC 5161 3.1 / RFC 9051 6.3.1: ENABLE only before a mailbox is selected. */
const AUTH_ONLY: readonly CommandState[] = ['authenticated'];
const SELECTED: readonly CommandState[] = ['selected'];

function spec<C extends Command>(states: readonly CommandState[], read: (r: CommandReader, h: CommandHead) => C, write: (w: CommandWriter, c: C) => void, uid = false): CommandSpec {
  return { states, uid, read, write: write as (w: CommandWriter, c: Command) => void };
}

/**
 * Every command mailwire reads and writes, by wire name: its reader, its writer and the states
 * it is valid in. Client and server sessions derive their state rules from it (see
 * {@link commandAllowedIn}); the `mailwire/testing` command arbitrary is checked against it.
 */
export const COMMANDS: Readonly<Record<string, CommandSpec>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, CommandSpec>, {
    CAPABILITY: spec(ANY, readSimple, writeSimple),
    NOOP: spec(ANY, readSimple, writeSimple),
    LOGOUT: spec(ANY, readSimple, writeSimple),
    ID: spec(ANY, readId, writeId),
    STARTTLS: spec(NOT_AUTH, readSimple, writeSimple),
    AUTHENTICATE: spec(NOT_AUTH, readAuthenticate, writeAuthenticate),
    LOGIN: spec(NOT_AUTH, readLogin, writeLogin),
    ENABLE: spec(AUTH_ONLY, readEnable, writeEnable),
    SELECT: spec(AUTH, readSelect, writeSelect),
    EXAMINE: spec(AUTH, readSelect, writeSelect),
    CREATE: spec(AUTH, readCreate, writeCreate),
    DELETE: spec(AUTH, readMailboxOnly, writeMailboxOnly),
    RENAME: spec(AUTH, readRename, writeRename),
    SUBSCRIBE: spec(AUTH, readMailboxOnly, writeMailboxOnly),
    UNSUBSCRIBE: spec(AUTH, readMailboxOnly, writeMailboxOnly),
    LIST: spec(AUTH, readList, writeList),
    LSUB: spec(AUTH, readList, writeList),
    NAMESPACE: spec(AUTH, readSimple, writeSimple),
    STATUS: spec(AUTH, readStatus, writeStatus),
    APPEND: spec(AUTH, readAppend, writeAppend),
    IDLE: spec(AUTH, readSimple, writeSimple),
    UNAUTHENTICATE: spec(AUTH, readSimple, writeSimple),
    COMPRESS: spec(AUTH, readCompress, writeCompress),
    GETQUOTAROOT: spec(AUTH, readMailboxOnly, writeMailboxOnly),
    GETQUOTA: spec(AUTH, readGetQuota, writeGetQuota),
    SETQUOTA: spec(AUTH, readSetQuota, writeSetQuota),
    MYRIGHTS: spec(AUTH, readMailboxOnly, writeMailboxOnly),
    GETACL: spec(AUTH, readMailboxOnly, writeMailboxOnly),
    SETACL: spec(AUTH, readSetAcl, writeSetAcl),
    DELETEACL: spec(AUTH, readAclIdentifier, writeAclIdentifier),
    LISTRIGHTS: spec(AUTH, readAclIdentifier, writeAclIdentifier),
    GETMETADATA: spec(AUTH, readGetMetadata, writeGetMetadata),
    SETMETADATA: spec(AUTH, readSetMetadata, writeSetMetadata),
    ESEARCH: spec(AUTH, readEsearch, writeEsearch),
    NOTIFY: spec(AUTH, readNotify, writeNotify),
    GENURLAUTH: spec(AUTH, readGenUrlAuth, writeGenUrlAuth),
    RESETKEY: spec(AUTH, readResetKey, writeResetKey),
    URLFETCH: spec(AUTH, readUrlFetch, writeUrlFetch),
    CHECK: spec(SELECTED, readSimple, writeSimple),
    CLOSE: spec(SELECTED, readSimple, writeSimple),
    UNSELECT: spec(SELECTED, readSimple, writeSimple),
    EXPUNGE: spec(SELECTED, readExpunge, writeExpunge, true),
    SEARCH: spec(SELECTED, readSearch, writeSearch, true),
    SORT: spec(SELECTED, readSort, writeSort, true),
    THREAD: spec(SELECTED, readThread, writeThread, true),
    FETCH: spec(SELECTED, readFetch, writeFetch, true),
    STORE: spec(SELECTED, readStore, writeStore, true),
    COPY: spec(SELECTED, readCopy, writeCopy, true),
    MOVE: spec(SELECTED, readCopy, writeCopy, true),
    REPLACE: spec(SELECTED, readReplace, writeReplace, true),
    UIDBATCHES: spec(SELECTED, readUidBatches, writeUidBatches),
  }),
);

const UID_EXPUNGE = spec(SELECTED, readExpunge, writeExpunge);

/** The table row of a command value's `command` (`UID EXPUNGE` included); undefined for UNKNOWN. */
function specOf(command: string): CommandSpec | undefined {
  return command === 'UID EXPUNGE' ? UID_EXPUNGE : COMMANDS[command];
}

/**
 * The states a command (a command value's `command`, e.g. `FETCH`, `UID EXPUNGE`, `UNKNOWN`) is
 * valid in. UNKNOWN commands are valid everywhere: the application decides about them.
 */
export function commandStates(command: string): readonly CommandState[] {
  return command === 'UNKNOWN' ? ANY : (specOf(command)?.states ?? ANY);
}

/**
 * True when `command` (a command value's `command`) is valid in `state` (RFC 9051 6); the
 * `logout` state allows nothing.
 *
 * @example
 * ```ts
 * import { imap } from 'mailwire';
 * imap.commandAllowedIn('FETCH', 'authenticated'); // false
 * imap.commandAllowedIn('LOGIN', 'not-authenticated'); // true
 * ```
 */
export function commandAllowedIn(command: string, state: CommandState | 'logout'): boolean {
  return state !== 'logout' && commandStates(command).includes(state);
}

/**
 * Encodes a command into fragments. Send each fragment's bytes in order; after a fragment
 * with `waitForContinuation`, wait for the server's `+` before sending the next one. Throws
 * TypeError (or RangeError) for a value that cannot be sent as it is.
 *
 * @example
 * ```ts
 * import { imap } from 'mailwire';
 * imap.encodeCommand({ tag: 'a1', command: 'LOGIN', user: 'fred', password: 'p w' });
 * // [{ data: bytes of 'a1 LOGIN fred "p w"\r\n', waitForContinuation: false }]
 * ```
 */
export function encodeCommand(cmd: Command, options: EncodeCommandOptions = {}): CommandFragment[] {
  const w = new CommandWriter(options);
  if (typeof cmd.tag !== 'string' || !isValidTag(cmd.tag)) throw new TypeError(`bad tag "${String(cmd.tag)}"`);
  w.raw(`${cmd.tag} `);
  if (cmd.command === 'UNKNOWN') writeUnknown(w, cmd);
  else {
    const s = typeof cmd.command === 'string' ? specOf(cmd.command) : undefined;
    if (!s) throw new TypeError(`unknown command ${String((cmd as { command: unknown }).command)}`);
    s.write(w, cmd);
  }
  return w.finish();
}

function writeUnknown(w: CommandWriter, c: UnknownCommand): void {
  atomOrThrow(c.name, 'command name');
  const up = c.name.toUpperCase();
  if (up === 'UID' || COMMANDS[up]) throw new TypeError(`an UNKNOWN command must not be named ${c.name}: that command is known`);
  w.raw(c.name);
  const literals = c.literals ?? [];
  if (c.text === '' && literals.length === 0) return;
  w.raw(' ').line(c.text, 'command text');
  for (const l of literals) w.literal(l.octets, l.binary).line(l.text, 'command text');
}

/** Options for parsing commands. */
export interface ParseCommandOptions extends CommandReaderOptions {}

/** The unknown command's arguments, losslessly (literals included). */
function readUnknown(r: CommandReader, h: CommandHead): UnknownCommand {
  if (!r.atEnd() && r.peek() !== 0x20 && r.peek() !== -1) throw r.error('expected SP after the command name');
  r.accept(0x20);
  const { text, literals } = r.rest();
  const out: UnknownCommand = { tag: h.tag, command: 'UNKNOWN', name: h.name, text };
  return literals.length > 0 ? { ...out, literals: literals as UnknownCommandLiteral[] } : out;
}

/**
 * command = tag SP (command-any / command-auth / command-nonauth / command-select) CRLF:
 * reads one framed command; a ProtocolError carrying the tag (when read) for bad ones.
 */
export function readCommand(unit: FramedUnit, options: ParseCommandOptions = {}): Command | ProtocolError {
  const r = new CommandReader(unit, options);
  let tag: string | undefined;
  try {
    const t = r.astringAtom();
    if (!isValidTag(t)) throw r.error('command must start with a tag');
    tag = t;
    r.sp();
    if (r.atLineEnd()) throw r.error('command name missing');
    let name = r.keyword();
    let uid = false;
    if (name === 'UID') {
      uid = true;
      r.sp();
      name = r.keyword();
    }
    const s = COMMANDS[name];
    if (uid && !s?.uid) throw r.error(`unknown command UID ${name.slice(0, 20)}`);
    const head = { tag, name, uid };
    return s ? s.read(r, head) : readUnknown(r, head);
  } catch (e) {
    const err = e instanceof ProtocolError ? e : new ProtocolError('SYNTAX', e instanceof Error ? e.message : String(e));
    return new ProtocolError(err.code, err.message, { offset: err.offset, tag });
  }
}

/** Parses one complete command (CRLFs and literals inline), e.g. for tests and tools. */
export function parseCommand(input: string | Uint8Array, options: ParseCommandOptions = {}): Command | ProtocolError {
  const unit = frameUnit(input);
  return unit instanceof ProtocolError ? unit : readCommand(unit, options);
}
