/// <reference lib="dom.asynciterable" />
import { describe, it, expect } from 'vitest';
import { smtp, pop3, imap, toTransformStream, toSessionStreams, ProtocolError } from '../../src/index';
import { enc, dec, bytewise, splitAt, concat } from '../helpers/bytes';

/** A byte source that hands out `chunks` one per pull and records how many were pulled and whether it was cancelled. */
function source(chunks: readonly Uint8Array[]) {
  const state = { pulled: 0, cancelled: null as unknown, done: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(c) {
        if (state.pulled < chunks.length) c.enqueue(chunks[state.pulled++]);
        else {
          state.done = true;
          c.close();
        }
      },
      cancel(reason) {
        state.cancelled = reason ?? 'cancelled';
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

async function collect<T>(r: ReadableStream<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of r) out.push(x);
  return out;
}

/** Lets every pending promise job and a macrotask run. */
const settle = () => new Promise((r) => setTimeout(r, 5));

/** Same items whatever the split: what push() gives for the whole stream at once, plus end(). */
function direct<T>(make: () => { push(b: Uint8Array): readonly T[]; end(): readonly T[] }, bytes: Uint8Array): T[] {
  const p = make();
  return [...p.push(bytes), ...p.end()];
}

const SMTP_REPLIES = enc('220 mx.example ESMTP\r\n250-mx.example greets you\r\n250-PIPELINING\r\n250 SIZE 1000\r\nnot a reply\r\n354 go ahead\r\n');
const IMAP_RESPONSES = enc('* OK [CAPABILITY IMAP4rev1] ready\r\n* 1 FETCH (UID 7 BODY[] {11}\r\nhello\r\nworld)\r\n* 2 FETCH (UID (\r\nA1 OK FETCH done\r\n');

describe('toTransformStream: a parser as a TransformStream<Uint8Array, Item>', () => {
  it('smtp.ReplyParser: whole, split and byte-wise input give the same items as push()/end(), errors included', async () => {
    const want = direct(() => new smtp.ReplyParser(), SMTP_REPLIES);
    expect(want.map((i) => i.type)).toEqual(['reply', 'reply', 'error', 'reply']);
    for (const chunks of [[SMTP_REPLIES], splitAt(SMTP_REPLIES, [3, 21, 22, 60]), bytewise(SMTP_REPLIES)]) {
      const got = await collect(source(chunks).stream.pipeThrough(toTransformStream(new smtp.ReplyParser())));
      expect(got).toEqual(want);
    }
    const r = want[1];
    expect(r.type === 'reply' && r.reply.lines).toEqual(['mx.example greets you', 'PIPELINING', 'SIZE 1000']);
  });

  it('imap.ResponseParser: a literal cut anywhere, a syntax error in the middle, the stream goes on', async () => {
    const want = direct(() => new imap.ResponseParser(), IMAP_RESPONSES);
    expect(want.map((i) => i.type)).toEqual(['untagged', 'untagged', 'error', 'tagged']);
    const got = await collect(source(bytewise(IMAP_RESPONSES)).stream.pipeThrough(toTransformStream(new imap.ResponseParser())));
    expect(got).toEqual(want);
    const tagged = got[3];
    expect(tagged.type === 'tagged' && [tagged.tag, tagged.status, tagged.text]).toEqual(['A1', 'OK', 'FETCH done']);
  });

  it('imap.ResponseParser: a big literal streams out as literal-chunk items, bytes intact', async () => {
    const body = enc('x'.repeat(5000) + '\r\n' + 'y'.repeat(3000));
    const wire = concat([enc(`* 3 FETCH (BODY[] {${body.length}}\r\n`), body, enc(')\r\nA2 OK done\r\n')]);
    const items = await collect(source(splitAt(wire, [10, 100, 4000, 7000, 8030])).stream.pipeThrough(toTransformStream(new imap.ResponseParser({ literalThreshold: 1024 }))));
    const chunks = items.flatMap((i) => (i.type === 'literal-chunk' ? [i.chunk] : []));
    expect(dec(concat(chunks))).toBe(dec(body));
    expect(items.filter((i) => i.type === 'literal-end')).toEqual([{ type: 'literal-end', seq: 3, item: 'BODY[]', size: body.length }]);
    expect(items.at(-1)).toMatchObject({ type: 'tagged', tag: 'A2', status: 'OK' });
  });

  it('pop3.ResponseParser: a dot-stuffed body split byte-wise', async () => {
    const wire = enc('+OK 12 octets\r\n..dot\r\nline\r\n.\r\n+OK bye\r\n');
    const p = new pop3.ResponseParser();
    p.expect('body');
    p.expect('single');
    const items = await collect(source(bytewise(wire)).stream.pipeThrough(toTransformStream(p)));
    expect(items[0]).toMatchObject({ type: 'response', response: { status: '+OK', text: '12 octets' } });
    expect(dec(concat(items.flatMap((i) => (i.type === 'data' ? [i.chunk] : []))))).toBe('.dot\r\nline\r\n');
    expect(items.slice(-2)).toMatchObject([{ type: 'data-end' }, { type: 'response', response: { status: '+OK', text: 'bye' } }]);
  });

  it('pop3.CommandParser and imap.CommandParser: commands out of split input', async () => {
    const p3 = await collect(source(bytewise(enc('USER mrose\r\nSTAT\r\nRETR 1\r\n'))).stream.pipeThrough(toTransformStream(new pop3.CommandParser())));
    expect(p3.map((i) => i.type === 'command' && i.command.verb)).toEqual(['USER', 'STAT', 'RETR']);
    const wire = enc('A1 LOGIN {5}\r\nsmith sesame\r\nA2 NOOP\r\n');
    const im = await collect(source(splitAt(wire, [7, 14, 15])).stream.pipeThrough(toTransformStream(new imap.CommandParser())));
    expect(im.map((i) => i.type)).toEqual(['continuation-needed', 'command', 'command']);
    expect(im[1]).toMatchObject({ type: 'command', command: { tag: 'A1', command: 'LOGIN', user: 'smith', password: 'sesame' } });
  });

  it('end of input: the parser end() error (TRUNCATED) is the last item, then the stream closes', async () => {
    const cut = enc('250-first line\r\n250-second');
    const items = await collect(source([cut]).stream.pipeThrough(toTransformStream(new smtp.ReplyParser())));
    expect(items).toHaveLength(1);
    const e = items[0];
    expect(e.type).toBe('error');
    expect(e.type === 'error' && e.error instanceof ProtocolError && e.error.code).toBe('TRUNCATED');
    const lit = await collect(source([enc('* 1 FETCH (BODY[] {10}\r\nabc')]).stream.pipeThrough(toTransformStream(new imap.ResponseParser())));
    expect(lit.map((i) => i.type === 'error' && i.error.code)).toEqual(['TRUNCATED']);
  });

  it('smtp.CommandParser: items of startData() go through enqueue(), and a body right before end of input is not TRUNCATED', async () => {
    const wire = enc('MAIL FROM:<a@b.example>\r\nDATA\r\nSubject: x\r\n\r\n..hi\r\n.\r\nQUIT\r\n');
    const parser = new smtp.CommandParser();
    const stream = toTransformStream(parser);
    const seen: string[] = [];
    const body: Uint8Array[] = [];
    // One chunk, then end of input: the parser pauses after DATA with the body buffered.
    for await (const item of source([wire]).stream.pipeThrough(stream)) {
      if (item.type === 'command') {
        seen.push(item.command.verb);
        if (item.command.verb === 'DATA') {
          await settle(); // the input has ended by now; end() must still wait for us
          stream.enqueue(parser.startData());
        }
      } else if (item.type === 'data') body.push(item.chunk);
      else seen.push(item.type === 'error' ? `error:${item.error.code}` : item.type);
    }
    expect(seen).toEqual(['MAIL', 'DATA', 'data-end', 'QUIT']);
    expect(dec(concat(body))).toBe('Subject: x\r\n\r\n.hi\r\n');
  });

  it('backpressure: the source is read only as fast as items are consumed', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => enc(`250 line ${i}\r\n`));
    const { stream, state } = source(lines);
    const reader = stream.pipeThrough(toTransformStream(new smtp.ReplyParser())).getReader();
    const first = await reader.read();
    expect(first.value).toMatchObject({ type: 'reply', reply: { code: 250, lines: ['line 0'] } });
    await settle();
    expect(state.pulled).toBeLessThanOrEqual(4);
    const second = await reader.read();
    expect(second.value).toMatchObject({ reply: { lines: ['line 1'] } });
    await settle();
    expect(state.pulled).toBeLessThanOrEqual(5);
    let n = 2;
    for (let r = await reader.read(); !r.done; r = await reader.read()) n++;
    expect(n).toBe(50);
    expect(state.done).toBe(true);
  });

  it('cancelling the items cancels the source; aborting the input errors the items', async () => {
    const { stream, state } = source(Array.from({ length: 10 }, () => enc('250 ok\r\n')));
    const reader = stream.pipeThrough(toTransformStream(new smtp.ReplyParser())).getReader();
    await reader.read();
    await reader.cancel(new Error('enough'));
    await settle();
    expect(state.cancelled).toBeInstanceOf(Error);

    const t = toTransformStream(new smtp.ReplyParser());
    const w = t.writable.getWriter();
    const r = t.readable.getReader();
    w.write(enc('250 o')).catch(() => {});
    await w.abort(new Error('connection reset'));
    await expect(r.read()).rejects.toThrow('connection reset');
  });

  it('chunks that are not bytes error the stream with a TypeError; ArrayBuffer and other views are read as bytes', async () => {
    const t = toTransformStream(new smtp.ReplyParser());
    const w = t.writable.getWriter();
    const got = collect(t.readable);
    await w.write(enc('250 a\r\n').buffer as unknown as Uint8Array);
    await w.write(new DataView(enc('xx250 b\r\n').buffer, 2) as unknown as Uint8Array);
    await expect(w.write('250 c\r\n' as unknown as Uint8Array)).rejects.toThrow(TypeError);
    await expect(got).rejects.toThrow(TypeError);

    const ok = toTransformStream(new smtp.ReplyParser());
    const ow = ok.writable.getWriter();
    const out = collect(ok.readable);
    await ow.write(enc('250 a\r\n').buffer as unknown as Uint8Array);
    await ow.write(new DataView(enc('xx250 b\r\n').buffer, 2) as unknown as Uint8Array);
    await ow.close();
    expect((await out).map((i) => i.type === 'reply' && i.reply.lines[0])).toEqual(['a', 'b']);
  });
});

