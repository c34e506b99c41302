/**
 * fast-check arbitraries for SMTP values and wire streams.
 *
 * @packageDocumentation
 */

export {};
