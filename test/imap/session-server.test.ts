import { describe, expect, it } from 'vitest';
import { imap } from '../../src/index';
import { concat, dec, enc } from '../helpers/bytes';

const out = (s: imap.ServerSession) => dec(concat(s.takeOutput()));

describe('imap.ServerSession', () => {
  it('rfc3501 8: greeting, LOGIN, SELECT with untagged data, LOGOUT with BYE', () => {
    const s = new imap.ServerSession({ capabilities: ['IMAP4rev1'], greeting: 'IMAP4rev1 Service Ready' });
    expect(out(s)).toBe('* OK [CAPABILITY IMAP4rev1] IMAP4rev1 Service Ready\r\n');
    const handle = (events: imap.ServerEvent[]): void => {
      for (const e of events) {
        if (e.type !== 'command') continue;
        const c = e.command;
        if (c.command === 'LOGIN') handle(s.ok('LOGIN completed'));
        else if (c.command === 'SELECT') {
          s.untagged({ type: 'untagged', kind: 'EXISTS', number: 18 });
          s.untagged({ type: 'untagged', kind: 'FLAGS', flags: ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'] });
          s.untagged({ type: 'untagged', kind: 'RECENT', number: 2 });
          s.untagged({ type: 'untagged', kind: 'OK', code: { name: 'UIDVALIDITY', raw: '3857529045' }, text: 'UIDs valid' });
          handle(s.ok('SELECT completed', { name: 'READ-WRITE', raw: '' }));
        } else if (c.command === 'LOGOUT') handle(s.ok('LOGOUT completed'));
      }
    };
    handle(s.receive(enc('a001 login mrc secret\r\na002 select inbox\r\n')));
    expect(s.state).toBe('selected');
    expect(out(s)).toBe(
      'a001 OK LOGIN completed\r\n* 18 EXISTS\r\n* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n* 2 RECENT\r\n* OK [UIDVALIDITY 3857529045] UIDs valid\r\na002 OK [READ-WRITE] SELECT completed\r\n',
    );
    const ev = s.receive(enc('a006 logout\r\n'));
    handle(ev);
    expect(out(s)).toBe('* BYE Logging out\r\na006 OK LOGOUT completed\r\n');
    expect(s.state).toBe('logout');
  });

  it('commands in the wrong state get BAD; syntax errors keep their tag; untagged BAD without one', () => {
    const s = new imap.ServerSession();
    s.takeOutput();
    const ev = s.receive(enc('A1 SELECT INBOX\r\nA2 FETCH x FLAGS\r\n\r\n'));
    expect(ev.filter((e) => e.type === 'auto-reply')).toHaveLength(3);
    expect(out(s)).toMatch(/^A1 BAD SELECT is not valid in the not-authenticated state\r\nA2 BAD .*\r\n\* BAD .*\r\n$/);
  });

  it('rfc3501 9: a tag may hold "]" (an ASTRING-CHAR); the completion carries it, a "+" in a tag is refused untagged', () => {
    const s = new imap.ServerSession();
    s.takeOutput();
    const ev = s.receive(enc('a]1 NOOP\r\na+2 NOOP\r\n'));
    expect(ev[0]).toMatchObject({ type: 'command', command: { tag: 'a]1', command: 'NOOP' } });
    s.ok('done');
    expect(out(s)).toMatch(/^a\]1 OK done\r\n\* BAD .*\r\n$/);
  });

  it('synchronizing literals get "+", a literal over the limit gets NO [TOOBIG]', () => {
    const s = new imap.ServerSession({ parser: { maxLiteralSize: 100 } });
    s.takeOutput();
    const ev = s.receive(enc('A1 LOGIN {5}\r\n'));
    expect(ev).toEqual([]);
    expect(out(s)).toBe('+ Ready for literal data\r\n');
    expect(s.receive(enc('smith sesame\r\n'))).toMatchObject([{ type: 'command', command: { command: 'LOGIN', user: 'smith' } }]);
    s.ok();
    s.takeOutput();
    s.receive(enc('A2 APPEND INBOX {1000}\r\n'));
    expect(out(s)).toMatch(/^A2 NO \[TOOBIG\] /);
  });

  it('rfc2177 IDLE: "+ idling", untagged updates while idle, DONE, then the next command', () => {
    const s = new imap.ServerSession({ preauth: true });
    s.takeOutput();
    const ev = s.receive(enc('A1 IDLE\r\nDONE\r\nA2 NOOP\r\n'));
    expect(ev.map((e) => e.type)).toEqual(['command', 'idle-done']);
    s.untagged({ type: 'untagged', kind: 'EXISTS', number: 4 });
    const after = s.ok('IDLE terminated');
    expect(after).toMatchObject([{ type: 'command', command: { command: 'NOOP', tag: 'A2' } }]);
    expect(out(s)).toBe('+ idling\r\n* 4 EXISTS\r\nA1 OK IDLE terminated\r\n');
  });

  it('AUTHENTICATE with challenges, and "*" cancels with BAD', () => {
    const s = new imap.ServerSession();
    s.takeOutput();
    const got: string[] = [];
    const handle = (events: imap.ServerEvent[]): void => {
      for (const e of events) {
        if (e.type === 'command' && e.command.command === 'AUTHENTICATE') handle(s.challenge(new Uint8Array(0)));
        else if (e.type === 'auth-response') {
          got.push(dec(e.response));
          handle(s.ok('authenticated'));
        }
      }
    };
    handle(s.receive(enc('A1 AUTHENTICATE PLAIN\r\nAHRpbQB0YW5zdGFhZnRhbnN0YWFm\r\nA2 NOOP\r\n')));
    expect(got).toEqual(['\0tim\0tanstaaftanstaaf']);
    expect(s.state).toBe('authenticated');
    const t = new imap.ServerSession();
    t.takeOutput();
    const ev: imap.ServerEvent[] = [];
    for (const e of t.receive(enc('A1 AUTHENTICATE PLAIN\r\n*\r\n'))) {
      ev.push(e);
      if (e.type === 'command') ev.push(...t.challenge(new Uint8Array(0)));
    }
    expect(ev.map((e) => e.type)).toEqual(['command', 'auto-reply']);
    expect(out(t)).toBe('+ \r\nA1 BAD AUTHENTICATE cancelled\r\n');
  });

  it('client and server sessions talk to each other', () => {
    const s = new imap.ServerSession({ capabilities: ['IMAP4rev1', 'LITERAL+'] });
    const c = new imap.ClientSession();
    const pump = () => {
      for (let i = 0; i < 10; i++) {
        const a = s.takeOutput();
        const b = c.takeOutput();
        if (a.length === 0 && b.length === 0) return;
        for (const x of a) c.receive(x);
        for (const x of b) {
          for (const e of s.receive(x)) {
            if (e.type === 'command' && e.command.command === 'LOGIN') s.ok();
            if (e.type === 'command' && e.command.command === 'LIST') {
              s.untagged({ type: 'untagged', kind: 'LIST', attributes: [], delimiter: '/', mailbox: 'Входящие', extended: {} });
              s.ok();
            }
          }
        }
      }
    };
    pump();
    c.send({ command: 'LOGIN', user: 'user', password: 'pass word\r\n' });
    c.send({ command: 'LIST', reference: '', pattern: '*' });
    const events: imap.ClientEvent[] = [];
    const orig = c.receive.bind(c);
    c.receive = (x: Uint8Array) => {
      const e = orig(x);
      events.push(...e);
      return e;
    };
    pump();
    expect(c.state).toBe('authenticated');
    const list = events.find((e) => e.type === 'completed' && e.command.command === 'LIST') as Extract<imap.ClientEvent, { type: 'completed' }>;
    expect(list.untagged[0]).toMatchObject({ kind: 'LIST', mailbox: 'Входящие' });
  });
});
