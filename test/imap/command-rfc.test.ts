// The command examples of RFC 3501 section 6 (and section 8's session), RFC 9051 section 6 and
// the extension RFCs, parsed; re-encoded byte for byte where the RFC writes the form mailwire
// writes (atoms bare, strings quoted, FETCH items in parentheses), and otherwise re-parsed to
// the same value.
import { describe, expect, it } from 'vitest';
import { ProtocolError, imap } from '../../src/index';
import { concat, dec, enc } from '../helpers/bytes';

const parse = (s: string | Uint8Array): imap.Command => {
  const c = imap.parseCommand(s);
  if (c instanceof ProtocolError) throw new Error(`${typeof s === 'string' ? s : dec(s)}: ${c.message}`);
  return c;
};
const wire = (c: imap.Command, o?: imap.EncodeCommandOptions) => concat(imap.encodeCommand(c, o).map((f) => f.data));
/** The RFC's line re-encodes to the same bytes. */
const same = (line: string, o?: imap.EncodeCommandOptions): imap.Command => {
  const c = parse(`${line}\r\n`);
  expect(dec(wire(c, o))).toBe(`${line}\r\n`);
  return c;
};
/** The RFC's line re-encodes to bytes that parse to the same value. */
const equiv = (line: string): imap.Command => {
  const c = parse(`${line}\r\n`);
  expect(parse(wire(c))).toEqual(c);
  return c;
};
const set = (s: string) => (imap.SequenceSet.parse(s) as imap.SequenceSet);

const RFC3501_MESSAGE =
  'Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)\r\nFrom: Fred Foobar <foobar@Blurdybloop.COM>\r\nSubject: afternoon meeting\r\nTo: mooch@owatagu.siam.edu\r\nMessage-Id: <B27397-0100000@Blurdybloop.COM>\r\nMIME-Version: 1.0\r\nContent-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\r\nHello Joe, do you think we can meet at 3:30 tomorrow?\r\n';

