/**
 * Readers and writers of the commands that upload messages: APPEND (RFC 9051 6.3.12, RFC 3502
 * MULTIAPPEND, RFC 3516 literal8), its CATENATE form that builds a message from literal text
 * and IMAP URLs (RFC 4469), and REPLACE (RFC 8508).
 *
 * @packageDocumentation
 */

import type { CommandReader } from './command-reader';
import { CommandWriter, type CommandFragment, type EncodeCommandOptions } from './command-writer';
import { isImapDateTime } from './date-time';
import type { CommandHead } from './command-session';
import type { AppendCommand, AppendMessage, CatenatePart, ReplaceCommand } from './command-types';
import { isValidTag } from './tag';

/** cat-part = text-literal / url; text-literal = "TEXT" SP literal; url = "URL" SP astring (RFC 4469 5). */
function readCatPart(r: CommandReader): CatenatePart {
  const kind = r.keyword();
  r.sp();
  if (kind === 'URL') return { type: 'url', url: r.astring() };
  if (kind !== 'TEXT') throw r.error('a CATENATE part is TEXT or URL');
  if (!r.atLiteral()) throw r.error('CATENATE TEXT needs a literal');
  const { data, binary } = r.literalOrLiteral8();
  if (binary) throw r.error('CATENATE TEXT takes a literal, not literal8');
  return { type: 'text', data };
}

/**
 * append-message = append-opts SP append-data; append-opts = [SP flag-list] [SP date-time];
 * append-data = literal / literal8 / "CATENATE" SP "(" cat-part *(SP cat-part) ")". Read after
 * the SP that precedes the message.
 */
export function readAppendMessage(r: CommandReader): AppendMessage {
  let flags: string[] | null = null;
  let date: string | null = null;
  if (r.peek() === 0x28) {
    flags = r.flagList();
    r.sp();
  }
  if (r.peek() === 0x22) {
    date = r.astring();
    if (!isImapDateTime(date)) throw r.error('bad APPEND date-time');
    r.sp();
  }
  if (r.acceptWord('CATENATE')) {
    r.sp();
    return { flags, date, catenate: r.parenList(() => readCatPart(r), 'the CATENATE parts') };
  }
  if (!r.atLiteral()) throw r.error('APPEND message must be a literal');
  const { data, binary } = r.literalOrLiteral8();
  return { flags, date, message: data, binary };
}

/** Writes one append-message (flags, date-time, then the literal or the CATENATE parts). */
export function writeAppendMessage(w: CommandWriter, m: AppendMessage): void {
  if (m.flags !== null) w.flagList(m.flags).raw(' ');
  if (m.date !== null) {
    if (typeof m.date !== 'string' || !isImapDateTime(m.date)) throw new TypeError(`bad APPEND date-time "${String(m.date)}"`);
    w.raw(`"${m.date}" `);
  }
  if ('catenate' in m) {
    if (m.catenate.length === 0) throw new TypeError('CATENATE needs at least one part');
    w.raw('CATENATE (');
    w.each(m.catenate, (p) => {
      if (p.type === 'url') w.raw('URL ').astring(p.url);
      else if (p.type === 'text') {
        if (!(p.data instanceof Uint8Array)) throw new TypeError('a streamed CATENATE part cannot be encoded: send its bytes');
        w.raw('TEXT ').literal(p.data);
      } else throw new TypeError(`bad CATENATE part ${String((p as { type: unknown }).type)}`);
    });
    w.raw(')');
    return;
  }
  if (!(m.message instanceof Uint8Array)) throw new TypeError('APPEND message must be bytes (a streamed stand-in cannot be encoded)');
  w.literal(m.message, m.binary);
}

/** append = "APPEND" SP mailbox 1*append-message (RFC 3502, RFC 4466). */
export function readAppend(r: CommandReader, h: CommandHead): AppendCommand {
  r.sp();
  const mailbox = r.mailbox();
  const messages: AppendMessage[] = [];
  while (r.accept(0x20)) messages.push(readAppendMessage(r));
  if (messages.length === 0) throw r.error('APPEND needs a message');
  r.end(h.name);
  return { tag: h.tag, command: 'APPEND', mailbox, messages };
}

