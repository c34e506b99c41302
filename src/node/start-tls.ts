/**
 * Asks any client session for STARTTLS/STLS through the one name all three share,
 * `startTls()`. Sessions built before that name was shared are still served: POP3's `stls()`
 * and IMAP's `send({ command: 'STARTTLS' })`.
 *
 * @packageDocumentation
 */

/** The methods looked for, in this order. */
interface StartTlsCapable {
  /** SMTP, POP3 (STLS) and IMAP clients. */
  startTls?(): unknown;
  /** POP3 clients before `startTls()`. */
  stls?(): unknown;
  /** IMAP clients before `startTls()`. */
  send?(command: { readonly command: 'STARTTLS' }): unknown;
}

/** Sends STARTTLS (SMTP, IMAP) or STLS (POP3). */
export function requestStartTls(client: object): void {
  // A structural check at run time: SMTP's ClientSession has a private `send`, so no static type fits all three.
  const session = client as StartTlsCapable;
  if (typeof session.startTls === 'function') session.startTls();
  else if (typeof session.stls === 'function') session.stls();
  else if (typeof session.send === 'function') session.send({ command: 'STARTTLS' });
  else throw new TypeError('the session has no startTls()');
}
