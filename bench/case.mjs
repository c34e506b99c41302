// One benchmark case in its own process: node case.mjs '<json spec>' -> prints one JSON result line.
import * as C from './corpus.mjs';
import * as D from './drivers.mjs';
import * as L from './imap-linear.mjs';

const spec = JSON.parse(process.argv[2]);
const GEN = { 'imap-meta': C.imapMeta, 'imap-body': C.imapBodies, 'smtp-in': C.smtpInbound, 'smtp-replies': C.smtpReplies, pop3: C.pop3 };
const DRV = {
  'limit-indexOf': D.limitIndexOf, 'limit-copy': D.limitCopy,
  'mailwire:imap-meta': D.mwImap, 'mailwire:imap-body': D.mwImap, 'mailwire:smtp-in': D.mwSmtpIn,
  'mailwire lazy:imap-meta': D.mwImapLazy, 'mailwire list-view (lazy):imap-meta': D.mwImapListView,
  'mailwire:smtp-replies': D.mwSmtpReplies, 'mailwire:pop3': D.mwPop3,
  'node-imap': D.nodeImap, imapflow: D.imapflow, 'emailjs-imap-handler': D.emailjsImap, 'smtp-server': D.smtpServer, nodemailer: D.nodemailer,
  'node-pop3 streams': D.nodePop3, 'node-pop3 command': D.nodePop3Command, yapople: D.yapople,
};
const mem = () => process.memoryUsage().rss;

// A driver returns the item count, or { count, check } where check holds what it read (body
// octets, listing lines, ENVELOPE/BODYSTRUCTURE tallies) to compare with the generator's.
const norm = (r) => (typeof r === 'number' ? { count: r, check: null } : r);
function verify(got, corpus, mustCheck) {
  if (got.count !== corpus.count) return `item count ${got.count}, expected ${corpus.count}`;
  if (!corpus.check) return null;
  if (!got.check) return mustCheck ? 'the driver did not report what it read' : null;
  for (const k of Object.keys(got.check)) {
    if (k in corpus.check && got.check[k] !== corpus.check[k]) return `${k} ${got.check[k]}, expected ${corpus.check[k]}`;
  }
  if (mustCheck) for (const k of Object.keys(corpus.check)) if (!(k in got.check)) return `${k} not counted`;
  return null;
}

async function main() {
  await D.loadMailwire();
  if (spec.kind === 'memory') return memory();
  if (spec.kind === 'linear') return linear();
  if (spec.kind === 'hostile') return out({ ok: true, hostile: L.hostile(await D.loadMailwire()) });
  if (spec.kind === 'scaling') return scaling();
  const corpus = GEN[spec.corpus](spec.bytes);
  const chunks = D.split(corpus.data, spec.chunk);
  const fn = DRV[spec.parser.startsWith('mailwire') ? `${spec.parser}:${spec.corpus}` : spec.parser];
  const isLimit = spec.parser.startsWith('limit');
  const rss0 = mem(); let peak = rss0;
  // The first run doubles as the output check: a parser that miscounts is never timed. The
  // message-list driver is checked against the generator's list tally (what it reads).
  const got = norm(await fn(chunks, corpus, spec.chunk));
  const listView = spec.parser.startsWith('mailwire list-view');
  const bad = isLimit ? null : verify(got, listView ? { ...corpus, check: corpus.listCheck } : corpus, spec.parser.startsWith('mailwire'));
  if (bad) return out({ ok: false, error: bad });
  // Steady state: warm up until the JIT and the heap have settled (at least `warm` runs and
  // 1 s), then time `runs` runs back to back. No gc() is forced anywhere near a timed run: it
  // left every parser slow for ~100 ms after it, and hid the garbage a parser makes itself.
  const warmUntil = Date.now() + (spec.warmMs ?? 1000);
  for (let i = 0; i < (spec.warm ?? 3) || Date.now() < warmUntil; i++) await fn(chunks, corpus, spec.chunk);
  // Wall-clock and CPU time of each run: on a shared machine the wall clock also counts the time
  // other jobs held the core (medians moved 2-4x between runs); the process's CPU time does not.
  const times = []; const cpu = [];
  for (let i = 0; i < spec.runs; i++) {
    const c = process.cpuUsage();
    const t = process.hrtime.bigint();
    await fn(chunks, corpus, spec.chunk);
    times.push(Number(process.hrtime.bigint() - t) / 1e9);
    const u = process.cpuUsage(c); cpu.push((u.user + u.system) / 1e6);
    peak = Math.max(peak, mem());
  }
  times.sort((a, b) => a - b); cpu.sort((a, b) => a - b);
  const med = times[times.length >> 1];
  const mb = corpus.data.length / 1e6;
  out({ ok: true, seconds: med, mbps: mb / med, mbpsMin: mb / times[times.length - 1], mbpsMax: mb / times[0], cpuMbps: mb / cpu[cpu.length >> 1], itemsps: corpus.count / med, bytes: corpus.data.length, items: corpus.count, runs: spec.runs, peakRssMiB: peak / 2 ** 20, rssGrowthMiB: (peak - rss0) / 2 ** 20 });
}

