/**
 * Lazy FETCH items (issue 15, `lazy: true`): ENVELOPE and BODYSTRUCTURE are skipped while the
 * response is read and decoded on first access, with the same values as an eager read.
 */
import { describe, expect, it } from 'vitest';
import { ProtocolError, imap } from '../../src/index';
import { bin, bytewise, enc } from '../helpers/bytes';

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
  it('rfc3501 7.4.2 FETCH example: an accessor until read, then the eager value as a plain property', () => {
    const [lazy] = parse(RFC_FETCH, { lazy: true }) as Fetch[];
    const [eager] = parse(RFC_FETCH) as Fetch[];
    const a = lazy!.attributes;
    expect(typeof Object.getOwnPropertyDescriptor(a, 'envelope')!.get).toBe('function');
    expect(typeof Object.getOwnPropertyDescriptor(a, 'bodyStructure')!.get).toBe('function');
    // the message-list fields are there already, plain
    expect(a.uid).toBe(eager!.attributes.uid);
    expect(a.flags).toEqual(['\\Seen']);
    expect(a.rfc822Size).toBe(4286);
    expect(a.envelope!.subject).toBe('IMAP4rev1 WG mtg summary and minutes');
    const d = Object.getOwnPropertyDescriptor(a, 'envelope')!;
    expect(d.get).toBeUndefined();
    expect(d).toMatchObject({ enumerable: true, writable: true, configurable: true });
    expect(a.envelope).toBe(a.envelope);
    expect(a).toEqual(eager!.attributes);
    expect(Object.keys(a)).toEqual(Object.keys(eager!.attributes));
    expect(imap.encodeResponse(lazy!)).toEqual(imap.encodeResponse(eager!));
  });

  it('a Latin-1 subject literal and a MESSAGE/RFC822 part with its own envelope read the same, also from 1-byte chunks', () => {
    const wire = bin(
      '* 3 FETCH (UID 9 ENVELOPE (NIL {5}\r\nR\xE9sum NIL NIL NIL NIL NIL NIL NIL "<x@y>") BODYSTRUCTURE (("TEXT" "PLAIN" NIL NIL NIL "7BIT" 10 1)' +
        '("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 300 (NIL "inner" NIL NIL NIL NIL NIL NIL NIL NIL) ("TEXT" "HTML" NIL NIL NIL "BASE64" 20 2) 9) "MIXED"))\r\n',
    );
    const eager = parse(wire);
    expect(eager[0]).not.toHaveProperty('error');
    expect(parse(wire, { lazy: true })).toEqual(eager);
    const p = new imap.ResponseParser({ lazy: true });
    const items = [...bytewise(wire).flatMap((c) => p.push(c)), ...p.end()];
    expect(items).toEqual(eager);
    const a = (items[0] as Fetch).attributes;
    expect(a.envelope!.raw!.subject).toEqual(bin('R\xE9sum'));
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

  it('a streamed subject literal inside a lazy ENVELOPE is still labelled with its field', () => {
    const wire = `* 4 FETCH (ENVELOPE (NIL {20}\r\n${'x'.repeat(20)} NIL NIL NIL NIL NIL NIL NIL NIL))\r\n`;
    const items = parse(wire, { lazy: true, literalThreshold: 8 });
    expect(items[0]).toMatchObject({ type: 'literal-chunk', seq: 4, item: 'ENVELOPE', field: 'subject' });
    const f = items.find((i) => i.type === 'untagged') as Fetch;
    expect(f.attributes.envelope!.subject).toBe('');
  });

  it('assigning before reading replaces the getter with the value', () => {
    const [r] = parse(RFC_FETCH, { lazy: true }) as Fetch[];
    (r!.attributes as { envelope?: unknown }).envelope = null;
    expect(r!.attributes.envelope).toBeNull();
  });
});