/** Splits every chunk into 1-byte chunks on its way, like the worst network. */
const trickle = () =>
  new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, c) {
      for (const b of bytewise(chunk)) c.enqueue(b);
    },
  });

/** Records what crosses a wire, for assertions on the exact bytes. */
function tap(log: Uint8Array[]) {
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, c) {
      log.push(chunk);
      c.enqueue(chunk);
    },
  });
}

describe('toSessionStreams: client and server sessions wired to each other through streams', () => {
  it('smtp: a message sent by ClientSession arrives byte-identical at ServerSession, over 1-byte chunks', async () => {
    const message = enc('Subject: hi\r\n\r\n.leading dot\r\nHello\r\n');
    const client = new smtp.ClientSession({ domain: 'client.example' });
    const server = new smtp.ServerSession({ domain: 'mx.example' });
    const cio = toSessionStreams(client);
    const sio = toSessionStreams(server);
    const toServer: Uint8Array[] = [];
    const c2s = cio.output.pipeThrough(tap(toServer)).pipeThrough(trickle()).pipeTo(sio.writable);
    const s2c = sio.output.pipeThrough(trickle()).pipeTo(cio.writable);

    const serverSide = (async () => {
      const body: Uint8Array[] = [];
      const verbs: string[] = [];
      for await (const ev of sio.readable) {
        if (ev.type === 'command') {
          verbs.push(ev.command.verb);
          sio.flush(server.accept());
        } else if (ev.type === 'data') body.push(ev.chunk);
        else if (ev.type === 'data-end') sio.flush(server.accept());
        else if (ev.type === 'closed') sio.close();
      }
      return { body: concat(body), verbs };
    })();

    const clientEvents: string[] = [];
    for await (const ev of cio.readable) {
      clientEvents.push(ev.type);
      if (ev.type === 'ready') {
        client.sendMail({ from: 'alice@example.org', to: ['bob@example.net'] });
        client.writeBody(message);
        client.endBody();
      }
      if (ev.type === 'message') {
        expect(ev.accepted).toBe(true);
        client.quit();
      }
      cio.flush();
    }
    cio.close();
    await Promise.all([c2s, s2c]);
    const got = await serverSide;
    expect(dec(got.body)).toBe(dec(message));
    expect(got.verbs).toEqual(['EHLO', 'MAIL', 'RCPT', 'DATA', 'QUIT']);
    expect(clientEvents).toContain('greeting');
    expect(clientEvents.at(-1)).toBe('closed');
    expect(dec(concat(toServer))).toContain('\r\n..leading dot\r\nHello\r\n.\r\n');
  });

  it('pop3: login, STAT and RETR of a body with a leading-dot line, then QUIT', async () => {
    const client = new pop3.ClientSession();
    const server = new pop3.ServerSession({ greeting: 'POP3 ready <1896.697170952@dbc.mtview.ca.us>' });
    const cio = toSessionStreams(client);
    const sio = toSessionStreams(server);
    const done = Promise.all([cio.output.pipeThrough(trickle()).pipeTo(sio.writable), sio.output.pipeThrough(trickle()).pipeTo(cio.writable)]);
    const message = enc('Subject: x\r\n\r\n.dot\r\nend\r\n');

    const serverSide = (async () => {
      const verbs: string[] = [];
      for await (const ev of sio.readable) {
        if (ev.type !== 'command') continue;
        verbs.push(ev.command.verb);
        if (ev.command.verb === 'STAT') sio.flush(server.ok(`1 ${message.length}`));
        else if (ev.command.verb === 'RETR') {
          server.beginBody('message follows');
          server.writeBody(message);
          sio.flush(server.endBody());
        } else if (ev.command.verb === 'QUIT') {
          sio.flush(server.ok('bye'));
          sio.close();
        } else sio.flush(server.ok());
      }
      return verbs;
    })();

    const body: Uint8Array[] = [];
    let stat: unknown = null;
    for await (const ev of cio.readable) {
      if (ev.type === 'greeting') {
        client.login('mrose', 'tanstaaf');
        client.stat();
        client.retr(1);
        client.quit();
      }
      if (ev.type === 'response' && ev.command.verb === 'STAT') stat = ev.stat;
      if (ev.type === 'data') body.push(ev.chunk);
      cio.flush();
    }
    cio.close();
    await done;
    expect(await serverSide).toEqual(['USER', 'PASS', 'STAT', 'RETR', 'QUIT']);
    expect(stat).toEqual({ count: 1, size: message.length });
    expect(dec(concat(body))).toBe(dec(message));
  });

  it('imap: LOGIN with a synchronizing literal (the client waits for +), NOOP, LOGOUT', async () => {
    const client = new imap.ClientSession();
    const server = new imap.ServerSession({ capabilities: ['IMAP4rev1'] });
    const cio = toSessionStreams(client);
    const sio = toSessionStreams(server);
    const toServer: Uint8Array[] = [];
    const done = Promise.all([cio.output.pipeThrough(tap(toServer)).pipeTo(sio.writable), sio.output.pipeThrough(trickle()).pipeTo(cio.writable)]);

    const serverSide = (async () => {
      const seen: string[] = [];
      for await (const ev of sio.readable) {
        if (ev.type === 'command') {
          seen.push(ev.command.command);
          if (ev.command.command === 'LOGIN') expect(ev.command).toMatchObject({ user: 'smith', password: 'ses\u00e4me' });
          sio.flush(server.ok(`${ev.command.command} completed`));
        }
        if (ev.type === 'closed') sio.close();
      }
      return seen;
    })();

    const completed: string[] = [];
    for await (const ev of cio.readable) {
      if (ev.type === 'greeting') client.send({ command: 'LOGIN', user: 'smith', password: 'ses\u00e4me' });
      if (ev.type === 'completed') {
        completed.push(`${ev.command.command} ${ev.response.status}`);
        if (ev.command.command === 'LOGIN') client.send({ command: 'NOOP' });
        if (ev.command.command === 'NOOP') client.send({ command: 'LOGOUT' });
      }
      cio.flush();
    }
    cio.close();
    await done;
    expect(await serverSide).toEqual(['LOGIN', 'NOOP', 'LOGOUT']);
    expect(completed).toEqual(['LOGIN OK', 'NOOP OK', 'LOGOUT OK']);
    expect(client.state).toBe('logout');
    // The non-ASCII password went as a synchronizing literal, sent only after the server's "+".
    expect(dec(concat(toServer))).toMatch(/^A1 LOGIN smith \{7\}\r\nses\u00e4me\r\nA2 NOOP\r\nA3 LOGOUT\r\n$/);
  });
});

