/**
 * docs/getting-started.md is executable: every ```ts block is extracted, typechecked against
 * the packed tarball installed in a scratch project (test/package/packed.ts: what a user gets
 * from npm, not src/), and run against src/; what it prints with console.log must be what its
 * `// prints:` comments say. Blocks that connect to a mail server (`net.connect(110|143|587, host)`)
 * run against a small mailwire server on 127.0.0.1 started here. The `node dist/cli.js` shell
 * lines are run too and compared with the ```text block that follows them. The ```ts blocks of
 * the protocol guides and options.md are typechecked the same way, and their client examples
 * run against the test servers (the server examples listen on fixed ports forever: not run).
 */
import { describe, it, expect, vi, afterAll } from 'vitest';
import { execSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import ts from 'typescript';
import { smtp, pop3, imap, decodeBase64, decodeSaslPlain, ProtocolError } from '../../src/index';
import { packed } from '../package/packed';

const root = resolve(__dirname, '../..');
const DOC = 'docs/getting-started.md';

interface Block {
  readonly lang: string;
  readonly code: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
}

/** The fenced code blocks of a markdown file, in order. */
function codeBlocks(markdown: string): Block[] {
  const out: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    out.push({ lang: open[1]!, code: body.join('\n') + '\n', line: start + 1 });
  }
  return out;
}

/** `mailwire` and `mailwire/<entry>` → the sources (for running the snippets). */
const ENTRY: Record<string, string> = {
  mailwire: join(root, 'src/index.ts'),
  'mailwire/smtp': join(root, 'src/entries/smtp.ts'),
  'mailwire/pop3': join(root, 'src/entries/pop3.ts'),
  'mailwire/imap': join(root, 'src/entries/imap.ts'),
  'mailwire/testing': join(root, 'src/testing/index.ts'),
  'mailwire/node': join(root, 'src/node/index.ts'),
};

/**
 * Typechecks snippets as separate modules of a scratch project that has the packed tarball
 * installed (so `mailwire/...` resolves through the published package.json and .d.ts files);
 * returns one list of messages per snippet.
 */
