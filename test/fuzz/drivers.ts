/**
 * Drivers for the fuzz campaigns: each feeds a list of chunks to one parser or session with a
 * fixed, deterministic application policy, and returns a normalised transcript (items or
 * events, plus every byte the session wrote). Two chunkings of the same bytes must give equal
 * transcripts; data chunks are merged and errors reduced to their fields so that the
 * comparison is about meaning, not about where the chunks were cut.
 */
import { ProtocolError, imap, pop3, smtp } from '../../src/index';
import { concat, enc } from '../helpers/bytes';

export interface Transcript {
  readonly items: unknown[];
  readonly output: string;
}

const latin1 = (b: Uint8Array): string => String.fromCharCode(...b);

function errorFields(e: ProtocolError): object {
  return { error: e.code, message: e.message, offset: e.offset, tag: e.tag };
}

/** Replaces errors by their fields and merges consecutive data chunks of the same stream. */
export function normalise(items: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const raw of items) {
    let it = raw as Record<string, unknown>;
    // How many clear-text bytes followed STARTTLS depends on the chunking; the bytes do not matter.
    if (it.type === 'starttls' || it.type === 'stls') {
      it = { type: it.type };
      // So does whether an UNEXPECTED error reports such bytes just before the event.
      const prev = out[out.length - 1] as { type?: string; error?: { error?: string } } | undefined;
      if (prev?.type === 'error' && prev.error?.error === 'UNEXPECTED') out.pop();
    }
    if (it instanceof ProtocolError) it = errorFields(it) as Record<string, unknown>;
    else if (it.error instanceof ProtocolError) it = { ...it, error: errorFields(it.error) };
    const chunk = it.chunk;
    if (chunk instanceof Uint8Array) {
      const prev = out[out.length - 1] as Record<string, unknown> | undefined;
      if (prev && prev.type === it.type && prev.seq === it.seq && prev.item === it.item && typeof prev.chunk === 'string') {
        out[out.length - 1] = { ...prev, chunk: (prev.chunk as string) + latin1(chunk) };
        continue;
      }
      it = { ...it, chunk: latin1(chunk) };
    }
    out.push(it);
  }
  return out;
}

/** After STARTTLS/STLS the rest of the stream would be TLS records, not protocol text: drivers stop there. */
function startedTls(items: readonly unknown[]): boolean {
  return items.some((e) => (e as { type: string }).type === 'starttls' || (e as { type: string }).type === 'stls');
}

function drain(outputs: Uint8Array[][]): string {
  return outputs.map((o) => latin1(concat(o))).join('');
}

// ---------------------------------------------------------------- SMTP

/** smtp.CommandParser; DATA is accepted (startData), AUTH and STARTTLS refused (resume). */
export function smtpCommandParser(chunks: readonly Uint8Array[]): Transcript {
  const p = new smtp.CommandParser();
  const items: unknown[] = [];
  const take = (list: smtp.CommandParserItem[]): void => {
    for (const it of list) {
      items.push(it);
      if (it.type !== 'command') continue;
      const verb = it.command.verb;
      if (verb === 'DATA') take(p.startData());
      else if (verb === 'AUTH' || verb === 'STARTTLS') take(p.resume());
    }
  };
  for (const c of chunks) take(p.push(c));
  take(p.end());
  return { items: normalise(items), output: '' };
}

/** smtp.ReplyParser. */
export function smtpReplyParser(chunks: readonly Uint8Array[]): Transcript {
  const p = new smtp.ReplyParser();
  const items: unknown[] = [];
  for (const c of chunks) items.push(...p.push(c));
  items.push(...p.end());
  return { items: normalise(items), output: '' };
}

/** What the SMTP server application was asked to decide, in order (for the state model). */
export interface SmtpServerRun extends Transcript {
  readonly decisions: readonly string[];
}

/**
 * smtp.ServerSession with an application that accepts everything but AUTH (535) and answers
 * each message with 250.
 */
export function smtpServer(chunks: readonly Uint8Array[], options: Partial<smtp.ServerSessionOptions> = {}): SmtpServerRun {
  // STARTTLS announced, so that accepting it starts TLS (the state checks rely on that).
  const s = new smtp.ServerSession({ domain: 'mx.example', extensions: [{ keyword: 'STARTTLS', params: [] }], ...options });
  const items: unknown[] = [];
  const decisions: string[] = [];
  const outputs: Uint8Array[][] = [s.takeOutput()];
  const handle = (events: smtp.ServerEvent[]): void => {
    for (const ev of events) {
      items.push(ev);
      if (ev.type === 'command') {
        decisions.push(ev.command.verb);
        // A BDAT command is answered at its data-end event.
        if (ev.command.verb !== 'BDAT') handle(ev.command.verb === 'AUTH' ? s.reply(535, 'no', { class: 5, subject: 7, detail: 8 }) : s.accept());
      } else if (ev.type === 'data-end') {
        decisions.push(ev.last ? 'MESSAGE' : 'CHUNK');
        handle(s.accept());
      } else if (ev.type === 'auth-response') {
        decisions.push('AUTH-RESPONSE');
        handle(s.reply(535, 'no'));
      }
    }
  };
  for (const c of chunks) {
    handle(s.receive(c));
    outputs.push(s.takeOutput());
    // After STARTTLS the rest of the stream would be TLS records, not protocol text.
    if (startedTls(items)) break;
  }
  if (!startedTls(items)) handle(s.end());
  outputs.push(s.takeOutput());
  return { items: normalise(items), output: drain(outputs), decisions };
}

