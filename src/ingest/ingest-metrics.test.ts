import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { ingestMetrics } from './ingest-metrics.js';

describe('ingest metrics', () => {
  it('are defined on the registry they are given, once per registry, and nowhere else', async () => {
    const a = new Registry();
    const b = new Registry();
    expect(ingestMetrics(a)).toBe(ingestMetrics(a));
    ingestMetrics(a).packets.inc({ sensor: 's1' }, 5);
    ingestMetrics(b).packets.inc({ sensor: 's1' }, 2);
    expect(await a.metrics()).toContain('sakimori_ingested_packets_total{sensor="s1"} 5');
    expect(await b.metrics()).toContain('sakimori_ingested_packets_total{sensor="s1"} 2');
  });
});
