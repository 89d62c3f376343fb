import type { PacketBatch } from '../decode/packet-batch.js';
import type { SkipCounters } from '../decode/skip-reasons.js';

/** A problem that ends the reading of an input: where, and what. */
export interface InputProblem { offset: number; record: number; message: string }

/**
 * Parses a capture format one record at a time from a contiguous buffer. `next` returns the bytes
 * it consumed, NEED_MORE when the record is not complete in the buffer, or CORRUPT after setting
 * `corrupt` (reading stops there; everything before is kept).
 */
export interface RecordParser {
  readonly format: 'pcap' | 'pcapng';
  readonly linkTypes: number[];
  records: number;
  corrupt?: InputProblem;
  next(data: Uint8Array, pos: number, end: number, absolute: number, batch: PacketBatch, skip: SkipCounters): number;
}

export const NEED_MORE = 0;
export const CORRUPT = -1;

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