// One parser over growing prefixes of the same generator: MB/s must not fall with corpus size
// (nodemailer's did, when its reply queue was not drained).
async function scaling() {
  const fn = DRV[spec.parser.startsWith('mailwire') ? `mailwire:${spec.corpus}` : spec.parser];
  const res = [];
  for (const bytes of spec.sizes) {
    const corpus = GEN[spec.corpus](bytes);
    const chunks = D.split(corpus.data, spec.chunk);
    const got = norm(await fn(chunks, corpus, spec.chunk));
    const bad = verify(got, corpus, false);
    if (bad) { res.push({ bytes, ok: false, error: bad }); continue; }
    const warmUntil = Date.now() + 500;
    while (Date.now() < warmUntil) await fn(chunks, corpus, spec.chunk);
    // CPU time (see main): the wall clock of a shared machine made the two sizes differ 2x either way.
    const times = [];
    for (let i = 0; i < spec.runs; i++) { const c = process.cpuUsage(); await fn(chunks, corpus, spec.chunk); const u = process.cpuUsage(c); times.push((u.user + u.system) / 1e6); }
    times.sort((a, b) => a - b);
    res.push({ bytes: corpus.data.length, ok: true, mbps: corpus.data.length / 1e6 / times[times.length >> 1] });
  }
  out({ ok: res.every((r) => r.ok), scaling: res, error: res.find((r) => !r.ok)?.error });
}

// 64-byte chunks over single items of growing size: MB/s should stay flat (linear cost).
// Every size is prepared, checked and warmed up before any is timed, and the timed rounds
// interleave the sizes: measured one after the other, the first size ran on colder code
// (3x lower at 16 KB) and each size saw a different moment of a noisy machine.
async function linear() {
  const r = C.rng(9); const cases = []; const res = [];
  for (const size of spec.sizes) {
    let data, fn, expectN;
    if (spec.corpus === 'smtp-in') {
      const body = C.messageBody(r, size);
      data = Buffer.concat([Buffer.from('MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n'), body, Buffer.from('.\r\n')]);
      fn = D.mwSmtpIn; expectN = 4;
    } else if (spec.corpus === 'imap-line') { // one FETCH line of `size` (see imap-linear.mjs)
      const mw = await D.loadMailwire(); data = L.envelopeLine(size); fn = (chunks) => L.parse(mw, chunks); expectN = 1;
    } else {
      const c = C.imapBodies(1, 9, size, size); data = c.data; fn = D.mwImap; expectN = c.count;
    }
    const chunks = D.split(data, 64);
    const got = norm(fn(chunks, {})).count;
    if (got !== expectN) { res.push({ size, ok: false, error: `count ${got} != ${expectN}` }); continue; }
    cases.push({ size, data, fn, chunks, reps: Math.max(3, Math.ceil(spec.target / size)), times: [] });
  }
  for (const c of cases) for (let j = 0; j < c.reps; j++) c.fn(c.chunks, {}); // warm-up
  for (let k = 0; k < 5; k++) {
    for (const c of cases) {
      const t = process.hrtime.bigint();
      for (let j = 0; j < c.reps; j++) c.fn(c.chunks, {});
      c.times.push(Number(process.hrtime.bigint() - t) / 1e9 / c.reps);
    }
  }
  for (const c of cases) { c.times.sort((a, b) => a - b); res.push({ size: c.size, ok: true, mbps: c.data.length / 1e6 / c.times[2] }); }
  res.sort((a, b) => a.size - b.size);
  out({ ok: true, linear: res });
}

// Stream `total` bytes of one body through a parser, 64 KiB at a time, generating as we go.
async function memory() {
  const CH = 64 * 1024; const total = spec.total; const r = C.rng(11);
  const body = C.messageBody(r, 1024 * 1024); // 1 MiB of lines without a leading dot, recycled
  for (let i = 0; i < body.length; i++) if (body[i] === 0x2e) body[i] = 0x2d;
  let p; let head; let tail; let seen = 0; let errors = 0;
  const mwm = await D.loadMailwire();
  const count = (items) => { for (const it of items) { if (it.type === 'error') errors++; else if (it.type === 'data' || it.type === 'literal-chunk') seen += it.chunk.length; } };
  if (spec.corpus === 'imap') { p = new mwm.imap.ResponseParser(); head = `* 1 FETCH (BODY[] {${total}}\r\n`; tail = ')\r\nA1 OK done\r\n'; }
  else if (spec.corpus === 'smtp') { p = new mwm.smtp.CommandParser(); head = 'MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n'; tail = '.\r\n'; }
  else { p = new mwm.pop3.ResponseParser(); p.expect('body'); head = `+OK ${total} octets\r\n`; tail = '.\r\n'; }
  count(p.push(new TextEncoder().encode(head)));
  if (spec.corpus === 'smtp') count(p.startData());
  if (global.gc) global.gc();
  const rss0 = mem(); let peak = rss0; let sent = 0; const t = process.hrtime.bigint();
  while (sent < total) {
    const off = sent % body.length; const n = Math.min(CH, total - sent, body.length - off);
    count(p.push(new Uint8Array(body.buffer, body.byteOffset + off, n).slice())); // fresh chunk, as from a socket
    sent += n;
    if ((sent & (32 * 1024 * 1024 - 1)) === 0) peak = Math.max(peak, mem());
  }
  count(p.push(new TextEncoder().encode(tail))); count(p.end());
  peak = Math.max(peak, mem());
  const secs = Number(process.hrtime.bigint() - t) / 1e9;
  out({ ok: errors === 0 && seen === total, error: errors || seen !== total ? `errors ${errors}, body octets ${seen} of ${total}` : undefined, mbps: total / 1e6 / secs, rssGrowthMiB: (peak - rss0) / 2 ** 20, peakRssMiB: peak / 2 ** 20 });
}

function out(o) { process.stdout.write(JSON.stringify(o) + '\n'); }
main().catch((e) => out({ ok: false, error: String(e && e.stack || e).slice(0, 300) }));
