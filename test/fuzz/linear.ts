/**
 * Linear cost: the time per byte must not grow with the input. Each pattern is built at a
 * small and at a large size (8 times larger) and fed to a parser or a session in 4 KiB reads;
 * the small input runs 8 times, the large one once, so both process the same number of bytes.
 * A rescan from every `[` (issue 14: 5 s for 65,000 of them) makes the large run about 8 times
 * slower than the small ones; linear code keeps the two close. Timing is noisy on a shared
 * machine, so the best of three runs counts and the bound is generous (4x).
 */
import { imap, pop3, smtp } from '../../src/index';
import { bin } from '../helpers/bytes';

export interface Target {
  readonly name: string;
  readonly feed: (bytes: Uint8Array) => void;
}
export interface Pattern {
  readonly name: string;
  /** Targets it is aimed at (a prefix of the target name: `imap.server`, `smtp`...). */
  readonly targets: string;
  /** The input at about `size` bytes. */
  readonly build: (size: number) => Uint8Array;
}

const CHUNK = 4096;
function chunked(bytes: Uint8Array, push: (c: Uint8Array) => unknown): void {
  for (let i = 0; i < bytes.length; i += CHUNK) push(bytes.subarray(i, i + CHUNK));
}

/** Repeats `unit` to about `size` bytes between `head` and `tail`. */
function fill(head: string, unit: string, tail: string, size: number): Uint8Array {
  return bin(head + unit.repeat(Math.max(1, Math.floor((size - head.length - tail.length) / unit.length))) + tail);
}

// Sessions answer every command with a fixed positive reply: the cost is the session's, not the application's.
export const TARGETS: readonly Target[] = [
  {
    name: 'imap.server-session',
    feed: (b) => {
      const s = new imap.ServerSession();
      const h = (evs: imap.ServerEvent[]): void => {
        for (const e of evs) if (e.type === 'command' && e.command.command !== 'IDLE') h(s.ok());
      };
      chunked(b, (c) => {
        h(s.receive(c));
        s.takeOutput();
      });
      h(s.end());
    },
  },
  {
    name: 'imap.client-session',
    feed: (b) => {
      const s = new imap.ClientSession();
      s.send({ command: 'NOOP' });
      chunked(b, (c) => {
        s.receive(c);
        s.takeOutput();
      });
      s.end();
    },
  },
  {
    name: 'imap.response-parser',
    feed: (b) => {
      const p = new imap.ResponseParser();
      chunked(b, (c) => p.push(c));
      p.end();
    },
  },
  {
    name: 'smtp.server-session',
    feed: (b) => {
      const s = new smtp.ServerSession({ domain: 'mx.example' });
      const h = (evs: smtp.ServerEvent[]): void => {
        for (const e of evs) if ((e.type === 'command' && e.command.verb !== 'BDAT') || e.type === 'data-end') h(s.accept());
        else if (e.type === 'auth-response') h(s.reply(535, 'no'));
      };
      chunked(b, (c) => {
        h(s.receive(c));
        s.takeOutput();
      });
      h(s.end());
    },
  },
  {
    name: 'smtp.client-session',
    feed: (b) => {
      const s = new smtp.ClientSession({ domain: 'client.example' });
      chunked(b, (c) => {
        s.receive(c);
        s.takeOutput();
      });
      s.end();
    },
  },
  {
    name: 'pop3.server-session',
    feed: (b) => {
      const s = new pop3.ServerSession();
      const h = (evs: pop3.ServerEvent[]): void => {
        for (const e of evs) if (e.type === 'command' || e.type === 'auth-response') h(s.err('no'));
      };
      chunked(b, (c) => {
        h(s.receive(c));
        s.takeOutput();
      });
      h(s.end());
    },
  },
  {
    name: 'pop3.client-session',
    feed: (b) => {
      const s = new pop3.ClientSession();
      s.capa();
      s.retr(1);
      chunked(b, (c) => {
        s.receive(c);
        s.takeOutput();
      });
      s.end();
    },
  },
];

