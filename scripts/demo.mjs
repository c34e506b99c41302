// Decodes the bundled sample transcripts with the `mailwire decode` command-line tool and
// prints one line per parsed item (`--human`; the CLI prints JSON lines without it). Run with
// `npm run demo` (it builds quietly first, so only the decoded items are printed).
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'fixtures', 'transcripts');
const cli = join(root, 'dist', 'cli.js');

let files = 0;
let items = 0;
for (const name of readdirSync(dir).filter((n) => n.endsWith('.txt')).sort()) {
  const protocol = name.split('-')[0];
  const side = name.endsWith('.client.txt') ? '--client' : '--server';
  const args = ['decode', protocol, side, '--human'];
  // POP3: which responses are multiline depends on the commands, so give the client side too.
  if (protocol === 'pop3' && side === '--server') args.push('--commands', join(dir, name.replace('.server.', '.client.')));
  args.push(join(dir, name));
  const out = execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  console.log(`\n$ mailwire ${args.slice(0, -1).map((a) => a.replace(dir + '/', '')).join(' ')} ${name}`);
  for (const line of out.trimEnd().split('\n')) console.log(`  ${line.length > 160 ? `${line.slice(0, 157)}...` : line}`);
  files++;
  items += out.trimEnd().split('\n').length;
}
console.log(`\ndecoded ${items} items from ${files} sample transcripts`);
