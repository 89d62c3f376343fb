/**
 * A killed sensor loses at most the events of its last second: `honeypot run` as a child
 * process journals sessions, is killed with SIGKILL while they run, and its successor delivers the
 * journal into the stores; every command answered more than a second before the kill is stored,
 * and nothing is stored twice.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStores } from '../../src/store/open-stores.js';
import { TelnetClient } from '../../src/honeypot/sensor/testing/telnet-client.js';
import { startCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'sakimori-sensor-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function firstLine(child: ChildProcess): Promise<{ telnet: number }> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)) as { telnet: number });
    });
    child.once('exit', (code) => reject(new Error(`sensor exited (${code}): ${err}`)));
  });
}

const exited = (child: ChildProcess): Promise<number | null> => new Promise((resolve) => child.once('exit', (code) => resolve(code)));

describe('sensor killed with SIGKILL', () => {
  it('keeps every event older than a second before the kill, exactly once', async () => {
    const spool = join(dir, 'spool');
    const data = join(dir, 'data');
    const first = startCli(['honeypot', 'run', '--telnet', '127.0.0.1:0', '--no-ship', '--spool', spool, '--data', data, '--name', 'kill-test', '--reject-valid', '0']);
    const { telnet } = await firstLine(first);

    // Sessions that keep typing numbered commands; the client notes when each was answered.
    const answered = new Map<string, number>();
    let stop = false;
    const driver = async (w: number): Promise<void> => {
      const c = await TelnetClient.loggedIn(telnet, 'root', 'vizxv');
      for (let i = 0; !stop; i++) {
        const marker = `m-${w}-${i}`;
        try {
          await c.command(`echo ${marker}`);
        } catch {
          return; // the sensor was killed under this command
        }
        answered.set(marker, Date.now());
      }
    };
    const drivers = Array.from({ length: 8 }, (_, w) => driver(w));
    await new Promise((r) => setTimeout(r, 2500));
    const killedAt = Date.now();
    first.kill('SIGKILL');
    await exited(first);
    stop = true;
    await Promise.all(drivers);
    expect(answered.size).toBeGreaterThan(100);

    // The successor delivers what the killed one left, then stops cleanly.
    const second = startCli(['honeypot', 'run', '--telnet', '127.0.0.1:0', '--spool', spool, '--data', data, '--name', 'kill-test', '--reject-valid', '0']);
    await firstLine(second);
    await new Promise((r) => setTimeout(r, 1500));
    second.kill('SIGTERM');
    expect(await exited(second)).toBe(0);
    expect(readdirSync(spool).filter((f) => f.endsWith('.jsonl'))).toEqual([]);

    const stores = await openStores({ dataDir: data });
    try {
      const rows = await stores.events.query<{ input: string; n: string }>(
        "SELECT input, toString(count()) AS n FROM honeypot_events WHERE kind = 'command' AND startsWith(input, 'echo m-') GROUP BY input");
      const stored = new Map(rows.map((r) => [r.input.slice('echo '.length), Number(r.n)]));
      const twice = [...stored].filter(([, n]) => n !== 1);
      expect(twice).toEqual([]);
      const old = [...answered].filter(([, t]) => t < killedAt - 1000).map(([m]) => m);
      expect(old.length).toBeGreaterThan(50);
      expect(old.filter((m) => !stored.has(m))).toEqual([]);
      const logins = await stores.events.query<{ n: string }>("SELECT toString(count()) AS n FROM honeypot_events WHERE kind = 'login' AND sensor = 'kill-test'");
      expect(Number(logins[0]?.n)).toBe(8);
    } finally {
      await stores.close();
    }
  }, 180_000);
});
