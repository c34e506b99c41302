/**
 * ACL, LISTRIGHTS and MYRIGHTS responses (RFC 4314 3.6-3.8): readers and writers.
 *
 * @packageDocumentation
 */

import { readMailbox, writeMailbox, type MailboxReadOptions } from './mailbox';
import { decodeText, type Reader, type WireWriter } from './syntax';

/** acl-data = "ACL" SP mailbox *(SP identifier SP rights) */
export function readAcl(r: Reader, opts: MailboxReadOptions): { mailbox: string; rights: { identifier: string; rights: string }[] } {
  const mailbox = readMailbox(r, opts);
  const rights: { identifier: string; rights: string }[] = [];
  while (r.spaces() && !r.atEnd()) {
    const identifier = decodeText(r.astringBytes());
    r.sp();
    rights.push({ identifier, rights: decodeText(r.astringBytes()) });
  }
  return { mailbox, rights };
}

/** Writes `mailbox identifier rights ...`. */
export function writeAcl(w: WireWriter, mailbox: string, rights: readonly { readonly identifier: string; readonly rights: string }[], utf8: boolean): void {
  writeMailbox(w, mailbox, utf8);
  for (const x of rights) w.raw(' ').astring(x.identifier).raw(' ').astring(x.rights);
}

/** listrights-data = "LISTRIGHTS" SP mailbox SP identifier SP rights *(SP rights) */
export function readListRights(r: Reader, opts: MailboxReadOptions): { mailbox: string; identifier: string; required: string; optional: string[] } {
  const mailbox = readMailbox(r, opts);
  r.sp();
  const identifier = decodeText(r.astringBytes());
  r.sp();
  const required = decodeText(r.astringBytes());
  const optional: string[] = [];
  while (r.spaces() && !r.atEnd()) optional.push(decodeText(r.astringBytes()));
  return { mailbox, identifier, required, optional };
}

/** Writes `mailbox identifier required optional ...`. */
export function writeListRights(w: WireWriter, v: { readonly mailbox: string; readonly identifier: string; readonly required: string; readonly optional: readonly string[] }, utf8: boolean): void {
  writeMailbox(w, v.mailbox, utf8);
  w.raw(' ').astring(v.identifier).raw(' ').string(v.required);
  for (const o of v.optional) w.raw(' ').astring(o);
}

/** myrights-data = "MYRIGHTS" SP mailbox SP rights */
export function readMyRights(r: Reader, opts: MailboxReadOptions): { mailbox: string; rights: string } {
  const mailbox = readMailbox(r, opts);
  r.sp();
  return { mailbox, rights: decodeText(r.astringBytes()) };
}

/** Writes `mailbox rights`. */
export function writeMyRights(w: WireWriter, mailbox: string, rights: string, utf8: boolean): void {
  writeMailbox(w, mailbox, utf8);
  w.raw(' ').string(rights);
}
