import Fastify from 'fastify';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { readableLine, withoutListenMessage } from './serve-logger.js';

describe('serve logger', () => {
  it("leaves out Fastify's own listening line at level info, and keeps request and warning logs", async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (l: string) => { lines.push(l); } });
    const app = Fastify({ loggerInstance: log });
    app.get('/', async () => 'ok');
    await withoutListenMessage(log, () => app.listen({ host: '127.0.0.1', port: 0 }));
    expect(log.level).toBe('info');
    expect(lines.join('')).not.toMatch(/Server listening/);
    await app.inject({ url: '/' });
    app.log.warn('disk nearly full');
    await app.close();
    const msgs = lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(msgs).toEqual(expect.arrayContaining(['incoming request', 'request completed', 'disk nearly full']));
  });

  it('writes an entry as one readable line, an error with its stack below', () => {
    const t = Date.parse('2026-12-06T12:03:04Z');
    expect(readableLine(JSON.stringify({ level: 30, time: t, msg: 'request completed', req: { method: 'GET', url: '/api/v1/x' }, res: { statusCode: 200 }, responseTime: 12.4 })))
      .toBe('12:03:04 INFO  request completed GET /api/v1/x 200 12 ms\n');
    expect(readableLine(JSON.stringify({ level: 50, time: t, msg: 'boom', err: { message: 'boom', stack: 'Error: boom\n    at x' } })))
      .toBe('12:03:04 ERROR boom\n    Error: boom\n        at x\n');
  });
});
