/** Typed access to the Sakimori API (see /api/docs). */
export interface Count { packets: number; sources: number }
export interface PortRow { proto: string; port: number; packets: number; sources: number; iot: boolean }
export interface DosVictim { ip: string; packets: number; start: string; end: string; peakRate: number; darknetAddresses?: number; ports?: string[] }
export interface Surge { proto: string; port: number; packets: number; baseline: number; ratio: number; bucket: string }
export interface TopSource { ip: string; packets: number; ports: number; class: string; tags: string[]; country: string; asn: number }
export interface Report {
  from: string; to: string; packets: number; sources: number;
  classes: Record<string, Count>; tags: Record<string, Count>;
  topPorts: PortRow[]; iotShare: number; dosVictims: DosVictim[];
  topCountries: { country: string; packets: number; sources: number }[];
  topAsns: { asn: number; org: string; packets: number; sources: number }[];
  surges: Surge[]; topSources: TopSource[];
}
export interface TimePoint { t: string; packets: number; sources: number }
export interface HostTag { tag: string; confidence: number; packets: number; share: number; falseMatchChance: number; description?: string; descriptionJa?: string }
export interface Host {
  ip: string; firstSeen: string; lastSeen: string; packets: number;
  ports: { proto: string; port: number; packets: number }[];
  distinctPorts?: number; darknetAddresses?: number;
  class: string; classPackets?: Record<string, number>; tags: HostTag[];
  asn: number; org: string; country: string; daily: { day: string; packets: number; ports: number }[];
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

async function get<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' } });
  const body: unknown = await res.json().catch(() => ({}));
  if (!res.ok) {
    const e = body as { code?: string; message?: string };
    throw new ApiError(res.status, e.code ?? 'HTTP', e.message ?? res.statusText);
  }
  return body as T;
}

const q = (p: Record<string, string | number | undefined>): string =>
  new URLSearchParams(Object.entries(p).filter((e): e is [string, string | number] => e[1] !== undefined).map(([k, v]) => [k, String(v)])).toString();

export const api = {
  range: () => get<{ first: string | null; last: string | null }>('/api/v1/darknet/range'),
  report: (from: string, to: string) => get<Report>(`/api/v1/darknet/report?${q({ from, to })}`),
  timeseries: (from: string, to: string, step = 3600) => get<{ step: number; points: TimePoint[] }>(`/api/v1/darknet/timeseries?${q({ from, to, step })}`),
  host: (ip: string) => get<Host>(`/api/v1/hosts/${encodeURIComponent(ip)}`),
  status: () => get<{ version: string; events: string; state: string }>('/api/v1/status'),
};
