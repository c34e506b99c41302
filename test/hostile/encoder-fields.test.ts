import { describe, expect, it } from 'vitest';
import { pop3, smtp } from '../../src/index';

// Encoders check every field at run time, not only by type: values built from JSON, config
// files or casts reach them unchecked. Each row names one field of one encoder; every bad
// value of its kind must be refused with a TypeError or RangeError the encoder threw on
// purpose (not a "Cannot read properties of undefined" on the way), and never reach the wire.

type Kind = 'string' | 'enum' | 'int' | 'bool' | 'array' | 'object';
interface Field {
  readonly path: readonly (string | number)[];
  readonly kind: Kind;
  readonly nullable?: boolean;
  readonly min?: number;
  readonly max?: number;
}
interface Row {
  readonly name: string;
  readonly encode: (v: never) => string;
  readonly base: object;
  readonly fields: readonly Field[];
}

function badValues(f: Field): unknown[] {
  const common: unknown[] = [undefined, Symbol.iterator];
  if (!f.nullable) common.push(null);
  switch (f.kind) {
    case 'string':
      return [...common, 42, {}, [], true, 'a\r\nb', 'a\rb', 'a\nb', 'a\0b'];
    case 'enum':
      return [...common, 'BOGUS', '+OK\r\n+OK x', '250\r\n', 42, {}, ''];
    case 'int':
      return [...common, String(f.min ?? 0), 2.5, Number.NaN, Number.POSITIVE_INFINITY, (f.min ?? 0) - 1, (f.max ?? 0) + 1, 7n, {}];
    case 'bool':
      return [...common, 'yes', 1, 0, {}];
    case 'array':
      return [...common, 'x', {}, 42];
    case 'object':
      return [...common, 'x', 42, true];
  }
}

function withField(base: object, path: readonly (string | number)[], value: unknown): object {
  if (path.length === 0) return value as object;
  const [k, ...rest] = path;
  const copy = (Array.isArray(base) ? [...(base as unknown[])] : { ...base }) as Record<string | number, unknown>;
  copy[k!] = withField((base as Record<string | number, object>)[k!] as object, rest, value);
  return copy;
}

function expectRefused(f: () => string, what: string): void {
  let out: string | undefined;
  try {
    out = f();
  } catch (e) {
    if (!(e instanceof TypeError || e instanceof RangeError)) throw new Error(`${what}: threw ${String(e)} instead of a TypeError/RangeError`);
    if (/Cannot read prop|is not a function|is not iterable|Cannot convert/.test(e.message)) throw new Error(`${what}: not checked, crashed on the way: ${e.message}`);
    return;
  }
  throw new Error(`${what}: encoded ${JSON.stringify(out)} instead of refusing`);
}

