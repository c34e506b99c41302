/**
 * Drivers for the mutation campaigns: each of the six sessions fed with chunks, with an
 * application that answers every event the way a list of random choices says (accept or
 * reject each command, body, SASL step; send mail, IDLE, AUTHENTICATE, QUIT on the client
 * side). Choices are taken in event order, so two chunkings of the same bytes get the same
 * answers as long as the session reports the same events, which is what split invariance
 * checks. No try/catch: a throw out of a session, or out of a call an event invited, is a
 * finding.
 */
import { imap, pop3, smtp } from '../../src/index';
import { concat, enc } from '../helpers/bytes';
import { normalise } from './drivers';

export interface ReactiveRun {
  readonly items: unknown[];
  /** Every byte the session wrote, in order. */
  readonly output: Uint8Array;
}

/**
 * How the application answers. `protocolClient`: the bytes come from a client that follows the
 * protocol, so the application answers every SASL start with a challenge (the client's next
 * line is its response) rather than refusing it (after which a pipelining client's response
 * line would be read as a command).
 */
export interface Policy {
  readonly protocolClient?: boolean;
}

/** Picks answers from the random list, in event order. */
function chooser(answers: readonly number[]): (n: number) => number {
  let i = 0;
  return (n) => (answers.length === 0 ? 0 : answers[i++ % answers.length]! % n);
}

type AnyEvent = { readonly type: string } & Record<string, unknown>;

/** After STARTTLS/STLS/COMPRESS the rest of the stream would be TLS records or deflate output, not protocol text. */
function switched(items: readonly unknown[]): boolean {
  return items.some((e) => {
    const t = (e as AnyEvent).type;
    return t === 'starttls' || t === 'stls' || t === 'compress';
  });
}

function run<E>(
  chunks: readonly Uint8Array[],
  session: { receive(c: Uint8Array): E[]; end(): E[]; takeOutput(): Uint8Array[] },
  handle: (events: E[]) => void,
  items: unknown[],
): ReactiveRun {
  const out: Uint8Array[] = [...session.takeOutput()];
  for (const c of chunks) {
    handle(session.receive(c));
    out.push(...session.takeOutput());
    if (switched(items)) break;
  }
  if (!switched(items)) handle(session.end());
  out.push(...session.takeOutput());
  return { items: normalise(items), output: concat(out) };
}

const es = (c: number, s: number, d: number): smtp.EnhancedStatus => ({ class: c, subject: s, detail: d });

/** smtp.ServerSession: each command accepted or refused (550/451), AUTH granted, refused or challenged. */
export function smtpServer(chunks: readonly Uint8Array[], answers: readonly number[], policy: Policy = {}): ReactiveRun {
  const s = new smtp.ServerSession({ domain: 'mx.example', maxMessageSize: 100_000 });
  const pick = chooser(answers);
  const items: unknown[] = [];
  const auth = (): smtp.ServerEvent[] => {
    const k = pick(3);
    return k === 0 ? s.reply(235, 'Authenticated', es(2, 7, 0)) : k === 1 ? s.reply(535, 'Authentication failed', es(5, 7, 8)) : s.challenge(enc('more'));
  };
  const handle = (events: smtp.ServerEvent[]): void => {
    for (const ev of events) {
      items.push(ev);
      if (ev.type === 'command') {
        const verb = ev.command.verb;
        if (verb === 'BDAT') continue; // answered at its data-end
        if (verb === 'AUTH') handle(policy.protocolClient ? s.challenge(enc('more')) : auth());
        else {
          const k = pick(3);
          handle(k === 0 ? s.accept() : k === 1 ? s.reply(550, 'Refused', es(5, 7, 1)) : s.reply(451, 'Try later', es(4, 3, 0)));
        }
      } else if (ev.type === 'data-end') handle(pick(2) === 0 ? s.accept() : s.reply(554, 'Rejected', es(5, 6, 0)));
      else if (ev.type === 'auth-response') handle(auth());
    }
  };
  return run(chunks, s, handle, items);
}

/** smtp.ClientSession: on ready, sends a message, authenticates or quits; after a message, sends another or quits. */
export function smtpClient(chunks: readonly Uint8Array[], answers: readonly number[], options: Partial<smtp.ClientSessionOptions> = {}): ReactiveRun {
  const s = new smtp.ClientSession({ domain: 'client.example', ...options });
  const pick = chooser(answers);
  const items: unknown[] = [];
  let acts = 0;
  const act = (): void => {
    if (acts++ > 4 || s.state !== 'ready') return;
    const k = pick(4);
    if (k === 0 || k === 1) {
      s.sendMail({ from: 'a@b.example', to: k === 0 ? ['c@d.example'] : ['c@d.example', 'e@f.example'] });
      s.writeBody(enc('Subject: x\r\n\r\n.leading dot\r\nline\r\n'));
      s.endBody();
    } else if (k === 2 && s.capabilities?.auth.includes('PLAIN')) s.authenticate({ mechanism: 'PLAIN', user: 'smith', password: 'sesame' });
    else s.quit();
  };
  const handle = (events: smtp.ClientEvent[]): void => {
    for (const ev of events) {
      items.push(ev);
      if (ev.type === 'ready' || ev.type === 'message' || ev.type === 'auth') act();
    }
  };
  return run(chunks, s, handle, items);
}

