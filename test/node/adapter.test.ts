/**
 * mailwire/node with real sockets on 127.0.0.1: STARTTLS/STLS upgrades with node:tls against
 * mailwire servers run by `serve()`, recorded on the wire (nothing secret before the handshake),
 * implicit TLS, certificate checking, and write backpressure against a client that never reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { smtp, pop3, imap, decodeBase64, decodeSaslPlain, ProtocolError } from '../../src/index';
import { connect, imapMessages, pop3Messages, sendMail, serve, type SocketSession } from '../../src/node/index';
import { makeTestCerts, type TestCerts } from './certs';
import { clearTextPrefix, indexOfBytes, recordingRelay } from './recorder';

let certs: TestCerts;
const servers: net.Server[] = [];
beforeAll(() => {
  certs = makeTestCerts();
});
afterAll(() => {
  for (const s of servers) s.close();
});


async function listen(server: net.Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as net.AddressInfo).port;
}

const enc = (s: string) => new TextEncoder().encode(s);
const MESSAGE = 'Subject: hello\r\n\r\nHello Bob\r\n';

function smtpServer(received: string[], implicit = false): net.Server {
  const body: Uint8Array[] = [];
  return serve<smtp.ServerSession>({
    createSession: () =>
      new smtp.ServerSession({
        domain: 'mx.test',
        extensions: [{ keyword: 'PIPELINING', params: [] }, { keyword: 'STARTTLS', params: [] }, { keyword: 'AUTH', params: ['PLAIN', 'LOGIN'] }],
      }),
    serverTls: { key: certs.key, cert: certs.cert },
    ...(implicit ? { implicitTls: { key: certs.key, cert: certs.cert } } : {}),
    commands: {
      AUTH: (c, conn) => {
        const ir = c.verb === 'AUTH' ? c.initialResponse : null;
        const creds = ir ? decodeSaslPlain(decodeBase64(ir) ?? new Uint8Array(0)) : null;
        const ok = creds !== null && !(creds instanceof ProtocolError) && creds.password === 'secret';
        conn.do((s) => (ok ? s.reply(235, 'Authenticated') : s.reply(535, 'Bad credentials')));
      },
      '*': (c, conn) => {
        if (c.verb !== 'BDAT') conn.do((s) => s.accept());
      },
    },
    onEvent: (e, conn) => {
      if (e.type === 'data') body.push(e.chunk);
      if (e.type === 'data-end') {
        received.push(new TextDecoder().decode(Buffer.concat(body)));
        conn.do((s) => s.accept());
      }
    },
  });
}

describe('mailwire/node: SMTP', () => {
  it('rfc3207 4: sendMail says STARTTLS, upgrades with tls.connect({ socket }), and sends AUTH and the mail only after the handshake', async () => {
    const received: string[] = [];
    const port = await listen(smtpServer(received));
    const relay = await recordingRelay(port);
    try {
      const result = await sendMail({
        host: '127.0.0.1',
        port: relay.port,
        tls: { ca: certs.ca, servername: 'localhost' },
        auth: { mechanism: 'PLAIN', user: 'alice', password: 'secret' },
        from: 'alice@example.org',
        to: ['bob@example.net'],
        message: MESSAGE,
      });
      expect(result).toMatchObject({ accepted: true, encrypted: true, reply: { code: 250 } });
      expect(received).toEqual([MESSAGE]);
      const sent = relay.sent();
      // In clear text: EHLO and STARTTLS, nothing else; then a TLS ClientHello.
      expect(clearTextPrefix(sent)).toBe('EHLO localhost\r\nSTARTTLS\r\n');
      expect(sent[clearTextPrefix(sent).length]).toBe(0x16);
      const plain = Buffer.from('\0alice\0secret').toString('base64');
      for (const secret of [plain, 'secret', 'alice@example.org', 'Hello Bob']) expect(indexOfBytes(sent, secret), secret).toBe(-1);
    } finally {
      relay.close();
    }
  });

  it('rfc8314 3.3: implicit TLS (SMTPS) from the first byte', async () => {
    const received: string[] = [];
    const port = await listen(smtpServer(received, true));
    const result = await sendMail({ host: '127.0.0.1', port, implicitTls: true, tls: { ca: certs.ca, servername: 'localhost' }, from: 'a@example.org', to: ['b@example.net'], message: enc(MESSAGE) });
    expect(result).toMatchObject({ accepted: true, encrypted: true });
    expect(received).toEqual([MESSAGE]);
  });

  it('a certificate not signed by a trusted CA fails the STARTTLS handshake, and no credential goes out', async () => {
    const port = await listen(smtpServer([]));
    const relay = await recordingRelay(port);
    try {
      await expect(
        sendMail({ host: '127.0.0.1', port: relay.port, tls: { servername: 'localhost' }, auth: { mechanism: 'PLAIN', user: 'alice', password: 'secret' }, from: 'a@example.org', to: ['b@example.net'], message: MESSAGE }),
      ).rejects.toThrow(/certificate/i);
      expect(indexOfBytes(relay.sent(), Buffer.from('\0alice\0secret').toString('base64'))).toBe(-1);
    } finally {
      relay.close();
    }
  });

  it("startTls: 'required' refuses a server that does not offer STARTTLS", async () => {
    const port = await listen(
      serve<smtp.ServerSession>({ createSession: () => new smtp.ServerSession({ domain: 'mx.test' }), commands: { '*': (_c, conn) => void conn.do((s) => s.accept()) } }),
    );
    await expect(sendMail({ port, from: 'a@example.org', to: ['b@example.net'], message: MESSAGE })).rejects.toThrow(/does not offer STARTTLS/);
  });
});

describe('mailwire/node: POP3 and IMAP', () => {
  const MESSAGES = ['Subject: one\r\n\r\nfirst\r\n', `Subject: two\r\n\r\n${'x'.repeat(200_000)}\r\n.dot line\r\n`];

  function pop3Server(): net.Server {
    return serve<pop3.ServerSession>({
      createSession: () => new pop3.ServerSession({ greeting: 'ready' }),
      serverTls: { key: certs.key, cert: certs.cert },
      commands: {
        CAPA: (_c, conn) => void conn.do((s) => s.listing('capabilities', ['USER', 'STLS', 'UIDL'])),
        PASS: (c, conn) => void conn.do((s) => (c.verb === 'PASS' && c.argument === 'secret' ? s.ok('logged in') : s.err('no'))),
        STAT: (_c, conn) => void conn.do((s) => s.ok(`${MESSAGES.length} ${MESSAGES.join('').length}`)),
        RETR: async (c, conn) => {
          const m = MESSAGES[(c.verb === 'RETR' ? c.message : 0) - 1]!;
          conn.session.beginBody();
          conn.session.writeBody(enc(m));
          conn.do((s) => s.endBody());
          await conn.drained();
        },
        '*': (_c, conn) => void conn.do((s) => s.ok()),
      },
    });
  }

  it('rfc2595 4: pop3Messages sends STLS, then USER/PASS over TLS, and yields every message (RETR, dot-unstuffed)', async () => {
    const port = await listen(pop3Server());
    const relay = await recordingRelay(port);
    try {
      const got: string[] = [];
      for await (const m of pop3Messages({ port: relay.port, user: 'bob', password: 'secret', tls: { ca: certs.ca, servername: 'localhost' } })) got.push(new TextDecoder().decode(m.message));
      expect(got).toEqual(MESSAGES);
      expect(clearTextPrefix(relay.sent())).toBe('CAPA\r\nSTLS\r\n');
      for (const secret of ['secret', 'USER bob']) expect(indexOfBytes(relay.sent(), secret), secret).toBe(-1);
    } finally {
      relay.close();
    }
  });

  function imapServer(): net.Server {
    const body = (m: string) => `* ${MESSAGES.indexOf(m) + 1} FETCH (UID ${MESSAGES.indexOf(m) + 101} BODY[] {${m.length}}\r\n${m})`;
    return serve<imap.ServerSession>({
      createSession: () => new imap.ServerSession({ capabilities: ['IMAP4rev1', 'STARTTLS', 'LOGINDISABLED'] }),
      serverTls: { key: certs.key, cert: certs.cert },
      commands: {
        LOGIN: (c, conn) => void conn.do((s) => (c.command === 'LOGIN' && c.password === 'secret' ? s.ok() : s.no('bad password'))),
        EXAMINE: (_c, conn) =>
          void conn.do((s) => {
            const r = imap.parseResponse(enc(`* ${MESSAGES.length} EXISTS\r\n`));
            if (!(r instanceof Error) && r.type === 'untagged') s.untagged(r);
            return s.ok('done', { name: 'READ-ONLY', raw: '' });
          }),
        FETCH: async (_c, conn) => {
          for (const m of MESSAGES) {
            const r = imap.parseResponse(enc(`${body(m)}\r\n`));
            if (!(r instanceof Error) && r.type === 'untagged') conn.do((s) => s.untagged(r));
            await conn.drained();
          }
          conn.do((s) => s.ok());
        },
        '*': (_c, conn) => void conn.do((s) => s.ok()),
      },
    });
  }

  it('rfc3501 6.2.1: imapMessages says STARTTLS, LOGIN only over TLS, and yields every message (small and streamed literals)', async () => {
    const port = await listen(imapServer());
    const relay = await recordingRelay(port);
    try {
      const got: { uid: number; text: string }[] = [];
      for await (const m of imapMessages({ port: relay.port, user: 'bob', password: 'secret', tls: { ca: certs.ca, servername: 'localhost' } })) got.push({ uid: m.uid, text: new TextDecoder().decode(m.message) });
      expect(got).toEqual(MESSAGES.map((text, i) => ({ uid: 101 + i, text })));
      expect(clearTextPrefix(relay.sent())).toMatch(/^A\d+ STARTTLS\r\n$/);
      expect(indexOfBytes(relay.sent(), 'secret')).toBe(-1);
    } finally {
      relay.close();
    }
  });
});

describe('mailwire/node: backpressure', () => {
  it('a server whose client never reads stops reading commands once its write buffer is full (memory stays bounded)', async () => {
    const big = 'y'.repeat(64 * 1024);
    let handled = 0;
    let maxBuffered = 0;
    let conn: SocketSession<pop3.ServerSession> | null = null;
    const port = await listen(
      serve<pop3.ServerSession>({
        createSession: () => new pop3.ServerSession({ greeting: 'ready', maxPending: 100_000 }),
        commands: {
          '*': async (_c, c) => {
            conn = c;
            handled++;
            c.do((s) => s.ok(big.slice(0, 400)));
            maxBuffered = Math.max(maxBuffered, c.socket.writableLength);
          },
          RETR: async (_c, c) => {
            conn = c;
            handled++;
            c.session.beginBody();
            c.session.writeBody(enc(`${big}\r\n`));
            c.do((s) => s.endBody());
            maxBuffered = Math.max(maxBuffered, c.socket.writableLength);
            await c.drained();
          },
        },
      }),
    );
    // A client that logs in and asks for 500 RETRs (32 MB of answers) but never reads.
    const client = net.connect(port, '127.0.0.1');
    await new Promise<void>((r) => client.once('connect', () => r()));
    client.pause();
    client.write('USER a\r\nPASS b\r\n');
    client.write('RETR 1\r\n'.repeat(500));
    await new Promise((r) => setTimeout(r, 1500));
    const stuck = handled;
    expect(stuck).toBeLessThan(200); // it stopped reading commands: the rest waits in the kernel
    expect(maxBuffered).toBeLessThan(4 * 64 * 1024); // never more than a few answers in memory
    expect(conn).not.toBeNull();
    // Once the client reads, every command is served.
    let got = 0;
    client.on('data', (d: Uint8Array) => (got += d.length));
    client.resume();
    await new Promise<void>((resolve, reject) => {
      const t = setInterval(() => {
        if (handled === 502 && got > 500 * 64 * 1024) (clearInterval(t), resolve());
      }, 20);
      setTimeout(() => (clearInterval(t), reject(new Error(`only ${handled} handled, ${got} bytes read`))), 20_000);
    });
    expect(got).toBeGreaterThan(500 * 64 * 1024);
    client.destroy();
  }, 30_000);

  it('events the application has not taken pause reading (maxQueuedEvents), and reading resumes as they are taken', async () => {
    // One event per received chunk: a session that only counts.
    const counter = { receive: (c: Uint8Array) => [{ type: 'bytes' as const, n: c.length }], end: () => [{ type: 'end' as const, n: 0 }], takeOutput: () => [] };
    const total = 8 * 1024 * 1024;
    const port = await listen(net.createServer((s) => s.end(Buffer.alloc(total, 0x61))));
    const conn = await connect(counter, { port, maxQueuedEvents: 4 });
    await new Promise((r) => setTimeout(r, 300));
    expect(conn.socket.isPaused()).toBe(true); // 4 chunks queued, nobody took them: reading stopped
    let got = 0;
    for await (const e of conn) got += e.n;
    expect(got).toBe(total);
  });
});
