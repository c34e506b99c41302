/**
 * The decoding behind `mailwire decode`: one direction of a session, or both directions of a
 * transcript, item by item, each direction through its own parser.
 */

import { imap, pop3, smtp } from '../index';
import { SequenceSet } from '../imap/sequence-set';

function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return { octets: value.length, text: new TextDecoder().decode(value) };
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof SequenceSet) return value.toString();
  if (value instanceof Error) return { code: (value as { code?: string }).code, message: value.message, offset: (value as { offset?: number }).offset };
  return value;
}

/** One item as a JSON line (bytes as their length and UTF-8 text, bigints and sets as strings). */
export function toJsonLine(item: unknown): string {
  return JSON.stringify(item, replacer);
}

/** Where decoded items go. */
export type Print = (item: unknown) => void;

/** Bare LF line endings (a transcript saved on Unix, or copied from a web page) made CRLF. */
export function lfToCrlf(bytes: Uint8Array): Uint8Array {
  let bare = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10 && (i === 0 || bytes[i - 1] !== 13)) bare++;
  if (bare === 0) return bytes;
  const out = new Uint8Array(bytes.length + bare);
  let o = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 10 && (i === 0 || bytes[i - 1] !== 13)) out[o++] = 13;
    out[o++] = bytes[i]!;
  }
  return out;
}

/** One direction's incremental decoder: push bytes, get items. */
interface Direction {
  push(bytes: Uint8Array): unknown[];
  end(): unknown[];
}

function smtpClient(): Direction {
  const p = new smtp.CommandParser({ lenient: true });
  const follow = (items: smtp.CommandParserItem[]): unknown[] => {
    const out: unknown[] = [];
    const queue = [...items];
    while (queue.length > 0) {
      const it = queue.shift()!;
      out.push(it);
      // A transcript does not say what the server answered: assume DATA was accepted.
      if (it.type === 'command' && it.command.verb === 'DATA') queue.unshift(...p.startData());
      if (it.type === 'command' && (it.command.verb === 'AUTH' || it.command.verb === 'STARTTLS')) queue.unshift(...p.resume());
    }
    return out;
  };
  return { push: (b) => follow(p.push(b)), end: () => p.end() };
}

function smtpServer(): Direction {
  const p = new smtp.ReplyParser();
  return { push: (b) => p.push(b), end: () => p.end() };
}

function pop3Client(): Direction {
  const p = new pop3.CommandParser();
  const follow = (items: pop3.CommandParserItem[]): unknown[] => {
    const out: unknown[] = [];
    const queue = [...items];
    while (queue.length > 0) {
      const it = queue.shift()!;
      out.push(it);
      if (it.type === 'command' && (it.command.verb === 'AUTH' || it.command.verb === 'STLS')) queue.unshift(...p.resume());
    }
    return out;
  };
  return { push: (b) => follow(p.push(b)), end: () => p.end() };
}

/** Which POP3 responses are multiline depends on the commands: `expect()` is told per command. */
function pop3Expectation(v: pop3.Command): 'single' | 'listing' | 'body' {
  if (v.verb === 'RETR' || v.verb === 'TOP') return 'body';
  if (((v.verb === 'LIST' || v.verb === 'UIDL') && v.message === null) || v.verb === 'CAPA') return 'listing';
  return 'single';
}

function pop3Server(): Direction & { expect(c: pop3.Command): void } {
  const p = new pop3.ResponseParser();
  p.expect('single'); // the greeting
  return { push: (b) => p.push(b), end: () => p.end(), expect: (c) => p.expect(pop3Expectation(c)) };
}

function imapClient(): Direction {
  const p = new imap.CommandParser();
  const follow = (items: imap.CommandParserItem[]): unknown[] => {
    const out: unknown[] = [];
    const queue = [...items];
    while (queue.length > 0) {
      const it = queue.shift()!;
      out.push(it);
      // After IDLE the next line is DONE; after AUTHENTICATE, SASL lines: read them as lines, then commands again.
      if (it.type === 'command' && (it.command.command === 'IDLE' || it.command.command === 'AUTHENTICATE' || it.command.command === 'STARTTLS')) queue.unshift(...p.expectLine());
      else if (it.type === 'line') queue.unshift(...(/^DONE$/i.test(it.line) || it.line === '*' ? p.resume() : p.expectLine()));
    }
    return out;
  };
  return { push: (b) => follow(p.push(b)), end: () => p.end() };
}

function imapServer(): Direction {
  const p = new imap.ResponseParser();
  return { push: (b) => p.push(b), end: () => p.end() };
}

/** The protocols the decoder knows. */
export type Protocol = 'smtp' | 'pop3' | 'imap';

function direction(protocol: Protocol, client: boolean): Direction {
  if (protocol === 'smtp') return client ? smtpClient() : smtpServer();
  if (protocol === 'pop3') return client ? pop3Client() : pop3Server();
  return client ? imapClient() : imapServer();
}

/** Decodes one direction of an SMTP session. */
export function decodeSmtp(bytes: Uint8Array, client: boolean, print: Print): void {
  decodeOne('smtp', bytes, client, print);
}

