import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers/cli.js';

describe('sakimori stix check-pattern', () => {
  it('answers one line per pattern from standard input, exit status 1 when one is invalid', async () => {
    const input = [
      "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
      '[file:size = 25536',
      "([file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4'] FOLLOWEDBY [windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']) WITHIN 300 SECONDS",
      "[file:hashes.SHA-256 = 'x']",
      '',
      "[network-traffic:dst_port = 23]\r",
    ].join('\n') + '\n';
    const r = await runCli(['stix', 'check-pattern', '-'], { input: Buffer.from(input) });
    expect(r.stdout).toBe([
      'valid',
      'invalid: expected "]" to close the "[" at column 1, found the end of the pattern (column 19)',
      'valid',
      'invalid: the property name "SHA-256" contains "-" and must be quoted (\'SHA-256\') (column 14)',
      'invalid: the pattern is empty (column 1)',
      'valid',
    ].join('\n') + '\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
  });

  it('exits 0 when every pattern is valid, and reads a file too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stix-cli-'));
    const file = join(dir, 'patterns.txt');
    writeFileSync(file, "[url:value = 'http://example.com/foo']\n[domain-name:value = 'example.com'] REPEATS 5 TIMES WITHIN 1800 SECONDS");
    const r = await runCli(['stix', 'check-pattern', file]);
    expect(r).toMatchObject({ code: 0, stdout: 'valid\nvalid\n' });
    const empty = await runCli(['stix', 'check-pattern', '-'], { input: Buffer.from('') });
    expect(empty).toMatchObject({ code: 0, stdout: '' });
  });
});
