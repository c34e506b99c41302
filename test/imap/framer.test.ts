import { describe, expect, it } from 'vitest';
import { LiteralFramer, literalAnnouncement, type FramerEvent } from '../../src/imap/framer';

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