/** Decodes one direction of a POP3 session; `commands` (the client side) tells which responses are multiline. */
export function decodePop3(bytes: Uint8Array, client: boolean, commands: Uint8Array | null, print: Print): void {
  if (client || commands === null) return decodeOne('pop3', bytes, client, print);
  const server = pop3Server();
  for (const c of new pop3.CommandParser().push(commands)) if (c.type === 'command') server.expect(c.command);
  for (const it of [...server.push(bytes), ...server.end()]) print(it);
}

/** Decodes one direction of an IMAP session: client commands (with literals and IDLE/AUTHENTICATE lines) or server responses. */
export function decodeImap(bytes: Uint8Array, client: boolean, print: Print): void {
  decodeOne('imap', bytes, client, print);
}

function decodeOne(protocol: Protocol, bytes: Uint8Array, client: boolean, print: Print): void {
  const d = direction(protocol, client);
  for (const it of [...d.push(bytes), ...d.end()]) print(it);
}

/** One piece of a two-direction transcript, in the order it crossed the wire. */
export interface Segment {
  /** `C`: sent by the client; `S`: sent by the server. */
  readonly from: 'C' | 'S';
  readonly bytes: Uint8Array;
}

/**
 * Decodes both directions of a session: each segment goes to its direction's parser, and the
 * client's commands tell the server side what to expect (POP3 multiline responses). Items are
 * printed as `{ from: 'C' | 'S', ...item }`, in wire order.
 */
export function decodeBoth(protocol: Protocol, segments: Iterable<Segment>, print: Print): void {
  const client = direction(protocol, true);
  const server = protocol === 'pop3' ? pop3Server() : direction(protocol, false);
  const out = (from: 'C' | 'S', items: unknown[]): void => {
    for (const it of items) {
      print({ from, ...(it as object) });
      if (from === 'C' && protocol === 'pop3' && (it as { type: string }).type === 'command') (server as ReturnType<typeof pop3Server>).expect((it as { command: pop3.Command }).command);
    }
  };
  for (const s of segments) out(s.from, (s.from === 'C' ? client : server).push(s.bytes));
  out('C', client.end());
  out('S', server.end());
}

const enc = new TextEncoder();

/**
 * Reads a two-direction transcript: lines prefixed `C: ` / `S: ` (also `C:`/`S:`, `>`/`<`
 * are not guessed), or JSON lines `{"from":"C","data":"..."}` (`data` as text, or `base64`).
 * Consecutive lines of one direction form one segment; each line gets its CRLF back.
 */
export function parseTranscript(text: string): Segment[] | Error {
  const segments: { from: 'C' | 'S'; parts: Uint8Array[] }[] = [];
  const add = (from: 'C' | 'S', bytes: Uint8Array) => {
    const last = segments[segments.length - 1];
    if (last && last.from === from) last.parts.push(bytes);
    else segments.push({ from, parts: [bytes] });
  };
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  const json = lines.length > 0 && lines[0]!.trimStart().startsWith('{');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (json) {
      let v: { from?: unknown; data?: unknown; base64?: unknown };
      try {
        v = JSON.parse(line) as typeof v;
      } catch {
        return new Error(`line ${i + 1}: not JSON`);
      }
      const from = v.from === 'C' || v.from === 'client' ? 'C' : v.from === 'S' || v.from === 'server' ? 'S' : null;
      if (from === null) return new Error(`line ${i + 1}: "from" must be "C" or "S"`);
      if (typeof v.base64 === 'string') add(from, Uint8Array.from(atob(v.base64), (c) => c.charCodeAt(0)));
      else if (typeof v.data === 'string') add(from, enc.encode(v.data));
      else return new Error(`line ${i + 1}: needs "data" or "base64"`);
      continue;
    }
    const m = /^([CS]):[ ]?(.*)$/s.exec(line);
    if (!m) return new Error(`line ${i + 1}: does not start with "C:" or "S:"`);
    add(m[1] as 'C' | 'S', enc.encode(`${m[2]}\r\n`));
  }
  return segments.map((s) => {
    const total = s.parts.reduce((n, p) => n + p.length, 0);
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const p of s.parts) bytes.set(p, (at += p.length) - p.length);
    return { from: s.from, bytes };
  });
}

/** A short human-readable line for an item (the `--human` output). */
export function toHumanLine(item: unknown, colour: boolean): string {
  const { from, type, ...rest } = item as { from?: string; type?: string } & Record<string, unknown>;
  const paint = (code: number, s: string) => (colour ? `\u001b[${code}m${s}\u001b[0m` : s);
  const who = from === 'C' ? paint(36, 'C') : from === 'S' ? paint(32, 'S') : '';
  const kind = type === 'error' ? paint(31, 'error') : paint(1, String(type ?? '?'));
  let detail: string;
  if (type === 'error') {
    const e = rest.error as { code?: string; message?: string };
    detail = paint(31, `${e.code}: ${e.message}`);
  } else if ((type === 'data' || type === 'literal-chunk') && rest.chunk instanceof Uint8Array) {
    detail = JSON.stringify(new TextDecoder().decode(rest.chunk).slice(0, 120));
  } else detail = toJsonLine(rest.command ?? rest.reply ?? rest.response ?? rest);
  return `${who ? `${who} ` : ''}${kind} ${detail}`;
}
