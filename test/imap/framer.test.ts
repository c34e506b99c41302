import { describe, expect, it } from 'vitest';
import { LiteralFramer, PREALLOCATE_LITERAL_MAX, literalAnnouncement, type FramerEvent } from '../../src/imap/framer';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const opts = { maxLineLength: 1000, lineEndings: 'accept' as const, maxLiteralSize: 1000, maxLiterals: 3, maxUnitSize: 2000 };

/** Feeds `chunks`, holding every literal, and describes the events. */
function run(chunks: Uint8Array[], decide: (f: LiteralFramer, ev: FramerEvent & { type: 'literal' }) => void = (f, ev) => (ev.limit ? f.skip(ev.limit) : f.hold())): string[] {
  const f = new LiteralFramer(opts);
  const out: string[] = [];
  let chunkBytes = '';
  const drain = () => {
    for (let ev = f.next(); ev; ev = f.next()) {
      if (ev.type === 'unit') out.push(`unit@${ev.offset} ${ev.unit.lines.map(dec).join('|')} [${ev.unit.literals.map((l) => (l instanceof Uint8Array ? dec(l) : `streamed ${l.size}`)).join(',')}]`);
      else if (ev.type === 'literal') decide(f, ev);
      else if (ev.type === 'chunk') chunkBytes += dec(ev.chunk);
      else if (ev.type === 'literal-end') out.push(`streamed "${chunkBytes}" ${ev.size}`), (chunkBytes = '');
      else out.push(`error ${ev.error.code}${ev.firstLine ? ` ${dec(ev.firstLine)}` : ''}`);
    }
  };
  for (const c of chunks) (f.push(c), drain());
  const e = f.end();
  if (e) out.push(`end ${e.code}`);
  return out;
}

const wire = enc('* 1 FETCH (BODY[] {5}\r\nhello BODY[1] ~{3}\r\n\0\0\0)\r\nA1 OK {2+}\r\nok\r\n');

describe('LiteralFramer: lines and literals, split-independent', () => {
  it('rfc9051 4.3: {n}, ~{n}, {n+} literals are framed whole, in one read and in 1-byte reads', () => {
    const whole = run([wire]);
    expect(whole).toEqual(['unit@0 * 1 FETCH (BODY[] {5}| BODY[1] ~{3}|) [hello,\0\0\0]', 'unit@49 A1 OK {2+}| [ok]']);
    expect(run(Array.from(wire, (b) => Uint8Array.of(b)))).toEqual(whole);
  });

  it('streamed literals come out as zero-copy chunks and leave a marker in the unit', () => {
    const out = run(Array.from(wire, (b) => Uint8Array.of(b)), (f, ev) => (ev.announcement.size === 5 ? f.stream() : f.hold()));
    expect(out[0]).toBe('streamed "hello" 5');
    expect(out[1]).toBe('unit@0 * 1 FETCH (BODY[] {5}| BODY[1] ~{3}|) [streamed 5,\0\0\0]');
  });

  it('caps: a literal over maxLiteralSize is skipped and the unit fails once, the next unit is intact', () => {
    const out = run([enc('* 1 X {1001}\r\n'), new Uint8Array(1001), enc(' more\r\nA1 OK\r\n')]);
    expect(out).toEqual(['error LITERAL_TOO_LARGE * 1 X {1001}', 'unit@1022 A1 OK []']);
  });

  it('caps: more than maxLiterals literals fail the unit (TOO_MANY)', () => {
    expect(run([enc('* X {1}\r\na {1}\r\nb {1}\r\nc {1}\r\nd\r\nA1 OK\r\n')])).toEqual(['error TOO_MANY * X {1}', 'unit@33 A1 OK []']);
  });

  it('refuse drops a unit whose synchronizing literal will not come', () => {
    expect(run([enc('A1 APPEND x {999}\r\nA2 NOOP\r\n')], (f) => f.refuse())).toEqual(['unit@19 A2 NOOP []']);
  });

  it('end inside a literal is TRUNCATED', () => {
    expect(run([enc('* 1 FETCH (BODY[] {5}\r\nhel')])).toEqual(['end TRUNCATED']);
  });

  it('announcements: {n} {n+} {n-} ~{n}; none in "{x}" or a bare "}"', () => {
    expect(literalAnnouncement(enc('a {12}'))).toEqual({ size: 12, nonSync: false, binary: false });
    expect(literalAnnouncement(enc('a {12+}'))).toEqual({ size: 12, nonSync: true, binary: false });
    expect(literalAnnouncement(enc('a {12-}'))).toEqual({ size: 12, nonSync: true, binary: false });
    expect(literalAnnouncement(enc('a ~{1}'))).toEqual({ size: 1, nonSync: false, binary: true });
    expect(literalAnnouncement(enc('a {x}'))).toBeNull();
    expect(literalAnnouncement(enc('}'))).toBeNull();
    expect(literalAnnouncement(enc('{99999999999999999999}'))!.size).toBe(Infinity);
  });
});

