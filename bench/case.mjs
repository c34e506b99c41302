// One benchmark case in its own process: `node bench/case.mjs <corpus> <parser> <chunkSize> <runs> <scale>`.
// Prints one JSON line: median seconds, MB/s, items/s, and the item count it verified.
import { imap, pop3, smtp } from '../dist/index.js';
import * as corpora from './corpora.mjs';

const [corpusName, parserName, chunkArg, runsArg, scaleArg] = process.argv.slice(2);
const chunkSize = Number(chunkArg);
const runs = Number(runsArg);
const scale = Number(scaleArg);
const MB = 1024 * 1024;
const sizes = { imapMetadata: 20 * MB, imapBodies: 50 * MB, smtpInbound: 20 * MB, smtpReplies: 10 * MB, pop3Session: 20 * MB };
const corpus = corpora[corpusName](Math.max(64 * 1024, Math.floor(sizes[corpusName] * scale)));
const bytes = new Uint8Array(corpus.bytes.buffer, corpus.bytes.byteOffset, corpus.bytes.length);
const chunks = [];
for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));

// Each parser returns the number of items that the generator's `items` counts.
const parsers = {
  'limit:indexOf-CRLF': () => {
    let lines = 0;
    let carry = 0;
    for (const c of chunks) {
      let i = c.indexOf(10);
      while (i >= 0) {
        lines++;
        i = c.indexOf(10, i + 1);
      }
      carry += c.length;
    }
    return carry > 0 ? lines : 0;
  },
  'limit:copy': () => {
    const dst = new Uint8Array(chunkSize);
    let n = 0;
    for (const c of chunks) {
      dst.set(c);
      n += c.length;
    }
    return n;
  },
  mailwire: () => {
    if (corpusName === 'imapMetadata' || corpusName === 'imapBodies') {
      const p = new imap.ResponseParser();
      let n = 0;
      for (const c of chunks) for (const it of p.push(c)) if (it.type === 'untagged') n++;
      return n;
    }
    if (corpusName === 'smtpInbound') {
      const p = new smtp.CommandParser();
      let n = 0;
      const take = (items) => {
        for (const it of items) {
          if (it.type === 'command') {
            n++;
            if (it.command.verb === 'DATA') take(p.startData());
          } else if (it.type === 'data-end') n++;
          else if (it.type === 'error') throw it.error;
        }
      };
      for (const c of chunks) take(p.push(c));
      return n;
    }
    if (corpusName === 'smtpReplies') {
      const p = new smtp.ReplyParser();
      let n = 0;
      for (const c of chunks) for (const it of p.push(c)) if (it.type === 'reply') n++;
      return n;
    }
    const p = new pop3.ResponseParser();
    for (const e of corpus.expect) p.expect(e);
    let n = 0;
    for (const c of chunks) for (const it of p.push(c)) if ((it.type === 'response' && it.lines) || it.type === 'data-end') n++;
    return n;
  },
};

const run = parsers[parserName];
if (!run) throw new Error(`unknown parser ${parserName}`);
const expected = parserName === 'mailwire' ? corpus.items : null;
const times = [];
let items = 0;
for (let i = 0; i < runs + 2; i++) {
  const t = process.hrtime.bigint();
  items = run();
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  if (i >= 2) times.push(s);
}
if (expected !== null && items !== expected) throw new Error(`${parserName} counted ${items} items, the generator made ${expected}`);
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
process.stdout.write(
  JSON.stringify({ corpus: corpusName, parser: parserName, chunkSize, bytes: bytes.length, items: corpus.items, median, mbps: bytes.length / MB / median, itemsPerSec: corpus.items / median, rssMB: process.memoryUsage().rss / MB }) + '\n',
);
