// ServerSession.beginFetch (issue 15, "streaming both ways"): a FETCH body written piece by
// piece. Every test reads the session's wire bytes back with the client's ResponseParser, whole,
// in 1-byte reads and in random reads.
import { describe, expect, it } from 'vitest';
import { imap } from '../../src/index';
import { concat, dec, enc } from '../helpers/bytes';

/** A session with A1 FETCH waiting for its answer in the selected state. */
function fetching(options: imap.ServerSessionOptions = {}, command = 'A1 FETCH 1 (UID BODY[])\r\n'): imap.ServerSession {
  const s = new imap.ServerSession({ preauth: true, ...options });
  s.receive(enc('A0 SELECT INBOX\r\n'));
  s.ok('[READ-WRITE] SELECT completed');
  s.takeOutput();
  expect(s.receive(enc(command)).map((e) => e.type)).toEqual(['command']);
  return s;
}

function body(n: number, nul = false): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = nul && i % 7 === 3 ? 0 : 0x41 + (i % 26);
  return b;
}

/** The client's reading of `wire` fed in `reads` (lengths cycled); literal chunks joined per item. */
function read(wire: Uint8Array, reads: (i: number) => number, options: imap.ResponseParserOptions = {}): unknown[] {
  const p = new imap.ResponseParser(options);
  const items: imap.ResponseParserItem[] = [];
  for (let i = 0, k = 0; i < wire.length; k++) {
    const n = Math.max(1, reads(k));
    items.push(...p.push(wire.subarray(i, i + n)));
    i += n;
  }
  items.push(...p.end());
  const out: unknown[] = [];
  let streamed: Uint8Array[] = [];
  for (const it of items) {
    if (it.type === 'literal-chunk') streamed.push(it.chunk.slice());
    else if (it.type === 'literal-end') {
      out.push({ streamed: it.item, bytes: concat(streamed) });
      streamed = [];
    } else out.push(it);
  }
  return out;
}

/** Whole, 1-byte and random reads must all read the same. */
function readEveryWay(wire: Uint8Array, options: imap.ResponseParserOptions = {}): unknown[] {
  const whole = read(wire, () => wire.length, options);
  expect(read(wire, () => 1, options)).toEqual(whole);
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), 1 + (seed % 3000));
  expect(read(wire, random, options)).toEqual(whole);
  return whole;
}

