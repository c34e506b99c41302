/** mailwire's SMTP ClientSession in LMTP mode against Dovecot's LMTP server: per-recipient replies. */
import { afterAll, describe, expect, it } from 'vitest';
import { smtp } from '../../src/index';
import { messageIdOf, readBack } from './mailbox';
import { big, concat, dec, expectDeliveredIntact, plain } from './messages';
import { closeAll, openSmtp, servers, STEP_MS } from './net';

afterAll(closeAll);

const info = servers();
const D = info.domain;

describe('LMTP ClientSession against Dovecot', () => {
  for (const chunking of [false, true]) {
    it(`${chunking ? 'BDAT' : 'DATA'}: one reply per accepted recipient after the body (over quota refused, others delivered)`, async () => {
      const { w, ready } = await openSmtp(info.ports.lmtp, { lmtp: true, chunking });
      expect(ready.capabilities!.domain).toBe(`imap.${D}`);
      expect(ready.capabilities!.chunking).toBe(true);
      expect(ready.capabilities!.pipelining).toBe(true);
      // "tiny" has a 1 KiB quota: Dovecot accepts the RCPT and refuses that delivery after the body.
      const msg = big(`bounces@${D}`, `lmtpuser@${D}`, `lmtp ${chunking ? 'bdat' : 'data'}`, 20_000);
      w.session.sendMail({ from: `bounces@${D}`, to: [`lmtpuser@${D}`, `nobody@${D}`, `tiny@${D}`, `imapuser@${D}`] });
      w.session.writeBody(msg.subarray(0, 7000));
      w.session.writeBody(msg.subarray(7000));
      w.session.endBody();
      const bytes = concat(w.session.takeOutput());
      w.socket.write(bytes);
      // LMTP is always pipelined (RFC 2033 4.2): everything leaves before the first reply.
      const sent = dec(bytes);
      expect(sent.startsWith(`MAIL FROM:<bounces@${D}>\r\nRCPT TO:<lmtpuser@${D}>\r\nRCPT TO:<nobody@${D}>\r\n`)).toBe(true);
      // BDAT chunks follow at once; a DATA body waits for the 354.
      expect(sent).toMatch(chunking ? /\r\nBDAT 7000\r\n[^]*BDAT 0 LAST\r\n$/ : /\r\nRCPT TO:<imapuser@interop\.test>\r\nDATA\r\n$/);

      const events = await w.until((e) => e.type === 'message', STEP_MS);
      const rcpt = events.filter((e): e is smtp.ClientRecipientEvent => e.type === 'recipient');
      expect(rcpt.map((e) => [e.stage, e.to.localPart, e.accepted, e.reply.code])).toEqual([
        ['rcpt', 'lmtpuser', true, 250],
        ['rcpt', 'nobody', false, 550],
        ['rcpt', 'tiny', true, 250],
        ['rcpt', 'imapuser', true, 250],
        ['delivery', 'lmtpuser', true, 250],
        ['delivery', 'tiny', false, 552],
        ['delivery', 'imapuser', true, 250],
      ]);
      expect(rcpt[1]!.reply.enhanced).toEqual({ class: 5, subject: 1, detail: 1 });
      expect(rcpt[5]!.reply.enhanced).toEqual({ class: 5, subject: 2, detail: 2 });
      const m = events[events.length - 1] as smtp.ClientMessageEvent;
      expect(m.accepted).toBe(true);
      expect(m.acceptedRecipients.map((p) => p.localPart)).toEqual(['lmtpuser', 'imapuser']);
      expect(w.session.state).toBe('ready');

      w.do((s) => s.quit());
      expect((await w.next('closed', STEP_MS)).reply?.code).toBe(221);
      w.close();
      const id = messageIdOf(msg);
      expectDeliveredIntact(await readBack('lmtpuser', id), msg);
      expectDeliveredIntact(await readBack('imapuser', id), msg);
    });
  }

  it('two transactions on one connection', async () => {
    const { w } = await openSmtp(info.ports.lmtp, { lmtp: true });
    const msgs = [plain(`bounces@${D}`, `lmtpuser@${D}`, 'lmtp first'), plain(`bounces@${D}`, `lmtpuser@${D}`, 'lmtp second')];
    for (const msg of msgs) {
      w.do((s) => {
        s.sendMail({ from: `bounces@${D}`, to: [`lmtpuser@${D}`] });
        s.writeBody(msg);
        s.endBody();
      });
      const m = await w.next('message', STEP_MS);
      expect(m.accepted).toBe(true);
      expect(m.reply.code).toBe(250);
    }
    w.do((s) => s.quit());
    await w.next('closed', STEP_MS);
    w.close();
    for (const msg of msgs) expectDeliveredIntact(await readBack('lmtpuser', messageIdOf(msg)), msg);
  });
});
