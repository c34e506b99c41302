/**
 * ENVELOPE (RFC 3501 7.4.2): the lossless structure, and a helper that resolves addresses and
 * groups into `{ name, address }`.
 *
 * @packageDocumentation
 */

import { ProtocolError } from '../core/errors';
import { stringValue, type Value } from './lexer';
import { decodeEncodedWords } from './encoded-words';
import type { Address, Envelope } from './types';

function nstring(v: Value | undefined): string | null {
  if (v === undefined || v.kind === 'nil') return null;
  return stringValue(v);
}

function addressList(v: Value | undefined): Address[] | null {
  if (v === undefined || v.kind === 'nil') return null;
  if (v.kind !== 'list') throw new ProtocolError('SYNTAX', 'ENVELOPE address list must be a list or NIL');
  const out: Address[] = [];
  for (const a of v.items) {
    // A NIL where an address belongs carries nothing: skip it (MailKit issue 991, node-imap
    // issue 565: `(NIL ("name" NIL "box" "host"))`).
    if (a.kind === 'nil') continue;
    if (a.kind !== 'list') throw new ProtocolError('SYNTAX', 'ENVELOPE address must be a list');
    // Lenient: real servers send short addresses (missing fields) — treat missing as NIL.
    out.push({ name: nstring(a.items[0]), adl: nstring(a.items[1]), mailbox: nstring(a.items[2]), host: nstring(a.items[3]) });
  }
  return out;
}

/**
 * envelope = "(" env-date SP env-subject SP env-from SP env-sender SP env-reply-to SP env-to
 *            SP env-cc SP env-bcc SP env-in-reply-to SP env-message-id ")"
 */
export function readEnvelope(v: Value): Envelope {
  if (v.kind !== 'list') throw new ProtocolError('SYNTAX', 'ENVELOPE must be a list');
  const f = v.items;
  return {
    date: nstring(f[0]),
    subject: nstring(f[1]),
    from: addressList(f[2]),
    sender: addressList(f[3]),
    replyTo: addressList(f[4]),
    to: addressList(f[5]),
    cc: addressList(f[6]),
    bcc: addressList(f[7]),
    inReplyTo: nstring(f[8]),
    messageId: nstring(f[9]),
  };
}

/** A resolved address: display name and `mailbox@host`; a group has `group` and its members. */
export type ResolvedAddress =
  | { readonly name: string | null; readonly address: string }
  | { readonly group: string; readonly members: readonly { readonly name: string | null; readonly address: string }[] };

/**
 * Resolves an address list: joins mailbox and host, decodes RFC 2047 encoded words in display
 * names, and folds RFC 3501 group syntax (a start marker with NIL host, members, an end marker
 * with NIL mailbox) into groups.
 */
export function resolveAddresses(list: readonly Address[] | null): ResolvedAddress[] {
  const out: ResolvedAddress[] = [];
  let group: { group: string; members: { name: string | null; address: string }[] } | null = null;
  for (const a of list ?? []) {
    if (a.host === null) {
      if (a.mailbox === null) {
        if (group) out.push(group);
        group = null;
      } else group = { group: a.mailbox, members: [] };
      continue;
    }
    const entry = { name: a.name === null ? null : decodeEncodedWords(a.name), address: a.mailbox === null ? a.host : `${a.mailbox}@${a.host}` };
    if (group) group.members.push(entry);
    else out.push(entry);
  }
  if (group) out.push(group);
  return out;
}
