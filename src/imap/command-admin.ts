/**
 * Readers and writers of the mailbox administration commands: QUOTA (RFC 9208), ACL
 * (RFC 4314) and METADATA (RFC 5464).
 *
 * @packageDocumentation
 */

import type { CommandReader } from './command-reader';
import type { CommandWriter } from './command-writer';
import type { CommandHead } from './command-session';
import type { AclIdentifierCommand, GetMetadataCommand, GetQuotaCommand, SetAclCommand, SetMetadataCommand, SetQuotaCommand } from './command-types';

/** getquota = "GETQUOTA" SP quota-root-name; quota-root-name = astring (RFC 9208 8). */
export function readGetQuota(r: CommandReader, h: CommandHead): GetQuotaCommand {
  r.sp();
  const root = r.astring();
  r.end(h.name);
  return { tag: h.tag, command: 'GETQUOTA', root };
}

/** Writes GETQUOTA. */
export function writeGetQuota(w: CommandWriter, c: GetQuotaCommand): void {
  w.raw('GETQUOTA ').string(c.root);
}

/** setquota = "SETQUOTA" SP quota-root-name SP setquota-list; setquota-list = "(" [setquota-resource *(SP setquota-resource)] ")"; setquota-resource = resource-name SP resource-limit. */
export function readSetQuota(r: CommandReader, h: CommandHead): SetQuotaCommand {
  r.sp();
  const root = r.astring();
  r.sp();
  const limits = r.parenList(
    () => {
      const resource = r.keyword();
      r.sp();
      return { resource, limit: r.numberIn('a quota limit', Number.MAX_SAFE_INTEGER) };
    },
    'the SETQUOTA limits',
    true,
  );
  r.end(h.name);
  return { tag: h.tag, command: 'SETQUOTA', root, limits };
}

/** Writes SETQUOTA. */
export function writeSetQuota(w: CommandWriter, c: SetQuotaCommand): void {
  w.raw('SETQUOTA ').string(c.root).raw(' (');
  w.each(c.limits, (l) => w.atom(l.resource, 'quota resource').raw(' ').number(l.limit, 'quota limit', 0, Number.MAX_SAFE_INTEGER));
  w.raw(')');
}

/** setacl = "SETACL" SP mailbox SP identifier SP mod-rights; mod-rights = astring ("+" or "-" first to add or remove) (RFC 4314 7). */
export function readSetAcl(r: CommandReader, h: CommandHead): SetAclCommand {
  r.sp();
  const mailbox = r.mailbox();
  r.sp();
  const identifier = r.astring();
  r.sp();
  const rights = r.astring();
  r.end(h.name);
  const mode = rights.startsWith('+') ? 'add' : rights.startsWith('-') ? 'remove' : 'set';
  return { tag: h.tag, command: 'SETACL', mailbox, identifier, mode, rights: mode === 'set' ? rights : rights.slice(1) };
}

/** Writes SETACL. */
export function writeSetAcl(w: CommandWriter, c: SetAclCommand): void {
  const prefix = c.mode === 'add' ? '+' : c.mode === 'remove' ? '-' : c.mode === 'set' ? '' : null;
  if (prefix === null) throw new TypeError(`bad SETACL mode ${String(c.mode)}`);
  if (c.mode === 'set' && /^[+-]/.test(c.rights)) throw new TypeError('rights to set must not start with + or -');
  w.raw('SETACL ').mailbox(c.mailbox).raw(' ').astring(c.identifier).raw(' ').astring(prefix + c.rights);
}

/** deleteacl = "DELETEACL" SP mailbox SP identifier; listrights = "LISTRIGHTS" SP mailbox SP identifier. */
export function readAclIdentifier(r: CommandReader, h: CommandHead): AclIdentifierCommand {
  r.sp();
  const mailbox = r.mailbox();
  r.sp();
  const identifier = r.astring();
  r.end(h.name);
  return { tag: h.tag, command: h.name as 'DELETEACL', mailbox, identifier };
}

/** Writes DELETEACL / LISTRIGHTS. */
export function writeAclIdentifier(w: CommandWriter, c: AclIdentifierCommand): void {
  w.raw(`${c.command} `).mailbox(c.mailbox).raw(' ').astring(c.identifier);
}

