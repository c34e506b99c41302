// Seeded generators for the benchmark corpora: identical bytes on every run and machine.
// Each returns { bytes, items } where `items` is what a correct parser must count.

export function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const enc = new TextEncoder();
const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima'];

function pick(r, a) {
  return a[Math.floor(r() * a.length)];
}

function sentence(r, n) {
  const w = [];
  for (let i = 0; i < n; i++) w.push(pick(r, words));
  return w.join(' ');
}

/** IMAP metadata: FETCH (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE) responses. */
export function imapMetadata(targetBytes, seed = 1) {
  const r = rng(seed);
  const parts = [];
  let size = 0;
  let items = 0;
  while (size < targetBytes) {
    const n = items + 1;
    const re = `Re: ${sentence(r, 4)}`;
    const subj = r() < 0.1 ? `{${Buffer.byteLength(re)}}\r\n${re}` : `"${sentence(r, 5).replace('e', '\\"e')}"`;
    const addr = (name) => `(("${name}" NIL "${pick(r, words)}" "example.${pick(r, ['org', 'com', 'net'])}"))`;
    const text = `("TEXT" "PLAIN" ("CHARSET" "UTF-8") NIL NIL "QUOTED-PRINTABLE" ${Math.floor(r() * 5000)} ${Math.floor(r() * 100)} NIL NIL NIL NIL)`;
    const html = `("TEXT" "HTML" ("CHARSET" "UTF-8") NIL NIL "BASE64" ${Math.floor(r() * 9000)} ${Math.floor(r() * 100)} NIL NIL NIL NIL)`;
    const att = `("APPLICATION" "PDF" ("NAME" "doc.pdf") NIL NIL "BASE64" ${Math.floor(r() * 90000)} NIL ("ATTACHMENT" ("FILENAME" "doc.pdf")) NIL NIL)`;
    const body = `((${text}${html} "ALTERNATIVE" ("BOUNDARY" "b1") NIL NIL NIL)${att} "MIXED" ("BOUNDARY" "b0") NIL NIL NIL)`;
    const line = `* ${n} FETCH (UID ${1000 + n} FLAGS (\\Seen${r() < 0.3 ? ' \\Flagged' : ''}) INTERNALDATE "17-Jul-1996 02:44:25 -0700" RFC822.SIZE ${Math.floor(r() * 100000)} ENVELOPE ("Wed, 17 Jul 1996 02:23:25 -0700" ${subj} ${addr('Terry Gray')} ${addr('Terry Gray')} ${addr('Terry Gray')} ${addr('Team')} NIL NIL NIL "<${n}@example.org>") BODYSTRUCTURE ${body})\r\n`;
    const b = enc.encode(line);
    parts.push(b);
    size += b.length;
    items++;
  }
  return { bytes: Buffer.concat(parts), items };
}

/** IMAP bodies: FETCH BODY[] responses with literals from 4 KB to 2 MB. */
export function imapBodies(targetBytes, seed = 2) {
  const r = rng(seed);
  const parts = [];
  let size = 0;
  let items = 0;
  const filler = Buffer.alloc(2 * 1024 * 1024, 'x');
  for (let i = 0; i < filler.length; i += 78) filler.write('\r\n', i);
  while (size < targetBytes) {
    const n = items + 1;
    const len = Math.floor(4096 * Math.pow(512, r()));
    const head = enc.encode(`* ${n} FETCH (UID ${n} BODY[] {${len}}\r\n`);
    parts.push(head, filler.subarray(0, len), enc.encode(')\r\n'));
    size += head.length + len + 3;
    items++;
  }
  return { bytes: Buffer.concat(parts), items };
}

function body(r, lines) {
  const out = [];
  for (let i = 0; i < lines; i++) out.push(r() < 0.05 ? `..${sentence(r, 6)}` : sentence(r, 10));
  return out.join('\r\n') + '\r\n';
}

/** SMTP inbound: EHLO, MAIL with params, RCPT x N, DATA with dot-stuffed bodies, QUIT. Items = commands + messages. */
export function smtpInbound(targetBytes, seed = 3) {
  const r = rng(seed);
  const parts = [];
  let size = 0;
  let commands = 0;
  let messages = 0;
  while (size < targetBytes) {
    let s = `EHLO client${Math.floor(r() * 100)}.example.org\r\n`;
    commands++;
    const tx = 1 + Math.floor(r() * 3);
    for (let t = 0; t < tx; t++) {
      s += `MAIL FROM:<${pick(r, words)}@example.org> SIZE=${Math.floor(r() * 100000)} BODY=8BITMIME\r\n`;
      const rc = 1 + Math.floor(r() * 5);
      for (let i = 0; i < rc; i++) s += `RCPT TO:<${pick(r, words)}${i}@example.net> NOTIFY=SUCCESS,FAILURE\r\n`;
      s += `DATA\r\nSubject: ${sentence(r, 4)}\r\n\r\n${body(r, 20 + Math.floor(r() * 200))}.\r\n`;
      commands += rc + 2;
      messages++;
    }
    s += 'QUIT\r\n';
    commands++;
    const b = enc.encode(s);
    parts.push(b);
    size += b.length;
  }
  return { bytes: Buffer.concat(parts), items: commands + messages, commands, messages };
}

/** SMTP replies: greetings, multiline EHLO, enhanced status codes. */
export function smtpReplies(targetBytes, seed = 4) {
  const r = rng(seed);
  const parts = [];
  let size = 0;
  let items = 0;
  while (size < targetBytes) {
    const s =
      '220 mx.example.org ESMTP Postfix\r\n' +
      '250-mx.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-VRFY\r\n250-ETRN\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n' +
      '250 2.1.0 Ok\r\n' +
      `${r() < 0.8 ? '250 2.1.5 Ok' : '550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown in virtual mailbox table'}\r\n` +
      '354 End data with <CR><LF>.<CR><LF>\r\n' +
      `250 2.0.0 Ok: queued as ${Math.floor(r() * 1e9).toString(16).toUpperCase()}\r\n` +
      '221 2.0.0 Bye\r\n';
    const b = enc.encode(s);
    parts.push(b);
    size += b.length;
    items += 7;
  }
  return { bytes: Buffer.concat(parts), items };
}

/** POP3 (client side): LIST / UIDL listings and dot-stuffed RETR bodies. Returns the expectation sequence too. */
export function pop3Session(targetBytes, seed = 5) {
  const r = rng(seed);
  const parts = [];
  const expect = [];
  let size = 0;
  let items = 0;
  while (size < targetBytes) {
    const n = 20 + Math.floor(r() * 50);
    let s = `+OK ${n} messages\r\n`;
    for (let i = 1; i <= n; i++) s += `${i} ${Math.floor(r() * 100000)}\r\n`;
    s += '.\r\n+OK\r\n';
    for (let i = 1; i <= n; i++) s += `${i} ${Math.floor(r() * 1e12).toString(36)}\r\n`;
    s += '.\r\n';
    expect.push('listing', 'listing');
    items += 2;
    for (let m = 0; m < 3; m++) {
      s += `+OK message follows\r\nSubject: ${sentence(r, 3)}\r\n\r\n${body(r, 50 + Math.floor(r() * 300))}.\r\n`;
      expect.push('body');
      items++;
    }
    const b = enc.encode(s);
    parts.push(b);
    size += b.length;
  }
  return { bytes: Buffer.concat(parts), items, expect };
}
