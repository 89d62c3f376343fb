/**
 * Which honeypot log an input is, by its first bytes, when `--format` is not given — and, for
 * Dionaea, whether it is the JSON log or the SQLite database (`SQLite format 3\0`).
 */
import { SakimoriError } from '../../errors.js';

export type HoneypotFormat = 'cowrie' | 'dionaea' | 'conpot';
/** The reader actually used. */
export type HoneypotFileFormat = 'cowrie' | 'dionaea-json' | 'dionaea-sqlite' | 'conpot';

export const DETECT_BYTES = 64 * 1024;
const SQLITE_MAGIC = 'SQLite format 3\0';

export function isSqlite(head: Uint8Array): boolean {
  return head.length >= 16 && Buffer.from(head.buffer, head.byteOffset, 16).toString('latin1') === SQLITE_MAGIC;
}

function firstObject(head: Uint8Array): Record<string, unknown> | undefined {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head).replace(/^\uFEFF/, '');
  for (const line of text.split('\n').slice(0, 20)) {
    if (line.trim() === '') continue;
    try {
      const v: unknown = JSON.parse(line);
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // A broken first line: try the next ones.
    }
  }
  return undefined;
}

export function detectHoneypotFormat(head: Uint8Array, name: string, given?: HoneypotFormat): HoneypotFileFormat {
  if (head.length === 0) throw new SakimoriError('IMPORT_BAD_FORMAT', 'the input is empty', { file: name });
  if (isSqlite(head)) {
    if (given && given !== 'dionaea') throw new SakimoriError('IMPORT_BAD_FORMAT', `a SQLite database, not a ${given} log (only Dionaea's logsql is read from SQLite)`, { file: name });
    return 'dionaea-sqlite';
  }
  if (given) return given === 'dionaea' ? 'dionaea-json' : given;
  const o = firstObject(head);
  if (o) {
    if (typeof o.eventid === 'string' && o.eventid.startsWith('cowrie.')) return 'cowrie';
    if ('data_type' in o || 'event_type' in o) return 'conpot';
    if ('connection' in o) return 'dionaea-json';
  }
  const start = new TextDecoder().decode(head.subarray(0, 60));
  throw new SakimoriError('IMPORT_BAD_FORMAT', `not a honeypot log this reads (Cowrie JSON, Dionaea JSON or SQLite, Conpot JSON): it starts with ${JSON.stringify(start)}; give --format if it is one`, { file: name });
}
