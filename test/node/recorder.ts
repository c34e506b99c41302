/**
 * A TCP relay on 127.0.0.1 that records what the client sends, so a test can look at the
 * clear-text side of a connection: what went out before the TLS handshake, and that no
 * credential byte is readable anywhere in it.
 */
import net from 'node:net';

/** A running relay. */
export interface Recorder {
  readonly port: number;
  /** Everything the client sent, in order, as it crossed the wire. */
  sent(): Uint8Array;
  close(): void;
}

/**
 * Relays connections on a new port to `port`, recording the client-to-server bytes. With
 * `localAddress` the relay connects from that address (Dovecot counts a connection whose
 * source and destination address are the same, as 127.0.0.1 to 127.0.0.1, as secured).
 */
export async function recordingRelay(port: number, host = '127.0.0.1', localAddress?: string): Promise<Recorder> {
  const chunks: Uint8Array[] = [];
  const sockets: net.Socket[] = [];
  const server = net.createServer((client) => {
    const upstream = net.connect({ port, host, localAddress });
    sockets.push(client, upstream);
    client.on('data', (d: Uint8Array) => chunks.push(new Uint8Array(d)));
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.end());
    upstream.on('close', () => client.end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    sent: () => Buffer.concat(chunks),
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

/** Where `needle` first occurs in `hay`, or -1. */
export function indexOfBytes(hay: Uint8Array, needle: string | Uint8Array): number {
  return Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength).indexOf(typeof needle === 'string' ? Buffer.from(needle) : needle);
}

/**
 * The clear-text prefix of a STARTTLS connection: the bytes before the first TLS handshake
 * record (content type 22, version 3.x), which is what the client sent in clear text.
 */
export function clearTextPrefix(sent: Uint8Array): string {
  for (let i = 0; i + 2 < sent.length; i++) {
    if (sent[i] === 0x16 && sent[i + 1] === 0x03 && (i === 0 || sent[i - 1] === 0x0a)) return new TextDecoder().decode(sent.subarray(0, i));
  }
  return new TextDecoder().decode(sent);
}
