/**
 * `mailwire decode <smtp|pop3|imap> [--client|--server|--both] [--lf] [--human] [--commands FILE] [file|-]`:
 * reads a raw transcript of one direction of a session (or both directions, with `C:`/`S:`
 * prefixes or as JSON lines) and prints one JSON object per parsed item, errors included, or a
 * human-readable line per item. The only place in src/ besides src/node/ that touches Node APIs.
 */

import { readFileSync } from 'node:fs';
import { isCapture, sessionFromCapture } from './pcap';
import { decodeBoth, decodeImap, decodePop3, decodeSmtp, lfToCrlf, parseTranscript, toHumanLine, toJsonLine, type Protocol } from './decode';

const USAGE = `usage: mailwire decode <smtp|pop3|imap> [--client|--server|--both] [options] [file|-]
       mailwire --version

  --server      the bytes were sent by the server (replies/responses); the default
  --client      the bytes were sent by the client (commands, message bodies, IMAP literals)
  --both        a two-direction transcript: lines prefixed "C: " or "S: ", or JSON lines
                {"from":"C","data":"EHLO x\\r\\n"} ("base64" instead of "data" for binary);
                or a pcap/pcapng capture (the first TCP connection to port 25, 587,
                110 or 143, reassembled); each direction goes through its own parser,
                items are tagged "from"
  --commands F  POP3 --server: the client's side of the same session, to know which
                responses are multiline (otherwise every response is read as one line)
  --lf          the transcript has bare LF line endings: read them as CRLF
  --human       one readable line per item instead of JSON (coloured on a terminal;
                NO_COLOR turns colour off)
Reads standard input when the file is "-" or missing. Prints one JSON object per line.`;

// A closed pipe (e.g. `| head`) ends the output quietly.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

/** The version in the package.json beside dist/. */
function version(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      return (JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { version: string }).version;
    } catch {
      // try the next place (the source tree runs from src/cli/)
    }
  }
  return 'unknown';
}

export function main(argv: readonly string[]): number {
  const args = [...argv];
  if (args[0] === '--version' || args[0] === '-v') {
    process.stdout.write(`mailwire ${version()}\n`);
    return 0;
  }
  if (args[0] !== 'decode' || args.length < 2) {
    process.stderr.write(`${USAGE}\n`);
    return args[0] === '--help' || args[0] === '-h' ? 0 : 2;
  }
  const protocol = args[1] as Protocol;
  if (protocol !== 'smtp' && protocol !== 'pop3' && protocol !== 'imap') {
    process.stderr.write(`unknown protocol "${protocol}"\n${USAGE}\n`);
    return 2;
  }
  let side: 'client' | 'server' | 'both' = 'server';
  let file = '-';
  let lf = false;
  let human = false;
  let commands: Uint8Array | null = null;
  for (let i = 2; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--client') side = 'client';
    else if (a === '--server') side = 'server';
    else if (a === '--both') side = 'both';
    else if (a === '--lf') lf = true;
    else if (a === '--human') human = true;
    else if (a === '--commands') commands = new Uint8Array(readFileSync(args[++i] ?? ''));
    else if (a.startsWith('--')) {
      process.stderr.write(`unknown option "${a}"\n${USAGE}\n`);
      return 2;
    } else file = a;
  }
  const colour = human && process.stdout.isTTY === true && !process.env.NO_COLOR;
  const print = (item: unknown): void => {
    process.stdout.write(`${human ? toHumanLine(item, colour) : toJsonLine(item)}\n`);
  };
  const crlf = (b: Uint8Array) => (lf ? lfToCrlf(b) : b);
  const bytes = new Uint8Array(readFileSync(file === '-' ? 0 : file));
  if (side === 'both') {
    const segments = isCapture(bytes) ? sessionFromCapture(bytes) : parseTranscript(new TextDecoder().decode(bytes));
    if (segments instanceof Error) {
      process.stderr.write(`mailwire: ${segments.message}\n`);
      return 1;
    }
    decodeBoth(protocol, segments, print);
    return 0;
  }
  const client = side === 'client';
  if (protocol === 'smtp') decodeSmtp(crlf(bytes), client, print);
  else if (protocol === 'pop3') decodePop3(crlf(bytes), client, commands && crlf(commands), print);
  else decodeImap(crlf(bytes), client, print);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`mailwire: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
