import { describe, expect, it } from 'vitest';
import { smtp, ProtocolError } from '../../src/index';

describe('basic reply codes (RFC 5321 4.2, the seeds table 10.3.4.2)', () => {
  it('rfc5321 4.2.1: class and category from the digits', () => {
    const d = smtp.describeReply(354);
    expect(d.class).toBe('Positive Intermediate reply');
    expect(d.category).toBe('mail system');
    expect(d.meanings[0]!.text).toBe('Start mail input; end with <CRLF>.<CRLF>');
    expect(d.transient).toBe(false);
    expect(smtp.describeReply(421)).toMatchObject({ category: 'connections', transient: true, permanent: false });
  });

  it('every code of the seeds table is registered, with its source', () => {
    const seeds = [211, 214, 220, 221, 235, 250, 251, 252, 354, 421, 432, 450, 451, 452, 453, 454, 455, 500, 501, 502, 503, 504, 521, 523, 525, 534, 535, 538, 550, 551, 552, 553, 554, 555, 556];
    const missing = seeds.filter((c) => smtp.describeReply(c).meanings.length === 0);
    // 525 (User Account Disabled) is an enhanced status text in RFC 5248, not a basic code: it stays unregistered.
    expect(missing).toEqual([525]);
    expect(smtp.describeReply(450).meanings.map((x) => x.source)).toEqual(['RFC 5321', 'RFC 2645']);
    expect(smtp.describeReply(535).meanings[0]).toEqual({ text: 'Authentication credentials invalid', source: 'RFC 4954' });
  });

  it('a parsed reply is described with its enhanced status code', () => {
    const reply = smtp.parseReply('550 5.1.1 <bob@example.net> User unknown');
    if (reply instanceof ProtocolError) throw reply;
    expect(smtp.describeReply(reply)).toMatchObject({ code: 550, permanent: true, enhanced: 'Bad destination mailbox address' });
  });

  it('unregistered and out-of-range codes describe what the digits say and no more', () => {
    expect(smtp.describeReply(299)).toMatchObject({ class: 'Positive Completion reply', category: undefined, meanings: [] });
    expect(smtp.describeReply(699)).toMatchObject({ class: undefined, category: undefined, meanings: [] });
  });
});