describe('held literals split across reads: one copy into a buffer of the final size', () => {
  const big = { ...opts, maxLineLength: 1 << 16, maxLiteralSize: 1 << 24, maxUnitSize: 1 << 25 };
  /** Frames `reads` holding every literal; returns the literals of the first unit. */
  const literalsOf = (reads: Uint8Array[], o = big): Uint8Array[] => {
    const f = new LiteralFramer(o);
    for (const r of reads) {
      f.push(r);
      for (let ev = f.next(); ev; ev = f.next()) {
        if (ev.type === 'literal') f.hold();
        else if (ev.type === 'unit') return ev.unit.literals as Uint8Array[];
      }
    }
    throw new Error('no unit');
  };
  const body = (n: number) => {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = 0x41 + (i % 26);
    return b;
  };
  const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

  it('rfc9051 7.5.2 BODY[]: a literal that one read holds whole is a view of that read, no copy', () => {
    const read = new Uint8Array([...enc('* 1 FETCH (BODY[] {3000}\r\n'), ...body(3000), ...enc(')\r\n')]);
    const [lit] = literalsOf([read]);
    expect(lit!.buffer).toBe(read.buffer);
    expect(lit!.byteOffset).toBe(26);
  });

  it('a literal split over three reads is copied once, into its own buffer of exactly its size, as the reads arrive', () => {
    const b = body(3000);
    const head = enc('* 1 FETCH (BODY[] {3000}\r\n');
    const r1 = new Uint8Array([...head, ...b.subarray(0, 1000)]);
    const r2 = b.slice(1000, 2000);
    const r3 = new Uint8Array([...b.subarray(2000), ...enc(')\r\n')]);
    const f = new LiteralFramer(big);
    const lits: Uint8Array[] = [];
    for (const r of [r1, r2, r3]) {
      f.push(r);
      for (let ev = f.next(); ev; ev = f.next()) {
        if (ev.type === 'literal') f.hold();
        else if (ev.type === 'unit') lits.push(...(ev.unit.literals as Uint8Array[]));
      }
      // Each read is copied when it arrives: the application may reuse its buffer at once.
      r.fill(0x3f);
    }
    expect(lits).toHaveLength(1);
    expect(lits[0]!.byteLength).toBe(3000);
    expect(lits[0]!.buffer.byteLength).toBe(3000);
    expect(lits[0]).toEqual(b);
  });

  it('buffered counts the part of a held literal collected so far', () => {
    const f = new LiteralFramer(big);
    f.push(enc('* 1 FETCH (BODY[] {3000}\r\n'));
    f.next();
    f.hold();
    f.push(body(700));
    expect(f.next()).toBeNull();
    f.push(body(300));
    expect(f.next()).toBeNull();
    expect(f.buffered).toBe(1000);
  });

  it('1-byte reads and random reads give the same literal bytes as one read', () => {
    const wire = new Uint8Array([...enc('A1 APPEND X {700}\r\n'), ...body(700), ...enc(' {5+}\r\nhello\r\n')]);
    const whole = literalsOf([wire]);
    expect(literalsOf(Array.from(wire, (x) => Uint8Array.of(x)))).toEqual(whole);
    let seed = 7;
    const reads: Uint8Array[] = [];
    for (let i = 0; i < wire.length; ) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const n = 1 + (seed % 400);
      reads.push(wire.slice(i, i + n));
      i += n;
    }
    expect(literalsOf(reads)).toEqual(whole);
  });

  it('above PREALLOCATE_LITERAL_MAX the pieces are gathered and copied once when complete (a bare {n} allocates nothing ahead)', () => {
    const n = PREALLOCATE_LITERAL_MAX + 10;
    const b = body(n);
    const head = enc(`* 1 FETCH (BODY[] {${n}}\r\n`);
    const lits = literalsOf([head, b.subarray(0, 5), b.subarray(5, n >> 1), b.subarray(n >> 1), enc(')\r\n')]);
    expect(lits[0]!.buffer.byteLength).toBe(n);
    expect(same(lits[0]!, b)).toBe(true);
    // ... and in one read it is a view like any other.
    const one = new Uint8Array(head.length + n + 3);
    one.set(head);
    one.set(b, head.length);
    one.set(enc(')\r\n'), head.length + n);
    expect(literalsOf([one])[0]!.buffer).toBe(one.buffer);
  });
});
