/**
 * Starts private Dovecot and Postfix instances for the interop run (installing them first
 * when missing and running as root), hands their description to the tests through
 * `inject('servers')`, and stops them by pid afterwards.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
// @ts-expect-error -- plain JavaScript module without type declarations
import { startServers, stopServers } from '../../scripts/interop/servers.mjs';

/** What startServers() returns. */
export interface ServersInfo {
  readonly dir: string;
  readonly host: string;
  readonly domain: string;
  readonly ports: {
    readonly imap: number;
    readonly pop3: number;
    readonly lmtp: number;
    readonly auth: number;
    readonly smtp: number;
    readonly submission: number;
    /** The TLS-only Dovecot (ssl = required): IMAP with STARTTLS, POP3 with STLS, IMAPS, POP3S. */
    readonly imapTls: number;
    readonly pop3Tls: number;
    readonly imaps: number;
    readonly pop3s: number;
    /** Postfix submission with smtpd_tls_security_level = encrypt, and SMTPS (wrapper mode). */
    readonly submissionTls: number;
    readonly smtps: number;
  };
  /** The throw-away CA (trust it) and the servers' certificate files. */
  readonly tls: { readonly ca: string; readonly caFile: string; readonly certFile: string; readonly keyFile: string };
  readonly users: Readonly<Record<string, { readonly password: string; readonly quota?: string; readonly literalPlus?: boolean }>>;
  readonly pids: { readonly dovecot: number | null; readonly dovecotTls: number | null; readonly postfix: number | null };
}

declare module 'vitest' {
  export interface ProvidedContext {
    servers: ServersInfo;
  }
}

const HERE = path.dirname(fileURLToPath(import.meta.url));

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const install = path.join(HERE, '..', '..', 'scripts', 'interop', 'install.sh');
  try {
    // apt's progress goes to our stderr as it happens (it used to be held back: a minute of silence).
    execFileSync('sh', [install], { stdio: ['ignore', process.stderr, process.stderr], timeout: 900_000 });
  } catch (e) {
    const err = e as { message: string };
    throw new Error(`interop: cannot install Dovecot/Postfix (${err.message.split('\n')[0]}); apt's output is above.`);
  }
  const info = (await startServers()) as ServersInfo;
  project.provide('servers', info);
  return async () => {
    await stopServers(info);
  };
}
