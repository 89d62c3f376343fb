import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthDarknetToFile, type GroundTruth } from '../../src/synth/index.js';
import { yesterday } from '../../src/synth/options.js';
import { runCli } from '../helpers/cli.js';

describe('sakimori CLI', () => {
  let dir: string;
  let pcap: string;
  let truth: GroundTruth;
  const date = yesterday();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sakimori-cli-'));
    pcap = join(dir, 'day.pcap');
    truth = await synthDarknetToFile({ packets: 20_000, seed: 3, date }, pcap);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names a file with a wrong magic number, still ingests the others, and exits non-zero', async () => {
    const bad = join(dir, 'notes.txt');
    writeFileSync(bad, 'this is not a capture\n');
    const data = join(dir, 'd1');
    const r = await runCli(['ingest', 'darknet', bad, pcap, '--data', data]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('CAPTURE_BAD_MAGIC');
    expect(r.stderr).toContain('notes.txt');
    expect(r.stdout).toContain(`${pcap}: 20,000 packets`);
    const rep = await runCli(['report', 'darknet', '--from', date, '--json', '--data', data]);
    expect(JSON.parse(rep.stdout).packets).toBe(20_000);
  });

  it('ingests every complete record of a truncated capture and says where it was cut', async () => {
    const whole = readFileSync(pcap);
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const r = await runCli(['ingest', 'darknet', cut, '--data', join(dir, 'd2'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const f = (JSON.parse(r.stdout) as { files: { packets: number; capture: { truncated?: { offset: number; record: number } } }[] }).files[0];
    expect(f?.capture.truncated?.record).toBe(f?.packets);
    expect(f?.packets).toBeGreaterThan(10_000);
    expect(f?.packets).toBeLessThan(20_000);
    const human = await runCli(['ingest', 'darknet', cut, '--data', join(dir, 'd2b')]);
    expect(human.stdout).toMatch(/truncated at byte [\d,]+ \(record [\d,]+\)/);
  });

  it('reads a capture from standard input and reports and profiles it as JSON', async () => {
    const data = join(dir, 'd3');
    const r = await runCli(['ingest', 'darknet', '-', '--data', data, '--sensor', 'osaka-2'], { input: readFileSync(pcap) });
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse((await runCli(['report', 'darknet', '--from', date, '--json', '--data', data])).stdout);
    for (const k of ['packets', 'sources', 'classes', 'tags', 'topPorts', 'iotShare', 'dosVictims']) expect(rep).toHaveProperty(k);
    expect(rep.packets).toBe(truth.packets);
    expect(rep.classes.scan).toEqual(truth.classes.scan);
    const ip = rep.topSources[0].ip as string;
    const host = JSON.parse((await runCli(['host', ip, '--json', '--data', data])).stdout);
    for (const k of ['ip', 'firstSeen', 'lastSeen', 'packets', 'ports', 'class', 'tags', 'asn', 'country']) expect(host).toHaveProperty(k);
    expect(host.ip).toBe(ip);
    const missing = await runCli(['host', '192.0.2.55', '--data', data]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('NOT_FOUND');
  });
});
