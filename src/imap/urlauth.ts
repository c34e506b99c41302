/**
 * Readers and writers of the URLAUTH commands (RFC 4467 7): GENURLAUTH, RESETKEY, URLFETCH.
 *
 * @packageDocumentation
 */

import type { CommandReader } from './command-reader';
import type { CommandWriter } from './command-writer';
import type { CommandHead } from './command-session';
import type { GenUrlAuthCommand, ResetKeyCommand, UrlFetchCommand } from './command-types';

/** mechanism = "INTERNAL" / 1*(ALPHA / DIGIT / "-" / ".") (RFC 4467 9). */
const MECHANISM_RE = /^[A-Za-z0-9.-]+$/;

function readMechanism(r: CommandReader): string {
  const m = r.atom();
  if (!MECHANISM_RE.test(m)) throw r.error('expected a URLAUTH mechanism');
  return m.toUpperCase() === 'INTERNAL' ? 'INTERNAL' : m;
}

function mechanism(m: string): string {
  if (typeof m !== 'string' || !MECHANISM_RE.test(m)) throw new TypeError(`bad URLAUTH mechanism "${String(m)}"`);
  return m;
}

/** genurlauth = "GENURLAUTH" 1*(SP url-rump SP mechanism); url-rump = astring. */
export function readGenUrlAuth(r: CommandReader, h: CommandHead): GenUrlAuthCommand {
  const urls: { rump: string; mechanism: string }[] = [];
  while (r.accept(0x20)) {
    const rump = r.astring();
    r.sp();
    urls.push({ rump, mechanism: readMechanism(r) });
  }
  if (urls.length === 0) throw r.error('GENURLAUTH needs a URL and a mechanism');
  r.end(h.name);
  return { tag: h.tag, command: 'GENURLAUTH', urls };
}

/** Writes GENURLAUTH. */
export function writeGenUrlAuth(w: CommandWriter, c: GenUrlAuthCommand): void {
  if (c.urls.length === 0) throw new TypeError('GENURLAUTH needs a URL');
  w.raw('GENURLAUTH');
  for (const u of c.urls) w.raw(' ').astring(u.rump).raw(` ${mechanism(u.mechanism)}`);
}

/** resetkey = "RESETKEY" [SP mailbox *(SP mechanism)]. */
export function readResetKey(r: CommandReader, h: CommandHead): ResetKeyCommand {
  let mailbox: string | null = null;
  const mechanisms: string[] = [];
  if (r.accept(0x20)) {
    mailbox = r.mailbox();
    while (r.accept(0x20)) mechanisms.push(readMechanism(r));
  }
  r.end(h.name);
  return { tag: h.tag, command: 'RESETKEY', mailbox, mechanisms };
}

/** Writes RESETKEY. */
export function writeResetKey(w: CommandWriter, c: ResetKeyCommand): void {
  w.raw('RESETKEY');
  if (c.mailbox === null) {
    if (c.mechanisms.length > 0) throw new TypeError('RESETKEY mechanisms need a mailbox');
    return;
  }
  w.raw(' ').mailbox(c.mailbox);
  for (const m of c.mechanisms) w.raw(` ${mechanism(m)}`);
}

/** urlfetch = "URLFETCH" 1*(SP url-full); url-full = astring. */
export function readUrlFetch(r: CommandReader, h: CommandHead): UrlFetchCommand {
  const urls: string[] = [];
  while (r.accept(0x20)) urls.push(r.astring());
  if (urls.length === 0) throw r.error('URLFETCH needs a URL');
  r.end(h.name);
  return { tag: h.tag, command: 'URLFETCH', urls };
}

/** Writes URLFETCH. */
export function writeUrlFetch(w: CommandWriter, c: UrlFetchCommand): void {
  if (c.urls.length === 0) throw new TypeError('URLFETCH needs a URL');
  w.raw('URLFETCH');
  for (const u of c.urls) w.raw(' ').astring(u);
}
