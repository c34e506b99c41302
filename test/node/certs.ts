/**
 * A throw-away certificate authority and a server certificate for localhost / 127.0.0.1, made
 * with the openssl command at test time (never committed, valid for a day). Used by the node
 * adapter tests and the interop suite.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM files of a test CA and a server certificate it signed. */
export interface TestCerts {
  readonly dir: string;
  /** CA certificate (trust this). */
  readonly ca: string;
  /** Server certificate and key (PEM text). */
  readonly cert: string;
  readonly key: string;
  /** Paths of the same, for servers configured by file. */
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

/** Generates a CA and a server certificate for `localhost` and `127.0.0.1` in a new temp directory. */
export function makeTestCerts(dir = mkdtempSync(join(tmpdir(), 'mailwire-certs-'))): TestCerts {
  mkdirSync(dir, { recursive: true });
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=mailwire throw-away test CA');
  ssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'ext.cnf');
  const file = (name: string) => join(dir, name);
  return {
    dir,
    ca: readFileSync(file('ca.pem'), 'utf8'),
    cert: readFileSync(file('server.pem'), 'utf8'),
    key: readFileSync(file('server.key'), 'utf8'),
    caFile: file('ca.pem'),
    certFile: file('server.pem'),
    keyFile: file('server.key'),
  };
}
