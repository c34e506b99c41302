// RFC 10022 UIDBATCHES: the command's limits, the `* UIDBATCHES` response (its fixtures are in
// test/fixtures/imap/uidbatches.json), and a session exchange. The RFC text could not be read
// here: the facts are the ones stalwart's server tests, swift-nio-imap and Cyrus agree on.
import { describe, expect, it } from 'vitest';
import { ProtocolError, imap } from '../../src/index';
import { concat, dec, enc } from '../helpers/bytes';

const line = (c: imap.Command) => dec(concat(imap.encodeCommand(c).map((f) => f.data)));

describe('rfc10022 UIDBATCHES command', () => {
  it('a batch size below 500 is read (the server answers NO [TOOFEW]) but never written', () => {
    expect(imap.parseCommand(enc('A1 UIDBATCHES 10\r\n'))).toEqual({ tag: 'A1', command: 'UIDBATCHES', size: 10, batches: null });
    expect(() => line({ tag: 'A1', command: 'UIDBATCHES', size: 499, batches: null })).toThrow(RangeError);
    expect(line({ tag: 'A1', command: 'UIDBATCHES', size: imap.UIDBATCHES_MIN_BATCH_SIZE, batches: [1, 1] })).toBe('A1 UIDBATCHES 500 1:1\r\n');
  });

  it('a reversed batch range is read as sent (the answer is BAD [CLIENTBUG]) and is never written', () => {
    expect(imap.parseCommand(enc('A2 UIDBATCHES 500 20:10\r\n'))).toEqual({ tag: 'A2', command: 'UIDBATCHES', size: 500, batches: [20, 10] });
    expect(() => line({ tag: 'A2', command: 'UIDBATCHES', size: 500, batches: [20, 10] })).toThrow(RangeError);
  });

  it('uidBatchesRefusal: NO [TOOFEW], BAD [CLIENTBUG], NO [TOOMANY] as stalwart answers them; null to go ahead', () => {
    const cmd = (size: number, batches: [number, number] | null): imap.UidBatchesCommand => ({ tag: 'A1', command: 'UIDBATCHES', size, batches });
    expect(imap.uidBatchesRefusal(cmd(10, null))).toMatchObject({ status: 'NO', code: 'TOOFEW' });
    expect(imap.uidBatchesRefusal(cmd(500, [20, 10]))).toMatchObject({ status: 'BAD', code: 'CLIENTBUG' });
    expect(imap.uidBatchesRefusal(cmd(500, [1, 100000]))).toMatchObject({ status: 'NO', code: 'TOOMANY' });
    expect(imap.uidBatchesRefusal(cmd(2000, [1, 50]))).toBeNull();
    expect(imap.uidBatchesRefusal(cmd(2000, [1, 51]))).toMatchObject({ code: 'TOOMANY' });
    expect(imap.uidBatchesRefusal(cmd(500, null), { messages: 250_000 })).toMatchObject({ code: 'TOOMANY' });
    expect(imap.uidBatchesRefusal(cmd(500, null), { messages: 250_000, maxMessages: 1_000_000 })).toBeNull();
    expect(() => imap.uidBatchesRefusal(cmd(500, null), { maxMessages: 99_999 })).toThrow(RangeError);
  });

  it('a server session refuses a reversed range BAD [CLIENTBUG] and answers a good one with * UIDBATCHES', () => {
    const s = new imap.ServerSession({ preauth: true, capabilities: ['UIDBATCHES'] });
    for (const e of s.receive(enc('S0 SELECT INBOX\r\n'))) if (e.type === 'command') s.ok('[READ-WRITE] done');
    s.takeOutput();
    // Each answer releases the next command: its events are handled the same way.
    const handle = (events: imap.ServerEvent[]): void => {
      for (const e of events) {
        if (e.type !== 'command' || e.command.command !== 'UIDBATCHES') continue;
        const refusal = imap.uidBatchesRefusal(e.command, { messages: 8000 });
        if (refusal !== null) {
          handle(refusal.status === 'BAD' ? s.bad(refusal.text, { name: refusal.code, raw: '' }) : s.no(refusal.text, { name: refusal.code, raw: '' }));
          continue;
        }
        s.untagged({ type: 'untagged', kind: 'UIDBATCHES', tag: e.command.tag, ranges: [{ high: 215295, low: 99696 }, { high: 99695, low: 20351 }, { high: 20350, low: 7830 }, { high: 7829, low: 1 }] });
        handle(s.ok('UIDBATCHES completed'));
      }
    };
    handle(s.receive(enc('A142 UIDBATCHES 500 20:10\r\nA143 UIDBATCHES 2000\r\n')));
    expect(dec(concat(s.takeOutput()))).toBe(
      'A142 BAD [CLIENTBUG] Batch ranges go from the lowest to the highest\r\n* UIDBATCHES (TAG "A143") 215295:99696,99695:20351,20350:7830,7829:1\r\nA143 OK UIDBATCHES completed\r\n',
    );
  });
});

describe('rfc10022 UIDBATCHES response', () => {
  it('reads the tagged correlator and the batches, highest first; a batch written low:high is the same batch', () => {
    expect(imap.parseResponse('* UIDBATCHES (TAG "A1") 99:50,1:49\r\n')).toEqual({ type: 'untagged', kind: 'UIDBATCHES', tag: 'A1', ranges: [{ high: 99, low: 50 }, { high: 49, low: 1 }] });
  });

  it('negative: no correlator, another correlator, an empty batch between commas, trailing text', () => {
    for (const w of ['* UIDBATCHES 215295:99696\r\n', '* UIDBATCHES (MAILBOX "x") 5:1\r\n', '* UIDBATCHES (TAG "A1") 10:5,,3:1\r\n', '* UIDBATCHES (TAG "A1") 10:5 junk\r\n', '* UIDBATCHES (TAG "A1") 0:1\r\n']) {
      expect(imap.parseResponse(w), w).toBeInstanceOf(ProtocolError);
    }
  });

  it('the writer refuses batches that would read as other batches: low above high, going up, overlapping, UID 0 or past 2^32-1', () => {
    const write = (ranges: { high: number; low: number }[]) => imap.encodeResponse({ type: 'untagged', kind: 'UIDBATCHES', tag: 'A1', ranges });
    expect(dec(write([{ high: 99, low: 50 }, { high: 49, low: 1 }]))).toBe('* UIDBATCHES (TAG "A1") 99:50,49:1\r\n');
    expect(dec(write([]))).toBe('* UIDBATCHES (TAG "A1")\r\n');
    expect(() => write([{ high: 50, low: 99 }])).toThrow(RangeError);
    expect(() => write([{ high: 49, low: 1 }, { high: 99, low: 50 }])).toThrow(RangeError);
    expect(() => write([{ high: 99, low: 50 }, { high: 55, low: 1 }])).toThrow(RangeError);
    expect(() => write([{ high: 5, low: 0 }])).toThrow(RangeError);
    expect(() => write([{ high: 2 ** 32, low: 1 }])).toThrow(RangeError);
  });
});
