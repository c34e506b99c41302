/**
 * Real session bytes for the mutation campaigns, per protocol and direction: the bundled
 * transcripts in fixtures/transcripts/, the wire strings of the protocol test suites (every
 * string literal with a CRLF in test/smtp, test/pop3, test/imap), and the byte sequences of
 * issue 14. `toServer` is what a client sends (read by server sessions), `toClient` what a
 * server sends (read by client sessions). Strings from the test suites cannot be told apart by
 * direction, so they go to both.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bin, enc } from '../helpers/bytes';

export interface Corpus {
  readonly toServer: readonly Uint8Array[];
  readonly toClient: readonly Uint8Array[];
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Unescapes the body of a JS string literal (the escapes the test files use). */
function unescapeLiteral(body: string): string | null {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const n = body[++i];
    if (n === undefined) return null;
    if (n === 'r') out += '\r';
    else if (n === 'n') out += '\n';
    else if (n === 't') out += '\t';
    else if (n === '0') out += '\0';
    else if (n === 'x') {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (n === 'u' && body[i + 1] !== '{') {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 5), 16));
      i += 4;
    } else out += n;
  }
  return out;
}

/** The bodies of the string literals of a TypeScript source (a small scanner: comments skipped, templates with `${` dropped). */
function stringLiterals(src: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === '/' && src[i + 1] === '/') {
      const nl = src.indexOf('\n', i);
      i = nl < 0 ? src.length : nl;
    } else if (ch === '/' && src[i + 1] === '*') {
      const close = src.indexOf('*/', i + 2);
      i = close < 0 ? src.length : close + 2;
    } else if (ch === "'" || ch === '"' || ch === '`') {
      let j = i + 1;
      let ok = true;
      while (j < src.length && src[j] !== ch) {
        if (src[j] === '\\') j++;
        else if (ch !== '`' && src[j] === '\n') break;
        else if (ch === '`' && src[j] === '$' && src[j + 1] === '{') ok = false;
        j++;
      }
      if (ok && src[j] === ch) out.push(src.slice(i + 1, j));
      i = j + 1;
    } else i++;
  }
  return out;
}

/** Every string literal holding a CRLF in the .test.ts files of one folder. */
function harvest(folder: string): Uint8Array[] {
  const dir = join(ROOT, 'test', folder);
  const out: Uint8Array[] = [];
  const seen = new Set<string>();
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.test.ts')) continue;
    for (const body of stringLiterals(readFileSync(join(dir, f), 'utf8'))) {
      if (!body.includes('\\r\\n')) continue;
      const s = unescapeLiteral(body);
      if (s === null || seen.has(s)) continue;
      seen.add(s);
      out.push(enc(s));
    }
  }
  return out;
}

