/// <reference types="node" />
/**
 * `mailwire/node`: the Node.js socket and TLS adapter. Wires any mailwire session to a
 * `net.Socket` / `tls.TLSSocket` with backpressure, performs STARTTLS/STLS with node:tls and
 * calls `tlsEstablished()` after the handshake, and offers Promise and async-iterator helpers:
 * {@link sendMail}, {@link pop3Messages}, {@link imapMessages} and {@link serve}. The only entry
 * besides the command-line tool that imports `node:` modules.
 *
 * @packageDocumentation
 */

export * from './socket-session';
export * from './start-tls';
export * from './send-mail';
export * from './retrieve';
export * from './serve';
