import { describe, expect, it } from 'vitest';
import { imap } from '../../src/index';
import { bytewise, concat, dec, enc } from '../helpers/bytes';

type Split = (b: Uint8Array) => Uint8Array[];
const whole: Split = (b) => [b];

/** Deterministic pseudo-random numbers (tests must not depend on Math.random). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

function randomSplit(seed: number): Split {
  const r = rng(seed);
  return (b) => {
    const out: Uint8Array[] = [];
    for (let i = 0; i < b.length; ) {
      const n = 1 + Math.floor(r() * 97);
      out.push(b.subarray(i, i + n));
      i += n;
    }
    return out;
  };
}

/** A message of every octet but NUL, CRs and LFs in odd places included. */
/** Equal octets (a loop: toEqual over tens of thousands of elements is slow). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function message(size: number, seed = 7): Uint8Array {
  const r = rng(seed);
  const m = new Uint8Array(size);
  for (let i = 0; i < size; i++) m[i] = 1 + Math.floor(r() * 255);
  return m;
}

/**
 * An IMAP ClientSession wired to a ServerSession (src/imap/server.ts) that streams APPEND
 * literals in (`appendStreamThreshold`) and answers every command OK. `flow()` moves the bytes
 * both ways until nothing moves; `up` is every byte the client wrote, in order.
 */
function pair(options: { capabilities?: string[]; parser?: imap.CommandParserOptions; client?: imap.ClientSessionOptions } = {}) {
  const server = new imap.ServerSession({ preauth: true, capabilities: options.capabilities ?? ['IMAP4rev1'], parser: { appendStreamThreshold: 1, ...options.parser } });
  const client = new imap.ClientSession(options.client);
  const serverEvents: imap.ServerEvent[] = [];
  const clientEvents: imap.ClientEvent[] = [];
  const up: Uint8Array[] = [];
  const flow = (split: Split = whole): void => {
    for (;;) {
      const down = server.takeOutput();
      for (const b of down) clientEvents.push(...client.receive(b));
      const out = client.takeOutput();
      for (const b of out) {
        up.push(b);
        for (const piece of split(b)) {
          for (const e of server.receive(piece)) {
            serverEvents.push(e);
            if (e.type === 'command') server.ok(`${e.command.command} completed`);
          }
        }
      }
      if (down.length === 0 && out.length === 0) return;
    }
  };
  flow();
  const received = (): Uint8Array => concat(serverEvents.flatMap((e) => (e.type === 'literal-chunk' ? [e.chunk] : [])));
  const completed = (tag: string) => clientEvents.find((e) => e.type === 'completed' && e.tag === tag) as Extract<imap.ClientEvent, { type: 'completed' }> | undefined;
  return { server, client, serverEvents, clientEvents, up, flow, received, completed };
}

