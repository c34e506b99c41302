// Decodes the bundled sample transcripts with mailwire's streaming parsers and prints
// one line per parsed item. Run with `npm run demo` (it builds first).
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pop3, smtp } from '../dist/index.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'transcripts');

function show(item) {
  switch (item.type) {
    case 'command':
      return `command ${JSON.stringify(item.command)}`;
    case 'response':
      return `response ${item.response.status}${item.response.code ? ` [${item.response.code}]` : ''} ${JSON.stringify(item.response.text ?? '')}${item.lines ? ` + ${item.lines.length} lines ${JSON.stringify(item.lines)}` : ''}`;
    case 'reply':
      return `reply   ${item.reply.code}${item.reply.enhanced ? ` (${smtp.formatEnhancedStatus(item.reply.enhanced)})` : ''} ${JSON.stringify(item.reply.lines)}`;
    case 'data':
      return `data    ${item.chunk.length} octets: ${JSON.stringify(new TextDecoder().decode(item.chunk))}`;
    case 'data-end':
      return 'data-end';
    case 'error':
      return `error   ${item.error.code}: ${item.error.message}`;
    default:
      return JSON.stringify(item);
  }
}

let files = 0;
let items = 0;
for (const name of readdirSync(dir).filter((n) => n.endsWith('.txt')).sort()) {
  const [protocol] = name.split('-');
  const side = name.endsWith('.client.txt') ? 'client' : 'server';
  if (protocol !== 'smtp' && protocol !== 'pop3') continue;
  const bytes = readFileSync(join(dir, name));
  console.log(`\n== ${name} (${protocol}, sent by the ${side}, ${bytes.length} octets)`);
  files++;
  if (protocol === 'pop3') {
    if (side === 'client') {
      const p = new pop3.CommandParser();
      for (const it of [...p.push(bytes), ...p.end()]) {
        console.log('  ' + show(it));
        items++;
      }
    } else {
      // Which responses are multiline depends on the commands: read them from the client side.
      const p = new pop3.ResponseParser();
      p.expect('single');
      const commands = new pop3.CommandParser().push(readFileSync(join(dir, name.replace('.server.', '.client.'))));
      for (const c of commands) if (c.type === 'command') p.expect(['RETR', 'TOP'].includes(c.command.verb) ? 'body' : ['LIST', 'UIDL', 'CAPA'].includes(c.command.verb) && c.command.message == null ? 'listing' : 'single');
      for (const it of [...p.push(bytes), ...p.end()]) {
        console.log('  ' + show(it));
        items++;
      }
    }
  } else if (side === 'client') {
    // What a server reads: commands; accept every DATA so the body is decoded too.
    const p = new smtp.CommandParser({ lenient: true });
    const queue = [...p.push(bytes)];
    while (queue.length) {
      const it = queue.shift();
      console.log('  ' + show(it));
      items++;
      if (it.type === 'command' && it.command.verb === 'DATA') queue.unshift(...p.startData());
    }
    for (const it of p.end()) console.log('  ' + show(it));
  } else {
    const p = new smtp.ReplyParser();
    for (const it of [...p.push(bytes), ...p.end()]) {
      console.log('  ' + show(it));
      items++;
    }
  }
}
console.log(`\ndecoded ${items} items from ${files} transcripts`);
