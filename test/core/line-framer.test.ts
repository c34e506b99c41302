import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LineFramer, ProtocolError } from '../../src/core/index';
import { bytewise, dec, enc, splitAt } from '../helpers/bytes';

function drain(f: LineFramer): (string | ProtocolError)[] {
  const out: (string | ProtocolError)[] = [];
  for (;;) {
    const r = f.readLine();
    if (r === null) return out;
    out.push(r instanceof ProtocolError ? r : dec(r));
  }
}

function frame(chunks: Uint8Array[], opts: ConstructorParameters<typeof LineFramer>[0]) {
  const f = new LineFramer(opts);
  const out: (string | ProtocolError)[] = [];
  for (const c of chunks) {
    f.push(c);
    out.push(...drain(f));
  }
  return { out, f };
}

describe('LineFramer', () => {
  it('splits CRLF lines and keeps a partial tail', () => {
    const { out, f } = frame([enc('EHLO a\r\nMAIL FROM:<>\r\nRC')], { maxLineLength: 512 });
    expect(out).toEqual(['EHLO a', 'MAIL FROM:<>']);
    expect(f.buffered).toBe(2);
    const end = f.end();
    expect(end?.code).toBe('TRUNCATED');
  });

  it('returns a zero-copy view when a line lies in one chunk', () => {
    const chunk = enc(`${'NOOP '.repeat(60)}\r\n`);
    const f = new LineFramer({ maxLineLength: 512 });
    f.push(chunk);
    const line = f.readLine() as Uint8Array;
    expect(line.buffer).toBe(chunk.buffer);
  });

  it('gives the same lines for every split of the stream', () => {
    const wire = enc('A1 OK done\r\n* 1 EXISTS\r\n\r\n+ go\r\n');
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: wire.length - 1 }), { maxLength: 6 }), (cuts) => {
        expect(frame(splitAt(wire, cuts), { maxLineLength: 100 }).out).toEqual(['A1 OK done', '* 1 EXISTS', '', '+ go']);
      }),
    );
  });

  it('reports an overlong line once, discards it and resynchronises at the next CRLF', () => {
    const long = 'X'.repeat(600);
    const { out } = frame(bytewise(enc(`${long}\r\nQUIT\r\n`)), { maxLineLength: 512 });
    expect(out).toHaveLength(2);
    expect((out[0] as ProtocolError).code).toBe('LINE_TOO_LONG');
    expect((out[0] as ProtocolError).offset).toBe(0);
    expect(out[1]).toBe('QUIT');
  });

  it('counts the CRLF in the limit (a 512-octet line with CRLF passes, 513 does not)', () => {
    const ok = 'A'.repeat(510);
    const bad = 'B'.repeat(511);
    const { out } = frame([enc(`${ok}\r\n${bad}\r\nC\r\n`)], { maxLineLength: 512 });
    expect(out[0]).toBe(ok);
    expect((out[1] as ProtocolError).code).toBe('LINE_TOO_LONG');
    expect(out[2]).toBe('C');
  });

  it('keeps memory bounded while discarding: 10 MB without CRLF buffers at most the limit', () => {
    const f = new LineFramer({ maxLineLength: 1000 });
    const chunk = new Uint8Array(64 * 1024).fill(0x41);
    let errors = 0;
    let maxBuffered = 0;
    for (let i = 0; i < 160; i++) {
      f.push(chunk);
      for (let r = f.readLine(); r !== null; r = f.readLine()) if (r instanceof ProtocolError) errors++;
      maxBuffered = Math.max(maxBuffered, f.buffered);
    }
    expect(errors).toBe(1);
    expect(maxBuffered).toBe(0);
    f.push(enc('\r\nok\r\n'));
    expect(drain(f)).toEqual(['ok']);
  });

  it('reject policy: a bare LF line is a BARE_LF error and the next line still parses', () => {
    const { out } = frame([enc('RSET\nNOOP\r\n')], { maxLineLength: 512 });
    expect((out[0] as ProtocolError).code).toBe('BARE_LF');
    expect(out[1]).toBe('NOOP');
  });

  it('reject policy: a bare CR inside a line is a BARE_CR error', () => {
    const { out } = frame([enc('RS\rET\r\nNOOP\r\n')], { maxLineLength: 512 });
    expect((out[0] as ProtocolError).code).toBe('BARE_CR');
    expect((out[0] as ProtocolError).offset).toBe(2);
    expect(out[1]).toBe('NOOP');
  });

  it('accept policy: bare LF ends a line, bare CR stays in it', () => {
    const { out } = frame([enc('+OK a\n+OK b\rc\r\n')], { maxLineLength: 512, lineEndings: 'accept' });
    expect(out).toEqual(['+OK a', '+OK b\rc']);
  });

  it('1-byte chunks over a 1 MB line cost linear work (the line is assembled once)', () => {
    const f = new LineFramer({ maxLineLength: 2_000_000 });
    const n = 1_000_000;
    let early = 0;
    for (let i = 0; i < n; i++) {
      f.push(Uint8Array.of(0x61));
      if (f.readLine() !== null) early++;
    }
    expect(early).toBe(0);
    f.push(enc('\r\n'));
    const line = f.readLine() as Uint8Array;
    expect(line.length).toBe(n);
  });
});

