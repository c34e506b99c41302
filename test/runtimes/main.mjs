// Entry for the runtimes with sockets: `node main.mjs`, `deno run main.mjs`, `bun run main.mjs`.
// Runs the shared cases plus one SMTP session over a real 127.0.0.1 socket made with the
// runtime's own API (Deno.listen/Deno.connect, Bun.listen/Bun.connect, node:net for the control),
// prints TAP-like lines and "N passed, N failed", and exits non-zero on any failure.
import { cases, runCases } from './smoke.mjs';

const runtime = typeof globalThis.Deno !== 'undefined' ? 'deno' : typeof globalThis.Bun !== 'undefined' ? 'bun' : 'node';

/**
 * Deno: sockets are Web Streams already. Closing `conn.writable` closes the whole connection
 * (and the peer's half-close auto-closes ours at EOF), so the write side here ends with
 * `closeWrite()`: the server's last reply still goes out, the client reads it, then EOF.
 */
function denoStreams(conn) {
  const writer = conn.writable.getWriter();
  const writable = new WritableStream({
    write: (chunk) => writer.write(chunk),
    async close() {
      await writer.ready;
      try {
        await conn.closeWrite();
      } catch {
        // Already closed: the peer finished first and EOF closed the connection.
      }
    },
  });
  return { readable: conn.readable, writable };
}

async function denoLink() {
  const listener = Deno.listen({ hostname: '127.0.0.1', port: 0 });
  const accepted = listener.accept();
  const client = await Deno.connect({ hostname: '127.0.0.1', port: listener.addr.port });
  const server = await accepted;
  listener.close();
  return {
    client: denoStreams(client),
    server: denoStreams(server),
    close() {},
  };
}

/** Bun: callback sockets, wrapped as Web Streams (what a Bun user writes around Bun.connect). */
function bunStreams() {
  let controller;
  let socket = null;
  let pending = null;
  let drained = null;
  const readable = new ReadableStream({
    start(c) {
      controller = c;
    },
  });
  const writable = new WritableStream({
    async write(chunk) {
      let rest = chunk;
      while (rest.length > 0) {
        const n = socket.write(rest);
        rest = rest.subarray(Math.max(n, 0));
        if (rest.length > 0) await new Promise((resolve) => (drained = resolve));
      }
    },
    close() {
      socket.end();
    },
  });
  const handlers = {
    open(s) {
      socket = s;
      pending?.();
    },
    // Bun may reuse the buffer it hands to `data`: copy before it leaves the callback.
    data(_s, data) {
      controller.enqueue(new Uint8Array(data));
    },
    drain() {
      const d = drained;
      drained = null;
      d?.();
    },
    close() {
      try {
        controller.close();
      } catch {}
    },
    error(_s, e) {
      controller.error(e);
    },
  };
  const opened = new Promise((resolve) => (pending = resolve));
  return { readable, writable, handlers, opened, socket: () => socket };
}

async function bunLink() {
  const server = bunStreams();
  const listener = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: server.handlers });
  const client = bunStreams();
  await Bun.connect({ hostname: '127.0.0.1', port: listener.port, socket: client.handlers });
  await Promise.all([server.opened, client.opened]);
  return {
    client: { readable: client.readable, writable: client.writable },
    server: { readable: server.readable, writable: server.writable },
    close() {
      listener.stop(true);
    },
  };
}

/**
 * Node (the control): node:net sockets wrapped as Web Streams by hand. (`Duplex.toWeb` is not
 * used: on Node 20 closing its writable half of a socket errors the pipe with an AbortError
 * when the socket finishes.)
 */
function nodeStreams(socket) {
  const readable = new ReadableStream({
    start(c) {
      socket.on('data', (data) => c.enqueue(new Uint8Array(data)));
      socket.on('end', () => c.close());
      socket.on('error', (e) => c.error(e));
    },
  });
  const writable = new WritableStream({
    write: (chunk) => new Promise((resolve, reject) => socket.write(chunk, (e) => (e ? reject(e) : resolve()))),
    close: () => new Promise((resolve) => socket.end(resolve)),
  });
  return { readable, writable };
}

async function nodeLink() {
  const net = await import('node:net');
  const listener = net.createServer();
  await new Promise((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const accepted = new Promise((resolve) => listener.once('connection', resolve));
  const client = net.connect(listener.address().port, '127.0.0.1');
  const server = await accepted;
  listener.close();
  return { client: nodeStreams(client), server: nodeStreams(server), close() {} };
}

const links = { deno: denoLink, bun: bunLink, node: nodeLink };
const versions = {
  deno: () => `deno ${Deno.version.deno} (V8 ${Deno.version.v8})`,
  bun: () => `bun ${Bun.version}`,
  node: () => `node ${process.versions.node} (V8 ${process.versions.v8})`,
};

console.log(`# ${versions[runtime]()}`);
// Node, Bun and Deno 2 all have a global Buffer (Deno's is its Node compatibility layer), but
// core/bytes.ts uses Buffer.prototype.indexOf on Node only: on Deno and Bun it is slower than
// the portable TypedArray search.
const list = cases({ byteSearch: runtime === 'node' ? 'native' : 'portable', socketLink: links[runtime] });
const { failed } = await runCases(list, (line) => console.log(line));
const code = failed === 0 ? 0 : 1;
if (runtime === 'deno') Deno.exit(code);
else process.exit(code);
