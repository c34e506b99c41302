import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImap, decodePop3, decodeSmtp, toJsonLine } from '../../src/cli/decode';

const fixture = (name: string) => new Uint8Array(readFileSync(join(__dirname, '..', '..', 'fixtures', 'transcripts', name)));
const collect = (f: (print: (x: unknown) => void) => void) => {
  const lines: string[] = [];
  f((x) => lines.push(toJsonLine(x)));
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
};

describe('mailwire decode (CLI core)', () => {
  it('smtp --client decodes commands and the DATA body of RFC 5321 D.1', () => {
    const items = collect((p) => decodeSmtp(fixture('smtp-rfc5321-d1.client.txt'), true, p));
    expect(items.map((i) => i.type)).toEqual(['command', 'command', 'command', 'command', 'command', 'command', 'data', 'data', 'data-end', 'command']);
    expect(items[6]).toEqual({ type: 'data', chunk: { octets: 19, text: 'Blah blah blah...\r\n' } });
  });

  it('pop3 --server with --commands knows the multiline responses', () => {
    const items = collect((p) => decodePop3(fixture('pop3-rfc1939-s10.server.txt'), false, fixture('pop3-rfc1939-s10.client.txt'), p));
    expect(items.map((i) => i.type)).toEqual(['response', 'response', 'response', 'response', 'response', 'data', 'data', 'data-end', 'response']);
    expect((items[3] as { lines: string[] }).lines).toEqual(['1 120', '2 200']);
  });

  it('imap server responses; errors are printed, not thrown; bigints as strings', () => {
    const items = collect((p) => decodeImap(new TextEncoder().encode('* OK [HIGHESTMODSEQ 715194045007] x\r\nbogus\r\n'), false, p));
    expect(items[0]).toMatchObject({ type: 'untagged', code: { modseq: '715194045007' } });
    expect(items[1]).toMatchObject({ type: 'error', error: { code: 'SYNTAX' } });
  });
});
