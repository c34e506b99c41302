/**
 * IMAP response encoder (the server side of the same values `parseResponse` reads). Each
 * family's writer sits with its reader; strings go through the one {@link WireWriter}, which
 * picks atom, quoted string or literal: a value holding CR, LF or NUL, or 8-bit bytes, always
 * becomes a literal, so no value can end a line early. Every field is checked at run time
 * (TypeError / RangeError), not only by the types: a tagged `status` of `'OK\r\n* BYE'` throws.
 *
 * @packageDocumentation
 */

import { writeAcl, writeListRights, writeMyRights } from './acl';
import { writeEsearch, writeSearch, writeThreads } from './esearch';
import { writeMsgAtt } from './fetch';
import { literalAnnouncement } from './framer';
import { writeId } from './id';
import { writeFlags, writeMailboxList } from './mailbox';
import { writeMetadata } from './metadata';
import { writeNamespace } from './namespace';
import { writeQuota, writeQuotaRoot } from './quota';
import { writeRespText } from './response-code';
import { writeStatus } from './status';
import { writeUidBatchesResponse } from './uidbatches';
import { ATOM_CHAR, TAG_CHAR, WireWriter, isInClass } from './syntax';
import type { Response } from './types';

/** Options of {@link encodeResponse}. */
export interface EncodeResponseOptions {
  /** UTF8=ACCEPT is on: mailbox names as UTF-8 instead of modified UTF-7. */
  readonly utf8Accept?: boolean;
}

const STATUS = new Set(['OK', 'NO', 'BAD']);
const COND = new Set(['OK', 'NO', 'BAD', 'PREAUTH', 'BYE']);

function oneOf(v: unknown, set: Set<string>, what: string): string {
  if (typeof v !== 'string' || !set.has(v)) throw new TypeError(`bad ${what} ${JSON.stringify(v)}`);
  return v;
}

function count(n: unknown, what: string, min = 0): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min) throw new RangeError(`bad ${what} ${String(n)}`);
  return n;
}

