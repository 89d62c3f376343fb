/**
 * Which side of a flow is the internal client and which the external server (docs/flows.md,
 * "Orientation"). With the carrier's internal prefixes, a record with exactly one internal side
 * is oriented by them; otherwise by ports: the lower port is the server's (a client's ephemeral
 * port is high), ties by address order so both directions of a session agree.
 */
import type { CidrSet } from '../../net/cidr-set.js';
import type { FlowBatch } from '../flow-batch.js';

/** `dir` values stored in flows_raw. */
export const DIR = { unknown: 0, clientToServer: 1, serverToClient: 2, clientToServerByPorts: 3, serverToClientByPorts: 4 } as const;

function isInternal(b: FlowBatch, col: Uint8Array, i: number, internal: CidrSet): boolean {
  const o = i * 16;
  if (b.family[i] === 4) {
    const v = (((col[o + 12] as number) << 24) | ((col[o + 13] as number) << 16) | ((col[o + 14] as number) << 8) | (col[o + 15] as number)) >>> 0;
    return internal.has({ family: 4, value: v });
  }
  let v = 0n;
  for (let k = 0; k < 16; k++) v = (v << 8n) | BigInt(col[o + k] as number);
  return internal.has({ family: 6, value: v });
}

function addressBefore(a: Uint8Array, b: Uint8Array, o: number): boolean {
  for (let k = 0; k < 16; k++) {
    const x = a[o + k] as number;
    const y = b[o + k] as number;
    if (x !== y) return x < y;
  }
  return false;
}

/** The `dir` of record i: whether its source is the client, and how that was decided. */
export function orient(b: FlowBatch, i: number, internal: CidrSet | null): number {
  if (internal && !internal.empty) {
    const s = isInternal(b, b.src16, i, internal);
    const d = isInternal(b, b.dst16, i, internal);
    if (s && !d) return DIR.clientToServer;
    if (d && !s) return DIR.serverToClient;
  }
  const sp = b.sport[i] as number;
  const dp = b.dport[i] as number;
  if (dp < sp) return DIR.clientToServerByPorts;
  if (sp < dp) return DIR.serverToClientByPorts;
  return addressBefore(b.src16, b.dst16, i * 16) ? DIR.clientToServerByPorts : DIR.serverToClientByPorts;
}

/** Whether `dir` makes the record's source the client. */
export const sourceIsClient = (dir: number): boolean => dir === DIR.clientToServer || dir === DIR.clientToServerByPorts;
