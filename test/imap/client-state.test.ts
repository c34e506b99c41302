/**
 * What the client session tracks about the selected mailbox: the opt-in sequence number <->
 * UID map (EXISTS, EXPUNGE, VANISHED, FETCH UID), `exists` under QRESYNC (RFC 7162 3.2.10),
 * HIGHESTMODSEQ raised by FETCH MODSEQ (RFC 7162 3.1.2).
 */
import { describe, expect, it } from 'vitest';
import { imap } from '../../src/index';
import { enc } from '../helpers/bytes';

const kinds = (events: readonly imap.ClientEvent[]) => events.map((e) => (e.type === 'error' ? `error:${e.error.code}` : e.type));

/** A session with INBOX selected, `exists` messages, and the UID map when `uidMap` > 0. */
function selected(exists: number, uidMap = 0, extra = ''): imap.ClientSession {
  const c = new imap.ClientSession({ uidMap });
  c.receive(enc('* PREAUTH [CAPABILITY IMAP4rev1 CONDSTORE QRESYNC ENABLE] ready\r\n'));
  c.send({ command: 'SELECT', mailbox: 'INBOX' });
  c.receive(enc(`* ${exists} EXISTS\r\n* OK [UIDVALIDITY 3857529045] UIDs valid\r\n* OK [UIDNEXT 408] next\r\n* OK [HIGHESTMODSEQ 715194045007] modseq\r\n${extra}A1 OK [READ-WRITE] SELECT completed\r\n`));
  c.takeOutput();
  return c;
}

describe('rfc7162 3.2.10 VANISHED and exists', () => {
  it('issue 15: "* VANISHED 405,407" does not change exists when those UIDs are not in the mailbox (it went 3 -> 1)', () => {
    // Without the map no UID is known present.
    const c = selected(3);
    expect(kinds(c.receive(enc('* VANISHED 405,407\r\n')))).toEqual(['untagged']);
    expect(c.mailbox?.exists).toBe(3);
    // With the map the session knows the mailbox holds UIDs 401, 402, 403.
    const d = selected(3, 100, '* 1 FETCH (UID 401)\r\n* 2 FETCH (UID 402)\r\n* 3 FETCH (UID 403)\r\n');
    d.receive(enc('* VANISHED 405,407\r\n'));
    expect(d.mailbox?.exists).toBe(3);
    expect([1, 2, 3].map((s) => d.uidOf(s))).toEqual([401, 402, 403]);
  });

  it('rfc7162 3.2.10: a plain VANISHED of UIDs known present lowers exists and renumbers the map, repeats counted once', () => {
    const c = selected(5, 100);
    c.send({ command: 'FETCH', uid: false, set: (imap.SequenceSet.parse('1:*') as imap.SequenceSet), items: [(imap.parseFetchItem('UID') as imap.FetchItem)] });
    c.receive(enc('* 1 FETCH (UID 401)\r\n* 2 FETCH (UID 402)\r\n* 3 FETCH (UID 405)\r\n* 4 FETCH (UID 406)\r\n* 5 FETCH (UID 407)\r\nA2 OK FETCH completed\r\n'));
    c.send({ command: 'EXPUNGE' });
    // RFC 7162 3.2.10: "S: * VANISHED 405,407,410,425" answering EXPUNGE; 410 and 425 are not here.
    c.receive(enc('* VANISHED 405,407,410,425\r\nA3 OK Expunged\r\n'));
    expect(c.mailbox?.exists).toBe(3);
    expect([1, 2, 3].map((s) => c.uidOf(s))).toEqual([401, 402, 406]);
    expect(c.seqOf(406)).toBe(3);
    expect(c.seqOf(405)).toBe(null);
    // A server that repeats a UID (RFC 7162 3.2.10 warns of it) cannot lower the count twice.
    c.receive(enc('* VANISHED 402,402,405\r\n'));
    expect(c.mailbox?.exists).toBe(2);
    expect(c.uidOf(2)).toBe(406);
  });

  it('rfc7162 3.2.5.2 SELECT (QRESYNC): VANISHED (EARLIER) never touches exists, with or without the map', () => {
    const select = '* OK [UIDVALIDITY 67890007] Ok\r\n* OK [UIDNEXT 600] Ok\r\n* OK [HIGHESTMODSEQ 90060128194045007] Ok\r\n* VANISHED (EARLIER) 41,43:116,118,120:211,214:540\r\n* 49 FETCH (UID 117 FLAGS (\\Seen \\Answered) MODSEQ (90060115194045001))\r\n* 50 FETCH (UID 119 FLAGS (\\Draft $MDNSent) MODSEQ (90060115194045308))\r\n* 51 FETCH (UID 541 FLAGS (\\Seen $Forwarded) MODSEQ (90060115194045001))\r\n';
    for (const uidMap of [0, 1000]) {
      const c = new imap.ClientSession({ uidMap });
      c.receive(enc('* PREAUTH [CAPABILITY IMAP4rev1 QRESYNC] ready\r\n'));
      c.send({ command: 'ENABLE', capabilities: ['QRESYNC'] });
      c.receive(enc('* ENABLED QRESYNC\r\nA1 OK Enabled\r\n'));
      c.send({ command: 'SELECT', mailbox: 'INBOX', qresync: { uidValidity: 67890007, modseq: 20050715194045000n, knownUids: (imap.SequenceSet.parse('41,43:211,214:541') as imap.SequenceSet), seqMatch: null } });
      const ev = c.receive(enc(`* 314 EXISTS\r\n* 2 RECENT\r\n${select}A2 OK [READ-WRITE] mailbox selected\r\n`));
      expect(ev.filter((e) => e.type === 'error')).toEqual([]);
      expect(c.mailbox).toMatchObject({ exists: 314, uidValidity: 67890007, highestModseq: 90060128194045007n });
      expect(c.uidMapActive).toBe(uidMap > 0);
      expect(c.uidOf(49)).toBe(uidMap > 0 ? 117 : null);
      expect(c.seqOf(541)).toBe(uidMap > 0 ? 51 : null);
    }
  });

  it('a plain VANISHED naming a UID that could sit in an unknown slot: exists lowered only by the known, later positions forgotten', () => {
    // Known: 1 -> 10, 4 -> 40, 5 -> 50; slots 2 and 3 unknown (UIDs between 10 and 40).
    const c = selected(5, 100, '* 1 FETCH (UID 10)\r\n* 4 FETCH (UID 40)\r\n* 5 FETCH (UID 50)\r\n');
    c.receive(enc('* VANISHED 20,50\r\n'));
    // 50 was known present; 20 may have been in slot 2 or 3, or not at all.
    expect(c.mailbox?.exists).toBe(4);
    expect(c.uidOf(1)).toBe(10);
    // Slot 4's message may now be number 3 or 4: the map does not guess.
    expect(c.uidOf(4)).toBe(null);
    expect(c.seqOf(40)).toBe(null);
  });
});

