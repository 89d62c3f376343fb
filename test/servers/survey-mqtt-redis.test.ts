/**
 * The MQTT and Redis survey modules against real Debian daemons on 127.0.0.1 (high ports the
 * kernel picked), configured in temporary directories:
 *
 * - mosquitto with two listeners (per_listener_settings): one with allow_anonymous true, one with
 *   allow_anonymous false and a password_file made by `mosquitto_passwd -b` holding one planted
 *   pair of the built-in notice-defaults list. Its log (log_type all) shows what our clients did:
 *   a clean DISCONNECT after each accepted CONNECT, and never a SUBSCRIBE or PUBLISH.
 * - redis-server twice (`--save '' --appendonly no`): without a password, and with --requirepass.
 *   `INFO commandstats` afterwards shows INFO as the only command the module ran.
 *
 * The findings are asserted exactly (planted weaknesses found, nothing else claimed, no password
 * anywhere). Without a binary the suite is skipped with the package to install in its name.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mqttModule } from '../../src/probe/modules/mqtt.js';
import { redisModule } from '../../src/probe/modules/redis.js';
import { MODULES } from '../../src/probe/modules/index.js';
import { identifyService } from '../../src/probe/identify/identify.js';
import { builtinCredentialList } from '../../src/probe/credentials/credential-lists.js';
import { loopbackContext, type LoopbackContextOptions } from '../../src/probe/testing/loopback-context.js';
import { freePort, waitPort } from '../helpers/daemons.js';

const MOSQUITTO = '/usr/sbin/mosquitto';
const MOSQUITTO_PASSWD = '/usr/bin/mosquitto_passwd';
const REDIS = '/usr/bin/redis-server';
const REDIS_CLI = '/usr/bin/redis-cli';

function whyNot(binaries: readonly string[], pkg: string): string | undefined {
  const missing = binaries.filter((b) => !existsSync(b));
  return missing.length > 0 ? `skipped: ${missing.join(', ')} missing (apt-get install -y ${pkg})` : undefined;
}

const dirs: string[] = [];
const procs: ChildProcess[] = [];
afterAll(() => {
  for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(name: string): string {
  const d = mkdtempSync(join(tmpdir(), `sakimori-${name}-`));
  chmodSync(d, 0o755);
  dirs.push(d);
  return d;
}

function start(cmd: string, args: readonly string[]): { proc: ChildProcess; log: () => string } {
  const proc = spawn(cmd, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  procs.push(proc);
  let log = '';
  proc.stdout?.on('data', (d: Buffer) => { log = (log + d.toString()).slice(-200_000); });
  proc.stderr?.on('data', (d: Buffer) => { log = (log + d.toString()).slice(-200_000); });
  return { proc, log: () => log };
}

const settle = (ms = 300): Promise<void> => new Promise((r) => setTimeout(r, ms));
const details = (d: string | undefined): Record<string, unknown> => JSON.parse(d ?? '{}') as Record<string, unknown>;
type Log = NonNullable<LoopbackContextOptions['log']>;

const mqttSkip = whyNot([MOSQUITTO, MOSQUITTO_PASSWD], 'mosquitto');
describe.skipIf(mqttSkip !== undefined)(`mqtt module against mosquitto ${mqttSkip ?? ''}`, () => {
  const list = builtinCredentialList();
  // The planted pair: the fourth entry of notice-defaults (within the default 10 attempts).
  const planted = list.entries[3];
  let anonPort = 0;
  let authPort = 0;
  let log: () => string = () => '';

  beforeAll(async () => {
    if (planted === undefined) throw new Error('notice-defaults has fewer than 4 entries');
    const dir = tempDir('mosquitto');
    const passwd = join(dir, 'passwd');
    execFileSync(MOSQUITTO_PASSWD, ['-c', '-b', passwd, planted.username, planted.password]);
    chmodSync(passwd, 0o600);
    anonPort = await freePort();
    authPort = await freePort();
    writeFileSync(join(dir, 'mosquitto.conf'), [
      'per_listener_settings true', 'persistence false', 'log_dest stderr', 'log_type all', 'connection_messages true', 'user root',
      `listener ${anonPort} 127.0.0.1`, 'allow_anonymous true',
      `listener ${authPort} 127.0.0.1`, 'allow_anonymous false', `password_file ${passwd}`, '',
    ].join('\n'));
    const m = start(MOSQUITTO, ['-c', join(dir, 'mosquitto.conf')]);
    log = m.log;
    await waitPort(anonPort, m.proc, m.log);
    await waitPort(authPort, m.proc, m.log);
  });

  it('anonymous listener: no_auth and mqtt-anonymous, no credential tried, a clean DISCONNECT', async () => {
    const clog: Log = [];
    const r = await mqttModule.probe({ ip: '127.0.0.1', port: anonPort, transport: 'tcp' }, loopbackContext({ readTimeoutMs: 3000, credentials: list, log: clog }));
    expect(r.identified).toBe(true);
    expect(r.finding).toEqual({
      ip: '127.0.0.1', port: anonPort, transport: 'tcp', service: 'mqtt', status: 'open', error: '',
      banner: 'MQTT CONNACK return code 0 (Connection Accepted)', no_auth: 1, login_prompt: 0, tags: ['mqtt-anonymous'],
      details: expect.any(String) as unknown as string,
    });
    expect(details(r.finding.details)).toMatchObject({ protocol_level: 4, return_code: 0, session_present: false });
    expect(clog).toHaveLength(1);
    await settle();
    const id = /New client connected from 127\.0\.0\.1:\d+ as (sakimori-[0-9a-f]{4}) \(p2, c1, k30\)/.exec(log())?.[1];
    expect(id).toBeDefined();
    expect(log()).toContain(`Client ${id ?? '?'} disconnected.`);
  });

  it('password listener: login_prompt, the planted default pair found after exactly its position in the list', async () => {
    const clog: Log = [];
    const r = await mqttModule.probe({ ip: '127.0.0.1', port: authPort, transport: 'tcp' }, loopbackContext({ readTimeoutMs: 3000, credentials: list, log: clog }));
    expect(r.identified).toBe(true);
    expect(r.finding).toEqual({
      ip: '127.0.0.1', port: authPort, transport: 'tcp', service: 'mqtt', status: 'open', error: '',
      banner: 'MQTT CONNACK return code 5 (not authorized)', no_auth: 0, login_prompt: 1,
      credential_list: 'notice-defaults', credential_id: planted?.id, weak_credential: 1, tags: ['default-credential'],
      details: expect.any(String) as unknown as string,
    });
    const d = details(r.finding.details);
    expect(d['credential_check']).toEqual({
      outcome: 'success', attempts: 4, entry: planted?.id,
      tried: [...list.entries.slice(0, 3).map((e) => `${e.id}:failure:5`), `${planted?.id ?? ''}:success:0`],
    });
    expect(clog.map((l) => l.credentialListId)).toEqual([undefined, 'notice-defaults', 'notice-defaults', 'notice-defaults', 'notice-defaults']);
    const json = JSON.stringify(r);
    for (const e of list.entries.slice(0, 4)) if (e.password.length >= 4) expect(json).not.toContain(e.password);
    await settle();
    expect(log()).not.toMatch(/Received (SUBSCRIBE|PUBLISH)/);
    // The accepted client left with DISCONNECT (mosquitto: "disconnected."), not by dropping the line.
    const ok = [...log().matchAll(/New client connected from 127\.0\.0\.1:\d+ as (sakimori-[0-9a-f]{4}) \(p2, c1, k30, u'([^']*)'\)/g)];
    expect(ok.map((m) => m[2])).toContain(planted?.username);
    const plantedClient = ok.find((m) => m[2] === planted?.username)?.[1] ?? '?';
    expect(log()).toContain(`Client ${plantedClient} disconnected.`);
  });

  it('credential checks off: the password listener only reports the prompt', async () => {
    const r = await mqttModule.probe({ ip: '127.0.0.1', port: authPort, transport: 'tcp' }, loopbackContext({ readTimeoutMs: 3000 }));
    expect(r.finding).toMatchObject({ login_prompt: 1, no_auth: 0 });
    expect(r.finding.weak_credential).toBeUndefined();
    expect(r.finding.credential_list).toBeUndefined();
  });

  // A silent server on an unknown port gets the request-first protocols in order (http, https, tls,
  // rtsp, mqtt, redis); mosquitto closes on each of the others without a word, so nothing hints
  // at MQTT: it is the fifth attempt, within the default of six.
  it('identified on an unexpected port among all modules, with the default attempts', async () => {
    const r = await identifyService({ ip: '127.0.0.1', port: anonPort, transport: 'tcp' }, loopbackContext({ readTimeoutMs: 2000 }), MODULES);
    expect(r.identified).toBe(true);
    expect(r.attempts.map((a) => a.module)).toEqual(['http', 'https', 'tls', 'rtsp', 'mqtt']);
    expect(r.finding).toMatchObject({ service: 'mqtt', no_auth: 1 });
  });
});

const redisSkip = whyNot([REDIS, REDIS_CLI], 'redis-server');
describe.skipIf(redisSkip !== undefined)(`redis module against redis-server ${redisSkip ?? ''}`, () => {
  let openPort = 0;
  let authPort = 0;
  let version = '';
  const password = 'Planted-Redis-Pass-7';

  beforeAll(async () => {
    version = /v=(\d+(?:\.\d+)*)/.exec(execFileSync(REDIS, ['--version']).toString())?.[1] ?? '';
    openPort = await freePort();
    authPort = await freePort();
    const common = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const a = start(REDIS, ['--port', String(openPort), ...common, '--dir', tempDir('redis-open')]);
    const b = start(REDIS, ['--port', String(authPort), ...common, '--dir', tempDir('redis-auth'), '--requirepass', password]);
    await waitPort(openPort, a.proc, a.log);
    await waitPort(authPort, b.proc, b.log);
  });

  it('without a password: no_auth, redis-unauthenticated, version, INFO the only command run', async () => {
    const r = await redisModule.probe({ ip: '127.0.0.1', port: openPort, transport: 'tcp' }, loopbackContext({ readTimeoutMs: 3000 }));
    expect(r.identified).toBe(true);
    expect(r.finding).toEqual({
      ip: '127.0.0.1', port: openPort, transport: 'tcp', service: 'redis', status: 'open', error: '',
      banner: `redis_version:${version}`, no_auth: 1, login_prompt: 0, tags: ['redis-unauthenticated'],
      product: 'Redis', vendor: 'Redis', version, details: expect.any(String) as unknown as string,
    });
    const d = details(r.finding.details);
    expect(Object.keys(d).sort()).toEqual(['os', 'redis_mode', 'redis_version', 'reply', 'uptime_in_days']);
    expect(d).toMatchObject({ redis_version: version, redis_mode: 'standalone', uptime_in_days: '0' });
    await settle(100);
    const stats = execFileSync(REDIS_CLI, ['-p', String(openPort), 'INFO', 'commandstats']).toString();
    const cmds = [...stats.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map((m) => `${m[1]}=${m[2]}`);
    expect(cmds).toEqual(['info=1']);
  });

  it('with requirepass: login_prompt, nothing else claimed, no AUTH sent', async () => {
    const list = builtinCredentialList();
    const r = await redisModule.probe({ ip: '127.0.0.1', port: authPort, transport: 'tcp' }, loopbackContext({ readTimeoutMs: 3000, credentials: list }));
    expect(r.identified).toBe(true);
    expect(r.finding).toEqual({
      ip: '127.0.0.1', port: authPort, transport: 'tcp', service: 'redis', status: 'open', error: '',
      banner: '-NOAUTH Authentication required.', login_prompt: 1, no_auth: 0,
      details: JSON.stringify({ reply: 'error', error_reply: 'NOAUTH Authentication required.', auth_required: true }),
    });
    await settle(100);
    // One redis-cli call (its own AUTH is the one counted): our INFO was rejected before running, no AUTH came from us.
    const all = execFileSync(REDIS_CLI, ['-p', String(authPort), '--no-auth-warning', '-a', password, 'INFO', 'all']).toString();
    expect(/total_error_replies:(\d+)/.exec(all)?.[1]).toBe('1');
    const cmds = [...all.matchAll(/^cmdstat_([^:]+):calls=(\d+),.*rejected_calls=(\d+)/gm)].map((m) => `${m[1]}=${m[2]}/${m[3]}`).sort();
    expect(cmds).toEqual(['auth=1/0', 'info=0/1']);
    expect(JSON.stringify(r)).not.toContain(password);
  });

  // Redis drops a connection that sends an HTTP `Host:` line without answering (its guard against
  // cross-protocol requests), and TLS gets nothing either; RTSP's OPTIONS gets `-ERR unknown
  // command`, which sends identification to redis before mqtt: five attempts, within the default.
  it('identified on an unexpected port among all modules: its -ERR answer moves redis ahead', async () => {
    const r = await identifyService({ ip: '127.0.0.1', port: openPort, transport: 'tcp' }, loopbackContext({ readTimeoutMs: 2000 }), MODULES);
    expect(r.identified).toBe(true);
    expect(r.attempts.map((a) => a.module)).toEqual(['http', 'https', 'tls', 'rtsp', 'redis']);
    expect(r.finding).toMatchObject({ service: 'redis', no_auth: 1 });
  });
});
