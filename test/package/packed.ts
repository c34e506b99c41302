/**
 * The package as a user installs it, made once per build and shared by every test file that
 * needs it (the package test, the docs test): `npm pack` of the built tree, then
 * `npm install <tarball>` into a scratch project in the temp directory. The scratch project is
 * keyed by a fingerprint of dist/ and package.json, so test workers of one run (and later runs
 * of the same build) reuse it; a worker that loses the race to create it uses the winner's.
 * Each build makes a new one: those of other builds not used for an hour are removed when a
 * new one is made, and a failed pack leaves no scratch directory. Needs `npm run build` first.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const root = resolve(__dirname, '../..');

/** A scratch project with the packed mailwire installed in its node_modules. */
export interface Packed {
  /** The scratch project's directory (holds package.json and node_modules/mailwire). */
  readonly app: string;
  /** The tarball `npm pack` wrote. */
  readonly tarball: string;
  /** The installed package's directory. */
  readonly pkgDir: string;
}

function fingerprint(): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const st = statSync(path);
      if (st.isDirectory()) walk(path);
      else hash.update(`${path}\0${st.size}\0${st.mtimeMs}\n`);
    }
  };
  walk(join(root, 'dist'));
  for (const f of ['package.json', 'README.md', 'CHANGELOG.md', 'smtp/package.json', 'pop3/package.json', 'imap/package.json', 'testing/package.json', 'node/package.json']) {
    hash.update(existsSync(join(root, f)) ? readFileSync(join(root, f)) : '-');
  }
  return hash.digest('hex').slice(0, 16);
}

/** How long a packed project of another build may sit unused before it is removed. */
const STALE_MS = 60 * 60 * 1000;

/** Removes the packed projects (and scratch directories) of other builds not used for {@link STALE_MS}. */
function removeStale(keep: string): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith('mailwire-packed-') && !name.startsWith('mailwire-packing-')) continue;
    const path = join(tmpdir(), name);
    if (path === keep) continue;
    try {
      if (Date.now() - statSync(path).mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Another run removed it first.
    }
  }
}

/** Packs and installs the built package once per build; returns where it is. */
export function packed(): Packed {
  const dir = join(tmpdir(), `mailwire-packed-${fingerprint()}`);
  const result = (): Packed => {
    const tarball = readdirSync(dir).find((n) => n.endsWith('.tgz'))!;
    return { app: join(dir, 'app'), tarball: join(dir, tarball), pkgDir: join(dir, 'app', 'node_modules', 'mailwire') };
  };
  if (existsSync(join(dir, 'ready'))) {
    // In use: not stale for removeStale() of another build's run.
    const now = new Date();
    utimesSync(dir, now, now);
    return result();
  }

  removeStale(dir);
  const work = mkdtempSync(join(tmpdir(), 'mailwire-packing-'));
  try {
    pack(work);
  } catch (e) {
    rmSync(work, { recursive: true, force: true });
    throw e;
  }
  try {
    renameSync(work, dir);
  } catch {
    rmSync(work, { recursive: true, force: true }); // another worker made it first
  }
  return result();
}

/** `npm pack` into `work`, and the scratch project `work/app` with the tarball installed. */
function pack(work: string): void {
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const tarball = (JSON.parse(out) as { filename: string }[])[0]!.filename;
  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'scratch-app', private: true, type: 'commonjs' }));
  // No network: the tarball has no dependencies (fast-check is an optional peer).
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', join(work, tarball)], { cwd: app, stdio: 'ignore' });
  // What a user of mailwire/testing and mailwire/node has installed beside it.
  symlinkSync(join(root, 'node_modules', 'fast-check'), join(app, 'node_modules', 'fast-check'));
  mkdirSync(join(app, 'node_modules', '@types'), { recursive: true });
  symlinkSync(join(root, 'node_modules', '@types', 'node'), join(app, 'node_modules', '@types', 'node'));
  writeFileSync(join(work, 'ready'), '');
}

/**
 * Typechecks `files` (name -> source) in the scratch project with the repo's TypeScript, in a
 * child process (several can run at once); resolves with tsc's output ('' when clean).
 */
export function typecheckInAsync(app: string, name: string, files: Record<string, string>, compilerOptions: Record<string, unknown>): Promise<string> {
  const dir = join(app, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  for (const [file, source] of Object.entries(files)) writeFileSync(join(dir, file), source);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, target: 'es2022', noEmit: true, skipLibCheck: false, types: ['node'], lib: ['es2022', 'dom', 'dom.asynciterable'], ...compilerOptions }, files: Object.keys(files) }),
  );
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { encoding: 'utf8' }, (err, stdout) => resolve(err ? String(stdout || err) : ''));
  });
}
