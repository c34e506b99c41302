// The command side of the IMAP reader issue: linear cost on hostile lines, unknown commands kept
// losslessly with their literals, APPEND literals streamed by the server-side parser, and
// encodeCommand fragments that reference a large literal instead of copying it.
import { describe, expect, it } from 'vitest';
import { ProtocolError, imap } from '../../src/index';
import { bytewise, concat, dec, enc, splitAt } from '../helpers/bytes';

/**
 * The ratio of the fastest big run to the fastest small run, runs interleaved so that load from
 * other work on the machine hits both alike; the best of three tries (noise only ever raises it).
 */
function costRatio(small: () => void, big: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < 3 && best >= 48; attempt++) {
    let ts = Number.POSITIVE_INFINITY;
    let tb = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 5; i++) {
      let t = performance.now();
      small();
      ts = Math.min(ts, performance.now() - t);
      t = performance.now();
      big();
      tb = Math.min(tb, performance.now() - t);
    }
    best = Math.min(best, tb / Math.max(ts, 0.1));
  }
  return best;
}

describe('linear cost of hostile command lines (the CommandParser before login)', () => {
  const parse = (line: Uint8Array) => {
    const p = new imap.CommandParser({ maxLineLength: 4 * 1024 * 1024 });
    const items = p.push(line);
    expect(items).toHaveLength(1);
    expect(items[0]!.type).toBe('error');
  };
  // Quadratic readers cost 256x for 16x the bytes; linear ones 16x. The bound leaves room for noise.
  for (const [name, make] of [
    ['a1 FETCH 1 (BODY[[[...', (n: number) => `a1 FETCH 1 (BODY${'['.repeat(n)}\r\n`],
    ['a1 FETCH 1 BODY[HEADER.FIELDS ((((...', (n: number) => `a1 FETCH 1 BODY[HEADER.FIELDS ${'('.repeat(n)}\r\n`],
    ['a1 SEARCH (((...', (n: number) => `a1 SEARCH ${'('.repeat(n)}\r\n`],
    ['a1 LOGIN "\\\\\\...', (n: number) => `a1 LOGIN "${'\\'.repeat(n)}\r\n`],
    ['a1 LIST "" {{{...', (n: number) => `a1 LIST "" ${'{'.repeat(n)}\r\n`],
    ['a1 ESEARCH IN (mailboxes ("""...', (n: number) => `a1 ESEARCH IN (mailboxes (${'"'.repeat(n)}\r\n`],
  ] as const) {
    it(`${name}: 16x the bytes costs well under 256x the time`, () => {
      const small = enc(make(32 * 1024));
      const big = enc(make(512 * 1024));
      parse(big);
      expect(costRatio(() => parse(small), () => parse(big))).toBeLessThan(64);
    });
  }
});

describe('the exact bytes of the issue', () => {
  it('"a1 FETCH 1 (BODY" + "[" x 65000: one SYNTAX error with the tag, before login, through the CommandParser', () => {
    const p = new imap.CommandParser();
    const items = p.push(enc(`a1 FETCH 1 (BODY${'['.repeat(65000)}\r\n`));
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ type: 'error', error: { code: 'SYNTAX', tag: 'a1' } });
    expect(p.push(enc('a2 NOOP\r\n'))).toMatchObject([{ type: 'command', command: { tag: 'a2', command: 'NOOP' } }]);
  });

  it('"a REPLACE 1 INBOX {3}\\r\\nabc": REPLACE is typed now, the literal is its message', () => {
    expect(imap.parseCommand(enc('a REPLACE 1 INBOX {3}\r\nabc\r\n'))).toEqual({ tag: 'a', command: 'REPLACE', uid: false, number: 1, mailbox: 'INBOX', message: { flags: null, date: null, message: enc('abc'), binary: false } });
  });
});

describe('unknown commands keep their literals (lossless), and encode with them', () => {
  it('a XFOO {3}\\r\\nabc: the literal is in the raw value', () => {
    const c = imap.parseCommand(enc('a XFOO {3}\r\nabc\r\n'));
    expect(c).toEqual({ tag: 'a', command: 'UNKNOWN', name: 'XFOO', text: '', literals: [{ octets: enc('abc'), binary: false, text: '' }] });
    expect(dec(concat(imap.encodeCommand(c as imap.Command, { literalPlus: true }).map((f) => f.data)))).toBe('a XFOO {3+}\r\nabc\r\n');
  });

  it('several literals, literal8 and the text between them, through the CommandParser in 1-byte chunks', () => {
    const wire = enc('a9 XVENDOR 1 (A {3}\r\nabc B ~{2}\r\n\x00\x01) "q" {0}\r\n\r\n');
    const p = new imap.CommandParser();
    const items = bytewise(wire).flatMap((b) => p.push(b));
    const cmd = items.find((i) => i.type === 'command') as imap.CommandItem;
    expect(cmd.command).toEqual({
      tag: 'a9',
      command: 'UNKNOWN',
      name: 'XVENDOR',
      text: '1 (A ',
      literals: [
        { octets: enc('abc'), binary: false, text: ' B ' },
        { octets: Uint8Array.of(0, 1), binary: true, text: ') "q" ' },
        { octets: new Uint8Array(0), binary: false, text: '' },
      ],
    });
    const frags = imap.encodeCommand(cmd.command);
    expect(frags.map((f) => f.waitForContinuation)).toEqual([true, true, true, false]);
    expect(concat(frags.map((f) => f.data))).toEqual(wire);
  });

  it('negative: an UNKNOWN value named like a known command, or text with CR/LF, is refused', () => {
    expect(() => imap.encodeCommand({ tag: 'a', command: 'UNKNOWN', name: 'LOGIN', text: 'x y' })).toThrow(TypeError);
    expect(() => imap.encodeCommand({ tag: 'a', command: 'UNKNOWN', name: 'XFOO', text: '', literals: [{ octets: enc('x'), binary: false, text: '\r\na2 LOGOUT' }] })).toThrow(TypeError);
  });
});

