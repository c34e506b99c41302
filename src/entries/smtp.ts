/**
 * `mailwire/smtp`: everything of the SMTP, ESMTP and LMTP namespace, plus what every protocol shares:
 * {@link ProtocolError} (and {@link isProtocolError}, which also recognises the error of the
 * other module format) and the Web Streams adapters. The classes are the very ones the root
 * entry's `smtp` namespace holds: one declaration, one runtime class.
 *
 * @packageDocumentation
 */

export * from '../smtp/index';
export * from './shared';
