/**
 * IMAP commands (RFC 3501 6, RFC 9051 6): encode to fragments that respect literal flow
 * control, and parse one framed command (tag, name, arguments).
 *
 * @packageDocumentation
 */

import { assertNoLineBreak, encodeUtf8 } from '../core/bytes';
import { ProtocolError } from '../core/errors';
import { Lexer, frameUnit, literalAnnouncement, stringValue, type FramedUnit, type LexerLimits, type Value } from './lexer';
import { decodeMailboxName, encodeMailboxName } from './mailbox-name';
import { SequenceSet } from './sequence-set';
import type { Command, CommandFragment } from './command-types';
import { isValidTag } from './tag';

/** Options of {@link encodeCommand}. */
export interface EncodeCommandOptions {
  /** The server offers LITERAL+ (RFC 7888): every literal is non-synchronizing `{n+}`. */
  readonly literalPlus?: boolean;
  /** The server offers LITERAL- (RFC 7888): literals up to 4096 octets are non-synchronizing. */
  readonly literalMinus?: boolean;
  /** UTF8=ACCEPT is enabled: mailbox names and strings go as UTF-8, not modified UTF-7. */
  readonly utf8Accept?: boolean;
}

class CommandWriter {
  private readonly frags: CommandFragment[] = [];
  private parts: Uint8Array[] = [];
  private text = '';

  constructor(private readonly opts: EncodeCommandOptions) {}

  raw(s: string): this {
    this.text += s;
    return this;
  }

  private flushText(): void {
    if (this.text !== '') this.parts.push(encodeUtf8(this.text));
    this.text = '';
  }

  private cut(wait: boolean): void {
    this.flushText();
    let n = 0;
    for (const p of this.parts) n += p.length;
    const data = new Uint8Array(n);
    let o = 0;
    for (const p of this.parts) (data.set(p, o), (o += p.length));
    this.frags.push({ data, waitForContinuation: wait });
    this.parts = [];
  }

  literal(bytes: Uint8Array, binary = false): this {
    const nonSync = this.opts.literalPlus || (this.opts.literalMinus && bytes.length <= 4096);
    this.text += `${binary ? '~' : ''}{${bytes.length}${nonSync ? '+' : ''}}\r\n`;
    if (!nonSync) this.cut(true);
    else this.flushText();
    this.parts.push(bytes);
    return this;
  }

  /** astring: atom when every char is an ASTRING-CHAR, quoted when printable, literal otherwise. */
  astring(value: string): this {
    const bytes = encodeUtf8(value);
    let atom = bytes.length > 0;
    let quoted = bytes.length < 1024;
    for (const c of bytes) {
      if (c < 0x20 || c === 0x7f || (c > 0x7f && !this.opts.utf8Accept)) {
        atom = false;
        quoted = false;
        break;
      }
      // "[" and "]" are legal in an astring atom but quoting them keeps readers simple.
      if (c <= 0x20 || c > 0x7e || c === 0x28 || c === 0x29 || c === 0x7b || c === 0x25 || c === 0x2a || c === 0x22 || c === 0x5c || c === 0x5b || c === 0x5d) atom = false;
    }
    if (atom && value.toUpperCase() !== 'NIL') return this.raw(value);
    if (quoted) return this.raw(`"${value.replace(/["\\]/g, (m) => `\\${m}`)}"`);
    return this.literal(bytes);
  }

  mailbox(name: string): this {
    return this.astring(name.toUpperCase() === 'INBOX' ? 'INBOX' : this.opts.utf8Accept ? name : encodeMailboxName(name));
  }

  finish(): CommandFragment[] {
    // Raw text (SEARCH criteria, an unknown command's arguments) ending in "{n}" would read as a literal announcement.
    if (literalAnnouncement(encodeUtf8(this.text)) !== null) throw new TypeError('command text must not end in a literal announcement "{n}"');
    this.text += '\r\n';
    this.cut(false);
    return this.frags;
  }
}

