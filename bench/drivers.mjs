// Parser drivers: each takes a prepared corpus and a chunk size and returns the number of items parsed.
// Async drivers (peers built on Node streams) return a Promise.
import { createRequire } from 'node:module';
import { PassThrough, Writable } from 'node:stream';
const require = createRequire(import.meta.url);

export function split(buf, size) {
  const out = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, Math.min(buf.length, i + size)));
  return out;
}
// A Buffer is a Uint8Array: mailwire takes the chunks as they are (no wrapper allocation per
// chunk, which at 1-byte chunks was ~10 % of mailwire's profile).
const u8 = (b) => b;

// ---- reference limits ----
export function limitIndexOf(chunks) {
  // The bare CRLF line split every framer has to do, at memchr speed: find each LF, count it
  // when a CR precedes it. A line cut between chunks costs nothing extra: only whether the
  // previous chunk ended in CR is carried (concatenating the carried partial line with each
  // new chunk, as this reference once did, is quadratic at 1-byte reads and 5-10x slower).
  let n = 0; let cr = false;
  for (const c of chunks) {
    let p = 0;
    if (cr && c.length > 0 && c[0] === 0x0a) { n++; p = 1; }
    let i;
    while ((i = c.indexOf(0x0a, p)) !== -1) { if (i > 0 && c[i - 1] === 0x0d) n++; p = i + 1; }
    if (c.length > 0) cr = c[c.length - 1] === 0x0d;
  }
  return n;
}
export function limitCopy(chunks) {
  let n = 0; let total = 0; for (const c of chunks) total += c.length;
  const dst = Buffer.allocUnsafe(total);
  for (const c of chunks) { dst.set(c, n); n += c.length; }
  return n;
}

// ---- mailwire ----
let mw;
export async function loadMailwire() { mw ??= await import('../dist/index.js'); return mw; }

// Reads every ENVELOPE and BODYSTRUCTURE in full, the way an application listing a mailbox
// does, and counts what it finds (see the tally in corpus.mjs). Every field is read one by one
// (no array literal per object: the walk is the application's cost, not the parser's).
function str(s, t) { if (s != null) { t.strings++; t.chars += s.length; } }
function walkAddresses(list, t) {
  if (list == null) return;
  for (const a of list) {
    t.addresses++;
    str(a.name, t); str(a.adl, t); str(a.mailbox, t); str(a.host, t);
  }
}
function walkEnvelope(e, t) {
  str(e.date, t); str(e.subject, t); str(e.inReplyTo, t); str(e.messageId, t);
  walkAddresses(e.from, t); walkAddresses(e.sender, t); walkAddresses(e.replyTo, t);
  walkAddresses(e.to, t); walkAddresses(e.cc, t); walkAddresses(e.bcc, t);
}
function walkParams(p, t) { if (p) for (const k in p) { t.strings++; t.chars += p[k].length; } }
function walkBody(b, t) {
  if (b.kind === 'multipart') {
    t.multiParts++;
    for (const p of b.parts) walkBody(p, t);
    t.strings++; t.chars += b.subtype.length;
    walkParams(b.params, t);
    return;
  }
  t.singleParts++;
  str(b.type, t); str(b.subtype, t); str(b.id, t); str(b.description, t); str(b.encoding, t);
  walkParams(b.params, t);
  if (b.envelope) walkEnvelope(b.envelope, t);
  if (b.body) walkBody(b.body, t);
}
/** mailwire with `lazy: true`, every ENVELOPE and BODYSTRUCTURE still walked in full (the same tallies as eager). */
export function mwImapLazy(chunks) { return mwImap(chunks, undefined, undefined, { lazy: true }); }
/**
 * mailwire with `lazy: true`, reading what a message-list view shows: UID, FLAGS, INTERNALDATE
 * (the Date), RFC822.SIZE and the ENVELOPE's date, subject and from addresses; BODYSTRUCTURE
 * and the other ENVELOPE fields are not read. Checked against the generator's list tally.
 */
