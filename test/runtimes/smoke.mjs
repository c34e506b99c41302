// The runtime smoke suite: one test body, plain ESM without a test framework, run unchanged by
// Node (the control), Deno, Bun and headless Chromium (scripts/test-runtimes.mjs). It imports the
// BUILT package, so what is checked is what a user of each runtime gets from npm, and every case
// runs on real wire bytes with assertions that fail loudly.
import {
  smtp,
  pop3,
  imap,
  toSessionStreams,
  toTransformStream,
  indexOfByte,
  indexOfLineBreak,
  selectByteSearch,
  decodeInitialResponse,
  verifySaslPlain,
  isProtocolError,
  ScramClient,
  ScramServer,
  scramCredentials,
  SHA256,
  toHex,
} from '../../dist/index.js';

const enc = (s) => new TextEncoder().encode(s);
const dec = (b) => new TextDecoder().decode(b);

function concat(chunks) {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

class AssertionFailed extends Error {}

function assert(condition, message) {
  if (!condition) throw new AssertionFailed(message);
}

function equal(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new AssertionFailed(`${what}: expected ${e}, got ${a}`);
}

function throwsType(fn, Type, what) {
  try {
    fn();
  } catch (e) {
    if (e instanceof Type) return;
    throw new AssertionFailed(`${what}: expected ${Type.name}, got ${e && e.constructor ? e.constructor.name : typeof e}: ${e && e.message}`);
  }
  throw new AssertionFailed(`${what}: expected ${Type.name}, nothing was thrown`);
}

/** A transform that hands every byte on as its own chunk: the worst split a socket can produce. */
function trickle() {
  return new TransformStream({
    transform(chunk, c) {
      for (let i = 0; i < chunk.length; i++) c.enqueue(chunk.subarray(i, i + 1));
    },
  });
}

/** A transform that copies what passes into `seen`. */
function tap(seen) {
  return new TransformStream({
    transform(chunk, c) {
      seen.push(chunk.slice());
      c.enqueue(chunk);
    },
  });
}

/**
 * Two in-memory byte connections joined back to back, every byte its own chunk: what the
 * client writes the server reads, and the other way round.
 */
export function memoryLink() {
  const up = trickle();
  const down = trickle();
  return {
    client: { readable: down.readable, writable: up.writable },
    server: { readable: up.readable, writable: down.writable },
    close() {},
  };
}

const USER = 'alice@example.org';
const PASSWORD = 'correct horse';
// Lines that begin with "." are doubled on the wire (RFC 5321 4.5.2) and must arrive single;
// the lone "." line would end DATA early if it were not stuffed.
const MESSAGE = 'From: alice@example.org\r\nTo: bob@example.net\r\nSubject: dots\r\n\r\n.leading dot\r\n.\r\n..two dots\r\nend\r\n';

/**
 * An SMTP ClientSession talks to an SMTP ServerSession over `link` (in memory or a real
 * loopback socket), each side behind `toSessionStreams`: EHLO, AUTH PLAIN with an initial
 * response checked by the server, MAIL, RCPT, DATA with dot-stuffing, QUIT.
 */
export async function smtpSession(link) {
  const client = new smtp.ClientSession({ domain: 'client.example' });
  const server = new smtp.ServerSession({ domain: 'mx.example', extensions: [{ keyword: 'AUTH', params: ['PLAIN'] }] });
  const cio = toSessionStreams(client);
  const sio = toSessionStreams(server);
  const toServer = [];
  const piped = Promise.all([cio.output.pipeThrough(tap(toServer)).pipeTo(link.client.writable), sio.output.pipeTo(link.server.writable)]);
  link.client.readable.pipeTo(cio.writable).catch(() => {});
  link.server.readable.pipeTo(sio.writable).catch(() => {});

  const serverSide = (async () => {
    const verbs = [];
    const body = [];
    let authcid = null;
    for await (const ev of sio.readable) {
      if (ev.type === 'command') {
        verbs.push(ev.command.verb);
        if (ev.command.verb === 'AUTH') {
          const message = decodeInitialResponse(ev.command.initialResponse ?? '');
          const creds = isProtocolError(message) ? message : verifySaslPlain(message, (u) => (u === USER ? PASSWORD : null));
          if (isProtocolError(creds)) sio.flush(server.reply(535, 'Authentication credentials invalid', { class: 5, subject: 7, detail: 8 }));
          else {
            authcid = creds.authcid;
            sio.flush(server.reply(235, 'Authentication successful', { class: 2, subject: 7, detail: 0 }));
          }
        } else sio.flush(server.accept());
      } else if (ev.type === 'data') body.push(ev.chunk);
      else if (ev.type === 'data-end') sio.flush(server.accept());
      else if (ev.type === 'closed') sio.close();
    }
    return { verbs, body: concat(body), authcid, authenticated: server.isAuthenticated };
  })();

  const events = [];
  let auth = null;
  let delivered = null;
  for await (const ev of cio.readable) {
    events.push(ev.type);
    if (ev.type === 'ready' && auth === null) client.authenticate({ mechanism: 'PLAIN', user: USER, password: PASSWORD });
    if (ev.type === 'auth') {
      auth = ev.success;
      client.sendMail({ from: USER, to: ['bob@example.net'] });
      client.writeBody(enc(MESSAGE));
      client.endBody();
    }
    if (ev.type === 'message') {
      delivered = ev.accepted;
      client.quit();
    }
    cio.flush();
  }
  cio.close();
  await piped;
  const got = await serverSide;
  link.close();

  equal(auth, true, 'AUTH PLAIN succeeded (235)');
  equal(got.authcid, USER, 'server read the PLAIN authcid');
  equal(got.authenticated, true, 'server session isAuthenticated');
  equal(delivered, true, 'message accepted');
  equal(got.verbs, ['EHLO', 'AUTH', 'MAIL', 'RCPT', 'DATA', 'QUIT'], 'commands the server saw');
  equal(dec(got.body), MESSAGE, 'body arrives unstuffed, byte-identical');
  equal(events.at(-1), 'closed', 'client ends closed');
  const wire = dec(concat(toServer));
  // base64("\0alice@example.org\0correct horse")
  assert(wire.includes('AUTH PLAIN AGFsaWNlQGV4YW1wbGUub3JnAGNvcnJlY3QgaG9yc2U=\r\n'), `AUTH PLAIN line on the wire: ${JSON.stringify(wire)}`);
  assert(wire.includes('\r\n\r\n..leading dot\r\n..\r\n...two dots\r\nend\r\n.\r\n'), `dot-stuffed DATA on the wire: ${JSON.stringify(wire)}`);
}

/** RFC 1939 RETR: a multiline answer with byte-stuffed lines, fed to the client 1 byte at a time. */
function pop3Retr() {
  const client = new pop3.ClientSession();
  const events = [];
  const feed = (text) => {
    const bytes = enc(text);
    for (let i = 0; i < bytes.length; i++) events.push(...client.receive(bytes.subarray(i, i + 1)));
  };
  feed('+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n');
  equal(events.map((e) => e.type), ['greeting'], 'greeting event');
  equal(events[0].timestamp, '<1896.697170952@dbc.mtview.ca.us>', 'APOP timestamp');
  const sent = [];
  const take = () => sent.push(dec(concat(client.takeOutput())));
  client.login('mrose', 'tanstaaf');
  client.retr(1);
  take();
  events.length = 0;
  feed('+OK mrose is a real hoopy frood\r\n');
  take();
  feed('+OK mrose\'s maildrop has 1 message (120 octets)\r\n');
  take();
  feed('+OK 120 octets\r\nSubject: pop\r\n\r\n..leading dot\r\n...\r\nlast line\r\n.\r\n');
  equal(sent.join(''), 'USER mrose\r\nPASS tanstaaf\r\nRETR 1\r\n', 'commands written');
  const types = events.map((e) => e.type).filter((t) => t !== 'data');
  equal(types, ['response', 'response', 'auth', 'response', 'data-end'], 'events other than data: USER, PASS, auth, RETR, end of body');
  const body = concat(events.filter((e) => e.type === 'data').map((e) => e.chunk));
  equal(dec(body), 'Subject: pop\r\n\r\n.leading dot\r\n..\r\nlast line\r\n', 'RETR body unstuffed');
  const retr = events.find((e) => e.type === 'response' && e.command.verb === 'RETR');
  assert(retr && retr.ok, 'RETR answered +OK');
  assert(!events.some((e) => e.type === 'error'), 'no error event');
}

// RFC 3501 7.4.2: the ENVELOPE example, a multipart BODYSTRUCTURE (as in 7.4.2) and a BODY[]
// literal that the splits below cut inside its announcement and inside its data.
const LITERAL = 'Subject: hi\r\n\r\n{5}\r\n) not the end\r\n';
const FETCH =
  '* 12 FETCH (FLAGS (\\Seen) ENVELOPE ("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)" "IMAP4rev1 WG mtg summary and minutes" ' +
  '(("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" "cac.washington.edu")) ' +
  '(("Terry Gray" NIL "gray" "cac.washington.edu")) ((NIL NIL "imap" "cac.washington.edu")) ' +
  '((NIL NIL "minutes" "CNRI.Reston.VA.US")("John Klensin" NIL "KLENSIN" "MIT.EDU")) NIL NIL "<B27397-0100000@cac.washington.edu>") ' +
  'BODYSTRUCTURE (("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 1152 23)("TEXT" "PLAIN" ("CHARSET" "US-ASCII" "NAME" "cc.diff") ' +
  '"<960723163407.20117h@cac.washington.edu>" "Compiler diff" "BASE64" 4554 73) "MIXED") ' +
  `BODY[] {${enc(LITERAL).length}}\r\n${LITERAL})\r\nA7 OK FETCH completed\r\n`;

function imapFetch() {
  const bytes = enc(FETCH);
  const literalAt = FETCH.indexOf('BODY[] {') + 8;
  const splits = [
    [bytes],
    Array.from(bytes, (_, i) => bytes.subarray(i, i + 1)),
    [bytes.subarray(0, literalAt), bytes.subarray(literalAt, literalAt + 6), bytes.subarray(literalAt + 6, literalAt + 20), bytes.subarray(literalAt + 20)],
  ];
  let first = null;
  for (const chunks of splits) {
    const parser = new imap.ResponseParser();
    const items = [];
    for (const c of chunks) items.push(...parser.push(c));
    items.push(...parser.end());
    equal(items.map((i) => i.type), ['untagged', 'tagged'], `items for ${chunks.length} chunks`);
    const fetch = items[0];
    equal([fetch.kind, fetch.seq], ['FETCH', 12], 'FETCH 12');
    const a = fetch.attributes;
    equal(a.flags, ['\\Seen'], 'FLAGS');
    equal(a.envelope.subject, 'IMAP4rev1 WG mtg summary and minutes', 'ENVELOPE subject');
    equal(a.envelope.cc.map((x) => `${x.name} <${x.mailbox}@${x.host}>`), ['null <minutes@CNRI.Reston.VA.US>', 'John Klensin <KLENSIN@MIT.EDU>'], 'ENVELOPE cc');
    equal(a.envelope.messageId, '<B27397-0100000@cac.washington.edu>', 'ENVELOPE message-id');
    const bs = a.bodyStructure;
    equal([bs.kind, bs.subtype, bs.parts.length], ['multipart', 'MIXED', 2], 'BODYSTRUCTURE multipart/mixed');
    equal([bs.parts[1].part, bs.parts[1].encoding, bs.parts[1].size, bs.parts[1].params.NAME], ['2', 'BASE64', 4554, 'cc.diff'], 'BODYSTRUCTURE part 2');
    equal(a.sections.map((s) => [s.name, dec(s.data)]), [['BODY[]', LITERAL]], 'BODY[] literal');
    equal([items[1].tag, items[1].status], ['A7', 'OK'], 'tagged OK');
    const shape = JSON.stringify(items, (k, v) => (v instanceof Uint8Array ? dec(v) : v));
    if (first === null) first = shape;
    else equal(shape, first, 'same items whatever the split');
  }
}

/** RFC 7677 3: the SCRAM-SHA-256 example exchange, on the library's own pure SHA-256. */
function scramSha256() {
  equal(toHex(SHA256.digest(enc('abc'))), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', 'SHA-256("abc") (FIPS 180-2)');
  const c = new ScramClient({ mechanism: 'SCRAM-SHA-256', username: 'user', password: 'pencil', nonce: 'rOprNGfwEbeRWgbNEkqO' });
  equal(dec(c.first()), 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO', 'client-first');
  const final = c.respond(enc('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096'));
  equal(dec(final), 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=', 'client-final');
  equal(dec(c.respond(enc('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4='))), '', 'empty answer to server-final');
  equal(c.verified, true, 'server signature verified');

  // Both sides of the library, random nonces (crypto.getRandomValues of the runtime) and a wrong password.
  const creds = scramCredentials('SCRAM-SHA-256', 'pencil', enc('salt of the earth'), 4096);
  const run = (password) => {
    const client = new ScramClient({ mechanism: 'SCRAM-SHA-256', username: 'user', password });
    const server = new ScramServer({ mechanism: 'SCRAM-SHA-256', lookup: (u) => (u === 'user' ? creds : null) });
    const serverFirst = server.start(client.first());
    assert(!isProtocolError(serverFirst), 'server-first');
    const result = server.finish(client.respond(serverFirst));
    if (isProtocolError(result)) return result;
    client.respond(result.serverFinal);
    return client.verified;
  };
  equal(run('pencil'), true, 'library client against library server');
  const bad = run('pencil!');
  assert(isProtocolError(bad) && bad.code === 'AUTH_FAILED', `wrong password fails: ${bad && bad.code}`);
}

/** Encoders throw TypeError rather than put a value's CR/LF on the wire as a second command. */
function encodersRefuseInjection() {
  throwsType(() => smtp.encodeCommand({ verb: 'EHLO', domain: 'client.example\r\nRCPT TO:<victim@example.net>' }), TypeError, 'SMTP EHLO domain with CRLF');
  throwsType(() => smtp.encodeReply({ code: 250, enhanced: null, lines: ['OK\r\n354 go ahead'] }), TypeError, 'SMTP reply text with CRLF');
  throwsType(() => pop3.encodeCommand({ verb: 'USER', argument: 'mrose\r\nDELE 1' }), TypeError, 'POP3 USER with CRLF');
  throwsType(() => pop3.encodeCommand({ verb: 'PASS', argument: 'secret\nQUIT' }), TypeError, 'POP3 PASS with a bare LF');
  equal(smtp.encodeCommand({ verb: 'EHLO', domain: 'client.example' }), 'EHLO client.example\r\n', 'a clean EHLO encodes');
  equal(pop3.encodeCommand({ verb: 'USER', argument: 'mrose' }), 'USER mrose\r\n', 'a clean USER encodes');
}

/**
 * The byte search every framer uses: the native one (Buffer.prototype.indexOf) on Node, the
 * portable TypedArray.prototype.indexOf elsewhere (Deno, Bun, browsers).
 * `selectByteSearch({})` returns the portable search itself, so identity tells which is active.
 */
function byteSearch(expected) {
  const portable = selectByteSearch({});
  const active = indexOfByte === portable ? 'portable' : 'native';
  equal(active, expected, 'byte search in use');
  if (expected === 'native') equal(typeof globalThis.Buffer, 'function', 'the native search comes from a global Buffer');
  const line = enc('* OK ready\r\nA1 OK done\r\n');
  for (const search of [indexOfByte, portable]) {
    equal([search(line, 0x0a, 0), search(line, 0x0a, 12), search(line, 0x0a, 24), search(line, 0x7e, 0)], [11, 23, -1, -1], 'LF positions');
  }
  equal(indexOfLineBreak('* OK ready\r\n'), 10, 'indexOfLineBreak finds the CR');
  // A global Buffer that answers wrongly (a careless shim) is not trusted.
  const shim = { Buffer: { prototype: { indexOf: () => 0 } } };
  equal(selectByteSearch(shim), portable, 'a misbehaving Buffer shim falls back to the portable search');
  // The same line framing works through a Web Streams transform on this runtime's streams.
  return (async () => {
    const parser = new smtp.ReplyParser();
    const source = new ReadableStream({
      start(c) {
        for (const b of enc('250-mx.example\r\n250 SIZE 1000\r\n')) c.enqueue(Uint8Array.of(b));
        c.close();
      },
    });
    const items = [];
    for await (const item of source.pipeThrough(toTransformStream(parser))) items.push(item);
    equal(items.map((i) => [i.type, i.reply.code, i.reply.lines]), [['reply', 250, ['mx.example', 'SIZE 1000']]], 'ReplyParser through toTransformStream');
  })();
}

/**
 * The shared cases. `byteSearch` is what the runtime must use ('native' or 'portable');
 * `socketLink`, where the runtime has loopback sockets, makes a real connection pair.
 */
export function cases({ byteSearch: expectedSearch, socketLink = null }) {
  const list = [
    ['smtp: client and server sessions through toSessionStreams, AUTH PLAIN, rfc5321 4.5.2 dot-stuffing, 1-byte chunks', () => smtpSession(memoryLink())],
    ['pop3: rfc1939 RETR multiline answer fed 1 byte at a time', pop3Retr],
    ['imap: rfc3501 7.4.2 FETCH ENVELOPE + BODYSTRUCTURE + BODY[] literal split across chunks', imapFetch],
    ['sasl: rfc7677 3 SCRAM-SHA-256 on pure digests', scramSha256],
    ['encoders: CRLF injection refused with TypeError', encodersRefuseInjection],
    [`bytes: ${expectedSearch} byte search active`, () => byteSearch(expectedSearch)],
  ];
  if (socketLink !== null) list.push(['smtp: client and server sessions over a real 127.0.0.1 socket', async () => smtpSession(await socketLink())]);
  return list;
}

/** Runs the cases one after the other, each with a time limit; reports through `log`. */
export async function runCases(list, log, timeoutMs = 15000) {
  let passed = 0;
  let failed = 0;
  for (const [name, fn] of list) {
    let timer;
    try {
      await Promise.race([
        Promise.resolve().then(fn),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      passed++;
      log(`ok - ${name}`);
    } catch (e) {
      failed++;
      log(`not ok - ${name}: ${e && e.stack ? e.stack : e}`);
    } finally {
      clearTimeout(timer);
    }
  }
  log(`${passed} passed, ${failed} failed`);
  return { passed, failed };
}