describe('rfc3501 6 command examples', () => {
  it('6.1 any state: CAPABILITY, NOOP, LOGOUT', () => {
    expect(same('a441 CAPABILITY')).toEqual({ tag: 'a441', command: 'CAPABILITY' });
    same('a002 NOOP');
    same('a047 NOOP');
    same('A023 LOGOUT');
  });

  it('6.2 not authenticated: STARTTLS, AUTHENTICATE, LOGIN', () => {
    same('a002 STARTTLS');
    expect(same('A001 AUTHENTICATE GSSAPI')).toEqual({ tag: 'A001', command: 'AUTHENTICATE', mechanism: 'GSSAPI', initialResponse: null });
    expect(same('a004 LOGIN joe password')).toEqual({ tag: 'a004', command: 'LOGIN', user: 'joe', password: 'password' });
    same('a001 LOGIN SMITH SESAME');
  });

  it('6.3.1-6.3.7 SELECT, EXAMINE, CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE', () => {
    expect(same('A142 SELECT INBOX')).toEqual({ tag: 'A142', command: 'SELECT', mailbox: 'INBOX' });
    expect(same('A932 EXAMINE blurdybloop')).toEqual({ tag: 'A932', command: 'EXAMINE', mailbox: 'blurdybloop' });
    expect(same('A003 CREATE owatagusiam/')).toEqual({ tag: 'A003', command: 'CREATE', mailbox: 'owatagusiam/' });
    same('A004 CREATE owatagusiam/blurdybloop');
    for (const l of ['A683 DELETE blurdybloop', 'A684 DELETE foo', 'A685 DELETE foo/bar', 'A687 DELETE foo', 'A83 DELETE blurdybloop']) same(l);
    same('A84 SELECT blurdybloop');
    for (const l of ['A682 LIST "" *', 'A686 LIST "" *', 'A82 LIST "" *', 'A85 LIST "" *']) same(l);
    expect(same('A683 RENAME blurdybloop sarasota')).toEqual({ tag: 'A683', command: 'RENAME', from: 'blurdybloop', to: 'sarasota' });
    same('A684 RENAME foo zowie');
    expect(same('A002 SUBSCRIBE #news.comp.mail.mime')).toEqual({ tag: 'A002', command: 'SUBSCRIBE', mailbox: '#news.comp.mail.mime' });
    same('A002 UNSUBSCRIBE #news.comp.mail.mime');
  });

  it('6.3.8-6.3.10 LIST, LSUB, STATUS', () => {
    expect(same('A101 LIST "" ""')).toEqual({ tag: 'A101', command: 'LIST', reference: '', pattern: '' });
    same('A102 LIST #news.comp.mail.misc ""');
    same('A103 LIST /usr/staff/jones ""');
    expect(same('A202 LIST ~/Mail/ %')).toEqual({ tag: 'A202', command: 'LIST', reference: '~/Mail/', pattern: '%' });
    expect(equiv('A002 LSUB "#news." "comp.mail.*"')).toEqual({ tag: 'A002', command: 'LSUB', reference: '#news.', pattern: 'comp.mail.*' });
    equiv('A003 LSUB "#news." "comp.%"');
    expect(same('A042 STATUS blurdybloop (UIDNEXT MESSAGES)')).toEqual({ tag: 'A042', command: 'STATUS', mailbox: 'blurdybloop', items: ['UIDNEXT', 'MESSAGES'] });
  });

  it('6.3.11 APPEND: a synchronizing literal, sent after the "+"', () => {
    expect(RFC3501_MESSAGE.length).toBe(310);
    const bytes = enc(`A003 APPEND saved-messages (\\Seen) {310}\r\n${RFC3501_MESSAGE}\r\n`);
    const c = parse(bytes);
    expect(c).toEqual({ tag: 'A003', command: 'APPEND', mailbox: 'saved-messages', messages: [{ flags: ['\\Seen'], date: null, message: enc(RFC3501_MESSAGE), binary: false }] });
    const frags = imap.encodeCommand(c);
    expect(frags.map((f) => [dec(f.data), f.waitForContinuation])).toEqual([
      ['A003 APPEND saved-messages (\\Seen) {310}\r\n', true],
      [`${RFC3501_MESSAGE}\r\n`, false],
    ]);
  });

  it('6.4.1-6.4.3 CHECK, CLOSE, EXPUNGE', () => {
    same('FXXZ CHECK');
    same('A341 CLOSE');
    same('A202 EXPUNGE');
  });

  it('6.4.4 SEARCH: keys ANDed, NOT, a quoted string, CHARSET with a literal', () => {
    expect(same('A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"')).toEqual({
      tag: 'A282',
      command: 'SEARCH',
      uid: false,
      charset: null,
      criteria: [{ key: 'FLAGGED' }, { key: 'SINCE', date: '1-Feb-1994' }, { key: 'NOT', criterion: { key: 'FROM', value: 'Smith' } }],
    });
    expect(same('A283 SEARCH TEXT "string not in mailbox"')).toMatchObject({ criteria: [{ key: 'TEXT', value: 'string not in mailbox' }] });
    const c = parse(enc('A284 SEARCH CHARSET UTF-8 TEXT {6}\r\nXXXXXX\r\n'));
    expect(c).toEqual({ tag: 'A284', command: 'SEARCH', uid: false, charset: 'UTF-8', criteria: [{ key: 'TEXT', value: 'XXXXXX' }] });
    // Printable ASCII needs no literal: the encoder quotes it.
    expect(dec(wire(c))).toBe('A284 SEARCH CHARSET UTF-8 TEXT "XXXXXX"\r\n');
  });

  it('6.4.5-6.4.8 FETCH, STORE, COPY, UID', () => {
    expect(same('A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])')).toEqual({
      tag: 'A654',
      command: 'FETCH',
      uid: false,
      set: set('2:4'),
      items: [{ item: 'FLAGS' }, { item: 'BODY[]', peek: false, section: { part: [], text: 'HEADER.FIELDS', fields: ['DATE', 'FROM'] }, partial: null }],
    });
    expect(same('A003 STORE 2:4 +FLAGS (\\Deleted)')).toEqual({ tag: 'A003', command: 'STORE', uid: false, set: set('2:4'), operation: 'add', silent: false, flags: ['\\Deleted'], unchangedSince: null });
    expect(same('A003 COPY 2:4 MEETING')).toEqual({ tag: 'A003', command: 'COPY', uid: false, set: set('2:4'), mailbox: 'MEETING' });
    const u = equiv('A999 UID FETCH 4827313:4828442 FLAGS');
    expect(u).toEqual({ tag: 'A999', command: 'FETCH', uid: true, set: set('4827313:4828442'), items: [{ item: 'FLAGS' }] });
    expect(dec(wire(u))).toBe('A999 UID FETCH 4827313:4828442 (FLAGS)\r\n');
  });

  it('6.5.1 X<atom>: an unknown command is kept raw', () => {
    expect(same('A442 XPIG-LATIN')).toEqual({ tag: 'A442', command: 'UNKNOWN', name: 'XPIG-LATIN', text: '' });
  });

  it('8 sample session: lower-case commands, the FULL macro, a bare flag', () => {
    expect(equiv('a001 login mrc secret')).toEqual({ tag: 'a001', command: 'LOGIN', user: 'mrc', password: 'secret' });
    expect(equiv('a002 select inbox')).toEqual({ tag: 'a002', command: 'SELECT', mailbox: 'INBOX' });
    const full = equiv('a003 fetch 12 full');
    expect(full).toMatchObject({ items: [{ item: 'FULL' }] });
    expect(dec(wire(full))).toBe('a003 FETCH 12 FULL\r\n');
    expect(equiv('a004 fetch 12 body[header]')).toMatchObject({ items: [{ item: 'BODY[]', peek: false, section: { part: [], text: 'HEADER', fields: [] }, partial: null }] });
    expect(equiv('a005 store 12 +flags \\deleted')).toMatchObject({ operation: 'add', flags: ['\\deleted'] });
    equiv('a006 logout');
  });
});

