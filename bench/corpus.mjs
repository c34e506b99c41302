// Seeded corpus generators. Same seed -> same bytes, so every parser sees identical input.
// Each generator returns { chunks: Buffer (whole corpus), count: expected items, ...extra }.

export function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    // xorshift32
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}
const pick = (r, a) => a[Math.floor(r() * a.length)];
const int = (r, lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
const WORDS = ['alpha', 'report', 'Q3', 'meeting', 'invoice', 'hello', 'world', 'status', 'draft', 'urgent', 're:', 'fwd:', 'budget', 'notes'];
function text(r, n) { const w = []; for (let i = 0; i < n; i++) w.push(pick(r, WORDS)); return w.join(' '); }
// What a full reader of the IMAP metadata corpus must find, counted while generating it: the
// driver walks every ENVELOPE and BODYSTRUCTURE it is given and must arrive at the same numbers,
// so a lazy or skipping parser fails the check instead of being timed. `chars` sums the lengths
// of the decoded strings the walk reads (escapes removed), so strings are checked too.
const tally = { addresses: 0, singleParts: 0, multiParts: 0, strings: 0, chars: 0 };
const seen = (t) => { tally.strings++; tally.chars += t.length; return t; };
function quoted(r, n, counted = true) {
  let t = text(r, n);
  let decoded = t;
  if (r() < 0.2) { t += ' \\"quoted\\" back\\\\slash'; decoded += ' "quoted" back\\slash'; }
  if (counted) seen(decoded);
  return '"' + t + '"';
}
function addr(r) {
  tally.addresses++;
  const name = r() < 0.3 ? 'NIL' : quoted(r, 2);
  const mailbox = seen(`${pick(r, ['john', 'mary', 'info', 'noreply'])}${int(r, 1, 999)}`);
  const host = seen(pick(r, ['example.com', 'mail.example.org', 'corp.example']));
  return `(${name} NIL "${mailbox}" "${host}")`;
}
function addrList(r) { if (r() < 0.2) return 'NIL'; const n = int(r, 1, 3); let s = '('; for (let i = 0; i < n; i++) s += addr(r); return s + ')'; }
function bodyPart(r) {
  tally.singleParts++;
  const sub = seen(pick(r, ['PLAIN', 'HTML']));
  seen('TEXT'); seen('utf-8');
  const encoding = seen(pick(r, ['7BIT', 'QUOTED-PRINTABLE', 'BASE64']));
  return `("TEXT" "${sub}" ("CHARSET" "utf-8") NIL NIL "${encoding}" ${int(r, 10, 90000)} ${int(r, 1, 2000)} NIL NIL NIL NIL)`;
}
function bodystructure(r, depth = 0) {
  if (depth > 1 || r() < 0.35) return bodyPart(r);
  tally.multiParts++;
  const n = int(r, 2, 3); let s = '(';
  for (let i = 0; i < n; i++) s += bodystructure(r, depth + 1);
  const sub = seen(pick(r, ['MIXED', 'ALTERNATIVE', 'RELATED']));
  const boundary = seen(`b${int(r, 1e5, 1e6)}`);
  return s + ` "${sub}" ("BOUNDARY" "${boundary}") NIL NIL NIL)`;
}

/** IMAP FETCH metadata responses; some subjects are literals. */
export function imapMeta(bytes, seed = 1) {
  const r = rng(seed); const parts = []; let size = 0; let n = 0;
  Object.assign(tally, { addresses: 0, singleParts: 0, multiParts: 0, strings: 0, chars: 0 });
  while (size < bytes) {
    n++;
    const date = seen('Wed, 17 Jul 1996 02:23:25 -0700');
    let subject = quoted(r, int(r, 2, 8), false);
    if (r() < 0.1) { const s = text(r, 5); seen(s); subject = `{${Buffer.byteLength(s)}}\r\n${s}`; }
    else seen(subject.slice(1, -1).replace(/\\(.)/g, '$1'));
    const from = addrList(r); const sender = addrList(r); const replyTo = addrList(r); const to = addrList(r);
    const messageId = seen(`<${int(r, 1e6, 1e7)}@example.com>`);
    const line = `* ${n} FETCH (UID ${n + 1000} FLAGS (\\Seen${r() < 0.3 ? ' \\Flagged' : ''}) INTERNALDATE "17-Jul-1996 02:44:25 -0700" RFC822.SIZE ${int(r, 500, 900000)} ` +
      `ENVELOPE ("${date}" ${subject} ${from} ${sender} ${replyTo} ${to} NIL NIL NIL "${messageId}") ` +
      `BODYSTRUCTURE ${bodystructure(r)})\r\n`;
    const b = Buffer.from(line); parts.push(b); size += b.length;
  }
  const tail = Buffer.from('A1 OK FETCH completed\r\n'); parts.push(tail);
  return { data: Buffer.concat(parts), count: n + 1, frames: parts, check: { ...tally } };
}

/** IMAP FETCH BODY[] responses with literals of 4 KB..2 MB. */
export function imapBodies(bytes, seed = 2, minLit = 4096, maxLit = 2 * 1024 * 1024) {
  const r = rng(seed); const parts = []; let size = 0; let n = 0; let literalBytes = 0;
  while (size < bytes) {
    n++;
    // log-uniform literal sizes
    const len = Math.floor(Math.exp(Math.log(minLit) + r() * (Math.log(maxLit) - Math.log(minLit))));
    const head = Buffer.from(`* ${n} FETCH (UID ${n + 5000} BODY[] {${len}}\r\n`);
    const body = messageBody(r, len);
    const b = Buffer.concat([head, body, Buffer.from(')\r\n')]); parts.push(b); size += b.length; literalBytes += len;
  }
  parts.push(Buffer.from('A2 OK FETCH completed\r\n'));
  return { data: Buffer.concat(parts), count: n + 1, frames: parts, check: { literalBytes } };
}

/** A message of exactly `len` octets with CRLF lines (some start with a dot). */
export function messageBody(r, len) {
  const out = Buffer.alloc(len); let p = 0;
  while (len - p >= 200) {
    const l = (r() < 0.05 ? '.' : '') + text(r, int(r, 3, 12)) + '\r\n';
    p += out.write(l, p);
  }
  while (len - p >= 2) { // pad with short lines so the body ends exactly at len with CRLF
    const n = Math.min(100, len - p - 2);
    out.fill(0x78, p, p + n); p += n; out[p++] = 13; out[p++] = 10;
  }
  if (p < len) out[p] = 0x78; // only for len < 2
  return out;
}
function stuff(buf) { return Buffer.from(buf.toString('latin1').replace(/(^|\r\n)\./g, '$1..'), 'latin1'); }

/** SMTP inbound transactions (client -> server). `segments` end where a compliant client waits for a reply (after DATA, after the body's final dot). */
export function smtpInbound(bytes, seed = 3) {
  const r = rng(seed); const parts = []; let size = 0; let commands = 0; let messages = 0; const segments = []; let bodyBytes = 0;
  let seg = [];
  const push = (s) => { const b = typeof s === 'string' ? Buffer.from(s) : s; seg.push(b); parts.push(b); size += b.length; };
  push('EHLO client.example.com\r\n'); commands++;
  while (size < bytes) {
    push(`MAIL FROM:<sender${int(r, 1, 999)}@example.com> SIZE=${int(r, 1000, 99999)} BODY=8BITMIME\r\n`); commands++;
    const rc = int(r, 1, 5);
    for (let i = 0; i < rc; i++) { push(`RCPT TO:<rcpt${int(r, 1, 9999)}@example.org> NOTIFY=SUCCESS,FAILURE\r\n`); commands++; }
    push('DATA\r\n'); commands++;
    segments.push(Buffer.concat(seg)); seg = [];
    const body = messageBody(r, int(r, 1024, 64 * 1024)); bodyBytes += body.length;
    push(stuff(body)); push('.\r\n'); messages++;
    segments.push(Buffer.concat(seg)); seg = []; // the client waits for the 250 after the body too
  }
  push('QUIT\r\n'); commands++;
  segments.push(Buffer.concat(seg));
  // bodyBytes: the unstuffed message octets a server must hand on
  return { data: Buffer.concat(parts), count: commands + messages, commands, messages, segments, check: { bodyBytes } };
}

/**
 * SMTP replies (server -> client). `check` is what a full reader finds, tallied from the
 * generated text (not by a parser under test): the sum of the reply codes, the replies with an
 * enhanced code and the sum of their class.subject.detail digits, the lines and the total
 * length of their texts (code, separator and, where the first line had one, enhanced code removed).
 */
export function smtpReplies(bytes, seed = 4) {
  const r = rng(seed); const parts = []; let size = 0; let n = 0;
  const check = { codeSum: 0, enhanced: 0, enhancedSum: 0, lines: 0, textChars: 0 };
  const tallyReply = (s) => {
    const lines = s.split('\r\n').slice(0, -1);
    const code = Number(lines[0].slice(0, 3));
    const m = /^([245])\.(\d{1,3})\.(\d{1,3})(?: |$)/.exec(lines[0].slice(4));
    const enh = m && Number(m[1]) === Math.floor(code / 100);
    check.codeSum += code;
    if (enh) { check.enhanced++; check.enhancedSum += Number(m[1]) + Number(m[2]) + Number(m[3]); }
    for (const l of lines) { check.lines++; check.textChars += enh ? l.length - 4 - m[0].length : l.length - 4; }
  };
  const push = (s) => { tallyReply(s); const b = Buffer.from(s); parts.push(b); size += b.length; n++; };
  while (size < bytes) {
    push(`220 mx${int(r, 1, 9)}.example.com ESMTP ready\r\n`);
    push('250-mx.example.com Hello client [192.0.2.1]\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n250-PIPELINING\r\n250-ENHANCEDSTATUSCODES\r\n250-AUTH PLAIN LOGIN XOAUTH2\r\n250-DSN\r\n250 SMTPUTF8\r\n');
    push('250 2.1.0 Sender OK\r\n');
    const rc = int(r, 1, 4);
    for (let i = 0; i < rc; i++) push(r() < 0.1 ? `550 5.1.1 <rcpt${i}@example.org>: Recipient address rejected: User unknown\r\n` : '250 2.1.5 Recipient OK\r\n');
    push('354 Start mail input; end with <CRLF>.<CRLF>\r\n');
    push(`250 2.0.0 Ok: queued as ${int(r, 1e8, 1e9).toString(16).toUpperCase()}\r\n`);
    push('221 2.0.0 Bye\r\n');
  }
  return { data: Buffer.concat(parts), count: n, check };
}

/**
 * POP3 server -> client: greeting, LIST, UIDL, RETR xN. `expect` is what each response looks like;
 * `responses` holds each whole response (status line through terminator) with the command that
 * asked for it, for the peer drivers that need one response per read.
 */
export function pop3(bytes, seed = 5) {
  const r = rng(seed); const parts = []; let size = 0; const expect = []; let bodies = 0; const responses = []; let bodyBytes = 0; let listingLines = 0;
  const push = (s) => { const b = typeof s === 'string' ? Buffer.from(s) : s; parts.push(b); size += b.length; return b; };
  responses.push({ command: 'greeting', data: push('+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n') }); expect.push('single');
  const msgs = []; let est = 0;
  while (est < bytes) { const len = int(r, 1024, 128 * 1024); msgs.push(len); est += len + 60; }
  let list = `+OK ${msgs.length} messages\r\n`; msgs.forEach((l, i) => { list += `${i + 1} ${l}\r\n`; }); responses.push({ command: 'LIST', data: push(list + '.\r\n') }); expect.push('listing');
  let uidl = '+OK\r\n'; msgs.forEach((l, i) => { uidl += `${i + 1} uid${(i * 7919).toString(36)}\r\n`; }); responses.push({ command: 'UIDL', data: push(uidl + '.\r\n') }); expect.push('listing');
  msgs.forEach((len, i) => {
    const body = messageBody(r, len); bodyBytes += len;
    const a = push(`+OK ${len} octets\r\n`); const b = push(stuff(body)); const c = push('.\r\n'); expect.push('body'); bodies++;
    responses.push({ command: `RETR ${i + 1}`, data: Buffer.concat([a, b, c]) });
  });
  // responses (greeting, LIST, UIDL, each RETR status) + one data-end per body
  listingLines = 2 * msgs.length;
  // bodyBytes: unstuffed message octets; listingLines: LIST + UIDL entries
  return { data: Buffer.concat(parts), count: 3 + msgs.length + bodies, expect, bodies, responses, check: { bodyBytes, listingLines } };
}
