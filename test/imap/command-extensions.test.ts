// The IMAP extension commands of the SASL/ESMTP/IMAP-extensions issue, replayed from
// test/fixtures/imap/commands-extensions.json (RFC examples, positive and negative), and the
// helpers that go with them: CATENATE, IMAP URLs, SPECIAL-USE, sequence-set algebra, dates.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ProtocolError, imap } from '../../src/index';
import * as arb from '../../src/testing/imap-namespace';
import { bytewise, concat, dec, enc } from '../helpers/bytes';

interface Case {
  readonly source: string;
  readonly wire: string;
  readonly value?: object;
  readonly encoded?: string;
  readonly error?: string;
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/imap/commands-extensions.json', import.meta.url), 'utf8')) as { cases: Case[] };
const wire = (c: imap.Command, o?: imap.EncodeCommandOptions) => concat(imap.encodeCommand(c, o).map((f) => f.data));

describe('extension command fixtures (test/fixtures/imap/commands-extensions.json)', () => {
  for (const f of fixture.cases) {
    it(f.source, () => {
      const bytes = enc(`${f.wire}\r\n`);
      const c = imap.parseCommand(bytes);
      if (f.error !== undefined) {
        expect(c).toBeInstanceOf(ProtocolError);
        expect((c as ProtocolError).code).toBe(f.error);
        expect((c as ProtocolError).tag).toBe(f.wire.split(' ')[0]);
        return;
      }
      if (c instanceof ProtocolError) throw new Error(`${f.wire}: ${c.message}`);
      expect(c).toMatchObject(f.value!);
      // Re-encoded, it reads back as the same value; byte for byte where the RFC writes mailwire's form.
      expect(imap.parseCommand(wire(c))).toEqual(c);
      if (f.encoded !== undefined) expect(dec(wire(c))).toBe(`${f.encoded}\r\n`);
      // The server-side parser reads the same command from 1-byte chunks.
      const p = new imap.CommandParser();
      const items = bytewise(bytes).flatMap((b) => p.push(b));
      expect(items.filter((i) => i.type === 'command').map((i) => (i as imap.CommandItem).command)).toEqual([c]);
    });
  }
});

describe('rfc4469 CATENATE and APPEND with a URL', () => {
  const sep = '--------------030308070208000400050907';
  const text1 = `\r\n--${sep}\r\n`;
  const text2 = `\r\n--${sep}--\r\n`;
  const line = `A003 APPEND Drafts (\\Seen \\Draft $MDNSent) CATENATE (URL "/Drafts;UIDVALIDITY=385759045/;UID=20/;section=HEADER" TEXT {${text1.length}}\r\n${text1} URL "/Drafts;UIDVALIDITY=385759045/;UID=20/;section=1.MIME" URL "/Drafts;UIDVALIDITY=385759045/;UID=20/;section=1" TEXT {${text2.length}}\r\n${text2})\r\n`;

  it('rfc4469 5 example: URL and TEXT parts in order, flags kept; encoded back byte for byte', () => {
    const c = imap.parseCommand(enc(line)) as imap.AppendCommand;
    expect(c).toEqual({
      tag: 'A003',
      command: 'APPEND',
      mailbox: 'Drafts',
      messages: [
        {
          flags: ['\\Seen', '\\Draft', '$MDNSent'],
          date: null,
          catenate: [
            { type: 'url', url: '/Drafts;UIDVALIDITY=385759045/;UID=20/;section=HEADER' },
            { type: 'text', data: enc(text1) },
            { type: 'url', url: '/Drafts;UIDVALIDITY=385759045/;UID=20/;section=1.MIME' },
            { type: 'url', url: '/Drafts;UIDVALIDITY=385759045/;UID=20/;section=1' },
            { type: 'text', data: enc(text2) },
          ],
        },
      ],
    });
    const frags = imap.encodeCommand(c);
    expect(frags.map((f) => f.waitForContinuation)).toEqual([true, true, false]);
    // URLs are astrings: mailwire writes them bare (every character is an ASTRING-CHAR).
    expect(dec(concat(frags.map((f) => f.data)))).toBe(line.replace(/URL "([^"]*)"/g, 'URL $1'));
  });

  it('negative: a streamed CATENATE part or an empty one cannot be encoded', () => {
    const m = (catenate: imap.CatenatePart[]): imap.Command => ({ tag: 'a', command: 'APPEND', mailbox: 'Drafts', messages: [{ flags: null, date: null, catenate }] });
    expect(() => imap.encodeCommand(m([]))).toThrow(TypeError);
    expect(() => imap.encodeCommand(m([{ type: 'text', data: { kind: 'streamed', size: 5, binary: false } }]))).toThrow(TypeError);
  });
});

describe('rfc5092 IMAP URLs', () => {
  const url = (s: string) => {
    const u = imap.parseImapUrl(s);
    if (u instanceof ProtocolError) throw new Error(`${s}: ${u.message}`);
    return u;
  };
  const none = { user: null, auth: null, port: null, mailbox: null, uidValidity: null, search: null, uid: null, section: null, partial: null, urlauth: null };

  it('rfc5092 7 examples parse to their fields and format back the same', () => {
    expect(url('imap://minbari.example.org/gray-council;UIDVALIDITY=385759045/;UID=20/;PARTIAL=0.1024')).toEqual({ ...none, host: 'minbari.example.org', mailbox: 'gray-council', uidValidity: 385759045, uid: 20, partial: { offset: 0, length: 1024 } });
    expect(url('imap://psicorp.example.org/~peter/%E6%97%A5%E6%9C%AC%E8%AA%9E/%E5%8F%B0%E5%8C%97')).toEqual({ ...none, host: 'psicorp.example.org', mailbox: '~peter/日本語/台北' });
    expect(url('imap://;AUTH=GSSAPI@minbari.example.org/gray-council/;uid=20/;section=1.2')).toEqual({ ...none, auth: 'GSSAPI', host: 'minbari.example.org', mailbox: 'gray-council', uid: 20, section: '1.2' });
    expect(url('imap://;AUTH=*@minbari.example.org/gray%20council?SUBJECT%20shadows')).toEqual({ ...none, auth: '*', host: 'minbari.example.org', mailbox: 'gray council', search: 'SUBJECT shadows' });
    expect(url('imap://john;AUTH=*@minbari.example.org/babylon5/personel?charset%20UTF-8%20SUBJECT%20%7B14+%7D%0D%0A%D0%98%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2%D0%B0')).toMatchObject({ user: 'john', auth: '*', mailbox: 'babylon5/personel', search: 'charset UTF-8 SUBJECT {14+}\r\nИванова' });
    expect(url('imap://michael@minbari.example.org/users.*')).toEqual({ ...none, user: 'michael', host: 'minbari.example.org', mailbox: 'users.*' });
    for (const s of ['imap://minbari.example.org/gray-council;UIDVALIDITY=385759045/;UID=20/;PARTIAL=0.1024', 'imap://psicorp.example.org/~peter/%E6%97%A5%E6%9C%AC%E8%AA%9E/%E5%8F%B0%E5%8C%97', 'imap://;AUTH=*@minbari.example.org/gray%20council?SUBJECT%20shadows', 'imap://michael@minbari.example.org:1143/users.*']) {
      expect(imap.formatImapUrl(url(s))).toBe(s);
    }
  });

  it('rfc4467 3 URLAUTH-authorized URLs and rumps', () => {
    const u = url('imap://joe@example.com/INBOX/;uid=20/;section=1.2;urlauth=submit+fred:internal:91354a473744909de610943775f92038');
    expect(u).toMatchObject({ user: 'joe', mailbox: 'INBOX', uid: 20, section: '1.2', urlauth: { expire: null, access: 'submit+fred', mechanism: 'internal', token: '91354a473744909de610943775f92038' } });
    expect(url(imap.formatImapUrl(u))).toEqual(u);
    expect(url('imap://joe@example.com/INBOX/;uid=20/;section=1.2;EXPIRE=2030-01-01T00:00:00Z;urlauth=anonymous').urlauth).toEqual({ expire: '2030-01-01T00:00:00Z', access: 'anonymous', mechanism: null, token: null });
  });

  it('parse(format(u)) = u for URLs built from any mailbox, user and search text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }), fc.option(fc.string({ minLength: 1, maxLength: 8 }), { nil: null }), fc.option(fc.integer({ min: 1, max: 2 ** 32 - 1 }), { nil: null }), (mailbox, user, uid) => {
        const u: imap.ImapUrl = { ...none, host: 'h.example', user, mailbox, uid, section: uid !== null ? '1.TEXT' : null };
        expect(url(imap.formatImapUrl(u))).toEqual(u);
      }),
    );
  });

  it('negative: other schemes, missing mailbox, a section without a UID, UID 0, a bad partial, bad percent escapes', () => {
    for (const s of ['http://x/INBOX', 'imap://h/;UID=20', 'imap://h/INBOX/;SECTION=1', 'imap://h/INBOX/;UID=0', 'imap://h/INBOX/;UID=1/;PARTIAL=x', 'imap://h/IN%ZZBOX', 'imap://h/INBOX/;UID=1;URLAUTH=root', 'imap://h:99999/INBOX']) {
      expect(imap.parseImapUrl(s), s).toBeInstanceOf(ProtocolError);
    }
    expect(() => imap.formatImapUrl({ ...none, host: 'h', mailbox: 'INBOX', section: '1' })).toThrow(TypeError);
    expect(() => imap.formatImapUrl({ ...none, host: 'h/x' })).toThrow(TypeError);
  });
});

