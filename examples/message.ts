/**
 * Just enough RFC 5322 reading for the example IMAP server: the header fields of a message
 * (unfolded) and its IMAP ENVELOPE. Real servers use a full MIME parser; this one handles
 * `Name <local@host>` and bare `local@host` address lists.
 */
// Types from the subpath entry: the bundled d.ts of `mailwire` exposes some namespace types as values.
import type { Address, Envelope } from 'mailwire/imap';

const latin1 = new TextDecoder('latin1');

/** Octet offset where the body starts (after the blank line), or the message length. */
export function bodyOffset(message: Uint8Array): number {
  for (let i = 0; i + 3 < message.length; i++) {
    if (message[i] === 13 && message[i + 1] === 10 && message[i + 2] === 13 && message[i + 3] === 10) return i + 4;
  }
  return message.length;
}

/** Header fields by lower-case name (first occurrence), folded lines joined. */
export function headers(message: Uint8Array): Map<string, string> {
  const text = latin1.decode(message.subarray(0, bodyOffset(message))).replace(/\r\n(?=[ \t])/g, '');
  const map = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!map.has(name)) map.set(name, line.slice(colon + 1).trim());
  }
  return map;
}

/** `"A. Name" <a@example.org>, b@example.org` -> IMAP addresses; null when absent. */
function addresses(value: string | undefined): Address[] | null {
  if (value === undefined || value === '') return null;
  const list: Address[] = [];
  // Split at commas outside quotes and angle brackets.
  for (const part of value.match(/(?:"(?:[^"\\]|\\.)*"|<[^>]*>|[^,"<])+/g) ?? []) {
    const m = /^(.*?)<([^>]*)>\s*$/.exec(part.trim());
    const name = m ? m[1]!.trim().replace(/^"(.*)"$/, '$1').replace(/\\(.)/g, '$1') : '';
    const addr = (m ? m[2]! : part).trim();
    const at = addr.lastIndexOf('@');
    list.push({ name: name || null, adl: null, mailbox: at < 0 ? addr : addr.slice(0, at), host: at < 0 ? null : addr.slice(at + 1) });
  }
  return list.length > 0 ? list : null;
}

/** The ENVELOPE of a message (RFC 3501 7.4.2): sender and reply-to default to from. */
export function envelope(message: Uint8Array): Envelope {
  const h = headers(message);
  const from = addresses(h.get('from'));
  return {
    date: h.get('date') ?? null,
    subject: h.get('subject') ?? null,
    from,
    sender: addresses(h.get('sender')) ?? from,
    replyTo: addresses(h.get('reply-to')) ?? from,
    to: addresses(h.get('to')),
    cc: addresses(h.get('cc')),
    bcc: addresses(h.get('bcc')),
    inReplyTo: h.get('in-reply-to') ?? null,
    messageId: h.get('message-id') ?? null,
  };
}