export function mwImapListView(chunks) {
  const p = new mw.imap.ResponseParser({ lazy: true }); let n = 0; let err = 0;
  const l = { messages: 0, uidSum: 0, flags: 0, sizeSum: 0, internalDates: 0, fromAddresses: 0, chars: 0 };
  const count = (items) => {
    for (const it of items) {
      if (it.type === 'error') { err++; continue; }
      n++;
      if (it.type !== 'untagged' || it.kind !== 'FETCH') continue;
      const a = it.attributes;
      l.messages++; l.uidSum += a.uid; l.flags += a.flags.length; l.sizeSum += a.rfc822Size;
      if (a.internalDate !== null && a.internalDate.getTime() === 837596665000) l.internalDates++;
      const e = a.envelope;
      if (e.date !== null) l.chars += e.date.length;
      if (e.subject !== null) l.chars += e.subject.length;
      if (e.from !== null) for (const f of e.from) {
        l.fromAddresses++;
        if (f.name !== null) l.chars += f.name.length;
        if (f.mailbox !== null) l.chars += f.mailbox.length;
        if (f.host !== null) l.chars += f.host.length;
      }
    }
  };
  for (const c of chunks) count(p.push(u8(c)));
  count(p.end());
  return err ? -err : { count: n, check: l };
}
export function mwImap(chunks, _corpus, _size, options) {
  const p = new mw.imap.ResponseParser(options); let n = 0; let err = 0;
  const t = { addresses: 0, singleParts: 0, multiParts: 0, strings: 0, chars: 0, literalBytes: 0 };
  const count = (items) => {
    for (const it of items) {
      if (it.type === 'error') { err++; continue; }
      if (it.type === 'literal-chunk') { t.literalBytes += it.chunk.length; continue; }
      if (it.type === 'literal-end') continue;
      n++;
      if (it.type !== 'untagged' || it.kind !== 'FETCH') continue;
      const a = it.attributes;
      if (a.envelope) walkEnvelope(a.envelope, t);
      if (a.bodyStructure) walkBody(a.bodyStructure, t);
      if (a.sections) for (const s of a.sections) if (s.data instanceof Uint8Array) t.literalBytes += s.data.length;
    }
  };
  for (const c of chunks) count(p.push(u8(c)));
  count(p.end());
  return err ? -err : { count: n, check: t };
}
export function mwSmtpIn(chunks) {
  const p = new mw.smtp.CommandParser(); let n = 0; let err = 0; let bodyBytes = 0;
  const count = (items) => {
    for (const it of items) {
      if (it.type === 'data') bodyBytes += it.chunk.length;
      else if (it.type === 'command' || it.type === 'data-end') n++;
      else if (it.type === 'error') err++;
    }
    if (p.expecting === 'paused') count(p.startData()); // a server that accepts every DATA
  };
  for (const c of chunks) count(p.push(u8(c)));
  count(p.end());
  return err ? -err : { count: n, check: { bodyBytes } };
}
export function mwSmtpReplies(chunks) {
  // Reads what a client uses of every reply (code, enhanced code, every line's text) and
  // tallies it against the generator's, so a parser that skipped or deferred a field fails.
  const p = new mw.smtp.ReplyParser(); let n = 0; let err = 0;
  const t = { codeSum: 0, enhanced: 0, enhancedSum: 0, lines: 0, textChars: 0 };
  const count = (items) => {
    for (const it of items) {
      if (it.type !== 'reply') { err++; continue; }
      n++;
      const r = it.reply;
      t.codeSum += r.code;
      if (r.enhanced !== null) { t.enhanced++; t.enhancedSum += r.enhanced.class + r.enhanced.subject + r.enhanced.detail; }
      for (const l of r.lines) { t.lines++; t.textChars += l.length; }
    }
  };
  for (const c of chunks) count(p.push(u8(c)));
  count(p.end());
  return err ? -err : { count: n, check: t };
}
export function mwPop3(chunks, corpus) {
  const p = new mw.pop3.ResponseParser(); let n = 0; let err = 0; let bodyBytes = 0; let listingLines = 0;
  for (const e of corpus.expect) p.expect(e);
  const count = (items) => {
    for (const it of items) {
      if (it.type === 'data') bodyBytes += it.chunk.length;
      else if (it.type === 'response') { n++; if (it.lines) listingLines += it.lines.length; }
      else if (it.type === 'data-end') n++;
      else if (it.type === 'error') err++;
    }
  };
  for (const c of chunks) count(p.push(u8(c)));
  count(p.end());
  return err ? -err : { count: n, check: { bodyBytes, listingLines } };
}

