/**
 * NOTIFY (RFC 5465): which events the server reports for which mailboxes, and the
 * `filter-mailboxes` rule that ESEARCH (RFC 7377) shares.
 *
 * @packageDocumentation
 */

import type { CommandReader } from './command-reader';
import type { CommandWriter } from './command-writer';
import { formatFetchItem, readFetchAtt } from './fetch-items';
import type { CommandHead } from './command-session';
import type { FilterMailboxes, NotifyCommand, NotifyEvent, NotifyEventGroup } from './command-types';

const NAMED = new Set(['selected', 'selected-delayed', 'inboxes', 'personal', 'subscribed']);
const LISTED = new Set(['subtree', 'subtree-one', 'mailboxes']);
/** RFC 5465 5 event names in their registered spelling; lookups are case-insensitive. */
const EVENTS = ['MessageNew', 'MessageExpunge', 'FlagChange', 'AnnotationChange', 'MailboxName', 'SubscriptionChange', 'MailboxMetadataChange', 'ServerMetadataChange'];
const EVENT_BY_UPPER = new Map(EVENTS.map((e) => [e.toUpperCase(), e]));

/**
 * filter-mailboxes = filter-mailboxes-selected / filter-mailboxes-other;
 * filter-mailboxes-other = "inboxes" / "personal" / "subscribed" / ("subtree" SP one-or-more-mailbox) /
 *   ("mailboxes" SP one-or-more-mailbox), and RFC 7377's ("subtree-one" SP one-or-more-mailbox);
 * one-or-more-mailbox = mailbox / many-mailboxes; many-mailboxes = "(" mailbox *(SP mailbox) ")".
 */
export function readFilterMailboxes(r: CommandReader): FilterMailboxes {
  const kind = r.keyword().toLowerCase();
  if (NAMED.has(kind)) return { kind: kind as 'selected' };
  if (!LISTED.has(kind)) throw r.error(`unknown mailbox filter ${kind.slice(0, 20)}`);
  r.sp();
  const mailboxes = r.peek() === 0x28 ? r.parenList(() => r.mailbox(), 'the mailbox list') : [r.mailbox()];
  return { kind: kind as 'subtree', mailboxes };
}

/** Writes filter-mailboxes (several mailboxes in parentheses). */
export function writeFilterMailboxes(w: CommandWriter, f: FilterMailboxes): void {
  if (NAMED.has(f.kind)) {
    if ('mailboxes' in f) throw new TypeError(`the ${f.kind} filter takes no mailboxes`);
    w.raw(f.kind);
    return;
  }
  if (!LISTED.has(f.kind) || !('mailboxes' in f)) throw new TypeError(`bad mailbox filter ${String(f.kind)}`);
  if (f.mailboxes.length === 0) throw new TypeError(`the ${f.kind} filter needs mailboxes`);
  w.raw(`${f.kind} `);
  if (f.mailboxes.length === 1) w.mailbox(f.mailboxes[0]!);
  else w.raw('(').each(f.mailboxes, (m) => w.mailbox(m)).raw(')');
}

/**
 * event = message-event / mailbox-event / user-event / event-ext;
 * message-event = ("MessageNew" [SP "(" fetch-att *(SP fetch-att) ")"]) / "MessageExpunge" /
 *   "FlagChange" / "AnnotationChange"; event-ext = atom.
 */
function readEvent(r: CommandReader): NotifyEvent {
  const a = r.atom();
  if (a === '') throw r.error('expected a NOTIFY event');
  const name = EVENT_BY_UPPER.get(a.toUpperCase()) ?? a;
  if (name === 'MessageNew' && r.peek() === 0x20 && r.peekAt(1) === 0x28) {
    r.sp();
    return { name, fetch: r.parenList(() => readFetchAtt(r), 'the MessageNew fetch attributes') };
  }
  return { name };
}

/**
 * event-group = "(" filter-mailboxes SP events ")"; events = ("(" event *(SP event) ")") / "NONE".
 * Leniency `notify-bare-events`: RFC 5465's own examples (section 8) write the events without
 * their parentheses, `(selected MessageNew (uid) MessageExpunge)`; clients copied them, so the
 * bare form reads as the parenthesised one.
 */
function readEventGroup(r: CommandReader): NotifyEventGroup {
  r.expect(0x28, 'to open a NOTIFY event group');
  const mailboxes = readFilterMailboxes(r);
  r.sp();
  let events: NotifyEvent[] | null;
  if (r.acceptWord('NONE')) events = null;
  else if (r.peek() === 0x28) events = r.parenList(() => readEvent(r), 'the NOTIFY events');
  else {
    events = [readEvent(r)];
    while (r.accept(0x20)) events.push(readEvent(r));
  }
  r.expect(0x29, 'to close the NOTIFY event group');
  return { mailboxes, events };
}

/** notify = "NOTIFY" SP (notify-set / notify-none); notify-set = "SET" [status-indicator] SP event-groups; status-indicator = SP "STATUS". */
export function readNotify(r: CommandReader, h: CommandHead): NotifyCommand {
  r.sp();
  if (r.acceptWord('NONE')) {
    r.end(h.name);
    return { tag: h.tag, command: 'NOTIFY', groups: null, status: false };
  }
  if (!r.acceptWord('SET')) throw r.error('NOTIFY needs SET or NONE');
  r.sp();
  const status = r.acceptWord('STATUS');
  if (status) r.sp();
  const groups = [readEventGroup(r)];
  while (r.accept(0x20)) groups.push(readEventGroup(r));
  r.end(h.name);
  return { tag: h.tag, command: 'NOTIFY', groups, status };
}

/** Writes NOTIFY. */
export function writeNotify(w: CommandWriter, c: NotifyCommand): void {
  if (c.groups === null) {
    if (c.status) throw new TypeError('NOTIFY NONE takes no STATUS');
    w.raw('NOTIFY NONE');
    return;
  }
  if (c.groups.length === 0) throw new TypeError('NOTIFY SET needs at least one event group');
  w.raw(c.status ? 'NOTIFY SET STATUS ' : 'NOTIFY SET ');
  w.each(c.groups, (g) => {
    w.raw('(');
    writeFilterMailboxes(w, g.mailboxes);
    if (g.events === null) w.raw(' NONE)');
    else {
      if (g.events.length === 0) throw new TypeError('a NOTIFY event list needs events (or null for NONE)');
      w.raw(' (');
      w.each(g.events, (e) => {
        w.atom(e.name, 'NOTIFY event');
        if (e.fetch !== undefined) {
          if (e.name !== 'MessageNew') throw new TypeError('only MessageNew takes fetch attributes');
          if (e.fetch.length === 0) throw new TypeError('MessageNew fetch attributes must not be empty');
          w.raw(` (${e.fetch.map(formatFetchItem).join(' ')})`);
        }
      });
      w.raw('))');
    }
  });
}
