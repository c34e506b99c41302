import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { imap } from '../../src/index';
import * as arb from '../../src/testing/imap';
import { dec, splitAt } from '../helpers/bytes';

describe('imap.encodeResponse', () => {
  it('parseResponse(encodeResponse(r)) equals r', () => {
    fc.assert(
      fc.property(arb.response(), (r) => {
        const wire = imap.encodeResponse(r);
        expect(imap.parseResponse(wire)).toEqual(r);
      }),
      { numRuns: 400 },
    );
  });

  it('a stream of encoded responses parses back for any split', () => {
    fc.assert(
      fc.property(fc.array(arb.response(), { maxLength: 5 }), fc.array(fc.nat(500), { maxLength: 5 }), (rs, cuts) => {
        const parts = rs.map((r) => imap.encodeResponse(r));
        const wire = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        let o = 0;
        for (const p of parts) (wire.set(p, o), (o += p.length));
        const p = new imap.ResponseParser();
        const got = splitAt(wire, cuts).flatMap((c) => p.push(c));
        expect(got).toEqual(rs);
      }),
      { numRuns: 200 },
    );
  });

  it('rfc3516: unknown-response text ending in "~" before a plain literal is refused (it would read back as literal8); found by the round-trip property', () => {
    const r: imap.Response = { type: 'untagged', kind: 'UNKNOWN', name: 'XA', text: '~', literals: [{ octets: new Uint8Array(0), binary: false, text: '' }] };
    expect(() => imap.encodeResponse(r)).toThrow(TypeError);
    const binary: imap.Response = { type: 'untagged', kind: 'UNKNOWN', name: 'XA', text: 'a', literals: [{ octets: Uint8Array.of(0, 1), binary: true, text: '' }] };
    expect(new imap.ResponseParser().push(imap.encodeResponse(binary))).toEqual([binary]);
  });

  it('strings with CR, LF or NUL become literals, never raw line breaks', () => {
    const wire = imap.encodeResponse({ type: 'untagged', kind: 'LIST', attributes: [], delimiter: '/', mailbox: 'a\r\nA1 OK injected', extended: {} }, { utf8Accept: true });
    expect(dec(wire)).toBe('* LIST () "/" {17}\r\na\r\nA1 OK injected\r\n');
    expect(() => imap.encodeResponse({ type: 'tagged', tag: 'A1', status: 'OK', code: null, text: 'x\r\n* BYE' })).toThrow(TypeError);
    expect(() => imap.encodeResponse({ type: 'tagged', tag: 'A 1', status: 'OK', code: null, text: 'x' })).toThrow(TypeError);
  });

  it('mailbox names go out in modified UTF-7 unless UTF8=ACCEPT', () => {
    const r: imap.Response = { type: 'untagged', kind: 'LIST', attributes: ['\\HasNoChildren'], delimiter: '/', mailbox: 'Входящие', extended: {} };
    expect(dec(imap.encodeResponse(r))).toBe('* LIST (\\HasNoChildren) "/" &BBIERQQ+BDQETwRJBDgENQ-\r\n');
    expect(dec(imap.encodeResponse(r, { utf8Accept: true }))).toContain('{16}\r\nВходящие');
  });

  it('BODYSTRUCTURE round trip on the RFC 3501 example', () => {
    const src = '* 1 FETCH (BODYSTRUCTURE (("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 1152 23)("TEXT" "PLAIN" ("CHARSET" "US-ASCII" "NAME" "cc.diff") "<960723163407.20117h@cac.washington.edu>" "Compiler diff" "BASE64" 4554 73) "MIXED"))\r\n';
    const r = imap.parseResponse(src) as imap.Response;
    expect(imap.parseResponse(imap.encodeResponse(r))).toEqual(r);
  });
});

describe('imap.encodeResponse extension responses round trip', () => {
  for (const src of [
    '* ESEARCH (TAG "A285") UID MIN 7 MAX 3800 COUNT 15 ALL 4:18,21',
    '* THREAD (2)(3 6 (4 23)(44 7 96))',
    '* NAMESPACE (("" "/")) (("~" "/")) NIL',
    '* QUOTA "" (STORAGE 10 512)',
    '* ID ("name" "Cyrus" "version" "1.5" "os" NIL)',
    '* ID NIL',
    '* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)',
    '* QUOTAROOT INBOX ""',
  ]) {
    it(src, () => {
      const r = imap.parseResponse(src) as imap.Response;
      expect(imap.parseResponse(imap.encodeResponse(r))).toEqual(r);
    });
  }
});

describe('rfc4314 ACL and rfc5464 METADATA responses', () => {
  it('parse the RFC examples and round trip', () => {
    const acl = imap.parseResponse('* ACL INBOX Fred rwipsldexta') as imap.UntaggedResponse & { kind: 'ACL' };
    expect(acl).toMatchObject({ kind: 'ACL', mailbox: 'INBOX', rights: [{ identifier: 'Fred', rights: 'rwipsldexta' }] });
    const lr = imap.parseResponse('* LISTRIGHTS ~/Mail/saved smith la r swicdkxte') as imap.UntaggedResponse & { kind: 'LISTRIGHTS' };
    expect(lr).toMatchObject({ mailbox: '~/Mail/saved', identifier: 'smith', required: 'la', optional: ['r', 'swicdkxte'] });
    expect(imap.parseResponse('* MYRIGHTS INBOX rwiptsldaex')).toMatchObject({ kind: 'MYRIGHTS', rights: 'rwiptsldaex' });
    const md = imap.parseResponse('* METADATA "" (/shared/comment "Shared comment")') as imap.UntaggedResponse & { kind: 'METADATA' };
    expect(md.entries?.[0]?.entry).toBe('/shared/comment');
    expect(dec(md.entries![0]!.value!)).toBe('Shared comment');
    expect(imap.parseResponse('* METADATA INBOX /shared/comment /private/comment')).toMatchObject({ names: ['/shared/comment', '/private/comment'], entries: null });
    for (const r of [acl, lr, md]) expect(imap.parseResponse(imap.encodeResponse(r))).toEqual(r);
  });
});