describe('the sequence number <-> UID map', () => {
  it('rfc3501 7.4.1 EXPUNGE renumbers; EXISTS adds unknown slots; FETCH UID fills them', () => {
    const c = selected(4, 100, '* 1 FETCH (UID 11)\r\n* 2 FETCH (UID 12)\r\n* 3 FETCH (UID 13)\r\n* 4 FETCH (UID 14)\r\n');
    // RFC 3501 7.4.1: "* 3 EXPUNGE" twice removes messages 3 and 4 as they were.
    c.receive(enc('* 3 EXPUNGE\r\n* 3 EXPUNGE\r\n'));
    expect(c.mailbox?.exists).toBe(2);
    expect([c.uidOf(1), c.uidOf(2), c.uidOf(3)]).toEqual([11, 12, null]);
    c.receive(enc('* 3 EXISTS\r\n'));
    expect(c.uidOf(3)).toBe(null);
    c.receive(enc('* 3 FETCH (UID 20 FLAGS (\\Recent))\r\n'));
    expect(c.seqOf(20)).toBe(3);
    expect(c.seqOf(13)).toBe(null);
  });

  it('hostile: an EXPUNGE outside the mailbox and a UID out of order are reported and change nothing', () => {
    const c = selected(2, 100, '* 1 FETCH (UID 11)\r\n* 2 FETCH (UID 12)\r\n');
    expect(kinds(c.receive(enc('* 9 EXPUNGE\r\n')))).toEqual(['error:UNEXPECTED', 'untagged']);
    expect(c.mailbox?.exists).toBe(2);
    expect(kinds(c.receive(enc('* 0 EXPUNGE\r\n')))).toEqual(['error:UNEXPECTED', 'untagged']);
    expect(kinds(c.receive(enc('* 2 FETCH (UID 5)\r\n')))).toEqual(['error:UNEXPECTED', 'untagged']);
    expect(c.uidOf(2)).toBe(null);
    expect(c.uidOf(1)).toBe(11);
  });

  it('bounded by the uidMap option: a mailbox past it turns the map off (TOO_MANY once), exists still counts', () => {
    const c = selected(3, 4);
    expect(c.uidMapActive).toBe(true);
    expect(kinds(c.receive(enc('* 5 EXISTS\r\n')))).toEqual(['error:TOO_MANY', 'untagged']);
    expect(c.uidMapActive).toBe(false);
    expect(c.mailbox?.exists).toBe(5);
    expect(kinds(c.receive(enc('* 6 EXISTS\r\n* 1 FETCH (UID 3)\r\n')))).toEqual(['untagged', 'untagged']);
    expect(c.uidOf(1)).toBe(null);
    // A huge EXISTS from a hostile server allocates nothing past the bound.
    const d = selected(1, 1000);
    d.receive(enc('* 4294967295 EXISTS\r\n'));
    expect(d.uidMapActive).toBe(false);
    // The next SELECT starts a new map.
    c.send({ command: 'SELECT', mailbox: 'Archive' });
    c.receive(enc('* 2 EXISTS\r\n* 1 FETCH (UID 7)\r\nA2 OK [READ-WRITE] done\r\n'));
    expect(c.uidMapActive).toBe(true);
    expect(c.uidOf(1)).toBe(7);
  });

  it('a new UIDVALIDITY voids the UIDs known; UNSELECT and CLOSE drop the map', () => {
    const c = selected(2, 100, '* 1 FETCH (UID 11)\r\n* 2 FETCH (UID 12)\r\n');
    c.receive(enc('* OK [UIDVALIDITY 1] the mailbox was recreated\r\n'));
    expect([c.uidOf(1), c.uidOf(2)]).toEqual([null, null]);
    expect(c.mailbox?.exists).toBe(2);
    c.send({ command: 'UNSELECT' });
    c.receive(enc('A2 OK Unselect completed\r\n'));
    expect(c.uidMapActive).toBe(false);
    expect(c.uidOf(1)).toBe(null);
  });
});

