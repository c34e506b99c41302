/**
 * SMTP, ESMTP and LMTP (RFC 5321, RFC 2033 and the extension RFCs): codec, streaming
 * parsers and sessions.
 *
 * @packageDocumentation
 */

export * from './types';
export * from './address';
export * from './xtext';
export * from './utf8-addr-xtext';
export * from './parameters';
export * from './extension-parameters';
export * from './command';
export * from './reply';
export * from './enhanced-status';
export * from './reply-codes';
export * from './capabilities';
export * from './parser';
export * from './server';
export * from './client';
