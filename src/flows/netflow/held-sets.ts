/**
 * Data sets waiting for their template, per exporter, bounded in count and bytes: when a new set
 * does not fit, the oldest give way and are counted `data-without-template`. Each keeps a copy
 * of its bytes and its own datagram's time base, so it decodes later as it would have then.
 */
import { FLOW_SKIP, type FlowSkipCounters } from '../flow-skips.js';
import type { SetTally } from './data-set.js';
import type { DomainState, TimeBase } from './domain-state.js';

export interface HeldSet {
  readonly state: DomainState;
  readonly id: number;
  readonly body: Uint8Array;
  readonly time: TimeBase;
  readonly heldMs: number;
  /** The retired definition of this template id when the data came, if any. */
  readonly prior: string | undefined;
  /** The tally of the datagram that brought it (released in that same datagram, it was never held). */
  readonly origin: SetTally;
}

interface Queue {
  items: HeldSet[];
  bytes: number;
}

export class HeldSets {
  private readonly byExporter = new Map<string, Queue>();

  constructor(private readonly maxSets: number, private readonly maxBytes: number) {}

  /** Keeps `set` (its body already copied), making room in its exporter's queue. */
  add(set: HeldSet, skips: FlowSkipCounters): void {
    const size = set.body.length;
    if (size > this.maxBytes) {
      skips.add(FLOW_SKIP['data-without-template']);
      return;
    }
    set.origin.held++;
    let q = this.byExporter.get(set.state.exporter);
    if (q === undefined) {
      q = { items: [], bytes: 0 };
      this.byExporter.set(set.state.exporter, q);
    }
    while (q.items.length > 0 && (q.items.length >= this.maxSets || q.bytes + size > this.maxBytes)) {
      const dropped = q.items.shift();
      if (dropped) {
        q.bytes -= dropped.body.length;
        if (dropped.origin === set.origin) set.origin.held--;
      }
      skips.add(FLOW_SKIP['data-without-template']);
    }
    q.items.push(set);
    q.bytes += size;
  }

  /** Removes and returns, oldest first, the sets `pick` chooses: of one exporter, or of all with null. */
  take(exporter: string | null, pick: (h: HeldSet) => boolean): HeldSet[] {
    const taken: HeldSet[] = [];
    const queues = exporter === null ? [...this.byExporter] : [[exporter, this.byExporter.get(exporter)] as const];
    for (const [name, q] of queues) {
      if (q === undefined) continue;
      const keep: HeldSet[] = [];
      for (const h of q.items) {
        if (pick(h)) {
          taken.push(h);
          q.bytes -= h.body.length;
        } else keep.push(h);
      }
      q.items = keep;
      if (keep.length === 0) this.byExporter.delete(name);
    }
    return taken;
  }

  /** Sets held now, over all exporters. */
  get count(): number {
    let n = 0;
    for (const q of this.byExporter.values()) n += q.items.length;
    return n;
  }
}
