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
import type { FetchAttributes, Response } from './types';
import { encodeUtf8 } from '../core/bytes';

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

/**
 * The start of a FETCH (or RFC 9586 UIDFETCH) response whose last item before `)` so far is
 * one body section written piece by piece: `* 12 FETCH (UID 34 BODY[] {5000}` CRLF.
 */
export type StreamedFetchStart =
  | { readonly kind: 'FETCH'; readonly seq: number; readonly attributes: FetchAttributes }
  | { readonly kind: 'UIDFETCH'; readonly uid: number; readonly attributes: FetchAttributes };

/** The body section of a {@link StreamedFetchStart}: its item name and the length of its octets. */
export interface StreamedFetchBody {
  /** The item name as the client reads it: `BODY[]`, `BODY[1.2]<0>`, `BINARY[2]`, `RFC822` ... */
  readonly section: string;
  /** The exact number of octets that will follow (the literal's `{n}`). */
  readonly length: number;
  /**
   * Announce a literal8 `~{n}` (RFC 3516): allowed only for BINARY sections, and the default
   * for them (the octets are not known in advance and may hold NUL). `false` for a BINARY
   * section writes a plain `{n}`, and then a NUL octet is refused.
   */
  readonly binary?: boolean;
}

/**
 * Encodes the start of a FETCH response whose body section streams: every item of `start`'s
 * attributes (its sections included), then `body.section` and its literal announcement. The
 * `body.length` octets follow, then {@link encodeStreamedFetchEnd}. Throws like
 * {@link encodeResponse} (TypeError / RangeError) for what cannot go on the wire.
 *
 * @example
 * ```ts
 * import { imap } from 'mailwire';
 * const head = imap.encodeStreamedFetchStart({ kind: 'FETCH', seq: 1, attributes: { uid: 7 } }, { section: 'BODY[]', length: 5 });
 * // "* 1 FETCH (UID 7 BODY[] {5}\r\n", then 5 octets, then imap.encodeStreamedFetchEnd()
 * ```
 */
export function encodeStreamedFetchStart(start: StreamedFetchStart, body: StreamedFetchBody, options: EncodeResponseOptions = {}): Uint8Array[] {
  if (start === null || typeof start !== 'object' || start.attributes === null || typeof start.attributes !== 'object') throw new TypeError('a streamed FETCH needs its attributes');
  if (body === null || typeof body !== 'object' || typeof body.section !== 'string') throw new TypeError('a streamed FETCH needs its body section name');
  const length = count(body.length, 'streamed FETCH body length');
  const isBinary = /^BINARY(?:\.PEEK)?\[/.test(body.section);
  const binary = body.binary ?? isBinary;
  if (binary && !isBinary) throw new TypeError(`literal8 (~{n}) is only for BINARY sections, not ${JSON.stringify(body.section)}`);
  // The section goes through the one FETCH writer (which checks its name) with an empty
  // stand-in for its octets; its "{0}" announcement is then replaced by the real one.
  const standIn = new Uint8Array(0);
  const attributes: FetchAttributes = { ...start.attributes, sections: [...(start.attributes.sections ?? []), { name: body.section, section: '', origin: null, data: standIn }] };
  const w = new WireWriter();
  write(w, start.kind === 'UIDFETCH' ? { type: 'untagged', kind: 'UIDFETCH', uid: start.uid, attributes } : { type: 'untagged', kind: 'FETCH', seq: start.seq, attributes }, options.utf8Accept ?? false);
  const { fragments, literalIndexes } = w.fragments();
  const at = literalIndexes[literalIndexes.length - 1]!;
  if (fragments[at] !== standIn) throw new TypeError(`bad body section name ${JSON.stringify(body.section)}`);
  const before = fragments[at - 1]!; // protocol text ending in "{0}\r\n"
  return [...fragments.slice(0, at - 1), before.subarray(0, before.length - 5), encodeUtf8(`${binary ? '~' : ''}{${length}}\r\n`)];
}

const CLOSE_FETCH = /* @__PURE__ */ encodeUtf8(')\r\n');

/**
 * Encodes the end of a FETCH response started with {@link encodeStreamedFetchStart}: the items
 * written after the body (e.g. the FLAGS a fetch changed by setting `\Seen`), `)` and CRLF.
 */
export function encodeStreamedFetchEnd(after?: FetchAttributes, options: EncodeResponseOptions = {}): Uint8Array[] {
  if (after === undefined) return [CLOSE_FETCH];
  if (after === null || typeof after !== 'object') throw new TypeError('the items after a streamed FETCH body must be FETCH attributes');
  const w = new WireWriter();
  writeMsgAtt(w, after, options.utf8Accept ?? false); // "(" items ")"
  const fragments = w.fragments().fragments;
  const first = fragments[0]!;
  if (fragments.length === 1 && first.length === 4) return [CLOSE_FETCH]; // "()\r\n": no item
  const lead = first.slice();
  lead[0] = 0x20; // the "(" becomes the space after the body
  return [lead, ...fragments.slice(1)];
}
