/**
 * The test decodings by module, for the collector's worker thread (which cannot be handed a
 * function): the NetFlow v5 test decoding, one whose decoder throws on some datagrams (a
 * decoder bug the collector must survive), and one that ends its thread on a given datagram.
 */
import { isMainThread } from 'node:worker_threads';
import type { DecodingModule } from '../decoding-module.js';
import type { FlowDecoding } from '../../flow-decoding.js';
import { testFlowDecoding } from './netflow5-test-decoder.js';

export const TEST_DECODING: DecodingModule = { url: new URL('./netflow5-test-decoder.js', import.meta.url).href, name: 'testFlowDecoding' };
export const FAULTY_TEST_DECODING: DecodingModule = { url: new URL('./test-decodings.js', import.meta.url).href, name: 'faultyTestFlowDecoding' };

/** The test decoding, but its decoder throws on every datagram whose length is 7 modulo 50. */
export function faultyTestFlowDecoding(snapshot: unknown): FlowDecoding {
  const d = testFlowDecoding(snapshot);
  const decode = d.decode;
  return { ...d, decode: (...a: Parameters<typeof decode>) => (a[0].length % 50 === 7 ? (() => { throw new Error('bug'); })() : decode(...a)) };
}

export const DYING_TEST_DECODING: DecodingModule = { url: new URL('./test-decodings.js', import.meta.url).href, name: 'dyingTestFlowDecoding' };

/** The test decoding, but a datagram of exactly 3 bytes ends the thread it runs in (a worker thread only: in the main thread it would end the process). */
export function dyingTestFlowDecoding(snapshot: unknown): FlowDecoding {
  if (isMainThread) throw new Error('dyingTestFlowDecoding runs in a worker thread only');
  const d = testFlowDecoding(snapshot);
  const decode = d.decode;
  return { ...d, decode: (...a: Parameters<typeof decode>) => (a[0].length === 3 ? process.exit(1) : decode(...a)) };
}
