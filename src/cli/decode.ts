/**
 * The decoding behind `mailwire decode`: one direction of a session, item by item.
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

/** Decodes one direction of an SMTP session. */
export function decodeSmtp(bytes: Uint8Array, client: boolean, print: Print): void {
  if (!client) {
    const p = new smtp.ReplyParser();
    for (const it of [...p.push(bytes), ...p.end()]) print(it);
    return;
  }
  const p = new smtp.CommandParser({ lenient: true });
  const queue = [...p.push(bytes)];
  while (queue.length > 0) {
    const it = queue.shift()!;
    print(it);
    // A transcript does not say what the server answered: assume DATA was accepted.
    if (it.type === 'command' && it.command.verb === 'DATA') queue.unshift(...p.startData());
    if (it.type === 'command' && (it.command.verb === 'AUTH' || it.command.verb === 'STARTTLS')) queue.unshift(...p.resume());
  }
  for (const it of p.end()) print(it);
}

/** Decodes one direction of a POP3 session; `commands` (the client side) tells which responses are multiline. */
export function decodePop3(bytes: Uint8Array, client: boolean, commands: Uint8Array | null, print: Print): void {
  if (client) {
    const p = new pop3.CommandParser();
    const queue = [...p.push(bytes)];
    while (queue.length > 0) {
      const it = queue.shift()!;
      print(it);
      if (it.type === 'command' && (it.command.verb === 'AUTH' || it.command.verb === 'STLS')) queue.unshift(...p.resume());
    }
    for (const it of p.end()) print(it);
    return;
  }
  const p = new pop3.ResponseParser();
  p.expect('single');
  if (commands) {
    for (const c of new pop3.CommandParser().push(commands)) {
      if (c.type !== 'command') continue;
      const v = c.command;
      p.expect(v.verb === 'RETR' || v.verb === 'TOP' ? 'body' : (v.verb === 'LIST' || v.verb === 'UIDL') && v.message === null ? 'listing' : v.verb === 'CAPA' ? 'listing' : 'single');
    }
  }
  for (const it of [...p.push(bytes), ...p.end()]) print(it);
}

/** Decodes the server side of an IMAP session. */
export function decodeImap(bytes: Uint8Array, client: boolean, print: Print): void {
  if (client) throw new Error('decoding IMAP commands is not available yet (only server responses)');
  const p = new imap.ResponseParser();
  for (const it of [...p.push(bytes), ...p.end()]) print(it);
}

