/**
 * Readers and writers of the commands about the connection itself (RFC 9051 6.1-6.3.1 and
 * extensions): CAPABILITY, NOOP, LOGOUT and the other argument-less commands, LOGIN,
 * AUTHENTICATE, ENABLE, ID (RFC 2971), COMPRESS (RFC 4978).
 *
 * @packageDocumentation
 */

import type { CommandReader } from './command-reader';
import type { CommandWriter } from './command-writer';
import type { AuthenticateCommand, CompressCommand, EnableCommand, IdCommand, LoginCommand, SimpleCommand } from './command-types';

/** What the dispatcher read before the arguments: the tag, the command name (upper-case), and a `UID` prefix. */
export interface CommandHead {
  readonly tag: string;
  readonly name: string;
  readonly uid: boolean;
}

/** capability / noop / logout / starttls / idle / check / close / unselect / namespace / expunge / unauthenticate: the name alone. */
export function readSimple(r: CommandReader, h: CommandHead): SimpleCommand {
  r.end(h.name);
  return { tag: h.tag, command: h.name as SimpleCommand['command'] };
}

/** Writes an argument-less command. */
export function writeSimple(w: CommandWriter, c: SimpleCommand): void {
  w.raw(c.command);
}

/** login = "LOGIN" SP userid SP password; userid = astring; password = astring. */
export function readLogin(r: CommandReader, h: CommandHead): LoginCommand {
  r.sp();
  const user = r.utf8Astring('the LOGIN user name');
  r.sp();
  const password = r.utf8Astring('the LOGIN password');
  r.end(h.name);
  return { tag: h.tag, command: 'LOGIN', user, password };
}

/** Writes LOGIN. */
export function writeLogin(w: CommandWriter, c: LoginCommand): void {
  w.raw('LOGIN ').astring(c.user).raw(' ').astring(c.password);
}

/** authenticate = "AUTHENTICATE" SP auth-type [SP initial-resp]; initial-resp = (base64 / "=") (RFC 4959). */
export function readAuthenticate(r: CommandReader, h: CommandHead): AuthenticateCommand {
  r.sp();
  const mechanism = r.keyword();
  let initialResponse: string | null = null;
  if (r.accept(0x20)) {
    initialResponse = r.atom();
    if (initialResponse === '') throw r.error('expected an initial response');
  }
  r.end(h.name);
  return { tag: h.tag, command: 'AUTHENTICATE', mechanism, initialResponse };
}

/** Writes AUTHENTICATE. */
export function writeAuthenticate(w: CommandWriter, c: AuthenticateCommand): void {
  w.raw('AUTHENTICATE ').atom(c.mechanism, 'SASL mechanism');
  if (c.initialResponse !== null) w.raw(' ').atom(c.initialResponse, 'initial response');
}

/** enable = "ENABLE" 1*(SP capability) (RFC 5161). UIDONLY (RFC 9586) is enabled this way. */
export function readEnable(r: CommandReader, h: CommandHead): EnableCommand {
  const capabilities: string[] = [];
  while (r.accept(0x20)) {
    const cap = r.atom();
    if (cap === '') throw r.error('expected a capability');
    capabilities.push(cap);
  }
  if (capabilities.length === 0) throw r.error('ENABLE needs capabilities');
  r.end(h.name);
  return { tag: h.tag, command: 'ENABLE', capabilities };
}

/** Writes ENABLE. */
export function writeEnable(w: CommandWriter, c: EnableCommand): void {
  if (c.capabilities.length === 0) throw new TypeError('ENABLE needs capabilities');
  w.raw('ENABLE');
  for (const cap of c.capabilities) w.raw(' ').atom(cap, 'capability');
}

/** id = "ID" SP id-params-list; id-params-list = "(" *(string SP nstring) ")" / nil (RFC 2971 4). */
export function readId(r: CommandReader, h: CommandHead): IdCommand {
  r.sp();
  if (r.acceptWord('NIL')) {
    r.end(h.name);
    return { tag: h.tag, command: 'ID', params: null };
  }
  r.expect(0x28, 'or NIL after ID');
  const params: Record<string, string | null> = {};
  if (!r.accept(0x29)) {
    do {
      const k = r.nstring();
      if (k === null) throw r.error('ID field names are strings');
      r.sp();
      params[k] = r.nstring();
    } while (r.accept(0x20));
    r.expect(0x29, 'to close the ID list');
  }
  r.end(h.name);
  return { tag: h.tag, command: 'ID', params };
}

/** Writes ID. */
export function writeId(w: CommandWriter, c: IdCommand): void {
  if (c.params === null) {
    w.raw('ID NIL');
    return;
  }
  w.raw('ID (');
  w.each(Object.entries(c.params), ([k, v]) => w.string(k).raw(' ').nstring(v));
  w.raw(')');
}

/** compress = "COMPRESS" SP algorithm (RFC 4978 4). */
export function readCompress(r: CommandReader, h: CommandHead): CompressCommand {
  r.sp();
  const mechanism = r.keyword();
  r.end(h.name);
  return { tag: h.tag, command: 'COMPRESS', mechanism };
}

/** Writes COMPRESS. */
export function writeCompress(w: CommandWriter, c: CompressCommand): void {
  w.raw('COMPRESS ').atom(c.mechanism, 'compression mechanism');
}
