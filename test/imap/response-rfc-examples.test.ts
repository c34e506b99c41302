import { describe, expect, it } from 'vitest';
import { ProtocolError, imap } from '../../src/index';
import { enc } from '../helpers/bytes';

/**
 * Every server line of the examples in RFC 3501 / RFC 9051 sections 6-8 and of the extension RFCs,
 * parsed into the value the line means (partial match on the fields that carry the meaning), then
 * encoded and parsed again to the same value.
 */
type Example = readonly [name: string, wire: string, expected: object];

const set = (s: string) => imap.SequenceSet.parse(s);

const rfc3501: Example[] = [
  ['6.1.1 CAPABILITY', '* CAPABILITY IMAP4rev1 STARTTLS AUTH=GSSAPI LOGINDISABLED', { kind: 'CAPABILITY', capabilities: ['IMAP4rev1', 'STARTTLS', 'AUTH=GSSAPI', 'LOGINDISABLED'] }],
  ['6.1.1 completion', 'abcd OK CAPABILITY completed', { type: 'tagged', tag: 'abcd', status: 'OK', code: null, text: 'CAPABILITY completed' }],
  ['6.1.2 NOOP EXPUNGE', '* 22 EXPUNGE', { kind: 'EXPUNGE', number: 22 }],
  ['6.1.2 NOOP EXISTS', '* 23 EXISTS', { kind: 'EXISTS', number: 23 }],
  ['6.1.2 NOOP RECENT', '* 3 RECENT', { kind: 'RECENT', number: 3 }],
  ['6.1.2 NOOP FETCH', '* 14 FETCH (FLAGS (\\Seen \\Deleted))', { kind: 'FETCH', seq: 14, attributes: { flags: ['\\Seen', '\\Deleted'] } }],
  ['6.1.3 LOGOUT BYE', '* BYE IMAP4rev1 Server logging out', { kind: 'BYE', text: 'IMAP4rev1 Server logging out' }],
  ['6.2.1 STARTTLS', 'a002 OK Begin TLS negotiation now', { type: 'tagged', tag: 'a002', status: 'OK' }],
  ['6.2.2 AUTHENTICATE challenge', '+ YGgGCSqGSIb3EgECAgIBAAD/////6jcyG4GE3KkTzBeBiVHeceP2CWY0SR0fAQAgAAQEBAQ=', { type: 'continuation', code: null, text: 'YGgGCSqGSIb3EgECAgIBAAD/////6jcyG4GE3KkTzBeBiVHeceP2CWY0SR0fAQAgAAQEBAQ=' }],
  ['6.2.2 AUTHENTICATE empty challenge', '+ ', { type: 'continuation', text: '' }],
  ['6.2.2 AUTHENTICATE done', 'A001 OK GSSAPI authentication successful', { type: 'tagged', status: 'OK' }],
  ['6.3.1 SELECT EXISTS', '* 172 EXISTS', { kind: 'EXISTS', number: 172 }],
  ['6.3.1 SELECT UNSEEN', '* OK [UNSEEN 12] Message 12 is first unseen', { kind: 'OK', code: { name: 'UNSEEN', number: 12 }, text: 'Message 12 is first unseen' }],
  ['6.3.1 SELECT UIDVALIDITY', '* OK [UIDVALIDITY 3857529045] UIDs valid', { kind: 'OK', code: { name: 'UIDVALIDITY', number: 3857529045 } }],
  ['6.3.1 SELECT UIDNEXT', '* OK [UIDNEXT 4392] Predicted next UID', { kind: 'OK', code: { name: 'UIDNEXT', number: 4392 } }],
  ['6.3.1 SELECT FLAGS', '* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)', { kind: 'FLAGS', flags: ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'] }],
  ['6.3.1 SELECT PERMANENTFLAGS', '* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited', { kind: 'OK', code: { name: 'PERMANENTFLAGS', list: ['\\Deleted', '\\Seen', '\\*'] }, text: 'Limited' }],
  ['6.3.1 SELECT READ-WRITE', 'A142 OK [READ-WRITE] SELECT completed', { type: 'tagged', code: { name: 'READ-WRITE', raw: '' } }],
  ['6.3.2 EXAMINE READ-ONLY', 'A932 OK [READ-ONLY] EXAMINE completed', { type: 'tagged', code: { name: 'READ-ONLY' } }],
  ['6.3.4 DELETE refused', 'A684 NO Name "foo" has inferior hierarchical names', { type: 'tagged', status: 'NO', text: 'Name "foo" has inferior hierarchical names' }],
  ['6.3.4 LIST after DELETE', '* LIST (\\Noselect) "/" foo', { kind: 'LIST', attributes: ['\\Noselect'], delimiter: '/', mailbox: 'foo' }],
  ['6.3.5 RENAME LIST', '* LIST () "/" foo/bar', { kind: 'LIST', attributes: [], delimiter: '/', mailbox: 'foo/bar' }],
  ['6.3.8 LIST root', '* LIST (\\Noselect) "/" ""', { kind: 'LIST', delimiter: '/', mailbox: '' }],
  ['6.3.8 LIST news', '* LIST (\\Noselect) "." #news.', { kind: 'LIST', delimiter: '.', mailbox: '#news.' }],
  ['6.3.8 LIST slash', '* LIST (\\Noselect) "/" /', { kind: 'LIST', mailbox: '/' }],
  ['6.3.8 LIST ~', '* LIST (\\Noselect) "/" ~/Mail/foo', { kind: 'LIST', mailbox: '~/Mail/foo' }],
  ['6.3.9 LSUB', '* LSUB () "." #news.comp.mail.mime', { kind: 'LSUB', attributes: [], delimiter: '.', mailbox: '#news.comp.mail.mime' }],
  ['6.3.9 LSUB \\NoSelect', '* LSUB (\\NoSelect) "." #news.comp.mail', { kind: 'LSUB', attributes: ['\\NoSelect'] }],
  ['6.3.10 STATUS', '* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)', { kind: 'STATUS', mailbox: 'blurdybloop', attributes: { MESSAGES: 231, UIDNEXT: 44292 } }],
  ['6.3.11 APPEND continuation', '+ Ready for literal data', { type: 'continuation', text: 'Ready for literal data' }],
  ['6.3.11 APPEND TRYCREATE', 'A003 NO [TRYCREATE] Mailbox does not exist', { type: 'tagged', status: 'NO', code: { name: 'TRYCREATE' } }],
  ['6.4.4 SEARCH', '* SEARCH 2 84 882', { kind: 'SEARCH', numbers: [2, 84, 882], modseq: null }],
  ['6.4.4 SEARCH empty', '* SEARCH', { kind: 'SEARCH', numbers: [] }],
  ['6.4.4 BADCHARSET', 'A284 NO [BADCHARSET (UTF-8)] Unsupported charset', { type: 'tagged', code: { name: 'BADCHARSET', list: ['UTF-8'] } }],
  ['6.4.6 STORE FETCH', '* 4 FETCH (FLAGS (\\Flagged \\Seen))', { kind: 'FETCH', seq: 4, attributes: { flags: ['\\Flagged', '\\Seen'] } }],
  ['6.4.8 UID FETCH', '* 23 FETCH (FLAGS (\\Seen) UID 4827313)', { kind: 'FETCH', seq: 23, attributes: { flags: ['\\Seen'], uid: 4827313 } }],
  ['7.1.1 OK greeting', '* OK IMAP4rev1 server ready', { kind: 'OK', code: null, text: 'IMAP4rev1 server ready' }],
  ['7.1.1 ALERT', '* OK [ALERT] System shutdown in 10 minutes', { kind: 'OK', code: { name: 'ALERT', raw: '' }, text: 'System shutdown in 10 minutes' }],
  ['7.1.2 NO warning', '* NO Disk is 98% full, please delete unnecessary data', { kind: 'NO', text: 'Disk is 98% full, please delete unnecessary data' }],
  ['7.1.3 BAD untagged', '* BAD Command line too long', { kind: 'BAD', text: 'Command line too long' }],
  ['7.1.3 BAD tagged', 'C000 BAD No such command as "FRED"', { type: 'tagged', tag: 'C000', status: 'BAD' }],
  ['7.1.4 PREAUTH', '* PREAUTH IMAP4rev1 server logged in as Smith', { kind: 'PREAUTH', text: 'IMAP4rev1 server logged in as Smith' }],
  ['7.1.5 BYE', '* BYE Autologout; idle for too long', { kind: 'BYE', text: 'Autologout; idle for too long' }],
  ['7.1 PARSE', '* NO [PARSE] Bad header in message 7', { kind: 'NO', code: { name: 'PARSE' } }],
  ['7.2.1 CAPABILITY', '* CAPABILITY IMAP4rev1 STARTTLS AUTH=GSSAPI XPIG-LATIN', { kind: 'CAPABILITY', capabilities: ['IMAP4rev1', 'STARTTLS', 'AUTH=GSSAPI', 'XPIG-LATIN'] }],
  ['7.2.3 LSUB', '* LSUB () "." #news.comp.mail.misc', { kind: 'LSUB', mailbox: '#news.comp.mail.misc' }],
  ['7.2.5 SEARCH', '* SEARCH 2 3 6', { kind: 'SEARCH', numbers: [2, 3, 6] }],
  ['7.3.2 RECENT', '* 5 RECENT', { kind: 'RECENT', number: 5 }],
  ['7.4.1 EXPUNGE', '* 44 EXPUNGE', { kind: 'EXPUNGE', number: 44 }],
  ['7.4.2 FETCH', '* 23 FETCH (FLAGS (\\Seen) RFC822.SIZE 44827)', { kind: 'FETCH', seq: 23, attributes: { flags: ['\\Seen'], rfc822Size: 44827 } }],
  ['7.5 continuation', '+ Ready for additional command text', { type: 'continuation', text: 'Ready for additional command text' }],
  ['8 greeting', '* OK IMAP4rev1 Service Ready', { kind: 'OK' }],
  ['8 UNSEEN', '* OK [UNSEEN 17] Message 17 is the first unseen message', { kind: 'OK', code: { name: 'UNSEEN', number: 17 } }],
  [
    '8 FETCH ENVELOPE and BODY',
    '* 12 FETCH (FLAGS (\\Seen) INTERNALDATE "17-Jul-1996 02:44:25 -0700" RFC822.SIZE 4286 ENVELOPE ("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)" "IMAP4rev1 WG mtg summary and minutes" (("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" "cac.washington.edu")) ((NIL NIL "imap" "cac.washington.edu")) ((NIL NIL "minutes" "CNRI.Reston.VA.US")("John Klensin" NIL "KLENSIN" "MIT.EDU")) NIL NIL "<B27397-0100000@cac.washington.edu>") BODY ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3028 92))',
    {
      kind: 'FETCH',
      seq: 12,
      attributes: {
        internalDate: new Date(Date.UTC(1996, 6, 17, 9, 44, 25)),
        rfc822Size: 4286,
        envelope: {
          subject: 'IMAP4rev1 WG mtg summary and minutes',
          cc: [
            { name: null, adl: null, mailbox: 'minutes', host: 'CNRI.Reston.VA.US' },
            { name: 'John Klensin', adl: null, mailbox: 'KLENSIN', host: 'MIT.EDU' },
          ],
          bcc: null,
          messageId: '<B27397-0100000@cac.washington.edu>',
        },
        bodyStructure: { kind: 'single', part: '1', type: 'TEXT', subtype: 'PLAIN', params: { CHARSET: 'US-ASCII' }, encoding: '7BIT', size: 3028, lines: 92 },
      },
    },
  ],
  ['8 FETCH BODY[HEADER] literal', '* 12 FETCH (BODY[HEADER] {15}\r\nSubject: hi\r\n\r\n)', { kind: 'FETCH', attributes: { sections: [{ name: 'BODY[HEADER]', section: 'HEADER', origin: null, data: enc('Subject: hi\r\n\r\n') }] } }],
  ['8 BYE', '* BYE IMAP4rev1 server terminating connection', { kind: 'BYE' }],
];

const rfc9051: Example[] = [
  ['7.1 CAPABILITY code in greeting', '* OK [CAPABILITY IMAP4rev2 STARTTLS AUTH=GSSAPI LOGINDISABLED] Server ready', { kind: 'OK', code: { name: 'CAPABILITY', list: ['IMAP4rev2', 'STARTTLS', 'AUTH=GSSAPI', 'LOGINDISABLED'] } }],
  ['6.3.2 ENABLED', '* ENABLED CONDSTORE QRESYNC', { kind: 'ENABLED', capabilities: ['CONDSTORE', 'QRESYNC'] }],
  ['6.3.2 CLOSED', '* OK [CLOSED] Previous mailbox is now closed', { kind: 'OK', code: { name: 'CLOSED' } }],
  ['6.3.4 CREATE ALREADYEXISTS', 'A003 NO [ALREADYEXISTS] Mailbox "that" already exists', { status: 'NO', code: { name: 'ALREADYEXISTS' } }],
  ['6.3.5 DELETE HASCHILDREN', 'A684 NO [HASCHILDREN] Mailbox "foo" has inferior hierarchical names', { status: 'NO', code: { name: 'HASCHILDREN' } }],
  ['6.3.6 RENAME OLDNAME', '* LIST () "/" "NewName" ("OLDNAME" ("OldName"))', { kind: 'LIST', mailbox: 'NewName', extended: { OLDNAME: 'OldName' } }],
  ['6.3.9 LIST \\Subscribed', '* LIST (\\Subscribed) "/" "Fruit/Banana"', { kind: 'LIST', attributes: ['\\Subscribed'], mailbox: 'Fruit/Banana' }],
  ['6.3.9 LIST CHILDINFO', '* LIST () "/" "Tofu" ("CHILDINFO" ("SUBSCRIBED"))', { kind: 'LIST', mailbox: 'Tofu', extended: { CHILDINFO: ['SUBSCRIBED'] } }],
  ['6.3.9 LIST \\NonExistent', '* LIST (\\NonExistent \\Subscribed) "/" "Fruit/Peach"', { kind: 'LIST', attributes: ['\\NonExistent', '\\Subscribed'] }],
  ['6.3.9 LIST special-use', '* LIST (\\HasNoChildren \\Drafts) "/" Drafts', { kind: 'LIST', attributes: ['\\HasNoChildren', '\\Drafts'], mailbox: 'Drafts' }],
  ['6.3.11 STATUS with rev2 items', '* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292 UIDVALIDITY 3857529045 UNSEEN 3 DELETED 7 SIZE 4422134 APPENDLIMIT 10485760)', { kind: 'STATUS', attributes: { MESSAGES: 231, UIDVALIDITY: 3857529045, DELETED: 7, SIZE: 4422134, APPENDLIMIT: 10485760 } }],
  ['6.3.12 APPEND APPENDUID', 'A003 OK [APPENDUID 38505 3955] APPEND completed', { status: 'OK', code: { name: 'APPENDUID', uidValidity: 38505, uids: set('3955') } }],
  ['6.3.12 APPEND TOOBIG', 'A004 NO [TOOBIG] Message too large', { status: 'NO', code: { name: 'TOOBIG', raw: '' } }],
  ['6.3.12 APPEND OVERQUOTA', 'A005 NO [OVERQUOTA] Sorry', { status: 'NO', code: { name: 'OVERQUOTA' } }],
  ['6.4.4 ESEARCH MIN COUNT', '* ESEARCH (TAG "A282") MIN 2 COUNT 3', { kind: 'ESEARCH', tag: 'A282', uid: false, results: { MIN: 2, COUNT: 3 } }],
  ['6.4.4 ESEARCH ALL', '* ESEARCH (TAG "A283") ALL 2,10:11', { kind: 'ESEARCH', tag: 'A283', results: { ALL: set('2,10:11') } }],
  ['6.4.4 ESEARCH UID', '* ESEARCH (TAG "A285") UID MIN 7 MAX 3800', { kind: 'ESEARCH', uid: true, results: { MIN: 7, MAX: 3800 } }],
  ['6.4.4 ESEARCH empty', '* ESEARCH (TAG "A286") COUNT 0', { kind: 'ESEARCH', results: { COUNT: 0 } }],
  ['6.4.5 FETCH BINARY.SIZE', '* 12 FETCH (BINARY.SIZE[1] 2560)', { kind: 'FETCH', attributes: { binarySizes: { '1': 2560 } } }],
  ['6.4.5 FETCH BINARY section', '* 12 FETCH (BINARY[1] ~{5}\r\nab\0cd)', { kind: 'FETCH', attributes: { sections: [{ name: 'BINARY[1]', section: '1', data: enc('ab\0cd') }] } }],
  ['6.4.7 COPYUID', 'A004 OK [COPYUID 38505 304,319:320 3956:3958] Done', { code: { name: 'COPYUID', uidValidity: 38505, sourceUids: set('304,319:320'), uids: set('3956:3958') } }],
  ['6.4.9 UIDNOTSTICKY', 'A003 OK [UIDNOTSTICKY] Non-persistent UIDs', { code: { name: 'UIDNOTSTICKY' } }],
  ['7.1 UNAVAILABLE', 'a NO [UNAVAILABLE] User\'s backend down for maintenance', { code: { name: 'UNAVAILABLE' } }],
  ['7.1 AUTHENTICATIONFAILED', 'b NO [AUTHENTICATIONFAILED] Authentication failed', { code: { name: 'AUTHENTICATIONFAILED' } }],
  ['7.1 AUTHORIZATIONFAILED', 'c NO [AUTHORIZATIONFAILED] No such authorization-ID', { code: { name: 'AUTHORIZATIONFAILED' } }],
  ['7.1 EXPIRED', 'd NO [EXPIRED] That password isn\'t valid any more', { code: { name: 'EXPIRED' } }],
  ['7.1 PRIVACYREQUIRED', 'e NO [PRIVACYREQUIRED] Connection offers no privacy', { code: { name: 'PRIVACYREQUIRED' } }],
  ['7.1 CONTACTADMIN', 'f NO [CONTACTADMIN] You need to contact the help desk', { code: { name: 'CONTACTADMIN' } }],
  ['7.1 NOPERM', 'g NO [NOPERM] Access denied', { code: { name: 'NOPERM' } }],
  ['7.1 INUSE', 'h NO [INUSE] Mailbox in use', { code: { name: 'INUSE' } }],
  ['7.1 EXPUNGEISSUED', 'i OK [EXPUNGEISSUED] Search completed', { code: { name: 'EXPUNGEISSUED' } }],
  ['7.1 CORRUPTION', 'j NO [CORRUPTION] Cannot open mailbox', { code: { name: 'CORRUPTION' } }],
  ['7.1 SERVERBUG', 'k NO [SERVERBUG] UIDs are inconsistent', { code: { name: 'SERVERBUG' } }],
  ['7.1 CLIENTBUG', 'l OK [CLIENTBUG] Done', { code: { name: 'CLIENTBUG' } }],
  ['7.1 CANNOT', 'm NO [CANNOT] Cannot create a mailbox with that name', { code: { name: 'CANNOT' } }],
  ['7.1 LIMIT', 'n NO [LIMIT] At most 32 flags in one mailbox supported', { code: { name: 'LIMIT' } }],
  ['7.1 NONEXISTENT', 'o NO [NONEXISTENT] No such mailbox', { code: { name: 'NONEXISTENT' } }],
  ['7.1 unknown code kept raw', 'p OK [XYZZY 1 (a b)] Whatever', { code: { name: 'XYZZY', raw: '1 (a b)' } }],
];

const extensions: Example[] = [
  ['rfc7162 3.1.2.1 HIGHESTMODSEQ', '* OK [HIGHESTMODSEQ 715194045007] Highest', { code: { name: 'HIGHESTMODSEQ', modseq: 715194045007n } }],
  ['rfc7162 3.1.2.2 NOMODSEQ', '* OK [NOMODSEQ] Sorry, this mailbox format doesn\'t support modsequences', { code: { name: 'NOMODSEQ' } }],
  ['rfc7162 3.1.3 MODIFIED', 'd105 OK [MODIFIED 7,9] Conditional STORE failed', { code: { name: 'MODIFIED', set: set('7,9') } }],
  ['rfc7162 3.1.4 FETCH MODSEQ', '* 7 FETCH (MODSEQ (12121231777))', { attributes: { modseq: 12121231777n } }],
  ['rfc7162 3.1.5 SEARCH MODSEQ', '* SEARCH 2 5 6 7 11 12 18 19 20 23 (MODSEQ 917162500)', { kind: 'SEARCH', numbers: [2, 5, 6, 7, 11, 12, 18, 19, 20, 23], modseq: 917162500n }],
  ['rfc7162 3.2.10 VANISHED (EARLIER)', '* VANISHED (EARLIER) 41,43:116,118,120:211,214:540', { kind: 'VANISHED', earlier: true, uids: set('41,43:116,118,120:211,214:540') }],
  ['rfc7162 3.2.10 VANISHED', '* VANISHED 405,407,410,425', { kind: 'VANISHED', earlier: false }],
  ['rfc4469 BADURL', 'A003 NO [BADURL imap://joe@example.com/INBOX/;uid=20/;section=1.2;urlauth=submit+fred:internal:91354a473744909de610943775f92038] CATENATE failed', { code: { name: 'BADURL', url: 'imap://joe@example.com/INBOX/;uid=20/;section=1.2;urlauth=submit+fred:internal:91354a473744909de610943775f92038' } }],
  ['rfc4469 TOOBIG', 'A004 NO [TOOBIG] Message too large', { code: { name: 'TOOBIG' } }],
  ['rfc5182 NOTSAVED', 'A006 NO [NOTSAVED] The search result was not saved', { code: { name: 'NOTSAVED' } }],
  ['rfc5464 4.2.1 METADATA LONGENTRIES', 'a OK [METADATA LONGENTRIES 2199] GETMETADATA complete', { code: { name: 'METADATA', metadata: { kind: 'LONGENTRIES', number: 2199 } } }],
  ['rfc5464 4.3 METADATA MAXSIZE', 'a NO [METADATA MAXSIZE 1024] Annotation too large', { code: { name: 'METADATA', metadata: { kind: 'MAXSIZE', number: 1024 } } }],
  ['rfc5464 4.3 METADATA TOOMANY', 'a NO [METADATA TOOMANY] Too many annotations', { code: { name: 'METADATA', metadata: { kind: 'TOOMANY' } } }],
  ['rfc5464 4.3 METADATA NOPRIVATE', 'a NO [METADATA NOPRIVATE] Private annotations not supported', { code: { name: 'METADATA', metadata: { kind: 'NOPRIVATE' } } }],
  ['rfc5464 4.4 METADATA value', '* METADATA "" (/shared/comment "Shared comment")', { kind: 'METADATA', mailbox: '', entries: [{ entry: '/shared/comment', value: enc('Shared comment') }] }],
  ['rfc8474 4.1 MAILBOXID', '3 OK [MAILBOXID (F2212ea87-6097-4256-9d51-71338625)] Completed', { code: { name: 'MAILBOXID', objectId: 'F2212ea87-6097-4256-9d51-71338625' } }],
  ['rfc8474 5.1 EMAILID THREADID', '* 1 FETCH (EMAILID (M6d99ac3275bb4e) THREADID (T64b478a75b7ea9))', { attributes: { emailId: 'M6d99ac3275bb4e', threadId: 'T64b478a75b7ea9' } }],
  ['rfc8474 5.1 THREADID NIL', '* 2 FETCH (THREADID NIL)', { attributes: { threadId: null } }],
  ['rfc8474 4.2 STATUS MAILBOXID', '* STATUS foo (MAILBOXID (F6352ae03-b7f5-463c-896f-d8b48ee3))', { kind: 'STATUS', attributes: { MAILBOXID: 'F6352ae03-b7f5-463c-896f-d8b48ee3' } }],
  ['rfc8970 PREVIEW', '* 1 FETCH (PREVIEW "Hello, this is a preview of the body")', { attributes: { preview: 'Hello, this is a preview of the body' } }],
  ['rfc8514 SAVEDATE', '* 1 FETCH (SAVEDATE "01-Jan-2024 10:00:00 +0000")', { attributes: { saveDate: '01-Jan-2024 10:00:00 +0000' } }],
  ['rfc5256 SORT', '* SORT 2 84 882', { kind: 'SORT', numbers: [2, 84, 882] }],
  ['rfc5256 THREAD', '* THREAD (166)(167)(168)(169)(172)(170)(171)(173)(174 (175)(176)(178)(181)(180))(179)(177 (183)(182)(188)(184)(185)(186)(187)(189))', { kind: 'THREAD' }],
  ['rfc5161 ENABLED', '* ENABLED X-GOOD-IDEA', { kind: 'ENABLED', capabilities: ['X-GOOD-IDEA'] }],
  ['rfc2342 NAMESPACE', '* NAMESPACE (("" "/")) (("~" "/")) (("#shared/" "/")("#public/" "/")("#ftp/" "/")("#news." "."))', { kind: 'NAMESPACE', personal: [{ prefix: '', delimiter: '/' }], shared: [{ prefix: '#shared/', delimiter: '/' }, { prefix: '#public/', delimiter: '/' }, { prefix: '#ftp/', delimiter: '/' }, { prefix: '#news.', delimiter: '.' }] }],
  ['rfc9208 QUOTAROOT', '* QUOTAROOT comp.mail.mime', { kind: 'QUOTAROOT', mailbox: 'comp.mail.mime', roots: [] }],
  ['rfc9208 QUOTA two resources', '* QUOTA "!partition/sda4" (STORAGE 104 10923847 MESSAGE 12 1000)', { kind: 'QUOTA', root: '!partition/sda4', resources: [{ name: 'STORAGE', usage: 104, limit: 10923847 }, { name: 'MESSAGE', usage: 12, limit: 1000 }] }],
  ['rfc2971 ID', '* ID ("name" "Cyrus" "version" "1.5" "os" "sunos" "os-version" "5.5" "support-url" "mailto:cyrus-bugs+@andrew.cmu.edu")', { kind: 'ID', params: { name: 'Cyrus', 'support-url': 'mailto:cyrus-bugs+@andrew.cmu.edu' } }],
  ['rfc4314 MYRIGHTS', '* MYRIGHTS INBOX rwiptsldaex', { kind: 'MYRIGHTS', mailbox: 'INBOX', rights: 'rwiptsldaex' }],
  ['rfc4978 COMPRESSIONACTIVE', 'a NO [COMPRESSIONACTIVE] DEFLATE active via TLS', { code: { name: 'COMPRESSIONACTIVE' } }],
  ['rfc6154 USEATTR', 't1 NO [USEATTR] \\All not supported', { code: { name: 'USEATTR' } }],
];

function check(table: readonly Example[]): void {
  for (const [name, wire, expected] of table) {
    it(name, () => {
      const r = imap.parseResponse(`${wire}\r\n`);
      expect(r).not.toBeInstanceOf(ProtocolError);
      expect(r).toMatchObject(expected);
      const again = imap.parseResponse(imap.encodeResponse(r as imap.Response));
      expect(again).toEqual(r);
    });
  }
}

describe('rfc3501 6-8 server responses', () => check(rfc3501));
describe('rfc9051 6-7 server responses (IMAP4rev2, RFC 5530 codes)', () => check(rfc9051));
describe('extension RFC server responses', () => check(extensions));