function typecheck(snippets: readonly string[]): string[][] {
  const app = packed().app;
  const dir = mkdtempSync(join(app, 'docs-'));
  const files = snippets.map((_, i) => join(dir, `snippet_${i}.ts`));
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.asynciterable.d.ts'],
    types: ['node'],
    typeRoots: [join(app, 'node_modules/@types')],
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
  };
  const host = ts.createCompilerHost(options);
  const virtual = new Map(files.map((f, i) => [f, `${snippets[i]}\nexport {};\n`]));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) => {
    const text = virtual.get(name);
    return text !== undefined ? ts.createSourceFile(name, text, lang) : getSourceFile(name, lang, ...rest);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => virtual.has(name) || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => virtual.get(name) ?? readFile(name);
  const program = ts.createProgram(files, options, host);
  return files.map((f) => {
    const sf = program.getSourceFile(f)!;
    return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => {
      const { line } = d.start === undefined ? { line: -1 } : sf.getLineAndCharacterOfPosition(d.start);
      return `line ${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
  });
}

/** The `// prints: ...` comments of a snippet, in order. */
function expectedPrints(code: string): string[] {
  return [...code.matchAll(/\/\/ prints: (.*)$/gm)].map((m) => m[1]!.trimEnd());
}

// ---- small mail servers for the client examples, built on mailwire's server sessions ----

const MESSAGE = 'Subject: hi\r\n\r\nHello Bob\r\n';
/** What the IMAP test server returns for BODY[]: big enough to stream as literal chunks past a 64 KiB threshold. */
const BIG = `Subject: big\r\n\r\n${'0123456789abcdef'.repeat(6 * 1024)}\r\n`;

/** Serves one connection with `serve`; resolves with the port, and `done` when the connection closed. */
async function oneShotServer(serve: (socket: net.Socket) => void): Promise<{ port: number; done: Promise<void>; close: () => void }> {
  let finished!: () => void;
  const done = new Promise<void>((r) => (finished = r));
  const server = net.createServer((socket) => {
    socket.on('close', finished);
    socket.on('error', finished);
    serve(socket);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, done, close: () => server.close() };
}

function servePop3(socket: net.Socket): void {
  const s = new pop3.ServerSession({ greeting: 'POP3 ready' });
  const flush = () => { for (const b of s.takeOutput()) socket.write(b); };
  const handle = (events: readonly pop3.ServerEvent[]): void => {
    for (const e of events) {
      if (e.type === 'closed') {
        flush(); // the last answer (QUIT's +OK, LOGOUT's BYE and OK) goes out before the end
        socket.end();
      }
      if (e.type !== 'command') continue;
      const c = e.command;
      if (c.verb === 'STAT') handle(s.ok(`1 ${MESSAGE.length}`));
      else if (c.verb === 'RETR') {
        s.beginBody(`${MESSAGE.length} octets`);
        s.writeBody(new TextEncoder().encode(MESSAGE));
        handle(s.endBody());
      } else if (c.verb === 'PASS' && c.argument !== 'secret') handle(s.err('bad password'));
      else handle(s.ok());
    }
  };
  socket.on('data', (chunk) => { handle(s.receive(chunk)); flush(); });
  flush();
}

function serveImap(socket: net.Socket): void {
  const s = new imap.ServerSession();
  const flush = () => { for (const b of s.takeOutput()) socket.write(b); };
  const untagged = (text: string) => {
    const r = imap.parseResponse(`${text}\r\n`);
    if (r instanceof Error || r.type !== 'untagged') throw new Error(`bad fixture: ${text}`);
    s.untagged(r);
  };
  const handle = (events: readonly imap.ServerEvent[]): void => {
    for (const e of events) {
      if (e.type === 'closed') {
        flush(); // the last answer (QUIT's +OK, LOGOUT's BYE and OK) goes out before the end
        socket.end();
      }
      if (e.type !== 'command') continue;
      const c = e.command;
      if (c.command === 'LOGIN' && c.password !== 'secret') handle(s.no('wrong password'));
      else if (c.command === 'SELECT') {
        untagged('* 1 EXISTS');
        handle(s.ok('SELECT completed', { name: 'READ-WRITE', raw: '' }));
      } else if (c.command === 'LIST') {
        untagged('* LIST (\\HasNoChildren) "/" INBOX');
        untagged('* LIST (\\HasNoChildren \\Sent) "/" Sent');
        handle(s.ok());
      } else if (c.command === 'FETCH' && c.items.some((i) => i.item === 'BODY[]')) {
        untagged(`* 1 FETCH (BODY[] {${BIG.length}}\r\n${BIG})`);
        handle(s.ok());
      } else if (c.command === 'FETCH') {
        untagged('* 1 FETCH (ENVELOPE ("Mon, 23 Nov 2026 10:00:00 +0000" "hi" (("Alice" NIL "alice" "example.org")) NIL NIL (("Bob" NIL "bob" "example.net")) NIL NIL NIL "<1@example.org>"))');
        handle(s.ok());
      } else handle(s.ok());
    }
  };
  socket.on('data', (chunk) => { handle(s.receive(chunk)); flush(); });
  flush();
}

function serveSubmission(socket: net.Socket): void {
  const s = new smtp.ServerSession({
    domain: 'submission.example.net',
    extensions: [...['PIPELINING', 'CHUNKING', 'ENHANCEDSTATUSCODES'].map((keyword) => ({ keyword, params: [] as string[] })), { keyword: 'AUTH', params: ['PLAIN'] }],
  });
  const flush = () => { for (const b of s.takeOutput()) socket.write(b); };
  const login = (response: Uint8Array) => {
    const decoded = decodeSaslPlain(response);
    const creds = decoded instanceof ProtocolError ? null : decoded;
    return creds?.authcid === 'alice' && creds.password === 'secret' ? s.reply(235, 'Authenticated') : s.reply(535, 'Bad credentials');
  };
  const handle = (events: readonly smtp.ServerEvent[]): void => {
    for (const e of events) {
      if (e.type === 'closed') {
        flush();
        socket.end();
      } else if (e.type === 'auth-response') handle(login(e.response));
      else if (e.type === 'data-end') handle(s.accept());
      else if (e.type !== 'command') continue;
      else if (e.command.verb === 'AUTH') {
        const ir = e.command.initialResponse;
        handle(ir ? login(decodeBase64(ir) ?? new Uint8Array(0)) : s.challenge(new Uint8Array(0)));
      } else if (e.command.verb === 'RCPT' && e.command.to.domain === 'example.com') handle(s.reply(550, 'No such user'));
      else if (e.command.verb !== 'BDAT') handle(s.accept());
    }
  };
  socket.on('data', (chunk) => { handle(s.receive(chunk)); flush(); });
  flush();
}

const SERVERS: Record<string, (socket: net.Socket) => void> = { '110': servePop3, '143': serveImap, '587': serveSubmission };

interface Run {
  /** What console.log printed, one string per call. */
  readonly printed: string[];
  /** What was written to process.stdout. */
  readonly written: string;
  /** The files the snippet wrote with createWriteStream, by the name it used. */
  readonly files: Map<string, Uint8Array>;
}

/**
 * Runs a snippet as a module: `mailwire` points at src/, `net.connect(port, host)` at a test
 * server for that port on 127.0.0.1, `createWriteStream('name')` into a temporary directory.
 * Waits until the test server's connection has closed.
 */
async function runSnippet(source: string, name: string): Promise<Run> {
  let code = source;
  for (const [entry, file] of Object.entries(ENTRY)) code = code.replaceAll(`from '${entry}'`, `from ${JSON.stringify(file)}`);
  const connect = /net\.connect\((\d+), '([^']+)'\)/.exec(code);
  let server: Awaited<ReturnType<typeof oneShotServer>> | null = null;
  if (connect && connect[2] !== '127.0.0.1') {
    const serve = SERVERS[connect[1]!];
    expect(serve, `no test server for port ${connect[1]}`).toBeDefined();
    server = await oneShotServer(serve!);
    code = code.replace(connect[0], `net.connect(${server.port}, '127.0.0.1')`);
  }
  const outputs = new Map<string, string>();
  const closed: Promise<unknown>[] = [];
  (globalThis as { __docsOpen?: unknown }).__docsOpen = (path: string) => {
    const stream = createWriteStream(path);
    closed.push(new Promise<void>((resolve) => stream.on('close', () => resolve())));
    return stream;
  };
  code = code.replace(/createWriteStream\('([^']+)'\)/g, (_, file: string) => {
    outputs.set(file, join(work, `${name}-${file}`));
    return `(globalThis as any).__docsOpen(${JSON.stringify(outputs.get(file))})`;
  });
  const path = join(work, `${name}.ts`);
  writeFileSync(path, code);

  const printed: string[] = [];
  const written: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(format(...args)));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk));
    return true;
  });
  try {
    await import(/* @vite-ignore */ path);
    const finished = Promise.all([server?.done, ...closed]);
    await Promise.race([finished, new Promise((_, reject) => setTimeout(() => reject(new Error('the session did not finish')), 5000))]);
  } finally {
    log.mockRestore();
    write.mockRestore();
    server?.close();
  }
  const files = new Map<string, Uint8Array>();
  for (const [file, real] of outputs) files.set(file, new Uint8Array(readFileSync(real)));
  return { printed, written: written.join(''), files };
}