describe('ServerSession.beginFetch: a FETCH body written piece by piece', () => {
  it('rfc9051 7.5.2 BODY[]: the client reads back exactly the octets written, and the items before and after the body', () => {
    const s = fetching();
    const b = body(10_000);
    const w = s.beginFetch({ kind: 'FETCH', seq: 1, attributes: { uid: 42 } }, { section: 'BODY[]', length: b.length });
    for (let i = 0; i < b.length; i += 999) expect(w.write(b.subarray(i, i + 999))).toBe(true);
    expect(w.remaining).toBe(0);
    w.end({ flags: ['\\Seen'] });
    s.ok('FETCH completed');
    const wire = concat(s.takeOutput());
    expect(dec(wire.subarray(0, 32))).toBe('* 1 FETCH (UID 42 BODY[] {10000}');
    expect(dec(wire.subarray(wire.length - 40))).toBe(' FLAGS (\\Seen))\r\nA1 OK FETCH completed\r\n');
    const items = readEveryWay(wire);
    expect(items).toEqual([
      { type: 'untagged', kind: 'FETCH', seq: 1, attributes: { uid: 42, flags: ['\\Seen'], sections: [{ name: 'BODY[]', section: '', origin: null, data: b }] } },
      { type: 'tagged', tag: 'A1', status: 'OK', code: null, text: 'FETCH completed' },
    ]);
  });

  it('a body above the client literalThreshold streams out to the client as literal chunks labelled BODY[]', () => {
    const s = fetching();
    const b = body(20_000);
    const w = s.beginFetch({ kind: 'FETCH', seq: 1, attributes: {} }, { section: 'BODY[]', length: b.length });
    for (let i = 0; i < b.length; i += 6000) w.write(b.subarray(i, i + 6000));
    w.end();
    const items = readEveryWay(concat(s.takeOutput()), { literalThreshold: 4096 });
    expect(items[0]).toEqual({ streamed: 'BODY[]', bytes: b });
    expect(items[1]).toMatchObject({ type: 'untagged', kind: 'FETCH', seq: 1, attributes: { sections: [{ name: 'BODY[]', data: { kind: 'streamed', size: b.length } }] } });
  });

  it('sections before the streamed one stay in the response; an empty body is {0}', () => {
    const s = fetching();
    const header = enc('Subject: a\r\n\r\n');
    const w = s.beginFetch({ kind: 'FETCH', seq: 3, attributes: { sections: [{ name: 'BODY[HEADER]', section: 'HEADER', origin: null, data: header }] } }, { section: 'BODY[TEXT]', length: 0 });
    w.end();
    const items = readEveryWay(concat(s.takeOutput()));
    expect(items).toEqual([{ type: 'untagged', kind: 'FETCH', seq: 3, attributes: { sections: [
      { name: 'BODY[HEADER]', section: 'HEADER', origin: null, data: header },
      { name: 'BODY[TEXT]', section: 'TEXT', origin: null, data: new Uint8Array(0) },
    ] } }]);
  });

  it('rfc3516 BINARY[]: the body goes as literal8 ~{n} and may hold NUL; UIDFETCH (rfc9586) too', () => {
    const s = fetching({}, 'A1 UID FETCH 9 BINARY[]\r\n');
    const b = body(5000, true);
    const w = s.beginFetch({ kind: 'UIDFETCH', uid: 9, attributes: {} }, { section: 'BINARY[]', length: b.length });
    w.write(b.subarray(0, 1));
    w.write(b.subarray(1));
    w.end();
    const wire = concat(s.takeOutput());
    expect(dec(wire.subarray(0, 30))).toBe('* 9 UIDFETCH (BINARY[] ~{5000}');
    const items = readEveryWay(wire);
    expect(items).toEqual([{ type: 'untagged', kind: 'UIDFETCH', uid: 9, attributes: { sections: [{ name: 'BINARY[]', section: '', origin: null, data: b }] } }]);
  });

  it('literal8 only for BINARY sections; a BINARY section announced as {n} refuses a NUL octet', () => {
    const s = fetching();
    expect(() => s.beginFetch({ kind: 'FETCH', seq: 1, attributes: {} }, { section: 'BODY[]', length: 3, binary: true })).toThrow(TypeError);
    expect(() => s.beginFetch({ kind: 'FETCH', seq: 1, attributes: {} }, { section: 'BODY[] {3}', length: 3 })).toThrow(TypeError);
    expect(() => s.beginFetch({ kind: 'FETCH', seq: 1, attributes: {} }, { section: 'BODY[]', length: -1 })).toThrow(RangeError);
    expect(() => s.beginFetch({ kind: 'FETCH', seq: 0, attributes: {} }, { section: 'BODY[]', length: 1 })).toThrow(RangeError);
    expect(s.takeOutput()).toEqual([]); // nothing written by a refused start
    const w = s.beginFetch({ kind: 'FETCH', seq: 1, attributes: {} }, { section: 'BINARY[1]', length: 3, binary: false });
    expect(() => w.write(Uint8Array.of(0x61, 0, 0x62))).toThrow(TypeError);
    w.write(enc('abc'));
    w.end();
    expect(dec(concat(s.takeOutput()))).toBe('* 1 FETCH (BINARY[1] {3}\r\nabc)\r\n');
  });

  it('more octets than announced: RangeError and nothing written; fewer: end() throws RangeError and the response stays open', () => {
    const s = fetching();
    const w = s.beginFetch({ kind: 'FETCH', seq: 1, attributes: {} }, { section: 'BODY[]', length: 5 });
    w.write(enc('hel'));
    expect(() => w.write(enc('lo!'))).toThrow(RangeError);
    expect(() => w.end()).toThrow(RangeError);
    expect(w.remaining).toBe(2);
    w.write(enc('lo'));
    w.end();
    expect(() => w.write(enc(''))).toThrow(Error);
    expect(() => w.end()).toThrow(Error);
    s.ok('done');
    expect(dec(concat(s.takeOutput()))).toBe('* 1 FETCH (BODY[] {5}\r\nhello)\r\nA1 OK done\r\n');
  });

  it('responses written meanwhile (untagged, the tagged OK, the session refusing a pipelined command) go out after it, never inside', () => {
    const s = fetching({}, 'A1 FETCH 1 BODY[]\r\nA2 BOGUS\r\nA3 NOOP\r\n');
    const w = s.beginFetch({ kind: 'FETCH', seq: 1, attributes: {} }, { section: 'BODY[]', length: 6 });
    w.write(enc('abc'));
    s.untagged({ type: 'untagged', kind: 'EXISTS', number: 2 });
    const events = s.ok('FETCH completed'); // reads on: A2 is refused by the session, A3 waits for the application
    expect(events.map((e) => e.type)).toEqual(['auto-reply', 'command']);
    const early = dec(concat(s.takeOutput()));
    expect(early).toBe('* 1 FETCH (BODY[] {6}\r\nabc');
    w.write(enc('def'));
    w.end();
    s.ok('NOOP completed');
    const wire = enc(early + dec(concat(s.takeOutput())));
    expect(dec(wire)).toBe('* 1 FETCH (BODY[] {6}\r\nabcdef)\r\n* 2 EXISTS\r\nA1 OK FETCH completed\r\nA2 BAD Unknown command\r\nA3 OK NOOP completed\r\n');
    expect(readEveryWay(wire).map((r) => (r as imap.Response).type)).toEqual(['untagged', 'untagged', 'tagged', 'tagged', 'tagged']);
  });

  it('backpressure: write() returns false past maxOutput until the output is taken', () => {
    const s = fetching({ maxOutput: 10_000 });
    const w = s.beginFetch({ kind: 'FETCH', seq: 1, attributes: {} }, { section: 'BODY[]', length: 30_000 });
    expect(w.write(body(8000))).toBe(true);
    expect(w.write(body(8000))).toBe(false);
    s.takeOutput();
    expect(w.write(body(8000))).toBe(true);
    w.write(body(6000));
    w.end();
  });

  it('one streamed response at a time; STARTTLS cannot complete inside one; abort() closes the session', () => {
    const s = fetching();
    const w = s.beginFetch({ kind: 'FETCH', seq: 1, attributes: {} }, { section: 'BODY[]', length: 100 });
    expect(() => s.beginFetch({ kind: 'FETCH', seq: 2, attributes: {} }, { section: 'BODY[]', length: 1 })).toThrow(Error);
    w.write(body(40));
    expect(w.abort()).toEqual([{ type: 'closed' }]);
    expect(s.state).toBe('logout');
    s.untagged({ type: 'untagged', kind: 'EXISTS', number: 2 });
    expect(concat(s.takeOutput()).length).toBe('* 1 FETCH (BODY[] {100}\r\n'.length + 40);

    const t = new imap.ServerSession({ capabilities: ['IMAP4rev1', 'STARTTLS'] });
    t.receive(enc('A1 STARTTLS\r\n'));
    const v = t.beginFetch({ kind: 'FETCH', seq: 1, attributes: { flags: [] } }, { section: 'BODY[]', length: 1 });
    expect(() => t.ok('Begin TLS')).toThrow(Error);
    v.write(enc('x'));
    v.end();
    expect(t.ok('Begin TLS').map((e) => e.type)).toEqual(['starttls']);
  });
});
