/**
 * SPECIAL-USE classification (RFC 6154, RFC 8457 \Important): which role a mailbox plays,
 * from its LIST attributes, from Gmail's pre-standard XLIST names, and as a fallback from the
 * names servers without SPECIAL-USE give these mailboxes.
 *
 * @packageDocumentation
 */

/** A special-use attribute (RFC 6154 2, RFC 8457 3). */
export type SpecialUse = '\\All' | '\\Archive' | '\\Drafts' | '\\Flagged' | '\\Junk' | '\\Sent' | '\\Trash' | '\\Important';

const ATTRIBUTES = new Map<string, SpecialUse>([
  ['\\ALL', '\\All'],
  ['\\ARCHIVE', '\\Archive'],
  ['\\DRAFTS', '\\Drafts'],
  ['\\FLAGGED', '\\Flagged'],
  ['\\JUNK', '\\Junk'],
  ['\\SENT', '\\Sent'],
  ['\\TRASH', '\\Trash'],
  ['\\IMPORTANT', '\\Important'],
  // Gmail's XLIST (before RFC 6154) names three of them differently.
  ['\\ALLMAIL', '\\All'],
  ['\\SPAM', '\\Junk'],
  ['\\STARRED', '\\Flagged'],
]);

/** Names (the last hierarchy level, case-insensitive) that servers without SPECIAL-USE give these mailboxes. */
const NAMES = new Map<string, SpecialUse>(
  (
    [
      ['\\Sent', ['sent', 'sent items', 'sent messages', 'sent mail', 'sent-mail', 'gesendet', 'gesendete elemente', 'gesendete objekte', 'envoyés', 'éléments envoyés', 'enviados', 'elementos enviados', 'posta inviata', 'inviati', 'verzonden', 'verzonden items', 'отправленные']],
      ['\\Drafts', ['drafts', 'draft', 'entwürfe', 'brouillons', 'borradores', 'bozze', 'concepten', 'черновики']],
      ['\\Trash', ['trash', 'deleted items', 'deleted messages', 'deleted', 'bin', 'papierkorb', 'gelöschte elemente', 'corbeille', 'éléments supprimés', 'papelera', 'elementos eliminados', 'cestino', 'prullenbak', 'verwijderde items', 'корзина', 'удаленные']],
      ['\\Junk', ['junk', 'spam', 'junk e-mail', 'junk email', 'junk mail', 'bulk mail', 'spamverdacht', 'courrier indésirable', 'correo no deseado', 'posta indesiderata', 'ongewenste e-mail', 'спам']],
      ['\\Archive', ['archive', 'archives', 'archiv', 'archivio', 'archivo', 'archief', 'архив']],
      ['\\All', ['all mail', 'all messages']],
      ['\\Flagged', ['starred', 'flagged']],
    ] as const
  ).flatMap(([use, names]) => names.map((n) => [n, use] as [string, SpecialUse])),
);

/** Options of {@link specialUseOf}. */
export interface SpecialUseOptions {
  /** Fall back to the mailbox's name when no attribute says (default true). */
  readonly byName?: boolean;
}

/**
 * The special use of a mailbox: from its attributes (`\Sent`, `\Junk` ..., and XLIST's
 * `\AllMail`, `\Spam`, `\Starred`), else (unless `byName: false`) from the last level of its
 * name (`Sent Items`, `Papierkorb`, `[Gmail]/Spam` ...). INBOX is never special-use. Null when
 * nothing says.
 *
 * @example
 * ```ts
 * import { imap } from 'mailwire';
 * imap.specialUseOf({ name: 'Archive', attributes: ['\\HasNoChildren', '\\Archive'] }); // '\\Archive'
 * imap.specialUseOf({ name: 'INBOX.Sent Items', delimiter: '.' }); // '\\Sent'
 * ```
 */
export function specialUseOf(mailbox: { readonly name: string; readonly attributes?: readonly string[]; readonly delimiter?: string | null }, options: SpecialUseOptions = {}): SpecialUse | null {
  for (const a of mailbox.attributes ?? []) {
    const use = ATTRIBUTES.get(a.toUpperCase());
    if (use) return use;
  }
  if (options.byName === false || mailbox.name.toUpperCase() === 'INBOX') return null;
  const d = mailbox.delimiter;
  const leaf = d ? mailbox.name.slice(mailbox.name.lastIndexOf(d) + 1) : mailbox.name;
  return NAMES.get(leaf.toLowerCase()) ?? null;
}

/** True when `attribute` is one of the special-use attributes (RFC 6154 2, RFC 8457 3), in any case. */
export function isSpecialUseAttribute(attribute: string): boolean {
  const use = ATTRIBUTES.get(attribute.toUpperCase());
  return use !== undefined && use.toUpperCase() === attribute.toUpperCase();
}
