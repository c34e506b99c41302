import { describe, expect, it } from 'vitest';
import { ByteQueue, DotDecoder, ProtocolError, smtp } from '../../src/index';
import { bin, bytewise, concat, dec, splitAt } from '../helpers/bytes';

const out = (c: smtp.ClientSession): Uint8Array => concat(c.takeOutput());

// The published SMTP smuggling end-of-data variants (SEC Consult 2023 and the follow-ups: bare
// CR/LF around the dot, NUL or white space before or after it), plus combinations.
const FAKE_ENDS = [
  '\n.\n', '\n.\r\n', '\r\n.\n', '\r.\r\n', '\r\n.\r', '\r.\r', '\r.\n', '\n.\r', '\r\n.\r\r\n', '\r\r\n.\r\r\n',
  '\r\n\0.\r\n', '\r\n.\0\r\n', '\r\n .\r\n', '\r\n\t.\r\n', '\r\n. \r\n', '\r\n \0\t.\r\n', '\n\0.\n', '\r \r', '\r\n\0\0.\0\r\n',
];
const SMUGGLED = 'MAIL FROM:<ceo@bank.example>\r\nRCPT TO:<victim@example.net>\r\nDATA\r\nforged\r\n.\r\n';

/** A receiver as lenient as the worst seen: any of CR, LF, CRLF ends a line, NUL is dropped, white space trimmed. */
function lenientEndsBefore(wire: Uint8Array, end: number): boolean {
  const text = dec(wire.subarray(0, end));
  return text.split(/\r\n|\r|\n/).some((line) => line.replace(/\0/g, '').replace(/^[ \t]+|[ \t]+$/g, '') === '.');
}

/** What RFC 5321 says the body is: every line ending CRLF. */
function normalised(body: string): string {
  return body.replace(/\r\n|\r|\n/g, '\r\n');
}

function send(chunks: readonly Uint8Array[]): Uint8Array {
  const c = new smtp.ClientSession({ domain: 'c.example' });
  c.receive(bin('220 mx.example\r\n'));
  c.receive(bin('250-mx.example\r\n250 PIPELINING\r\n'));
  c.sendMail({ from: 'a@c.example', to: ['b@mx.example'] });
  c.receive(bin('250 ok\r\n250 ok\r\n354 go\r\n'));
  out(c);
  for (const ch of chunks) c.writeBody(ch);
  c.endBody();
  return out(c);
}

function strictBody(wire: Uint8Array): { body: string; rest: number } {
  const q = new ByteQueue();
  q.push(wire);
  const pieces: (Uint8Array | ProtocolError)[] = [];
  expect(new DotDecoder({ lineEndings: 'reject' }).decode(q, pieces, true)).toBe(true);
  expect(pieces.filter((p) => p instanceof ProtocolError)).toEqual([]);
  return { body: dec(concat(pieces as Uint8Array[])), rest: q.length };
}

describe('smtp client DATA: no smuggling variant ever leaves the client as something a server could take for end-of-data', () => {
  it('the exact bytes: writeBody("x\\r\\n\\0.\\r\\n...") goes out as x CRLF "." NUL "." CRLF', () => {
    const wire = send([bin(`x\r\n\0.\r\n${SMUGGLED}`)]);
    expect(dec(wire)).toBe(`x\r\n.\0.\r\nMAIL FROM:<ceo@bank.example>\r\nRCPT TO:<victim@example.net>\r\nDATA\r\nforged\r\n..\r\n.\r\n`);
  });

  for (const fake of FAKE_ENDS) {
    it(`${JSON.stringify(fake)}: every split, only CRLF line endings, no lone dot for a lenient reader, the body intact for a strict one`, () => {
      const body = bin(`x${fake}${SMUGGLED}tail`);
      const splits: Uint8Array[][] = [[body], bytewise(body)];
      for (let i = 1; i < body.length; i++) splits.push(splitAt(body, [i]));
      for (const chunks of splits) {
        const wire = send(chunks);
        // Only CRLF: no bare CR, no bare LF.
        expect(dec(wire).replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
        // The real end is the last 5 bytes; nothing before it reads as a lone dot, however leniently.
        expect(dec(wire.subarray(wire.length - 5))).toBe('\r\n.\r\n');
        expect(lenientEndsBefore(wire, wire.length - 3)).toBe(false);
        // A strict receiver gets the body back, line endings made CRLF, nothing left over.
        const { body: got, rest } = strictBody(wire);
        expect(got).toBe(`${normalised(`x${fake}${SMUGGLED}tail`)}\r\n`);
        expect(rest).toBe(0);
      }
    });
  }

  it('BDAT sends the bytes as they are (no end-of-data to fake)', () => {
    const c = new smtp.ClientSession({ domain: 'c.example', chunking: true });
    c.receive(bin('220 mx.example\r\n'));
    c.receive(bin('250-mx.example\r\n250-PIPELINING\r\n250 CHUNKING\r\n'));
    c.sendMail({ from: 'a@c.example', to: ['b@mx.example'] });
    out(c);
    c.writeBody(bin('x\r\n\0.\r\n'));
    expect(dec(out(c))).toBe('BDAT 7\r\nx\r\n\0.\r\n');
  });
});
