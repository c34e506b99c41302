/**
 * `mailwire/imap`: everything of the IMAP namespace, plus what every protocol shares:
 * {@link ProtocolError} (and {@link isProtocolError}, which also recognises the error of the
 * other module format) and the Web Streams adapters. The classes are the very ones the root
 * entry's `imap` namespace holds: one declaration, one runtime class.
 *
 * @packageDocumentation
 */

export * from '../imap/index';
export { ProtocolError, errorItem, type ProtocolErrorCode, type ProtocolErrorDetails, type ErrorItem } from '../core/errors';
export { isProtocolError } from '../core/is-protocol-error';
export {
  toTransformStream,
  toSessionStreams,
  type StreamingParser,
  type StreamingSession,
  type ParserStream,
  type SessionStreamsOptions,
  type SessionStreams,
} from '../core/web-streams';
