import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStores, type TempStores } from '../../store/testing/temp-stores.js';
import { CidrSet } from '../../net/cidr-set.js';
import { FlowBatch, FLOW_KIND } from '../flow-batch.js';
import { writeFlows } from './write-flows.js';
import { DIR } from './orient.js';

let s: TempStores;
beforeAll(async () => { s = await tempStores('write-flows'); });
afterAll(async () => { await s.dispose(); });

function add(b: FlowBatch, src: number, dst: number, sport: number, dport: number, octets: number): void {
  const i = b.begin();
  b.kind[i] = FLOW_KIND.ipfix;
  b.family[i] = 4;
  FlowBatch.setV4(b.src16, i, src);
  FlowBatch.setV4(b.dst16, i, dst);
  FlowBatch.setV4(b.exporter16, i, 0xc0000201);
  b.sport[i] = sport;
  b.dport[i] = dport;
  b.proto[i] = 6;
  b.startMs[i] = Date.UTC(2026, 11, 1, 0, 0, 0, 123);
  b.endMs[i] = b.startMs[i]! + 1000;
  b.octets[i] = octets;
  b.packets[i] = 3;
  b.sampling[i] = 100;
  b.commit();
}

describe('writeFlows', () => {
  it('stores records oriented by the internal prefixes (then by ports), 64-bit counters exact, once per token', async () => {
    const b = new FlowBatch(2);
    add(b, 0x0a000001, 0xcb007101, 51000, 443, 2 ** 40 + 5); // 10.0.0.1 → 203.0.113.1: client → server
    add(b, 0xcb007101, 0x0a000001, 443, 51000, 10); // the reply: server → client
    add(b, 0xc6336401, 0xc6336402, 40000, 22, 1); // neither internal: by ports
    const internal = new CidrSet(['10.0.0.0/8']);
    const storedAtMs = Date.UTC(2026, 11, 2);
    expect(await writeFlows(s.events, b, { token: 't1', internal, storedAtMs })).toBe(3);
    await writeFlows(s.events, b, { token: 't1', internal, storedAtMs }); // a retry: stored once
    const rows = await s.events.query<{ client: string; server: string; server_port: number; dir: number; octets: number; start: string; sampling: number }>(
      'SELECT toString(client) AS client, toString(server) AS server, server_port, dir, octets, toString(start) AS start, sampling FROM flows_raw ORDER BY dir',
    );
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ client: '::ffff:10.0.0.1', server: '::ffff:203.0.113.1', server_port: 443, dir: DIR.clientToServer, octets: 2 ** 40 + 5, start: '2026-12-01 00:00:00.123', sampling: 100 });
    expect(rows[1]).toMatchObject({ client: '::ffff:10.0.0.1', server: '::ffff:203.0.113.1', server_port: 443, dir: DIR.serverToClient });
    expect(rows[2]).toMatchObject({ client: '::ffff:198.51.100.1', server: '::ffff:198.51.100.2', server_port: 22, dir: DIR.clientToServerByPorts });
  });
});