// ---- the tests ----

const markdown = readFileSync(join(root, DOC), 'utf8');
const blocks = codeBlocks(markdown);
const tsBlocks = blocks.filter((b) => b.lang === 'ts');
const work = mkdtempSync(join(tmpdir(), 'mailwire-docs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe(`${DOC}: TypeScript blocks`, () => {
  it('has the examples the page promises', () => {
    expect(tsBlocks.length).toBeGreaterThanOrEqual(7);
    for (const needle of ['smtp.ServerSession', 'pop3.ClientSession', 'imap.ClientSession', 'toTransformStream(new imap.ResponseParser())', 'node:net', 'imap.decodeEncodedWords(', 'imap.resolveAddresses(', "from 'mailwire/node'", 'sendMail(', 'pop3Messages(', 'imapMessages(', 's.startTls()']) {
      expect(tsBlocks.some((b) => b.code.includes(needle)), needle).toBe(true);
    }
  });

  const diagnostics = typecheck(tsBlocks.map((b) => b.code));
  tsBlocks.forEach((block, i) => {
    it(`block at line ${block.line} typechecks and prints what it says`, async () => {
      expect(diagnostics[i]).toEqual([]);

      const { printed, written } = await runSnippet(block.code, `snippet-${block.line}`);
      expect(printed).toEqual(expectedPrints(block.code));
      if (block.code.includes('process.stdout.write')) expect(written).toBe(MESSAGE);
    });
  });
});

