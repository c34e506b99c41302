/**
 * IMAP: codec, streaming parsers and sessions.
 *
 * @packageDocumentation
 */

export {};
