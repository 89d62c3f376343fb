/** `ADDR:PORT` for a sensor listener: `0.0.0.0:23`, `[::]:2323`, `127.0.0.1:0` (port 0: the system picks). */
import { isIP } from 'node:net';
import { SakimoriError } from '../../errors.js';

export interface ListenAddress { readonly host: string; readonly port: number }

export function parseListenAddress(text: string, option: string): ListenAddress {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  const host = m?.[1];
  const port = Number(m?.[2]);
  if (!host || isIP(host) === 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new SakimoriError('CONFIG_INVALID', `${option}: expected ADDRESS:PORT (IPv6 in brackets), got ${JSON.stringify(text)}`, { field: option });
  }
  return { host, port };
}