describe('rfc9051 6 command examples (IMAP4rev2)', () => {
  it('6.3.1 ENABLE, 6.3.10 NAMESPACE, 6.3.13 IDLE, 6.4.2 UNSELECT', () => {
    expect(same('t2 ENABLE CONDSTORE X-GOOD-IDEA')).toEqual({ tag: 't2', command: 'ENABLE', capabilities: ['CONDSTORE', 'X-GOOD-IDEA'] });
    same('A001 NAMESPACE');
    same('A001 IDLE');
    same('A342 UNSELECT');
  });

  it('6.4.4 SEARCH with RETURN (ESEARCH) and a UTF-8 literal, synchronizing or LITERAL+', () => {
    expect(same('A282 SEARCH RETURN (MIN COUNT) FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"')).toMatchObject({ returnOptions: ['MIN', 'COUNT'], charset: null });
    expect(same('A283 SEARCH RETURN () FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"')).toMatchObject({ returnOptions: [] });
    same('A284 SEARCH TEXT "string not in mailbox"');
    const text = 'Хорошо';
    expect(enc(text).length).toBe(12);
    const c = parse(enc(`A285 SEARCH CHARSET UTF-8 TEXT {12}\r\n${text}\r\n`));
    expect(c).toMatchObject({ charset: 'UTF-8', criteria: [{ key: 'TEXT', value: text }] });
    expect(imap.encodeCommand(c).map((f) => [dec(f.data), f.waitForContinuation])).toEqual([
      ['A285 SEARCH CHARSET UTF-8 TEXT {12}\r\n', true],
      [`${text}\r\n`, false],
    ]);
    const plus = parse(enc(`A286 SEARCH CHARSET UTF-8 TEXT {12+}\r\n${text}\r\n`));
    expect(dec(wire(plus, { literalPlus: true }))).toBe(`A286 SEARCH CHARSET UTF-8 TEXT {12+}\r\n${text}\r\n`);
  });

  it('6.4.4.1 / rfc5182 SEARCHRES: RETURN (SAVE) and "$" as a sequence set', () => {
    expect(same('A282 SEARCH RETURN (SAVE) FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"')).toMatchObject({ returnOptions: ['SAVE'] });
    expect(same('A283 FETCH $ (UID INTERNALDATE FLAGS RFC822.SIZE)')).toMatchObject({ set: '$', items: [{ item: 'UID' }, { item: 'INTERNALDATE' }, { item: 'FLAGS' }, { item: 'RFC822.SIZE' }] });
    expect(same('A284 UID SEARCH UID $ SMALLER 4096')).toMatchObject({ uid: true, criteria: [{ key: 'UID', set: '$' }, { key: 'SMALLER', value: 4096 }] });
    expect(same('A285 SEARCH OR $ 1:10 SENTBEFORE 1-Feb-1994')).toMatchObject({ criteria: [{ key: 'OR', left: { key: 'SEQUENCE', set: '$' }, right: { key: 'SEQUENCE', set: set('1:10') } }, { key: 'SENTBEFORE' }] });
    same('A286 UID COPY $ "Other Messages"');
    same('A287 STORE $ +FLAGS.SILENT (\\Deleted)');
  });

  it('6.4.8 MOVE and 6.4.9 UID EXPUNGE', () => {
    expect(same('a UID MOVE 42:69 foo')).toEqual({ tag: 'a', command: 'MOVE', uid: true, set: set('42:69'), mailbox: 'foo' });
    expect(same('A003 UID EXPUNGE 3000:3002')).toEqual({ tag: 'A003', command: 'UID EXPUNGE', set: set('3000:3002') });
  });

  it('6.4.5 FETCH BINARY (rfc3516): sections, partials, BINARY.SIZE', () => {
    expect(same('A5 FETCH 3 (BINARY.PEEK[1.2]<0.1024> BINARY.SIZE[1] BINARY[])')).toMatchObject({
      items: [
        { item: 'BINARY[]', peek: true, part: [1, 2], partial: { offset: 0, length: 1024 } },
        { item: 'BINARY.SIZE', part: [1] },
        { item: 'BINARY[]', peek: false, part: [], partial: null },
      ],
    });
    same('A6 FETCH 1 (BODY.PEEK[4.2.HEADER.FIELDS.NOT (Received X-Spam)]<100.200> BODY[3.MIME] BODY[1.TEXT] BODYSTRUCTURE ENVELOPE)');
  });
});

