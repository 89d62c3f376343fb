/**
 * The server's log as `serve` writes it: on standard error, so that standard output carries only
 * our own lines (the console URL, the sign-in link); one readable line per entry on a terminal,
 * pino's JSON lines otherwise (for a log collector). The level is the configured one.
 */
import { pino, type Logger } from 'pino';

const NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

interface Entry {
  level: number; time: number; msg?: string; reqId?: string; responseTime?: number;
  req?: { method?: string; url?: string }; res?: { statusCode?: number }; err?: { message?: string; stack?: string };
}

/** "12:03:04 WARN message GET /api/v1/x 500 12 ms", and an error's stack below it. */
export function readableLine(json: string): string {
  let e: Entry;
  try {
    e = JSON.parse(json) as Entry;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const parts = [new Date(e.time).toISOString().slice(11, 19), (NAMES[e.level] ?? String(e.level)).padEnd(5), e.msg ?? ''];
  if (e.req?.method) parts.push(`${e.req.method} ${e.req.url ?? ''}`);
  if (e.res?.statusCode) parts.push(String(e.res.statusCode));
  if (e.responseTime !== undefined) parts.push(`${Math.round(e.responseTime)} ms`);
  const stack = e.err?.stack ?? e.err?.message;
  return `${parts.filter(Boolean).join(' ')}\n${stack ? `${stack.replace(/^/gm, '    ')}\n` : ''}`;
}

export function serveLogger(level: string, terminal = process.stderr.isTTY === true): Logger {
  if (!terminal) return pino({ level }, pino.destination({ fd: 2, sync: true }));
  return pino({ level }, { write: (line: string) => { process.stderr.write(readableLine(line)); } });
}

/**
 * Runs `listen` without Fastify's own "Server listening at …" info line: `serve` prints the URL
 * itself, as the first thing on its output. Warnings and errors still pass.
 */
export async function withoutListenMessage<T>(log: Logger, listen: () => Promise<T>): Promise<T> {
  const level = log.level;
  if (log.levelVal < (pino.levels.values['warn'] ?? 40)) log.level = 'warn';
  try {
    return await listen();
  } finally {
    log.level = level;
  }
}
