/**
 * fast-check arbitraries for every protocol value, public as `mailwire/testing`, so users can
 * fuzz their own code with well-formed (and hostile) protocol input. Needs `fast-check`
 * (an optional peer dependency).
 *
 * @packageDocumentation
 */

export * as smtp from './smtp';
export * as pop3 from './pop3';
export * as imap from './imap-namespace';
