/**
 * Lost sFlow samples: each data source numbers its flow samples (and, separately, its counter
 * samples) one by one, so a gap in a source's sequence is samples that never arrived (lost
 * datagrams, or the agent's own drops before sending). Kept per agent, sub-agent, source and
 * kind; a sequence that goes back or jumps by more than half the 32-bit space is a restart,
 * not a loss.
 */
import type { DecodeDatagram } from '../datagram.js';
import { decodeSflow } from './decode-sflow.js';
import type { SflowDatagramSummary, SflowInterfaceCounters } from './sflow-summary.js';

const HALF = 2 ** 31;

export class SflowSampleLoss {
  private readonly last = new Map<string, number>();
  /** Samples missing so far, over every source. */
  lost = 0;

  /** Takes one datagram's samples in order; returns how many samples were lost before them. */
  observe(s: SflowDatagramSummary): number {
    let lost = 0;
    for (const x of s.samples) {
      const key = `${s.agent}/${s.domain}/${x.kind}/${x.type}/${x.index}`;
      const prev = this.last.get(key);
      this.last.set(key, x.sequence);
      if (prev === undefined) continue;
      const gap = (x.sequence - prev + 2 ** 32) % 2 ** 32;
      if (gap > 1 && gap < HALF) lost += gap - 1;
    }
    this.lost += lost;
    return lost;
  }
}

export interface SflowDecoderOptions {
  /** Generic interface counters of each datagram's counter samples (not stored with flows). */
  readonly onCounters?: (counters: readonly SflowInterfaceCounters[]) => void;
  /** Samples found missing before a datagram's samples (see SflowSampleLoss). */
  readonly onSampleLoss?: (lost: number, summary: SflowDatagramSummary) => void;
}

/**
 * `decodeSflow` with state: sample loss per source and the counters handed to callbacks, as a
 * plain `DecodeDatagram` for the collector and the pcap reader. One per stream of datagrams.
 */
export function createSflowDecoder(opts: SflowDecoderOptions = {}): DecodeDatagram & { readonly loss: SflowSampleLoss } {
  const loss = new SflowSampleLoss();
  const decode: DecodeDatagram = (d, from, out, skips) => {
    const s = decodeSflow(d, from, out, skips);
    if (!s) return null;
    const lost = loss.observe(s);
    if (lost > 0) opts.onSampleLoss?.(lost, s);
    if (s.counters.length > 0) opts.onCounters?.(s.counters);
    return s;
  };
  return Object.assign(decode, { loss });
}
