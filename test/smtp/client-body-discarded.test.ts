import { describe, expect, it } from 'vitest';
import { smtp } from '../../src/index';
import { bytewise, concat, dec, enc, splitAt } from '../helpers/bytes';

const out = (c: smtp.ClientSession): string => dec(concat(c.takeOutput()));

function ready(pipelining: boolean): smtp.ClientSession {
  const c = new smtp.ClientSession({ domain: 'c.example' });
  c.receive(enc('220 mx.example ESMTP Postfix\r\n'));
  c.receive(enc(pipelining ? '250-mx.example\r\n250 PIPELINING\r\n' : '250 mx.example\r\n'));
  out(c);
  return c;
}

// Postfix, every recipient refused: MAIL 250, RCPT 550, DATA 554.
const REFUSED = '250 2.1.0 Ok\r\n550 5.1.1 <nobody@example.net>: Recipient address rejected\r\n554 5.5.1 Error: no valid recipients\r\n';
const BODY = 'Subject: x\r\n\r\nsecret body\r\n';

describe('smtp client: writeBody()/endBody() after every recipient was refused never throw (postfix: MAIL 250, RCPT 550, DATA 554)', () => {
  it('every split of the replies, the body written and ended before, between or after any of the reads', () => {
    const wire = enc(REFUSED);
    const splits: Uint8Array[][] = [bytewise(wire), [wire]];
    for (let i = 1; i < wire.length; i++) splits.push(splitAt(wire, [i]));
    for (const chunks of splits) {
      for (let w = 0; w <= chunks.length; w++) {
        for (let e = w; e <= chunks.length; e++) {
          const c = ready(true);
          c.sendMail({ from: 'a@example.org', to: ['nobody@example.net'] });
          expect(out(c)).toBe('MAIL FROM:<a@example.org>\r\nRCPT TO:<nobody@example.net>\r\nDATA\r\n');
          const events: smtp.ClientEvent[] = [];
          const discarded: smtp.ClientEvent[] = [];
          for (let i = 0; i <= chunks.length; i++) {
            if (i === w) discarded.push(...c.writeBody(enc(BODY)));
            if (i === e) discarded.push(...c.endBody());
            if (i < chunks.length) events.push(...c.receive(chunks[i]!));
          }
          expect(events.filter((x) => x.type === 'message')).toMatchObject([{ accepted: false, reply: { code: 554 } }]);
          expect(events.filter((x) => x.type === 'error')).toEqual([]);
          // The body never reaches the wire; the transaction the server holds is reset.
          expect(out(c)).toBe('RSET\r\n');
          // Writes after the refusal are no-ops, each reported; writes before it were held and dropped.
          for (const d of discarded) expect(d).toMatchObject({ type: 'body-discarded', reply: { code: 554 } });
          expect(discarded.length).toBe((w === chunks.length ? 1 : 0) + (e === chunks.length ? 1 : 0));
          expect(c.state).toBe('ready');
        }
      }
    }
  });

  it('without PIPELINING, one reply per read: the body written at any point is never sent', () => {
    const replies = REFUSED.split('\r\n').slice(0, 3).map((l) => `${l}\r\n`);
    for (let w = 0; w <= 3; w++) {
      const c = ready(false);
      c.sendMail({ from: 'a@example.org', to: ['nobody@example.net'] });
      let wire = out(c);
      for (let i = 0; i <= 3; i++) {
        if (i === w) {
          expect(() => c.writeBody(enc(BODY))).not.toThrow();
          expect(() => c.endBody()).not.toThrow();
        }
        if (i < 3) c.receive(enc(replies[i]!));
        wire += out(c);
      }
      expect(wire).toBe('MAIL FROM:<a@example.org>\r\nRCPT TO:<nobody@example.net>\r\nDATA\r\nRSET\r\n');
    }
  });

  it('a DATA 354 although no recipient was accepted: an empty body closes it, later writes are discarded', () => {
    const c = ready(true);
    c.sendMail({ from: 'a@example.org', to: ['nobody@example.net'] });
    out(c);
    c.receive(enc('250 ok\r\n550 no\r\n354 go ahead\r\n'));
    expect(out(c)).toBe('.\r\n');
    expect(c.writeBody(enc(BODY))).toMatchObject([{ type: 'body-discarded', octets: BODY.length, reply: { code: 550 } }]);
    expect(c.endBody()).toMatchObject([{ type: 'body-discarded', octets: 0 }]);
    expect(out(c)).toBe('');
    expect(c.receive(enc('554 no valid recipients\r\n'))).toMatchObject([{ type: 'reply' }, { type: 'message', accepted: false }]);
  });

  it('a 421 in the middle of the transaction: closed, later writes are discarded with a null reply... or the 421', () => {
    const c = ready(true);
    c.sendMail({ from: 'a@example.org', to: ['b@example.net'] });
    out(c);
    c.receive(enc('421 4.3.2 shutting down\r\n'));
    expect(c.state).toBe('closed');
    expect(c.writeBody(enc(BODY))).toMatchObject([{ type: 'body-discarded', reply: { code: 421 } }]);
    expect(c.endBody()).toMatchObject([{ type: 'body-discarded' }]);
    expect(out(c)).toBe('');
    // Calls the closed event may have raced with are no-ops, not throws.
    expect(() => c.sendMail({ from: 'a@example.org', to: ['b@example.net'] })).not.toThrow();
    expect(() => c.quit()).not.toThrow();
    expect(out(c)).toBe('');
  });

  it('still a mistake: writeBody() with no transaction, or after endBody()', () => {
    const c = ready(true);
    expect(() => c.writeBody(enc('x'))).toThrow(Error);
    c.sendMail({ from: 'a@example.org', to: ['b@example.net'] });
    c.endBody();
    expect(() => c.writeBody(enc('x'))).toThrow(/after endBody/);
  });
});
