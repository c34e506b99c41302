/**
 * Reads a mail session out of a packet capture (pcap or pcapng, as tcpdump and Wireshark write
 * them): the first TCP connection to port 25, 587, 110 or 143, both directions reassembled in
 * sequence order (retransmissions dropped, out-of-order segments put back in place), as
 * segments for `decodeBoth`. Ethernet (with VLAN tags), Linux cooked (SLL), BSD loopback and raw
 * IP captures; IPv4 and IPv6.
 */

import type { Segment } from './decode';

/** Server ports whose sessions the decoder reads (the TLS ports carry nothing readable). */
export const MAIL_PORTS: ReadonlySet<number> = new Set([25, 587, 110, 143]);

/** Whether `bytes` start like a pcap or pcapng file. */
export function isCapture(bytes: Uint8Array): boolean {
  if (bytes.length < 4) return false;
  const m = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  return m === 0xa1b2c3d4 || m === 0xd4c3b2a1 || m === 0xa1b23c4d || m === 0x4d3cb2a1 || m === 0x0a0d0d0a;
}

interface Packet {
  readonly linktype: number;
  readonly data: Uint8Array;
}

function* packets(bytes: Uint8Array): Generator<Packet> {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (v.getUint32(0, true) === 0x0a0d0d0a) {
    // pcapng: blocks of (type, total length, body, total length); byte order from the section header.
    let le = true;
    const links: number[] = [];
    for (let at = 0; at + 12 <= bytes.length; ) {
      if (v.getUint32(at, true) === 0x0a0d0d0a) {
        le = v.getUint32(at + 8, true) === 0x1a2b3c4d;
        links.length = 0;
      }
      const type = v.getUint32(at, le);
      const length = v.getUint32(at + 4, le);
      if (length < 12 || at + length > bytes.length) return;
      if (type === 1) links.push(v.getUint16(at + 8, le));
      else if (type === 6) {
        const captured = v.getUint32(at + 20, le);
        yield { linktype: links[v.getUint32(at + 8, le)] ?? 1, data: bytes.subarray(at + 28, at + 28 + captured) };
      }
      at += length;
    }
    return;
  }
  const magic = v.getUint32(0, true);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const linktype = v.getUint32(20, le) & 0xffff;
  for (let at = 24; at + 16 <= bytes.length; ) {
    const captured = v.getUint32(at + 8, le);
    yield { linktype, data: bytes.subarray(at + 16, at + 16 + captured) };
    at += 16 + captured;
  }
}

/** The IP packet inside a link-layer frame, or null. */
function ipOf(p: Packet): Uint8Array | null {
  const d = p.data;
  switch (p.linktype) {
    case 1: {
      let off = 12;
      while (off + 2 <= d.length && ((d[off]! << 8) | d[off + 1]!) === 0x8100) off += 4; // VLAN tags
      const type = (d[off]! << 8) | d[off + 1]!;
      return type === 0x0800 || type === 0x86dd ? d.subarray(off + 2) : null;
    }
    case 113: return d.subarray(16); // Linux cooked capture
    case 276: return d.subarray(20); // Linux cooked capture v2
    case 0: case 108: return d.subarray(4); // BSD loopback / OpenBSD loop
    case 101: case 228: case 229: return d; // raw IP
    default: return null;
  }
}

interface Tcp {
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly seq: number;
  readonly syn: boolean;
  readonly payload: Uint8Array;
}

function tcpOf(ip: Uint8Array): Tcp | null {
  let src: string;
  let dst: string;
  let seg: Uint8Array;
  if (ip.length >= 20 && ip[0]! >> 4 === 4) {
    if (ip[9] !== 6) return null;
    const total = (ip[2]! << 8) | ip[3]!;
    src = ip.subarray(12, 16).join('.');
    dst = ip.subarray(16, 20).join('.');
    seg = ip.subarray((ip[0]! & 15) * 4, Math.min(ip.length, total || ip.length));
  } else if (ip.length >= 40 && ip[0]! >> 4 === 6) {
    if (ip[6] !== 6) return null; // extension headers are not followed
    src = Array.from(ip.subarray(8, 24), (b) => b.toString(16)).join(':');
    dst = Array.from(ip.subarray(24, 40), (b) => b.toString(16)).join(':');
    seg = ip.subarray(40, 40 + ((ip[4]! << 8) | ip[5]!));
  } else return null;
  if (seg.length < 20) return null;
  const v = new DataView(seg.buffer, seg.byteOffset, seg.byteLength);
  return { src, dst, srcPort: v.getUint16(0), dstPort: v.getUint16(2), seq: v.getUint32(4), syn: (seg[13]! & 2) !== 0, payload: seg.subarray((seg[12]! >> 4) * 4) };
}

/** One direction of a TCP stream, put in sequence order. */
class Reassembly {
  private next: number | null = null;
  private readonly pending = new Map<number, Uint8Array>();

  /** Takes a segment; returns the bytes that are now in order. */
  take(seq: number, syn: boolean, payload: Uint8Array): Uint8Array[] {
    if (syn) this.next = (seq + 1) >>> 0;
    if (payload.length === 0) return [];
    this.next ??= seq;
    const out: Uint8Array[] = [];
    let s = seq;
    let p = payload;
    for (;;) {
      const behind = (this.next - s) | 0; // how far this segment starts before the expected byte
      if (behind > 0) {
        if (behind >= p.length) break; // a retransmission
        p = p.subarray(behind);
        s = this.next;
      } else if (behind < 0) {
        this.pending.set(s, p); // ahead of a gap: kept until the gap is filled
        break;
      }
      out.push(p);
      this.next = (this.next + p.length) >>> 0;
      const later = this.pending.get(this.next);
      if (!later) break;
      this.pending.delete(this.next);
      s = this.next;
      p = later;
    }
    return out;
  }
}

/**
 * The first mail session in a capture, as client/server segments in capture order. Returns
 * an Error when the file has no TCP connection to a mail port.
 */
export function sessionFromCapture(bytes: Uint8Array): Segment[] | Error {
  let server: { host: string; port: number; client: string; clientPort: number } | null = null;
  const dirs = { C: new Reassembly(), S: new Reassembly() };
  const segments: Segment[] = [];
  for (const pkt of packets(bytes)) {
    const ip = ipOf(pkt);
    const tcp = ip && tcpOf(ip);
    if (!tcp) continue;
    if (server === null) {
      if (MAIL_PORTS.has(tcp.dstPort)) server = { host: tcp.dst, port: tcp.dstPort, client: tcp.src, clientPort: tcp.srcPort };
      else if (MAIL_PORTS.has(tcp.srcPort)) server = { host: tcp.src, port: tcp.srcPort, client: tcp.dst, clientPort: tcp.dstPort };
      else continue;
    }
    const toServer = tcp.dst === server.host && tcp.dstPort === server.port && tcp.src === server.client && tcp.srcPort === server.clientPort;
    const fromServer = tcp.src === server.host && tcp.srcPort === server.port && tcp.dst === server.client && tcp.dstPort === server.clientPort;
    if (!toServer && !fromServer) continue;
    const from = toServer ? 'C' : 'S';
    for (const b of dirs[from].take(tcp.seq, tcp.syn, tcp.payload)) segments.push({ from, bytes: b });
  }
  return server === null ? new Error('no TCP connection to port 25, 587, 110 or 143 in the capture') : segments;
}
