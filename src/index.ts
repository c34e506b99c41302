/**
 * mailwire: pure, I/O-free, incremental parsers, encoders and session state machines for
 * SMTP (with ESMTP and LMTP), POP3 and IMAP. Bytes in, typed values out, bytes back.
 *
 * @example
 * ```ts
 * import { smtp, ProtocolError } from 'mailwire';
 * ```
 *
 * @packageDocumentation
 */

export * from './core/index';
export { isProtocolError } from './core/is-protocol-error';
export * as smtp from './smtp/index';
export * as pop3 from './pop3/index';
export * as imap from './imap/index';
