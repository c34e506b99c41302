/**
 * Lazy FETCH items (issue 15, `lazy: true`): ENVELOPE and BODYSTRUCTURE are skipped while the
 * response is read and decoded on first access, with the same values as an eager read.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ProtocolError, imap } from '../../src/index';
import * as arb from '../../src/testing/imap';
import { bin, bytewise, enc, splitAt } from '../helpers/bytes';

type Fetch = imap.UntaggedResponse & { kind: 'FETCH' };

// RFC 3501 7.4.2's FETCH example, with the RFC 3501 6.4.5 BODYSTRUCTURE example beside it.
const RFC_FETCH =
  '* 12 FETCH (FLAGS (\\Seen) INTERNALDATE "17-Jul-1996 02:44:25 -0700" RFC822.SIZE 4286 ENVELOPE ("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)" ' +
  '"IMAP4rev1 WG mtg summary and minutes" (("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" "cac.washington.edu")) ' +
  '(("Terry Gray" NIL "gray" "cac.washington.edu")) ((NIL NIL "imap" "cac.washington.edu")) ((NIL NIL "minutes" "CNRI.Reston.VA.US") ' +
  '("John Klensin" NIL "KLENSIN" "MIT.EDU")) NIL NIL "<B27397-0100000@cac.washington.edu>") BODY ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3028 92))\r\n';

const parse = (wire: string | Uint8Array, options: imap.ResponseParserOptions = {}) => {
  const p = new imap.ResponseParser(options);
  const items = [...p.push(typeof wire === 'string' ? enc(wire) : wire), ...p.end()];
  return items;
};

describe('lazy FETCH items (lazy: true)', () => {
  it('rfc3501 7.4.2 FETCH example: decoded on first access, the eager values, kept once read', () => {
    const [lazy] = parse(RFC_FETCH, { lazy: true }) as Fetch[];
    const [eager] = parse(RFC_FETCH) as Fetch[];
    const a = lazy!.attributes;
    expect(a).toBeInstanceOf(imap.LazyFetchAttributes);
    // the message-list fields are own properties, as eager
    expect(Object.keys(a)).toEqual(['flags', 'internalDateText', 'internalDate', 'rfc822Size']);
    expect(a.flags).toEqual(['\\Seen']);
    expect(a.rfc822Size).toBe(4286);
    expect(a.envelope!.subject).toBe('IMAP4rev1 WG mtg summary and minutes');
    expect(a.envelope).toBe(a.envelope);
    expect(a.envelope).toBeInstanceOf(imap.LazyEnvelope);
    expect((a.envelope as imap.LazyEnvelope).toJSON()).toEqual(eager!.attributes.envelope);
    expect(a.bodyStructure).toEqual(eager!.attributes.bodyStructure);
    expect((a as imap.LazyFetchAttributes).toJSON()).toEqual(eager!.attributes);
    expect(JSON.parse(JSON.stringify(a))).toEqual(JSON.parse(JSON.stringify(eager!.attributes)));
    expect(imap.encodeResponse(lazy!)).toEqual(imap.encodeResponse(eager!));
  });

  it('a Latin-1 subject literal and a MESSAGE/RFC822 part with its own envelope read the same, also from 1-byte chunks', () => {
    const wire = bin(
      '* 3 FETCH (UID 9 ENVELOPE (NIL {5}\r\nR\xE9sum NIL NIL NIL NIL NIL NIL NIL "<x@y>") BODYSTRUCTURE (("TEXT" "PLAIN" NIL NIL NIL "7BIT" 10 1)' +
        '("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 300 (NIL "inner" NIL NIL NIL NIL NIL NIL NIL NIL) ("TEXT" "HTML" NIL NIL NIL "BASE64" 20 2) 9) "MIXED"))\r\n',
    );
    const eager = parse(wire);
    expect(eager[0]).not.toHaveProperty('error');
    const read = (items: imap.ResponseParserItem[]) => items.map((it) => ('attributes' in it ? { ...it, attributes: (it.attributes as imap.LazyFetchAttributes).toJSON() } : it));
    expect(read(parse(wire, { lazy: true }))).toEqual(eager);
    const p = new imap.ResponseParser({ lazy: true });
    const items = [...bytewise(wire).flatMap((c) => p.push(c)), ...p.end()];
    expect(read(items)).toEqual(eager);
    const a = (items[0] as Fetch).attributes;
    expect(a.envelope!.raw!.subject).toEqual(bin('R\xE9sum'));
    expect((a.bodyStructure as imap.MultiPart).parts[1]).toMatchObject({ type: 'MESSAGE', envelope: { subject: 'inner' }, body: { part: '2.1', subtype: 'HTML' } });
  });

  it('a list that is balanced but not an ENVELOPE: eager reports an error item, lazy delivers the response and the field reads undefined', () => {
    const wire = '* 1 FETCH (UID 5 ENVELOPE (NIL "s" (ATOM) NIL NIL NIL NIL NIL NIL NIL))\r\n';
    expect(parse(wire)[0]).toMatchObject({ type: 'error' });
    const [r] = parse(wire, { lazy: true }) as Fetch[];
    expect(r!.attributes.uid).toBe(5);
    expect(r!.attributes.envelope).toBeUndefined();
  });

  it('unbalanced or unterminated input is still an error item in lazy mode (the skip checks lists, strings and literals)', () => {
    for (const wire of ['* 1 FETCH (ENVELOPE (NIL "s))\r\n', '* 1 FETCH (BODYSTRUCTURE ("TEXT" "PLAIN" NIL NIL NIL "7BIT" 1 1)\r\n']) {
      expect(parse(wire, { lazy: true })[0], wire).toMatchObject({ type: 'error' });
      expect(imap.parseResponse(wire, { lazy: true }), wire).toBeInstanceOf(ProtocolError);
    }
  });

  it('escapes and unescaped quotes (MailKit issue 485) inside a deferred item: skipped to the same end, read to the same text', () => {
    const wire = '* 1 FETCH (ENVELOPE (NIL "a \\"(b\\" c\\\\" NIL NIL NIL NIL NIL NIL NIL "<say "hi"now(>") BODYSTRUCTURE ("TEXT" "PLAIN" ("NAME" "x)\\"y") NIL NIL "7BIT" 1 1) UID 3)\r\n';
    const [eager] = parse(wire) as Fetch[];
    expect(eager!.attributes.envelope!.subject).toBe('a "(b" c\\');
    expect(eager!.attributes.envelope!.messageId).toBe('<say "hi"now(>');
    const [lazy] = parse(wire, { lazy: true }) as Fetch[];
    expect(lazy!.attributes.uid).toBe(3);
    expect((lazy!.attributes as imap.LazyFetchAttributes).toJSON()).toEqual(eager!.attributes);
  });

  it('lists nested past maxDepth are TOO_DEEP in lazy mode too (the skip counts depth)', () => {
    const wire = '* 1 FETCH (BODYSTRUCTURE ((((("TEXT" "PLAIN" NIL NIL NIL "7BIT" 1 1) "MIXED") "MIXED") "MIXED") "MIXED"))\r\n';
    expect(parse(wire, { lazy: true, maxDepth: 4 })[0]).toMatchObject({ type: 'error', error: { code: 'TOO_DEEP' } });
    expect(parse(wire, { maxDepth: 4 })[0]).toMatchObject({ type: 'error', error: { code: 'TOO_DEEP' } });
    expect((parse(wire, { lazy: true, maxDepth: 7 })[0] as Fetch).attributes.bodyStructure).toMatchObject({ kind: 'multipart', subtype: 'MIXED' });
  });

  it('a streamed subject literal inside a lazy ENVELOPE is still labelled with its field', () => {
    const wire = `* 4 FETCH (ENVELOPE (NIL {20}\r\n${'x'.repeat(20)} NIL NIL NIL NIL NIL NIL NIL NIL))\r\n`;
    const items = parse(wire, { lazy: true, literalThreshold: 8 });
    expect(items[0]).toMatchObject({ type: 'literal-chunk', seq: 4, item: 'ENVELOPE', field: 'subject' });
    const f = items.find((i) => i.type === 'untagged') as Fetch;
    expect(f.attributes.envelope!.subject).toBe('');
  });

  it('assigning replaces the pending value; a FETCH without ENVELOPE reads undefined', () => {
    const [r] = parse(RFC_FETCH, { lazy: true }) as Fetch[];
    (r!.attributes as { envelope?: unknown }).envelope = undefined;
    expect(r!.attributes.envelope).toBeUndefined();
    const [u] = parse('* 2 FETCH (UID 7)\r\n', { lazy: true }) as Fetch[];
    expect(u!.attributes.envelope).toBeUndefined();
    expect(u!.attributes.bodyStructure).toBeUndefined();
    expect((u!.attributes as imap.LazyFetchAttributes).toJSON()).toEqual({ uid: 7 });
  });

  describe('LazyEnvelope: fields decoded one by one', () => {
    const FIELDS = ['date', 'subject', 'from', 'sender', 'replyTo', 'to', 'cc', 'bcc', 'inReplyTo', 'messageId'] as const;
    const envelopeOf = (wire: string | Uint8Array) => (parse(wire, { lazy: true })[0] as Fetch).attributes.envelope as imap.LazyEnvelope;
    const eagerOf = (wire: string | Uint8Array) => (parse(wire)[0] as Fetch).attributes.envelope!;

    it('rfc3501 7.4.2 FETCH example: each field read first, alone, is the eager value', () => {
      const eager = eagerOf(RFC_FETCH);
      for (const f of FIELDS) {
        const e = envelopeOf(RFC_FETCH);
        expect(e, f).toBeInstanceOf(imap.LazyEnvelope);
        expect(e[f], f).toEqual(eager[f]);
        // kept once decoded: the same array / string on the next access
        expect(e[f], f).toBe(e[f]);
        expect(e.toJSON(), f).toEqual(eager);
      }
    });

    it('a literal subject, NIL and missing fields (short envelope), every field alone and in JSON', () => {
      const wire = '* 5 FETCH (UID 2 ENVELOPE (NIL {11}\r\nHello (you) ((NIL NIL "a" "b.example")) NIL NIL ((NIL NIL "c" "d.example") NIL) NIL NIL) FLAGS ())\r\n';
      const eager = eagerOf(wire);
      expect(eager).toMatchObject({ subject: 'Hello (you)', date: null, replyTo: null, cc: null, inReplyTo: null, messageId: null });
      for (const f of FIELDS) expect(envelopeOf(wire)[f], f).toEqual(eager[f]);
      const e = envelopeOf(wire);
      expect(JSON.stringify(e)).toBe(JSON.stringify(eager));
      expect((parse(wire, { lazy: true })[0] as Fetch).attributes.flags).toEqual([]);
    });

    it('Latin-1 raw bytes of a quoted date and a literal message-id are kept in raw, read alone or all at once', () => {
      const wire = bin('* 6 FETCH (ENVELOPE ("Mi, 1 Jan 2025 \xE4" "ok" NIL NIL NIL NIL NIL NIL NIL {4}\r\n<\xFC@>))\r\n');
      const eager = eagerOf(wire);
      expect(eager.raw).toEqual({ date: bin('Mi, 1 Jan 2025 \xE4'), messageId: bin('<\xFC@>') });
      expect(envelopeOf(wire).raw).toEqual(eager.raw);
      const e = envelopeOf(wire);
      expect(e.messageId).toBe('<\xFC@>');
      expect(e.toJSON()).toEqual(eager);
      expect(envelopeOf(bin('* 1 FETCH (ENVELOPE (NIL "a" NIL NIL NIL NIL NIL NIL NIL NIL))\r\n')).raw).toBeUndefined();
    });

    it('malformed envelopes: eager error items; lazy delivers the response, envelope undefined, or the same error when unbalanced', () => {
      // a string where an address list belongs; an address of three fields plus an atom; a number as the date
      for (const wire of [
        '* 1 FETCH (UID 5 ENVELOPE (NIL "s" "x" NIL NIL NIL NIL NIL NIL NIL))\r\n',
        '* 1 FETCH (UID 5 ENVELOPE (NIL "s" (("n" NIL "m" "h" X)) NIL NIL NIL NIL NIL NIL NIL))\r\n',
        '* 1 FETCH (UID 5 ENVELOPE (12 "s" NIL NIL NIL NIL NIL NIL NIL NIL))\r\n',
        '* 1 FETCH (UID 5 ENVELOPE (NIL "s" NIL NIL NIL NIL NIL NIL NIL NIL "extra"))\r\n',
      ]) {
        expect(parse(wire)[0], wire).toMatchObject({ type: 'error' });
        const [r] = parse(wire, { lazy: true }) as Fetch[];
        expect(r!.attributes.uid, wire).toBe(5);
        expect(r!.attributes.envelope, wire).toBeUndefined();
      }
      expect(parse('* 1 FETCH (UID 5 ENVELOPE (NIL "s" ((NIL NIL "a" "b")) NIL NIL NIL NIL NIL NIL NIL)\r\n', { lazy: true })[0]).toMatchObject({ type: 'error' });
    });

    it('node-imap issue 565 / MailKit issue 991: a NIL inside an address list is skipped the same way', () => {
      const wire = '* 7 FETCH (ENVELOPE (NIL "s" (NIL ("name" NIL "box" "host")) NIL NIL () NIL NIL NIL NIL))\r\n';
      const eager = eagerOf(wire);
      expect(eager.from).toEqual([{ name: 'name', adl: null, mailbox: 'box', host: 'host' }]);
      expect(eager.to).toEqual([]);
      const e = envelopeOf(wire);
      expect(e.to).toEqual([]);
      expect(e.from).toEqual(eager.from);
      expect(e.toJSON()).toEqual(eager);
    });

    it('encodeResponse writes a lazy envelope as the eager one', () => {
      const wire = bin('* 6 FETCH (ENVELOPE ("d" {6}\r\nR\xE9sum\xE9 ((NIL NIL "a" "b")) NIL NIL NIL NIL NIL NIL "<m>"))\r\n');
      const [lazy] = parse(wire, { lazy: true }) as Fetch[];
      const [eager] = parse(wire) as Fetch[];
      expect(imap.encodeResponse(lazy!)).toEqual(imap.encodeResponse(eager!));
    });

    it('the check pass keeps the reader limits: an address list past maxListItems is TOO_MANY, one past maxDepth TOO_DEEP, as eager', () => {
      const env = enc('(NIL "s" ((NIL NIL "a" "b")(NIL NIL "c" "d")) NIL NIL NIL NIL NIL NIL NIL)');
      const reader = (limits: imap.ReaderLimits) => new imap.Reader({ lines: [env], literals: [] }, limits);
      for (const limits of [{ maxListItems: 1 }, { maxDepth: 1 }]) {
        const code = limits.maxDepth ? 'TOO_DEEP' : 'TOO_MANY';
        expect(() => imap.readEnvelope(reader(limits)), code).toThrow(expect.objectContaining({ code }));
        expect(() => new imap.LazyEnvelope(reader(limits)), code).toThrow(expect.objectContaining({ code }));
      }
      const ok = new imap.LazyEnvelope(reader({ maxListItems: 2, maxDepth: 2 }));
      expect(ok.from).toEqual(imap.readEnvelope(reader({})).from);
    });
  });
});

/** The plain value of a lazy one: Lazy* objects through their toJSON(), everything else as it is. */
function plain(v: unknown): unknown {
  if (v instanceof imap.LazyFetchAttributes || v instanceof imap.LazyEnvelope) return plain(v.toJSON());
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

describe('lazy: true against eager on generated responses', () => {
  it('every response kind, any split: the lazy items read as the eager ones (values, errors, order)', () => {
    fc.assert(
      fc.property(fc.array(arb.response(), { minLength: 1, maxLength: 4 }), fc.array(fc.nat(600), { maxLength: 6 }), (rs, cuts) => {
        const parts = rs.map((r) => imap.encodeResponse(r));
        const wire = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        let o = 0;
        for (const p of parts) (wire.set(p, o), (o += p.length));
        const lazyParser = new imap.ResponseParser({ lazy: true });
        const lazy = splitAt(wire, cuts).flatMap((c) => lazyParser.push(c));
        const eager = new imap.ResponseParser().push(wire);
        expect(plain(lazy)).toEqual(plain(eager));
        expect(plain(lazy)).toEqual(rs);
      }),
      { numRuns: 300 },
    );
  });
});

describe('lazy: true on mutated bytes (hostile peers)', () => {
  const base = enc(RFC_FETCH);
  const pool = enc('()"\\{}[]~+ NIL 0 9 \r\n\x00\xff\xc3');
  it('a mutated FETCH never makes a lazy getter throw, and when eager reads a FETCH, lazy reads the same values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat(base.length - 1), op: fc.constantFrom('set', 'insert', 'delete'), byte: fc.nat(pool.length - 1) }), { minLength: 1, maxLength: 4 }),
        (edits) => {
          let bytes = Array.from(base);
          for (const e of edits) {
            const at = Math.min(e.at, bytes.length - 1);
            if (e.op === 'set') bytes[at] = pool[e.byte]!;
            else if (e.op === 'insert') bytes.splice(at, 0, pool[e.byte]!);
            else bytes.splice(at, 1);
          }
          const wire = Uint8Array.from(bytes);
          const lazy = parse(wire, { lazy: true });
          const eager = parse(wire);
          for (const it of lazy) {
            if (it.type !== 'untagged' || it.kind !== 'FETCH') continue;
            expect(() => JSON.stringify(plain(it))).not.toThrow();
          }
          const eagerFetches = eager.filter((it) => it.type === 'untagged' && it.kind === 'FETCH');
          const lazyFetches = lazy.filter((it) => it.type === 'untagged' && it.kind === 'FETCH');
          // Lazy mode may keep a FETCH whose envelope or body is balanced but off-grammar (read
          // as undefined) where eager fails it: every FETCH eager reads, lazy reads the same.
          for (const e of eagerFetches) expect(lazyFetches.map(plain)).toContainEqual(plain(e));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
