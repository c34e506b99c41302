import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { isCapture, sessionFromCapture } from '../../src/cli/pcap';
import { decodeBoth, decodeImap, decodePop3, decodeSmtp, lfToCrlf, parseTranscript, toHumanLine, toJsonLine } from '../../src/cli/decode';

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

  it('--lf: a bare-LF copy of RFC 5321 D.1 decodes to the same items as the CRLF original', () => {
    const crlf = fixture('smtp-rfc5321-d1.client.txt');
    const bare = new TextEncoder().encode(new TextDecoder().decode(crlf).replace(/\r\n/g, '\n'));
    const want = collect((p) => decodeSmtp(crlf, true, p));
    expect(collect((p) => decodeSmtp(lfToCrlf(bare), true, p))).toEqual(want);
    // Without the flag the bare LFs are reported, not silently taken.
    expect(collect((p) => decodeSmtp(bare, true, p)).some((i) => i.type === 'error')).toBe(true);
    expect(lfToCrlf(crlf)).toBe(crlf); // CRLF input is left alone
  });

  it('imap --client (rfc3501 6.2.3, 6.3.11, rfc2177): LOGIN with a literal, APPEND, IDLE ... DONE, LOGOUT', () => {
    const wire = 'A1 LOGIN {5}\r\nsmith {6}\r\nsesame\r\nA2 SELECT INBOX\r\nA3 APPEND INBOX {12}\r\nSubject: x\r\n\r\nA4 IDLE\r\nDONE\r\nA5 LOGOUT\r\n';
    const items = collect((p) => decodeImap(new TextEncoder().encode(wire), true, p));
    const commands = items.filter((i) => i.type === 'command').map((i) => (i.command as { command: string }).command);
    expect(commands).toEqual(['LOGIN', 'SELECT', 'APPEND', 'IDLE', 'LOGOUT']);
    expect(items.find((i) => (i.command as { command?: string } | undefined)?.command === 'LOGIN')).toMatchObject({ command: { user: 'smith', password: 'sesame' } });
    expect(items).toContainEqual({ type: 'line', line: 'DONE' });
    expect(items.filter((i) => i.type === 'error')).toEqual([]);
  });

  it('--both with C:/S: prefixes (rfc1939 10): each direction through its parser, RETR read as multiline because of the client\'s command', () => {
    const text = ['S: +OK POP3 server ready', 'C: USER mrose', 'S: +OK', 'C: RETR 1', 'S: +OK 120 octets', 'S: Subject: hi', 'S: ', 'S: ..dot', 'S: .', 'C: QUIT', 'S: +OK bye'].join('\n');
    const segments = parseTranscript(text);
    expect(segments).not.toBeInstanceOf(Error);
    const items = collect((p) => decodeBoth('pop3', segments as Exclude<typeof segments, Error>, p));
    // Body chunks (however many) collapsed to one "S data" for the order check.
    const order = items.map((i) => `${i.from} ${i.type}`).filter((x, k, all) => x !== 'S data' || all[k - 1] !== 'S data');
    expect(order).toEqual(['S response', 'C command', 'S response', 'C command', 'S response', 'S data', 'S data-end', 'C command', 'S response']);
    const body = items.filter((i) => i.type === 'data').map((i) => (i.chunk as { text: string }).text).join('');
    expect(body).toBe('Subject: hi\r\n\r\n.dot\r\n');
  });

  it('--both with JSON lines (smtp): replies and commands, DATA body on the client side', () => {
    const lines = [
      { from: 'S', data: '220 mx.example ESMTP\r\n' },
      { from: 'C', data: 'EHLO c.example\r\n' },
      { from: 'S', data: '250 mx.example\r\n' },
      { from: 'C', data: 'DATA\r\n' },
      { from: 'S', data: '354 go\r\n' },
      { from: 'C', base64: Buffer.from('Subject: x\r\n\r\nbody\r\n.\r\n').toString('base64') },
      { from: 'S', data: '250 ok\r\n' },
    ];
    const segments = parseTranscript(lines.map((l) => JSON.stringify(l)).join('\n'));
    const items = collect((p) => decodeBoth('smtp', segments as Exclude<typeof segments, Error>, p));
    expect(items.map((i) => `${i.from} ${i.type}`)).toEqual(['S reply', 'C command', 'S reply', 'C command', 'S reply', 'C data', 'C data-end', 'S reply']);
    expect(parseTranscript('{"from":"X","data":"a"}')).toBeInstanceOf(Error);
    expect(parseTranscript('hello')).toBeInstanceOf(Error);
  });

  it('--human: one readable line per item, colour only when asked', () => {
    const item = { from: 'C', type: 'command', command: { verb: 'QUIT' } };
    expect(toHumanLine(item, false)).toBe('C command {"verb":"QUIT"}');
    expect(toHumanLine(item, true)).toBe('\u001b[36mC\u001b[0m \u001b[1mcommand\u001b[0m {"verb":"QUIT"}');
    expect(toHumanLine({ type: 'error', error: { code: 'SYNTAX', message: 'bad' } }, false)).toBe('error SYNTAX: bad');
  });

  it('the built CLI: --version prints the package version; decode imap --client works; unknown options are refused', () => {
    const cli = join(__dirname, '..', '..', 'dist', 'cli.js');
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(execFileSync(process.execPath, [cli, '--version'], { encoding: 'utf8' })).toBe(`mailwire ${pkg.version}\n`);
    const out = execFileSync(process.execPath, [cli, 'decode', 'imap', '--client', '--lf', '-'], { input: 'A1 NOOP\n', encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ type: 'command', command: { tag: 'A1', command: 'NOOP' } });
    expect(() => execFileSync(process.execPath, [cli, 'decode', 'smtp', '--nope'], { stdio: 'pipe' })).toThrow();
  });

  describe('--both with a packet capture (pcap and pcapng, as tcpdump and Wireshark write them)', () => {
    /** An Ethernet + IPv4 + TCP frame. */
    const frame = (fromClient: boolean, seq: number, payload: string, syn = false): Uint8Array => {
      const data = Buffer.from(payload, 'latin1');
      const tcp = Buffer.alloc(20);
      tcp.writeUInt16BE(fromClient ? 50000 : 110, 0);
      tcp.writeUInt16BE(fromClient ? 110 : 50000, 2);
      tcp.writeUInt32BE(seq, 4);
      tcp[12] = 5 << 4;
      tcp[13] = syn ? 0x02 : 0x18;
      const ip = Buffer.alloc(20);
      ip[0] = 0x45;
      ip.writeUInt16BE(20 + 20 + data.length, 2);
      ip[8] = 64;
      ip[9] = 6;
      Buffer.from(fromClient ? [10, 0, 0, 1] : [10, 0, 0, 2]).copy(ip, 12);
      Buffer.from(fromClient ? [10, 0, 0, 2] : [10, 0, 0, 1]).copy(ip, 16);
      const eth = Buffer.alloc(14);
      eth.writeUInt16BE(0x0800, 12);
      return Buffer.concat([eth, ip, tcp, data]);
    };
    // A POP3 session: SYNs, the greeting, USER, a RETR whose body arrives out of order and
    // with a retransmitted segment, QUIT.
    const C0 = 1000;
    const S0 = 5000;
    const frames = [
      frame(true, C0, '', true),
      frame(false, S0, '', true),
      frame(false, S0 + 1, '+OK ready\r\n'),
      frame(true, C0 + 1, 'RETR 1\r\n'),
      frame(false, S0 + 12 + 15, 'line two\r\n.\r\n'), // ahead of a gap
      frame(false, S0 + 12, '+OK\r\nline one\r\n'), // fills the gap
      frame(false, S0 + 12, '+OK\r\nline one\r\n'), // retransmitted
      frame(true, C0 + 9, 'QUIT\r\n'),
      frame(false, S0 + 12 + 15 + 13, '+OK bye\r\n'),
    ];
    const pcap = (): Uint8Array => {
      const head = Buffer.alloc(24);
      head.writeUInt32LE(0xa1b2c3d4, 0);
      head.writeUInt16LE(2, 4);
      head.writeUInt16LE(4, 6);
      head.writeUInt32LE(65535, 16);
      head.writeUInt32LE(1, 20);
      return Buffer.concat([head, ...frames.flatMap((f) => { const h = Buffer.alloc(16); h.writeUInt32LE(f.length, 8); h.writeUInt32LE(f.length, 12); return [h, f]; })]);
    };
    const pcapng = (): Uint8Array => {
      const block = (type: number, body: Buffer) => {
        const pad = Buffer.alloc((4 - (body.length % 4)) % 4);
        const len = 12 + body.length + pad.length;
        const h = Buffer.alloc(8);
        h.writeUInt32LE(type, 0);
        h.writeUInt32LE(len, 4);
        const t = Buffer.alloc(4);
        t.writeUInt32LE(len, 0);
        return Buffer.concat([h, body, pad, t]);
      };
      const shb = Buffer.alloc(16);
      shb.writeUInt32LE(0x1a2b3c4d, 0);
      shb.writeUInt16LE(1, 4);
      shb.writeBigInt64LE(-1n, 8);
      const idb = Buffer.alloc(8);
      idb.writeUInt16LE(1, 0);
      idb.writeUInt32LE(65535, 4);
      const epbs = frames.map((f) => {
        const h = Buffer.alloc(20);
        h.writeUInt32LE(f.length, 12);
        h.writeUInt32LE(f.length, 16);
        return block(6, Buffer.concat([h, Buffer.from(f)]));
      });
      return Buffer.concat([block(0x0a0d0d0a, shb), block(1, idb), ...epbs]);
    };
    const expected = ['S response', 'C command', 'S response', 'S data', 'S data-end', 'C command', 'S response'];

    for (const [name, make] of [['pcap', pcap], ['pcapng', pcapng]] as const) {
      it(`${name}: port 110 found, both directions reassembled in order (gap filled, retransmission dropped), decoded as POP3`, () => {
        const bytes = make();
        expect(isCapture(bytes)).toBe(true);
        const segments = sessionFromCapture(bytes);
        expect(segments).not.toBeInstanceOf(Error);
        const items = collect((p) => decodeBoth('pop3', segments as Exclude<typeof segments, Error>, p));
        const order = items.map((i) => `${i.from} ${i.type}`).filter((x, k, all) => x !== 'S data' || all[k - 1] !== 'S data');
        expect(order).toEqual(expected);
        expect(items.filter((i) => i.type === 'data').map((i) => (i.chunk as { text: string }).text).join('')).toBe('line one\r\nline two\r\n');
      });
    }

    it('a capture without a mail port is refused with a message', () => {
      expect(sessionFromCapture(Buffer.concat([Buffer.from([0xd4, 0xc3, 0xb2, 0xa1]), Buffer.alloc(20)]))).toBeInstanceOf(Error);
      expect(isCapture(new TextEncoder().encode('C: EHLO'))).toBe(false);
    });
  });
});
