/** mailwire's POP3 ClientSession against Dovecot: CAPA, APOP, STAT/LIST/UIDL/TOP, a 5 MB RETR, DELE/RSET/QUIT. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pop3 } from '../../src/index';
import { messageIdOf, waitForMessage } from './mailbox';
import { big, concat, dec, expectDeliveredIntact, plain } from './messages';
import { closeAll, deliver, openPop3, servers, STEP_MS, type Pop3Wire } from './net';

afterAll(closeAll);

const info = servers();
const D = info.domain;
const USER = 'popuser';
const SECRET = info.users[USER]!.password;
const to = `${USER}@${D}`;

const messages = [plain(`bounces@${D}`, to, 'pop first'), big(`bounces@${D}`, to, 'pop five megabytes'), plain(`bounces@${D}`, to, 'pop third', 'line 1\r\nline 2\r\nline 3\r\n.line 4\r\n')];

beforeAll(async () => {
  // One at a time, so that they are numbered 1, 2, 3 in the maildrop.
  for (const m of messages) {
    await deliver(to, m);
    await waitForMessage(USER, messageIdOf(m));
  }
}, 120_000);

type Response = Extract<pop3.ClientEvent, { type: 'response' }>;

async function response(w: Pop3Wire, verb: string): Promise<Response> {
  const events = await w.until((e) => e.type === 'response' && e.command.verb === verb, STEP_MS);
  return events[events.length - 1] as Response;
}

/** RETR or TOP: collects the data events (kept out of the queue) until data-end. */
async function body(w: Pop3Wire, intent: (s: pop3.ClientSession) => void, ms = 60_000): Promise<{ bytes: Uint8Array; chunks: number }> {
  const chunks: Uint8Array[] = [];
  w.onEvent((e) => {
    if (e.type !== 'data') return false;
    chunks.push(e.chunk);
    return true;
  });
  try {
    w.do(intent);
    const head = await w.until((e) => e.type === 'response', STEP_MS);
    const r = head[head.length - 1] as Response;
    expect(r.ok, r.response.text).toBe(true);
    await w.next('data-end', ms);
  } finally {
    w.onEvent(null);
  }
  return { bytes: concat(chunks), chunks: chunks.length };
}

async function apopLogin(): Promise<Pop3Wire> {
  const { w } = await openPop3(info.ports.pop3);
  w.do((s) => s.apop(USER, SECRET));
  const auth = await w.next('auth', STEP_MS);
  expect(auth.success, auth.response.text).toBe(true);
  return w;
}

async function quit(w: Pop3Wire): Promise<void> {
  w.do((s) => s.quit());
  await w.next('closed', STEP_MS);
  w.close();
}

