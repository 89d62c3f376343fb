/** A problem that ends the reading of an input: where (byte offset, record number) and what. */
export interface InputProblem { offset: number; record: number; message: string }

/**
 * Parses a capture format from contiguous bytes, decoding each packet in place into the batch
 * it was built with.
 *
 * `parse(d, pos, end, absolute)` decodes complete records from `d[pos, end)` and returns the
 * bytes it consumed. It stops when the batch is full, when the next record is not complete
 * (then `want` says how many bytes from the stopping point it needs, at least one more than are
 * there), or when the structure is broken (then `corrupt` is set; nothing more is read).
 * `absolute` is the offset of `d[pos]` in the whole input, for messages.
 */
export interface RecordParser {
  readonly format: 'pcap' | 'pcapng';
  /** Link types in the order their headers (pcap) or interfaces (pcapng) appeared. */
  readonly linkTypes: number[];
  /** Complete records seen (packet records; pcapng blocks that carry no packet are not counted). */
  records: number;
  want: number;
  corrupt?: InputProblem;
  parse(d: Uint8Array, pos: number, end: number, absolute: number): number;
}

export function u32le(d: Uint8Array, p: number): number {
  return (d[p]! | (d[p + 1]! << 8) | (d[p + 2]! << 16) | (d[p + 3]! << 24)) >>> 0;
}
export function u32be(d: Uint8Array, p: number): number {
  return ((d[p]! << 24) | (d[p + 1]! << 16) | (d[p + 2]! << 8) | d[p + 3]!) >>> 0;
}
export function u16le(d: Uint8Array, p: number): number {
  return d[p]! | (d[p + 1]! << 8);
}
export function u16be(d: Uint8Array, p: number): number {
  return (d[p]! << 8) | d[p + 1]!;
}
