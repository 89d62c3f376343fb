import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteStateStore } from '../store/state/pglite-store.js';
import { migration as monitorsMigration } from '../store/migrations/state/003-monitors.js';
import { smtpMailer } from '../notify/channels/email.js';
import { createMonitor, getMonitor, listFindings, muteFinding } from './monitor-store.js';
import { runMonitor, type FindServices } from './run-monitor.js';
import { deliverDue } from './deliver.js';
import type { MonitoredService } from './findings.js';
import { UNRESTRICTED } from '../store/need-to-know.js';

const svc = (ip: string, port: number, extra: Partial<MonitoredService> = {}): MonitoredService => ({
  ip, port, transport: 'tcp', service: 'http', product: '', version: '', weak_credential: 0, credential_list: '', credential_id: '', no_auth: 0, cves: [], ...extra,
});

/** The test's webhook listens on loopback, which only a range allowed in the configuration opens. */
const loopbackAllowed = { webhookAllow: ['127.0.0.1/32'] };

describe('monitors', () => {
  let state: PgliteStateStore;
  let hooks: { body: { findings: { key: string }[] }; key: string | undefined }[] = [];
  let hookStatus = 200;
  let hookServer: Server;
  let hookUrl: string;
  const mails: { to: string; text: string }[] = [];
  let smtp: SMTPServer;
  let smtpPort: number;
  /** What the "search" returns now; the monitor only sees what is inside its ranges. */
  let world: MonitoredService[] = [];
  const find: FindServices = async (_q, cidrs) => world.filter((s) => cidrs.some((c) => s.ip.startsWith(c.replace(/\.0\/24$/, '.'))));

  beforeAll(async () => {
    state = await PgliteStateStore.open();
    for (const s of monitorsMigration.statements) await state.exec(s);
    hookServer = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => {
        hooks.push({ body: JSON.parse(body) as { findings: { key: string }[] }, key: req.headers['idempotency-key'] as string | undefined });
        res.statusCode = hookStatus;
        res.end();
      });
    });
    await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hook`;
    smtp = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'],
      onRcptTo(addr, _s, cb) { cb(addr.address.startsWith('bounce') ? Object.assign(new Error('no such user'), { responseCode: 550 }) : undefined); },
      onData(stream, session, cb) {
        let text = '';
        stream.on('data', (c: Buffer) => { text += c.toString(); });
        stream.on('end', () => { mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), text }); cb(); });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    smtpPort = (smtp.server.address() as AddressInfo).port;
  }, 60_000);
  afterAll(async () => {
    await state.close();
    hookServer.close();
    await new Promise<void>((r) => smtp.close(() => r()));
  });

  it('rejects a monitor without ranges or with a bad CIDR, naming the field', async () => {
    await expect(createMonitor(state, { name: 'x', cidrs: [] }, UNRESTRICTED)).rejects.toThrow(/cidrs/);
    await expect(createMonitor(state, { name: 'x', cidrs: ['10.0.0.0/33'] }, UNRESTRICTED)).rejects.toThrow(/not a CIDR: 10.0.0.0\/33/);
    await expect(createMonitor(state, { name: 'x', cidrs: ['10.0.0.0/8'], webhooks: ['ftp://x'] }, UNRESTRICTED)).rejects.toThrow(/webhooks/);
  });

  it('takes a baseline, alerts new services, weak credentials and CVEs once, honours mutes, and alerts what comes back', async () => {
    const mailer = smtpMailer({ url: `smtp://127.0.0.1:${smtpPort}?starttls=off`, from: 'sakimori@example.org' });
    const m0 = await createMonitor(state, { name: 'own', cidrs: ['192.0.2.0/24'], webhooks: [hookUrl], emails: ['soc@example.org'], language: 'ja' }, UNRESTRICTED, loopbackAllowed);
    world = [svc('192.0.2.1', 80), svc('198.51.100.1', 23, { weak_credential: 1 })];
    const first = await runMonitor(state, find, m0);
    expect(first).toMatchObject({ baseline: true, findings: 1, deliveries: 0 });
    expect(first.alerted).toEqual([]);

    world = [
      svc('192.0.2.1', 80),
      svc('192.0.2.2', 23, { service: 'telnet', weak_credential: 1, credential_list: 'starter', credential_id: 'c007' }),
      svc('192.0.2.3', 80, { cves: ['CVE-2024-0001'], product: 'Boa', version: '0.94' }),
      svc('198.51.100.9', 6379, { no_auth: 1 }),
    ];
    const second = await runMonitor(state, find, await getMonitor(state, 'own', UNRESTRICTED));
    expect(second.alerted.map((f) => f.key).sort()).toEqual([
      'cve:192.0.2.3:tcp/80:CVE-2024-0001',
      'service:192.0.2.2:tcp/23:telnet',
      'service:192.0.2.3:tcp/80:http',
      'weak_credential:192.0.2.2:tcp/23:starter/c007',
    ]);
    expect(second.deliveries).toBe(2);
    expect(await deliverDue(state, { mailer, ...loopbackAllowed })).toMatchObject({ sent: 2, retrying: 0, failed: 0 });
    expect(hooks).toHaveLength(1);
    expect(hooks[0]?.key).toMatch(/^sakimori-monitor-delivery-\d+$/);
    expect(hooks[0]?.body.findings).toHaveLength(4);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.to).toBe('soc@example.org');
    expect(mails[0]?.text).toContain('c007');
    expect(mails[0]?.text).not.toContain('198.51.100.9');
    // Nothing new: nothing alerted, nothing sent again.
    const third = await runMonitor(state, find, await getMonitor(state, 'own', UNRESTRICTED));
    expect(third.alerted).toEqual([]);
    expect(await deliverDue(state, { mailer, ...loopbackAllowed })).toMatchObject({ sent: 0, retrying: 0, failed: 0 });

    // A muted finding that goes and comes back stays quiet; an unmuted one is alerted again.
    await muteFinding(state, 'own', 'cve:192.0.2.3:tcp/80:CVE-2024-0001', true, UNRESTRICTED);
    world = [svc('192.0.2.1', 80)];
    expect((await runMonitor(state, find, await getMonitor(state, 'own', UNRESTRICTED))).gone).toBe(4);
    world = [svc('192.0.2.1', 80), svc('192.0.2.3', 80, { cves: ['CVE-2024-0001'] })];
    const back = await runMonitor(state, find, await getMonitor(state, 'own', UNRESTRICTED));
    expect(back.alerted.map((f) => f.key)).toEqual(['service:192.0.2.3:tcp/80:http']);
    const findings = await listFindings(state, 'own', UNRESTRICTED);
    expect(findings.find((f) => f.key.startsWith('cve:'))).toMatchObject({ muted: true, present: true });
    await expect(muteFinding(state, 'own', 'nope', true, UNRESTRICTED)).rejects.toThrow(/no finding nope/);
    expect(await deliverDue(state, { mailer, ...loopbackAllowed })).toMatchObject({ sent: 2, retrying: 0, failed: 0 });
    mailer.close();
  });

  it('retries a failing webhook with back-off, and records a bounced address as failed without retrying', async () => {
    const mailer = smtpMailer({ url: `smtp://127.0.0.1:${smtpPort}?starttls=off`, from: 'sakimori@example.org' });
    const m = await createMonitor(state, { name: 'retry', cidrs: ['203.0.113.0/24'], webhooks: [hookUrl], emails: ['bounce@example.org'] }, UNRESTRICTED, loopbackAllowed);
    world = [];
    await runMonitor(state, find, m);
    world = [svc('203.0.113.5', 443)];
    await runMonitor(state, find, await getMonitor(state, 'retry', UNRESTRICTED));
    hookStatus = 503;
    hooks = [];
    let clock = new Date('2030-01-01T00:00:00Z');
    const now = (): Date => clock;
    expect(await deliverDue(state, { mailer, now, backoffSeconds: 10, ...loopbackAllowed })).toMatchObject({ sent: 0, retrying: 1, failed: 1 });
    const [bounced] = await state.query<{ status: string; last_error: string }>("SELECT status, last_error FROM monitor_deliveries WHERE channel = 'email' AND target = 'bounce@example.org'");
    expect(bounced).toMatchObject({ status: 'failed' });
    expect(bounced?.last_error).toContain('550');
    // Not due yet: nothing is tried.
    expect(await deliverDue(state, { mailer, now, backoffSeconds: 10, ...loopbackAllowed })).toMatchObject({ sent: 0, retrying: 0, failed: 0 });
    hookStatus = 200;
    clock = new Date(clock.getTime() + 11_000);
    expect(await deliverDue(state, { mailer, now, backoffSeconds: 10, ...loopbackAllowed })).toMatchObject({ sent: 1, retrying: 0, failed: 0 });
    expect(hooks).toHaveLength(2);
    expect(hooks[0]?.key).toBe(hooks[1]?.key);
    mailer.close();
  });
});
