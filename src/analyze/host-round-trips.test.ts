/**
 * The host page's darknet part asks the events store twice, whatever the host (issue 14, item 7:
 * right after an ingest every query visits every unmerged part, so each round trip costs). Real
 * captures (../shared/data): 10.0.0.10 sent 3 packets on 2020-08-12 (tcp-control-single_*.pcap)
 * and 63 on 2020-08-19 (tcp-control-one_way_all_flags.pcap), all to tcp/80 (tcpdump -nn -r …).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestDarknetFiles } from '../ingest/darknet-ingest.js';
import { tempApp, type TempApp } from '../api/testing/temp-app.js';
import type { EventsStore } from '../store/types.js';
import { sharedData } from '../../test/fixtures/shared-data.js';
import { hostProfile } from './host.js';

const FILES = ['tcp-control-single_syn.pcap', 'tcp-control-single_syn_ack.pcap', 'tcp-control-single_rst.pcap', 'tcp-control-one_way_all_flags.pcap'];

/** The real store, counting the queries made through it. */
function counting(events: EventsStore): { store: EventsStore; sql: string[] } {
  const sql: string[] = [];
  const store: EventsStore = Object.create(events) as EventsStore;
  store.query = <T>(q: string, params?: Parameters<EventsStore['query']>[1]): Promise<T[]> => {
    sql.push(q);
    return events.query<T>(q, params);
  };
  return { store, sql };
}

describe('host page round trips', () => {
  let t: TempApp;
  beforeAll(async () => {
    t = await tempApp('host-round-trips');
    const results = await ingestDarknetFiles(
      { events: t.ctx.events, state: t.ctx.state, enricher: t.ctx.enricher, fingerprinter: t.ctx.fingerprinter, classify: t.ctx.config.darknet },
      FILES.map((f) => sharedData(`pcap/${f}`)),
      { sensor: t.ctx.config.sensor, batchSize: 1000 },
    );
    expect(results.map((r) => r.status)).toEqual(FILES.map(() => 'ingested'));
  }, 60_000);
  afterAll(async () => {
    await t?.dispose();
  });

  it('answers a host seen on two days with two queries, the totals from the same query as the days', async () => {
    const { store, sql } = counting(t.ctx.events);
    const h = await hostProfile(store, '10.0.0.10', t.ctx.fingerprinter.fingerprints, () => '');
    expect(sql).toHaveLength(2);
    expect(h?.ip).toBe('10.0.0.10');
    expect(h?.packets).toBe(66);
    expect(h?.daily).toEqual([{ day: '2020-08-12', packets: 3, ports: 1 }, { day: '2020-08-19', packets: 63, ports: 1 }]);
    expect(h?.ports).toEqual([{ proto: 'tcp', port: 80, packets: 66 }]);
    expect([h?.distinctPorts, h?.darknetAddresses]).toEqual([1, 1]);
    expect(h?.rawPackets).toEqual({ status: 'kept', kept: 66 });
    // The hours come with the days, in the same round trip: all the packets of both days, hour by hour.
    const perDay = new Map<string, number>();
    for (const x of h?.hourly ?? []) perDay.set(x.hour.slice(0, 10), (perDay.get(x.hour.slice(0, 10)) ?? 0) + x.packets);
    expect([...perDay]).toEqual([['2020-08-12', 3], ['2020-08-19', 63]]);
    // Its SYN-ACKs and RSTs are backscatter (41 of 66): two episodes, a week apart.
    expect(h?.dosEpisodes).toEqual([
      { start: '2020-08-12T17:00:00.000Z', end: '2020-08-12T18:00:00.000Z', packets: 2, peak: 2, peakHour: '2020-08-12T17:00:00.000Z' },
      { start: '2020-08-19T21:00:00.000Z', end: '2020-08-19T22:00:00.000Z', packets: 39, peak: 39, peakHour: '2020-08-19T21:00:00.000Z' },
    ]);
    expect(h?.dosEpisodes.reduce((a, e) => a + e.packets, 0)).toBe(h?.classPackets['backscatter']);
    expect(h?.hourly.every((x) => /^\d{4}-\d{2}-\d{2}T\d{2}:00:00\.000Z$/.test(x.hour))).toBe(true);
  });

  it('runs both queries single-threaded: a host page is a cheap request beside others', async () => {
    const { store, sql } = counting(t.ctx.events);
    await hostProfile(store, '10.0.0.10', t.ctx.fingerprinter.fingerprints, () => '');
    expect(sql.map((q) => /SETTINGS max_threads = 1\s*$/.test(q))).toEqual([true, true]);
  });
});
