/**
 * The examples/ programs, run as a user would run them (tsx, argv, real sockets on 127.0.0.1):
 * (a) the client examples against the real Postfix and Dovecot of the interop run: every
 *     message that goes in through smtp-send.ts comes out of pop3-download.ts and
 *     imap-fetch.ts with the original octets intact;
 * (b) the server examples (mailwire's ServerSessions) driven by real clients: curl and
 *     Python 3's smtplib, imaplib and poplib; what they got and what the servers stored is
 *     compared byte for byte.
 * Every child process has a timeout and is killed at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import * as vitest from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCerts, type TestCerts } from '../node/certs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** `node --import tsx file.ts` (what `npx tsx file.ts` runs) as one process, so killing it leaves no orphan behind. */
const TSX = [process.execPath, '--import', 'tsx'] as const;
const STEP_MS = 20_000;

interface ServersInfo {
  readonly host: string;
  readonly domain: string;
  readonly ports: { readonly imap: number; readonly pop3: number; readonly smtp: number; readonly submission: number };
  readonly users: Readonly<Record<string, { readonly password: string }>>;
}

/** The real servers: from the interop global setup, or a servers.json named by MAILWIRE_INTEROP_SERVERS. */
function servers(): ServersInfo {
  const file = process.env.MAILWIRE_INTEROP_SERVERS;
  if (file) return JSON.parse(readFileSync(file, 'utf8')) as ServersInfo;
  return (vitest.inject as unknown as (key: string) => ServersInfo)('servers');
}

const children = new Set<ChildProcess>();
const work = mkdtempSync(path.join(tmpdir(), 'mailwire-examples-'));
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

interface Run {
  readonly code: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** Runs a program to its end (killed after `ms`), feeding `input` on stdin. */
function run(cmd: string, args: readonly string[], input?: Uint8Array, ms = STEP_MS): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    children.add(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${path.basename(cmd)} ${args.join(' ')} timed out after ${ms} ms; stderr: ${Buffer.concat(err).toString()}`));
    }, ms);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(t);
      children.delete(child);
      resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() });
    });
    child.stdin.end(input ?? new Uint8Array(0));
  });
}

/** Runs an example with tsx and expects it to exit 0. */
async function example(name: string, args: readonly string[], input?: Uint8Array): Promise<Run> {
  const r = await run(TSX[0], [...TSX.slice(1), `examples/${name}`, ...args], input);
  if (r.code !== 0) throw new Error(`${name} exited with ${r.code}\n${r.stdout.toString()}\n${r.stderr}`);
  return r;
}

/** Runs a Python 3 script (argv after it) and parses the JSON it prints. */
async function python<T>(script: string, ...args: string[]): Promise<T> {
  const r = await run('python3', ['-c', script, ...args]);
  if (r.code !== 0) throw new Error(`python3 exited with ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout.toString()) as T;
}