describe('extension command examples', () => {
  it('rfc7162 3.1 CONDSTORE: SELECT parameter, CHANGEDSINCE, UNCHANGEDSINCE, MODSEQ search with an entry', () => {
    expect(same('a103 SELECT INBOX (CONDSTORE)')).toEqual({ tag: 'a103', command: 'SELECT', mailbox: 'INBOX', condstore: true });
    expect(same('s100 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 12345)')).toEqual({ tag: 's100', command: 'FETCH', uid: true, set: set('1:*'), items: [{ item: 'FLAGS' }], changedSince: 12345n });
    expect(same('d105 STORE 7,5,9 (UNCHANGEDSINCE 320162338) +FLAGS.SILENT (\\Deleted)')).toMatchObject({ unchangedSince: 320162338n, silent: true });
    expect(same('a SEARCH MODSEQ "/flags/\\\\draft" all 620162338')).toMatchObject({ criteria: [{ key: 'MODSEQ', modseq: 620162338n, entry: { name: '/flags/\\draft', type: 'all' } }] });
    expect(same('t SEARCH OR NOT MODSEQ 720162338 LARGER 50000')).toMatchObject({
      criteria: [{ key: 'OR', left: { key: 'NOT', criterion: { key: 'MODSEQ', modseq: 720162338n, entry: null } }, right: { key: 'LARGER', value: 50000 } }],
    });
  });

  it('rfc7162 3.2 QRESYNC: ENABLE, SELECT with known UIDs and seq-match data, FETCH VANISHED', () => {
    same('A01 ENABLE QRESYNC');
    expect(same('A02 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))')).toEqual({
      tag: 'A02',
      command: 'SELECT',
      mailbox: 'INBOX',
      qresync: { uidValidity: 67890007, modseq: 20050715194045000n, knownUids: set('41,43:211,214:541'), seqMatch: null },
    });
    const c = same('B04 SELECT INBOX (QRESYNC (67890007 90060115194045000 1:29997 (5000,7500,9000,9990:9999 15000,22500,27000,29970,29973,29976,29979,29982,29985,29988,29991,29994,29997)))');
    expect(c).toMatchObject({ qresync: { seqMatch: { sequences: set('5000,7500,9000,9990:9999') } } });
    same('A03 EXAMINE INBOX (QRESYNC (67890007 90060115194045000))');
    expect(same('s100 UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)')).toMatchObject({ changedSince: 12345n, vanished: true });
  });

  it('rfc4731 ESEARCH and rfc9394 PARTIAL result options', () => {
    same('A285 UID SEARCH RETURN (MIN MAX) 1:5000');
    same('A286 SEARCH RETURN (ALL COUNT) UNSEEN');
    expect(same('A287 UID SEARCH RETURN (PARTIAL -1:-100) UNDELETED')).toMatchObject({ returnOptions: [{ partial: [-1, -100] }] });
    same('A288 UID SEARCH RETURN (COUNT PARTIAL 1:500) UNDELETED');
  });

  it('rfc5256 SORT and THREAD (with UID variants), rfc5267 RETURN on SORT', () => {
    expect(same('A282 SORT (SUBJECT) UTF-8 SINCE 1-Feb-1994')).toEqual({ tag: 'A282', command: 'SORT', uid: false, sort: [{ key: 'SUBJECT', reverse: false }], charset: 'UTF-8', criteria: [{ key: 'SINCE', date: '1-Feb-1994' }] });
    expect(same('A283 SORT (SUBJECT REVERSE DATE) UTF-8 ALL')).toMatchObject({ sort: [{ key: 'SUBJECT', reverse: false }, { key: 'DATE', reverse: true }] });
    same('A284 SORT (SUBJECT) US-ASCII TEXT "not in mailbox"');
    expect(same('A283 THREAD ORDEREDSUBJECT UTF-8 SINCE 5-MAR-2000')).toEqual({ tag: 'A283', command: 'THREAD', uid: false, algorithm: 'ORDEREDSUBJECT', charset: 'UTF-8', criteria: [{ key: 'SINCE', date: '5-MAR-2000' }] });
    same('A284 THREAD ORDEREDSUBJECT US-ASCII TEXT "gewp"');
    expect(same('A285 UID THREAD REFERENCES US-ASCII ALL')).toMatchObject({ uid: true, algorithm: 'REFERENCES' });
    expect(same('A286 UID SORT (REVERSE ARRIVAL DISPLAYFROM) UTF-8 UNSEEN')).toMatchObject({ uid: true });
    expect(same('A287 SORT RETURN (MIN MAX COUNT) (DATE) UTF-8 SINCE 1-Mar-2007')).toMatchObject({ returnOptions: ['MIN', 'MAX', 'COUNT'] });
  });

  it('rfc5258 LIST-EXTENDED: selection options, several patterns, RETURN options', () => {
    same('A01 LIST "" %');
    expect(equiv('A02 LIST (SUBSCRIBED) "" "*"')).toEqual({ tag: 'A02', command: 'LIST', selection: ['SUBSCRIBED'], reference: '', pattern: '*' });
    expect(same('A02 LIST (SUBSCRIBED) "" *')).toMatchObject({ selection: ['SUBSCRIBED'] });
    expect(equiv('A03 LIST () "" "%" RETURN (CHILDREN)')).toEqual({ tag: 'A03', command: 'LIST', selection: [], reference: '', pattern: '%', returnOptions: ['CHILDREN'] });
    same('A03 LIST () "" % RETURN (CHILDREN)');
    same('A04 LIST (REMOTE) "" % RETURN (CHILDREN)');
    same('A05 LIST (REMOTE SUBSCRIBED) "" *');
    same('A06 LIST (SUBSCRIBED RECURSIVEMATCH) "" % RETURN (CHILDREN)');
    expect(equiv('A11 LIST "" ("INBOX" "Drafts" "Sent/%")')).toMatchObject({ pattern: ['INBOX', 'Drafts', 'Sent/%'] });
    same('A12 LIST "" (INBOX Drafts Sent/%)');
  });

  it('rfc5819 LIST-STATUS, rfc6154 SPECIAL-USE, rfc8440 MYRIGHTS', () => {
    expect(same('A01 LIST "" % RETURN (STATUS (MESSAGES UNSEEN))')).toMatchObject({ returnOptions: [{ status: ['MESSAGES', 'UNSEEN'] }] });
    same('A02 LIST (SUBSCRIBED RECURSIVEMATCH) "" % RETURN (STATUS (MESSAGES))');
    expect(same('t1 CREATE "Important Messages" (USE (\\Important))')).toEqual({ tag: 't1', command: 'CREATE', mailbox: 'Important Messages', use: ['\\Important'] });
    same('t2 CREATE MySpecial (USE (\\Drafts \\Sent))');
    expect(equiv('t3 LIST (SPECIAL-USE) "" "*"')).toMatchObject({ selection: ['SPECIAL-USE'] });
    expect(equiv('t1 LIST "" "%" RETURN (SPECIAL-USE)')).toMatchObject({ returnOptions: ['SPECIAL-USE'] });
    same('a LIST "" % RETURN (MYRIGHTS CHILDREN)');
  });

  it('rfc9208 / rfc2087 QUOTA: GETQUOTA, GETQUOTAROOT, SETQUOTA', () => {
    expect(same('G0001 GETQUOTA "!partition.sda4"')).toEqual({ tag: 'G0001', command: 'GETQUOTA', root: '!partition.sda4' });
    expect(same('G0002 GETQUOTAROOT INBOX')).toEqual({ tag: 'G0002', command: 'GETQUOTAROOT', mailbox: 'INBOX' });
    same('S0000 GETQUOTA "#user/alice"');
    expect(same('S0001 SETQUOTA "#user/alice" (STORAGE 510)')).toEqual({ tag: 'S0001', command: 'SETQUOTA', root: '#user/alice', limits: [{ resource: 'STORAGE', limit: 510 }] });
    same('A003 SETQUOTA "" (STORAGE 512)');
    same('A004 SETQUOTA "" ()');
  });

  it('rfc4314 ACL: SETACL (replace, +add, -remove), DELETEACL, GETACL, LISTRIGHTS, MYRIGHTS', () => {
    expect(same('A001 GETACL INBOX')).toEqual({ tag: 'A001', command: 'GETACL', mailbox: 'INBOX' });
    expect(same('A035 SETACL INBOX/Drafts John lrQswicda')).toEqual({ tag: 'A035', command: 'SETACL', mailbox: 'INBOX/Drafts', identifier: 'John', mode: 'set', rights: 'lrQswicda' });
    expect(same('A036 SETACL INBOX/Drafts Chris +cda')).toMatchObject({ mode: 'add', rights: 'cda' });
    expect(same('A037 SETACL INBOX/Drafts Chris -d')).toMatchObject({ mode: 'remove', rights: 'd' });
    expect(same('A002 DELETEACL INBOX Fred')).toEqual({ tag: 'A002', command: 'DELETEACL', mailbox: 'INBOX', identifier: 'Fred' });
    expect(same('a001 LISTRIGHTS ~/Mail/saved smith')).toEqual({ tag: 'a001', command: 'LISTRIGHTS', mailbox: '~/Mail/saved', identifier: 'smith' });
    same('a005 LISTRIGHTS archive/imap anyone');
    expect(same('A003 MYRIGHTS INBOX')).toEqual({ tag: 'A003', command: 'MYRIGHTS', mailbox: 'INBOX' });
  });

  it('rfc5464 METADATA: GETMETADATA with options and entry lists, SETMETADATA with a literal and NIL', () => {
    expect(same('a GETMETADATA "" /shared/comment')).toEqual({ tag: 'a', command: 'GETMETADATA', mailbox: '', entries: ['/shared/comment'], maxSize: null, depth: null });
    same('a GETMETADATA INBOX /private/comment');
    expect(same('a GETMETADATA INBOX (/shared/comment /private/comment)')).toMatchObject({ entries: ['/shared/comment', '/private/comment'] });
    // The RFC's examples put the options after the mailbox (its ABNF before it); both parse.
    const after = equiv('a GETMETADATA "INBOX" (MAXSIZE 1024) ("/shared/comment" "/private/comment")');
    expect(after).toEqual({ tag: 'a', command: 'GETMETADATA', mailbox: 'INBOX', entries: ['/shared/comment', '/private/comment'], maxSize: 1024, depth: null });
    expect(dec(wire(after))).toBe('a GETMETADATA (MAXSIZE 1024) INBOX (/shared/comment /private/comment)\r\n');
    expect(equiv('a GETMETADATA "INBOX" (DEPTH 1) ("/private/filters/values")')).toMatchObject({ depth: '1', entries: ['/private/filters/values'] });
    same('a GETMETADATA (MAXSIZE 4096 DEPTH infinity) "" /shared');
    const comment = 'My new comment across\r\ntwo lines.';
    const s = parse(enc(`a SETMETADATA INBOX (/private/comment {33}\r\n${comment})\r\n`));
    expect(s).toEqual({ tag: 'a', command: 'SETMETADATA', mailbox: 'INBOX', entries: [{ entry: '/private/comment', value: enc(comment) }] });
    expect(imap.encodeCommand(s).map((f) => [dec(f.data), f.waitForContinuation])).toEqual([
      ['a SETMETADATA INBOX (/private/comment {33}\r\n', true],
      [`${comment})\r\n`, false],
    ]);
    expect(same('a SETMETADATA INBOX (/private/comment NIL)')).toMatchObject({ entries: [{ entry: '/private/comment', value: null }] });
    same('a SETMETADATA INBOX (/private/comment "My new comment")');
    // literal8 for values with NUL octets.
    const bin = parse(concat([enc('a SETMETADATA "" (/shared/vendor/x ~{3}\r\n'), Uint8Array.of(1, 0, 2), enc(')\r\n')]));
    expect(bin).toMatchObject({ mailbox: '', entries: [{ value: Uint8Array.of(1, 0, 2) }] });
    expect(dec(imap.encodeCommand(bin)[0]!.data)).toBe('a SETMETADATA "" (/shared/vendor/x ~{3}\r\n');
  });

  it('rfc3502 MULTIAPPEND: several messages, each literal waits for its own "+"; rfc3516 literal8', () => {
    const m1 = 'Subject: one\r\n\r\nfirst\r\n';
    const m2 = 'Subject: two\r\n\r\nsecond\r\n';
    const line = `A003 APPEND saved-messages (\\Seen) {${m1.length}}\r\n${m1} (\\Seen) " 7-Feb-1994 22:43:04 -0800" {${m2.length}}\r\n${m2}\r\n`;
    const c = parse(enc(line));
    expect(c).toEqual({
      tag: 'A003',
      command: 'APPEND',
      mailbox: 'saved-messages',
      messages: [
        { flags: ['\\Seen'], date: null, message: enc(m1), binary: false },
        { flags: ['\\Seen'], date: ' 7-Feb-1994 22:43:04 -0800', message: enc(m2), binary: false },
      ],
    });
    expect(imap.encodeCommand(c).map((f) => [dec(f.data), f.waitForContinuation])).toEqual([
      [`A003 APPEND saved-messages (\\Seen) {${m1.length}}\r\n`, true],
      [`${m1} (\\Seen) " 7-Feb-1994 22:43:04 -0800" {${m2.length}}\r\n`, true],
      [`${m2}\r\n`, false],
    ]);
    const withNul = concat([enc('A004 APPEND Drafts ~{4}\r\n'), Uint8Array.of(0x61, 0, 0x62, 0xff), enc('\r\n')]);
    const b = parse(withNul);
    expect(b).toMatchObject({ messages: [{ binary: true, message: Uint8Array.of(0x61, 0, 0x62, 0xff) }] });
    expect(wire(b)).toEqual(withNul);
  });

  it('rfc4978 COMPRESS, rfc8437 UNAUTHENTICATE, rfc2971 ID, rfc4959 SASL-IR, rfc2177 IDLE', () => {
    expect(same('i COMPRESS DEFLATE')).toEqual({ tag: 'i', command: 'COMPRESS', mechanism: 'DEFLATE' });
    expect(same('a UNAUTHENTICATE')).toEqual({ tag: 'a', command: 'UNAUTHENTICATE' });
    expect(same('a023 ID ("name" "sodr" "version" "19.34" "vendor" "Pink Floyd Music Limited")')).toMatchObject({ params: { name: 'sodr', version: '19.34', vendor: 'Pink Floyd Music Limited' } });
    expect(same('a042 ID NIL')).toEqual({ tag: 'a042', command: 'ID', params: null });
    same('a AUTHENTICATE PLAIN dGVzdAB0ZXN0AHRlc3Q=');
    same('a002 AUTHENTICATE PLAIN =');
  });

  it('rfc8474 OBJECTID, rfc8514 SAVEDATE, rfc5032 WITHIN, rfc6203 FUZZY, Gmail X-GM-* keys', () => {
    expect(same('27 SEARCH EMAILID M6d99ac3275bb4e')).toMatchObject({ criteria: [{ key: 'EMAILID', id: 'M6d99ac3275bb4e' }] });
    same('28 SEARCH THREADID T64b478a75b7ea9');
    same('29 FETCH 1:* (EMAILID THREADID SAVEDATE)');
    expect(same('a SEARCH SAVEDSINCE 1-Jan-2020 SAVEDBEFORE 31-Dec-2020 SAVEDATESUPPORTED')).toMatchObject({ criteria: [{ key: 'SAVEDSINCE' }, { key: 'SAVEDBEFORE' }, { key: 'SAVEDATESUPPORTED' }] });
    same('a SEARCH SAVEDON 7-Feb-1994');
    expect(same('a SEARCH YOUNGER 3600 OLDER 60')).toMatchObject({ criteria: [{ key: 'YOUNGER', value: 3600 }, { key: 'OLDER', value: 60 }] });
    expect(same('a SEARCH FUZZY (SUBJECT "interesting" FROM "Alice")')).toMatchObject({ criteria: [{ key: 'FUZZY', criterion: { key: 'AND', criteria: [{ key: 'SUBJECT' }, { key: 'FROM' }] } }] });
    expect(same('a UID SEARCH X-GM-RAW "has:attachment in:unread"')).toMatchObject({ criteria: [{ key: 'X-GM-RAW', value: 'has:attachment in:unread' }] });
    expect(same('a UID SEARCH X-GM-MSGID 1278455344230334865')).toMatchObject({ criteria: [{ key: 'X-GM-MSGID', id: 1278455344230334865n }] });
    same('a UID SEARCH X-GM-THRID 1266894439832287888');
    same('a FETCH 1:4 (X-GM-MSGID X-GM-THRID X-GM-LABELS)');
  });
});
