import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ProtocolError, imap } from '../../src/index';
import { bytewise, concat, dec, enc, splitAt } from '../helpers/bytes';

const parse = (s: string, o?: imap.ReadResponseOptions) => {
  const r = imap.parseResponse(s, o);
  if (r instanceof ProtocolError) throw new Error(`${s}: ${r.message}`);
  return r;
};

describe('rfc3501 7.1 status responses and response codes', () => {
  it('tagged, untagged and continuation', () => {
    expect(parse('A023 OK LOGOUT completed')).toEqual({ type: 'tagged', tag: 'A023', status: 'OK', code: null, text: 'LOGOUT completed' });
    expect(parse('* BYE IMAP4rev1 Server logging out')).toEqual({ type: 'untagged', kind: 'BYE', code: null, text: 'IMAP4rev1 Server logging out' });
    expect(parse('+ Ready for additional command text')).toEqual({ type: 'continuation', code: null, text: 'Ready for additional command text' });
    expect(parse('+ ')).toEqual({ type: 'continuation', code: null, text: '' });
    expect(parse('+')).toEqual({ type: 'continuation', code: null, text: '' });
    expect(parse('* PREAUTH IMAP4rev1 server logged in as Smith')).toMatchObject({ kind: 'PREAUTH' });
  });

  it('codes: UNSEEN, PERMANENTFLAGS with \\*, UIDVALIDITY, CAPABILITY, HIGHESTMODSEQ, unknown kept', () => {
    expect(parse('* OK [UNSEEN 12] Message 12 is first unseen')).toMatchObject({ kind: 'OK', code: { name: 'UNSEEN', number: 12 }, text: 'Message 12 is first unseen' });
    expect(parse('* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited')).toMatchObject({ code: { name: 'PERMANENTFLAGS', list: ['\\Deleted', '\\Seen', '\\*'] } });
    expect(parse('* OK [UIDVALIDITY 3857529045] UIDs valid')).toMatchObject({ code: { name: 'UIDVALIDITY', number: 3857529045 } });
    expect(parse('* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR] ready')).toMatchObject({ code: { name: 'CAPABILITY', list: ['IMAP4rev1', 'LITERAL+', 'SASL-IR'] } });
    expect(parse('* OK [HIGHESTMODSEQ 715194045007] Highest')).toMatchObject({ code: { name: 'HIGHESTMODSEQ', modseq: 715194045007n } });
    expect(parse('A003 OK [READ-WRITE] SELECT completed')).toMatchObject({ code: { name: 'READ-WRITE', raw: '' } });
    expect(parse('A1 NO [X-WEIRD some thing (a b)] nope')).toMatchObject({ code: { name: 'X-WEIRD', raw: 'some thing (a b)' }, text: 'nope' });
    expect(parse('A1 NO [AUTHENTICATIONFAILED] Authentication failed.')).toMatchObject({ status: 'NO', code: { name: 'AUTHENTICATIONFAILED' } });
  });

  it('rfc4315 APPENDUID and COPYUID carry sequence sets', () => {
    const a = parse('A003 OK [APPENDUID 38505 3955] APPEND completed') as imap.TaggedResponse;
    expect(a.code?.uidValidity).toBe(38505);
    expect(a.code?.uids?.toString()).toBe('3955');
    const c = parse('A004 OK [COPYUID 38505 304,319:320 3956:3958] Done') as imap.TaggedResponse;
    expect(c.code?.sourceUids?.toArray(1000)).toEqual([304, 319, 320]);
    expect(c.code?.uids?.toArray(5000)).toEqual([3956, 3957, 3958]);
  });

  it('rfc3501 9: a tag may hold "]"; a "+" makes it no tag', () => {
    expect(parse('a]1 OK [READ-ONLY] done')).toEqual({ type: 'tagged', tag: 'a]1', status: 'OK', code: { name: 'READ-ONLY', raw: '' }, text: 'done' });
    expect(imap.parseResponse('a+1 OK done')).toBeInstanceOf(ProtocolError);
    expect(imap.isValidTag('a]1')).toBe(true);
    expect(imap.isValidTag('a+1')).toBe(false);
  });

  it('errors: not a response', () => {
    expect(imap.parseResponse('A1 MAYBE done')).toBeInstanceOf(ProtocolError);
    expect(imap.parseResponse('')).toBeInstanceOf(ProtocolError);
    expect(imap.parseResponse('* 12 FETCH (FLAGS')).toBeInstanceOf(ProtocolError);
  });
});

