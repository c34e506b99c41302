import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { smtp } from '../../src/index';
import * as arb from '../../src/testing/smtp';
import { enc, splitAt } from '../helpers/bytes';

describe('smtp properties', () => {
  it('parseCommand(encodeCommand(c)) equals c', () => {
    fc.assert(
      fc.property(arb.command(), (c) => {
        const line = smtp.encodeCommand(c);
        expect(line.endsWith('\r\n')).toBe(true);
        expect(line.slice(0, -2)).not.toMatch(/[\r\n]/);
        expect(smtp.parseCommand(line.slice(0, -2))).toEqual(c);
      }),
      { numRuns: 500 },
    );
  });

  it('parseReply(encodeReply(r)) equals r', () => {
    fc.assert(
      fc.property(arb.reply(), (r) => {
        expect(smtp.parseReply(smtp.encodeReply(r))).toEqual(r);
      }),
      { numRuns: 500 },
    );
  });

  it('a client stream parses to the same items for any split', () => {
    const run = (chunks: Uint8Array[]) => {
      const p = new smtp.CommandParser();
      const out: unknown[] = [];
      const take = (items: smtp.CommandParserItem[]) => {
        for (const it of items) {
          out.push(it.type === 'data' ? ['data', [...it.chunk]] : it);
          if (it.type === 'command' && it.command.verb === 'DATA') take(p.startData());
        }
      };
      for (const c of chunks) take(p.push(c));
      // Merge adjacent data pieces: chunk boundaries may split them.
      const merged: unknown[] = [];
      for (const x of out) {
        const prev = merged[merged.length - 1];
        if (Array.isArray(x) && Array.isArray(prev)) (prev[1] as number[]).push(...(x[1] as number[]));
        else merged.push(Array.isArray(x) ? ['data', [...(x[1] as number[])]] : x);
      }
      return merged;
    };
    fc.assert(
      fc.property(arb.clientStream(), fc.array(fc.nat(2000), { maxLength: 8 }), (s, cuts) => {
        const wire = enc(s);
        const whole = run([wire]);
        expect(whole.some((x) => (x as { type?: string }).type === 'error')).toBe(false);
        expect(run(splitAt(wire, cuts))).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });

  it('capabilities survive a round trip through an EHLO reply', () => {
    fc.assert(
      fc.property(arb.domain(), fc.array(fc.constantFrom('PIPELINING', 'CHUNKING', 'DSN', 'SMTPUTF8', '8BITMIME', 'STARTTLS'), { maxLength: 6 }), fc.nat(1e9), (d, kws, size) => {
        const exts: smtp.Extension[] = [...new Set(kws)].map((k) => ({ keyword: k, params: [] }));
        exts.push({ keyword: 'SIZE', params: [String(size)] });
        const wire = smtp.encodeReply({ code: 250, enhanced: null, lines: smtp.capabilityLines(d, 'hi', exts) });
        const caps = smtp.parseCapabilities(smtp.parseReply(wire) as smtp.Reply);
        expect(caps.domain).toBe(d);
        expect(caps.size).toBe(size);
        expect(caps.pipelining).toBe(kws.includes('PIPELINING'));
        expect(caps.extensions).toEqual(exts);
      }),
    );
  });
});