describe('toSessionStreams: output, backpressure and end of stream', () => {
  it('the server greeting is in output at once; automatic replies are moved without flush()', async () => {
    const server = new smtp.ServerSession({ domain: 'mx.example' });
    const io = toSessionStreams(server);
    const out = io.output.getReader();
    expect(dec((await out.read()).value!)).toBe('220 mx.example ESMTP mailwire\r\n');
    const w = io.writable.getWriter();
    const events = io.readable.getReader();
    void w.write(enc('RCPT TO:<b@example.net>\r\n'));
    // Out of sequence before EHLO/MAIL: the session answers 503 by itself.
    expect((await events.read()).value).toMatchObject({ type: 'auto-reply', reply: { code: 503 } });
    expect(dec((await out.read()).value!)).toMatch(/^503 /);
  });

  it('input ends: the session end() events come after the rest, output stays open until close()', async () => {
    const server = new pop3.ServerSession();
    const io = toSessionStreams(server);
    const outP = collect(io.output);
    const seen: string[] = [];
    for await (const ev of source([enc('CAPA\r\nQUIT\r\n')]).stream.pipeThrough(io)) {
      seen.push(ev.type === 'command' ? ev.command.verb : ev.type);
      await settle(); // the input has ended by now: our replies must still go out
      if (ev.type === 'command' && ev.command.verb === 'CAPA') io.flush(server.listing('Capability list follows', ['USER', 'UIDL']));
      else if (ev.type === 'command') io.flush(server.ok('bye'));
    }
    expect(seen).toEqual(['CAPA', 'QUIT', 'closed']);
    io.close();
    expect(dec(concat(await outP))).toBe('+OK POP3 server ready\r\n+OK Capability list follows\r\nUSER\r\nUIDL\r\n.\r\n+OK bye\r\n');
  });

  it('a client whose server vanishes mid-reply: TRUNCATED and closed arrive as the last events', async () => {
    const client = new smtp.ClientSession({ domain: 'c.example' });
    const io = toSessionStreams(client);
    void collect(io.output);
    const events = await collect(source([enc('220 mx ready\r\n250-mx greets\r\n')]).stream.pipeThrough(io));
    expect(events.map((e) => (e.type === 'error' ? `error:${e.error.code}` : e.type))).toEqual(['greeting', 'reply', 'error:TRUNCATED', 'error:TRUNCATED', 'closed']);
  });

  it('output not read: the peer is not read either, until output drains', async () => {
    const server = new smtp.ServerSession({ domain: 'mx.example' });
    const io = toSessionStreams(server, { outputHighWaterMark: 64 });
    const { stream, state } = source(Array.from({ length: 40 }, () => enc('NOOP\r\n')));
    let answered = 0;
    const consumer = (async () => {
      for await (const ev of stream.pipeThrough(io)) {
        if (ev.type === 'command') {
          io.flush(server.accept());
          answered++;
        }
      }
    })();
    await settle();
    // The greeting and a couple of "250 2.0.0 OK" fill 64 bytes; then nothing more is read.
    const stalledAt = state.pulled;
    expect(stalledAt).toBeLessThanOrEqual(4);
    await settle();
    expect(state.pulled).toBe(stalledAt);
    const outP = collect(io.output);
    await consumer;
    io.close();
    const out = await outP;
    expect(answered).toBe(40);
    expect(state.done).toBe(true);
    expect(dec(concat(out)).split('250 2.0.0 OK\r\n')).toHaveLength(41);
  });

  it('aborted input errors both events and output; a break out of the events leaves output open', async () => {
    const io = toSessionStreams(new imap.ServerSession());
    const out = io.output.getReader();
    await out.read(); // greeting
    const ev = io.readable.getReader();
    await io.writable.getWriter().abort(new Error('ECONNRESET'));
    await expect(ev.read()).rejects.toThrow('ECONNRESET');
    await expect(out.read()).rejects.toThrow('ECONNRESET');

    const server = new imap.ServerSession();
    const io2 = toSessionStreams(server);
    const outP = collect(io2.output);
    const { stream, state } = source([enc('A1 NOOP\r\n'), enc('A2 NOOP\r\n'), enc('A3 NOOP\r\n')]);
    for await (const e of stream.pipeThrough(io2)) {
      if (e.type === 'command') {
        io2.flush(server.ok('NOOP done'));
        break;
      }
    }
    await settle();
    expect(state.cancelled).not.toBeNull();
    io2.close();
    expect(dec(concat(await outP))).toMatch(/\r\nA1 OK NOOP done\r\n$/);
  });
});

