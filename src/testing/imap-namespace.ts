/**
 * The `imap` namespace of `mailwire/testing`: the response arbitraries and the command
 * arbitraries, from their two files.
 *
 * @packageDocumentation
 */

export * from './imap';
export * from './imap-command';
