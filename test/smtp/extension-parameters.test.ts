// MTRK (RFC 3885), SOLICIT (RFC 3865), TRANSID (RFC 1845), SUBMITTER (RFC 4405), CONPERM and
// CONNEG (RFC 4141): the fixtures in test/fixtures/smtp/extension-parameters.json read through
// parseCommand and the typed readers, written back by the typed writers, and carried through a
// client session talking to a server session.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ProtocolError, smtp } from '../../src/index';
import * as arb from '../../src/testing/smtp';
import { concat, dec, enc } from '../helpers/bytes';

interface Case {
  readonly source: string;
  readonly wire: string;
  readonly value?: Record<string, unknown>;
  readonly error?: string;
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/smtp/extension-parameters.json', import.meta.url), 'utf8')) as { cases: Case[] };

function read(wire: string): smtp.MailParameters | smtp.RcptParameters | ProtocolError {
  const cmd = smtp.parseCommand(wire);
  if (cmd instanceof ProtocolError) throw cmd;
  if (cmd.verb === 'MAIL') return smtp.readMailParameters(cmd.params);
  if (cmd.verb === 'RCPT') return smtp.readRcptParameters(cmd.params);
  throw new Error(`not MAIL or RCPT: ${wire}`);
}

describe('extension parameter fixtures (test/fixtures/smtp/extension-parameters.json)', () => {
  for (const c of fixture.cases) {
    it(c.source, () => {
      const got = read(c.wire);
      if (c.error !== undefined) {
        expect(got).toBeInstanceOf(ProtocolError);
        expect(got).toMatchObject({ code: c.error });
        return;
      }
      expect(got).toEqual(c.value);
      // Written back by the typed writer, the command line reads to the same value.
      const verb = c.wire.startsWith('MAIL') ? 'MAIL' : 'RCPT';
      const params = verb === 'MAIL' ? smtp.encodeMailParameters(got as smtp.MailParameters) : smtp.encodeRcptParameters(got as smtp.RcptParameters);
      const line = smtp.encodeCommand(verb === 'MAIL' ? { verb, from: null, params } : { verb, to: smtp.makePath('a', 'b.example'), params });
      expect(read(line.slice(0, -2))).toEqual(c.value);
    });
  }

  it('the fixture covers a positive and a negative case of every parameter', () => {
    for (const k of ['MTRK', 'SOLICIT', 'TRANSID', 'SUBMITTER', 'CONPERM', 'CONNEG']) {
      const mine = fixture.cases.filter((c) => c.wire.includes(` ${k}`));
      expect(mine.some((c) => c.value !== undefined), k).toBe(true);
      expect(mine.some((c) => c.error !== undefined), k).toBe(true);
    }
  });
});

describe('typed writers check every field at run time', () => {
  it('rfc3885: an MTRK certifier outside base64 ("=" would end the value) or a timeout past 9 digits throws', () => {
    expect(() => smtp.encodeMailParameters({ mtrk: { certifier: 'ab==', timeout: null } })).toThrow(TypeError);
    expect(() => smtp.encodeMailParameters({ mtrk: { certifier: '', timeout: null } })).toThrow(TypeError);
    expect(() => smtp.encodeMailParameters({ mtrk: { certifier: 'ab', timeout: 1_000_000_000 } })).toThrow(RangeError);
    expect(() => smtp.encodeMailParameters({ mtrk: { certifier: 'ab', timeout: -1 } })).toThrow(RangeError);
    expect(() => smtp.encodeMailParameters({ mtrk: { certifier: 'ab', timeout: 1.5 } })).toThrow(RangeError);
    expect(smtp.encodeMailParameters({ mtrk: { certifier: 'a+/9', timeout: 0 } })).toEqual([{ keyword: 'MTRK', value: 'a+/9:0' }]);
  });

  it('rfc3865: a SOLICIT keyword holding "," (it would split in two), a space or nothing throws', () => {
    expect(() => smtp.encodeMailParameters({ solicit: ['org.example:ADV,net.example:ADV'] })).toThrow(TypeError);
    expect(() => smtp.encodeMailParameters({ solicit: ['org example'] })).toThrow(TypeError);
    expect(() => smtp.encodeMailParameters({ solicit: [] })).toThrow(TypeError);
    expect(() => smtp.encodeMailParameters({ solicit: [''] })).toThrow(TypeError);
  });

  it('rfc1845: a TRANSID that is not local@domain, or holds ">" or a space, throws', () => {
    expect(() => smtp.encodeMailParameters({ transId: '12345' })).toThrow(TypeError);
    expect(() => smtp.encodeMailParameters({ transId: '1>2@claremont.edu' })).toThrow(TypeError);
    expect(() => smtp.encodeMailParameters({ transId: '1 2@claremont.edu' })).toThrow(TypeError);
    expect(smtp.encodeMailParameters({ transId: '12345@claremont.edu' })).toEqual([{ keyword: 'TRANSID', value: '<12345@claremont.edu>' }]);
  });

  it('rfc4405: a SUBMITTER that is no mailbox throws; "+" and "=" are xtext-escaped', () => {
    expect(() => smtp.encodeMailParameters({ submitter: 'nobody' })).toThrow(TypeError);
    expect(() => smtp.encodeMailParameters({ submitter: '<a@b.example>' })).toThrow(TypeError);
    expect(() => smtp.encodeMailParameters({ submitter: 'a\r\nb@c.example' })).toThrow(TypeError);
    expect(smtp.encodeMailParameters({ submitter: 'e=mc2+x@example.com' })).toEqual([{ keyword: 'SUBMITTER', value: 'e+3Dmc2+2Bx@example.com' }]);
  });

  it('flags must be booleans (a truthy string is a caller bug); false leaves the keyword out', () => {
    expect(() => smtp.encodeMailParameters({ conperm: 'yes' as unknown as boolean })).toThrow(TypeError);
    expect(smtp.encodeMailParameters({ conperm: false })).toEqual([]);
    expect(smtp.encodeRcptParameters({ conneg: true })).toEqual([{ keyword: 'CONNEG', value: null }]);
  });

  it('the older typed fields are checked too: SIZE=-1, MT-PRIORITY=10, HOLDUNTIL=0ABC, NOTIFY=NEVER,DELAY throw', () => {
    expect(() => smtp.encodeMailParameters({ size: -1 })).toThrow(RangeError);
    expect(() => smtp.encodeMailParameters({ mtPriority: 10 })).toThrow(RangeError);
    expect(() => smtp.encodeMailParameters({ holdUntil: '0ABC' })).toThrow(RangeError);
    expect(() => smtp.encodeRcptParameters({ notify: ['NEVER', 'DELAY'] })).toThrow(RangeError);
    expect(() => smtp.encodeRcptParameters({ orcpt: { type: 'rfc 822', address: 'a@b' } })).toThrow(TypeError);
  });
});

describe('round trips', () => {
  it('readMailParameters(encodeMailParameters(p)) equals p, through the command line too', () => {
    fc.assert(
      fc.property(arb.mailParameters(), (p) => {
        const params = smtp.encodeMailParameters(p);
        expect(smtp.readMailParameters(params)).toEqual(p);
        const line = smtp.encodeCommand({ verb: 'MAIL', from: null, params });
        const cmd = smtp.parseCommand(line.slice(0, -2)) as smtp.MailCommand;
        expect(smtp.readMailParameters(cmd.params)).toEqual(p);
      }),
      { numRuns: 300 },
    );
  });

  it('readRcptParameters(encodeRcptParameters(p)) equals p', () => {
    fc.assert(
      fc.property(arb.rcptParameters(), (p) => {
        expect(smtp.readRcptParameters(smtp.encodeRcptParameters(p))).toEqual(p);
      }),
      { numRuns: 300 },
    );
  });
});

describe('rfc3865 NO-SOLICITING in EHLO: the keywords are comma-separated', () => {
  it('reads the list, and an empty one when announced bare', () => {
    const caps = (line: string) => smtp.parseCapabilities(smtp.parseReply(`250-mx.example\r\n250 ${line}\r\n`) as smtp.Reply);
    expect(caps('NO-SOLICITING net.example:ADV,org.example:ADV:ADLT').noSoliciting).toEqual(['net.example:ADV', 'org.example:ADV:ADLT']);
    expect(caps('NO-SOLICITING').noSoliciting).toEqual([]);
    expect(caps('PIPELINING').noSoliciting).toBe(null);
  });
});

/** A client session talking to a server session that offers `extensions`; the server accepts every command. */
function pair(extensions: readonly smtp.Extension[]) {
  const server = new smtp.ServerSession({ domain: 'mx.example', extensions });
  const client = new smtp.ClientSession({ domain: 'client.example' });
  const commands: smtp.Command[] = [];
  const serverEvents: smtp.ServerEvent[] = [];
  const clientEvents: smtp.ClientEvent[] = [];
  const wire: string[] = [];
  const handle = (events: smtp.ServerEvent[]): void => {
    for (const e of events) {
      serverEvents.push(e);
      if (e.type === 'command') commands.push(e.command);
      if (e.type === 'command' || e.type === 'data-end') handle(server.accept());
    }
  };
  const pump = () => {
    for (let i = 0; i < 20; i++) {
      const toServer = client.takeOutput();
      const toClient = server.takeOutput();
      if (toServer.length === 0 && toClient.length === 0) return;
      wire.push(dec(concat(toServer)));
      for (const b of toServer) handle(server.receive(b));
      for (const b of toClient) clientEvents.push(...client.receive(b));
    }
  };
  pump();
  return { server, client, commands, serverEvents, clientEvents, wire, pump };
}

const ext = (...keywords: string[]): smtp.Extension[] => keywords.map((keyword) => ({ keyword, params: [] }));

describe('sessions: the client sends them typed, the server validates them when it offers the extension', () => {
  it('rfc3885 + rfc4405: MTRK and SUBMITTER go out typed, and the server hands over the same values', () => {
    const s = pair(ext('MTRK', 'SUBMITTER', 'DSN'));
    s.client.sendMail({ from: 'list-owner@lists.example.org', to: ['b@example.net'], mail: { envid: 'QQ314159', mtrk: { certifier: 'x5Tq9/+w', timeout: 86400 }, submitter: 'secretary@example.com' } });
    s.client.writeBody(enc('Subject: hi\r\n\r\nhello\r\n'));
    s.client.endBody();
    s.pump();
    expect(s.wire.join('')).toContain('MAIL FROM:<list-owner@lists.example.org> ENVID=QQ314159 MTRK=x5Tq9/+w:86400 SUBMITTER=secretary@example.com\r\n');
    const mail = s.commands.find((c): c is smtp.MailCommand => c.verb === 'MAIL')!;
    expect(smtp.readMailParameters(mail.params)).toEqual({ envid: 'QQ314159', mtrk: { certifier: 'x5Tq9/+w', timeout: 86400 }, submitter: 'secretary@example.com' });
    expect(s.clientEvents.some((e) => e.type === 'message')).toBe(true);
  });

  it('rfc1845 + rfc3865 + rfc4141: TRANSID, SOLICIT, CONPERM on MAIL and CONNEG on RCPT', () => {
    const s = pair(ext('CHECKPOINT', 'NO-SOLICITING', 'CONPERM', 'CONNEG'));
    s.client.sendMail({ from: 'a@example.org', to: ['fax@example.net'], mail: { transId: '12345@claremont.edu', solicit: ['org.example:ADV'], conperm: true }, rcpt: { conneg: true } });
    s.client.endBody();
    s.pump();
    expect(s.wire.join('')).toContain('MAIL FROM:<a@example.org> SOLICIT=org.example:ADV TRANSID=<12345@claremont.edu> CONPERM\r\nRCPT TO:<fax@example.net> CONNEG\r\n');
    expect(s.commands.filter((c) => c.verb === 'MAIL' || c.verb === 'RCPT')).toHaveLength(2);
  });

  it('the client refuses (RangeError, nothing written) a parameter whose extension the server did not offer', () => {
    const s = pair(ext('SUBMITTER'));
    expect(() => s.client.sendMail({ from: 'a@example.org', to: ['b@example.net'], mail: { mtrk: { certifier: 'abc', timeout: null } } })).toThrow(RangeError);
    expect(() => s.client.sendMail({ from: 'a@example.org', to: ['b@example.net'], mailParams: [{ keyword: 'TRANSID', value: '<1@a.example>' }] })).toThrow(RangeError);
    expect(() => s.client.sendMail({ from: 'a@example.org', to: ['b@example.net'], rcpt: { conneg: true } })).toThrow(RangeError);
    expect(s.client.takeOutput()).toEqual([]);
    expect(s.client.state).toBe('ready');
  });

  it('the server answers 501 5.5.4 to a malformed value of an offered extension and 555 5.5.4 to one it does not offer', () => {
    const s = pair(ext('MTRK'));
    const replies = (line: string): string => {
      const out: Uint8Array[] = [];
      const events = s.server.receive(enc(line));
      for (const e of events) if (e.type === 'command') s.server.accept();
      out.push(...s.server.takeOutput());
      return dec(concat(out));
    };
    expect(replies('MAIL FROM:<a@example.org> MTRK=abc:abc\r\n')).toBe('501 5.5.4 Invalid MAIL parameters\r\n');
    expect(replies('MAIL FROM:<a@example.org> SUBMITTER=a@b.example\r\n')).toBe('555 5.5.4 SUBMITTER parameter not supported\r\n');
    expect(replies('MAIL FROM:<a@example.org> MTRK=abc:60\r\n')).toMatch(/^250 /);
    expect(replies('RCPT TO:<b@example.net> CONNEG\r\n')).toBe('555 5.5.4 CONNEG parameter not supported\r\n');
    expect(replies('RCPT TO:<b@example.net>\r\n')).toMatch(/^250 /);
  });
});