/** curl with a timeout, silent but showing errors; resolves to stdout. */
async function curl(...args: string[]): Promise<Buffer> {
  const r = await run('curl', ['-sS', '--max-time', '15', ...args]);
  if (r.code !== 0) throw new Error(`curl ${args.join(' ')} exited with ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** Starts a server example on 127.0.0.1 port 0 and waits for the port it prints. */
async function startServer(name: string, args: readonly string[]): Promise<number> {
  return (await startServerProcess(name, args)).port;
}

/** Like {@link startServer}, with the child's pid (to read its memory use). */
async function startServerProcess(name: string, args: readonly string[]): Promise<{ port: number; pid: number }> {
  const child = spawn(TSX[0], [...TSX.slice(1), `examples/${name}`, '--port', '0', '--lifetime', '85000', ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  return await new Promise<{ port: number; pid: number }>((resolve, reject) => {
    let err = '';
    const t = setTimeout(() => reject(new Error(`${name} did not listen within ${STEP_MS} ms: ${err}`)), STEP_MS);
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(err);
      if (m) {
        clearTimeout(t);
        resolve({ port: Number(m[1]), pid: child.pid! });
      }
    });
    child.on('exit', (code) => reject(new Error(`${name} exited with ${code}: ${err}`)));
  });
}

async function eventually<T>(probe: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

let serial = 0;
/** A CRLF message with a unique Message-ID, lines starting with dots, and `fill` octets of text. */
function message(subject: string, from: string, to: string, fill = 0): Buffer {
  const id = `<examples-${process.pid}-${Date.now()}-${++serial}@client.interop.test>`;
  const line = 'The quick brown fox jumps over the lazy dog 0123456789 abcdefghijklmnopqrstuvwxyz.\r\n';
  const head = [`From: Example Sender <${from}>`, `To: ${to}`, `Subject: ${subject}`, `Date: Mon, 23 Nov 2026 10:00:00 +0000`, `Message-ID: ${id}`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=us-ascii'];
  const body = `Hello from the mailwire examples.\r\n.one leading dot\r\n..two leading dots\r\n.\r\n${line.repeat(Math.ceil(fill / line.length))}end\r\n`;
  return Buffer.from(`${head.join('\r\n')}\r\n\r\n${body}`, 'latin1');
}
const idOf = (m: Buffer) => /Message-ID: (<[^>]+>)/.exec(m.toString('latin1'))![1]!;

/** What a delivered copy must look like: trace fields prepended by Postfix/Dovecot, then the sent octets unchanged. */
function expectDelivered(got: Buffer, sent: Buffer): void {
  expect(got.length).toBeGreaterThan(sent.length);
  expect(got.subarray(got.length - sent.length).equals(sent)).toBe(true);
  const added = got.subarray(0, got.length - sent.length).toString('latin1');
  expect(added).toMatch(/^(?:(?:Return-Path|Delivered-To|Received):[^\r\n]*\r\n(?:[ \t][^\r\n]*\r\n)*)+$/);
}

describe('client examples against Postfix and Dovecot', () => {
  const info = servers();
  const D = info.domain;
  const user = 'smtpuser';
  const pass = info.users[user]!.password;
  const small = message('examples small', `bounces@${D}`, `${user}@${D}`);
  const large = message('examples large', `bounces@${D}`, `${user}@${D}`, 300_000);
  const popDir = path.join(work, 'pop3');

  /** pop3-download.ts (APOP) until the message with `id` is among the files; returns that file. */
  const downloaded = (id: string) =>
    eventually(
      async () => {
        await example('pop3-download.ts', ['--port', String(info.ports.pop3), '--user', user, '--password', pass, '--dir', popDir, '--apop']);
        for (const f of readdirSync(popDir)) {
          const b = readFileSync(path.join(popDir, f));
          if (b.includes(`Message-ID: ${id}`)) return b;
        }
        return undefined;
      },
      30_000,
      `delivery of ${id}`,
    );

  afterAll(async () => {
    // Leave smtpuser's INBOX as it was: the other interop files count on their own messages only.
    const script = `
import imaplib, sys
m = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]), timeout=10)
m.login(sys.argv[2], sys.argv[3]); m.select('INBOX')
for mid in sys.argv[4:]:
    for n in m.search(None, 'HEADER', 'Message-ID', mid)[1][0].split():
        m.store(n, '+FLAGS', '\\\\Deleted')
m.expunge(); m.logout(); print('{}')`;
    await python(script, String(info.ports.imap), user, pass, idOf(small), idOf(large));
  }, 30_000);

  it('smtp-send.ts: AUTH PLAIN on submission with the message on stdin; pop3-download.ts gets it back intact over APOP', async () => {
    const r = await example('smtp-send.ts', ['--port', String(info.ports.submission), '--user', user, '--password', pass, '--from', `bounces@${D}`, '--to', `${user}@${D}`], small);
    expect(r.stdout.toString()).toMatch(/^accepted: 250 /);
    expectDelivered(await downloaded(idOf(small)), small);
  }, 60_000);

  it('smtp-send.ts: a 300 kB file to two recipients, one refused; it arrives intact; imap-fetch.ts lists, shows the envelope and streams it to disk', async () => {
    const file = path.join(work, 'large.eml');
    writeFileSync(file, large);
    const r = await example('smtp-send.ts', ['--port', String(info.ports.smtp), '--from', `bounces@${D}`, '--to', `${user}@${D},nobody@elsewhere.test`, '--file', file]);
    expect(r.stdout.toString()).toMatch(/^accepted: 250 /);
    expect(r.stderr).toMatch(/recipient nobody@elsewhere\.test refused: 554 /);
    expectDelivered(await downloaded(idOf(large)), large);

    const out = path.join(work, 'newest.eml');
    const f = await example('imap-fetch.ts', ['--port', String(info.ports.imap), '--user', user, '--password', pass, '--last', '50', '--out', out]);
    const text = f.stdout.toString();
    expect(text).toMatch(/^mailbox "INBOX"/m);
    expect(text).toMatch(/^INBOX: \d+ messages$/m);
    expect(text).toMatch(new RegExp(`^#\\d+ uid=\\d+ from=bounces@${D.replace('.', '\\.')} subject=examples large$`, 'm'));
    // The newest message is the large one, streamed in literal chunks (it is above 64 KiB).
    expectDelivered(readFileSync(out), large);
    const streamed = new RegExp(`: ${readFileSync(out).length} octets in (\\d+) chunk\\(s\\) -> `).exec(text);
    expect(Number(streamed?.[1])).toBeGreaterThan(1);
  }, 60_000);
});

