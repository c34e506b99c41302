import { describe, expect, it } from 'vitest';
import { smtp, ProtocolError, ScramServer, decodeBase64, decodeCramMd5, scramCredentials, verifyCramMd5, encodeUtf8 } from '../../src/index';

/**
 * The SMTP client session against the SMTP server session, byte for byte through both: the
 * mechanisms the client runs itself (RFC 4954 AUTH with SCRAM and CRAM-MD5), the server side
 * written with the library's verification helpers, as an application would.
 */
function pair(serverMechanisms: string[], onAuth: (s: smtp.ServerSession, e: smtp.ServerEvent) => smtp.ServerEvent[]) {
  const server = new smtp.ServerSession({ domain: 'mx.example', extensions: [{ keyword: 'AUTH', params: serverMechanisms }] });
  const client = new smtp.ClientSession({ domain: 'client.example' });
  const clientEvents: smtp.ClientEvent[] = [];
  const handle = (events: smtp.ServerEvent[]): void => {
    for (const e of events) {
      if (e.type === 'command' && e.command.verb === 'AUTH') handle(onAuth(server, e));
      else if (e.type === 'auth-response') handle(onAuth(server, e));
      else if (e.type === 'command') handle(server.accept());
    }
  };
  const pump = () => {
    for (let i = 0; i < 20; i++) {
      const toServer = client.takeOutput();
      const toClient = server.takeOutput();
      if (toServer.length === 0 && toClient.length === 0) return;
      for (const b of toServer) handle(server.receive(b));
      for (const b of toClient) clientEvents.push(...client.receive(b));
    }
  };
  return { server, client, clientEvents, pump };
}

describe('SMTP AUTH with the mechanisms the client runs itself (RFC 4954 + RFC 5802/7677, RFC 2195)', () => {
  it('rfc7677: SCRAM-SHA-256, the server verifies the proof and the client the server signature', () => {
    const creds = scramCredentials('SCRAM-SHA-256', 'pencil', encodeUtf8('0123456789abcdef'), 4096);
    let scram: ScramServer | null = null;
    let step = 0;
    const { client, clientEvents, pump } = pair(['SCRAM-SHA-256', 'PLAIN'], (s, e) => {
      if (e.type === 'command' && e.command.verb === 'AUTH') {
        scram = new ScramServer({ mechanism: 'SCRAM-SHA-256', lookup: (u) => (u === 'user' ? creds : null) });
        const first = decodeBase64(e.command.initialResponse!)!;
        return s.challenge(scram.start(first) as Uint8Array);
      }
      if (e.type === 'auth-response') {
        step++;
        if (step === 1) {
          const r = scram!.finish(e.response);
          return r instanceof ProtocolError ? s.reply(535, 'bad', { class: 5, subject: 7, detail: 8 }) : s.challenge(r.serverFinal);
        }
        return s.reply(235, 'Authentication successful', { class: 2, subject: 7, detail: 0 });
      }
      return [];
    });
    pump();
    client.authenticate({ mechanism: 'SCRAM-SHA-256', user: 'user', password: 'pencil' });
    pump();
    expect(clientEvents.find((e) => e.type === 'auth')).toMatchObject({ type: 'auth', success: true });
  });

  it('a server that does not know the password (forged server-final) is cancelled with "*" before it can say 235', () => {
    let step = 0;
    const { client, clientEvents, pump } = pair(['SCRAM-SHA-1'], (s, e) => {
      if (e.type === 'command' && e.command.verb === 'AUTH') {
        const first = new TextDecoder().decode(decodeBase64(e.command.initialResponse!)!);
        const nonce = /r=([^,]+)/.exec(first)![1]!;
        return s.challenge(encodeUtf8(`r=${nonce}srv,s=QSXCR+Q6sek8bf92,i=4096`));
      }
      if (e.type === 'auth-response') {
        step++;
        if (step === 1) return s.challenge(encodeUtf8('v=AAAAAAAAAAAAAAAAAAAAAAAAAAA='));
        // The client's answer to the forged signature must be the cancel line.
        return new TextDecoder().decode(e.response) === '' ? s.reply(235, 'ok') : s.reply(501, 'cancelled');
      }
      return [];
    });
    pump();
    client.authenticate({ mechanism: 'SCRAM-SHA-1', user: 'user', password: 'pencil' });
    pump();
    expect(clientEvents.find((e) => e.type === 'auth')).toMatchObject({ type: 'auth', success: false });
  });

  it('rfc2195: CRAM-MD5 given a password is answered by the session', () => {
    const challenge = encodeUtf8('<1896.697170952@postoffice.reston.mci.net>');
    const { client, clientEvents, pump } = pair(['CRAM-MD5'], (s, e) => {
      if (e.type === 'command') return s.challenge(challenge);
      if (e.type === 'auth-response') {
        const r = decodeCramMd5(e.response);
        return !(r instanceof ProtocolError) && r.user === 'tim' && verifyCramMd5(r, challenge, 'tanstaaftanstaaf') ? s.reply(235, 'ok') : s.reply(535, 'no');
      }
      return [];
    });
    pump();
    client.authenticate({ mechanism: 'CRAM-MD5', user: 'tim', password: 'tanstaaftanstaaf' });
    pump();
    expect(clientEvents.find((e) => e.type === 'auth')).toMatchObject({ type: 'auth', success: true });
  });
});
