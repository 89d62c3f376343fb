/**
 * `honeypot run` with no server and without --no-ship opens the stores only for a delivery round
 * and closes them after: while it runs, another command (`report honeypot`, a process holding the
 * stores) can open them between rounds; a round that finds them held fails, the journal keeps
 * the events, and the next round delivers them, each once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStores } from '../../src/store/open-stores.js';
import { TelnetClient } from '../../src/honeypot/sensor/testing/telnet-client.js';
import { packageRoot } from '../../src/util/package-root.js';
import { runCli, startCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'sakimori-sensor-direct-'));
const data = join(dir, 'data');
const spool = join(dir, 'spool');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
    child.stdout?.on('data', (d: Buffer) => { out += d.toString(); const nl = out.indexOf('\n'); if (nl >= 0) resolve(out.slice(0, nl)); });
    child.once('exit', (code) => reject(new Error(`exited (${code}): ${err}`)));
  });
}

async function session(port: number, password: string): Promise<void> {
  const c = await TelnetClient.loggedIn(port, 'root', password);
  c.send('exit\r\n');
  await new Promise((r) => c.socket.once('close', r));
}

/** Logins the stores hold, read by another command (`report honeypot`). */
async function reportedLogins(): Promise<number> {
  const r = await runCli(['report', 'honeypot', '--json', '--data', data]);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { logins: { attempts: number } }).logins.attempts;
}

/** Waits until the sensor noted its journal delivered up to its end (it reads no store to tell). */
async function delivered(spool: string, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const journals = readdirSync(spool).filter((f) => f.endsWith('.jsonl'));
    const done = journals.every((j) => {
      try {
        return (JSON.parse(readFileSync(join(spool, `${j}.shipped`), 'utf8')) as { done: number }).done === statSync(join(spool, j)).size;
      } catch {
        return false;
      }
    });
    if (journals.length > 0 && done) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

describe('a sensor delivering into the stores itself', () => {
  it('leaves the stores to other commands between rounds, and delivers once they let go', async () => {
    const sensor = startCli(['honeypot', 'run', '--telnet', '127.0.0.1:0', '--data', data, '--name', 'direct', '--spool', spool, '--stores-every', '1', '--reject-valid', '0']);
    let sensorErr = '';
    sensor.stderr?.on('data', (d: Buffer) => { sensorErr += d.toString(); });
    try {
      const { telnet } = JSON.parse(await firstLine(sensor)) as { telnet: number };
      await session(telnet, 'xc3511');
      // Once a round has delivered the login, another command opens the stores while the sensor
      // runs (before this change the sensor held them for its whole run: STORE_LOCKED).
      expect(await delivered(spool, 90_000), sensorErr).toBe(true);
      expect(await reportedLogins()).toBe(1);

      // A process takes the stores and keeps them: the sensor's rounds fail, its journal keeps the login.
      const holder = spawn(process.execPath, ['--import', 'tsx', join(packageRoot(), 'src/honeypot/sensor/testing/hold-stores.ts'), data], { stdio: ['pipe', 'pipe', 'pipe'] });
      expect(await firstLine(holder)).toBe('open');
      await session(telnet, 'vizxv');
      await new Promise((r) => setTimeout(r, 3000));
      expect(sensorErr).toMatch(/delivery failed, the journal keeps the events: .*in use by another process/);
      expect(await delivered(spool, 100)).toBe(false);
      holder.stdin?.end();
      await new Promise((r) => holder.once('exit', r));
      expect(await delivered(spool, 90_000), sensorErr).toBe(true);
      expect(await reportedLogins()).toBe(2);
    } finally {
      sensor.kill('SIGTERM');
      await new Promise((r) => sensor.once('exit', r));
    }
    const stores = await openStores({ dataDir: data });
    try {
      const rows = await stores.events.query<{ password: string; n: string }>(
        "SELECT password, toString(count()) AS n FROM honeypot_events WHERE kind = 'login' GROUP BY password ORDER BY password");
      expect(rows).toEqual([{ password: 'vizxv', n: '1' }, { password: 'xc3511', n: '1' }]);
    } finally {
      await stores.close();
    }
  }, 300_000);
});