describe('server examples against curl and Python clients', () => {
  const a = message('first stored', 'alice@example.org', 'bob@example.org');
  const b = message('second stored', 'carol@example.org', '"Dan D." <dan@example.org>, erin@example.org', 20_000);
  const c = message('appended by curl', 'frank@example.org', 'bob@example.org');
  const d = message('appended by imaplib', 'grace@example.org', 'bob@example.org', 5_000);
  const files = path.join(work, 'files');
  beforeAll(() => {
    mkdirSync(files);
    writeFileSync(path.join(files, '1.eml'), a);
    writeFileSync(path.join(files, '2.eml'), b);
    for (const [n, m] of [['c', c], ['d', d]] as const) writeFileSync(path.join(work, `${n}.eml`), m);
  });

  it('smtp-server.ts stores what curl (AUTH PLAIN after a 334) and smtplib (AUTH PLAIN initial response) send, byte for byte', async () => {
    const dir = path.join(work, 'smtp-in');
    const port = await startServer('smtp-server.ts', ['--dir', dir, '--user', 'u', '--password', 'p w']);
    const url = `smtp://127.0.0.1:${port}`;
    await curl(url, '-u', 'u:p w', '--mail-from', 'alice@example.org', '--mail-rcpt', 'bob@example.org', '--mail-rcpt', 'x@y.example', '-T', path.join(files, '1.eml'));
    expect(readFileSync(path.join(dir, '1.eml')).equals(a)).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir, '1.json'), 'utf8'))).toEqual({ from: 'alice@example.org', to: ['bob@example.org', 'x@y.example'] });

    const script = `
import smtplib, sys, json
out = {}
s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=10)
out['ehlo'] = s.ehlo()[0]
out['features'] = sorted(s.esmtp_features.keys())
try:
    s.login('u', 'wrong')
except smtplib.SMTPAuthenticationError as e:
    out['wrong'] = e.smtp_code
out['login'] = s.login('u', 'p w')[0]
out['refused'] = s.sendmail('carol@example.org', ['dan@example.org', 'erin@example.org'], open(sys.argv[2], 'rb').read())
out['quit'] = s.quit()[0]
print(json.dumps(out))`;
    const py = await python<Record<string, unknown>>(script, String(port), path.join(files, '2.eml'));
    expect(py).toEqual({ ehlo: 250, features: ['8bitmime', 'auth', 'chunking', 'enhancedstatuscodes', 'pipelining', 'smtputf8'], wrong: 535, login: 235, refused: {}, quit: 221 });
    expect(readFileSync(path.join(dir, '2.eml')).equals(b)).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir, '2.json'), 'utf8'))).toEqual({ from: 'carol@example.org', to: ['dan@example.org', 'erin@example.org'] });
  }, 60_000);

  it('imap-server.ts: curl (AUTHENTICATE PLAIN with SASL-IR) lists, searches, fetches by UID and section, appends; imaplib (AUTHENTICATE PLAIN after a challenge, and LOGIN) selects, asks STATUS, fetches ENVELOPE/RFC822.SIZE/BODY[]/header fields/partial text, appends, stores, expunges', async () => {
    const port = await startServer('imap-server.ts', ['--dir', files, '--user', 'u', '--password', 'p']);
    const url = `imap://127.0.0.1:${port}/INBOX`;
    expect((await curl(url, '-u', 'u:p')).toString()).toBe('* LIST (\\HasNoChildren) "/" INBOX\r\n');
    expect((await curl(`${url}?ALL`, '-u', 'u:p')).toString()).toBe('* SEARCH 1 2\r\n');
    expect((await curl(`${url};UID=2`, '-u', 'u:p')).equals(b)).toBe(true);
    expect((await curl(`${url};UID=2;SECTION=HEADER`, '-u', 'u:p')).equals(b.subarray(0, b.indexOf('\r\n\r\n') + 4))).toBe(true);
    await curl(url, '-u', 'u:p', '-T', path.join(work, 'c.eml'));
    expect((await curl(`${url};UID=3`, '-u', 'u:p')).equals(c)).toBe(true);
    await expect(curl(url, '-u', 'u:nope')).rejects.toThrow(/exited with 67/); // CURLE_LOGIN_DENIED

    const script = `
import imaplib, sys, json
out = {}
m = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]), timeout=10)
try:
    m.login('u', 'wrong')
except imaplib.IMAP4.error as e:
    out['wrong'] = str(e)
m.logout()
m = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]), timeout=10)
out['authenticate'] = m.authenticate('PLAIN', lambda challenge: b'\\0u\\0p')[0]
m.logout()
m = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]), timeout=10)
out['login'] = m.login('u', 'p')[0]
out['list'] = [x.decode() for x in m.list()[1]]
out['select'] = m.select('INBOX')[1][0].decode()
out['status'] = m.status('INBOX', '(MESSAGES UIDNEXT UNSEEN)')[1][0].decode()
out['search'] = m.search(None, 'ALL')[1][0].decode()
out['fields'] = m.fetch('2', '(BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)])')[1][0][1].decode()
out['partial'] = [x.decode() for x in m.fetch('2', '(BODY.PEEK[TEXT]<0.16>)')[1][0]]
typ, data = m.fetch('2', '(UID FLAGS RFC822.SIZE ENVELOPE BODY.PEEK[])')
out['fetch'] = data[0][0].decode()
open(sys.argv[2], 'wb').write(data[0][1])
out['unseen'] = m.search(None, 'UNSEEN')[1][0].decode()
typ, data = m.fetch('1', '(RFC822)')
open(sys.argv[3], 'wb').write(data[0][1])
out['seen'] = m.search(None, 'SEEN')[1][0].decode()
out['append'] = m.append('INBOX', '(\\\\Flagged)', None, open(sys.argv[4], 'rb').read())[1][0].decode()
out['store'] = [x.decode() for x in m.store('1', '+FLAGS', '(\\\\Deleted)')[1]]
out['expunge'] = [x.decode() for x in m.expunge()[1]]
out['uids'] = m.uid('SEARCH', None, 'ALL')[1][0].decode()
out['flagged'] = m.uid('FETCH', '4', '(FLAGS)')[1][0].decode()
out['logout'] = m.logout()[0]
print(json.dumps(out))`;
    const got2 = path.join(work, 'imap-2.eml');
    const got1 = path.join(work, 'imap-1.eml');
    const py = await python<Record<string, unknown>>(script, String(port), got2, got1, path.join(work, 'd.eml'));
    expect(py).toMatchObject({
      wrong: expect.stringContaining('AUTHENTICATIONFAILED'),
      authenticate: 'OK', // AUTHENTICATE PLAIN through an empty "+ " challenge
      login: 'OK',
      list: ['(\\HasNoChildren) "/" INBOX'],
      select: '3',
      status: 'INBOX (MESSAGES 3 UIDNEXT 4 UNSEEN 1)',
      search: '1 2 3',
      fields: 'From: Example Sender <carol@example.org>\r\nSubject: second stored\r\n\r\n',
      partial: ['2 (BODY[TEXT]<0> {16}', 'Hello from the m'],
      fetch: `2 (UID 2 FLAGS (\\Seen) RFC822.SIZE ${b.length} ENVELOPE ("Mon, 23 Nov 2026 10:00:00 +0000" "second stored" (("Example Sender" NIL "carol" "example.org")) (("Example Sender" NIL "carol" "example.org")) (("Example Sender" NIL "carol" "example.org")) (("Dan D." NIL "dan" "example.org")(NIL NIL "erin" "example.org")) NIL NIL NIL "${idOf(b)}") BODY[] {${b.length}}`,
      unseen: '1', // curl's UID FETCH BODY[] (not PEEK) above marked 2 \Seen
      seen: '1 2 3', // and imaplib's RFC822 fetch marked 1
      append: expect.stringMatching(/^\[APPENDUID \d+ 4\] APPEND completed$/),
      store: ['1 (FLAGS (\\Seen \\Deleted))'],
      expunge: ['1'],
      uids: '2 3 4',
      flagged: '3 (UID 4 FLAGS (\\Flagged))',
      logout: 'BYE',
    });
    expect(readFileSync(got2).equals(b)).toBe(true);
    expect(readFileSync(got1).equals(a)).toBe(true);
    // What imaplib appended, curl fetches back unchanged.
    expect((await curl(`${url};UID=4`, '-u', 'u:p')).equals(d)).toBe(true);
  }, 60_000);

  it('pop3-server.ts: curl (AUTH PLAIN, with and without initial response, and APOP) lists and retrieves; poplib (USER/PASS and APOP) reads STAT/UIDL/RETR/TOP, deletes and resets', async () => {
    const port = await startServer('pop3-server.ts', ['--dir', files, '--user', 'u', '--password', 'p']);
    const url = `pop3://127.0.0.1:${port}`;
    // curl picks AUTH PLAIN from CAPA's SASL line (through an empty "+ " challenge, or with
    // an initial response under --sasl-ir), or APOP when told to.
    expect((await curl(`${url}/`, '-u', 'u:p')).toString()).toBe(`1 ${a.length}\r\n2 ${b.length}\r\n`);
    expect((await curl(`${url}/2`, '-u', 'u:p', '--sasl-ir')).equals(b)).toBe(true);
    expect((await curl(`${url}/1`, '-u', 'u:p', '--login-options', 'AUTH=+APOP')).equals(a)).toBe(true);
    await expect(curl(`${url}/1`, '-u', 'u:nope')).rejects.toThrow(/exited with 67/);

    const script = `
import poplib, sys, json
out = {}
p = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=10)
try:
    p.user('u'); p.pass_('wrong')
except poplib.error_proto as e:
    out['wrong'] = e.args[0].decode()
p.quit()
p = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=10)
out['pass'] = p.user('u').decode() + ' / ' + p.pass_('p').decode()
out['capa'] = sorted(p.capa().keys())
out['stat'] = p.stat()
out['uidl'] = [x.decode() for x in p.uidl()[1]]
resp, lines, octets = p.retr(1)
open(sys.argv[2], 'wb').write(b'\\r\\n'.join(lines) + b'\\r\\n')
out['top'] = [x.decode() for x in p.top(2, 2)[1]]
out['dele'] = p.dele(1).decode()
out['stat_after_dele'] = p.stat()
out['rset'] = p.rset().decode()
out['dele_again'] = p.dele(2).decode()
out['quit'] = p.quit().decode()
p = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=10)
out['apop'] = p.apop('u', 'p').decode()
out['stat_after_quit'] = p.stat()
out['uidl_after_quit'] = [x.decode() for x in p.uidl()[1]]
p.quit()
print(json.dumps(out))`;
    const got = path.join(work, 'pop-1.eml');
    const py = await python<Record<string, unknown>>(script, String(port), got);
    expect(py).toEqual({
      wrong: '-ERR [AUTH] invalid login',
      pass: '+OK send PASS / +OK maildrop ready',
      capa: ['IMPLEMENTATION', 'PIPELINING', 'SASL', 'TOP', 'UIDL', 'USER'],
      stat: [2, a.length + b.length],
      uidl: ['1 1.eml', '2 2.eml'],
      top: [...b.toString('latin1').split('\r\n\r\n')[0]!.split('\r\n'), '', 'Hello from the mailwire examples.', '.one leading dot'],
      dele: '+OK message 1 deleted',
      stat_after_dele: [1, b.length],
      rset: '+OK',
      dele_again: '+OK message 2 deleted',
      quit: '+OK bye',
      apop: '+OK maildrop ready',
      stat_after_quit: [1, a.length],
      uidl_after_quit: ['1 1.eml'],
    });
    expect(readFileSync(got).equals(a)).toBe(true);
  }, 60_000);
});

