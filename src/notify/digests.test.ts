import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteStateStore } from '../store/state/pglite-store.js';
import { STATE_MIGRATIONS } from '../store/migrations/state/index.js';
import { smtpMailer, type Mailer } from './channels/email.js';
import { createRound } from './digest-round.js';
import { sendDueDigests } from './send-digests.js';
import { listDeliveries, waitingDeliveries } from './list-deliveries.js';
import { UNRESTRICTED } from '../store/need-to-know.js';

interface Received { to: string; subject: string; text: string; csv: string; messageId: string }

describe('digests', () => {
  let state: PgliteStateStore;
  let smtp: SMTPServer;
  let port: number;
  const inbox: Received[] = [];
  let mailer: Mailer;

  const addCase = (recipient: string, name: string, ip: string, kind = 'default_credential'): Promise<unknown> => state.query(
    `INSERT INTO cases (recipient, recipient_name, ip, kind, detail, first_seen, last_seen) VALUES ($1, $2, $3, $4, $5, now(), now())`,
    [recipient, name, ip, kind, JSON.stringify({ port: 23, transport: 'tcp', credentialList: 'starter', credentialId: 'c003' })],
  );
  const caseStates = async (): Promise<Record<string, string>> =>
    Object.fromEntries((await state.query<{ ip: string; state: string }>('SELECT host(ip) AS ip, state FROM cases ORDER BY id')).map((r) => [r.ip, r.state]));

  beforeAll(async () => {
    state = await PgliteStateStore.open();
    for (const m of STATE_MIGRATIONS) for (const s of m.statements) await state.exec(s);
    await state.query(`INSERT INTO organisations (id, name, kind, emails, language) VALUES ('a', 'ISP A', 'isp', '{noc@isp-a.example,abuse@isp-a.example}', 'ja'), ('b', 'ISP B', 'isp', '{}', 'ja')`);
    await addCase('org:a', 'ISP A', '192.0.2.1');
    await addCase('org:a', 'ISP A', '192.0.2.2', 'vulnerable_firmware');
    await addCase('org:b', 'ISP B', '198.51.100.1');
    await addCase('email:abuse@rir.example', '', '203.0.113.1');
    await addCase('email:bounce@rir.example', '', '203.0.113.2');
    await addCase('unassigned', '', '100.64.0.1');
    smtp = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'],
      onRcptTo(addr, _s, cb) { cb(addr.address.startsWith('bounce') ? Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }) : undefined); },
      onData(stream, session, cb) {
        void simpleParser(stream).then((m) => {
          inbox.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), subject: m.subject ?? '', text: m.text ?? '', csv: m.attachments[0]?.content.toString('utf8') ?? '', messageId: m.messageId ?? '' });
          cb();
        }, cb);
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    port = (smtp.server.address() as AddressInfo).port;
    mailer = smtpMailer({ url: `smtp://127.0.0.1:${port}?starttls=off`, from: 'sakimori@cert.example' });
  }, 60_000);
  afterAll(async () => {
    mailer.close();
    await state.close();
    await new Promise<void>((r) => smtp.close(() => r()));
  });

  it('groups cases per recipient, escalates those nobody can be told, and never takes a case twice', async () => {
    const r = await createRound(state, { escalationEmails: ['soc@cert.example'] });
    expect(r).toMatchObject({ cases: 6, recipients: 5, withoutContact: 2 });
    const d = await state.query<{ channel: string; target: string; n: number }>('SELECT channel, target, cardinality(case_ids) AS n FROM deliveries ORDER BY channel, target');
    expect(d).toEqual([
      { channel: 'email', target: 'abuse@isp-a.example', n: 2 },
      { channel: 'email', target: 'abuse@rir.example', n: 1 },
      { channel: 'email', target: 'bounce@rir.example', n: 1 },
      { channel: 'email', target: 'noc@isp-a.example', n: 2 },
      { channel: 'escalation', target: 'soc@cert.example', n: 1 },
      { channel: 'escalation', target: 'soc@cert.example', n: 1 },
    ]);
    expect((await createRound(state, {})).round).toBeNull();
  });

  it('keeps every case when the SMTP server is unreachable, and sends later', async () => {
    const down = smtpMailer({ url: 'smtp://127.0.0.1:9?starttls=off', from: 'x@cert.example', timeoutMs: 2000 });
    const s = await sendDueDigests(state, { mailer: down, backoffSeconds: 60 });
    down.close();
    expect(s).toMatchObject({ sent: 0, failed: 0, casesNotified: 0 });
    expect(s.retrying).toBe(6);
    // Why: one reason, counted over the deliveries that had it.
    expect(Object.entries(s.errors)).toEqual([[expect.stringMatching(/ECONNREFUSED/), 6]]);
    const listed = await listDeliveries(state, UNRESTRICTED, { state: 'retrying' });
    expect(listed).toHaveLength(6);
    expect(listed[0]).toMatchObject({ attempts: 1, lastError: expect.stringMatching(/ECONNREFUSED/), sentAt: null });
    expect(Date.parse(listed[0]?.nextAttemptAt ?? '')).toBeGreaterThan(Date.now() + 30_000);
    expect(await waitingDeliveries(state)).toMatchObject({ deliveries: 6 });
    // An organisation sees only its own two deliveries.
    const own = await listDeliveries(state, { kind: 'constituency', orgId: 'a', cidrs: [], asns: [] });
    expect(own.map((d) => d.target).sort()).toEqual(['abuse@isp-a.example', 'noc@isp-a.example']);
    const [e] = await state.query<{ reason: string }>("SELECT reason FROM case_events WHERE reason LIKE 'delivery%' ORDER BY id LIMIT 1");
    expect(e?.reason).toMatch(/failed, retry 1: .*ECONNREFUSED/);
    expect(Object.values(await caseStates()).every((x) => x === 'new')).toBe(true);
  });

  it('survives a stop in the middle of a round: what was recorded is not sent again', async () => {
    // The retries are due a minute later.
    const later = (): Date => new Date(Date.now() + 120_000);
    let n = 0;
    await expect(sendDueDigests(state, { mailer, now: later, concurrency: 1, afterEach: () => { if (++n === 2) throw new Error('killed'); } })).rejects.toThrow('killed');
    const [done] = await state.query<{ sent: number; failed: number }>("SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*) FILTER (WHERE status = 'failed')::int AS failed FROM deliveries");
    expect((done?.sent ?? 0) + (done?.failed ?? 0)).toBe(2);
    expect(inbox).toHaveLength(done?.sent ?? -1);
    const rest = await sendDueDigests(state, { mailer, now: later });
    expect(rest.sent + (done?.sent ?? 0)).toBe(5);
    expect(rest.failed + (done?.failed ?? 0)).toBe(1);
    expect((await listDeliveries(state, UNRESTRICTED, { state: 'failed' }))[0]).toMatchObject({ target: 'bounce@rir.example', nextAttemptAt: null, lastError: expect.stringMatching(/550/) });
    // Each target got its digest once.
    expect(inbox.map((m) => m.to).sort()).toEqual(['abuse@isp-a.example', 'abuse@rir.example', 'noc@isp-a.example', 'soc@cert.example', 'soc@cert.example']);
    expect(new Set(inbox.map((m) => m.messageId)).size).toBe(inbox.length);
  });

  it('says what it should: Japanese first, a CSV with one row per case, cases notified, the bounce recorded', async () => {
    const a = inbox.find((m) => m.to === 'noc@isp-a.example');
    expect(a?.subject).toBe('[Sakimori] 要対応の事象 2 件のお知らせ（ラウンド 1）');
    expect(a?.text).toContain('ISP A ご担当者様');
    expect(a?.text).toContain('To ISP A,');
    const rows = (a?.csv ?? '').trim().split(/\r\n/);
    expect(rows[0]).toBe('timestamp,case_id,ip,protocol,port,asn,tag,device_model,cve,credential_list,credential_id,first_seen,last_seen,state');
    expect(rows.slice(1).map((r) => r.split(',')[2])).toEqual(['192.0.2.1', '192.0.2.2']);
    expect(rows[1]).toContain(',starter,c003,');
    expect(await caseStates()).toEqual({
      '192.0.2.1': 'notified', '192.0.2.2': 'notified', '198.51.100.1': 'new', '203.0.113.1': 'notified', '203.0.113.2': 'new', '100.64.0.1': 'new',
    });
    const [bounce] = await state.query<{ reason: string }>("SELECT e.reason FROM case_events e JOIN cases c ON c.id = e.case_id WHERE host(c.ip) = '203.0.113.2' ORDER BY e.id DESC LIMIT 1");
    expect(bounce?.reason).toMatch(/failed for good: .*550/);
    const [esc] = await state.query<{ reason: string }>("SELECT e.reason FROM case_events e JOIN cases c ON c.id = e.case_id WHERE host(c.ip) = '198.51.100.1' ORDER BY e.id LIMIT 1");
    expect(esc?.reason).toContain('escalated: the recipient has no e-mail or webhook (to soc@cert.example)');
    // The bounced address is not tried again: its case is escalated in the next round, once.
    const next = await createRound(state, { escalationEmails: ['soc@cert.example'] });
    expect(next.cases).toBe(1);
    const [esc2] = await state.query<{ reason: string }>("SELECT e.reason FROM case_events e JOIN cases c ON c.id = e.case_id WHERE host(c.ip) = '203.0.113.2' ORDER BY e.id DESC LIMIT 1");
    expect(esc2?.reason).toContain('escalated: delivery to bounce@rir.example failed for good');
    await sendDueDigests(state, { mailer, now: () => new Date(Date.now() + 120_000) });
    // Escalated cases are not escalated again; notified ones wait for the reminder interval.
    expect((await createRound(state, { escalationEmails: ['soc@cert.example'] })).round).toBeNull();
    const later = await createRound(state, { now: new Date(Date.now() + 31 * 86_400_000) });
    expect(later.cases).toBe(3);
  });
});
