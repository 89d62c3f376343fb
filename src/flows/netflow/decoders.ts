/**
 * The NetFlow v5, v9 and IPFIX decoders in the shape every export-datagram decoder has
 * (flows/datagram.ts), sharing one template cache: a collector or the pcap reader dispatches
 * each datagram to the one its version names and calls `cache.flushHeld` now and then (and at the
 * end of an input) so data whose template never came is counted.
 */
import type { DecodeDatagram } from '../datagram.js';
import { decodeIpfix } from './ipfix.js';
import { decodeNetflow5 } from './netflow5.js';
import { decodeNetflow9 } from './netflow9.js';
import type { TemplateCache } from './template-cache.js';

export interface NetflowDecoders {
  readonly netflow5: DecodeDatagram;
  readonly netflow9: DecodeDatagram;
  readonly ipfix: DecodeDatagram;
}

export function netflowDecoders(cache: TemplateCache): NetflowDecoders {
  return {
    netflow5: (d, from, out, skips) => decodeNetflow5(cache, d, from, out, skips),
    netflow9: (d, from, out, skips) => decodeNetflow9(cache, d, from, out, skips),
    ipfix: (d, from, out, skips) => decodeIpfix(cache, d, from, out, skips),
  };
}
