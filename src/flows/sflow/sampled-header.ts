/**
 * The raw packet header of an sFlow flow record (format 1), decoded by our own packet decoders
 * (decode/decode-frame.ts) on a one-slot scratch batch, as if it were a captured frame.
 */
import { decodeFrame } from '../../decode/decode-frame.js';
import { LINKTYPE_ETHERNET, LINKTYPE_IPV4, LINKTYPE_IPV6 } from '../../decode/link-types.js';
import { PacketBatch } from '../../decode/packet-batch.js';
import { SkipCounters } from '../../decode/skip-reasons.js';

/** sFlow `header_protocol` values we decode, as capture link types (others: 0, undecodable). */
export function headerLinkType(headerProtocol: number): number {
  if (headerProtocol === 1) return LINKTYPE_ETHERNET; // ethernet-ISO88023
  if (headerProtocol === 11) return LINKTYPE_IPV4;
  if (headerProtocol === 12) return LINKTYPE_IPV6;
  return 0;
}

/** A scratch batch of one packet, reused for every header; its skip counts are not reported (the flow skip is). */
export class SampledHeaderDecoder {
  readonly packet = new PacketBatch(1);
  private readonly skip = new SkipCounters();

  /** Decodes `d[off, off + len)` into `packet` slot 0; false when our decoders cannot read it. */
  decode(d: Uint8Array, off: number, len: number, headerProtocol: number): boolean {
    const linkType = headerLinkType(headerProtocol);
    this.packet.reset();
    if (linkType === 0) return false;
    return decodeFrame(d, off, len, linkType, this.packet, 0, len, 0, this.skip);
  }
}
