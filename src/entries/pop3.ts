/**
 * `mailwire/pop3`: everything of the POP3 namespace, plus what every protocol shares:
 * {@link ProtocolError} (and {@link isProtocolError}, which also recognises the error of the
 * other module format) and the Web Streams adapters. The classes are the very ones the root
 * entry's `pop3` namespace holds: one declaration, one runtime class.
 *
 * @packageDocumentation
 */

export * from '../pop3/index';
export * from './shared';
