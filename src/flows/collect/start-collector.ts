/**
 * The collector as `collect flows` and `serve` start it: its settings from the configuration
 * (flows.*), the internal prefixes from flows.internal, the real decoders (made in the
 * collector's receiver thread), the context's metrics.
 */
import type { AppContext } from '../../app/context.js';
import { CidrSet } from '../../net/cidr-set.js';
import type { MakeFlowDecoding } from '../flow-decoding.js';
import { FlowCollector } from './collector.js';
import { FLOW_DECODING_MODULE, type DecodingModule } from './decoding-module.js';

export async function startFlowCollector(
  ctx: Pick<AppContext, 'events' | 'state' | 'config' | 'metrics'>,
  opts: {
    listen?: readonly string[]; internal?: readonly string[]; warn?: (m: string) => void;
    /** The decoding by module (default: the real decoders), made in the receiver thread; or as a function, run in this thread. */
    decodingModule?: DecodingModule; makeDecoding?: MakeFlowDecoding;
  } = {},
): Promise<FlowCollector> {
  const f = ctx.config.flows;
  const internal = opts.internal?.length ? opts.internal : f.internal;
  return FlowCollector.start(
    {
      events: ctx.events, state: ctx.state, metrics: ctx.metrics,
      ...(opts.makeDecoding ? { makeDecoding: opts.makeDecoding } : { decodingModule: opts.decodingModule ?? FLOW_DECODING_MODULE }),
      internal: internal.length ? new CidrSet(internal) : null, ...(opts.warn ? { warn: opts.warn } : {}),
    },
    {
      listen: opts.listen?.length ? opts.listen : f.listen, keepDays: f.keepDays, aggregateKeepDays: f.aggregateKeepDays, batchSize: f.batchSize,
      flushMs: f.flushMs, receiveBufferBytes: f.receiveBufferBytes, saveSeconds: f.saveSeconds,
      ...(f.receiverNice !== undefined ? { receiverNice: f.receiverNice } : {}),
    },
  );
}
