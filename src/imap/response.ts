/**
 * IMAP server responses (RFC 9051 7, RFC 3501 7 and extensions): `readResponse` reads one framed
 * unit straight from its bytes with the rule readers of each family (fetch.ts, mailbox.ts,
 * status.ts, esearch.ts ...): no intermediate tree. `parseResponse` takes one whole response
 * (line, literals inline); the streaming `ResponseParser` frames the stream and calls
 * {@link readResponse}.
 *
 * @packageDocumentation
 */

import { ProtocolError } from '../core/errors';
import { readAcl, readListRights, readMyRights } from './acl';
import { readEsearch, readSearch, readThreads } from './esearch';
import { readMsgAtt, type FetchLabel, type MsgAttReadOptions } from './fetch';
import { frameUnit } from './framer';
import { readId } from './id';
import { readFlag, readMailboxList } from './mailbox';
import { readMetadata } from './metadata';
import { readNamespace } from './namespace';
import { readQuota, readQuotaRoot } from './quota';
import { readRespText } from './response-code';
import { SequenceSet } from './sequence-set';
import { readStatus } from './status';
import { readUidBatchesResponse } from './uidbatches';
import { LENIENT_ATOM, Reader, TAG_CHAR, decodeText, type FramedUnit, type ReaderLimits, type StreamedLiteral } from './syntax';
import type { Response, UnknownLiteral, UntaggedData } from './types';
import { LBRACKET, PLUS, SP, STAR } from './chars';

/** Options for reading responses (`lazy`: see {@link MsgAttReadOptions}). */
export interface ReadResponseOptions extends ReaderLimits, MsgAttReadOptions {
  /** UTF8=ACCEPT is enabled: mailbox names are UTF-8, not modified UTF-7. Default false. */
  readonly utf8Accept?: boolean;
}

const PROBE_DONE = new ProtocolError('SYNTAX', 'probe reached the streamed literal');

/**
 * The rest of an unknown response, kept whole: the text up to the first literal announcement,
 * then each literal with the text of the line after it (`* XFOO {3}\r\nabc`).
 */
function unknownRest(r: Reader): { text: string; literals?: UnknownLiteral[] } {
  const u = r.unit;
  if (r.lineIndex === u.lines.length - 1) return { text: r.text() };
  const cut = (line: Uint8Array, from: number): string => {
    const brace = line.lastIndexOf(0x7b);
    const end = brace > 0 && line[brace - 1] === 0x7e ? brace - 1 : brace;
    return decodeText(line.subarray(from, Math.max(from, end)));
  };
  const text = cut(r.line, r.pos);
  const literals: UnknownLiteral[] = [];
  for (let i = r.lineIndex; i < u.lines.length - 1; i++) {
    const line = u.lines[i]!;
    const brace = line.lastIndexOf(0x7b);
    const binary = brace > 0 && line[brace - 1] === 0x7e;
    const next = u.lines[i + 1]!;
    literals.push({ octets: u.literals[i]!, binary, text: i + 1 === u.lines.length - 1 ? decodeText(next) : cut(next, 0) });
  }
  r.lineIndex = u.lines.length - 1;
  r.line = u.lines[r.lineIndex]!;
  r.pos = r.line.length;
  return { text, literals };
}

/**
 * response-data = "*" SP (resp-cond-state / resp-cond-bye / mailbox-data / message-data /
 *                 capability-data / enable-data) CRLF
 * message-data = nz-number SP ("EXPUNGE" / ("FETCH" SP msg-att)) (and EXISTS / RECENT, RFC 9586 UIDFETCH)
 */
function readUntagged(r: Reader, opts: ReadResponseOptions, label: FetchLabel | undefined): UntaggedData {
  if (r.atDigit()) {
    const n = r.number();
    r.sp();
    r.spaces();
    const kind = r.keyword(LENIENT_ATOM);
    if (kind === 'EXISTS' || kind === 'RECENT' || kind === 'EXPUNGE') return { kind, number: n };
    if (kind === 'FETCH' || kind === 'UIDFETCH') {
      if (label) label.seq = n;
      r.spaces();
      const attributes = readMsgAtt(r, opts, label);
      return kind === 'FETCH' ? { kind, seq: n, attributes } : { kind, uid: n, attributes };
    }
    r.accept(SP);
    return { kind: 'UNKNOWN', number: n, name: kind, ...unknownRest(r) };
  }
  const kind = r.keyword(LENIENT_ATOM);
  switch (kind) {
    case 'OK':
    case 'NO':
    case 'BAD':
    case 'PREAUTH':
    case 'BYE':
      r.spaces();
      return { kind, ...readRespText(r) };
    case 'CAPABILITY':
    case 'ENABLED':
      // capability-data = "CAPABILITY" *(SP capability): atoms, read as words.
      return { kind, capabilities: r.spaces() ? r.text().split(' ').filter((w) => w !== '') : [] };
    case 'FLAGS':
      r.spaces();
      return { kind, flags: r.list(readFlag) };
    case 'LIST':
    case 'LSUB':
    case 'XLIST':
      // XLIST (Gmail, before RFC 6154) is LIST with special-use flags: named leniency "XLIST as LIST".
      r.spaces();
      return { kind: kind === 'LSUB' ? 'LSUB' : 'LIST', ...readMailboxList(r, opts) };
    case 'STATUS':
      r.spaces();
      return { kind, ...readStatus(r, opts) };
    case 'SEARCH':
    case 'SORT':
      return { kind, ...readSearch(r, kind) };
    case 'ESEARCH':
      return { kind, ...readEsearch(r) };
    case 'THREAD':
      return { kind, threads: readThreads(r) };
    case 'UIDBATCHES':
      return { kind, ...readUidBatchesResponse(r) };
    case 'VANISHED': {
      r.spaces();
      let earlier = false;
      if (r.peek() === 0x28) {
        const words = r.list((x) => x.keyword());
        earlier = words[0] === 'EARLIER';
        r.spaces();
      }
      const set = SequenceSet.parse(decodeText(r.runBytes(LENIENT_ATOM)));
      if (set instanceof ProtocolError) throw r.error('VANISHED needs a UID set');
      return { kind, earlier, uids: set };
    }
    case 'NAMESPACE': {
      r.spaces();
      const personal = readNamespace(r);
      r.spaces();
      const otherUsers = readNamespace(r);
      r.spaces();
      const shared = readNamespace(r);
      return { kind, personal, otherUsers, shared };
    }
    case 'QUOTA':
      r.spaces();
      return { kind, ...readQuota(r) };
    case 'QUOTAROOT':
      r.spaces();
      return { kind, ...readQuotaRoot(r, opts) };
    case 'ID':
      r.spaces();
      return { kind, params: readId(r) };
    case 'ACL':
      r.spaces();
      return { kind, ...readAcl(r, opts) };
    case 'LISTRIGHTS':
      r.spaces();
      return { kind, ...readListRights(r, opts) };
    case 'MYRIGHTS':
      r.spaces();
      return { kind, ...readMyRights(r, opts) };
    case 'METADATA':
      r.spaces();
      return { kind, ...readMetadata(r, opts) };
    default:
      r.accept(SP);
      return { kind: 'UNKNOWN', name: kind, ...unknownRest(r) };
  }
}

