/**
 * POP3 (RFC 1939 with RFC 2449, 2595, 5034, 6856): codec, streaming parsers and sessions.
 *
 * @packageDocumentation
 */

export * from './types';
export * from './command';
export * from './response';
export * from './md5';
export * from './parser';
export * from './client';
export * from './server';