const path = smtp.makePath('bob', 'example.org');
const SMTP_ROWS: Row[] = [
  { name: 'smtp command', encode: smtp.encodeCommand, base: { verb: 'QUIT' }, fields: [{ path: [], kind: 'object' }, { path: ['verb'], kind: 'enum' }] },
  { name: 'smtp EHLO', encode: smtp.encodeCommand, base: { verb: 'EHLO', domain: 'client.example' }, fields: [{ path: ['domain'], kind: 'string' }] },
  {
    name: 'smtp MAIL',
    encode: smtp.encodeCommand,
    base: { verb: 'MAIL', from: path, params: [{ keyword: 'SIZE', value: '10' }] },
    fields: [
      { path: ['from'], kind: 'object', nullable: true },
      { path: ['from', 'localPart'], kind: 'string' },
      { path: ['from', 'domain'], kind: 'string' },
      { path: ['from', 'route'], kind: 'array' },
      { path: ['params'], kind: 'array' },
      { path: ['params', 0], kind: 'object' },
      { path: ['params', 0, 'keyword'], kind: 'string' },
      { path: ['params', 0, 'value'], kind: 'string', nullable: true },
    ],
  },
  {
    name: 'smtp RCPT',
    encode: smtp.encodeCommand,
    base: { verb: 'RCPT', to: smtp.makePath('bob', 'example.org', ['relay.example']), params: [] },
    fields: [
      { path: ['to'], kind: 'object' },
      { path: ['to', 'route', 0], kind: 'string' },
      { path: ['params'], kind: 'array' },
    ],
  },
  {
    name: 'smtp BDAT',
    encode: smtp.encodeCommand,
    base: { verb: 'BDAT', size: 10, last: true },
    fields: [
      { path: ['size'], kind: 'int', min: 0, max: 999_999_999_999_999 },
      { path: ['last'], kind: 'bool' },
    ],
  },
  { name: 'smtp BURL', encode: smtp.encodeCommand, base: { verb: 'BURL', uri: 'imap://a/b', last: false }, fields: [{ path: ['uri'], kind: 'string' }, { path: ['last'], kind: 'bool' }] },
  {
    name: 'smtp AUTH',
    encode: smtp.encodeCommand,
    base: { verb: 'AUTH', mechanism: 'PLAIN', initialResponse: 'AGE=' },
    fields: [
      { path: ['mechanism'], kind: 'string' },
      { path: ['initialResponse'], kind: 'string', nullable: true },
    ],
  },
  {
    name: 'smtp VRFY',
    encode: smtp.encodeCommand,
    base: { verb: 'VRFY', argument: 'bob', smtputf8: false },
    fields: [
      { path: ['argument'], kind: 'string' },
      { path: ['smtputf8'], kind: 'bool' },
    ],
  },
  { name: 'smtp NOOP', encode: smtp.encodeCommand, base: { verb: 'NOOP', argument: 'x' }, fields: [{ path: ['argument'], kind: 'string', nullable: true }] },
  {
    name: 'smtp UNKNOWN',
    encode: smtp.encodeCommand,
    base: { verb: 'UNKNOWN', name: 'XFOO', argument: 'bar' },
    fields: [
      { path: ['name'], kind: 'string' },
      { path: ['argument'], kind: 'string', nullable: true },
    ],
  },
  {
    name: 'smtp reply',
    encode: smtp.encodeReply,
    base: { code: 550, enhanced: { class: 5, subject: 1, detail: 1 }, lines: ['no such user', 'really'] },
    fields: [
      { path: [], kind: 'object' },
      { path: ['code'], kind: 'int', min: 200, max: 599 },
      { path: ['enhanced'], kind: 'object', nullable: true },
      { path: ['enhanced', 'class'], kind: 'int', min: 2, max: 5 },
      { path: ['enhanced', 'subject'], kind: 'int', min: 0, max: 999 },
      { path: ['enhanced', 'detail'], kind: 'int', min: 0, max: 999 },
      { path: ['lines'], kind: 'array' },
      { path: ['lines', 0], kind: 'string' },
      { path: ['lines', 1], kind: 'string' },
    ],
  },
];

const POP3_ROWS: Row[] = [
  { name: 'pop3 command', encode: pop3.encodeCommand, base: { verb: 'QUIT' }, fields: [{ path: [], kind: 'object' }, { path: ['verb'], kind: 'enum' }] },
  { name: 'pop3 USER', encode: pop3.encodeCommand, base: { verb: 'USER', argument: 'alice' }, fields: [{ path: ['argument'], kind: 'string' }] },
  { name: 'pop3 PASS', encode: pop3.encodeCommand, base: { verb: 'PASS', argument: 'sesame' }, fields: [{ path: ['argument'], kind: 'string' }] },
  {
    name: 'pop3 APOP',
    encode: pop3.encodeCommand,
    base: { verb: 'APOP', name: 'mrose', digest: 'c4c9334bac560ecc979e58001b3e22fb' },
    fields: [
      { path: ['name'], kind: 'string' },
      { path: ['digest'], kind: 'string' },
    ],
  },
  { name: 'pop3 LIST', encode: pop3.encodeCommand, base: { verb: 'LIST', message: 1 }, fields: [{ path: ['message'], kind: 'int', nullable: true, min: 1, max: 9_999_999_999 }] },
  { name: 'pop3 RETR', encode: pop3.encodeCommand, base: { verb: 'RETR', message: 1 }, fields: [{ path: ['message'], kind: 'int', min: 1, max: 9_999_999_999 }] },
  {
    name: 'pop3 TOP',
    encode: pop3.encodeCommand,
    base: { verb: 'TOP', message: 1, lines: 10 },
    fields: [
      { path: ['message'], kind: 'int', min: 1, max: 9_999_999_999 },
      { path: ['lines'], kind: 'int', min: 0, max: 9_999_999_999 },
    ],
  },
  {
    name: 'pop3 AUTH',
    encode: pop3.encodeCommand,
    base: { verb: 'AUTH', mechanism: 'PLAIN', initialResponse: 'AGE=' },
    fields: [
      { path: ['mechanism'], kind: 'string', nullable: true },
      { path: ['initialResponse'], kind: 'string', nullable: true },
    ],
  },
  { name: 'pop3 LANG', encode: pop3.encodeCommand, base: { verb: 'LANG', range: 'en' }, fields: [{ path: ['range'], kind: 'string', nullable: true }] },
  {
    name: 'pop3 UNKNOWN',
    encode: pop3.encodeCommand,
    base: { verb: 'UNKNOWN', name: 'XTND', argument: 'XMIT' },
    fields: [
      { path: ['name'], kind: 'string' },
      { path: ['argument'], kind: 'string', nullable: true },
    ],
  },
  {
    name: 'pop3 response',
    encode: pop3.encodeResponse,
    base: { status: '-ERR', code: 'IN-USE', text: 'locked' },
    fields: [
      { path: [], kind: 'object' },
      { path: ['status'], kind: 'enum' },
      { path: ['code'], kind: 'string', nullable: true },
      { path: ['text'], kind: 'string' },
    ],
  },
  { name: 'pop3 continuation', encode: pop3.encodeResponse, base: { status: '+', text: 'VXNlcm5hbWU6' }, fields: [{ path: ['text'], kind: 'string' }] },
];