const ATOM = /^[^\s()"{}%*\\\]\x00-\x1f\x7f]+$/;

function atomOrThrow(v: string, what: string): string {
  if (!ATOM.test(v)) throw new TypeError(`${what} "${v}" is not a valid atom`);
  return v;
}

function flagList(flags: readonly string[]): string {
  for (const f of flags) if (!/^\\?[^\s()"{}%*\\\]\x00-\x1f\x7f]+$/.test(f)) throw new TypeError(`bad flag "${f}"`);
  return `(${flags.join(' ')})`;
}

/**
 * Encodes a command into fragments. Send each fragment's bytes in order; after a fragment
 * with `waitForContinuation`, wait for the server's `+` before sending the next one.
 *
 * @example
 * ```ts
 * import { imap } from 'mailwire';
 * imap.encodeCommand({ tag: 'A1', command: 'LOGIN', user: 'smith', password: 'sesame' });
 * // [{ data: "A1 LOGIN smith sesame\r\n", waitForContinuation: false }]
 * ```
 */
export function encodeCommand(cmd: Command, options: EncodeCommandOptions = {}): CommandFragment[] {
  const w = new CommandWriter(options);
  if (!isValidTag(cmd.tag)) throw new TypeError(`bad tag "${cmd.tag}"`);
  w.raw(`${cmd.tag} `);
  switch (cmd.command) {
    case 'CAPABILITY':
    case 'NOOP':
    case 'LOGOUT':
    case 'STARTTLS':
    case 'IDLE':
    case 'CHECK':
    case 'CLOSE':
    case 'UNSELECT':
    case 'NAMESPACE':
    case 'EXPUNGE':
      w.raw(cmd.command);
      break;
    case 'LOGIN':
      w.raw('LOGIN ').astring(cmd.user).raw(' ').astring(cmd.password);
      break;
    case 'AUTHENTICATE':
      w.raw(`AUTHENTICATE ${atomOrThrow(cmd.mechanism, 'SASL mechanism')}`);
      if (cmd.initialResponse !== null) w.raw(` ${atomOrThrow(cmd.initialResponse, 'initial response')}`);
      break;
    case 'ENABLE':
      w.raw(['ENABLE', ...cmd.capabilities.map((c) => atomOrThrow(c, 'capability'))].join(' '));
      break;
    case 'SELECT':
    case 'EXAMINE':
    case 'CREATE':
    case 'DELETE':
    case 'SUBSCRIBE':
    case 'UNSUBSCRIBE':
    case 'GETQUOTAROOT':
    case 'MYRIGHTS':
    case 'GETACL':
      w.raw(`${cmd.command} `).mailbox(cmd.mailbox);
      if (cmd.params !== '') {
        assertNoLineBreak(cmd.params, 'SELECT parameters');
        w.raw(` (${cmd.params})`);
      }
      break;
    case 'RENAME':
      w.raw('RENAME ').mailbox(cmd.from).raw(' ').mailbox(cmd.to);
      break;
    case 'LIST':
    case 'LSUB':
      w.raw(`${cmd.command} `).mailbox(cmd.reference).raw(' ');
      // list-mailbox may hold the wildcards % and * unquoted.
      if (cmd.pattern !== '' && /^[^\s()"{}\\\x00-\x1f\x7f]+$/.test(cmd.pattern) && !/[^\x20-\x7e]/.test(cmd.pattern)) w.raw(options.utf8Accept ? cmd.pattern : encodeMailboxName(cmd.pattern));
      else w.mailbox(cmd.pattern);
      break;
    case 'STATUS':
      w.raw('STATUS ').mailbox(cmd.mailbox).raw(` (${cmd.items.map((i) => atomOrThrow(i, 'status item')).join(' ')})`);
      break;
    case 'APPEND':
      w.raw('APPEND ').mailbox(cmd.mailbox);
      if (cmd.flags !== null) w.raw(` ${flagList(cmd.flags)}`);
      if (cmd.date !== null) {
        assertNoLineBreak(cmd.date, 'APPEND date-time');
        w.raw(` "${cmd.date.replace(/"/g, '')}"`);
      }
      w.raw(' ').literal(cmd.message, cmd.binary);
      break;
    case 'FETCH':
      w.raw(`${cmd.uid ? 'UID ' : ''}FETCH ${cmd.set.toString()} `);
      for (const i of cmd.items) assertNoLineBreak(i, 'FETCH item');
      w.raw(cmd.items.length === 1 && /^(ALL|FAST|FULL)$/i.test(cmd.items[0]!) ? cmd.items[0]! : `(${cmd.items.join(' ')})`);
      if (cmd.modifiers !== '') {
        assertNoLineBreak(cmd.modifiers, 'FETCH modifiers');
        w.raw(` (${cmd.modifiers})`);
      }
      break;
    case 'STORE': {
      const op = cmd.operation === 'add' ? '+' : cmd.operation === 'remove' ? '-' : '';
      w.raw(`${cmd.uid ? 'UID ' : ''}STORE ${cmd.set.toString()} `);
      if (cmd.unchangedSince !== null) w.raw(`(UNCHANGEDSINCE ${cmd.unchangedSince}) `);
      w.raw(`${op}FLAGS${cmd.silent ? '.SILENT' : ''} ${flagList(cmd.flags)}`);
      break;
    }
    case 'COPY':
    case 'MOVE':
      w.raw(`${cmd.uid ? 'UID ' : ''}${cmd.command} ${cmd.set.toString()} `).mailbox(cmd.mailbox);
      break;
    case 'SEARCH':
      assertNoLineBreak(cmd.criteria, 'SEARCH criteria');
      w.raw(`${cmd.uid ? 'UID ' : ''}SEARCH ${cmd.criteria}`);
      break;
    case 'UID EXPUNGE':
      w.raw(`UID EXPUNGE ${cmd.set.toString()}`);
      break;
    case 'ID':
      if (cmd.params === null) w.raw('ID NIL');
      else {
        w.raw('ID (');
        Object.entries(cmd.params).forEach(([k, v], i) => {
          if (i > 0) w.raw(' ');
          w.astring(k).raw(' ');
          if (v === null) w.raw('NIL');
          else w.astring(v);
        });
        w.raw(')');
      }
      break;
    case 'UNKNOWN':
      atomOrThrow(cmd.name, 'command name');
      assertNoLineBreak(cmd.text, cmd.name);
      w.raw(cmd.text === '' ? cmd.name : `${cmd.name} ${cmd.text}`);
      break;
  }
  return w.finish();
}

/** Options for parsing commands. */
export interface ParseCommandOptions extends LexerLimits {
  /** UTF8=ACCEPT is enabled: mailbox names are UTF-8, not modified UTF-7. */
  readonly utf8Accept?: boolean;
}

function astr(v: Value, lx: Lexer): string {
  const s = stringValue(v);
  if (s === null) throw lx.error('expected a string');
  return s;
}

function mbox(v: Value, lx: Lexer, opts: ParseCommandOptions): string {
  const s = astr(v, lx);
  if (s.toUpperCase() === 'INBOX') return 'INBOX';
  if (opts.utf8Accept) return s;
  try {
    return decodeMailboxName(s);
  } catch (e) {
    throw lx.error(`mailbox name is not valid modified UTF-7: ${(e as Error).message}`);
  }
}

function seqSet(lx: Lexer): SequenceSet {
  const t = lx.atom();
  const s = SequenceSet.parse(t);
  if (!s) throw lx.error(`"${t.slice(0, 20)}" is not a sequence set`);
  return s;
}

function restText(lx: Lexer): string {
  return lx.peek() === 0x20 ? lx.text().slice(1) : lx.text();
}

/** Reads one framed command; a ProtocolError carrying the tag (when read) for bad ones. */
export function readCommand(unit: FramedUnit, options: ParseCommandOptions = {}): Command | ProtocolError {
  const lx = new Lexer(unit, { ...options, bracketInAtom: true });
  let tag: string | undefined;
  try {
    const t = lx.atom();
    if (!isValidTag(t)) throw lx.error('command must start with a tag');
    tag = t;
    lx.sp();
    let name = lx.atom().toUpperCase();
    let uid = false;
    if (name === 'UID') {
      uid = true;
      lx.sp();
      name = lx.atom().toUpperCase();
    }
    const end = () => {
      if (!lx.atEnd()) throw lx.error(`unexpected text after ${name}`);
    };
    switch (name) {
      case 'CAPABILITY':
      case 'NOOP':
      case 'LOGOUT':
      case 'STARTTLS':
      case 'IDLE':
      case 'CHECK':
      case 'CLOSE':
      case 'UNSELECT':
      case 'NAMESPACE':
        end();
        return { tag, command: name };
      case 'EXPUNGE':
        if (uid) {
          lx.sp();
          const set = seqSet(lx);
          end();
          return { tag, command: 'UID EXPUNGE', set };
        }
        end();
        return { tag, command: 'EXPUNGE' };
      case 'LOGIN': {
        lx.sp();
        const user = astr(lx.value(), lx);
        lx.sp();
        const password = astr(lx.value(), lx);
        end();
        return { tag, command: 'LOGIN', user, password };
      }
      case 'AUTHENTICATE': {
        lx.sp();
        const mechanism = lx.atom().toUpperCase();
        if (mechanism === '') throw lx.error('AUTHENTICATE needs a mechanism');
        const ir = lx.accept(0x20) ? lx.atom() : null;
        end();
        return { tag, command: 'AUTHENTICATE', mechanism, initialResponse: ir };
      }
      case 'ENABLE': {
        const caps: string[] = [];
        while (lx.accept(0x20)) caps.push(lx.atom());
        if (caps.length === 0 || caps.includes('')) throw lx.error('ENABLE needs capabilities');
        end();
        return { tag, command: 'ENABLE', capabilities: caps };
      }
      case 'SELECT':
      case 'EXAMINE':
      case 'CREATE':
      case 'DELETE':
      case 'SUBSCRIBE':
      case 'UNSUBSCRIBE':
      case 'GETQUOTAROOT':
      case 'MYRIGHTS':
      case 'GETACL': {
        lx.sp();
        const mailbox = mbox(lx.value(), lx, options);
        let params = '';
        if (lx.accept(0x20)) {
          const t = lx.text();
          if (!t.startsWith('(') || !t.endsWith(')')) throw lx.error(`${name} parameters must be parenthesised`);
          params = t.slice(1, -1);
        }
        end();
        return { tag, command: name, mailbox, params };
      }
      case 'RENAME': {
        lx.sp();
        const from = mbox(lx.value(), lx, options);
        lx.sp();
        const to = mbox(lx.value(), lx, options);
        end();
        return { tag, command: 'RENAME', from, to };
      }
      case 'LIST':
      case 'LSUB': {
        lx.sp();
        const reference = mbox(lx.value(), lx, options);
        lx.sp();
        const c = lx.peek();
        let pattern: string;
        if (c === 0x22 || c === 0x7b) pattern = mbox(lx.value(), lx, options);
        else {
          let s = '';
          while (lx.peek() > 0x20 && lx.peek() !== 0x28 && lx.peek() !== 0x29) {
            s += String.fromCharCode(lx.peek());
            lx.accept(lx.peek());
          }
          if (s === '') throw lx.error('LIST needs a pattern');
          pattern = options.utf8Accept ? s : decodeMailboxName(s);
        }
        end();
        return { tag, command: name, reference, pattern };
      }
      case 'STATUS': {
        lx.sp();
        const mailbox = mbox(lx.value(), lx, options);
        lx.sp();
        const l = lx.value();
        if (l.kind !== 'list') throw lx.error('STATUS items must be a list');
        end();
        return { tag, command: 'STATUS', mailbox, items: l.items.map((i) => (stringValue(i) ?? '').toUpperCase()) };
      }
      case 'APPEND': {
        lx.sp();
        const mailbox = mbox(lx.value(), lx, options);
        lx.sp();
        let flags: string[] | null = null;
        let date: string | null = null;
        if (lx.peek() === 0x28) {
          const f = lx.value();
          flags = f.kind === 'list' ? f.items.map((x) => stringValue(x) ?? '') : [];
          lx.sp();
        }
        if (lx.peek() === 0x22) {
          date = astr(lx.value(), lx);
          lx.sp();
        }
        const msg = lx.value();
        if (msg.kind !== 'string' || msg.form === 'quoted') throw lx.error('APPEND message must be a literal');
        end();
        return { tag, command: 'APPEND', mailbox, flags, date, message: msg.value, binary: msg.form === 'literal8' };
      }
      case 'FETCH': {
        lx.sp();
        const set = seqSet(lx);
        lx.sp();
        let items: string[];
        if (lx.peek() === 0x28) {
          const l = lx.value();
          items = l.kind === 'list' ? l.items.map((x) => stringValue(x) ?? '') : [];
        } else items = [lx.atom()];
        if (items.length === 0 || items.includes('')) throw lx.error('FETCH needs items');
        let modifiers = '';
        if (lx.accept(0x20)) {
          const t = lx.text();
          if (!t.startsWith('(') || !t.endsWith(')')) throw lx.error('FETCH modifiers must be parenthesised');
          modifiers = t.slice(1, -1);
        }
        end();
        return { tag, command: 'FETCH', uid, set, items, modifiers };
      }
      case 'STORE': {
        lx.sp();
        const set = seqSet(lx);
        lx.sp();
        let unchangedSince: bigint | null = null;
        if (lx.peek() === 0x28) {
          const m = lx.value();
          const v = m.kind === 'list' && m.items.length === 2 ? stringValue(m.items[1]!) : null;
          if (!m || m.kind !== 'list' || (stringValue(m.items[0]!) ?? '').toUpperCase() !== 'UNCHANGEDSINCE' || !v || !/^\d{1,20}$/.test(v)) throw lx.error('bad STORE modifier');
          unchangedSince = BigInt(v);
          lx.sp();
        }
        const item = lx.atom().toUpperCase();
        const m = /^([+-]?)FLAGS(\.SILENT)?$/.exec(item);
        if (!m) throw lx.error(`bad STORE item "${item.slice(0, 20)}"`);
        lx.sp();
        let flags: string[];
        if (lx.peek() === 0x28) {
          const l = lx.value();
          flags = l.kind === 'list' ? l.items.map((x) => stringValue(x) ?? '') : [];
        } else {
          flags = [];
          do flags.push(lx.atom());
          while (lx.accept(0x20));
        }
        end();
        return { tag, command: 'STORE', uid, set, operation: m[1] === '+' ? 'add' : m[1] === '-' ? 'remove' : 'set', silent: m[2] !== undefined, flags, unchangedSince };
      }
      case 'COPY':
      case 'MOVE': {
        lx.sp();
        const set = seqSet(lx);
        lx.sp();
        const mailbox = mbox(lx.value(), lx, options);
        end();
        return { tag, command: name, uid, set, mailbox };
      }
      case 'SEARCH': {
        lx.sp();
        const criteria = lx.text();
        if (criteria === '') throw lx.error('SEARCH needs criteria');
        return { tag, command: 'SEARCH', uid, criteria };
      }
      case 'ID': {
        lx.sp();
        const l = lx.value();
        end();
        if (l.kind === 'nil') return { tag, command: 'ID', params: null };
        if (l.kind !== 'list') throw lx.error('ID needs a list or NIL');
        const params: Record<string, string | null> = {};
        for (let i = 0; i + 1 < l.items.length; i += 2) params[stringValue(l.items[i]!) ?? ''] = l.items[i + 1]!.kind === 'nil' ? null : stringValue(l.items[i + 1]!);
        return { tag, command: 'ID', params };
      }
      default:
        if (name === '' || uid) throw lx.error(`unknown command ${uid ? 'UID ' : ''}${name.slice(0, 20)}`);
        return { tag, command: 'UNKNOWN', name, text: restText(lx) };
    }
  } catch (e) {
    const err = e instanceof ProtocolError ? e : new ProtocolError('SYNTAX', e instanceof Error ? e.message : String(e));
    return new ProtocolError(err.code, err.message, { offset: err.offset, tag: tag !== '' ? tag : undefined });
  }
}

/** Parses one complete command (CRLFs and literals inline), e.g. for tests and tools. */
export function parseCommand(input: string | Uint8Array, options: ParseCommandOptions = {}): Command | ProtocolError {
  const unit = frameUnit(input);
  return unit instanceof ProtocolError ? unit : readCommand(unit, options);
}