describe('imap ClientSession.beginAppend: an APPEND message written piece by piece (issue 15)', () => {
  it('rfc3501 7.5 synchronizing literal: nothing of the message goes out before the "+", then the octets by reference and CRLF', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* PREAUTH [CAPABILITY IMAP4rev1] ready\r\n'));
    const m = enc('Subject: hi\r\n\r\nhello\r\n');
    const w = c.beginAppend({ mailbox: 'Sent', flags: ['\\Seen'], date: '04-Dec-2026 17:20:00 +0000', length: m.length });
    expect(w.tag).toBe('A1');
    expect(dec(concat(c.takeOutput()))).toBe(`A1 APPEND Sent (\\Seen) "04-Dec-2026 17:20:00 +0000" {${m.length}}\r\n`);
    const a = m.subarray(0, 10);
    const b = m.subarray(10);
    expect(w.write(a)).toBe(true);
    expect(w.write(b)).toBe(true);
    w.end();
    expect(c.takeOutput()).toEqual([]);
    expect(c.receive(enc('+ Ready for literal data\r\n'))).toEqual([]);
    const out = c.takeOutput();
    // Kept by reference: the very arrays the application wrote.
    expect(out[0]).toBe(a);
    expect(out[1]).toBe(b);
    expect(dec(concat(out))).toBe('Subject: hi\r\n\r\nhello\r\n\r\n');
    const ev = c.receive(enc('A1 OK [APPENDUID 1 9] APPEND completed\r\n'));
    expect(ev).toMatchObject([{ type: 'completed', tag: 'A1', command: { command: 'APPEND', mailbox: 'Sent', messages: [{ flags: ['\\Seen'], message: { kind: 'streamed', size: m.length, binary: false } }] }, response: { status: 'OK' } }]);
  });

  it('octets written after the "+" go out at once', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* PREAUTH ready\r\n'));
    const w = c.beginAppend({ mailbox: 'INBOX', length: 5 });
    expect(dec(concat(c.takeOutput()))).toBe('A1 APPEND INBOX {5}\r\n');
    c.receive(enc('+ go\r\n'));
    w.write(enc('he'));
    expect(dec(concat(c.takeOutput()))).toBe('he');
    w.write(enc('llo'));
    w.end();
    expect(dec(concat(c.takeOutput()))).toBe('llo\r\n');
  });

  const splits: [string, Split][] = [
    ['whole', whole],
    ['1-byte', (b) => bytewise(b)],
    ['random', randomSplit(42)],
  ];
  for (const [writeName, writeSplit] of splits) {
    for (const [feedName, feedSplit] of splits) {
      it(`client against ServerSession: the server application receives exactly what was written (written ${writeName}, fed ${feedName})`, () => {
        const t = pair();
        const m = message(writeName === '1-byte' || feedName === '1-byte' ? 3000 : 20_000, writeName.length + feedName.length);
        const w = t.client.beginAppend({ mailbox: 'INBOX', flags: ['\\Seen'], length: m.length });
        t.flow(feedSplit);
        expect(t.serverEvents.some((e) => e.type === 'command')).toBe(false);
        for (const piece of writeSplit(m)) {
          w.write(piece);
          t.flow(feedSplit);
        }
        expect(w.remaining).toBe(0);
        w.end();
        t.flow(feedSplit);
        expect(t.received().length).toBe(m.length);
        expect(sameBytes(t.received(), m)).toBe(true);
        const cmd = t.serverEvents.find((e) => e.type === 'command');
        expect(cmd && cmd.type === 'command' && cmd.command).toMatchObject({ command: 'APPEND', mailbox: 'INBOX', messages: [{ flags: ['\\Seen'], message: { kind: 'streamed', size: m.length } }] });
        expect(t.completed('A1')?.response.status).toBe('OK');
        expect(dec(concat(t.up)).startsWith(`A1 APPEND INBOX (\\Seen) {${m.length}}\r\n`)).toBe(true);
      });
    }
  }

  it('rfc3501 7.5 NO instead of "+" (a literal over the server\'s limit): the writer is cancelled, nothing of the message is sent, queued commands follow', () => {
    const t = pair({ parser: { maxLiteralSize: 100 } });
    const w = t.client.beginAppend({ mailbox: 'INBOX', length: 200 });
    expect(w.write(new Uint8Array(50).fill(0x61))).toBe(true);
    const noop = t.client.send({ command: 'NOOP' });
    t.flow();
    const done = t.completed('A1');
    expect(done?.response).toMatchObject({ status: 'NO', code: { name: 'TOOBIG' } });
    expect(w.cancelled).toBe(true);
    expect(() => w.write(new Uint8Array(10).fill(0x61))).toThrow(/answered A1 \(NO\)/);
    expect(() => w.end()).not.toThrow();
    expect(w.abort()).toEqual([]);
    // The wire from the client: the command line, then the NOOP; none of the 50 octets.
    expect(dec(concat(t.up))).toBe(`A1 APPEND INBOX {200}\r\n${noop} NOOP\r\n`);
    expect(t.completed(noop)?.response.status).toBe('OK');
  });

  it('more octets than announced: RangeError, nothing written; fewer at end(): RangeError and the command stays open', () => {
    const t = pair();
    const w = t.client.beginAppend({ mailbox: 'INBOX', length: 6 });
    t.flow();
    w.write(enc('abcd'));
    expect(() => w.write(enc('efg'))).toThrow(RangeError);
    expect(w.remaining).toBe(2);
    expect(() => w.end()).toThrow(RangeError);
    const noop = t.client.send({ command: 'NOOP' });
    t.flow();
    // Still inside the literal: the NOOP waits, the server has not seen the command end.
    expect(t.serverEvents.some((e) => e.type === 'command')).toBe(false);
    expect(dec(concat(t.up))).toBe('A1 APPEND INBOX {6}\r\nabcd');
    w.write(enc('ef'));
    w.end();
    t.flow();
    expect(dec(t.received())).toBe('abcdef');
    expect(dec(concat(t.up))).toBe(`A1 APPEND INBOX {6}\r\nabcdef\r\n${noop} NOOP\r\n`);
    expect(t.completed('A1')?.response.status).toBe('OK');
    expect(t.completed(noop)?.response.status).toBe('OK');
    expect(() => w.write(enc('x'))).toThrow(Error);
    expect(() => w.end()).toThrow(/twice/);
  });

  it('a command queued during the APPEND goes out after its CRLF, never inside the literal (LITERAL+ too)', () => {
    for (const caps of [['IMAP4rev1'], ['IMAP4rev1', 'LITERAL+']]) {
      const t = pair({ capabilities: caps });
      const plus = caps.includes('LITERAL+') ? '+' : '';
      const w = t.client.beginAppend({ mailbox: 'INBOX', length: 8 });
      const before = t.client.send({ command: 'NOOP' });
      t.flow();
      w.write(enc('1234'));
      const list = t.client.send({ command: 'LIST', reference: '', pattern: '*' });
      t.flow();
      w.write(enc('5678'));
      t.flow();
      w.end();
      t.flow();
      expect(dec(concat(t.up))).toBe(`A1 APPEND INBOX {8${plus}}\r\n12345678\r\n${before} NOOP\r\n${list} LIST "" *\r\n`);
      expect(t.serverEvents.filter((e) => e.type === 'command').map((e) => e.type === 'command' && e.command.command)).toEqual(['APPEND', 'NOOP', 'LIST']);
      expect(dec(t.received())).toBe('12345678');
    }
  });

  it('rfc7888 LITERAL+: {n+} and the octets follow at once, no "+" asked for', () => {
    const t = pair({ capabilities: ['IMAP4rev1', 'LITERAL+'] });
    const m = message(10_000);
    const w = t.client.beginAppend({ mailbox: 'INBOX', length: m.length });
    const head = concat(t.client.takeOutput());
    expect(dec(head)).toBe(`A1 APPEND INBOX {${m.length}+}\r\n`);
    w.write(m.subarray(0, 4000));
    const out = t.client.takeOutput();
    expect(out.length).toBe(1);
    expect(out[0]!.buffer).toBe(m.buffer);
    w.write(m.subarray(4000));
    w.end();
    const rest = t.client.takeOutput();
    // Hand the bytes to the server: it never writes a "+".
    for (const b of [head, ...out, ...rest]) {
      for (const e of t.server.receive(b)) {
        t.serverEvents.push(e);
        if (e.type === 'command') t.server.ok('APPEND completed');
      }
    }
    expect(dec(concat(t.server.takeOutput()))).toBe('A1 OK APPEND completed\r\n');
    expect(sameBytes(t.received(), m)).toBe(true);
  });

  it('rfc7888 LITERAL-: non-synchronizing up to 4096 octets, synchronizing above', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* PREAUTH [CAPABILITY IMAP4rev1 LITERAL-] ready\r\n'));
    c.beginAppend({ mailbox: 'INBOX', length: 4096 }).write(new Uint8Array(4096).fill(0x61));
    const small = concat(c.takeOutput());
    expect(dec(small.subarray(0, 27))).toBe('A1 APPEND INBOX {4096+}\r\naa');
    const c2 = new imap.ClientSession();
    c2.receive(enc('* PREAUTH [CAPABILITY IMAP4rev1 LITERAL-] ready\r\n'));
    c2.beginAppend({ mailbox: 'INBOX', length: 4097 }).write(new Uint8Array(4097).fill(0x61));
    expect(dec(concat(c2.takeOutput()))).toBe('A1 APPEND INBOX {4097}\r\n');
  });

  it('an APPEND queued behind LOGIN is encoded for the capabilities the LOGIN answer brings (LITERAL+)', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* OK [CAPABILITY IMAP4rev1] ready\r\n'));
    c.send({ command: 'LOGIN', user: 'fred', password: 'secret' });
    const w = c.beginAppend({ mailbox: 'INBOX', length: 3 });
    w.write(enc('abc'));
    w.end();
    expect(dec(concat(c.takeOutput()))).toBe('A1 LOGIN fred secret\r\n');
    c.receive(enc('A1 OK [CAPABILITY IMAP4rev1 LITERAL+] done\r\n'));
    expect(dec(concat(c.takeOutput()))).toBe('A2 APPEND INBOX {3+}\r\nabc\r\n');
  });

  it('rfc3516 literal8: ~{n} carries NUL octets; a plain literal refuses them', () => {
    const t = pair({ capabilities: ['IMAP4rev1', 'BINARY'] });
    const m = Uint8Array.of(0x61, 0, 0x62, 0, 0x0d, 0x0a);
    const w = t.client.beginAppend({ mailbox: 'INBOX', length: m.length, binary: true });
    t.flow();
    w.write(m);
    w.end();
    t.flow();
    expect(dec(concat(t.up)).startsWith('A1 APPEND INBOX ~{6}\r\n')).toBe(true);
    expect(t.received()).toEqual(m);
    const plain = t.client.beginAppend({ mailbox: 'INBOX', length: 2 });
    expect(() => plain.write(Uint8Array.of(0x61, 0))).toThrow(TypeError);
    expect(plain.remaining).toBe(2);
  });

  it('backpressure: write() returns false once more than maxOutput octets wait (held for the "+" or in takeOutput())', () => {
    const c = new imap.ClientSession({ maxOutput: 100 });
    c.receive(enc('* PREAUTH ready\r\n'));
    const w = c.beginAppend({ mailbox: 'INBOX', length: 300 });
    c.takeOutput();
    expect(w.write(new Uint8Array(60).fill(0x61))).toBe(true);
    expect(w.write(new Uint8Array(60).fill(0x61))).toBe(false);
    c.receive(enc('+ go\r\n'));
    c.takeOutput();
    expect(w.write(new Uint8Array(90).fill(0x61))).toBe(true);
    expect(w.write(new Uint8Array(90).fill(0x61))).toBe(false);
    expect(c.takeOutput().reduce((n, b) => n + b.length, 0)).toBe(180);
    expect(w.write(new Uint8Array(0))).toBe(true);
  });

  it('abort() before the APPEND went out drops it (cancelled); after its announcement the session closes', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* PREAUTH ready\r\n'));
    const idle = c.send({ command: 'IDLE' });
    const w = c.beginAppend({ mailbox: 'INBOX', length: 3 });
    expect(w.abort()).toMatchObject([{ type: 'cancelled', tag: w.tag, command: { command: 'APPEND' } }]);
    expect(dec(concat(c.takeOutput()))).toBe(`${idle} IDLE\r\n`);
    expect(() => w.write(enc('a'))).toThrow(/aborted/);

    const c2 = new imap.ClientSession();
    c2.receive(enc('* PREAUTH ready\r\n'));
    const w2 = c2.beginAppend({ mailbox: 'INBOX', length: 3 });
    const later = c2.send({ command: 'NOOP' });
    expect(w2.abort()).toMatchObject([{ type: 'cancelled', tag: later }, { type: 'closed' }]);
    expect(c2.state).toBe('logout');
    expect(dec(concat(c2.takeOutput()))).toBe('A1 APPEND INBOX {3}\r\n');
  });

  it('a tagged answer inside the literal (after the "+") cancels the rest: UNEXPECTED error, queued commands follow', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* PREAUTH ready\r\n'));
    const w = c.beginAppend({ mailbox: 'INBOX', length: 10 });
    const noop = c.send({ command: 'NOOP' });
    c.receive(enc('+ go\r\n'));
    w.write(enc('abc'));
    expect(dec(concat(c.takeOutput()))).toBe('A1 APPEND INBOX {10}\r\nabc');
    const ev = c.receive(enc('A1 NO [TOOBIG] too big after all\r\n'));
    expect(ev).toMatchObject([{ type: 'error', error: { code: 'UNEXPECTED' } }, { type: 'completed', tag: 'A1', response: { status: 'NO' } }]);
    expect(w.cancelled).toBe(true);
    expect(() => w.write(enc('d'))).toThrow(Error);
    expect(dec(concat(c.takeOutput()))).toBe(`${noop} NOOP\r\n`);
  });

  it('the server closed the connection: write() throws, end() and abort() do nothing', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* PREAUTH ready\r\n'));
    const w = c.beginAppend({ mailbox: 'INBOX', length: 4 });
    expect(c.end()).toMatchObject([{ type: 'error', error: { code: 'TRUNCATED' } }, { type: 'closed' }]);
    expect(() => w.write(enc('abcd'))).toThrow(/closed/);
    expect(() => w.end()).not.toThrow();
    expect(w.abort()).toEqual([]);
  });

  it('arguments that cannot go on the wire throw at beginAppend(), before any tag is used', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* PREAUTH ready\r\n'));
    expect(() => c.beginAppend({ mailbox: 'INBOX', length: -1 })).toThrow(RangeError);
    expect(() => c.beginAppend({ mailbox: 'INBOX', length: 1.5 })).toThrow(RangeError);
    expect(() => c.beginAppend({ mailbox: 'INBOX', length: 1, date: '2026-12-04' })).toThrow(TypeError);
    expect(() => c.beginAppend({ mailbox: 'INBOX', length: 1, flags: ['bad flag'] })).toThrow(TypeError);
    expect(c.beginAppend({ mailbox: 'INBOX', length: 0 }).tag).toBe('A1');
  });

  it('APPEND needs an authenticated session, like send()', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* OK ready\r\n'));
    expect(() => c.beginAppend({ mailbox: 'INBOX', length: 1 })).toThrow(/authenticated/);
  });
});
