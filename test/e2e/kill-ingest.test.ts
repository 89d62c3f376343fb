import { mkdtempSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthDarknetToFile } from '../../src/synth/index.js';
import { yesterday } from '../../src/synth/options.js';
import { runCli, startCli } from '../helpers/cli.js';

/**
 * SIGKILL in the middle of an ingest, then the same command again: the counts must be exactly
 * those of one clean ingest (nothing lost, nothing counted twice).
 */
describe('ingest killed with SIGKILL and run again', () => {
  let dir: string;
  let pcap: string;
  const date = yesterday();
  const batch = ['--batch-size', '10000'];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sakimori-kill-'));
    pcap = join(dir, 'day.pcap');
    await synthDarknetToFile({ packets: 150_000, seed: 5, date }, pcap);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const report = async (data: string): Promise<unknown> => {
    const r = await runCli(['report', 'darknet', '--from', date, '--json', '--data', data]);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };

  /** Kills the ingest once it has written `spoolFiles` spool files (one per block: packets and each aggregate). */
  const killAfter = (data: string, spoolFiles: number): Promise<void> =>
    new Promise((resolve) => {
      const child = startCli(['ingest', 'darknet', pcap, ...batch, '--data', data]);
      const spool = join(data, 'events', 'spool');
      const seen = new Set<string>();
      const timer = setInterval(() => {
        // Only this process's files (batch-<pid>-…): a killed run before it left its own behind.
        if (existsSync(spool)) for (const f of readdirSync(spool)) if (f.startsWith(`batch-${child.pid}-`)) seen.add(f);
        if (seen.size >= spoolFiles) {
          child.kill('SIGKILL');
          clearInterval(timer);
        }
      }, 5);
      child.on('exit', () => {
        clearInterval(timer);
        resolve();
      });
    });

  it('converges to the counts of one clean ingest', async () => {
    const clean = join(dir, 'clean');
    const once = await runCli(['ingest', 'darknet', pcap, ...batch, '--data', clean, '--json']);
    expect(once.code, once.stderr).toBe(0);
    const expected = await report(clean);

    const killed = join(dir, 'killed');
    await killAfter(killed, 3);
    await killAfter(killed, 9);
    const rerun = await runCli(['ingest', 'darknet', pcap, ...batch, '--data', killed, '--json']);
    expect(rerun.code, rerun.stderr).toBe(0);
    const summary = JSON.parse(rerun.stdout) as { files: { newPackets: number; duplicatePackets: number; packets: number }[] };
    expect(summary.files[0]?.packets).toBe(150_000);
    // The killed runs had stored part of the file; the re-run did not store it again.
    expect(summary.files[0]?.duplicatePackets).toBeGreaterThan(0);
    expect(summary.files[0]?.newPackets).toBeLessThan(150_000);
    expect(await report(killed)).toEqual(expected);

    // And once more: nothing changes.
    const third = await runCli(['ingest', 'darknet', pcap, ...batch, '--data', killed]);
    expect(third.stdout).toContain('already ingested');
    expect(await report(killed)).toEqual(expected);
  });
});
