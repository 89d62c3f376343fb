/**
 * One address's timeline across sources, oldest first: darknet scanning as one span per day
 * (ports, packets, class) and its backscatter episodes; honeypot sessions with the login that
 * worked, the commands and the files; survey exposure per service and the default credentials it
 * accepted; days on which it was a server in our flows; the shared indicators naming it. Bounded:
 * at most TIMELINE_LIMIT entries, the most recent kept, the rest counted.
 */
import type { DarknetDay } from './darknet-days.js';
import type { FlowServerDay } from './flow-server-days.js';
import type { HoneypotSession } from './host-honeypot.js';
import type { TimelineItem } from './profile-types.js';

export const TIMELINE_LIMIT = 500;

export interface Episode { start: string; end: string; packets: number; peak: number; peakHour: string }

export interface ExposedService {
  port: number; transport: string; service: string; status: string; firstSeen: string; lastSeen: string; source: string;
  device: string; weakCredential: { list: string; entry: string } | null; noAuth: boolean;
}

export interface SharedIndicatorAt {
  id: string; collection: string; labels: readonly string[]; revoked: boolean; tlp: string | null; at: string;
}

export interface TimelineParts {
  darknetDays: readonly DarknetDay[];
  episodes: readonly Episode[];
  sessions: readonly HoneypotSession[];
  services: readonly ExposedService[];
  /** When each (port/transport) was first observed with a default credential, from the observation history. */
  defaultCredentialSince: ReadonlyMap<string, string>;
  flowDays: readonly FlowServerDay[];
  indicators: readonly SharedIndicatorAt[];
}

function darknetEntries(p: TimelineParts): TimelineItem[] {
  const out: TimelineItem[] = [];
  for (const d of p.darknetDays) {
    const sent = d.scan + d.other;
    // A day of backscatter only is told by its episodes.
    if (sent === 0) continue;
    const kind = d.scan >= d.other ? 'scan' : 'other';
    out.push({
      at: d.first, until: d.last, source: 'darknet', kind,
      summary: `${kind === 'scan' ? 'scanned' : 'sent'} ${sent} packets to our darknet on ${d.day}${d.ports ? `: ${d.ports}` : ''}`,
      detail: { day: d.day, packets: sent, scan: d.scan, other: d.other, backscatter: d.backscatter, ports: d.ports },
    });
  }
  for (const e of p.episodes) {
    out.push({
      at: e.start, until: e.end, source: 'darknet', kind: 'backscatter',
      summary: `backscatter of a DoS attack on it: ${e.packets} packets, peak ${e.peak} in the hour of ${e.peakHour}`,
      detail: { packets: e.packets, peak: e.peak, peakHour: e.peakHour },
    });
  }
  return out;
}

function honeypotEntries(p: TimelineParts): TimelineItem[] {
  const out: TimelineItem[] = [];
  for (const s of p.sessions) {
    const where = `${s.honeypot}${s.sensor ? `/${s.sensor}` : ''}${s.proto ? ` ${s.proto}` : ''}${s.port ? `/${s.port}` : ''}`;
    out.push({
      at: s.first, until: s.last, source: 'honeypot', kind: 'session',
      summary: `session on ${where}: ${s.logins} logins (${s.loginsOk} accepted), ${s.commands} commands, ${s.files.length} files`,
      detail: {
        honeypot: s.honeypot, sensor: s.sensor, session: s.session, proto: s.proto, port: s.port, logins: s.logins, loginsOk: s.loginsOk,
        commands: s.commands, firstCommands: s.firstCommands.join(' ; '), files: s.files.length, client: s.client,
      },
    });
    if (s.loginsOk > 0) {
      out.push({
        at: s.okAt, until: null, source: 'honeypot', kind: 'login',
        summary: `logged in to ${where} as ${s.okUser} / ${s.okPassword}`,
        detail: { honeypot: s.honeypot, session: s.session, username: s.okUser, password: s.okPassword },
      });
    }
    for (const [at, kind, url, sha256] of s.files) {
      out.push({
        at, until: null, source: 'honeypot', kind,
        summary: `${kind === 'upload' ? 'pushed a file to' : 'had'} ${where}${url ? ` fetch ${url}` : ''}${sha256 ? ` (sha256 ${sha256})` : ''}`,
        detail: { honeypot: s.honeypot, session: s.session, url, sha256 },
      });
    }
  }
  return out;
}

function surveyEntries(p: TimelineParts): TimelineItem[] {
  const out: TimelineItem[] = [];
  for (const s of p.services) {
    if (s.status !== 'open') continue;
    const name = `${s.transport}/${s.port} ${s.service}`;
    out.push({
      at: s.firstSeen, until: s.lastSeen, source: 'survey', kind: 'exposure',
      summary: `exposes ${name}${s.device ? ` (${s.device})` : ''}${s.noAuth ? ' without authentication' : ''}`,
      detail: { port: s.port, transport: s.transport, service: s.service, device: s.device, noAuth: s.noAuth, source: s.source },
    });
    if (s.weakCredential) {
      out.push({
        at: p.defaultCredentialSince.get(`${s.port}/${s.transport}`) ?? s.lastSeen, until: null, source: 'survey', kind: 'default-credential',
        summary: `${name} accepted a default credential (list ${s.weakCredential.list}, entry ${s.weakCredential.entry})`,
        detail: { port: s.port, transport: s.transport, service: s.service, list: s.weakCredential.list, entry: s.weakCredential.entry },
      });
    }
  }
  return out;
}

function flowEntries(p: TimelineParts): TimelineItem[] {
  return p.flowDays.map((d) => ({
    at: d.first, until: d.last, source: 'flows' as const, kind: 'server',
    summary: `a server in our flows on ${d.day}: ${d.flows} flows, ${d.clients} clients at most per port (${d.ports})`,
    detail: { day: d.day, flows: d.flows, clients: d.clients, ports: d.ports },
  }));
}

function indicatorEntries(p: TimelineParts): TimelineItem[] {
  return p.indicators.map((i) => {
    const cnc = i.labels.includes('c2');
    return {
      at: i.at, until: null, source: 'indicator' as const, kind: cnc ? 'cnc-candidate' : 'shared',
      summary: `${cnc ? 'named as a C&C server' : 'named'} by the shared indicator ${i.id}${i.labels.length ? ` (${i.labels.join(', ')})` : ''}${i.revoked ? ', revoked' : ''}`,
      detail: { id: i.id, collection: i.collection, labels: i.labels.join(', '), revoked: i.revoked, tlp: i.tlp },
    };
  });
}

export function buildTimeline(p: TimelineParts, limit = TIMELINE_LIMIT): { entries: TimelineItem[]; truncated: number } {
  const all = [...darknetEntries(p), ...honeypotEntries(p), ...surveyEntries(p), ...flowEntries(p), ...indicatorEntries(p)]
    .filter((e) => e.at !== '');
  // Oldest first; at the same instant spans before points, then by source, so the order is stable.
  all.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : (a.until === null ? 1 : 0) - (b.until === null ? 1 : 0) || a.source.localeCompare(b.source) || a.kind.localeCompare(b.kind)));
  const truncated = Math.max(0, all.length - limit);
  return { entries: truncated > 0 ? all.slice(truncated) : all, truncated };
}
