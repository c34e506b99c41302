/**
 * `mailwire/imap`: everything of the IMAP namespace, plus what every protocol shares:
 * {@link ProtocolError} (and {@link isProtocolError}, which also recognises the error of the
 * other module format) and the Web Streams adapters. The classes are the very ones the root
 * entry's `imap` namespace holds: one declaration, one runtime class.
 *
 * @packageDocumentation
 */

export * from '../imap/index';
export * from './shared';
