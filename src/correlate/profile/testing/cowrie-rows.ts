/**
 * Test seeding only: the few Cowrie event ids a profile test needs (connect, client version,
 * logins, commands, downloads, proxy requests, close), as harmonised rows for writeHoneypotEvents.
 * The ingest's own reader (honeypot/readers) is the real one; this keeps the profile tests
 * independent of it while still storing a real Cowrie day.
 */
import { readFileSync } from 'node:fs';
import type { HoneypotEventRow } from '../../../schema/honeypot-event.js';

type J = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

export function cowrieRows(file: string): HoneypotEventRow[] {
  const out: HoneypotEventRow[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const e = JSON.parse(line) as J;
    const base = { ts: str(e['timestamp']), honeypot: 'cowrie' as const, sensor: str(e['sensor']), session: str(e['session']), src: str(e['src_ip']) };
    switch (e['eventid']) {
      case 'cowrie.session.connect':
        out.push({ ...base, kind: 'session.connect', proto: str(e['protocol']), src_port: num(e['src_port']), dst: str(e['dst_ip']), dst_port: num(e['dst_port']) });
        break;
      case 'cowrie.client.version':
        out.push({ ...base, kind: 'client.version', client: str(e['version']) });
        break;
      case 'cowrie.login.success':
      case 'cowrie.login.failed':
        out.push({ ...base, kind: 'login', username: str(e['username']), password: str(e['password']), success: e['eventid'] === 'cowrie.login.success' ? 1 : 0 });
        break;
      case 'cowrie.command.input':
        out.push({ ...base, kind: 'command', input: str(e['input']) });
        break;
      case 'cowrie.session.file_download':
        out.push({ ...base, kind: 'download', url: str(e['url']), sha256: str(e['shasum']) });
        break;
      case 'cowrie.session.closed':
        out.push({ ...base, kind: 'session.close', duration: num(e['duration']) });
        break;
      default:
        break;
    }
  }
  return out;
}
