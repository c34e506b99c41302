/**
 * POP3: codec, streaming parsers and sessions.
 *
 * @packageDocumentation
 */

export {};