describe('LineFramer.end after an overlong line', () => {
  it('the TRUNCATED offset is where the unfinished line started, whatever was already discarded', () => {
    const results = new Set<string>();
    for (const size of [1, 7, 100, 5000]) {
      const f = new LineFramer({ maxLineLength: 512 });
      const wire = new TextEncoder().encode(`ok\r\n${'x'.repeat(3000)}`);
      for (let i = 0; i < wire.length; i += size) {
        f.push(wire.subarray(i, i + size));
        while (f.readLine() !== null);
      }
      const e = f.end();
      results.add(`${e?.code}@${e?.offset} ${e?.message}`);
    }
    expect([...results]).toEqual(['TRUNCATED@4 stream ended inside a line (3000 octets without CRLF)']);
  });
});

describe('LineFramer.readLineRange (positions instead of views)', () => {
  type Got = string | { code: string; offset: number };
  const viaRange = (f: LineFramer): Got[] => {
    const out: Got[] = [];
    for (;;) {
      const r = f.readLineRange();
      if (r === false) return out;
      out.push(r === true ? dec(f.lineBytes.subarray(f.lineStart, f.lineEnd)) : { code: r.code, offset: r.offset ?? -1 });
    }
  };
  const viaLine = (f: LineFramer): Got[] => {
    const out: Got[] = [];
    for (;;) {
      const r = f.readLine();
      if (r === null) return out;
      out.push(r instanceof ProtocolError ? { code: r.code, offset: r.offset ?? -1 } : dec(r));
    }
  };
  const run = (chunks: Uint8Array[], read: (f: LineFramer) => Got[], lineEndings: 'reject' | 'accept') => {
    const f = new LineFramer({ maxLineLength: 16, lineEndings });
    const out: Got[] = [];
    for (const c of chunks) {
      f.push(c);
      out.push(...read(f));
    }
    const e = f.end();
    if (e) out.push({ code: e.code, offset: e.offset ?? -1 });
    return out;
  };

  it('gives the lines, errors and offsets readLine gives, for every split and both policies', () => {
    // CRLF lines, a bare LF, a bare CR, an overlong line, a line of exactly the limit, a cut tail.
    const wire = enc('250-a\r\n250 b\r\n\r\n250 bare\nx\ry\r\n123456789012345678901\r\n250 12345678901\r\n220 ok\r\n25');
    for (const lineEndings of ['reject', 'accept'] as const) {
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 1, max: wire.length - 1 }), { maxLength: 8 }), (cuts) => {
          const chunks = splitAt(wire, cuts);
          expect(run(chunks, viaRange, lineEndings)).toEqual(run(chunks, viaLine, lineEndings));
        }),
      );
      expect(run(bytewise(wire), viaRange, lineEndings)).toEqual(run([wire], viaLine, lineEndings));
    }
  });

  it('points into the pushed chunk when the line lies in it (no view, no copy)', () => {
    // 256 bytes or more: kept by reference (smaller reads are copied into the queue's tail).
    const chunk = enc(`220 mx.example ESMTP ${'x'.repeat(300)}\r\n250 ok\r\n`);
    const f = new LineFramer({ maxLineLength: 512 });
    f.push(chunk);
    expect(f.readLineRange()).toBe(true);
    expect(f.lineBytes.buffer).toBe(chunk.buffer);
    expect([f.lineStart, f.lineEnd]).toEqual([0, 321]);
    expect(f.readLineRange()).toBe(true);
    expect([f.lineStart, f.lineEnd]).toEqual([323, 329]);
    expect(f.readLineRange()).toBe(false);
  });
});
