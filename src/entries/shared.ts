/**
 * What every protocol subpath (`mailwire/smtp`, `mailwire/pop3`, `mailwire/imap`) exports beside
 * its own namespace: {@link ProtocolError} (and {@link isProtocolError}, which also recognises the
 * error of the other module format) and the Web Streams adapters. One list, so the three
 * subpaths cannot drift apart.
 *
 * @packageDocumentation
 */

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
