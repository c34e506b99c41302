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
const CRLF = Buffer.from('\r\n');
export function limitIndexOf(chunks) {
  // bare CRLF line split: carries a partial line across chunks (as any framer must)
  let n = 0; let carry = null;
  for (let c of chunks) {
    if (carry) { c = Buffer.concat([carry, c]); carry = null; }
    let p = 0; let i;
    while ((i = c.indexOf(CRLF, p)) !== -1) { n++; p = i + 2; }
    if (p < c.length) carry = c.subarray(p);
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

export function mwImap(chunks) {
  const p = new mw.imap.ResponseParser(); let n = 0; let err = 0;
  const count = (items) => { for (const it of items) { if (it.type === 'error') err++; else if (it.type !== 'literal-chunk' && it.type !== 'literal-end') n++; } };
  for (const c of chunks) count(p.push(u8(c)));
  count(p.end());
  return err ? -err : n;
}
export function mwSmtpIn(chunks) {
  const p = new mw.smtp.CommandParser(); let n = 0; let err = 0;
  const count = (items) => {
    for (const it of items) {
      if (it.type === 'command' || it.type === 'data-end') n++;
      else if (it.type === 'error') err++;
    }
    if (p.expecting === 'paused') count(p.startData()); // a server that accepts every DATA
  };
  for (const c of chunks) count(p.push(u8(c)));
  count(p.end());
  return err ? -err : n;
}
export function mwSmtpReplies(chunks) {
  const p = new mw.smtp.ReplyParser(); let n = 0; let err = 0;
  for (const c of chunks) for (const it of p.push(u8(c))) { if (it.type === 'reply') n++; else err++; }
  for (const it of p.end()) if (it.type === 'error') err++;
  return err ? -err : n;
}
export function mwPop3(chunks, corpus) {
  const p = new mw.pop3.ResponseParser(); let n = 0; let err = 0;
  for (const e of corpus.expect) p.expect(e);
  const count = (items) => { for (const it of items) { if (it.type === 'response' || it.type === 'data-end') n++; else if (it.type === 'error') err++; } };
  for (const c of chunks) count(p.push(u8(c)));
  count(p.end());
  return err ? -err : n;
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
  // SMTPStream, fed the way a compliant client writes: up to DATA, wait for the go-ahead, then the body.
  return import('smtp-server/lib/smtp-stream.js').then(({ SMTPStream }) => new Promise((resolve) => {
    const s = new SMTPStream(); let n = 0; let bad = false;
    s.oncommand = (line, cb) => {
      n++;
      if (/^DATA$/i.test(line.toString())) {
        const ds = s.startDataMode();
        ds.on('data', () => {}); ds.on('end', () => { n++; s.continue(); });
      }
      if (cb) cb();
    };
    s.on('error', () => { bad = true; });
    const segs = corpus.segments; let k = 0;
    const next = () => {
      if (k >= segs.length) { s.once('finish', () => setImmediate(() => resolve(bad ? -1 : n))); s.end(); return; }
      const parts = split(segs[k++], size); let j = 0;
      const w = () => {
        while (j < parts.length) { if (!s.write(parts[j++])) { s.once('drain', w); return; } }
        setImmediate(next);
      };
      w();
    };
    next();
  }));
}

export function nodemailer(chunks) {
  // nodemailer's SMTPConnection reply reader (_onData + _processResponse): one reply per event-loop turn.
  const SMTPConnection = require('nodemailer/lib/smtp-connection');
  return new Promise((resolve) => {
    const c = new SMTPConnection({ logger: false });
    let n = 0; const act = () => { n++; };
    c._responseActions = { shift: () => act, push() {}, length: 1 };
    c.on('error', () => resolve(-1));
    let i = 0;
    const tick = () => {
      if (i < chunks.length) c._onData(chunks[i++]);
      else if (c._responseQueue.length === 0) return resolve(n);
      setImmediate(tick);
    };
    tick();
  });
}

