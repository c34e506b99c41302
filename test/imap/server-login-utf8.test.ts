/**
 * RFC 3501 9: userid / password / mailbox are astrings; ATOM-CHAR and QUOTED-CHAR are 7-bit.
 * RFC 9051 9 (utf8-quoted) and RFC 6855 allow UTF-8 in quoted strings; real clients send it in
 * atoms too. mailwire's command reader takes valid UTF-8 in any astring form and refuses octets
 * that are not UTF-8 with a SYNTAX error (the server answers BAD): decoded as Latin-1, `\xFF` and
 * `\xC3\xBF` would be the same user name.
 */
import { describe, expect, it } from 'vitest';
import { imap, ProtocolError } from '../../src/index';
import { bin, concat, dec } from '../helpers/bytes';

const out = (s: imap.ServerSession) => dec(concat(s.takeOutput()));

function server(): imap.ServerSession {
  const s = new imap.ServerSession({ capabilities: ['IMAP4rev1', 'LITERAL+'] });
  s.takeOutput();
  return s;
}

describe('rfc3501 6.2.3 LOGIN: a user name or password that is not UTF-8 is refused', () => {
  for (const [form, wire] of [
    ['atom', 'a LOGIN \xFF pass\r\n'],
    ['quoted string', 'a LOGIN "\xFF" pass\r\n'],
    ['literal', 'a LOGIN {1+}\r\n\xFF pass\r\n'],
    ['password atom', 'a LOGIN fred p\xE9ss\r\n'],
  ] as const) {
    it(`${form}: ${JSON.stringify(wire)} -> BAD, no command event`, () => {
      const s = server();
      const ev = s.receive(bin(wire));
      expect(ev.some((e) => e.type === 'command')).toBe(false);
      expect(ev.filter((e) => e.type === 'error').map((e) => (e.type === 'error' ? `${e.error.code} ${e.error.message}` : ''))).toEqual([expect.stringMatching(/^SYNTAX .*not valid UTF-8/)]);
      expect(out(s)).toMatch(/^a BAD /);
      expect(s.state).toBe('not-authenticated');
    });
  }

  it('valid UTF-8 is read in an atom and in a quoted string (rfc9051 utf8-quoted)', () => {
    expect(imap.parseCommand(bin('a LOGIN caf\xC3\xA9 "p\xC3\xA4ss"'))).toMatchObject({ command: 'LOGIN', user: 'café', password: 'päss' });
  });

  it('parseCommand: the error points at the bad astring', () => {
    const e = imap.parseCommand(bin('a LOGIN fred \xFF'));
    expect(e).toBeInstanceOf(ProtocolError);
    expect(e).toMatchObject({ code: 'SYNTAX', offset: 13 });
  });

  it('a mailbox name that is not UTF-8 is refused the same way (SELECT "\\xFF")', () => {
    expect(imap.parseCommand(bin('a SELECT "\xFF"'))).toMatchObject({ code: 'SYNTAX' });
    expect(imap.parseCommand(bin('a SELECT INBOX'))).toMatchObject({ command: 'SELECT', mailbox: 'INBOX' });
  });
});