describe('rfc3501 6.3.1 which mailbox the data is about', () => {
  it('a SELECT queued behind LOGIN opens nothing until it is sent; the LOGIN\'s untagged data is not mailbox data', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* OK ready\r\n'));
    c.send({ command: 'LOGIN', user: 'alice', password: 'sesame' });
    c.send({ command: 'SELECT', mailbox: 'INBOX' });
    c.receive(enc('* CAPABILITY IMAP4rev1 IDLE\r\n'));
    expect(c.mailbox).toBe(null);
    c.receive(enc('A1 OK LOGIN completed\r\n'));
    expect(c.mailbox).toBe(null);
    c.receive(enc('* 4 EXISTS\r\nA2 OK [READ-WRITE] done\r\n'));
    expect(c.mailbox).toMatchObject({ name: 'INBOX', exists: 4 });
  });

  it('pipelined SELECT INBOX then EXAMINE Archive: each one\'s data lands in its own mailbox; a failed SELECT leaves none', () => {
    const c = new imap.ClientSession();
    c.receive(enc('* PREAUTH ready\r\n'));
    c.send({ command: 'SELECT', mailbox: 'INBOX' });
    c.send({ command: 'EXAMINE', mailbox: 'Archive' });
    c.receive(enc('* 18 EXISTS\r\nA1 OK [READ-WRITE] done\r\n'));
    expect(c.mailbox).toMatchObject({ name: 'INBOX', exists: 18, readOnly: false });
    c.receive(enc('* 3 EXISTS\r\nA2 OK [READ-ONLY] done\r\n'));
    expect(c.mailbox).toMatchObject({ name: 'Archive', exists: 3, readOnly: true });
    expect(c.state).toBe('selected');
    c.send({ command: 'SELECT', mailbox: 'Nope' });
    c.receive(enc('A3 NO [NONEXISTENT] Unknown mailbox\r\n'));
    expect(c.mailbox).toBe(null);
    expect(c.state).toBe('authenticated');
  });
});

describe('rfc7162 3.1.2 HIGHESTMODSEQ follows FETCH MODSEQ', () => {
  it('a FETCH (MODSEQ (n)) above HIGHESTMODSEQ raises it; below leaves it; NOMODSEQ stays null', () => {
    const c = selected(3);
    expect(c.mailbox?.highestModseq).toBe(715194045007n);
    c.receive(enc('* 1 FETCH (UID 4 MODSEQ (715194045000) FLAGS (\\Seen))\r\n'));
    expect(c.mailbox?.highestModseq).toBe(715194045007n);
    // RFC 7162 3.1.3 example: an unsolicited FETCH after another session's STORE.
    c.receive(enc('* 2 FETCH (FLAGS (\\Deleted) MODSEQ (715194045008))\r\n'));
    expect(c.mailbox?.highestModseq).toBe(715194045008n);
    const d = new imap.ClientSession();
    d.receive(enc('* PREAUTH ready\r\n'));
    d.send({ command: 'SELECT', mailbox: 'INBOX' });
    d.receive(enc('* 1 EXISTS\r\n* OK [NOMODSEQ] Sorry, this mailbox format doesn\'t support modsequences\r\nA1 OK [READ-WRITE] done\r\n'));
    d.receive(enc('* 1 FETCH (MODSEQ (5))\r\n'));
    expect(d.mailbox?.highestModseq).toBe(null);
  });
});