describe('POP3 ClientSession against Dovecot', () => {
  it('greeting timestamp, CAPA, a refused APOP digest, then APOP', async () => {
    const { w, greeting } = await openPop3(info.ports.pop3);
    expect(greeting.response.status).toBe('+OK');
    expect(greeting.timestamp).toMatch(/^<[^<>]+@[^<>]+>$/);
    w.do((s) => s.capa());
    const capa = await response(w, 'CAPA');
    const caps = capa.capabilities!;
    expect(caps.top && caps.uidl && caps.user && caps.pipelining && caps.respCodes && caps.authRespCode).toBe(true);
    expect(caps.sasl).toEqual(['PLAIN', 'LOGIN']);
    expect(w.session.capabilities).toBe(caps);

    w.do((s) => s.apop(USER, 'not the secret'));
    const refused = await w.next('auth', STEP_MS);
    expect(refused.success).toBe(false);
    expect(refused.response.status).toBe('-ERR');
    expect(refused.response.code).toBe('AUTH');
    expect(w.session.state).toBe('authorization');

    w.do((s) => s.apop(USER, SECRET));
    const ok = await w.next('auth', STEP_MS);
    expect(ok.success).toBe(true);
    expect(w.session.state).toBe('transaction');
    await quit(w);
  });

  it('USER/PASS and AUTH PLAIN log in too', async () => {
    for (const login of [(s: pop3.ClientSession) => s.login(USER, SECRET), (s: pop3.ClientSession) => s.authenticate({ mechanism: 'PLAIN', user: USER, password: SECRET })]) {
      const { w } = await openPop3(info.ports.pop3);
      w.do(login);
      expect((await w.next('auth', STEP_MS)).success).toBe(true);
      await quit(w);
    }
  });

  it('STAT, LIST and UIDL pipelined after CAPA; TOP; the 5 MB RETR streams and arrives byte for byte', async () => {
    const w = await apopLogin();
    w.do((s) => s.capa());
    await response(w, 'CAPA');
    w.session.stat();
    w.session.list();
    w.session.uidl();
    w.session.list(2);
    const out = dec(concat(w.session.takeOutput()));
    expect(out).toBe('STAT\r\nLIST\r\nUIDL\r\nLIST 2\r\n'); // one write: PIPELINING
    w.socket.write(out);
    const stat = (await response(w, 'STAT')).stat!;
    const list = (await response(w, 'LIST')).list!;
    const uidl = (await response(w, 'UIDL')).uidl!;
    const list2 = (await response(w, 'LIST')).list!;
    expect(stat.count).toBe(3);
    expect(list.map((e) => e.message)).toEqual([1, 2, 3]);
    expect(stat.size).toBe(list.reduce((a, e) => a + e.size, 0));
    expect(list2).toEqual([list[1]]);
    expect(uidl.map((e) => e.message)).toEqual([1, 2, 3]);
    expect(new Set(uidl.map((e) => e.uid)).size).toBe(3);

    for (let i = 0; i < 3; i++) {
      const { bytes, chunks } = await body(w, (s) => s.retr(i + 1));
      expect(bytes.length).toBe(list[i]!.size);
      expectDeliveredIntact(bytes, messages[i]!);
      if (i === 1) expect(chunks).toBeGreaterThan(10); // streamed, not held
    }

    // TOP 3 0: the header and the blank line; TOP 3 2: plus two body lines.
    const full = dec((await body(w, (s) => s.retr(3))).bytes);
    const head = full.slice(0, full.indexOf('\r\n\r\n') + 4);
    expect(dec((await body(w, (s) => s.top(3, 0))).bytes)).toBe(head);
    expect(dec((await body(w, (s) => s.top(3, 2))).bytes)).toBe(`${head}line 1\r\nline 2\r\n`);

    w.do((s) => s.retr(9));
    const missing = await response(w, 'RETR');
    expect(missing.ok).toBe(false);
    await quit(w);
  });

  it('DELE, RSET undeletes; DELE then QUIT removes the message for good', async () => {
    const w = await apopLogin();
    w.do((s) => {
      s.uidl();
      s.dele(1);
      s.stat();
    });
    const before = (await response(w, 'UIDL')).uidl!;
    expect((await response(w, 'DELE')).ok).toBe(true);
    expect((await response(w, 'STAT')).stat!.count).toBe(2);
    w.do((s) => s.retr(1));
    expect((await response(w, 'RETR')).ok).toBe(false); // deleted messages are gone for RETR
    w.do((s) => {
      s.rset();
      s.stat();
    });
    expect((await response(w, 'RSET')).ok).toBe(true);
    expect((await response(w, 'STAT')).stat!.count).toBe(3);

    w.do((s) => s.dele(3));
    expect((await response(w, 'DELE')).ok).toBe(true);
    w.do((s) => s.quit());
    expect(w.session.state).toBe('update');
    const q = await response(w, 'QUIT');
    expect(q.ok).toBe(true);
    await w.next('closed', STEP_MS);
    expect(w.session.state).toBe('closed');
    w.close();

    const again = await apopLogin();
    again.do((s) => s.uidl());
    const after = (await response(again, 'UIDL')).uidl!;
    expect(after.map((e) => e.uid)).toEqual(before.slice(0, 2).map((e) => e.uid));
    const { bytes } = await body(again, (s) => s.retr(1));
    expectDeliveredIntact(bytes, messages[0]!);
    await quit(again);
  });
});
