/**
 * fast-check arbitraries for IMAP values and wire streams.
 *
 * @packageDocumentation
 */

export {};