describe('server-side streaming of APPEND literals (appendStreamThreshold)', () => {
  const msg = enc('Subject: hi\r\n\r\n' + 'x'.repeat(100_000));
  const wire = concat([enc(`A1 APPEND {5}\r\nINBOX (\\Seen) {${msg.length}}\r\n`), msg, enc(' {4}\r\nabcd\r\nA2 NOOP\r\n')]);

  it('MULTIAPPEND: big messages come as chunks before the command; the mailbox literal and small messages are held; the same for any split', () => {
    const run = (chunks: Uint8Array[]) => {
      const p = new imap.CommandParser({ appendStreamThreshold: 1000 });
      const items = chunks.flatMap((c) => p.push(c));
      const streamed = concat(items.filter((i): i is imap.CommandLiteralChunkItem => i.type === 'literal-chunk').map((i) => i.chunk));
      return { streamed, kinds: items.filter((i) => i.type !== 'literal-chunk').map((i) => i.type), items };
    };
    const whole = run([wire]);
    expect(dec(whole.streamed)).toBe(dec(msg));
    expect(whole.kinds).toEqual(['continuation-needed', 'continuation-needed', 'literal-end', 'continuation-needed', 'command', 'command']);
    const append = (whole.items.find((i) => i.type === 'command') as imap.CommandItem).command as imap.AppendCommand;
    expect(append.mailbox).toBe('INBOX');
    expect(append.messages).toEqual([
      { flags: ['\\Seen'], date: null, message: { kind: 'streamed', size: msg.length, binary: false }, binary: false },
      { flags: null, date: null, message: enc('abcd'), binary: false },
    ]);
    for (const cuts of [[7], [20, 30, 5000], [wire.length - 30]]) {
      const r = run(splitAt(wire, cuts));
      expect(dec(r.streamed)).toBe(dec(msg));
      expect(r.kinds).toEqual(whole.kinds);
    }
  });

  it('a streamed message is bounded by maxLiteralSize only, not by maxCommandSize', () => {
    const p = new imap.CommandParser({ appendStreamThreshold: 1000, maxCommandSize: 2000 });
    expect(p.push(wire).filter((i) => i.type === 'error')).toEqual([]);
  });

  it('negative: without the option nothing streams, and other commands never stream', () => {
    expect(new imap.CommandParser().push(wire).some((i) => i.type === 'literal-chunk')).toBe(false);
    const p = new imap.CommandParser({ appendStreamThreshold: 2 });
    expect(p.push(enc('A1 LOGIN {4}\r\nfred {6}\r\nsesame\r\n')).map((i) => i.type)).toEqual(['continuation-needed', 'continuation-needed', 'command']);
  });
});

describe('encodeCommand references large literals instead of copying them', () => {
  it('a 64 KiB APPEND message is its own fragment: the same bytes, not a copy', () => {
    const message = new Uint8Array(64 * 1024).fill(0x61);
    for (const literalPlus of [false, true]) {
      const frags = imap.encodeCommand({ tag: 'A1', command: 'APPEND', mailbox: 'INBOX', messages: [{ flags: null, date: null, message, binary: false }] }, { literalPlus });
      const lit = frags.find((f) => f.data.length === message.length)!;
      expect(lit.data).toBe(message);
      expect(dec(concat(frags.map((f) => f.data)))).toBe(`A1 APPEND INBOX {65536${literalPlus ? '+' : ''}}\r\n${'a'.repeat(65536)}\r\n`);
    }
  });

  it('small literals still go out inside one fragment (rfc7888 LITERAL+)', () => {
    const frags = imap.encodeCommand({ tag: 'A1', command: 'LOGIN', user: 'a\r\nb', password: 'x' }, { literalPlus: true });
    expect(frags).toHaveLength(1);
  });

  it('streamed stand-ins cannot be encoded', () => {
    expect(() => imap.encodeCommand({ tag: 'A1', command: 'APPEND', mailbox: 'INBOX', messages: [{ flags: null, date: null, message: { kind: 'streamed', size: 3, binary: false }, binary: false }] })).toThrow(TypeError);
    expect(imap.parseCommand('A1 NOOP')).not.toBeInstanceOf(ProtocolError);
  });
});
