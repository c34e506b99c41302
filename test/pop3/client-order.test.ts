/**
 * Nothing goes out before the +OK greeting (RFC 1939 4), and a response that arrived while no
 * command waited for one answers nothing: POP3 has no tags, so one early `+OK` read as the
 * answer to the next command would shift every later answer (the rule of all three clients,
 * core/pipeline.ts).
 */
import { describe, expect, it } from 'vitest';
import { pop3 } from '../../src/index';
import { concat, dec, enc } from '../helpers/bytes';

const out = (c: pop3.ClientSession) => dec(concat(c.takeOutput()));
const kinds = (events: readonly pop3.ClientEvent[]) => events.map((e) => (e.type === 'error' ? `error:${e.error.code}` : e.type));

describe('rfc1939 4: nothing before the greeting', () => {
  it('STAT queued before "+OK" waits for it; the APOP timestamp comes with the greeting', () => {
    const c = new pop3.ClientSession();
    c.stat();
    expect(() => c.apop('mrose', 'tanstaaf')).toThrow(/timestamp/);
    expect(out(c)).toBe('');
    const ev = c.receive(enc('+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n'));
    expect(ev).toMatchObject([{ type: 'greeting', timestamp: '<1896.697170952@dbc.mtview.ca.us>' }]);
    expect(out(c)).toBe('STAT\r\n');
  });

  it('a "-ERR" greeting closes; what was queued is never written', () => {
    const c = new pop3.ClientSession();
    c.stat();
    expect(kinds(c.receive(enc('-ERR go away\r\n')))).toEqual(['greeting', 'closed']);
    expect(out(c)).toBe('');
  });
});

describe('rfc1939 3: a response that arrived before its command was sent answers nothing', () => {
  it('"+OK 2 320" before STAT was sent: one UNEXPECTED, dropped; STAT gets its own answer', () => {
    const c = new pop3.ClientSession();
    c.receive(enc('+OK ready\r\n'));
    expect(kinds(c.receive(enc('+OK 2 320\r\n')))).toEqual(['error:UNEXPECTED']);
    c.stat();
    expect(out(c)).toBe('STAT\r\n');
    expect(c.receive(enc('+OK 1 100\r\n'))).toMatchObject([{ type: 'response', stat: { count: 1, size: 100 } }]);
  });

  it('"+OK 2 3" before STAT, "20\\r\\n" after: the whole line is dropped, STAT gets the next', () => {
    const c = new pop3.ClientSession();
    c.receive(enc('+OK ready\r\n'));
    expect(kinds(c.receive(enc('+OK 2 3')))).toEqual(['error:UNEXPECTED']);
    c.stat();
    expect(out(c)).toBe('STAT\r\n');
    expect(c.receive(enc('20\r\n+OK 1 100\r\n'))).toMatchObject([{ type: 'response', stat: { count: 1, size: 100 } }]);
  });

  it('in the same read as the greeting: dropped (one error per line), and in any split alike', () => {
    const wire = enc('+OK ready\r\n+OK 2 320\r\n-ERR no\r\n');
    for (let cut = 0; cut <= wire.length; cut++) {
      const c = new pop3.ClientSession();
      const ev = [...c.receive(wire.subarray(0, cut)), ...c.receive(wire.subarray(cut))];
      expect(kinds(ev), `cut ${cut}`).toEqual(['greeting', 'error:UNEXPECTED', 'error:UNEXPECTED']);
    }
  });

  it('answers that follow the greeting in the same read still answer what it released', () => {
    const c = new pop3.ClientSession();
    c.stat();
    expect(kinds(c.receive(enc('+OK ready\r\n+OK 2 320\r\n')))).toEqual(['greeting', 'response']);
  });
});
