import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { observationsFromStix } from './observations.js';
import { parsePattern } from './parse.js';

const evalOn = (p: string, objects: unknown[]) => {
  const r = parsePattern(p);
  if (!r.ok) throw new Error(r.error.message);
  return evaluate(r.pattern, observationsFromStix(objects));
};

describe('observationsFromStix', () => {
  // Section 9.5's example: both addresses are in the observation, but no one network-traffic object references both.
  const deprecated = {
    type: 'observed-data', id: 'observed-data--0960319a-3cab-4258-a143-4dbb25525bb1', first_observed: '2019-10-20T00:12:01.000000Z', last_observed: '2019-10-20T00:51:02.000000Z', number_observed: 1,
    objects: { 0: { type: 'network-traffic', src_ref: '1' }, 1: { type: 'ipv4-addr', value: '203.0.113.10' }, 2: { type: 'network-traffic', dst_ref: '3' }, 3: { type: 'ipv4-addr', value: '198.51.100.58' } },
  };

  it('reads the deprecated objects dictionary with its local references (section 9.5 example does not match)', () => {
    expect(evalOn("[ network-traffic:src_ref.value = '203.0.113.10' AND network-traffic:dst_ref.value = '198.51.100.58' ]", [deprecated])).toMatchObject({ matched: false });
    expect(evalOn("[ network-traffic:src_ref.value = '203.0.113.10' ]", [deprecated])).toMatchObject({ matched: true, observations: [0] });
  });

  it('follows object_refs only to the SCOs it lists, with first_observed as the time', () => {
    const ip = { type: 'ipv4-addr', id: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4', value: '198.51.100.3' };
    const unlisted = { type: 'ipv4-addr', id: 'ipv4-addr--9cf4a8ec-7640-5f40-a006-79942896168b', value: '198.51.100.2' };
    const nt = { type: 'network-traffic', id: 'network-traffic--6e0cb830-0305-57d4-8536-7be874d42005', src_ref: ip.id, dst_ref: unlisted.id, dst_port: 23, protocols: ['tcp'] };
    const od = { type: 'observed-data', id: 'observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf', first_observed: '2015-12-21T19:00:00Z', last_observed: '2015-12-21T19:00:00Z', number_observed: 1, object_refs: [nt.id, ip.id] };
    const all = [ip, unlisted, nt, od];
    expect(observationsFromStix(all)).toEqual([{ time: Date.UTC(2015, 11, 21, 19), objects: [nt, ip] }]);
    expect(evalOn("[network-traffic:src_ref.value = '198.51.100.3' AND network-traffic:dst_port = 23]", all)).toMatchObject({ matched: true });
    expect(evalOn("[network-traffic:dst_ref.value = '198.51.100.2']", all)).toMatchObject({ matched: false });
    expect(evalOn("[ipv4-addr:value = '198.51.100.3'] START t'2015-12-21T19:00:00Z' STOP t'2015-12-21T19:00:01Z'", all)).toMatchObject({ matched: true });
  });

  it('skips what is not observed-data or has no readable time', () => {
    expect(observationsFromStix([null, 5, { type: 'observed-data', first_observed: 'yesterday', object_refs: [] }, { type: 'indicator' }])).toEqual([]);
  });
});
