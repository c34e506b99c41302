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
  readonly ports: { readonly imap: number; readonly pop3: number; readonly lmtp: number; readonly auth: number; readonly smtp: number; readonly submission: number };
  readonly users: Readonly<Record<string, { readonly password: string; readonly quota?: string; readonly literalPlus?: boolean }>>;
  readonly pids: { readonly dovecot: number | null; readonly postfix: number | null };
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
    execFileSync('sh', [install], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
  } catch (e) {
    const err = e as { stderr?: Buffer; stdout?: Buffer; message: string };
    throw new Error(`interop: cannot install Dovecot/Postfix (${err.message.split('\n')[0]}).\n${err.stderr?.toString() ?? ''}${err.stdout?.toString() ?? ''}`);
  }
  const info = (await startServers()) as ServersInfo;
  project.provide('servers', info);
  return async () => {
    await stopServers(info);
  };
}