/** smtp.ClientSession that sends one message (DATA body with a leading dot) and then QUIT. */
export function smtpClient(chunks: readonly Uint8Array[], options: Partial<smtp.ClientSessionOptions> = {}): Transcript & { afterClose: number } {
  const s = new smtp.ClientSession({ domain: 'client.example', ...options });
  const items: unknown[] = [];
  const outputs: Uint8Array[][] = [s.takeOutput()];
  let sent = false;
  let quit = false;
  let closed = false;
  let afterClose = 0;
  const handle = (events: smtp.ClientEvent[]): void => {
    for (const ev of events) {
      items.push(ev);
      if (ev.type === 'closed') closed = true;
      if (ev.type === 'ready' && !sent && s.state === 'ready') {
        sent = true;
        s.sendMail({ from: 'a@b.example', to: ['c@d.example', 'e@f.example'] });
        s.writeBody(enc('Subject: x\r\n\r\n.leading dot\r\n'));
        s.endBody();
      }
      if (ev.type === 'message' && !quit && s.state === 'ready') {
        quit = true;
        s.quit();
      }
    }
  };
  for (const c of chunks) {
    const wasClosed = closed;
    handle(s.receive(c));
    const o = s.takeOutput();
    if (wasClosed) afterClose += o.reduce((n, b) => n + b.length, 0);
    outputs.push(o);
  }
  handle(s.end());
  outputs.push(s.takeOutput());
  return { items: normalise(items), output: drain(outputs), afterClose };
}

// ---------------------------------------------------------------- POP3

/** pop3.ResponseParser with a fixed list of expectations queued up front. */
export function pop3ResponseParser(chunks: readonly Uint8Array[], expectations: readonly pop3.Expectation[]): Transcript {
  const p = new pop3.ResponseParser();
  for (const e of expectations) p.expect(e);
  const items: unknown[] = [];
  for (const c of chunks) items.push(...p.push(c));
  items.push(...p.end());
  return { items: normalise(items), output: '' };
}

/** pop3.ServerSession with an application that accepts every command (and refuses AUTH). */
export function pop3Server(chunks: readonly Uint8Array[]): Transcript & { decisions: string[]; states: string[] } {
  const s = new pop3.ServerSession({ greeting: 'POP3 ready <1896.697170952@dbc.mtview.ca.us>' });
  const items: unknown[] = [];
  const decisions: string[] = [];
  const states: string[] = [];
  const outputs: Uint8Array[][] = [s.takeOutput()];
  const handle = (events: pop3.ServerEvent[]): void => {
    for (const ev of events) {
      items.push(ev);
      if (ev.type === 'command') {
        const name = ev.command.verb;
        decisions.push(name);
        states.push(s.state);
        if (name === 'AUTH') handle(s.err('no SASL here'));
        else if (name === 'RETR' || name === 'TOP') {
          s.beginBody('message follows');
          s.writeBody(enc('Subject: x\r\n\r\n.dot\r\n'));
          handle(s.endBody());
        } else if (name === 'LIST' || name === 'UIDL') handle(s.listing('listing', ['1 120']));
        else handle(s.ok('done'));
      } else if (ev.type === 'auth-response') handle(s.err('no'));
    }
  };
  for (const c of chunks) {
    handle(s.receive(c));
    outputs.push(s.takeOutput());
    // After STARTTLS the rest of the stream would be TLS records, not protocol text.
    if (startedTls(items)) break;
  }
  if (!startedTls(items)) handle(s.end());
  outputs.push(s.takeOutput());
  return { items: normalise(items), output: drain(outputs), decisions, states };
}

/** pop3.ClientSession with every command of a download queued up front. */
export function pop3Client(chunks: readonly Uint8Array[]): Transcript {
  const s = new pop3.ClientSession();
  s.capa();
  s.login('user', 'pass');
  s.stat();
  s.list();
  s.uidl();
  s.retr(1);
  s.top(1, 0);
  s.dele(1);
  s.quit();
  const items: unknown[] = [];
  const outputs: Uint8Array[][] = [s.takeOutput()];
  for (const c of chunks) {
    items.push(...s.receive(c));
    outputs.push(s.takeOutput());
  }
  items.push(...s.end());
  outputs.push(s.takeOutput());
  return { items: normalise(items), output: drain(outputs) };
}

