/** `ADDRESS:PORT` of a UDP listener (IPv6 in brackets: `[::]:4739`), as flows.listen and `--listen` take it. */
import { isIP } from 'node:net';
import { SakimoriError } from '../../errors.js';

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
  readonly type: 'udp4' | 'udp6';
}

export function parseListenAddress(text: string): ListenAddress {
  const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(text) ?? /^([^:]+):(\d{1,5})$/.exec(text);
  const host = m?.[1] ?? '';
  const port = Number(m?.[2] ?? -1);
  const family = isIP(host);
  if (!m || family === 0 || port < 0 || port > 65535) {
    throw new SakimoriError('CONFIG_INVALID', `not a UDP listen address: ${text} (ADDRESS:PORT, IPv6 in brackets: 0.0.0.0:2055, [::]:4739)`, { field: 'flows.listen' });
  }
  return { host, port, type: family === 4 ? 'udp4' : 'udp6' };
}