describe('rfc6154 SPECIAL-USE classification', () => {
  it('rfc6154 5.1 LIST attributes, Gmail XLIST names, and the common names of servers without SPECIAL-USE', () => {
    const list = imap.parseResponse('* LIST (\\Sent \\HasNoChildren) "/" "Sent Mail"\r\n') as unknown as { attributes: string[]; mailbox: string };
    expect(imap.specialUseOf({ name: list.mailbox, attributes: list.attributes })).toBe('\\Sent');
    expect(imap.specialUseOf({ name: '[Gmail]/Spam', attributes: ['\\Spam'] })).toBe('\\Junk');
    expect(imap.specialUseOf({ name: '[Gmail]/All Mail', attributes: ['\\AllMail'] })).toBe('\\All');
    expect(imap.specialUseOf({ name: 'INBOX.Sent Items', delimiter: '.' })).toBe('\\Sent');
    expect(imap.specialUseOf({ name: 'Papierkorb', attributes: ['\\HasNoChildren'] })).toBe('\\Trash');
    expect(imap.specialUseOf({ name: 'Deleted Items' })).toBe('\\Trash');
    expect(imap.isSpecialUseAttribute('\\important')).toBe(true);
  });

  it('negative: INBOX, unknown names, and byName: false', () => {
    expect(imap.specialUseOf({ name: 'INBOX', attributes: [] })).toBeNull();
    expect(imap.specialUseOf({ name: 'Projects/2024', delimiter: '/' })).toBeNull();
    expect(imap.specialUseOf({ name: 'Sent' }, { byName: false })).toBeNull();
    expect(imap.isSpecialUseAttribute('\\Spam')).toBe(false);
  });
});

