/** mailwire's SMTP ClientSession against Postfix (port smtp, and submission with SASL through Dovecot). */
import { afterAll, describe, expect, it } from 'vitest';
import { smtp } from '../../src/index';
import { readBack, messageIdOf } from './mailbox';
import { concat, dec, enc, expectDeliveredIntact, multipart, plain } from './messages';
import { closeAll, eventually, openSmtp, servers, STEP_MS, type SmtpWire } from './net';
import { imapLogin, imapLogout, imapOk } from './net';
import { fetchBody } from './mailbox';

afterAll(closeAll);

const info = servers();
const D = info.domain;
const rcpt = `smtpuser@${D}`;

/** Takes the session's output by hand (to look at it) and writes it to the socket. */
function flushSeen(w: SmtpWire): string {
  const bytes = concat(w.session.takeOutput());
  w.socket.write(bytes);
  return dec(bytes);
}

async function quit(w: SmtpWire): Promise<void> {
  w.do((s) => s.quit());
  const closed = await w.next('closed', STEP_MS);
  expect(closed.reply?.code).toBe(221);
  w.close();
}

describe('SMTP ClientSession against Postfix', () => {
  it('EHLO reads the extensions Postfix announces', async () => {
    const { w, ready } = await openSmtp(info.ports.smtp);
    const caps = ready.capabilities!;
    expect(caps.domain).toBe(`mx.${D}`);
    expect(caps.pipelining).toBe(true);
    expect(caps.chunking).toBe(true);
    expect(caps.dsn).toBe(true);
    expect(caps.smtputf8).toBe(true);
    expect(caps.enhancedStatusCodes).toBe(true);
    expect(caps.eightBitMime).toBe(true);
    expect(caps.size).toBe(20_000_000);
    expect(caps.auth).toEqual([]); // AUTH only on submission
    await quit(w);
  });

  it('pipelines MAIL, RCPT, RCPT and DATA in one write; the message arrives byte for byte', async () => {
    const { w } = await openSmtp(info.ports.smtp);
    const msg = plain(`bounces@${D}`, rcpt, 'pipelined');
    w.session.sendMail({ from: `bounces@${D}`, to: [rcpt, `lmtpuser@${D}`] });
    const first = flushSeen(w);
    // All four commands left before any reply came back (RFC 2920).
    expect(first).toBe(`MAIL FROM:<bounces@${D}>\r\nRCPT TO:<${rcpt}>\r\nRCPT TO:<lmtpuser@${D}>\r\nDATA\r\n`);
    w.do((s) => {
      s.writeBody(msg.subarray(0, 100));
      s.writeBody(msg.subarray(100));
      s.endBody();
    });
    const events = await w.until((e) => e.type === 'message', STEP_MS);
    const recipients = events.filter((e): e is smtp.ClientRecipientEvent => e.type === 'recipient');
    expect(recipients.map((r) => [r.to.localPart, r.accepted, r.reply.code])).toEqual([
      ['smtpuser', true, 250],
      ['lmtpuser', true, 250],
    ]);
    const m = events[events.length - 1] as smtp.ClientMessageEvent;
    expect(m.accepted).toBe(true);
    expect(m.reply.code).toBe(250);
    expect(m.reply.enhanced).toEqual({ class: 2, subject: 0, detail: 0 });
    expect(m.acceptedRecipients).toHaveLength(2);
    await quit(w);
    expectDeliveredIntact(await readBack('smtpuser', messageIdOf(msg)), msg);
    expectDeliveredIntact(await readBack('lmtpuser', messageIdOf(msg)), msg);
  });

  it('sends the body with BDAT (CHUNKING) in several chunks, then BDAT 0 LAST', async () => {
    const { w } = await openSmtp(info.ports.smtp, { chunking: true });
    const msg = multipart(`bounces@${D}`, rcpt, 'chunked');
    w.session.sendMail({ from: `bounces@${D}`, to: [rcpt], mailParams: [{ keyword: 'BODY', value: '8BITMIME' }] });
    const cut = Math.floor(msg.length / 3);
    w.session.writeBody(msg.subarray(0, cut));
    w.session.writeBody(msg.subarray(cut, 2 * cut));
    w.session.writeBody(msg.subarray(2 * cut));
    w.session.endBody();
    const out = flushSeen(w);
    expect(out.startsWith(`MAIL FROM:<bounces@${D}> BODY=8BITMIME\r\nRCPT TO:<${rcpt}>\r\nBDAT ${cut}\r\n`)).toBe(true);
    expect(out).not.toContain('DATA\r\n');
    expect(out.endsWith('BDAT 0 LAST\r\n')).toBe(true);
    const events = await w.until((e) => e.type === 'message', STEP_MS);
    const bdat = events.filter((e) => e.type === 'reply' && e.command?.verb === 'BDAT');
    expect(bdat).toHaveLength(4);
    const m = events[events.length - 1] as smtp.ClientMessageEvent;
    expect(m.accepted).toBe(true);
    await quit(w);
    expectDeliveredIntact(await readBack('smtpuser', messageIdOf(msg)), msg);
  });

  it('DSN parameters: RET, ENVID, NOTIFY and ORCPT are accepted and honoured (a success DSN comes back)', async () => {
    const envid = `mailwire+${Date.now()}`;
    const { w } = await openSmtp(info.ports.smtp);
    const msg = plain(`bounces@${D}`, rcpt, 'dsn please');
    w.do((s) => {
      s.sendMail({
        from: `bounces@${D}`,
        to: [rcpt],
        mailParams: [
          { keyword: 'RET', value: 'HDRS' },
          { keyword: 'ENVID', value: smtp.encodeXtext(envid) },
        ],
        rcptParams: [
          { keyword: 'NOTIFY', value: 'SUCCESS,FAILURE' },
          { keyword: 'ORCPT', value: `rfc822;${smtp.encodeXtext(rcpt)}` },
        ],
      });
      s.writeBody(msg);
      s.endBody();
    });
    const m = await w.next('message', STEP_MS);
    expect(m.accepted).toBe(true);
    await quit(w);
    expectDeliveredIntact(await readBack('smtpuser', messageIdOf(msg)), msg);
    // Postfix reports the successful delivery to the envelope sender with our ENVID.
    const report = await eventually(
      async () => {
        const r = await imapLogin('bounces');
        try {
          await imapOk(r, { command: 'EXAMINE', mailbox: 'INBOX' });
          const { done } = await imapOk(r, { command: 'SEARCH', uid: true, charset: null, criteria: [{ key: 'BODY', value: envid }] });
          const found = done.untagged.find((u) => u.kind === 'SEARCH');
          const uid = found && found.kind === 'SEARCH' ? found.numbers[0] : undefined;
          return uid === undefined ? undefined : dec(await fetchBody(r, uid));
        } finally {
          await imapLogout(r);
        }
      },
      20_000,
      'success DSN',
    );
    expect(report).toMatch(/Content-Type: multipart\/report; report-type=delivery-status/i);
    expect(report).toContain(`Original-Envelope-Id: ${envid}`);
    expect(report).toMatch(new RegExp(`Original-Recipient: rfc822; ?${rcpt}`));
    // Dovecot's LMTP does not offer DSN, so Postfix says "relayed" (RFC 3464 2.3.3) with the LMTP 250.
    expect(report).toMatch(/\r\nAction: (delivered|relayed)\r\nStatus: 2\.0\.0\r\n/);
    // RET=HDRS: the report returns the headers only, not the body.
    expect(report).toContain('Content-Type: text/rfc822-headers');
    expect(report).toContain('Subject: dsn please');
    expect(report).not.toContain('a line with a leading dot');
  });

  it('reports a rejected recipient and still delivers to the accepted one', async () => {
    const { w } = await openSmtp(info.ports.smtp);
    const msg = plain(`bounces@${D}`, rcpt, 'partly rejected');
    w.do((s) => {
      s.sendMail({ from: `bounces@${D}`, to: [`nobody@${D}`, rcpt, 'someone@elsewhere.example'] });
      s.writeBody(msg);
      s.endBody();
    });
    const events = await w.until((e) => e.type === 'message', STEP_MS);
    const r = events.filter((e): e is smtp.ClientRecipientEvent => e.type === 'recipient');
    expect(r.map((e) => [e.to.localPart, e.accepted])).toEqual([
      ['nobody', false],
      ['smtpuser', true],
      ['someone', false],
    ]);
    expect(r[0]!.reply.code).toBe(550);
    expect(r[0]!.reply.enhanced).toEqual({ class: 5, subject: 1, detail: 1 });
    expect(r[2]!.reply.code).toBe(554);
    expect(r[2]!.reply.enhanced).toEqual({ class: 5, subject: 7, detail: 1 });
    const m = events[events.length - 1] as smtp.ClientMessageEvent;
    expect(m.accepted).toBe(true);
    expect(m.acceptedRecipients.map((p) => p.localPart)).toEqual(['smtpuser']);
    await quit(w);
    expectDeliveredIntact(await readBack('smtpuser', messageIdOf(msg)), msg);
  });

  it('a transaction with every recipient refused ends with a refused message and the session stays usable', async () => {
    const { w } = await openSmtp(info.ports.smtp);
    w.do((s) => {
      s.sendMail({ from: `bounces@${D}`, to: [`nobody@${D}`] });
      s.writeBody(enc('Subject: x\r\n\r\nnever\r\n'));
      s.endBody();
    });
    const m = await w.next('message', STEP_MS);
    expect(m.accepted).toBe(false);
    expect(m.acceptedRecipients).toEqual([]);
    expect(w.session.state).toBe('ready');
    // Postfix still holds the MAIL transaction after refusing DATA; the session resets it, so a
    // second transaction on the same connection goes through.
    const msg = plain(`bounces@${D}`, rcpt, 'after a refused transaction');
    w.do((s) => {
      s.sendMail({ from: `bounces@${D}`, to: [rcpt] });
      s.writeBody(msg);
      s.endBody();
    });
    const events = await w.until((e) => e.type === 'message', STEP_MS);
    expect(events.filter((e) => e.type === 'reply').map((e) => (e.type === 'reply' ? `${e.command?.verb ?? 'body'} ${e.reply.code}` : ''))).toEqual(['RSET 250', 'MAIL 250', 'RCPT 250', 'DATA 354', 'body 250']);
    expect((events[events.length - 1] as smtp.ClientMessageEvent).accepted).toBe(true);
    await quit(w);
    expectDeliveredIntact(await readBack('smtpuser', messageIdOf(msg)), msg);
  });

  for (const mechanism of ['PLAIN', 'LOGIN'] as const) {
    it(`AUTH ${mechanism} on submission: a wrong password is refused, the right one lets mail through`, async () => {
      const { w, ready } = await openSmtp(info.ports.submission);
      expect(ready.capabilities!.auth).toEqual(['PLAIN', 'LOGIN']);
      // Before AUTH, submission refuses to take mail.
      w.do((s) => {
        s.sendMail({ from: `smtpuser@${D}`, to: [rcpt] });
        s.writeBody(enc('Subject: x\r\n\r\nx\r\n'));
        s.endBody();
      });
      const refused = await w.next('message', STEP_MS);
      expect(refused.accepted).toBe(false);
      expect(refused.reply.code).toBe(554);

      w.do((s) => s.authenticate({ mechanism, user: 'smtpuser', password: 'wrong' }));
      const bad = await w.next('auth', STEP_MS);
      expect(bad.success).toBe(false);
      expect(bad.reply.code).toBe(535);
      expect(bad.reply.enhanced).toEqual({ class: 5, subject: 7, detail: 8 });

      w.do((s) => s.authenticate({ mechanism, user: 'smtpuser', password: info.users.smtpuser!.password }));
      const good = await w.next('auth', STEP_MS);
      expect(good.success).toBe(true);
      expect(good.reply.code).toBe(235);

      const msg = plain(`smtpuser@${D}`, rcpt, `submitted with ${mechanism}`);
      w.do((s) => {
        s.sendMail({ from: `smtpuser@${D}`, to: [rcpt] });
        s.writeBody(msg);
        s.endBody();
      });
      const m = await w.next('message', STEP_MS);
      expect(m.accepted).toBe(true);
      await quit(w);
      expectDeliveredIntact(await readBack('smtpuser', messageIdOf(msg)), msg);
    });
  }
});