/** pop3.ServerSession: each command accepted or refused; RETR/TOP answered with a body, LIST/UIDL/CAPA with a listing. */
export function pop3Server(chunks: readonly Uint8Array[], answers: readonly number[], policy: Policy = {}): ReactiveRun {
  const s = new pop3.ServerSession({ greeting: 'POP3 ready <1896.697170952@dbc.mtview.ca.us>' });
  const pick = chooser(answers);
  const items: unknown[] = [];
  const handle = (events: pop3.ServerEvent[]): void => {
    for (const ev of events) {
      items.push(ev);
      if (ev.type === 'command') {
        const verb = ev.command.verb;
        const k = pick(3);
        // RFC 5034 4: AUTH without a mechanism lists the mechanisms.
        if (ev.command.verb === 'AUTH' && ev.command.mechanism === null) handle(k === 2 ? s.err('refused') : s.listing('mechanisms', ['PLAIN']));
        else if (verb === 'AUTH' && policy.protocolClient) handle(s.challenge(enc('more')));
        else if (k === 2) handle(s.err('refused'));
        else if (verb === 'AUTH') handle(k === 0 ? s.ok('logged in') : s.challenge(enc('more')));
        else if (verb === 'RETR' || verb === 'TOP') {
          s.beginBody('message follows');
          s.writeBody(enc('Subject: x\r\n\r\n.dot\r\nbody\r\n'));
          handle(s.endBody());
        } else if (verb === 'LIST' || verb === 'UIDL' || verb === 'CAPA') handle(s.listing('listing', verb === 'CAPA' ? ['USER', 'SASL PLAIN', 'PIPELINING'] : ['1 120']));
        else handle(s.ok('done'));
      } else if (ev.type === 'auth-response') {
        const k = pick(3);
        handle(k === 0 ? s.ok('logged in') : k === 1 ? s.err('no') : s.challenge(enc('more')));
      }
    }
  };
  return run(chunks, s, handle, items);
}

/** pop3.ClientSession: a download queued up front, logging in with USER/PASS or AUTH PLAIN. */
export function pop3Client(chunks: readonly Uint8Array[], answers: readonly number[]): ReactiveRun {
  const s = new pop3.ClientSession();
  const pick = chooser(answers);
  s.capa();
  if (pick(2) === 0) s.login('alice', 'secret');
  else s.authenticate({ mechanism: 'PLAIN', user: 'alice', password: 'secret' });
  s.stat();
  s.list();
  s.uidl();
  s.retr(1);
  s.top(1, 0);
  s.dele(1);
  s.quit();
  const items: unknown[] = [];
  return run(chunks, s, (events) => void items.push(...events), items);
}

/** imap.ServerSession: each command answered OK, NO or BAD; IDLE ended with OK; AUTHENTICATE granted, refused or challenged. */
export function imapServer(chunks: readonly Uint8Array[], answers: readonly number[], policy: Policy = {}): ReactiveRun {
  const s = new imap.ServerSession({ parser: { maxLiteralSize: 4096 } });
  const pick = chooser(answers);
  const items: unknown[] = [];
  const answer = (): imap.ServerEvent[] => {
    const k = pick(3);
    return k === 0 ? s.ok() : k === 1 ? s.no() : s.bad();
  };
  const handle = (events: imap.ServerEvent[]): void => {
    for (const ev of events) {
      items.push(ev);
      if (ev.type === 'command') {
        if (ev.command.command === 'IDLE') continue; // answered at idle-done
        if (ev.command.command === 'AUTHENTICATE' && (policy.protocolClient || pick(2) === 0)) handle(s.challenge(enc('more')));
        else handle(answer());
      } else if (ev.type === 'idle-done') handle(s.ok());
      else if (ev.type === 'auth-response') handle(pick(2) === 0 ? s.challenge(enc('more')) : answer());
    }
  };
  return run(chunks, s, handle, items);
}

/** imap.ClientSession: CAPABILITY, LOGIN or AUTHENTICATE, SELECT, FETCH, IDLE (ended at once), LOGOUT. */
export function imapClient(chunks: readonly Uint8Array[], answers: readonly number[]): ReactiveRun {
  const s = new imap.ClientSession({ parser: { literalThreshold: 8 } });
  const pick = chooser(answers);
  s.send({ command: 'CAPABILITY' });
  if (pick(2) === 0) s.send({ command: 'LOGIN', user: 'smith', password: 'sesame' });
  else s.authenticate({ mechanism: 'PLAIN', user: 'smith', password: 'sesame' });
  const items: unknown[] = [];
  let more = true;
  const handle = (events: imap.ClientEvent[]): void => {
    for (const ev of events) {
      items.push(ev);
      if (ev.type === 'idling') s.done();
      else if (ev.type === 'sasl-challenge') s.saslRespond(pick(2) === 0 ? enc('answer') : null);
      else if (ev.type === 'completed' && more && (s.state === 'authenticated' || s.state === 'selected')) {
        more = false;
        s.send({ command: 'SELECT', mailbox: 'INBOX' });
        s.send({ command: 'IDLE' });
        s.send({ command: 'LOGOUT' });
      }
    }
  };
  return run(chunks, s, handle, items);
}