describe('sequence-set algebra (as net-imap has it)', () => {
  const s = (t: string) => (imap.SequenceSet.parse(t) as imap.SequenceSet);
  const str = (x: imap.SequenceSet | null) => (x === null ? null : x.toString());

  it('union, intersection, difference, complement with "*" above every number', () => {
    expect(str(imap.sequenceUnion(s('1:3,9'), s('4,7:8,2')))).toBe('1:4,7:9');
    expect(str(imap.sequenceIntersection(s('1:10,20:*'), s('5:25')))).toBe('5:10,20:25');
    expect(str(imap.sequenceIntersection(s('5:*'), s('*')))).toBe('*');
    expect(str(imap.sequenceDifference(s('1:10'), s('3,5:6')))).toBe('1:2,4,7:10');
    expect(str(imap.sequenceDifference(s('5:*'), s('*')))).toBe('5:4294967295');
    expect(str(imap.sequenceDifference(s('5:*'), s('1:4294967295')))).toBe('*');
    expect(str(imap.sequenceComplement(s('2:4,10:*')))).toBe('1,5:9');
    expect(imap.sequenceIsSubset(s('3:4'), s('1:5'))).toBe(true);
    expect(imap.sequenceEquals(s('3,1:2'), s('1:3'))).toBe(true);
    expect(imap.sequenceCount(s('1:3,5,9:*'), 10)).toBe(6);
  });

  it('negative: empty results are null; non-sets are refused', () => {
    expect(imap.sequenceIntersection(s('1:3'), s('4:5'))).toBeNull();
    expect(imap.sequenceDifference(s('2:3'), s('1:10'))).toBeNull();
    expect(imap.sequenceComplement(s('1:*'))).toBeNull();
    expect(() => imap.sequenceUnion('1:2' as never, s('1'))).toThrow(TypeError);
  });

  it('the algebra agrees with the numbers it stands for (1..50 and "*")', () => {
    const n = fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 50 }) }, { weight: 1, arbitrary: fc.constant(Number.POSITIVE_INFINITY) });
    const set = fc.array(fc.oneof(n, fc.tuple(n, n)), { minLength: 1, maxLength: 4 }).map((items) => imap.SequenceSet.from(items));
    const universe = [...Array.from({ length: 50 }, (_, i) => i + 1), Number.POSITIVE_INFINITY];
    const members = (x: imap.SequenceSet | null) => universe.filter((u) => x !== null && x.contains(u)).join(',');
    fc.assert(
      fc.property(set, set, (a, b) => {
        const inA = (u: number) => a.contains(u);
        const inB = (u: number) => b.contains(u);
        expect(members(imap.sequenceUnion(a, b))).toBe(universe.filter((u) => inA(u) || inB(u)).join(','));
        expect(members(imap.sequenceIntersection(a, b))).toBe(universe.filter((u) => inA(u) && inB(u)).join(','));
        expect(members(imap.sequenceDifference(a, b))).toBe(universe.filter((u) => inA(u) && !inB(u)).join(','));
      }),
      { numRuns: 500 },
    );
  });
});

