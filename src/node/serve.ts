/**
 * `serve()`: a mail server from a session factory and one handler per command, with write
 * backpressure, STARTTLS/STLS and implicit TLS handled by {@link SocketSession}.
 *
 * @packageDocumentation
 */

import net from 'node:net';
import tls from 'node:tls';
import { SocketSession, type EventOf, type SocketSessionOptions, type WireSession } from './socket-session';

/** The command value of a server session's `command` events (what a {@link CommandHandler} gets). */
export type CommandOf<E> = Extract<E, { readonly type: 'command' }> extends { readonly command: infer C } ? C : never;

/**
 * Handles one command of one connection. Answer through `conn.do((s) => s.ok())` (or
 * `reply()`, `accept()`...); awaiting `conn.drained()` between big writes keeps memory bounded
 * when the client reads slowly. The next command is handled after the returned promise settles.
 */
export type CommandHandler<S extends WireSession<E>, E extends { readonly type: string } = EventOf<S>> = (
  command: CommandOf<E>,
  conn: SocketSession<S, E>,
  /** The whole event, for what it carries besides the command (POP3: the USER name before PASS). */
  event: Extract<E, { readonly type: 'command' }>,
) => void | Promise<void>;

/** Options of {@link serve}. */
export interface ServeOptions<S extends WireSession<E>, E extends { readonly type: string } = EventOf<S>> extends Omit<SocketSessionOptions, 'role' | 'tls'> {
  /** A fresh session per connection (e.g. `() => new imap.ServerSession()`). */
  readonly createSession: (socket: net.Socket) => S;
  /**
   * Handlers by command name, upper-case: the SMTP/POP3 `verb` or the IMAP `command`
   * (`'EHLO'`, `'RETR'`, `'FETCH'`...). `'*'` handles any command without its own entry.
   */
  readonly commands: Partial<Record<string, CommandHandler<S, E>>>;
  /** Every event that is not a command (data chunks, auth responses, `closed`, `error`...). */
  readonly onEvent?: (event: E, conn: SocketSession<S, E>) => void | Promise<void>;
  /** A handler threw: the connection is closed; this is told why. Default: ignore. */
  readonly onError?: (error: unknown, conn: SocketSession<S, E>) => void;
  /** Implicit TLS from the first byte (SMTPS, POP3S, IMAPS): the certificate and key. */
  readonly implicitTls?: tls.TlsOptions;
}

function commandName(command: unknown): string {
  const c = command as { verb?: unknown; command?: unknown };
  return String(typeof c.verb === 'string' ? c.verb : c.command).toUpperCase();
}

/**
 * Creates a server (not yet listening): every connection gets a session from
 * `createSession`, wired with {@link SocketSession}; its events are handled one at a time, in
 * order. Call `listen()` on the result.
 *
 * @example
 * ```ts
 * import { pop3 } from 'mailwire';
 * import { serve } from 'mailwire/node';
 * const server = serve({
 *   createSession: () => new pop3.ServerSession({ greeting: 'ready' }),
 *   commands: {
 *     STAT: (_c, conn) => void conn.do((s) => s.ok('0 0')),
 *     '*': (_c, conn) => void conn.do((s) => s.ok()),
 *   },
 * });
 * server.listen(1110, '127.0.0.1');
 * ```
 */
export function serve<S extends WireSession<E>, E extends { readonly type: string } = EventOf<S>>(options: ServeOptions<S, E>): net.Server {
  const onSocket = (socket: net.Socket): void => {
    const conn = new SocketSession<S, E>(socket, options.createSession(socket), { ...options, role: 'server' });
    void (async () => {
      try {
        for await (const event of conn) {
          if (event.type === 'command') {
            const command = (event as unknown as { command: CommandOf<E> }).command;
            const handler = options.commands[commandName(command)] ?? options.commands['*'];
            if (handler) await handler(command, conn, event as Extract<E, { readonly type: 'command' }>);
          } else {
            await options.onEvent?.(event, conn);
            if (event.type === 'closed') conn.close();
          }
        }
      } catch (error) {
        options.onError?.(error, conn);
        conn.socket.destroy();
      }
    })();
  };
  return options.implicitTls ? tls.createServer(options.implicitTls, onSocket) : net.createServer(onSocket);
}
