import type { Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import type { CredentialList } from '../module.js';
import { loopbackContext, type LoopbackContextOptions } from '../testing/loopback-context.js';
import { startFakeServer } from '../ssh/testing/fake-ssh-server.js';
import { fakeBroker, type BrokerConnection, type FakeBrokerOptions } from '../mqtt/testing/fake-broker.js';
import { selfSigned } from '../tls/testing/certs.js';
import { mqttModule, probeMqtt } from './mqtt.js';
import { MODULES } from './index.js';
import { peerFaultCases } from '../testing/peer-faults.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => { for (const c of closers.splice(0)) await c(); });

async function serve(handler: (s: Socket) => void): Promise<number> {
  const s = await startFakeServer(handler);
  closers.push(s.close);
  return s.port;
}

async function broker(o: FakeBrokerOptions): Promise<{ port: number; conns: BrokerConnection[] }> {
  const conns: BrokerConnection[] = [];
  return { port: await serve(fakeBroker(o, conns)), conns };
}

const LIST: CredentialList = {
  id: 'test-list',
  entries: [
    { id: 'e1', username: 'admin', password: 'Secret-Pw-One' },
    { id: 'e2', username: 'root', password: 'Secret-Pw-Two' },
    { id: 'e3', username: 'mqtt', password: 'Secret-Pw-Three' },
    { id: 'e4', username: 'guest', password: 'Secret-Pw-Four' },
  ],
};

type Log = NonNullable<LoopbackContextOptions['log']>;

function probe(port: number, o: LoopbackContextOptions = {}) {
  return mqttModule.probe({ ip: '127.0.0.1', port, transport: 'tcp' }, loopbackContext({ readTimeoutMs: 1000, ...o }));
}

const details = (d: string | undefined): Record<string, unknown> => JSON.parse(d ?? '{}') as Record<string, unknown>;
const settle = (ms = 100): Promise<void> => new Promise((r) => setTimeout(r, ms));

function expectNoPassword(v: unknown): void {
  const json = JSON.stringify(v);
  for (const e of LIST.entries) expect(json).not.toContain(e.password);
}

describe('mqtt module against a scripted broker', () => {
  peerFaultCases(mqttModule);

  it('anonymous accepted: no_auth, tag, CONNECT as specified, then DISCONNECT only', async () => {
    const { port, conns } = await broker({ anonymous: true });
    const r = await probe(port, { credentials: LIST });
    expect(r.identified).toBe(true);
    expect(r.finding).toMatchObject({ service: 'mqtt', status: 'open', error: '', no_auth: 1, login_prompt: 0, tags: ['mqtt-anonymous'], banner: 'MQTT CONNACK return code 0 (Connection Accepted)' });
    expect(details(r.finding.details)).toMatchObject({ protocol_level: 4, return_code: 0, session_present: false });
    expect(r.finding.weak_credential).toBeUndefined();
    await settle();
    expect(conns).toHaveLength(1); // no credential check when anonymous is let in
    const c = conns[0];
    expect(c?.connect).toMatchObject({ protocolName: 'MQTT', level: 4, flags: 0x02, keepAlive: 30 });
    expect(c?.connect?.clientId).toMatch(/^sakimori-[0-9a-f]{4}$/);
    expect(c?.connect?.username).toBeUndefined();
    expect(c?.after).toEqual([14]);
  });

  it('anonymous refused (5), no list: login_prompt, one connection', async () => {
    const { port, conns } = await broker({ anonymous: false });
    const r = await probe(port);
    expect(r.identified).toBe(true);
    expect(r.finding).toMatchObject({ service: 'mqtt', no_auth: 0, login_prompt: 1, banner: 'MQTT CONNACK return code 5 (not authorized)' });
    expect(r.finding.tags).toBeUndefined();
    expect(r.finding.credential_list).toBeUndefined();
    expect(conns).toHaveLength(1);
  });

  it('credentials: stops at the first accepted entry, audited with the list id, DISCONNECT only, no password anywhere', async () => {
    const { port, conns } = await broker({ anonymous: false, users: { mqtt: 'Secret-Pw-Three', guest: 'Secret-Pw-Four' } });
    const log: Log = [];
    const r = await probe(port, { credentials: LIST, log });
    expect(r.finding).toMatchObject({ login_prompt: 1, no_auth: 0, weak_credential: 1, credential_list: 'test-list', credential_id: 'e3' });
    expect(r.finding.tags).toEqual(['default-credential']);
    expect(details(r.finding.details)['credential_check']).toEqual({ outcome: 'success', attempts: 3, entry: 'e3', tried: ['e1:failure:4', 'e2:failure:4', 'e3:success:0'] });
    await settle();
    expect(conns.map((c) => c.connect?.username)).toEqual([undefined, 'admin', 'root', 'mqtt']);
    expect(conns.map((c) => c.after)).toEqual([[], [], [], [14]]);
    expect(log.map((l) => l.credentialListId)).toEqual([undefined, 'test-list', 'test-list', 'test-list']);
    expect(log.every((l) => l.module === 'mqtt')).toBe(true);
    expectNoPassword(r);
  });

  it('attempts limit: at most maxCredentialAttempts entries, no finding when none matches', async () => {
    const { port, conns } = await broker({ anonymous: false, users: { guest: 'Secret-Pw-Four' } });
    const r = await probe(port, { credentials: LIST, maxCredentialAttempts: 2 });
    expect(r.finding.weak_credential).toBeUndefined();
    expect(r.finding.credential_id).toBeUndefined();
    expect(r.finding.credential_list).toBe('test-list');
    expect(details(r.finding.details)['credential_check']).toEqual({ outcome: 'exhausted', attempts: 2, tried: ['e1:failure:4', 'e2:failure:4'] });
    expect(conns).toHaveLength(3);
    expectNoPassword(r);
  });

  it('a broker that drops bad logins without a CONNACK: failures, the check goes on', async () => {
    const { port } = await broker({ anonymous: false, users: { root: 'Secret-Pw-Two' }, onBadAuth: 'close' });
    const r = await probe(port, { credentials: LIST });
    expect(r.finding).toMatchObject({ weak_credential: 1, credential_id: 'e2' });
    expect(details(r.finding.details)['credential_check']).toMatchObject({ tried: ['e1:closed', 'e2:success:0'] });
  });

  it('silence after CONNECT with credentials ends the check (no waiting a timeout per entry)', async () => {
    const { port, conns } = await broker({ anonymous: false, onBadAuth: 'silence' });
    const t0 = Date.now();
    const r = await probe(port, { credentials: LIST, readTimeoutMs: 300 });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.finding.login_prompt).toBe(1);
    expect(details(r.finding.details)['credential_check']).toMatchObject({ outcome: 'stopped', attempts: 1, tried: ['e1:no-answer'] });
    expect(conns).toHaveLength(2);
  });

  it('server unavailable (3): MQTT, no login prompt, no credential check', async () => {
    const { port, conns } = await broker({ fixedCode: 3 });
    const r = await probe(port, { credentials: LIST });
    expect(r.identified).toBe(true);
    expect(r.finding).toMatchObject({ service: 'mqtt', no_auth: 0, login_prompt: 0 });
    expect(details(r.finding.details)).toMatchObject({ return_code: 3, code_name: 'server unavailable' });
    expect(conns).toHaveLength(1);
  });

  it('protocol version refused (1): MQTT 5 tried, its CONNACK and properties recorded; credentials in 5.0', async () => {
    const props = Buffer.from('2100142401', 'hex'); // receive maximum 20, maximum QoS 1
    const { port, conns } = await broker({ levels: [5], anonymous: false, users: { root: 'Secret-Pw-Two' }, v5Properties: props });
    const r = await probe(port, { credentials: LIST });
    expect(r.identified).toBe(true);
    expect(r.finding).toMatchObject({ login_prompt: 1, no_auth: 0, weak_credential: 1, credential_id: 'e2', banner: 'MQTT 5 CONNACK reason code 135 (Not authorized)' });
    const d = details(r.finding.details);
    expect(d).toMatchObject({ protocol_level: 5, reason_code: 0x87, properties: { receive_maximum: 20, maximum_qos: 1 } });
    expect(d['connects']).toEqual([{ level: 4, client_id: 'random', code: 1 }, { level: 5, client_id: 'random', code: 0x87 }]);
    expect(d['credential_check']).toMatchObject({ tried: ['e1:failure:134', 'e2:success:0'] });
    await settle();
    expect(conns.map((c) => c.connect?.level)).toEqual([4, 5, 5, 5]);
    expect(conns[3]?.after).toEqual([14]);
    expectNoPassword(r);
  });

  it('an MQTT 3.1-only broker (refuses levels 4 and 5): 3.1 (MQIsdp) tried, anonymous access found', async () => {
    const { port, conns } = await broker({ levels: [3], anonymous: true });
    const r = await probe(port);
    expect(r.identified).toBe(true);
    expect(r.finding).toMatchObject({ service: 'mqtt', no_auth: 1, tags: ['mqtt-anonymous'], banner: 'MQTT CONNACK return code 0 (Connection Accepted)' });
    const d = details(r.finding.details);
    expect(d).toMatchObject({ protocol_level: 3, protocol: 'MQTT 3.1', return_code: 0 });
    expect(d['connects']).toEqual([{ level: 4, client_id: 'random', code: 1 }, { level: 5, client_id: 'random', code: 0x84 }, { level: 3, client_id: 'random', code: 0 }]);
    await settle();
    expect(conns.map((c) => [c.connect?.protocolName, c.connect?.level])).toEqual([['MQTT', 4], ['MQTT', 5], ['MQIsdp', 3]]);
    expect(conns[2]?.after).toEqual([14]);
  });

  it('an MQTT 3.1 broker that closes on the name "MQTT" (mosquitto before 1.3): 3.1 tried, credentials in 3.1', async () => {
    const { port, conns } = await broker({ levels: [3], closeOnOtherName: true, anonymous: false, users: { root: 'Secret-Pw-Two' } });
    const r = await probe(port, { credentials: LIST });
    expect(r.identified).toBe(true);
    expect(r.finding).toMatchObject({ service: 'mqtt', no_auth: 0, login_prompt: 1, weak_credential: 1, credential_id: 'e2' });
    const d = details(r.finding.details);
    expect(d).toMatchObject({ protocol_level: 3, return_code: 5 });
    expect(d['credential_check']).toMatchObject({ tried: ['e1:failure:4', 'e2:success:0'] });
    await settle();
    expect(d['connects']).toEqual([{ level: 4, client_id: 'random', error: expect.stringMatching(/closed by peer/) as unknown }, { level: 3, client_id: 'random', code: 5 }]);
    expect(conns.map((c) => c.connect?.level)).toEqual([4, 3, 3, 3]);
    expectNoPassword(r);
  });

  it('MQTT 5 broker letting anonymous in', async () => {
    const { port } = await broker({ levels: [5], anonymous: true });
    const r = await probe(port);
    expect(r.finding).toMatchObject({ no_auth: 1, tags: ['mqtt-anonymous'] });
    expect(details(r.finding.details)).toMatchObject({ protocol_level: 5, reason_code: 0 });
  });

  it('a broker that refuses the hyphen in client ids (2) gets a strictly conforming id', async () => {
    const { port, conns } = await broker({ anonymous: true, strictClientId: true });
    const r = await probe(port);
    expect(r.finding.no_auth).toBe(1);
    expect(conns.map((c) => c.connect?.clientId.startsWith('sakimori'))).toEqual([true, true]);
    expect(conns[1]?.connect?.clientId).toMatch(/^sakimori[0-9a-f]{8}$/);
  });

  it('over TLS: tag tls, TLS version recorded', async () => {
    const cert = selfSigned('/CN=broker.test', 'IP:127.0.0.1');
    const conns: BrokerConnection[] = [];
    const server = createTlsServer({ key: cert.key, cert: cert.cert }, (s: TLSSocket) => { s.on('error', () => undefined); fakeBroker({ anonymous: true }, conns)(s); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const a = server.address();
    const port = typeof a === 'object' && a !== null ? a.port : 0;
    const r = await probeMqtt({ ip: '127.0.0.1', port, transport: 'tcp' }, loopbackContext({ readTimeoutMs: 1000 }), { tls: true });
    expect(r.identified).toBe(true);
    expect(r.finding.tags).toEqual(['tls', 'mqtt-anonymous']);
    expect(r.finding.tls_version).toMatch(/^TLSv1\.[23]$/);
    expect(details(r.finding.details)).toMatchObject({ tls: { version: r.finding.tls_version } });
  });

  it('garbage: not identified, banner kept', async () => {
    const port = await serve((s) => { s.once('data', () => s.end('HTTP/1.1 400 Bad Request\r\n\r\n')); });
    const r = await probe(port);
    expect(r.identified).toBe(false);
    expect(r.finding.status).toBe('error');
    expect(r.finding.banner).toContain('HTTP/1.1 400');
  });

  it('a CONNACK with a wrong length or code: not identified', async () => {
    const port = await serve((s) => { s.once('data', () => s.end(Buffer.from('20020009', 'hex'))); });
    const r = await probe(port);
    expect(r.identified).toBe(false);
    expect(r.finding.error).toMatch(/return code 9/);
  });

  it('truncated CONNACK: not identified, cut short', async () => {
    const port = await serve((s) => { s.once('data', () => s.end(Buffer.from('200200', 'hex'))); });
    const r = await probe(port);
    expect(r.identified).toBe(false);
    expect(r.finding.error).toMatch(/closed.*cut short/);
    expect(r.finding.banner).toBe(' \\x02\\x00');
  });

  it('a huge announced CONNACK is refused at once, without waiting for it', async () => {
    const port = await serve((s) => { s.once('data', () => { s.write(Buffer.from('20ffff03', 'hex')); const chunk = Buffer.alloc(16384, 0x20); for (let i = 0; i < 8; i++) s.write(chunk); }); });
    const t0 = Date.now();
    const r = await probe(port, { readTimeoutMs: 5000 });
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(r.identified).toBe(false);
    expect(r.finding.error).toMatch(/remaining length 65535 over the 16384-byte bound/);
  });

  it('random replies over real sockets: never throws, always within the read timeout', async () => {
    let seed = 12345;
    const next = (): number => { seed = (seed * 1103515245 + 12345) >>> 0; return seed / 4294967296; };
    for (let i = 0; i < 40; i++) {
      const n = Math.floor(next() * 40);
      const b = Buffer.alloc(n);
      for (let j = 0; j < n; j++) b[j] = Math.floor(next() * 256);
      if (n > 0 && next() < 0.5) b[0] = 0x20;
      const port = await serve((s) => { s.once('data', () => s.end(b)); });
      const t0 = Date.now();
      const r = await probe(port, { readTimeoutMs: 200, credentials: LIST });
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(typeof r.identified).toBe('boolean');
    }
  });
});

describe('registration', () => {
  it('the survey list runs mqtt first on 1883 and 8883 (before tls, which also lists 8883), redis on 6379, rtsp on 554/8554', () => {
    const first = (port: number): string | undefined => MODULES.find((m) => m.defaultPorts.includes(port))?.name;
    expect([1883, 8883, 6379, 554, 8554].map(first)).toEqual(['mqtt', 'mqtt', 'redis', 'rtsp', 'rtsp']);
    expect(MODULES.filter((m) => m.defaultPorts.includes(8883)).map((m) => m.name)).toEqual(['mqtt', 'tls']);
  });
});