describe('rfc3501 9 date-time and date from and to Date', () => {
  it('rfc3501 6.3.11 APPEND date-time " 7-Feb-1994 21:52:25 -0800"', () => {
    const d = new Date('1994-02-08T05:52:25Z');
    expect(imap.formatImapDateTime(d, -480)).toBe(' 7-Feb-1994 21:52:25 -0800');
    expect(imap.parseImapDateTime('" 7-Feb-1994 21:52:25 -0800"')).toEqual({ date: d, offsetMinutes: -480 });
    expect(imap.parseImapDateTime('07-feb-1994 21:52:25 -0800')).toEqual({ date: d, offsetMinutes: -480 });
    expect(imap.formatImapDateTime(d)).toBe(' 8-Feb-1994 05:52:25 +0000');
    expect(imap.formatImapDate(d)).toBe('8-Feb-1994');
    expect(imap.parseImapDate('1-Feb-1994')).toEqual(new Date('1994-02-01T00:00:00Z'));
  });

  it('format then parse returns the same instant, in any zone', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: -14 * 60, max: 14 * 60 }), (d, off) => {
        const whole = new Date(Math.floor(d.getTime() / 1000) * 1000);
        expect(imap.parseImapDateTime(imap.formatImapDateTime(whole, off))).toEqual({ date: whole, offsetMinutes: off });
      }),
    );
  });

  it('negative: a 30 February, a bad month, 24:00, a bad zone, an invalid Date', () => {
    for (const t of ['30-Feb-1994 10:00:00 +0000', ' 7-Foo-1994 21:52:25 -0800', '07-Feb-1994 24:00:00 +0000', '07-Feb-1994 10:00:00 +0060', '7-Feb-1994 10:00:00 +0000']) expect(imap.parseImapDateTime(t), t).toBeInstanceOf(ProtocolError);
    expect(imap.parseImapDate('31-Apr-2020')).toBeInstanceOf(ProtocolError);
    expect(() => imap.formatImapDateTime(new Date(Number.NaN))).toThrow(TypeError);
    expect(() => imap.formatImapDateTime(new Date(), 30.5)).toThrow(TypeError);
    // The encoder refuses an APPEND date that is not a date-time.
    expect(() => imap.encodeCommand({ tag: 'a', command: 'APPEND', mailbox: 'INBOX', messages: [{ flags: null, date: '30-Feb-1994 10:00:00 +0000', message: enc('x'), binary: false }] })).toThrow(TypeError);
  });
});

describe('the command table drives the state rules and the arbitraries', () => {
  it('commandAllowedIn follows RFC 9051 6 (and the extension RFCs for the new commands)', () => {
    expect(imap.commandAllowedIn('LOGIN', 'not-authenticated')).toBe(true);
    expect(imap.commandAllowedIn('LOGIN', 'authenticated')).toBe(false);
    expect(imap.commandAllowedIn('FETCH', 'authenticated')).toBe(false);
    expect(imap.commandAllowedIn('UID EXPUNGE', 'selected')).toBe(true);
    expect(imap.commandAllowedIn('REPLACE', 'selected')).toBe(true);
    expect(imap.commandAllowedIn('REPLACE', 'authenticated')).toBe(false);
    expect(imap.commandAllowedIn('NOTIFY', 'authenticated')).toBe(true);
    expect(imap.commandAllowedIn('UNKNOWN', 'not-authenticated')).toBe(true);
    expect(imap.commandAllowedIn('NOOP', 'logout')).toBe(false);
  });

  it('the command arbitrary generates every kind of the table, and commandIn(state) only what the state allows', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(arb.command(), (c) => void seen.add(c.command === 'UID EXPUNGE' ? 'EXPUNGE' : c.command)),
      { numRuns: 3000 },
    );
    for (const name of Object.keys(imap.COMMANDS)) expect(seen, name).toContain(name);
    fc.assert(fc.property(arb.commandIn('not-authenticated'), (c) => void expect(imap.commandAllowedIn(c.command, 'not-authenticated')).toBe(true)), { numRuns: 100 });
  });
});
