/**
 * `mailwire decode <smtp|pop3|imap> [--client|--server] [--commands FILE] [file|-]`:
 * reads a raw transcript of one direction of a session and prints one JSON object per parsed
 * item, errors included. The only place in src/ that touches Node APIs.
 */

import { readFileSync } from 'node:fs';
import { decodeImap, decodePop3, decodeSmtp, toJsonLine } from './decode';

const USAGE = `usage: mailwire decode <smtp|pop3|imap> [--client|--server] [--commands FILE] [file|-]

  --server      the bytes were sent by the server (replies/responses); the default
  --client      the bytes were sent by the client (commands, message bodies)
  --commands F  POP3 --server: the client's side of the same session, to know which
                responses are multiline (otherwise every response is read as one line)
Reads standard input when the file is "-" or missing. Prints one JSON object per line.`;

const print = (item: unknown): void => {
  process.stdout.write(`${toJsonLine(item)}\n`);
};

// A closed pipe (e.g. `| head`) ends the output quietly.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

export function main(argv: readonly string[]): number {
  const args = [...argv];
  if (args[0] !== 'decode' || args.length < 2) {
    process.stderr.write(`${USAGE}\n`);
    return args[0] === '--help' || args[0] === '-h' ? 0 : 2;
  }
  const protocol = args[1];
  let client = false;
  let file = '-';
  let commands: Uint8Array | null = null;
  for (let i = 2; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--client') client = true;
    else if (a === '--server') client = false;
    else if (a === '--commands') commands = new Uint8Array(readFileSync(args[++i] ?? ''));
    else file = a;
  }
  const bytes = new Uint8Array(readFileSync(file === '-' ? 0 : file));
  if (protocol === 'smtp') decodeSmtp(bytes, client, print);
  else if (protocol === 'pop3') decodePop3(bytes, client, commands, print);
  else if (protocol === 'imap') decodeImap(bytes, client, print);
  else {
    process.stderr.write(`unknown protocol "${protocol}"\n${USAGE}\n`);
    return 2;
  }
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`mailwire: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
