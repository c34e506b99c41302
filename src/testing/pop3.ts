/**
 * fast-check arbitraries for POP3 values and wire streams.
 *
 * @packageDocumentation
 */

export {};
