/**
 * ENVELOPE (RFC 9051 7.5.2, RFC 3501 7.4.2): the reader and writer of the lossless structure,
 * and a helper that resolves addresses and groups into `{ name, address }`.
 *
 * @packageDocumentation
 */

import { decodeEncodedWords } from './encoded-words';
import { decodeText, type Reader, type WireWriter } from './syntax';
import type { Address, Envelope } from './types';

const LPAREN = 0x28;
const RPAREN = 0x29;

/** What a streamed literal inside an ENVELOPE belongs to: the field name, set while it is read. */
export interface EnvelopeLabel {
  field: string | null;
}

/** A field missing before ")" reads as NIL (short addresses from real servers). */
function field(r: Reader): string | null {
  r.spaces();
  if (r.peek() === RPAREN) {
    r.invalid = null;
    return null;
  }
  return r.nstringText();
}

/**
 * address = "(" addr-name SP addr-adl SP addr-mailbox SP addr-host ")"
 * addr-name = nstring; addr-adl = nstring; addr-mailbox = nstring; addr-host = nstring
 */
export function readAddress(r: Reader): Address {
  r.expect(LPAREN);
  let raw: Record<string, Uint8Array> | null = null;
  const name = field(r);
  if (r.invalid) (raw ??= {}).name = r.invalid;
  const adl = field(r);
  if (r.invalid) (raw ??= {}).adl = r.invalid;
  const mailbox = field(r);
  if (r.invalid) (raw ??= {}).mailbox = r.invalid;
  const host = field(r);
  if (r.invalid) (raw ??= {}).host = r.invalid;
  r.spaces();
  r.expect(RPAREN);
  return raw === null ? { name, adl, mailbox, host } : { name, adl, mailbox, host, raw };
}

/**
 * env-from = "(" 1*address ")" / nil (and env-sender, env-reply-to, env-to, env-cc, env-bcc).
 * Lenient: a NIL where an address belongs carries nothing and is skipped (MailKit issue 991,
 * node-imap issue 565: `(NIL ("name" NIL "box" "host"))`); `()` reads as an empty list.
 */
export function readAddressList(r: Reader): Address[] | null {
  if (r.nil()) return null;
  r.expect(LPAREN);
  r.enter();
  const out: Address[] = [];
  r.spaces();
  while (!r.accept(RPAREN)) {
    if (r.nil()) {
      // skipped, see above
    } else out.push(readAddress(r));
    if (out.length > r.maxListItems) throw r.error(`address list longer than ${r.maxListItems}`, 'TOO_MANY');
    r.spaces();
    if (r.atLineEnd() && !r.atLiteral()) throw r.error('unterminated address list');
  }
  r.leave();
  return out;
}

/**
 * envelope = "(" env-date SP env-subject SP env-from SP env-sender SP env-reply-to SP env-to
 *            SP env-cc SP env-bcc SP env-in-reply-to SP env-message-id ")"
 * env-date = nstring; env-subject = nstring; env-in-reply-to = nstring; env-message-id = nstring
 *
 * Lenient: missing trailing fields read as NIL. `label.field` says which field is being read
 * (for streamed literals).
 */
export function readEnvelope(r: Reader, label?: EnvelopeLabel): Envelope {
  r.expect(LPAREN);
  r.enter();
  let raw: Record<string, Uint8Array> | null = null;
  if (label) label.field = 'date';
  const date = field(r);
  if (r.invalid) (raw ??= {}).date = r.invalid;
  if (label) label.field = 'subject';
  const subject = field(r);
  if (r.invalid) (raw ??= {}).subject = r.invalid;
  const from = envelopeList(r, label, 'from');
  const sender = envelopeList(r, label, 'sender');
  const replyTo = envelopeList(r, label, 'replyTo');
  const to = envelopeList(r, label, 'to');
  const cc = envelopeList(r, label, 'cc');
  const bcc = envelopeList(r, label, 'bcc');
  if (label) label.field = 'inReplyTo';
  const inReplyTo = field(r);
  if (r.invalid) (raw ??= {}).inReplyTo = r.invalid;
  if (label) label.field = 'messageId';
  const messageId = field(r);
  if (r.invalid) (raw ??= {}).messageId = r.invalid;
  if (label) label.field = null;
  r.spaces();
  r.expect(RPAREN);
  r.leave();
  return raw === null ? { date, subject, from, sender, replyTo, to, cc, bcc, inReplyTo, messageId } : { date, subject, from, sender, replyTo, to, cc, bcc, inReplyTo, messageId, raw };
}

/** One address list field of an envelope; missing before ")" reads as NIL. */
function envelopeList(r: Reader, label: EnvelopeLabel | undefined, name: string): Address[] | null {
  r.spaces();
  if (label) label.field = name;
  return r.peek() === RPAREN ? null : readAddressList(r);
}

/** An nstring field written back: its raw octets when it was read from non-UTF-8 ones and the text is unchanged. */
function writeField(w: WireWriter, text: string | null, raw: Readonly<Record<string, Uint8Array>> | undefined, key: string): void {
  if (text === null) {
    w.raw('NIL');
    return;
  }
  const bytes = raw?.[key];
  if (bytes !== undefined && decodeText(bytes) === text) w.string(bytes);
  else w.string(text);
}

/** Writes an `address`. */
export function writeAddress(w: WireWriter, a: Address): void {
  w.raw('(');
  writeField(w, a.name, a.raw, 'name');
  w.raw(' ');
  writeField(w, a.adl, a.raw, 'adl');
  w.raw(' ');
  writeField(w, a.mailbox, a.raw, 'mailbox');
  w.raw(' ');
  writeField(w, a.host, a.raw, 'host');
  w.raw(')');
}

function writeAddressList(w: WireWriter, list: readonly Address[] | null): void {
  if (list === null) {
    w.raw('NIL');
    return;
  }
  // An empty list has no wire form of its own ("(" 1*address ")"): `()` is read back as [].
  w.raw('(');
  for (const a of list) writeAddress(w, a);
  w.raw(')');
}

/** Writes an `envelope`. */
export function writeEnvelope(w: WireWriter, e: Envelope): void {
  w.raw('(');
  writeField(w, e.date, e.raw, 'date');
  w.raw(' ');
  writeField(w, e.subject, e.raw, 'subject');
  for (const l of [e.from, e.sender, e.replyTo, e.to, e.cc, e.bcc]) {
    w.raw(' ');
    writeAddressList(w, l);
  }
  w.raw(' ');
  writeField(w, e.inReplyTo, e.raw, 'inReplyTo');
  w.raw(' ');
  writeField(w, e.messageId, e.raw, 'messageId');
  w.raw(')');
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
