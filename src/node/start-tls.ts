/**
 * Asks any client session for STARTTLS/STLS through the one name all three share, `startTls()`.
 *
 * @packageDocumentation
 */

/** What the three client sessions have in common for this. */
interface StartTlsCapable {
  /** SMTP, POP3 (STLS) and IMAP clients. */
  startTls?(): unknown;
}

/** Sends STARTTLS (SMTP, IMAP) or STLS (POP3). */
export function requestStartTls(client: object): void {
  // A structural check at run time: the three ClientSession classes share no declared type.
  const session = client as StartTlsCapable;
  if (typeof session.startTls !== 'function') throw new TypeError('the session has no startTls()');
  session.startTls();
}
