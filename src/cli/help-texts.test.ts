import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from './commands.js';

/** Every command of the binary, as `sakimori --help` builds them. */
async function allCommands(): Promise<Command[]> {
  const program = new Command('sakimori');
  for (const register of Object.values(COMMANDS)) (await register())(program);
  const walk = (c: Command): Command[] => [c, ...c.commands.flatMap(walk)];
  return walk(program);
}

describe('help texts', () => {
  it('names repeatable arguments and options in plural English (<prefixes...>, not <prefixs...>)', async () => {
    const wrong: string[] = [];
    for (const c of await allCommands()) {
      const names = [
        ...c.registeredArguments.filter((a) => a.variadic).map((a) => a.name()),
        ...c.options.filter((o) => o.variadic).map((o) => /<([\w-]+)\.\.\.>/.exec(o.flags)?.[1] ?? ''),
      ];
      // A variadic argument names its items (files, cidrs); an -s after s, x, z, ch or sh is bad English.
      for (const n of names) if (/(?:[sxz]|[cs]h)s$/.test(n)) wrong.push(`${c.name()}: <${n}...>`);
      if (/\b\w+(?:x|ch|sh)s\b/.test(c.description())) wrong.push(`${c.name()}: ${c.description()}`);
    }
    expect(wrong).toEqual([]);
  });
});
