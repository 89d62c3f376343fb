import type { Command } from 'commander';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parsePattern } from '../share/stix/pattern/parse.js';

/**
 * `sakimori stix check-pattern -`: one STIX 2.1 pattern per input line, one answer per line
 * (`valid`, or `invalid: REASON (column N)`), exit status 1 when any is invalid. Needs no stores,
 * so it runs without a data directory and never goes through a server.
 */
export function registerStix(program: Command): void {
  const stix = program.command('stix').description('STIX 2.1 tools / STIX 2.1 ツール');

  stix.command('check-pattern')
    .argument('<file>', 'patterns, one per line ("-" for standard input)')
    .description('check STIX 2.1 patterns: prints "valid" or "invalid: REASON (column N)" for each line; exit status 1 if any is invalid')
    .action(async (file: string) => {
      const input = file === '-' ? process.stdin : createReadStream(file);
      const lines = createInterface({ input, crlfDelay: Infinity });
      let invalid = 0;
      let out = '';
      for await (const line of lines) {
        const r = parsePattern(line);
        if (r.ok) out += 'valid\n';
        else {
          invalid++;
          out += `invalid: ${r.error.message.replace(/[\r\n]+/g, ' ')} (column ${r.error.column})\n`;
        }
        // Written in batches: a million patterns should not be a million writes.
        if (out.length > 65536) {
          if (!process.stdout.write(out)) await new Promise((resolve) => process.stdout.once('drain', resolve));
          out = '';
        }
      }
      process.stdout.write(out);
      process.exitCode = invalid > 0 ? 1 : 0;
    });
}
