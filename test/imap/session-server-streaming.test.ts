import { describe, expect, it } from 'vitest';
import { imap } from '../../src/index';
import { concat, dec, enc } from '../helpers/bytes';

describe('imap ServerSession: big messages in and out without a copy (issue 15)', () => {
  it('rfc3501 6.3.11 APPEND above parser.appendStreamThreshold: literal-chunk events in order, then the command with a streamed stand-in', () => {
    const s = new imap.ServerSession({ preauth: true, parser: { appendStreamThreshold: 1024 } });
    s.takeOutput();
    const message = enc('Subject: big\r\n\r\n' + 'x'.repeat(6000) + '\r\n');
    const events: imap.ServerEvent[] = [...s.receive(enc(`A1 APPEND INBOX (\\Seen) {${message.length}}\r\n`))];
    expect(dec(concat(s.takeOutput()))).toBe('+ Ready for literal data\r\n');
    for (let i = 0; i < message.length; i += 700) events.push(...s.receive(message.subarray(i, i + 700)));
    events.push(...s.receive(enc('\r\n')));
    const chunks = events.flatMap((e) => (e.type === 'literal-chunk' ? [e.chunk] : []));
    expect(chunks.length).toBeGreaterThan(1);
    expect(dec(concat(chunks))).toBe(dec(message));
    expect(events.find((e) => e.type === 'literal-end')).toEqual({ type: 'literal-end', tag: 'A1', size: message.length });
    const cmd = events.find((e) => e.type === 'command');
    expect(cmd && cmd.type === 'command' && cmd.command.command === 'APPEND' && cmd.command.messages[0]).toMatchObject({ message: { kind: 'streamed', size: message.length } });
    expect(events.findIndex((e) => e.type === 'literal-end')).toBeLessThan(events.findIndex((e) => e.type === 'command'));
  });

  it('without the option every APPEND literal is held and comes in the command, as before', () => {
    const s = new imap.ServerSession({ preauth: true });
    s.takeOutput();
    const events = s.receive(enc('A1 APPEND INBOX {5}\r\nhello\r\n'));
    expect(events.map((e) => e.type)).toEqual(['command']);
  });

  it('a FETCH BODY[] written with untagged() reaches takeOutput() as a view of the application bytes (no copy of a big body)', () => {
    const s = new imap.ServerSession({ preauth: true });
    s.takeOutput();
    const ev = s.receive(enc('A1 SELECT INBOX\r\n'));
    expect(ev.map((e) => e.type)).toEqual(['command']);
    s.ok('done');
    s.takeOutput();
    s.receive(enc('A2 FETCH 1 BODY[]\r\n'));
    const body = new Uint8Array(1 << 20).fill(0x61);
    s.untagged({ type: 'untagged', kind: 'FETCH', seq: 1, attributes: { sections: [{ name: 'BODY[]', section: '', origin: null, data: body }] } });
    s.ok('FETCH completed');
    const out = s.takeOutput();
    expect(out.some((f) => f.buffer === body.buffer && f.length === body.length)).toBe(true);
    const wire = concat(out);
    const head = `* 1 FETCH (BODY[] {${body.length}}\r\n`;
    const tail = ')\r\nA2 OK FETCH completed\r\n';
    expect(dec(wire.subarray(0, head.length))).toBe(head);
    expect(dec(wire.subarray(wire.length - tail.length))).toBe(tail);
    expect(wire.length).toBe(head.length + body.length + tail.length);
  });
});
