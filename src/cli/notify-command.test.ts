import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers/cli.js';
import { openStores } from '../store/open-stores.js';

describe('sakimori notify send / notify deliveries without an SMTP server', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sakimori-notify-cli-'));
    const stores = await openStores({ dataDir: dir });
    try {
      await stores.state.query("INSERT INTO organisations (id, name, kind, emails, language) VALUES ('a', 'ISP A', 'isp', '{noc@isp-a.example,abuse@isp-a.example}', 'ja')");
      await stores.state.query("INSERT INTO cases (recipient, recipient_name, ip, kind, detail, first_seen, last_seen) VALUES ('org:a', 'ISP A', '192.0.2.1', 'default_credential', '{}', now(), now())");
    } finally {
      await stores.close();
    }
  }, 60_000);
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('says why nothing was sent, with counts and what to do, and lists the deliveries with their next try', async () => {
    const round = await runCli(['--data', dir, 'notify', 'round']);
    expect(round.code, round.stderr).toBe(0);
    const send = await runCli(['--data', dir, 'notify', 'send']);
    expect(send.code, send.stderr).toBe(0);
    expect(send.stdout).toMatch(/^sent 0, retrying 2, failed 0; 0 cases notified\nnot sent:\n {2}2 deliveries: no SMTP server configured \(notify\.smtp\.url\)\n {4}→ set notify\.smtp\.url/);
    expect(send.stdout).toMatch(/2 deliveries wait for a later try \(the next at \d{4}-\d\d-\d\d \d\d:\d\d UTC\)/);
    const list = await runCli(['--data', dir, 'notify', 'deliveries', '--state', 'retrying']);
    expect(list.code, list.stderr).toBe(0);
    const [head, ...rows] = list.stdout.trim().split('\n');
    expect(head).toMatch(/^#\s+round\s+recipient\s+channel\s+target\s+cases\s+state\s+attempts\s+next try\s+last error$/);
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r).toMatch(/ISP A\s+email\s+\S+@isp-a\.example\s+1\s+retrying\s+1\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC\s+no SMTP server configured/);
    const json = await runCli(['--data', dir, 'notify', 'deliveries', '--state', 'sent', '--json']);
    expect(JSON.parse(json.stdout)).toEqual([]);
    const bad = await runCli(['--data', dir, 'notify', 'deliveries', '--state', 'done']);
    expect(bad.stderr).toBe('error BAD_REQUEST: invalid request: --state must be one of pending, sending, retrying, sent, failed (field=state)\n');
  }, 120_000);
});