export const PATTERNS: readonly Pattern[] = [
  // issue 14: the old lexer rescanned from every "[" (5 s for 65,000 before login).
  { name: 'FETCH BODY[[[...', targets: 'imap.server', build: (n) => fill('a1 FETCH 1 (BODY', '[', '\r\n', n) },
  { name: '* OK [[[[...', targets: 'imap.client', build: (n) => fill('* OK ', '[', '\r\n', n) },
  { name: '* OK [[[[... (parser)', targets: 'imap.response-parser', build: (n) => fill('* OK ', '[', '\r\n', n) },
  { name: 'runs of "("', targets: 'imap', build: (n) => fill('a1 FETCH 1 ', '(', '\r\n', n) },
  { name: 'runs of "\\""', targets: 'imap', build: (n) => fill('a1 LOGIN ', '"', '\r\n', n) },
  { name: 'runs of "\\\\"', targets: 'imap', build: (n) => fill('a1 LOGIN "', '\\', '"\r\n', n) },
  { name: 'runs of "{"', targets: 'imap', build: (n) => fill('a1 LOGIN ', '{', '\r\n', n) },
  { name: 'untagged runs of "("', targets: 'imap.client', build: (n) => fill('* 1 FETCH ', '(', '\r\n', n) },
  { name: 'quoted string of "\\\\\\""', targets: 'imap.client', build: (n) => fill('* 1 FETCH (ENVELOPE ("', '\\"', '"))\r\n', n) },
  { name: 'many short IMAP commands', targets: 'imap.server', build: (n) => fill('', 'a1 NOOP\r\n', '', n) },
  { name: 'many untagged responses', targets: 'imap.client', build: (n) => fill('* OK hi\r\n', '* 1 EXISTS\r\n', '', n) },
  { name: 'many small literals', targets: 'imap.server', build: (n) => fill('a1 LOGIN {1+}\r\n', 'x {1+}\r\n', 'x\r\n', n) },
  { name: 'one long SMTP line', targets: 'smtp.server', build: (n) => fill('MAIL FROM:<', 'a', '@b>\r\n', n) },
  { name: 'AUTH PLAIN then a long line', targets: 'smtp.server', build: (n) => fill('EHLO c.example\r\nAUTH PLAIN\r\n', 'A', '\r\n', n) },
  { name: 'many pipelined SMTP commands', targets: 'smtp.server', build: (n) => fill('EHLO c.example\r\n', 'NOOP\r\n', '', n) },
  { name: 'DATA body of dots', targets: 'smtp.server', build: (n) => fill('EHLO c.example\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\n', '..\r\n', '.\r\n', n) },
  { name: 'long multiline reply', targets: 'smtp.client', build: (n) => fill('220-mx\r\n', '220-more text\r\n', '220 end\r\n', n) },
  { name: 'long POP3 line', targets: 'pop3.server', build: (n) => fill('USER ', 'a', '\r\n', n) },
  { name: 'many POP3 commands', targets: 'pop3.server', build: (n) => fill('', 'NOOP\r\n', '', n) },
  { name: 'long POP3 body', targets: 'pop3.client', build: (n) => fill('+OK ready\r\n+OK\r\nUSER\r\n.\r\n+OK body\r\n', '.x\r\n', '.\r\n', n) },
];

/** Pairs of a pattern and a target it is aimed at. */
export const CASES: readonly { readonly pattern: Pattern; readonly target: Target }[] = PATTERNS.flatMap((pattern) =>
  TARGETS.filter((t) => t.name.startsWith(pattern.targets)).map((target) => ({ pattern, target })),
);

/**
 * Cases known to be slower than linear, kept as data until their fix lands (see
 * test/fuzz/regressions/open/). The campaign leaves them out so that `npm test` stays green;
 * remove a line here when its fix is merged, and the campaign checks it again.
 */
export const KNOWN_SLOW: ReadonlySet<string> = new Set<string>([]);

/** The name of a case in {@link KNOWN_SLOW} and in reports. */
export const caseName = (pattern: Pattern, target: Target): string => `${pattern.name} @ ${target.name}`;

function best(f: () => void, times: number): number {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    f();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

/** The ratio of the large input's time to eight small ones (about 1 when linear, about 8 when quadratic). */
export function growth(pattern: Pattern, target: Target, small: number): { ratio: number; smallMs: number; largeMs: number } {
  const a = pattern.build(small);
  const b = pattern.build(small * 8);
  target.feed(a); // warm up the JIT on this path
  const smallMs = best(() => {
    for (let i = 0; i < 8; i++) target.feed(a);
  }, 3);
  const largeMs = best(() => target.feed(b), 3);
  return { ratio: largeMs / Math.max(smallMs, 0.5), smallMs, largeMs };
}
