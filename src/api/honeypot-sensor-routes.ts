import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { SakimoriError } from '../errors.js';
import { checkSensorRow } from '../honeypot/sensor/journal-line.js';
import { storeSensorChunk } from '../honeypot/sensor/store-chunk.js';
import { storedRanges } from '../honeypot/sensor/journal-ranges.js';
import type { HoneypotEventRow } from '../schema/honeypot-event.js';
import { access } from './auth-plugin.js';
import { HONEYPOT_SENSOR } from './contract/honeypot-sensor.js';
import { serveRoute } from './serve-route.js';

/** Our own sensor's journal chunks: written by the operator's sensor, so its owner or a platform admin only. */
export const honeypotSensorRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  const sensorWriter = (req: Parameters<typeof access>[0]): void => {
    const { principal } = access(req);
    if (principal.via !== 'peer' && principal.role !== 'platform-admin') throw new SakimoriError('FORBIDDEN', 'sensor events are written by the data directory\'s owner or a platform admin', { role: principal.role });
  };
  serveRoute(app, HONEYPOT_SENSOR.ranges, async (req) => {
    sensorWriter(req);
    return { journal: req.params.journal, ranges: await storedRanges(ctx.state, req.params.journal) };
  });
  serveRoute(app, HONEYPOT_SENSOR.events, async (req) => {
    sensorWriter(req);
    const rows: HoneypotEventRow[] = [];
    req.body.events.forEach((e, i) => {
      const r = checkSensorRow(e);
      if (typeof r === 'string') throw new SakimoriError('BAD_REQUEST', `events[${i}]: ${r}`, { field: `events.${i}` });
      rows.push(r);
    });
    return storeSensorChunk(ctx, { journal: req.body.journal, from: req.body.from, to: req.body.to, events: rows });
  });
};
