/**
 * QUOTA and QUOTAROOT responses (RFC 9208, RFC 2087): readers and writers.
 *
 * @packageDocumentation
 */

import { readMailbox, writeMailbox, type MailboxReadOptions } from './mailbox';
import { LENIENT_ATOM, decodeText, type Reader, type WireWriter } from './syntax';

/** One quota resource: usage and limit. */
export interface QuotaResource {
  readonly name: string;
  readonly usage: number;
  readonly limit: number;
}

/**
 * quota-response = "QUOTA" SP quota-root-name SP quota-list
 * quota-list = "(" quota-resource *(SP quota-resource) ")"
 * quota-resource = resource-name SP resource-usage SP resource-limit
 */
export function readQuota(r: Reader): { root: string; resources: QuotaResource[] } {
  const root = decodeText(r.astringBytes());
  r.spaces();
  const resources: QuotaResource[] = [];
  r.expect(0x28);
  r.enter();
  r.spaces();
  while (!r.accept(0x29)) {
    if (r.atLineEnd()) throw r.error('unterminated quota list');
    const name = r.keyword(LENIENT_ATOM);
    r.spaces();
    const usage = r.number();
    r.spaces();
    const limit = r.number();
    resources.push({ name, usage, limit });
    if (resources.length > r.maxListItems) throw r.error('quota list too long', 'TOO_MANY');
    r.spaces();
  }
  r.leave();
  return { root, resources };
}

/** Writes `root (NAME usage limit ...)`. */
export function writeQuota(w: WireWriter, root: string, resources: readonly QuotaResource[]): void {
  w.astring(root).raw(' (');
  resources.forEach((x, i) => {
    if (!/^[A-Z0-9-]+$/i.test(x.name)) throw new TypeError(`bad quota resource name ${JSON.stringify(x.name)}`);
    if (i > 0) w.raw(' ');
    w.raw(`${x.name} `).number(x.usage).raw(' ').number(x.limit);
  });
  w.raw(')');
}

/** quotaroot-response = "QUOTAROOT" SP mailbox *(SP quota-root-name) */
export function readQuotaRoot(r: Reader, opts: MailboxReadOptions): { mailbox: string; roots: string[] } {
  const mailbox = readMailbox(r, opts);
  const roots: string[] = [];
  while (r.spaces() && !r.atEnd()) roots.push(decodeText(r.astringBytes()));
  return { mailbox, roots };
}

/** Writes `mailbox root root ...`. */
export function writeQuotaRoot(w: WireWriter, mailbox: string, roots: readonly string[], utf8: boolean): void {
  writeMailbox(w, mailbox, utf8);
  for (const root of roots) w.raw(' ').astring(root);
}
