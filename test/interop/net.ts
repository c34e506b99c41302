/**
 * Socket plumbing for the interop tests: every connection goes to 127.0.0.1, every step has a
 * timeout, and every socket a test file opened is destroyed in its afterAll (closeAll).
 */
import { inject } from 'vitest';
import { connect as connectSocket, SocketSession } from '../../src/node/index';
import { imap, pop3, smtp } from '../../src/index';
import type { ServersInfo } from './global-setup';

export { SocketSession };

/** Default time for one network step (connect, one reply). */
export const STEP_MS = 15_000;

const open = new Set<{ socket: { destroy(): void } }>();

/** The servers started by the global setup. */
export function servers(): ServersInfo {
  return inject('servers');
}

/** Rejects when `p` has not settled within `ms`. */
export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    t = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(t);
  }
}

/** Polls `probe` until it returns a value other than undefined (or fails after `ms`). */
export async function eventually<T>(probe: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function connect<E extends { readonly type: string }, S extends { receive(c: Uint8Array): E[]; end(): E[]; takeOutput(): Uint8Array[] }>(session: S, port: number): Promise<SocketSession<S, E>> {
  const w = await connectSocket<S, E>(session, { port, host: '127.0.0.1', timeoutMs: STEP_MS });
  open.add(w);
  w.socket.setTimeout(60_000, () => w.socket.destroy(new Error(`socket to port ${port} idle for 60 s`)));
  return w;
}

/** An SMTP/LMTP ClientSession on a socket. */
export type SmtpWire = SocketSession<smtp.ClientSession>;
/** A POP3 ClientSession on a socket. */
export type Pop3Wire = SocketSession<pop3.ClientSession>;
/** An IMAP ClientSession on a socket. */
export type ImapWire = SocketSession<imap.ClientSession>;

/** Connects an SMTP (or LMTP) ClientSession and waits until EHLO/LHLO succeeded. */
export async function openSmtp(port: number, options: Partial<smtp.ClientSessionOptions> = {}): Promise<{ w: SmtpWire; ready: smtp.ClientReadyEvent }> {
  const w = await connect<smtp.ClientEvent, smtp.ClientSession>(new smtp.ClientSession({ domain: 'client.interop.test', ...options }), port);
  const ready = await w.next('ready', STEP_MS);
  return { w, ready };
}

/** Connects a POP3 ClientSession and waits for the greeting. */
export async function openPop3(port: number, options: pop3.ClientSessionOptions = {}): Promise<{ w: Pop3Wire; greeting: pop3.ClientGreetingEvent }> {
  const w = await connect<pop3.ClientEvent, pop3.ClientSession>(new pop3.ClientSession(options), port);
  const greeting = await w.next('greeting', STEP_MS);
  return { w, greeting };
}

/** Connects an IMAP ClientSession and waits for the greeting. */
export async function openImap(port: number, options: imap.ClientSessionOptions = {}): Promise<ImapWire> {
  const w = await connect<imap.ClientEvent, imap.ClientSession>(new imap.ClientSession(options), port);
  await w.next('greeting', STEP_MS);
  return w;
}

type ImapCompleted = Extract<imap.ClientEvent, { type: 'completed' }>;

/** Sends an IMAP command and waits for its tagged completion; returns it with every event seen meanwhile. */
export async function imapRun(w: ImapWire, command: imap.CommandIntent, ms = STEP_MS): Promise<{ done: ImapCompleted; events: imap.ClientEvent[] }> {
  const tag = w.do((s) => s.send(command));
  const events = await w.until((e) => e.type === 'completed' && e.tag === tag, ms);
  return { done: events[events.length - 1] as ImapCompleted, events };
}

/** Like imapRun, but fails unless the server answered OK. */
export async function imapOk(w: ImapWire, command: imap.CommandIntent, ms = STEP_MS): Promise<{ done: ImapCompleted; events: imap.ClientEvent[] }> {
  const r = await imapRun(w, command, ms);
  if (r.done.response.status !== 'OK') throw new Error(`${command.command} failed: ${r.done.response.status} ${r.done.response.text}`);
  return r;
}

/** Logs in over IMAP with LOGIN. */
export async function imapLogin(user: string, options: imap.ClientSessionOptions = {}): Promise<ImapWire> {
  const info = servers();
  const w = await openImap(info.ports.imap, options);
  await imapOk(w, { command: 'LOGIN', user, password: info.users[user]!.password });
  return w;
}

/** Logs out (waits for the tagged OK and the close). */
export async function imapLogout(w: ImapWire): Promise<void> {
  await imapOk(w, { command: 'LOGOUT' });
  w.close();
}

/**
 * Sends one message through Postfix's SMTP port (Postfix then delivers it to Dovecot over LMTP).
 * Fails unless every recipient and the message were accepted.
 */
export async function deliver(to: string | readonly string[], message: Uint8Array, from = `bounces@${servers().domain}`): Promise<void> {
  const { w } = await openSmtp(servers().ports.smtp);
  w.do((s) => {
    s.sendMail({ from, to: typeof to === 'string' ? [to] : to });
    s.writeBody(message);
    s.endBody();
  });
  const m = await w.next('message', 60_000);
  if (!m.accepted) throw new Error(`delivery refused: ${m.reply.code} ${m.reply.lines.join(' ')}`);
  w.do((s) => s.quit());
  await w.next('closed', STEP_MS);
  w.close();
}

/** Destroys every socket this test file opened (afterAll). */
export function closeAll(): void {
  for (const w of open) w.socket.destroy();
  open.clear();
}