describe('encoders validate every field at run time (issue 14)', () => {
  it('pop3.encodeResponse({ status: "+OK\\r\\n+OK x" }) throws a TypeError instead of writing two lines', () => {
    expect(() => pop3.encodeResponse({ status: '+OK\r\n+OK x' } as unknown as pop3.Response)).toThrow(TypeError);
    expect(() => pop3.encodeResponse({ status: '+OK\r\n+OK x', code: null, text: 'x' } as unknown as pop3.Response)).toThrow(/POP3 response status must be one of/);
  });

  it('smtp.encodeReply refuses codes outside 200..599 and non-integers: 2500 would be a different reply', () => {
    for (const code of [199, 600, 2500, 250.5, Number.NaN]) expect(() => smtp.encodeReply({ code, enhanced: null, lines: ['x'] }), String(code)).toThrow(RangeError);
    expect(() => smtp.encodeReply({ code: '250 ok\r\n250' as unknown as number, enhanced: null, lines: ['x'] })).toThrow(TypeError);
    expect(smtp.encodeReply({ code: 250, enhanced: { class: 2, subject: 0, detail: 0 }, lines: ['ok'] })).toBe('250 2.0.0 ok\r\n');
  });

  it('smtp.encodeCommand refuses a verb it does not model instead of returning undefined', () => {
    expect(() => smtp.encodeCommand({ verb: 'RSET\r\nDATA' } as unknown as smtp.Command)).toThrow(TypeError);
    expect(() => smtp.encodeCommand({ verb: 'XFOO' } as unknown as smtp.Command)).toThrow(TypeError);
  });

  it('rfc6531 3.7.4: a VRFY argument ending in " SMTPUTF8" without the flag is refused (it would read back as the flag)', () => {
    expect(() => smtp.encodeCommand({ verb: 'VRFY', argument: 'bob SMTPUTF8', smtputf8: false })).toThrow(TypeError);
    const line = smtp.encodeCommand({ verb: 'VRFY', argument: 'bob SMTPUTF8', smtputf8: true });
    expect(smtp.parseCommand(line.slice(0, -2))).toMatchObject({ verb: 'VRFY', argument: 'bob SMTPUTF8', smtputf8: true });
  });

  it('numbers the parsers cannot read back are refused: BDAT of 16 digits, POP3 message 0', () => {
    expect(() => smtp.encodeCommand({ verb: 'BDAT', size: 9_007_199_254_740_991, last: false })).toThrow(RangeError);
    expect(smtp.encodeCommand({ verb: 'BDAT', size: 999_999_999_999_999, last: false })).toBe('BDAT 999999999999999\r\n');
    expect(() => pop3.encodeCommand({ verb: 'RETR', message: 0 })).toThrow(RangeError);
    expect(pop3.encodeCommand({ verb: 'TOP', message: 1, lines: 0 })).toBe('TOP 1 0\r\n');
  });

  for (const row of [...SMTP_ROWS, ...POP3_ROWS]) {
    it(`${row.name}: every field is checked (${row.fields.map((f) => f.path.join('.') || '(value)').join(', ')})`, () => {
      // The base value is valid: only the mutated field can make it fail.
      expect(() => row.encode(row.base as never)).not.toThrow();
      for (const f of row.fields) {
        for (const v of badValues(f)) {
          const what = `${row.name} ${f.path.join('.') || '(value)'} = ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`;
          expectRefused(() => row.encode(withField(row.base, f.path, v) as never), what);
        }
      }
    });
  }
});
