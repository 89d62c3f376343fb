import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStores, type TempStores } from '../store/testing/temp-stores.js';
import { createEnricher } from '../enrich/index.js';
import { serviceRow } from '../schema/service-observation.js';
import { writeServices } from './service-writer.js';
import { hostExposure } from './host-exposure.js';

describe('hostExposure', () => {
  let stores: TempStores;
  beforeAll(async () => {
    stores = await tempStores('exposure');
    const none = createEnricher({});
    await writeServices(stores.events, none, [
      serviceRow({ ip: '198.51.100.7', port: 23, transport: 'tcp', source: 'survey', service: 'telnet', banner: 'BusyBox login:', login_prompt: 1 }, '2026-10-01T00:00:00Z'),
      serviceRow({ ip: '198.51.100.7', port: 443, transport: 'tcp', source: 'zgrab2', service: 'https', http_status: 200, http_title: 'ルーター設定', tls_subject: 'CN=router', tls_issuer: 'CN=router', tls_self_signed: 1, tls_fingerprint_sha256: 'ab'.repeat(32), tls_not_after: '2030-01-01T00:00:00Z' }, '2026-10-01T00:00:00Z'),
      serviceRow({ ip: '198.51.100.8', port: 80, transport: 'tcp', service: 'http' }, '2026-10-01T00:00:00Z'),
    ], { dedupToken: 'a' });
    await writeServices(stores.events, none, [
      serviceRow({ ip: '198.51.100.7', port: 23, transport: 'tcp', source: 'survey', service: 'telnet', login_prompt: 1, weak_credential: 1, credential_list: 'starter', credential_id: 'c003', vendor: 'Generic', product: 'BusyBox', cves: ['CVE-2021-42374'], cve_evidence: ['inferred'] }, '2026-11-01T00:00:00Z'),
      serviceRow({ ip: '198.51.100.7', port: 443, transport: 'tcp', source: 'survey', status: 'closed' }, '2026-11-01T00:00:00Z'),
    ], { dedupToken: 'b' });
  }, 60_000);
  afterAll(() => stores.dispose());

  it('shows the latest state per port with first/last seen, findings and history', async () => {
    const h = await hostExposure(stores.events, '198.51.100.7');
    expect(h).toBeDefined();
    if (!h) return;
    expect(h.ip).toBe('198.51.100.7');
    expect(h.firstSeen).toBe('2026-10-01T00:00:00.000Z');
    expect(h.lastSeen).toBe('2026-11-01T00:00:00.000Z');
    expect(h.openPorts).toBe(1);
    expect(h.services.map((s) => [s.port, s.status, s.firstSeen])).toEqual([
      [23, 'open', '2026-10-01T00:00:00.000Z'],
      [443, 'closed', '2026-10-01T00:00:00.000Z'],
    ]);
    const telnet = h.services[0];
    expect(telnet?.weakCredential).toEqual({ list: 'starter', entry: 'c003' });
    expect(telnet?.device?.product).toBe('BusyBox');
    expect(h.cves).toEqual([{ id: 'CVE-2021-42374', evidence: 'inferred', port: 23 }]);
    expect(h.weakCredentials).toBe(1);
    expect(h.history).toHaveLength(4);
    expect(h.history[0]?.time).toBe('2026-11-01T00:00:00.000Z');
    expect(h.history.find((o) => o.port === 443 && o.source === 'zgrab2')?.summary).toContain('ルーター設定');
    // The credential finding as an identifier (the console names it in its language), not in the detail.
    const weak = h.history.find((o) => o.port === 23 && o.findings.length > 0);
    expect(weak?.findings).toEqual(['default_credential']);
    expect(weak?.summary).toContain('default credential accepted');
    expect(weak?.detail).not.toContain('default credential');
  });

  it('returns undefined for an address never observed and rejects a non-address', async () => {
    expect(await hostExposure(stores.events, '203.0.113.1')).toBeUndefined();
    await expect(hostExposure(stores.events, 'nope')).rejects.toThrow(/not a valid IP/);
  });
});