describe('toSessionStreams: the output bound holds inside one read', () => {
  const turns = async (): Promise<void> => {
    for (let i = 0; i < 30; i++) await new Promise((r) => setTimeout(r, 0));
  };

  it('one 27 KB read of 990 pipelined FETCH 1:3 BODY.PEEK[] with output unread: a handful answered, not 990; reading output answers the rest', async () => {
    const server = new imap.ServerSession({ preauth: true, maxOutput: 64 * 1024 });
    for (const e of server.receive(enc('S SELECT INBOX\r\n'))) if (e.type === 'command') server.ok();
    const read = enc('a FETCH 1:3 BODY.PEEK[]\r\n'.repeat(990));
    expect(read.length).toBeGreaterThan(24_000);
    const body = enc(`Subject: x\r\n\r\n${'y'.repeat(20_000)}\r\n`);
    let taken = 0;
    const counting = {
      receive: (b: Uint8Array) => server.receive(b),
      end: () => server.end(),
      takeOutput: () => {
        const chunks = server.takeOutput();
        for (const c of chunks) taken += c.length;
        return chunks;
      },
      get inputHeld() {
        return server.inputHeld;
      },
    };
    const io = toSessionStreams(counting, { outputHighWaterMark: 64 * 1024 });
    let answered = 0;
    const events = source([read]).stream.pipeThrough(io).getReader();
    const consumer = (async () => {
      for (let r = await events.read(); !r.done; r = await events.read()) {
        if (r.value.type === 'command') {
          for (let seq = 1; seq <= 3; seq++) server.untagged({ type: 'untagged', kind: 'FETCH', seq, attributes: { sections: [{ name: 'BODY[]', section: '', origin: null, data: body }] } });
          answered++;
          io.flush(server.ok());
        }
      }
    })();
    await turns();
    // Each answer is about 60 KB: the stream's mark plus the session's maxOutput hold a few.
    expect(answered).toBeGreaterThan(0);
    expect(answered).toBeLessThanOrEqual(6);
    expect(taken).toBeLessThanOrEqual(64 * 1024 + 64 * 1024 + 2 * 61_000);
    // Reading the output lets the rest through, every command answered once.
    const reader = io.output.getReader();
    let bytes = 0;
    while (answered < 990) {
      const r = await reader.read();
      if (r.done) break;
      bytes += r.value.length;
    }
    expect(answered).toBe(990);
    await events.cancel();
    await consumer.catch(() => {});
    expect(bytes).toBeGreaterThan(0);
  });
});
