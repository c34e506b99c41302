/**
 * Tiny command-line helper shared by the examples: `--name value` from argv, else the
 * environment variable `MAILWIRE_NAME` (upper-case, dashes as underscores), else a default.
 */
const values: Record<string, string> = {};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const m = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/s.exec(argv[i]!);
  if (!m) continue;
  if (m[2] !== undefined) values[m[1]!] = m[2];
  else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) values[m[1]!] = argv[++i]!;
  else values[m[1]!] = 'true';
}

/** The value of `--name`, `$MAILWIRE_NAME`, or `fallback`. */
export function opt(name: string, fallback?: string): string | undefined {
  return values[name] ?? process.env[`MAILWIRE_${name.toUpperCase().replace(/-/g, '_')}`] ?? fallback;
}

/** Like {@link opt}, but exits with a usage message when the value is missing. */
export function need(name: string, usage: string): string {
  const v = opt(name);
  if (v === undefined) {
    process.stderr.write(`missing --${name}\nusage: ${usage}\n`);
    process.exit(2);
  }
  return v;
}

/** Stops the process after `ms` milliseconds whatever happens (examples must end by themselves). */
export function deadline(ms: number): void {
  setTimeout(() => {
    process.stderr.write(`gave up after ${ms} ms\n`);
    process.exit(3);
  }, ms).unref();
}
