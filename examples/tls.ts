/**
 * TLS for the example servers: `--cert FILE --key FILE` (PEM) turns on STARTTLS/STLS, and
 * `--tls-only` makes the servers refuse logins until the client has started TLS.
 */
import { readFileSync } from 'node:fs';
import { opt } from './args';

/** The certificate and key for STARTTLS, or undefined when --cert/--key were not given. */
export function serverTls(): { cert: Buffer; key: Buffer } | undefined {
  const cert = opt('cert');
  const key = opt('key');
  if (cert === undefined || key === undefined) return undefined;
  return { cert: readFileSync(cert), key: readFileSync(key) };
}