// ---------------------------------------------------------------- IMAP

/** imap.ResponseParser (small literal threshold so streaming is exercised). */
export function imapResponseParser(chunks: readonly Uint8Array[]): Transcript {
  const p = new imap.ResponseParser({ literalThreshold: 8 });
  const items: unknown[] = [];
  for (const c of chunks) items.push(...p.push(c));
  items.push(...p.end());
  return { items: normalise(items), output: '' };
}

/** imap.ServerSession with an application that says OK to everything but AUTHENTICATE. */
export function imapServer(chunks: readonly Uint8Array[], options: imap.ServerSessionOptions = {}): Transcript & { decisions: { command: string; state: string }[] } {
  const s = new imap.ServerSession({ parser: { maxLiteralSize: 64 }, ...options });
  const items: unknown[] = [];
  const decisions: { command: string; state: string }[] = [];
  const outputs: Uint8Array[][] = [s.takeOutput()];
  const handle = (events: imap.ServerEvent[]): void => {
    for (const ev of events) {
      items.push(ev);
      if (ev.type === 'command') {
        decisions.push({ command: ev.command.command, state: s.state });
        if (ev.command.command === 'AUTHENTICATE') handle(s.no('no SASL here'));
        else if (ev.command.command !== 'IDLE') handle(s.ok());
      } else if (ev.type === 'idle-done') handle(s.ok());
      else if (ev.type === 'auth-response') handle(s.no());
    }
  };
  for (const c of chunks) {
    handle(s.receive(c));
    outputs.push(s.takeOutput());
    // After STARTTLS the rest of the stream would be TLS records, not protocol text.
    if (startedTls(items)) break;
  }
  if (!startedTls(items)) handle(s.end());
  outputs.push(s.takeOutput());
  return { items: normalise(items), output: drain(outputs), decisions };
}

/** imap.ClientSession with a short session queued up front. */
export function imapClient(chunks: readonly Uint8Array[]): Transcript {
  const s = new imap.ClientSession({ parser: { literalThreshold: 8 } });
  s.send({ command: 'CAPABILITY' });
  s.send({ command: 'LOGIN', user: 'smith', password: 'sesame' });
  s.send({ command: 'NOOP' });
  s.send({ command: 'LOGOUT' });
  const items: unknown[] = [];
  const outputs: Uint8Array[][] = [s.takeOutput()];
  for (const c of chunks) {
    items.push(...s.receive(c));
    outputs.push(s.takeOutput());
  }
  items.push(...s.end());
  outputs.push(s.takeOutput());
  return { items: normalise(items), output: drain(outputs) };
}

/**
 * imap.ClientSession through a layer switch, which `imapClient` never reaches: STARTTLS
 * (RFC 3501 6.2.1) queued before the greeting, or COMPRESS=DEFLATE (RFC 4978) queued behind
 * LOGIN; then the commands behind it. `before` are the server's reads up to the switch (what
 * follows the STARTTLS OK in clear text is dropped; the driver stops reading them, as a TLS
 * socket would); `after` the reads once the new layer is up: decrypted, or inflated (here the
 * identity, so the bytes after the COMPRESS OK, `rest` included, go on as they are).
 */
export function imapClientSwitch(mode: 'starttls' | 'compress', before: readonly Uint8Array[], after: readonly Uint8Array[]): Transcript {
  const s = new imap.ClientSession({ parser: { literalThreshold: 8 } });
  if (mode === 'starttls') s.startTls();
  s.send({ command: 'LOGIN', user: 'smith', password: 'sesame' });
  if (mode === 'compress') s.compress();
  s.send({ command: 'NOOP' });
  s.send({ command: 'LOGOUT' });
  const items: unknown[] = [];
  const outputs: Uint8Array[][] = [s.takeOutput()];
  let tls = false;
  const feed = (c: Uint8Array): void => {
    const events = s.receive(c);
    let rest: Uint8Array | null = null;
    for (const ev of events) {
      // How many clear-text octets followed the STARTTLS OK, and which bytes of the read were
      // left after the COMPRESS OK, depend on the chunking: their meaning does not.
      if (ev.type === 'error' && ev.error.code === 'UNEXPECTED' && /STARTTLS OK/.test(ev.error.message)) continue;
      if (ev.type === 'compress') {
        rest = ev.rest;
        items.push({ type: 'compress' });
        continue;
      }
      items.push(ev);
      if (ev.type === 'starttls') tls = true;
    }
    outputs.push(s.takeOutput());
    if (rest !== null) {
      s.compressionEstablished();
      outputs.push(s.takeOutput());
      feed(rest);
    }
  };
  for (const c of before) {
    feed(c);
    if (tls) break;
  }
  if (tls) {
    s.tlsEstablished();
    outputs.push(s.takeOutput());
  }
  for (const c of after) feed(c);
  items.push(...s.end());
  outputs.push(s.takeOutput());
  return { items: normalise(items), output: drain(outputs) };
}