describe(`${DOC}: command-line examples`, () => {
  const dist = join(root, 'dist/cli.js');
  const examples = blocks.flatMap((b, i) =>
    b.lang === 'sh' && blocks[i + 1]?.lang === 'text'
      ? b.code.split('\n').filter((l) => l.includes('dist/cli.js')).map((command) => ({ command, expected: blocks[i + 1]!.code.trimEnd().split('\n'), line: b.line }))
      : [],
  );

  it('has command-line examples with their output', () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
  });

  for (const { command, expected, line } of examples) {
    it(`${command.slice(0, 60)}... (line ${line}) prints what the page shows`, () => {
      expect(existsSync(dist), 'dist/cli.js is missing — run `npm run build` first').toBe(true);
      const out = execSync(command, { cwd: root, encoding: 'utf8', shell: '/bin/sh' }).trimEnd().split('\n');
      expect(out.slice(0, expected.length)).toEqual(expected);
    });
  }

  it('the sample transcripts named on the page exist', () => {
    for (const m of markdown.matchAll(/fixtures\/transcripts\/[\w.-]+\.txt/g)) expect(existsSync(join(root, m[0])), m[0]).toBe(true);
  });
});

describe('the TypeScript blocks of the other guides typecheck, and their client examples run', () => {
  const guides = ['docs/smtp.md', 'docs/pop3.md', 'docs/imap.md', 'docs/options.md'];
  const all = guides.flatMap((doc) => codeBlocks(readFileSync(join(root, doc), 'utf8')).filter((b) => b.lang === 'ts').map((b) => ({ doc, ...b })));
  const diagnostics = typecheck(all.map((b) => b.code));

  it('every guide has a socket example', () => {
    for (const doc of guides.slice(0, 3)) expect(all.some((b) => b.doc === doc && b.code.includes("from 'node:net'")), doc).toBe(true);
  });
  all.forEach((block, i) => {
    const connect = /net\.connect\((\d+), '([^']+)'\)/.exec(block.code);
    const runnable = connect !== null && connect[2] !== '127.0.0.1';
    it(`${block.doc} block at line ${block.line} typechecks${runnable ? ', runs against a test server and prints what it says' : ''}`, async () => {
      expect(diagnostics[i]).toEqual([]);
      if (!runnable) return;
      const run = await runSnippet(block.code, `${block.doc.replace(/\W/g, '-')}-${block.line}`);
      expect(run.printed).toEqual(expectedPrints(block.code));
      if (block.code.includes('process.stdout.write')) expect(run.written).toBe(MESSAGE);
      for (const [file, bytes] of run.files) expect(new TextDecoder().decode(bytes), file).toBe(BIG);
    });
  });
});
