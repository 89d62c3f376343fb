import type { SurgeSpec, TruthSurge } from './surge-injection.js';

const PROTO_INDEX = { tcp: 0, udp: 1 } as const;

/**
 * Counts every packet to an injected surge's port in its hour, background included, so the
 * truth says what a report must count. A flag per (protocol, port) keeps the per-packet cost to
 * one array read for the ports no surge uses.
 */
export class SurgeCounter {
  private readonly watched = new Uint8Array(4 * 65536);
  private readonly packets: number[];

  constructor(private readonly surges: readonly Required<SurgeSpec>[], private readonly dayStartSeconds: number) {
    this.packets = surges.map(() => 0);
    for (const s of surges) this.watched[this.key(s)] = 1;
  }

  /** A packet to (protocol index << 16 | port) in minute `minute` of the day. */
  count(protoPort: number, minute: number): void {
    if (this.watched[protoPort] === 0) return;
    const hour = Math.floor(minute / 60);
    this.surges.forEach((s, i) => {
      if (this.key(s) === protoPort && s.hour === hour) this.packets[i] = (this.packets[i] as number) + 1;
    });
  }

  truth(): TruthSurge[] {
    return this.surges.map((s, i) => ({
      proto: s.proto, port: s.port, hour: new Date((this.dayStartSeconds + s.hour * 3600) * 1000).toISOString(),
      injected: s.packets, packets: this.packets[i] as number,
    }));
  }

  private key(s: Required<SurgeSpec>): number {
    return (PROTO_INDEX[s.proto] << 16) | s.port;
  }
}
