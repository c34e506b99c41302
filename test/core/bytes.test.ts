import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { indexOfByte, selectByteSearch, type ByteSearch } from '../../src/core/bytes';
import { bin, concat, splitAt } from '../helpers/bytes';

/** The search spelled out byte by byte: what every implementation must agree with. */
function reference(bytes: Uint8Array, byte: number, from: number): number {
  for (let i = from; i < bytes.length; i++) if (bytes[i] === byte) return i;
  return -1;
}

const native = selectByteSearch(globalThis);
const portable = selectByteSearch({});

function agreesWithReference(search: ByteSearch): void {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(0x0a, 0x0d, 0x2e, 0x00, 0xff), fc.nat(320), (data, byte, from) => {
      // Views with an offset into a larger buffer, as the queue hands them out.
      const big = new Uint8Array(data.length + 7);
      big.fill(byte);
      big.set(data, 3);
      const view = big.subarray(3, 3 + data.length);
      expect(search(view, byte, from)).toBe(reference(view, byte, from));
    }),
    { numRuns: 500 },
  );
}

describe('indexOfByte: one native byte search, a portable fallback', () => {
  it('on Node the native search is picked (Buffer.prototype.indexOf on a plain Uint8Array)', () => {
    expect(native).not.toBe(portable);
    expect(indexOfByte).not.toBe(portable);
    // It never hands back or needs a Buffer: the argument is a plain Uint8Array.
    const plain = bin('EHLO a\r\n');
    expect(Object.getPrototypeOf(plain)).toBe(Uint8Array.prototype);
    expect(indexOfByte(plain, 0x0a, 0)).toBe(7);
  });

  it('a runtime without Buffer (browsers, Deno, workers) gets the portable search', () => {
    expect(selectByteSearch({})).toBe(portable);
    expect(selectByteSearch({ Buffer: {} })).toBe(portable);
  });

  it('Deno and Bun get the portable search although they have a Buffer (it is slower there: test/runtimes)', () => {
    const nodeBuffer = { Buffer: (globalThis as { Buffer?: unknown }).Buffer };
    expect(selectByteSearch({ ...nodeBuffer, Deno: {} })).toBe(portable);
    expect(selectByteSearch({ ...nodeBuffer, Bun: {} })).toBe(portable);
  });

  it('a Buffer shim whose indexOf answers differently (or throws) is not trusted', () => {
    const wrong = { Buffer: { prototype: { indexOf: () => 0 } } };
    const throws = {
      Buffer: {
        prototype: {
          indexOf() {
            throw new TypeError('argument must be a buffer');
          },
        },
      },
    };
    expect(selectByteSearch(wrong)).toBe(portable);
    expect(selectByteSearch(throws)).toBe(portable);
  });

  it('native and portable agree with a byte-by-byte search (offset views, from past the end)', () => {
    agreesWithReference(native);
    agreesWithReference(portable);
  });

  it('finds LF at the first and last index and misses in an empty array', () => {
    for (const search of [native, portable]) {
      expect(search(bin('\nx'), 0x0a, 0)).toBe(0);
      expect(search(bin('x\n'), 0x0a, 1)).toBe(1);
      expect(search(bin('x\n'), 0x0a, 2)).toBe(-1);
      expect(search(new Uint8Array(0), 0x0a, 0)).toBe(-1);
    }
  });
});

describe('the framer, the dot decoder and the parsers on the portable search (Buffer hidden)', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  async function runAll(): Promise<{ search: unknown; lines: string[]; body: string; commands: string[]; replies: number[]; pop3: string[] }> {
    const core = await import('../../src/core/index');
    const smtp = await import('../../src/smtp/index');
    const pop3 = await import('../../src/pop3/index');
    const wire = bin('EHLO a.example\r\nMAIL FROM:<a@b.example>\r\nDATA\r\n..dot\r\nline\r\n.\r\nQUIT\r\n');
    const chunks = splitAt(wire, [3, 17, 40, 41, 50]);
    const framer = new core.LineFramer({ maxLineLength: 512 });
    const lines: string[] = [];
    for (const c of chunks) {
      framer.push(c);
      for (let l = framer.readLine(); l !== null; l = framer.readLine()) lines.push(l instanceof Error ? `error ${l.code}` : String.fromCharCode(...l));
    }
    const q = new core.ByteQueue();
    const dot = new core.DotDecoder();
    const out: (Uint8Array | InstanceType<typeof core.ProtocolError>)[] = [];
    for (const c of splitAt(bin('..a\r\nb\r\n.\r\n'), [1, 2, 6])) {
      q.push(c);
      dot.decode(q, out);
    }
    const body = String.fromCharCode(...concat(out.filter((x): x is Uint8Array => x instanceof Uint8Array)));
    const p = new smtp.CommandParser();
    const commands: string[] = [];
    for (const c of chunks) {
      for (const it of p.push(c)) commands.push(it.type === 'command' ? it.command.verb : it.type);
      if (p.expecting === 'paused') for (const it of p.startData()) commands.push(it.type === 'command' ? it.command.verb : it.type);
    }
    const rp = new smtp.ReplyParser();
    const replies = rp.push(bin('250-a\r\n250 2.0.0 b\r\n221 bye\r\n')).map((it) => (it.type === 'reply' ? it.reply.code : 0));
    const pp = new pop3.ResponseParser();
    pp.expect('listing');
    pp.expect('body');
    const pop: string[] = pp.push(bin('+OK\r\n1 10\r\n.\r\n+OK\r\n..x\r\n.\r\n')).map((it) => it.type);
    return { search: core.indexOfByte, lines, body, commands, replies, pop3: pop };
  }

  it('gives the same results as the native search, from the same bytes', async () => {
    const withNative = await runAll();
    vi.resetModules();
    vi.stubGlobal('Buffer', undefined);
    const withPortable = await runAll();
    const fresh = await import('../../src/core/bytes');
    expect(fresh.indexOfByte).not.toBe(indexOfByte);
    expect(fresh.indexOfByte(bin('ab\n'), 0x0a, 0)).toBe(2);
    expect({ ...withPortable, search: null }).toEqual({ ...withNative, search: null });
    expect(withNative.lines).toEqual(['EHLO a.example', 'MAIL FROM:<a@b.example>', 'DATA', '..dot', 'line', '.', 'QUIT']);
    expect(withNative.body).toBe('.a\r\nb\r\n');
    expect(withNative.commands).toEqual(['EHLO', 'MAIL', 'DATA', 'data', 'data-end', 'QUIT']);
    expect(withNative.replies).toEqual([250, 221]);
    expect(withNative.pop3).toEqual(['response', 'response', 'data', 'data-end']);
  });
});