describe('rfc3501 7.2-7.3 server and mailbox data', () => {
  it('CAPABILITY, FLAGS, LIST with NIL delimiter and modified UTF-7, STATUS, SEARCH, EXISTS/RECENT/EXPUNGE', () => {
    expect(parse('* CAPABILITY IMAP4rev1 STARTTLS AUTH=GSSAPI LOGINDISABLED')).toEqual({ type: 'untagged', kind: 'CAPABILITY', capabilities: ['IMAP4rev1', 'STARTTLS', 'AUTH=GSSAPI', 'LOGINDISABLED'] });
    expect(parse('* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)')).toMatchObject({ kind: 'FLAGS', flags: ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'] });
    expect(parse('* LIST (\\Noselect) "/" ~/Mail/foo')).toMatchObject({ kind: 'LIST', attributes: ['\\Noselect'], delimiter: '/', mailbox: '~/Mail/foo' });
    expect(parse('* LIST () NIL inbox')).toMatchObject({ delimiter: null, mailbox: 'INBOX' });
    expect(parse('* LIST (\\HasNoChildren) "/" "~peter/mail/&U,BTFw-/&ZeVnLIqe-"')).toMatchObject({ mailbox: '~peter/mail/台北/日本語' });
    expect(parse('* LIST (\\HasNoChildren) "/" "Caf\xc3\xa9"'.replace('\xc3\xa9', 'é'), { utf8Accept: true })).toMatchObject({ mailbox: 'Café' });
    expect(parse('* LIST (\\Subscribed) "/" "Foo" ("CHILDINFO" ("SUBSCRIBED"))')).toMatchObject({ extended: { CHILDINFO: ['SUBSCRIBED'] } });
    expect(parse('* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292 HIGHESTMODSEQ 7011231777)')).toMatchObject({ kind: 'STATUS', mailbox: 'blurdybloop', attributes: { MESSAGES: 231, UIDNEXT: 44292, HIGHESTMODSEQ: 7011231777n } });
    expect(parse('* SEARCH 2 3 6')).toEqual({ type: 'untagged', kind: 'SEARCH', numbers: [2, 3, 6], modseq: null });
    expect(parse('* SEARCH')).toMatchObject({ numbers: [] });
    expect(parse('* SEARCH 2 5 6 7 11 12 18 19 20 23 (MODSEQ 917162500)')).toMatchObject({ modseq: 917162500n });
    expect(parse('* 23 EXISTS')).toEqual({ type: 'untagged', kind: 'EXISTS', number: 23 });
    expect(parse('* 5 RECENT')).toMatchObject({ kind: 'RECENT', number: 5 });
    expect(parse('* 44 EXPUNGE')).toMatchObject({ kind: 'EXPUNGE', number: 44 });
  });

  it('rfc4731 ESEARCH, rfc5256 THREAD, rfc7162 VANISHED, rfc2342 NAMESPACE, rfc9208 QUOTA, rfc2971 ID, unknown kept', () => {
    const e = parse('* ESEARCH (TAG "A285") UID MIN 7 MAX 3800 COUNT 15 ALL 4:18,21') as imap.UntaggedResponse & { kind: 'ESEARCH' };
    expect(e).toMatchObject({ tag: 'A285', uid: true, results: { MIN: 7, MAX: 3800, COUNT: 15 } });
    expect((e.results.ALL as imap.SequenceSet).toString()).toBe('4:18,21');
    expect(parse('* THREAD (2)(3 6 (4 23)(44 7 96))')).toMatchObject({ threads: [[2], [3, 6, [4, 23], [44, 7, 96]]] });
    const v = parse('* VANISHED (EARLIER) 300:310,405,411') as imap.UntaggedResponse & { kind: 'VANISHED' };
    expect(v.earlier).toBe(true);
    expect(v.uids.toString()).toBe('300:310,405,411');
    expect(parse('* NAMESPACE (("" "/")) (("~" "/")) NIL')).toMatchObject({ personal: [{ prefix: '', delimiter: '/' }], otherUsers: [{ prefix: '~', delimiter: '/' }], shared: null });
    expect(parse('* QUOTA "" (STORAGE 10 512)')).toMatchObject({ root: '', resources: [{ name: 'STORAGE', usage: 10, limit: 512 }] });
    expect(parse('* QUOTAROOT INBOX ""')).toMatchObject({ mailbox: 'INBOX', roots: [''] });
    expect(parse('* ID ("name" "Cyrus" "version" "1.5" "os" NIL)')).toMatchObject({ params: { name: 'Cyrus', version: '1.5', os: null } });
    expect(parse('* ID NIL')).toMatchObject({ params: null });
    expect(parse('* XSTRANGE whatever (we) "get"')).toEqual({ type: 'untagged', kind: 'UNKNOWN', name: 'XSTRANGE', text: 'whatever (we) "get"' });
  });
});

const RFC3501_FETCH =
  '* 12 FETCH (FLAGS (\\Seen) INTERNALDATE "17-Jul-1996 02:44:25 -0700" RFC822.SIZE 4286 ENVELOPE ("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)" "IMAP4rev1 WG mtg summary and minutes" (("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" "cac.washington.edu")) ((NIL NIL "imap" "cac.washington.edu")) ((NIL NIL "minutes" "CNRI.Reston.VA.US")("John Klensin" NIL "KLENSIN" "MIT.EDU")) NIL NIL "<B27397-0100000@cac.washington.edu>") BODY ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3028 92))';

describe('rfc3501 7.4.2 FETCH', () => {
  it('the RFC example: flags, INTERNALDATE as Date and text, size, ENVELOPE, BODY', () => {
    const r = parse(RFC3501_FETCH) as imap.UntaggedResponse & { kind: 'FETCH' };
    const a = r.attributes;
    expect(r.seq).toBe(12);
    expect(a.flags).toEqual(['\\Seen']);
    expect(a.internalDateText).toBe('17-Jul-1996 02:44:25 -0700');
    expect(a.internalDate?.toISOString()).toBe('1996-07-17T09:44:25.000Z');
    expect(a.rfc822Size).toBe(4286);
    expect(a.envelope?.subject).toBe('IMAP4rev1 WG mtg summary and minutes');
    expect(a.envelope?.from).toEqual([{ name: 'Terry Gray', adl: null, mailbox: 'gray', host: 'cac.washington.edu' }]);
    expect(imap.resolveAddresses(a.envelope!.cc)).toEqual([
      { name: null, address: 'minutes@CNRI.Reston.VA.US' },
      { name: 'John Klensin', address: 'KLENSIN@MIT.EDU' },
    ]);
    expect(a.envelope?.messageId).toBe('<B27397-0100000@cac.washington.edu>');
    expect(a.bodyStructure).toEqual({ kind: 'single', part: '1', type: 'TEXT', subtype: 'PLAIN', params: { CHARSET: 'US-ASCII' }, id: null, description: null, encoding: '7BIT', size: 3028, lines: 92 });
  });

  it('rfc3501 multipart BODYSTRUCTURE with part numbers and extension data', () => {
    const r = parse(
      '* 1 FETCH (UID 7 BODYSTRUCTURE (("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 1152 23 NIL NIL NIL NIL)("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 342 (NIL "fwd" NIL NIL NIL NIL NIL NIL NIL NIL) (("TEXT" "PLAIN" NIL NIL NIL "7BIT" 10 1)("IMAGE" "PNG" ("NAME" "a.png") NIL NIL "BASE64" 200) "MIXED") 12)("APPLICATION" "OCTET-STREAM" ("NAME" "cc.diff") "<960723163407.20117h@cac.washington.edu>" "Compiler diff" "BASE64" 4554 NIL ("attachment" ("filename" "cc.diff")) NIL) "MIXED" ("BOUNDARY" "x") NIL NIL))',
    ) as imap.UntaggedResponse & { kind: 'FETCH' };
    const b = r.attributes.bodyStructure as imap.MultiPart;
    expect(b.kind).toBe('multipart');
    expect(b.subtype).toBe('MIXED');
    expect(b.params).toEqual({ BOUNDARY: 'x' });
    expect(b.parts.map((p) => p.part)).toEqual(['1', '2', '3']);
    const fwd = b.parts[1] as imap.SinglePart;
    expect(fwd.envelope?.subject).toBe('fwd');
    expect((fwd.body as imap.MultiPart).parts.map((p) => p.part)).toEqual(['2.1', '2.2']);
    expect(fwd.lines).toBe(12);
    expect((b.parts[2] as imap.SinglePart).disposition).toEqual({ type: 'ATTACHMENT', params: { FILENAME: 'cc.diff' } });
  });

  it('real servers: NIL for strings (gmail: NIL in body-fld-param), lower-case types, missing extension fields', () => {
    const r = parse('* 3 FETCH (BODYSTRUCTURE ("text" "html" NIL NIL NIL "quoted-printable" 512 10))') as imap.UntaggedResponse & { kind: 'FETCH' };
    expect(r.attributes.bodyStructure).toMatchObject({ type: 'TEXT', subtype: 'HTML', params: {}, encoding: 'QUOTED-PRINTABLE', lines: 10 });
  });

  it('body sections with literals, partial origin, BINARY.SIZE, MODSEQ, Gmail attributes, unknown kept', () => {
    const r = parse('* 2 FETCH (BODY[HEADER.FIELDS (SUBJECT FROM)] {21}\r\nSubject: x\r\nFrom: y\r\n BODY[]<0> "abc" BINARY.SIZE[1] 42 MODSEQ (12121231000) X-GM-MSGID 1278455344230334865 X-GM-LABELS (\\Inbox "&AMk-t&AOk-") X-UNKNOWN 5)') as imap.UntaggedResponse & { kind: 'FETCH' };
    const a = r.attributes;
    expect(a.sections?.map((s) => [s.name, s.section, s.origin, dec(s.data as Uint8Array)])).toEqual([
      ['BODY[HEADER.FIELDS (SUBJECT FROM)]', 'HEADER.FIELDS (SUBJECT FROM)', null, 'Subject: x\r\nFrom: y\r\n'],
      ['BODY[]<0>', '', 0, 'abc'],
    ]);
    expect(a.binarySizes).toEqual({ '1': 42 });
    expect(a.modseq).toBe(12121231000n);
    expect(a.gmailMessageId).toBe(1278455344230334865n);
    expect(a.gmailLabels).toEqual(['\\Inbox', 'Été']);
    expect(a.other).toHaveProperty('X-UNKNOWN');
  });
});

describe('imap.ResponseParser streaming', () => {
  const wire = enc(`* OK [CAPABILITY IMAP4rev1] ready\r\n${RFC3501_FETCH}\r\n* 3 FETCH (UID 9 BODY[] {11}\r\nhello\r\nworld)\r\n+ go on\r\nA1 OK done\r\n`);
  const run = (chunks: Uint8Array[], opts?: imap.ResponseParserOptions) => {
    const p = new imap.ResponseParser(opts);
    const items = chunks.flatMap((c) => p.push(c));
    items.push(...p.end());
    return items.map((i) => (i.type === 'literal-chunk' ? { ...i, chunk: dec(i.chunk) } : i));
  };

  it('the same responses for every split, 1-byte chunks too', () => {
    const whole = run([wire]);
    expect(whole.map((r) => r.type)).toEqual(['untagged', 'untagged', 'untagged', 'continuation', 'tagged']);
    for (let i = 1; i < wire.length; i += 3) expect(run(splitAt(wire, [i]))).toEqual(whole);
    expect(run(bytewise(wire))).toEqual(whole);
  });

  it('literals above the threshold stream as chunks tagged with seq and item; the response holds a marker', () => {
    const body = 'x'.repeat(5000);
    const w = enc(`* 7 FETCH (UID 1 BODY[] {5000}\r\n${body} FLAGS (\\Seen))\r\nA2 OK\r\n`);
    const items = run(splitAt(w, [30, 100, 2000, 4000]), { literalThreshold: 1024 });
    const chunks = items.filter((i) => i.type === 'literal-chunk') as unknown as { seq: number; item: string; chunk: string }[];
    expect(chunks.map((c) => c.chunk).join('')).toBe(body);
    expect(chunks.every((c) => c.seq === 7 && c.item === 'BODY[]')).toBe(true);
    const fetch = items.find((i) => i.type === 'untagged') as imap.UntaggedResponse & { kind: 'FETCH' };
    expect(fetch.attributes.sections?.[0]?.data).toEqual({ kind: 'streamed', size: 5000, binary: false });
    expect(fetch.attributes.flags).toEqual(['\\Seen']);
    expect(items.findIndex((i) => i.type === 'literal-end')).toBeLessThan(items.indexOf(fetch as never));
  });

  it('bad input is an error item and the next response parses; an oversized literal is skipped', () => {
    const items = run([enc('* 1 FETCH (FLAGS\r\nA1 OK fine\r\n* 2 FETCH (BODY[] {10}\r\n0123456789)\r\nA2 OK after\r\n')], { maxLiteralSize: 5 });
    expect(items.map((i) => (i.type === 'error' ? i.error.code : i.type))).toEqual(['SYNTAX', 'tagged', 'LITERAL_TOO_LARGE', 'tagged']);
  });

  it('deep nesting is TOO_DEEP, not a stack overflow', () => {
    const items = run([enc(`* 1 FETCH (X ${'('.repeat(100000)}${')'.repeat(100000)})\r\nA1 OK\r\n`)]);
    expect(items.map((i) => (i.type === 'error' ? i.error.code : i.type))).toEqual(['TOO_DEEP', 'tagged']);
  });

  it('a literal announcement of 2^64 octets is refused without waiting for it', () => {
    const items = run([enc('* 1 FETCH (BODY[] {18446744073709551616}\r\nA1 OK\r\n')]);
    expect(items[0]).toMatchObject({ type: 'error', error: { code: 'LITERAL_TOO_LARGE' } });
  });

  it('arbitrary bytes never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(300), { maxLength: 4 }), (b, cuts) => {
        const whole = run([b]);
        expect(run(splitAt(b, cuts))).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });
  void concat;
});

describe('rfc3501 9 sequence sets', () => {
  it('parse, encode, normalise, contains, iterate; reversed ranges and *', () => {
    const s = (imap.SequenceSet.parse('9:2,15,20:*') as imap.SequenceSet);
    expect(s.toString()).toBe('9:2,15,20:*');
    expect(s.normalize().toString()).toBe('2:9,15,20:*');
    expect(s.contains(5)).toBe(true);
    expect(s.contains(12)).toBe(false);
    expect(s.contains(1000)).toBe(true);
    expect(s.toArray(22)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 15, 20, 21, 22]);
    expect([...(imap.SequenceSet.parse('3:1') as imap.SequenceSet).values(10)]).toEqual([3, 2, 1]);
    expect((imap.SequenceSet.parse('1,2,3,5:7') as imap.SequenceSet).normalize().toString()).toBe('1:3,5:7');
    for (const bad of ['', '0', '1:', ':2', '1,,2', 'a', '1:2:3', '4294967296']) expect(imap.SequenceSet.parse(bad), bad).toMatchObject({ code: 'SYNTAX' });
    expect(() => (imap.SequenceSet.parse('1:*') as imap.SequenceSet).toArray(10_000_000)).toThrow(RangeError);
  });

  it('round trip and normalised membership agree', () => {
    const range = fc.tuple(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 50 }));
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 1, max: 50 }), range), { minLength: 1, maxLength: 6 }), (items) => {
        const s = imap.SequenceSet.from(items);
        expect((imap.SequenceSet.parse(s.toString()) as imap.SequenceSet).ranges).toEqual(s.ranges);
        for (let n = 1; n <= 51; n++) expect(s.normalize().contains(n)).toBe(s.contains(n));
      }),
    );
  });
});

describe('rfc3501 5.1.3 modified UTF-7 mailbox names', () => {
  it('the RFC example, "&", and round trips', () => {
    expect(imap.encodeMailboxName('~peter/mail/台北/日本語')).toBe('~peter/mail/&U,BTFw-/&ZeVnLIqe-');
    expect(imap.decodeMailboxName('~peter/mail/&U,BTFw-/&ZeVnLIqe-')).toBe('~peter/mail/台北/日本語');
    expect(imap.encodeMailboxName('Tom & Jerry')).toBe('Tom &- Jerry');
    expect(imap.decodeMailboxName('Tom &- Jerry')).toBe('Tom & Jerry');
    expect(imap.encodeMailboxName('Входящие')).toBe('&BBIERQQ+BDQETwRJBDgENQ-');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), (s) => {
        expect(imap.decodeMailboxName(imap.encodeMailboxName(s))).toBe(s);
      }),
    );
  });

  it('malformed names throw', () => {
    for (const bad of ['&U,BTFw', '&!!-', 'caf\u00e9', '&AGE-', '&U,BTF-']) expect(() => imap.decodeMailboxName(bad), bad).toThrow(TypeError);
  });
});