/** Writes APPEND. */
export function writeAppend(w: CommandWriter, c: AppendCommand): void {
  if (c.messages.length === 0) throw new TypeError('APPEND needs a message');
  w.raw('APPEND ').mailbox(c.mailbox);
  for (const m of c.messages) {
    w.raw(' ');
    writeAppendMessage(w, m);
  }
}

/** replace = "REPLACE" SP seq-number SP mailbox append-message; uid-replace = "UID" SP replace (RFC 8508 6). */
export function readReplace(r: CommandReader, h: CommandHead): ReplaceCommand {
  r.sp();
  const number = r.nzNumberIn(h.uid ? 'REPLACE UID' : 'REPLACE message number');
  r.sp();
  const mailbox = r.mailbox();
  r.sp();
  const message = readAppendMessage(r);
  r.end(h.name);
  return { tag: h.tag, command: 'REPLACE', uid: h.uid, number, mailbox, message };
}

/** Writes [UID] REPLACE. */
export function writeReplace(w: CommandWriter, c: ReplaceCommand): void {
  w.raw(c.uid ? 'UID REPLACE ' : 'REPLACE ').number(c.number, 'REPLACE number', 1).raw(' ').mailbox(c.mailbox).raw(' ');
  writeAppendMessage(w, c.message);
}

/** The arguments of a streamed APPEND (`ClientSession.beginAppend`): one message of `length` octets that follow later. */
export interface StreamedAppendStart {
  readonly mailbox: string;
  readonly flags?: readonly string[] | null;
  /** An IMAP date-time (`imap.formatImapDateTime`), or null/absent for the server's time of arrival. */
  readonly date?: string | null;
  /** The exact number of octets of the message. */
  readonly length: number;
  /** Announce a literal8 `~{n}` (RFC 3516 BINARY): the octets may hold NUL. */
  readonly binary?: boolean;
}

/**
 * `tag APPEND mailbox [flags] [date-time] {n}` + CRLF (or `{n+}`, `~{n}`), as command fragments:
 * the message's octets follow it, then CRLF ends the command. The last fragment waits for the
 * server's `+` unless LITERAL+ (any size) or LITERAL- (up to 4096 octets, RFC 7888) allows a
 * non-synchronizing literal. Throws TypeError / RangeError like `encodeCommand` for what cannot
 * go on the wire.
 */
export function encodeStreamedAppendStart(tag: string, start: StreamedAppendStart, opts: EncodeCommandOptions): CommandFragment[] {
  const { length } = start;
  if (!Number.isSafeInteger(length) || length < 0 || length > 0xffffffff) throw new RangeError(`bad APPEND message length ${String(length)}`);
  if (typeof tag !== 'string' || !isValidTag(tag)) throw new TypeError(`bad tag "${String(tag)}"`);
  const w = new CommandWriter(opts);
  w.raw(`${tag} APPEND `).mailbox(start.mailbox).raw(' ');
  const flags = start.flags ?? null;
  if (flags !== null) w.flagList(flags).raw(' ');
  const date = start.date ?? null;
  if (date !== null) {
    if (typeof date !== 'string' || !isImapDateTime(date)) throw new TypeError(`bad APPEND date-time "${String(date)}"`);
    w.raw(`"${date}" `);
  }
  const nonSync = opts.literalPlus === true || (opts.literalMinus === true && length <= 4096);
  w.raw(`${start.binary === true ? '~' : ''}{${length}${nonSync ? '+' : ''}}\r\n`);
  // finish() adds the CRLF that ends a command; this one ends only after the message octets.
  const frags = w.finish();
  const last = frags[frags.length - 1]!;
  frags[frags.length - 1] = { data: last.data.subarray(0, last.data.length - 2), waitForContinuation: !nonSync };
  return frags;
}