/** Resident memory of a process in MB (Linux /proc). */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Opens a raw TCP connection and resolves when `done` holds for what the server sent so far. */
function raw(port: number, script: (socket: net.Socket, text: () => string) => void, done: (text: string) => boolean, ms = STEP_MS): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    const t = setTimeout(() => (socket.destroy(), reject(new Error(`no end within ${ms} ms; got ${JSON.stringify(text.slice(-500))}`))), ms);
    socket.on('data', (b: Buffer) => {
      text += b.toString('latin1');
      if (done(text)) (clearTimeout(t), socket.end(), resolve(text));
    });
    socket.on('error', (e) => (clearTimeout(t), reject(e)));
    script(socket, () => text);
  });
}

describe('server examples: STARTTLS (curl --ssl-reqd, Python starttls()/stls()), AUTH LOGIN, Exim-style BDAT, IDLE, CREATE, BODYSTRUCTURE, header SEARCH, write backpressure', () => {
  let certs: TestCerts;
  let tlsArgs: string[];
  const files = path.join(work, 'tls-messages');
  const stored = path.join(work, 'tls-inbox');
  const m1 = message('hello over tls', 'alice@example.org', 'bob@example.org', 2_000);
  beforeAll(() => {
    certs = makeTestCerts(path.join(work, 'certs-dir-' + process.pid));
    tlsArgs = ['--cert', certs.certFile, '--key', certs.keyFile];
    mkdirSync(files);
    writeFileSync(path.join(files, '1.eml'), m1);
  });

  it('smtp-server.ts: curl --ssl-reqd goes through STARTTLS and AUTH LOGIN; the message is stored byte for byte', async () => {
    const port = await startServer('smtp-server.ts', ['--dir', stored, '--user', 'u', '--password', 'p', ...tlsArgs]);
    const file = path.join(work, 'm1.eml');
    writeFileSync(file, m1);
    await curl(`smtp://127.0.0.1:${port}`, '--ssl-reqd', '--cacert', certs.caFile, '-u', 'u:p', '--login-options', 'AUTH=LOGIN', '--mail-from', 'alice@example.org', '--mail-rcpt', 'bob@example.org', '-T', file);
    expect(readFileSync(path.join(stored, '1.eml')).equals(m1)).toBe(true);
  });

  it('smtp-server.ts survives an Exim-style BDAT client (chunks pipelined with their commands and QUIT, in one write) and stores the message', async () => {
    const dirBdat = path.join(work, 'bdat-inbox');
    const port = await startServer('smtp-server.ts', ['--dir', dirBdat]);
    const body = 'Subject: bdat\r\n\r\nfirst chunk, ';
    const last = 'last chunk\r\n';
    const text = await raw(
      port,
      (socket) => socket.write(`EHLO exim.example\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nBDAT ${body.length}\r\n${body}BDAT ${last.length} LAST\r\n${last}QUIT\r\n`),
      (t) => /\r\n221 /.test(t),
    );
    expect(text.match(/^\d{3}[ -]/gm)!.filter((l) => l.endsWith(' ')).map((l) => l.slice(0, 3))).toEqual(['220', '250', '250', '250', '250', '250', '221']);
    expect(readFileSync(path.join(dirBdat, '1.eml'), 'latin1')).toBe(body + last);
    // Still serving.
    expect(await raw(port, () => undefined, (t) => t.includes('\r\n'))).toMatch(/^220 /);
  });

  it('imap-server.ts: curl --ssl-reqd fetches over STARTTLS; imaplib starttls() logs in with AUTHENTICATE LOGIN, CREATEs, SEARCHes a header, fetches BODYSTRUCTURE; IDLE ends with DONE', async () => {
    const port = await startServer('imap-server.ts', ['--dir', files, '--user', 'u', '--password', 'p', ...tlsArgs]);
    const got = await curl(`imap://127.0.0.1:${port}/INBOX;UID=1`, '--ssl-reqd', '--cacert', certs.caFile, '-u', 'u:p');
    expect(got.equals(m1)).toBe(true);
    const script = `
import imaplib, ssl, sys, json
ctx = ssl.create_default_context(cafile=sys.argv[2])
m = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]), timeout=10)
out = {'starttls': m.starttls(ssl_context=ctx)[0]}
def answer(challenge):
    return b'u' if challenge == b'Username:' else b'p'
out['login'] = m.authenticate('LOGIN', answer)[0]
out['create'] = m.create('Archive')[0]
out['list'] = sorted(x.decode() for x in m.list()[1])
m.select('INBOX')
out['search'] = m.search(None, 'HEADER', 'Subject', '"over tls"')[1][0].decode()
out['nohit'] = m.search(None, 'FROM', 'nobody')[1][0].decode()
out['bodystructure'] = m.fetch('1', '(BODYSTRUCTURE)')[1][0].decode()
out['logout'] = m.logout()[0]
print(json.dumps(out))
`;
    const py = await python<Record<string, unknown>>(script, String(port), certs.caFile);
    expect(py).toMatchObject({ starttls: 'OK', login: 'OK', create: 'OK', search: '1', nohit: '', logout: 'BYE' });
    expect(py.list).toEqual(['(\\HasNoChildren) "/" Archive', '(\\HasNoChildren) "/" INBOX']);
    expect(py.bodystructure).toMatch(/^1 \(BODYSTRUCTURE \("TEXT" "PLAIN" \("CHARSET" "us-ascii"\) NIL NIL "7BIT" \d+ \d+\)\)$/);
    // IDLE (RFC 2177): "+ idling", then DONE ends it with OK.
    const idle = await raw(
      port,
      (socket, text) => {
        socket.write('A1 LOGIN u p\r\nA2 SELECT INBOX\r\nA3 IDLE\r\n');
        const t = setInterval(() => {
          if (/\r\n\+ /.test(text())) (clearInterval(t), socket.write('DONE\r\nA4 LOGOUT\r\n'));
        }, 20);
      },
      (t) => /\r\nA4 OK/.test(t),
    );
    expect(idle).toMatch(/\r\nA3 OK [^\r\n]*\r\n/);
  });

  it('pop3-server.ts: poplib stls() then USER/PASS and RETR over TLS; curl --ssl-reqd with AUTH LOGIN', async () => {
    const port = await startServer('pop3-server.ts', ['--dir', files, '--user', 'u', '--password', 'p', ...tlsArgs]);
    const script = `
import poplib, ssl, sys, json
ctx = ssl.create_default_context(cafile=sys.argv[2])
p = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=10)
out = {'stls': p.stls(context=ctx).decode()[:3]}
p.user('u'); out['pass'] = p.pass_('p').decode()[:3]
out['stat'] = list(p.stat())
out['retr'] = b'\\r\\n'.join(p.retr(1)[1]).decode('latin1')
p.quit()
print(json.dumps(out))
`;
    const py = await python<Record<string, unknown>>(script, String(port), certs.caFile);
    expect(py).toMatchObject({ stls: '+OK', pass: '+OK', stat: [1, m1.length] });
    expect(`${py.retr}\r\n`).toBe(m1.toString('latin1'));
    const got = await curl(`pop3://127.0.0.1:${port}/1`, '--ssl-reqd', '--cacert', certs.caFile, '-u', 'u:p', '--login-options', 'AUTH=LOGIN');
    expect(got.equals(m1)).toBe(true);
  });

  it('imap-server.ts: a client that asks for 4 GB of FETCH answers and never reads does not grow the server (write backpressure)', async () => {
    const big = path.join(work, 'big-messages');
    mkdirSync(big);
    for (let i = 1; i <= 10; i++) writeFileSync(path.join(big, `${i}.eml`), message(`big ${i}`, 'a@example.org', 'b@example.org', 2_000_000));
    const { port, pid } = await startServerProcess('imap-server.ts', ['--dir', big]);
    const before = rssMb(pid);
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', () => r()));
    socket.pause(); // never reads
    socket.write('A1 LOGIN u p\r\nA2 SELECT INBOX\r\n');
    for (let i = 0; i < 200; i++) socket.write(`F${i} FETCH 1:* BODY.PEEK[]\r\n`); // 200 x 20 MB
    await new Promise((r) => setTimeout(r, 6000));
    const after = rssMb(pid);
    socket.destroy();
    expect(after - before, `RSS ${before.toFixed(0)} MB -> ${after.toFixed(0)} MB`).toBeLessThan(150);
  }, 60_000);
});
