/**
 * Protocol-independent machinery: byte queue, CRLF line framing, dot-stuffing, errors,
 * byte/text helpers, base64 and SASL. Imports nothing from the protocol folders.
 *
 * @packageDocumentation
 */

export * from './errors';
export * from './bytes';
export * from './byte-queue';
export * from './line-framer';
export * from './dot-stuffing';
export * from './base64';
export * from './sasl';
export * from './output-queue';
export * from './web-streams';
export * from './digest';
export * from './saslprep';
export * from './sasl-scram';
export * from './sasl-mechanisms';
export * from './pipeline';
export * from './sasl-client';
export * from './encode-checks';
export * from './input-backlog';
export * from './text-cache';
