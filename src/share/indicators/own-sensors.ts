/**
 * Our own sensors' addresses (the darknet's prefixes, the capture hosts): a packet from one of
 * them is ours, never an indicator.
 */
import { parseCidr } from '../../net/cidr.js';
import { SakimoriError } from '../../errors.js';
import type { StateStore } from '../../store/types.js';

export async function addOwnSensors(state: Pick<StateStore, 'query'>, cidrs: readonly string[], note = ''): Promise<string[]> {
  const prefixes = cidrs.map((c, i) => {
    try {
      return parseCidr(c).text;
    } catch (e) {
      throw new SakimoriError('BAD_REQUEST', (e as Error).message, { field: `prefixes.${i}` });
    }
  });
  await state.query('INSERT INTO share_own_sensors (prefix, note) SELECT unnest($1::cidr[]), $2 ON CONFLICT (prefix) DO NOTHING', [prefixes, note]);
  return prefixes;
}

export async function listOwnSensors(state: Pick<StateStore, 'query'>): Promise<string[]> {
  return (await state.query<{ p: string }>('SELECT prefix::text AS p FROM share_own_sensors ORDER BY prefix')).map((r) => r.p);
}