// ---- peers: IMAP ----
export function nodeImap(chunks) {
  // node-imap's Parser reads a stream; feed it asynchronously (synchronous tiny chunks overflow its stack).
  const { Parser } = require('imap/lib/Parser');
  return new Promise((resolve) => {
    const s = new PassThrough(); const p = new Parser(s); let n = 0;
    p.on('untagged', () => n++); p.on('tagged', () => n++);
    p.on('body', (stream) => { stream.resume(); });
    p.on('error', () => resolve(-1));
    let i = 0;
    const feed = () => {
      if (i >= chunks.length) { setImmediate(() => resolve(n)); return; }
      // write a batch per turn so the parser drains between writes
      const end = Math.min(chunks.length, i + 64);
      for (; i < end; i++) s.write(chunks[i]);
      setImmediate(feed);
    };
    feed();
  });
}
export function imapflow(chunks) {
  // imapflow's ImapStream frames responses (with literals), its async parser turns each into values,
  // read the way imapflow's own reader loop does (on 'readable', one item at a time, then next()).
  const { ImapStream } = require('imapflow/lib/handler/imap-stream');
  const { parser } = require('imapflow/lib/handler/imap-handler');
  return new Promise((resolve) => {
    const s = new ImapStream(); let n = 0; let failed = false; let reading = false; let ended = false;
    const loop = async () => {
      if (reading) return; reading = true;
      let d;
      while ((d = s.read()) !== null) {
        try { await parser(d.payload, { literals: d.literals }); n++; } catch { failed = true; }
        d.next();
      }
      reading = false;
      if (ended) resolve(failed ? -1 : n);
    };
    s.on('readable', loop);
    s.on('end', () => { ended = true; if (!reading) resolve(failed ? -1 : n); });
    s.on('error', () => resolve(-1));
    let i = 0;
    const w = () => { while (i < chunks.length) { if (!s.write(chunks[i++])) { s.once('drain', w); return; } } s.end(); };
    w();
  });
}
export function emailjsImap(_chunks, corpus) {
  // emailjs-imap-handler parses one pre-framed response (no streaming): frames come from the generator.
  const { parser } = require('emailjs-imap-handler');
  let n = 0;
  for (const f of corpus.frames) { parser(u8(f.subarray(0, f.length - 2))); n++; }
  return n;
}

// ---- peers: SMTP ----
export function smtpServer(_chunks, corpus, size) {
  // SMTPStream, fed the way a compliant client writes: up to DATA, wait for the 354 (data mode
  // started), then the body, wait for the 250 (data stream ended and continue() called), and so on.
  // Writing the next transaction before continue() has run is not only unlike a real client, it
  // trips SMTPStream: continue() runs the pending write callback, which can synchronously end the
  // next message, and then clears the callback that message just installed (the 16 KiB stall).
  return import('smtp-server/lib/smtp-stream.js').then(({ SMTPStream }) => new Promise((resolve) => {
    const s = new SMTPStream(); let n = 0; let bad = false; let gate = null; let bodyBytes = 0;
    const open = () => { const g = gate; gate = null; if (g) setImmediate(g); };
    s.oncommand = (line, cb) => {
      n++;
      if (/^DATA$/i.test(line.toString())) {
        const ds = s.startDataMode();
        ds.on('data', (d) => { bodyBytes += d.length; }); ds.on('end', () => { n++; s.continue(); open(); });
        open();
      }
      if (cb) cb();
    };
    s.on('error', () => { bad = true; });
    const segs = corpus.segments; let k = 0;
    const next = () => {
      if (k >= segs.length) { s.once('finish', () => setImmediate(() => resolve(bad ? -1 : { count: n, check: { bodyBytes } }))); s.end(); return; }
      const seg = segs[k++];
      // every segment but the last ends where the client waits for a reply
      if (k < segs.length) gate = next;
      const parts = split(seg, size); let j = 0;
      const w = () => {
        while (j < parts.length) { if (!s.write(parts[j++])) { s.once('drain', w); return; } }
        if (k >= segs.length) setImmediate(next);
      };
      w();
    };
    next();
  }));
}