function transcripts(protocol: string, side: 'client' | 'server'): Uint8Array[] {
  const dir = join(ROOT, 'fixtures', 'transcripts');
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${protocol}-`) && f.endsWith(`.${side}.txt`))
    .map((f) => new Uint8Array(readFileSync(join(dir, f))));
}

/** The byte sequences of issue 14, each a seed on its own. */
const ISSUE_14 = {
  smtp: {
    toServer: [
      'EHLO client.example\r\nAUTH PLAIN\r\n' + 'A'.repeat(300),
      'EHLO client.example\r\nMAIL FROM:<a@b.c> ENVID=ab+0D+0Acd\r\nRCPT TO:<c@d.example> ORCPT=rfc822;a+0D+0Ab@c\r\nDATA\r\n',
      'EHLO client.example\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nBDAT 5 LAST\r\nhello',
      'EHLO client.example\r\nSTARTTLS\r\nEHLO evil\r\nAUTH PLAIN AHNtaXRoAHNlc2FtZQ==\r\n',
      'EHLO client.example\r\nAUTH PLAIN\r\nAHNtaXRoAHNlc2FtZQ==\r\nMAIL FROM:<a@b.example>\r\n',
      'EHLO client.example\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\nx\r\n\0.\r\nMAIL FROM:<evil@x>\r\n.\r\n',
    ],
    toClient: [
      '220 mx ESMTP\r\n250-mx\r\n250-STARTTLS\r\n250 PIPELINING\r\n220 go ahead\r\n250-evil\r\n250 AUTH PLAIN\r\n',
      '220 mx ESMTP\r\n250-mx\r\n250-PIPELINING\r\n250 CHUNKING\r\n250 2.1.0 ok\r\n550 5.1.1 no\r\n550 5.1.1 no\r\n554 5.5.1 no valid recipients\r\n',
      '220-mx\r\n250 garbled\r\n',
    ],
  },
  pop3: {
    toServer: ['AUTH\r\nAUTH PLAIN\r\nAHUAcA==\r\nNOOP\r\n', 'CAPA\r\nUSER alice\r\nPASS secret\r\nSTAT\r\nRETR 1\r\nQUIT\r\n', 'STLS\r\nUSER alice\r\nPASS secret\r\n'],
    toClient: [
      '+OK ready\r\n+OK Begin TLS\r\n+OK\r\nSASL PLAIN\r\nUSER\r\n.\r\n',
      '+OK POP3 ready <1896.697170952@dbc.mtview.ca.us>\r\n+OK\r\nPIPELINING\r\nUSER\r\n.\r\n+OK\r\n+OK logged in\r\n+OK 2 320\r\n',
    ],
  },
  imap: {
    toServer: [
      'a1 LOGIN \0 b\r\n',
      'A1 STARTTLS\r\nA2 LOGIN smith sesame\r\n',
      'a1 FETCH 1 (BODY' + '['.repeat(200) + '\r\n',
      'A1 LOGIN {5}\r\nsmith {6}\r\nsesame\r\nA2 IDLE\r\nDONE\r\nA3 AUTHENTICATE PLAIN\r\nAHNtaXRoAHNlc2FtZQ==\r\nA4 LOGOUT\r\n',
      'A1 COMPRESS DEFLATE\r\nA2 NOOP\r\n',
    ],
    toClient: [
      '* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\nA1 OK Begin TLS\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n',
      '* OK ready\r\nA1 OK done\r\n+ idling\r\nA2 OK idle done\r\n',
      '* OK ' + '['.repeat(200) + '\r\n',
      '* OK ready\r\n+ \r\nA1 OK authenticated\r\n',
    ],
  },
} as const;

function build(protocol: 'smtp' | 'pop3' | 'imap', ownStrings: readonly Uint8Array[]): Corpus {
  const issue = ISSUE_14[protocol];
  return {
    toServer: [...transcripts(protocol, 'client'), ...issue.toServer.map(bin), ...ownStrings],
    toClient: [...transcripts(protocol, 'server'), ...issue.toClient.map(bin), ...ownStrings],
  };
}

let cache: Record<'smtp' | 'pop3' | 'imap', Corpus> | null = null;

/** The corpus of one protocol (read once). */
export function corpus(protocol: 'smtp' | 'pop3' | 'imap'): Corpus {
  cache ??= { smtp: build('smtp', harvest('smtp')), pop3: build('pop3', harvest('pop3')), imap: build('imap', harvest('imap')) };
  return cache[protocol];
}

/** Every line (with its line ending) of a list of seeds, for line-level composition. */
export function linesOf(seeds: readonly Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  const seen = new Set<string>();
  for (const s of seeds) {
    let start = 0;
    for (let i = 0; i <= s.length; i++) {
      if (i === s.length || s[i] === 0x0a) {
        const line = s.slice(start, Math.min(i + 1, s.length));
        start = i + 1;
        if (line.length === 0) continue;
        const key = String.fromCharCode(...line.slice(0, 4000));
        if (!seen.has(key)) {
          seen.add(key);
          out.push(line);
        }
      }
    }
  }
  return out;
}
