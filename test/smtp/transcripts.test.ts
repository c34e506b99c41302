import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { smtp } from '../../src/index';

const fixture = (name: string) => new Uint8Array(readFileSync(join(__dirname, '..', '..', 'fixtures', 'transcripts', name)));

describe('bundled transcripts (the demo decodes these)', () => {
  it('seed notes: the 1995 CERN sendmail replies parse one by one', () => {
    const replies = new smtp.ReplyParser().push(fixture('smtp-cern-sendmail-1995.server.txt'));
    expect(replies.map((r) => (r.type === 'reply' ? r.reply.code : r.type))).toEqual([220, 500, 250, 250, 250, 354, 250, 221]);
  });

  it('rfc5321 D.1 both directions parse without an error item', () => {
    const p = new smtp.CommandParser();
    const items: smtp.CommandParserItem[] = [];
    const take = (xs: smtp.CommandParserItem[]) => {
      for (const x of xs) {
        items.push(x);
        if (x.type === 'command' && x.command.verb === 'DATA') take(p.startData());
      }
    };
    take(p.push(fixture('smtp-rfc5321-d1.client.txt')));
    expect(items.filter((i) => i.type === 'error')).toEqual([]);
    expect(items.filter((i) => i.type === 'command')).toHaveLength(7);
    const replies = new smtp.ReplyParser().push(fixture('smtp-rfc5321-d1.server.txt'));
    expect(replies.every((r) => r.type === 'reply')).toBe(true);
    expect(replies).toHaveLength(9);
  });
});
