/**
 * Where a capture parser hands each captured frame when it is not to decode it into a
 * PacketBatch (readCaptureFrames): the frame's bytes where they lie, with its link type and
 * time. Used by readers that look inside frames for something else than packets (flow-export
 * datagrams, flows/files/pcap-datagrams.ts).
 */
export interface FrameSink {
  /** True when the consumer wants to be flushed before it takes more frames. */
  readonly full: boolean;
  /** One frame `d[off, off + caplen)`; the bytes are only valid during the call. */
  frame(d: Uint8Array, off: number, caplen: number, linkType: number, tsMicros: number, wireLen: number, iface: number): void;
}
