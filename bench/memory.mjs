// Streams a 1 GiB body through a parser in 64 KiB chunks and reports RSS growth.
// `node bench/memory.mjs <imap|smtp|pop3> <MiB>`
import { imap, pop3, smtp } from '../dist/index.js';

const [which, mibArg] = process.argv.slice(2);
const total = Number(mibArg) * 1024 * 1024;
const chunk = new Uint8Array(64 * 1024).fill(0x61);
for (let i = 76; i < chunk.length; i += 78) (chunk[i] = 13), (chunk[i + 1] = 10);
const enc = new TextEncoder();
let feed;
let tail;
let done = 0;
if (which === 'imap') {
  const p = new imap.ResponseParser();
  p.push(enc.encode(`* 1 FETCH (BODY[] {${total}}\r\n`));
  feed = (c) => p.push(c);
  tail = () => p.push(enc.encode(')\r\n'));
} else if (which === 'smtp') {
  const p = new smtp.CommandParser();
  p.push(enc.encode('DATA\r\n'));
  p.startData();
  feed = (c) => p.push(c);
  tail = () => p.push(enc.encode('\r\n.\r\n'));
} else {
  const p = new pop3.ResponseParser();
  p.expect('body');
  p.push(enc.encode('+OK\r\n'));
  feed = (c) => p.push(c);
  tail = () => p.push(enc.encode('\r\n.\r\n'));
}
if (global.gc) global.gc();
const before = process.memoryUsage().rss;
let peak = before;
let bytes = 0;
for (let sent = 0; sent < total; sent += chunk.length) {
  for (const it of feed(chunk.subarray(0, Math.min(chunk.length, total - sent)))) if (it.chunk) bytes += it.chunk.length;
  if ((sent & (64 * 1024 * 1024 - 1)) === 0) peak = Math.max(peak, process.memoryUsage().rss);
}
for (const it of tail()) if (it.type === 'untagged' || it.type === 'data-end' || it.type === 'literal-end') done++;
peak = Math.max(peak, process.memoryUsage().rss);
process.stdout.write(JSON.stringify({ which, mib: total / 1024 / 1024, streamedBytes: bytes, completed: done, rssGrowthMB: (peak - before) / 1024 / 1024 }) + '\n');