// ---- peers: POP3 ----
// node-pop3 and yapople read replies inside their socket clients: no parser entry point. Each is given
// a stand-in socket (net's connect is replaced in this process, which runs nothing else) and the
// server's bytes as 'data' events. Both assume a status line at the start of a read and find the
// terminator only at the end of a read, so they get one response per read sequence: each response
// is cut into `size` chunks on its own (never two responses in one read), with a final chunk of at
// least 5 bytes. That is more generous than the continuous stream mailwire is given. Neither unstuffs
// dots. yapople has no UIDL: its LIST reader, which the UIDL listing matches in shape, reads it.
function perResponse(corpus, size) {
  const key = `_chunks${size}`;
  return (corpus[key] ??= corpus.responses.map(({ command, data }) => {
    const parts = split(data, size);
    if (parts.length > 1 && parts[parts.length - 1].length < 5) {
      const cut = data.length - 5;
      parts.splice(parts.length - 2, 2, data.subarray(Math.floor((cut - 1) / size) * size, cut), data.subarray(cut));
    }
    // what a reader that strips the status line and the final CRLF "." CRLF (and unstuffs nothing) keeps
    const body = data.length - (data.indexOf(0x0a) + 1) - 5;
    return { command, parts, body };
  }));
}
export async function nodePop3(_chunks, corpus, size) {
  const net = require('node:net');
  // the package exports only its Command wrapper; the reply reading lives in the Connection beside it
  const Pop3Connection = require(require.resolve('node-pop3').replace(/Command\.cjs$/, 'Connection.cjs'));
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function () { return this; };
  const conn = new (Pop3Connection.default ?? Pop3Connection)({ host: '127.0.0.1', port: 1 });
  // The body bytes are counted too: the item count alone would pass a reader that ends a body at
  // the first "." read on its own (as node-pop3 does with 1-byte reads).
  let n = 0; let retr = false; let got = 0; let want = 0; const ends = [];
  conn.on('response', (_info, stream) => {
    n++;
    if (!stream) return;
    const counts = retr;
    stream.on('data', (d) => { if (counts) got += d.length; });
    ends.push(new Promise((resolve) => stream.on('end', resolve)));
  });
  conn.on('end', () => { if (retr) n++; });
  conn.on('error', () => { n = -1e9; });
  const responses = perResponse(corpus, size);
  let ready = false;
  const p = conn.connect().then(() => { ready = true; });
  try {
    for (const { command, parts, body } of responses) {
      if (command !== 'greeting') conn._command = command;
      retr = command.startsWith('RETR'); if (retr) want += body;
      for (const c of parts) conn._socket.emit('data', c);
      if (!ready) await p;
    }
  } finally {
    net.Socket.prototype.connect = connect;
  }
  await Promise.all(ends);
  conn._socket.destroy();
  return got === want ? n : -1;
}
// node-pop3's command API (Pop3Command: LIST(), UIDL(), RETR(n) resolve to arrays and strings),
// the level its README shows. The stand-in socket answers each command it writes with that
// command's response, cut into `size` reads as above. USER and PASS get "+OK" (not counted).
export async function nodePop3Command(_chunks, corpus, size) {
  const net = require('node:net');
  const mod = require('node-pop3');
  const Pop3Command = mod.default ?? mod;
  const responses = perResponse(corpus, size);
  const byCommand = new Map(responses.map((r) => [r.command, r]));
  const ok = [Buffer.from('+OK\r\n')];
  const emit = (sock, parts) => setImmediate(() => { for (const c of parts) sock.emit('data', c); });
  const { connect, write } = net.Socket.prototype;
  net.Socket.prototype.connect = function () { emit(this, byCommand.get('greeting').parts); return this; };
  net.Socket.prototype.write = function (data) { const r = byCommand.get(String(data).trim()); emit(this, r ? r.parts : ok); return true; };
  let n = 0; let got = 0; let want = 0; let listingLines = 0;
  try {
    const pop = new Pop3Command({ host: '127.0.0.1', port: 1, user: 'u', password: 'p' });
    await pop._connect(); n++;
    listingLines += (await pop.LIST()).length; n++;
    listingLines += (await pop.UIDL()).length; n++;
    for (const r of responses) {
      if (!r.command.startsWith('RETR')) continue;
      want += r.body;
      got += (await pop.RETR(Number(r.command.slice(5)))).length; n += 2;
    }
    pop._socket.destroy();
  } catch {
    return -1;
  } finally {
    net.Socket.prototype.connect = connect; net.Socket.prototype.write = write;
  }
  // node-pop3 does not unstuff dots: its body octets are compared with the stuffed bodies.
  return got === want ? { count: n, check: { listingLines } } : -1;
}
export function yapople(_chunks, corpus, size) {
  const net = require('node:net');
  const { EventEmitter } = require('node:events');
  const { Client } = require('yapople');
  const create = net.createConnection;
  net.createConnection = () => Object.assign(new EventEmitter(), { write() { return true; }, end() {}, destroy() {} });
  const client = new Client({ host: '127.0.0.1', port: 1, username: 'u', password: 'p' });
  let n = 0;
  try {
    client.connect(() => {});
  } finally {
    net.createConnection = create;
  }
  client._queue = []; client.connected = true;
  const NOOP = 0; const LIST = 5; const RETR = 6;
  for (const { command, parts, body } of perResponse(corpus, size)) {
    const retr = command.startsWith('RETR');
    client._command = command === 'greeting' ? { cmd: NOOP, callback: () => { n++; } }
      : retr ? { cmd: RETR, number: Number(command.slice(5)), callback: (err, mail) => { n += err || mail.length !== body ? -1e9 : 2; } }
      : { cmd: LIST, callback: (err) => { n += err ? -1e9 : 1; } };
    for (const c of parts) client._socket.emit('data', c);
  }
  return n;
}