/** getmetadata-options = "(" getmetadata-option *(SP getmetadata-option) ")"; option = "MAXSIZE" SP number / "DEPTH" SP ("0" / "1" / "infinity"). */
function readMetadataOptions(r: CommandReader, into: { maxSize: number | null; depth: GetMetadataCommand['depth'] }): void {
  r.parenList(() => {
    const o = r.keyword();
    r.sp();
    if (o === 'MAXSIZE' && into.maxSize === null) into.maxSize = r.numberIn('MAXSIZE', Number.MAX_SAFE_INTEGER);
    else if (o === 'DEPTH' && into.depth === null) {
      const d = r.atom().toLowerCase();
      if (d !== '0' && d !== '1' && d !== 'infinity') throw r.error('DEPTH is 0, 1 or infinity');
      into.depth = d;
    } else throw r.error('unknown GETMETADATA option');
  }, 'the GETMETADATA options');
}

/** getmetadata = "GETMETADATA" [SP getmetadata-options] SP mailbox SP entries; entries = entry / "(" entry *(SP entry) ")" (RFC 5464 5). */
export function readGetMetadata(r: CommandReader, h: CommandHead): GetMetadataCommand {
  r.sp();
  const opts: { maxSize: number | null; depth: GetMetadataCommand['depth'] } = { maxSize: null, depth: null };
  let seenOptions = false;
  if (r.peek() === 0x28) {
    readMetadataOptions(r, opts);
    seenOptions = true;
    r.sp();
  }
  const mailbox = r.mailbox();
  r.sp();
  if (!seenOptions && r.peek() === 0x28) {
    // RFC 5464's own examples put the options after the mailbox name; accept that too.
    const m = r.mark();
    r.accept(0x28);
    const isOptions = r.acceptWord('MAXSIZE') || r.acceptWord('DEPTH');
    r.reset(m);
    if (isOptions) {
      readMetadataOptions(r, opts);
      r.sp();
    }
  }
  const entries = r.peek() === 0x28 ? r.parenList(() => r.astring(), 'the GETMETADATA entries') : [r.astring()];
  r.end(h.name);
  return { tag: h.tag, command: 'GETMETADATA', mailbox, entries, maxSize: opts.maxSize, depth: opts.depth };
}

/** Writes GETMETADATA (options first, as the ABNF has them). */
export function writeGetMetadata(w: CommandWriter, c: GetMetadataCommand): void {
  w.raw('GETMETADATA ');
  const opts: string[] = [];
  if (c.maxSize !== null) {
    if (!Number.isSafeInteger(c.maxSize) || c.maxSize < 0) throw new TypeError(`bad MAXSIZE ${c.maxSize}`);
    opts.push(`MAXSIZE ${c.maxSize}`);
  }
  if (c.depth !== null) {
    if (c.depth !== '0' && c.depth !== '1' && c.depth !== 'infinity') throw new TypeError(`bad DEPTH ${String(c.depth)}`);
    opts.push(`DEPTH ${c.depth}`);
  }
  if (opts.length > 0) w.raw(`(${opts.join(' ')}) `);
  w.mailbox(c.mailbox).raw(' ');
  if (c.entries.length === 0) throw new TypeError('GETMETADATA needs an entry');
  if (c.entries.length === 1) w.astring(c.entries[0]!);
  else w.raw('(').each(c.entries, (e) => w.astring(e)).raw(')');
}

/** setmetadata = "SETMETADATA" SP mailbox SP entry-values; entry-values = "(" entry-value *(SP entry-value) ")"; entry-value = entry SP value; value = nstring / literal8. */
export function readSetMetadata(r: CommandReader, h: CommandHead): SetMetadataCommand {
  r.sp();
  const mailbox = r.mailbox();
  r.sp();
  const entries = r.parenList(() => {
    const entry = r.astring();
    r.sp();
    if (r.acceptWord('NIL')) return { entry, value: null };
    if (r.atLiteral()) {
      const { data } = r.literalOrLiteral8();
      if (!(data instanceof Uint8Array)) throw r.error('a streamed metadata value');
      return { entry, value: data };
    }
    if (r.peek() !== 0x22) throw r.error('a metadata value is a string, literal or NIL');
    return { entry, value: r.quoted() };
  }, 'the SETMETADATA entries');
  r.end(h.name);
  return { tag: h.tag, command: 'SETMETADATA', mailbox, entries };
}

/** Writes SETMETADATA (a value with NUL octets as literal8). */
export function writeSetMetadata(w: CommandWriter, c: SetMetadataCommand): void {
  if (c.entries.length === 0) throw new TypeError('SETMETADATA needs an entry');
  w.raw('SETMETADATA ').mailbox(c.mailbox).raw(' (');
  w.each(c.entries, (e) => {
    w.astring(e.entry).raw(' ');
    if (e.value === null) w.raw('NIL');
    else if (!(e.value instanceof Uint8Array)) throw new TypeError('metadata values are bytes');
    else if (e.value.includes(0)) w.literal(e.value, true);
    else w.string(e.value);
  });
  w.raw(')');
}