/** Writes one response into `w` (without the final CRLF). */
function write(w: WireWriter, r: Response, utf8: boolean): void {
  if (r === null || typeof r !== 'object') throw new TypeError('response must be an object');
  if (r.type === 'continuation') {
    w.raw('+ ');
    writeRespText(w, r.code, r.text);
    return;
  }
  if (r.type === 'tagged') {
    if (typeof r.tag !== 'string' || !isInClass(r.tag, TAG_CHAR)) throw new TypeError(`bad tag ${JSON.stringify(r.tag)}`);
    w.raw(`${r.tag} ${oneOf(r.status, STATUS, 'tagged status')} `);
    writeRespText(w, r.code, r.text);
    return;
  }
  if (r.type !== 'untagged') throw new TypeError(`bad response type ${JSON.stringify((r as { type: unknown }).type)}`);
  w.raw('* ');
  switch (r.kind) {
    case 'OK':
    case 'NO':
    case 'BAD':
    case 'PREAUTH':
    case 'BYE':
      w.raw(`${oneOf(r.kind, COND, 'status')} `);
      writeRespText(w, r.code, r.text);
      return;
    case 'CAPABILITY':
    case 'ENABLED':
      w.raw(r.kind);
      for (const c of r.capabilities) w.raw(' ').atom(c, CAPABILITY_CHAR, 'capability');
      return;
    case 'FLAGS':
      w.raw('FLAGS ');
      writeFlags(w, r.flags);
      return;
    case 'LIST':
    case 'LSUB':
      w.raw(`${r.kind} `);
      writeMailboxList(w, r, utf8);
      return;
    case 'STATUS':
      w.raw('STATUS ');
      writeStatus(w, r, utf8);
      return;
    case 'SEARCH':
    case 'SORT':
      w.raw(r.kind);
      writeSearch(w, r);
      return;
    case 'EXISTS':
    case 'RECENT':
    case 'EXPUNGE':
      w.number(count(r.number, r.kind)).raw(` ${r.kind}`);
      return;
    case 'VANISHED':
      w.raw(`VANISHED ${r.earlier ? '(EARLIER) ' : ''}${r.uids.toString()}`);
      return;
    case 'FETCH':
      w.number(count(r.seq, 'FETCH sequence number', 1)).raw(' FETCH ');
      writeMsgAtt(w, r.attributes, utf8);
      return;
    case 'UIDFETCH':
      w.number(count(r.uid, 'UIDFETCH uid', 1)).raw(' UIDFETCH ');
      writeMsgAtt(w, r.attributes, utf8);
      return;
    case 'ESEARCH':
      w.raw('ESEARCH');
      writeEsearch(w, r);
      return;
    case 'THREAD':
      w.raw('THREAD');
      writeThreads(w, r.threads);
      return;
    case 'UIDBATCHES':
      w.raw('UIDBATCHES');
      writeUidBatchesResponse(w, r);
      return;
    case 'NAMESPACE':
      w.raw('NAMESPACE');
      for (const ns of [r.personal, r.otherUsers, r.shared]) {
        w.raw(' ');
        writeNamespace(w, ns);
      }
      return;
    case 'QUOTA':
      w.raw('QUOTA ');
      writeQuota(w, r.root, r.resources);
      return;
    case 'QUOTAROOT':
      w.raw('QUOTAROOT ');
      writeQuotaRoot(w, r.mailbox, r.roots, utf8);
      return;
    case 'ID':
      w.raw('ID ');
      writeId(w, r.params);
      return;
    case 'ACL':
      w.raw('ACL ');
      writeAcl(w, r.mailbox, r.rights, utf8);
      return;
    case 'LISTRIGHTS':
      w.raw('LISTRIGHTS ');
      writeListRights(w, r, utf8);
      return;
    case 'MYRIGHTS':
      w.raw('MYRIGHTS ');
      writeMyRights(w, r.mailbox, r.rights, utf8);
      return;
    case 'METADATA':
      w.raw('METADATA ');
      writeMetadata(w, r, utf8);
      return;
    case 'UNKNOWN': {
      if (typeof r.name !== 'string' || !/^[A-Z0-9-]+$/i.test(r.name)) throw new TypeError(`bad response name ${JSON.stringify(r.name)}`);
      if (r.number !== undefined) w.number(count(r.number, 'response number')).raw(' ');
      w.raw(r.name);
      const lits = r.literals ?? [];
      if (r.text !== '' || lits.length > 0) w.raw(' ');
      const text = (t: string): void => {
        if (typeof t !== 'string' || /[\r\n\0]/.test(t)) throw new TypeError('unknown response text must not contain CR, LF or NUL');
        w.raw(t);
      };
      text(r.text);
      let before = r.text;
      for (const l of lits) {
        if (!(l.octets instanceof Uint8Array)) throw new TypeError('a streamed literal marker cannot be encoded; write its octets with a literal');
        // "~{n}" announces literal8 (RFC 3516): text ending in "~" before a plain literal would read back as binary.
        if (!l.binary && before.endsWith('~')) throw new TypeError('unknown response text before a literal must not end in "~" (it would announce literal8)');
        w.literal(l.octets, l.binary);
        text(l.text);
        before = l.text;
      }
      return;
    }
    default:
      throw new TypeError(`bad untagged response kind ${JSON.stringify((r as { kind: unknown }).kind)}`);
  }
}

/** capability = ("AUTH=" auth-type) / atom, plus "]"-free text the reader splits on spaces. */
const CAPABILITY_CHAR: Uint8Array = ATOM_CHAR;

function checkTail(w: WireWriter): void {
  // Raw text (response text, unknown data) ending in "{n}" would read as a literal announcement.
  if (literalAnnouncement(new TextEncoder().encode(w.tail)) !== null) throw new TypeError('response text must not end in a literal announcement "{n}"');
}

/**
 * Encodes a response as wire bytes (CRLF-terminated; literals inline).
 *
 * @example
 * ```ts
 * import { imap } from 'mailwire';
 * imap.encodeResponse({ type: 'untagged', kind: 'EXISTS', number: 23 }); // "* 23 EXISTS\r\n"
 * ```
 */
export function encodeResponse(r: Response, options: EncodeResponseOptions = {}): Uint8Array {
  const w = new WireWriter();
  write(w, r, options.utf8Accept ?? false);
  checkTail(w);
  return w.finish();
}

/**
 * Encodes a response as fragments: protocol text, and each literal's octets as the very array
 * the value holds (no copy), so a 64 MiB BODY[] costs no second 64 MiB. Write the fragments in
 * order.
 */
export function encodeResponseFragments(r: Response, options: EncodeResponseOptions = {}): Uint8Array[] {
  const w = new WireWriter();
  write(w, r, options.utf8Accept ?? false);
  checkTail(w);
  return w.fragments().fragments;
}
