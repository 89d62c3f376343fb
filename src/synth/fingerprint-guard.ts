/**
 * The fingerprints the classifier checks (classify/fingerprints.ts), and guards that keep every
 * other SYN from matching them by chance: a random 16-bit IP ID equals Masscan's check value
 * 1 time in 65,536, which over millions of packets would tag a few innocent one-packet sources.
 * Synthetic sources match their own tool's fingerprint on every packet and no other, so the
 * ground truth's tags are exact.
 */
export const ZMAP_IP_ID = 54321;
/** ZMap randomised its IP ID in March 2024 (ZMap 4.1). */
export const ZMAP_FIXED_ID_UNTIL = '2024-03-01';

export function masscanId(dst: number, dport: number, seq: number): number {
  return (dst ^ dport ^ seq) & 0xffff;
}

/** An IP ID for a non-Masscan, non-ZMap SYN: neither ZMap's constant nor Masscan's check value. */
export function neutralId(id: number, dst: number, dport: number, seq: number): number {
  const m = masscanId(dst, dport, seq);
  let v = id & 0xffff;
  while (v === m || v === ZMAP_IP_ID) v = (v + 1) & 0xffff;
  return v;
}

/** A sequence number for a non-Mirai SYN: anything but the destination address. */
export function neutralSeq(seq: number, dst: number): number {
  return seq === dst ? (seq ^ 1) >>> 0 : seq >>> 0;
}

/** A sequence number for a SYN whose IP ID is fixed (`id`): not Mirai's, and Masscan's check must differ from `id`. */
export function seqAvoiding(seq: number, dst: number, dport: number, id: number): number {
  let s = seq >>> 0;
  while (s === dst || masscanId(dst, dport, s) === id) s = (s + 1) >>> 0;
  return s;
}