/**
 * response = *(continue-req / response-data) response-done — one of them:
 * continue-req = "+" SP (resp-text / base64) CRLF
 * response-tagged = tag SP resp-cond-state CRLF; resp-cond-state = ("OK" / "NO" / "BAD") SP resp-text
 *
 * Reads one framed response. Returns a ProtocolError (never throws) when it does not match the
 * grammar; unknown untagged responses are kept raw, not errors. Leniencies (each named in
 * docs/imap.md): doubled spaces; a bare `[CODE ...]` line (Office 365 sends
 * `[COPYUID 55 31 6]` before untagged data) reads as an untagged OK carrying the code.
 * `label`, when given, is kept up to date with the FETCH item and ENVELOPE field being read
 * (the streaming parser labels streamed literals with it).
 */
export function readResponse(unit: FramedUnit, options: ReadResponseOptions = {}, label?: FetchLabel): Response | ProtocolError {
  // Responses read quoted strings leniently (see ReaderLimits.unescapedQuotes) unless told not to.
  const r = new Reader(unit, { unescapedQuotes: true, ...options });
  const target = label ? (label as { probe?: StreamedLiteral }).probe : undefined;
  if (target) {
    // The streaming parser's probe: stop at the literal it asks about, with the label set.
    r.onStreamed = (lit) => {
      if (lit === target) throw PROBE_DONE;
    };
  }
  try {
    let out: Response;
    const c = r.peek();
    if (c === PLUS) {
      r.accept(PLUS);
      r.spaces();
      out = { type: 'continuation', ...readRespText(r) };
    } else if (c === STAR) {
      r.accept(STAR);
      // DavMail sends "*  1688 EXISTS" (two spaces, its keep-alive workaround).
      if (!r.spaces()) throw r.unexpected('SP');
      out = { type: 'untagged', ...readUntagged(r, options, label) };
    } else if (c === LBRACKET) {
      const rt = readRespText(r);
      if (rt.code === null) throw r.error('response must start with "*", "+" or a tag');
      out = { type: 'untagged', kind: 'OK', ...rt };
    } else {
      // A tag may hold "]" (an ASTRING-CHAR); "+" is the one character a tag never holds.
      if (r.run(TAG_CHAR) === 0 || r.peek() !== SP) throw r.error('response must start with "*", "+" or a tag');
      const tag = decodeText(r.slice(0));
      r.sp();
      const at = r.pos;
      const status = r.atLineEnd() ? '' : r.keyword(LENIENT_ATOM);
      if (status !== 'OK' && status !== 'NO' && status !== 'BAD') {
        r.pos = at;
        throw r.unexpected('OK, NO or BAD');
      }
      r.spaces();
      out = { type: 'tagged', tag, status, ...readRespText(r) };
    }
    return out;
  } catch (e) {
    if (e instanceof ProtocolError) return e;
    if (e instanceof RangeError) return new ProtocolError('TOO_DEEP', 'response nested too deeply');
    return new ProtocolError('SYNTAX', e instanceof Error ? e.message : String(e));
  }
}

/**
 * Parses one complete response given as bytes or text (CRLFs inside, literals inline).
 *
 * @example
 * ```ts
 * import { imap } from 'mailwire';
 * imap.parseResponse('* 1 FETCH (UID 42 FLAGS (\\Seen))\r\n');
 * // { type: 'untagged', kind: 'FETCH', seq: 1, attributes: { uid: 42, flags: ['\\Seen'] } }
 * ```
 */
export function parseResponse(input: string | Uint8Array, options: ReadResponseOptions = {}): Response | ProtocolError {
  const unit = frameUnit(input);
  return unit instanceof ProtocolError ? unit : readResponse(unit, options);
}

export { parseInternalDate } from './fetch';
