/**
 * docs/options.md against the code: every exported `...Options` / `...Limits` interface in src/
 * (read with the TypeScript checker, inherited options included) must have a section listing
 * exactly its options, and the documented defaults of the main limits (line lengths, reply lines,
 * recipients, nesting depth, POP3 argument length, IMAP literal size) must be the real ones.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { smtp, pop3, imap, ProtocolError } from '../../src/index';
import { enc } from '../helpers/bytes';

const root = resolve(__dirname, '../..');
const doc = readFileSync(join(root, 'docs/options.md'), 'utf8');

/** Every exported options interface: its documented name (`smtp.ServerSessionOptions`, `LineFramerOptions`) and its options. */
function optionInterfaces(): Map<string, string[]> {
  const program = ts.createProgram([join(root, 'src/index.ts'), join(root, 'src/node/index.ts')], {
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: ['node'],
    strict: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const found = new Map<string, string[]>();
  for (const file of program.getSourceFiles()) {
    const rel = relative(join(root, 'src'), file.fileName).split(sep);
    if (rel[0] === '..' || rel[0] === 'cli' || rel.length !== 2) continue;
    const ns = rel[0] === 'core' ? '' : `${rel[0]}.`;
    file.forEachChild((node) => {
      if (!ts.isInterfaceDeclaration(node) || !/(Options|Limits)$/.test(node.name.text)) return;
      if (!node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return;
      const props = checker.getPropertiesOfType(checker.getTypeAtLocation(node.name)).map((p) => p.name);
      found.set(`${ns}${node.name.text}`, props.sort());
    });
  }
  return found;
}

/** The `### \`name\`` sections of docs/options.md and the option names in the first column of their tables. */
function documented(): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const line of doc.split('\n')) {
    const h = /^#{2,3} /.exec(line);
    if (h) {
      const name = /^### `([\w.]+)`\s*$/.exec(line);
      current = name ? [] : null;
      if (name) sections.set(name[1]!, current!);
      continue;
    }
    const row = /^\| `(\w+)` \|/.exec(line);
    if (current && row) current.push(row[1]!);
  }
  for (const [k, v] of sections) sections.set(k, [...v].sort());
  return sections;
}

/** "2048", "1,000,000", "64 KiB", "1 MiB" → octets. */
function sizeOf(text: string): number {
  const m = /^([\d,]+)(?: (KiB|MiB))?$/.exec(text.trim());
  if (!m) throw new Error(`not a size: ${text}`);
  return Number(m[1]!.replace(/,/g, '')) * (m[2] === 'KiB' ? 1024 : m[2] === 'MiB' ? 1024 * 1024 : 1);
}

/** The default column of one option row in one section. */
function documentedDefault(section: string, option: string): string {
  const start = doc.indexOf(`### \`${section}\``);
  expect(start, section).toBeGreaterThanOrEqual(0);
  const row = new RegExp(`^\\| \`${option}\` \\| ([^|]+) \\|`, 'm').exec(doc.slice(start));
  expect(row, `${section}.${option}`).not.toBeNull();
  return row![1]!;
}

describe('docs/options.md lists every option in src/', () => {
  const code = optionInterfaces();
  const docs = documented();

  it('finds the option interfaces of all three protocols and core', () => {
    // A guard against the extraction itself going blind.
    for (const name of ['LineFramerOptions', 'smtp.ServerSessionOptions', 'pop3.ResponseParserOptions', 'imap.CommandParserOptions', 'imap.ReaderLimits']) {
      expect(code.has(name), name).toBe(true);
    }
    expect(code.get('imap.CommandParserOptions')).toContain('maxDepth'); // inherited from the reader limits
    expect(code.size).toBeGreaterThanOrEqual(20);
  });

  it('has a section for every options interface, with exactly its options', () => {
    const problems: string[] = [];
    for (const [name, props] of code) {
      const listed = docs.get(name);
      if (!listed) {
        problems.push(`missing section ### \`${name}\``);
        continue;
      }
      for (const p of props) if (!listed.includes(p)) problems.push(`${name}: option \`${p}\` not documented`);
      for (const p of listed) if (!props.includes(p)) problems.push(`${name}: documents \`${p}\`, which the code does not have`);
    }
    for (const name of docs.keys()) if (!code.has(name)) problems.push(`section ${name} names no interface in src/`);
    expect(problems).toEqual([]);
  });
});

describe('documented defaults are the real ones', () => {
  /** Feeds a line of `length` octets (CRLF included) starting with `prefix` and says whether it was LINE_TOO_LONG. */
  type Probe = (prefix: string, length: number) => boolean;
  const tooLong = (items: readonly { type: string; error?: ProtocolError }[]) => items.some((i) => i.type === 'error' && i.error?.code === 'LINE_TOO_LONG');
  const line = (prefix: string, length: number) => enc(prefix + 'x'.repeat(length - prefix.length - 2) + '\r\n');

  const cases: [section: string, prefix: string, probe: Probe][] = [
    ['smtp.CommandParserOptions', 'NOOP ', (p, n) => tooLong(new smtp.CommandParser().push(line(p, n)))],
    ['smtp.ReplyParserOptions', '250 ', (p, n) => tooLong(new smtp.ReplyParser().push(line(p, n)))],
    ['pop3.CommandParserOptions', 'NOOP ', (p, n) => tooLong(new pop3.CommandParser().push(line(p, n)))],
    [
      'pop3.ResponseParserOptions',
      '+OK ',
      (p, n) => {
        const parser = new pop3.ResponseParser();
        parser.expect('single');
        return tooLong(parser.push(line(p, n)));
      },
    ],
    ['imap.CommandParserOptions', 'A1 NOOP ', (p, n) => tooLong(new imap.CommandParser().push(line(p, n)))],
    ['imap.ResponseParserOptions', '* OK ', (p, n) => tooLong(new imap.ResponseParser().push(line(p, n)))],
  ];

  for (const [section, prefix, probe] of cases) {
    it(`${section}.maxLineLength`, () => {
      const max = sizeOf(documentedDefault(section, 'maxLineLength'));
      expect(probe(prefix, max)).toBe(false);
      expect(probe(prefix, max + 1)).toBe(true);
    });
  }

  it('smtp.ReplyParserOptions.maxLines', () => {
    const max = sizeOf(documentedDefault('smtp.ReplyParserOptions', 'maxLines'));
    const reply = (n: number) => enc('250-x\r\n'.repeat(n - 1) + '250 x\r\n');
    const errors = (n: number) => new smtp.ReplyParser().push(reply(n)).filter((i) => i.type === 'error').map((i) => (i.type === 'error' ? i.error.code : ''));
    expect(errors(max)).toEqual([]);
    expect(errors(max + 1)).toEqual(['TOO_MANY']);
  });

  it('smtp.ServerSessionOptions.maxRecipients', () => {
    const max = sizeOf(documentedDefault('smtp.ServerSessionOptions', 'maxRecipients'));
    const s = new smtp.ServerSession({ domain: 'mx.example.org' });
    const answer = (events: readonly smtp.ServerEvent[]): smtp.ServerEvent[] => events.flatMap((e) => (e.type === 'command' ? [e, ...answer(s.accept())] : [e]));
    answer(s.receive(enc('EHLO c.example\r\nMAIL FROM:<a@example.org>\r\n')));
    const rcpts = Array.from({ length: max + 1 }, (_, i) => `RCPT TO:<r${i}@example.net>\r\n`).join('');
    const events = answer(s.receive(enc(rcpts)));
    const autos = events.filter((e) => e.type === 'auto-reply');
    expect(autos).toHaveLength(1);
    expect(autos[0]!.type === 'auto-reply' && autos[0]!.reply.code).toBe(452);
  });

  it('imap.ReaderLimits.maxDepth', () => {
    const max = sizeOf(documentedDefault('imap.ReaderLimits', 'maxDepth'));
    // FETCH (X-A ( ... )): the attribute list is depth 1, each "(" inside one more.
    const nested = (depth: number) => `* 1 FETCH (X-A ${'('.repeat(depth - 1)}x${')'.repeat(depth - 1)})\r\n`;
    const code = (depth: number) => {
      const r = imap.parseResponse(nested(depth));
      return r instanceof ProtocolError ? r.code : 'ok';
    };
    expect(code(max)).toBe('ok');
    expect(code(max + 1)).toBe('TOO_DEEP');
  });

  it('pop3.ParseCommandOptions.maxArgumentLength', () => {
    const max = sizeOf(documentedDefault('pop3.ParseCommandOptions', 'maxArgumentLength'));
    expect(pop3.parseCommand(`USER ${'a'.repeat(max)}`)).not.toBeInstanceOf(ProtocolError);
    const err = pop3.parseCommand(`USER ${'a'.repeat(max + 1)}`);
    expect(err instanceof ProtocolError && err.code).toBe('SYNTAX');
    expect(pop3.parseCommand(`PASS ${'a'.repeat(max + 1)}`)).not.toBeInstanceOf(ProtocolError); // PASS is exempt
  });

  it('imap.CommandParserOptions.maxLiteralSize', () => {
    const max = sizeOf(documentedDefault('imap.CommandParserOptions', 'maxLiteralSize'));
    const announce = (size: number) => new imap.CommandParser().push(enc(`A1 APPEND INBOX {${size}}\r\n`)).map((i) => (i.type === 'error' ? i.error.code : i.type));
    expect(announce(max)).toEqual(['continuation-needed']);
    expect(announce(max + 1)).toEqual(['LITERAL_TOO_LARGE']);
  });
});