export function nodemailer(chunks) {
  // nodemailer's SMTPConnection reply reader (_onData + _processResponse), drained: after each
  // read every complete reply is processed before the next read is given. Its own code handles
  // one reply per event-loop turn (setImmediate after each); fed one read per turn without
  // draining, its queue grew with the corpus and each shift() got slower, so its MB/s fell with
  // corpus size (1 MB 4.0, 10 MB 0.92 MB/s). The re-scheduled calls it makes still run (one
  // turn per read, finding the queue empty), so their cost stays in its time.
  const SMTPConnection = require('nodemailer/lib/smtp-connection');
  return new Promise((resolve) => {
    const c = new SMTPConnection({ logger: false });
    let n = 0; let failed = false; const act = () => { n++; };
    c._responseActions = { shift: () => act, push() {}, length: 1 };
    c.on('error', () => { failed = true; });
    let i = 0;
    const tick = () => {
      if (failed) return resolve(-1);
      if (i >= chunks.length) return resolve(c._responseQueue.length === 0 ? n : -1);
      c._onData(chunks[i++]);
      // the last queue entry may be a reply still waiting for its last line; it stays
      while (c._responseQueue.length > (c._responsePartial ? 1 : 0)) c._processResponse();
      setImmediate(tick);
    };
    tick();
  });
}
