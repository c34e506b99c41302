/**
 * Test messages for the interop run (CRLF line endings, lines under 998 octets, every header a
 * relaying MTA could add already present so Postfix adds only trace fields), and the byte
 * comparison of what came back with what went in.
 */
import { expect } from 'vitest';
import { concat, dec, enc } from '../helpers/bytes';

export { concat, dec, enc };

let counter = 0;
/** A Message-ID unique within the run. */
export function messageId(): string {
  return `<${Date.now().toString(36)}.${process.pid}.${++counter}@client.interop.test>`;
}

function headers(from: string, to: string, subject: string, extra: readonly string[] = []): string {
  return [`From: Interop Sender <${from}>`, `To: <${to}>`, `Subject: ${subject}`, 'Date: Mon, 23 Nov 2026 10:00:00 +0000', `Message-ID: ${messageId()}`, 'MIME-Version: 1.0', ...extra].join('\r\n') + '\r\n';
}

/** A small text/plain message; its body has lines starting with dots (dot-stuffing both ways). */
export function plain(from: string, to: string, subject: string, body = 'Hello from mailwire.\r\n.a line with a leading dot\r\n..two dots\r\n.\r\nend\r\n'): Uint8Array {
  return enc(`${headers(from, to, subject, ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit'])}\r\n${body}`);
}

/** multipart/alternative inside multipart/mixed with a base64 attachment. */
export function multipart(from: string, to: string, subject: string): Uint8Array {
  const att = Buffer.from(Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff)).toString('base64').replace(/.{1,76}/g, '$&\r\n');
  return enc(
    `${headers(from, to, subject, ['Content-Type: multipart/mixed; boundary="outer-b"'])}\r\n` +
      'This is a multi-part message in MIME format.\r\n' +
      '--outer-b\r\nContent-Type: multipart/alternative; boundary="inner-b"\r\n\r\n' +
      '--inner-b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGrüße, plain.\r\n' +
      '--inner-b\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p>Gr=C3=BC=C3=9Fe, <b>html</b>.</p>\r\n' +
      '--inner-b--\r\n' +
      '--outer-b\r\nContent-Type: application/octet-stream; name="data.bin"\r\nContent-Disposition: attachment; filename="data.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n' +
      att +
      '--outer-b--\r\n',
  );
}

/** A message forwarding `inner` as a message/rfc822 attachment. */
export function forwarded(from: string, to: string, subject: string, inner: Uint8Array): Uint8Array {
  return concat([
    enc(
      `${headers(from, to, subject, ['Content-Type: multipart/mixed; boundary="fwd-b"'])}\r\n` +
        '--fwd-b\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nSee the forwarded message.\r\n' +
        '--fwd-b\r\nContent-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n',
    ),
    inner,
    enc('\r\n--fwd-b--\r\n'),
  ]);
}

/** A message of about `size` octets: pseudo-random 76-character lines, some starting with "." */
export function big(from: string, to: string, subject: string, size = 5 * 1024 * 1024): Uint8Array {
  const head = enc(`${headers(from, to, subject, ['Content-Type: text/plain; charset=us-ascii'])}\r\n`);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/.';
  const line = 78;
  const n = Math.ceil((size - head.length) / line);
  const body = new Uint8Array(n * line);
  let x = 0x2545f491;
  for (let i = 0; i < n; i++) {
    const o = i * line;
    for (let j = 0; j < 76; j++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      body[o + j] = alphabet.charCodeAt((x >>> 0) % alphabet.length);
    }
    if (i % 97 === 0) body[o] = 0x2e; // "."
    if (i % 389 === 0) body.fill(0x2e, o, o + 76); // a line of dots only
    body[o + 76] = 13;
    body[o + 77] = 10;
  }
  return concat([head, body]);
}

const TRACE = /^(Return-Path|Delivered-To|Received|X-Original-To): /;

/**
 * Asserts that `got` (a message read back from the server after SMTP delivery) is exactly
 * `sent` with only trace header fields put in front of it.
 */
export function expectDeliveredIntact(got: Uint8Array, sent: Uint8Array): void {
  expect(got.length).toBeGreaterThanOrEqual(sent.length);
  const prefixLength = got.length - sent.length;
  const tail = got.subarray(prefixLength);
  // Compare bytes without a multi-megabyte diff on failure.
  const firstDiff = tail.findIndex((b, i) => b !== sent[i]);
  expect(firstDiff, 'first differing octet of the message body').toBe(-1);
  const prefix = dec(got.subarray(0, prefixLength));
  expect(prefix.endsWith('\r\n')).toBe(true);
  for (const line of prefix.slice(0, -2).split('\r\n')) if (!/^[ \t]/.test(line)) expect(line).toMatch(TRACE);
}

/** Asserts two byte arrays are equal (first differing offset on failure, not a giant diff). */
export function expectSameBytes(got: Uint8Array, want: Uint8Array): void {
  expect(got.length).toBe(want.length);
  expect(got.findIndex((b, i) => b !== want[i])).toBe(-1);
}
