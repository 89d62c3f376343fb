/**
 * Every synthetic source ("stream") as columns of typed arrays: no object per source, so a
 * 20-million-packet capture with millions of sources stays within a few hundred MB.
 */

export const PORTS_NONE = 0;
/** Ports from a small set kept in `Streams.portPool`; `portMask` remembers which were used. */
export const PORTS_SET = 1;
/** Ports walked as a permutation of [lo, lo + modulus): every port is new until the walk wraps. */
export const PORTS_PERMUTATION = 2;

/** Step of the port permutations: coprime with every modulus we use (1024, 64512, 65535). */
export const PORT_STEP = 40499;

export class Streams {
  length = 0;
  kind: Uint8Array;
  /** IPv4 source; for IPv6 kinds the index of its 16 bytes in `src6`. */
  src4: Uint32Array;
  src6: Uint8Array;
  v6Count = 0;
  packets: Uint32Array;
  sent: Uint32Array;
  ttl: Uint8Array;
  window: Uint16Array;
  sport: Uint16Array;
  /** Attacked or serving port (backscatter), or the one port of a ZMap scan. */
  service: Uint16Array;
  /** A per-kind variant: DoS vector, reply type, TCP option set … */
  variant: Uint8Array;
  /** The source's own IP ID counter, for packets built by an ordinary stack. */
  ipId: Uint16Array;
  portMode: Uint8Array;
  portStart: Uint32Array;
  portLen: Uint32Array;
  portLo: Uint16Array;
  portMask: Uint16Array;
  /** Activity window in minutes of the day. */
  winStart: Uint16Array;
  winLen: Uint16Array;
  firstTs: Float64Array;
  lastTs: Float64Array;
  readonly portPool: number[] = [];

  constructor(capacity: number) {
    this.kind = new Uint8Array(capacity);
    this.src4 = new Uint32Array(capacity);
    this.src6 = new Uint8Array(16 * 64);
    this.packets = new Uint32Array(capacity);
    this.sent = new Uint32Array(capacity);
    this.ttl = new Uint8Array(capacity);
    this.window = new Uint16Array(capacity);
    this.sport = new Uint16Array(capacity);
    this.service = new Uint16Array(capacity);
    this.variant = new Uint8Array(capacity);
    this.ipId = new Uint16Array(capacity);
    this.portMode = new Uint8Array(capacity);
    this.portStart = new Uint32Array(capacity);
    this.portLen = new Uint32Array(capacity);
    this.portLo = new Uint16Array(capacity);
    this.portMask = new Uint16Array(capacity);
    this.winStart = new Uint16Array(capacity);
    this.winLen = new Uint16Array(capacity);
    this.firstTs = new Float64Array(capacity);
    this.lastTs = new Float64Array(capacity);
  }

  /** Appends a stream; the columns grow by doubling when full. */
  add(kind: number): number {
    if (this.length === this.kind.length) this.grow();
    const s = this.length++;
    this.kind[s] = kind;
    return s;
  }

  /** Reserves 16 bytes for an IPv6 source and returns the offset to write them at. */
  add6(s: number): number {
    if ((this.v6Count + 1) * 16 > this.src6.length) {
      const next = new Uint8Array(this.src6.length * 2);
      next.set(this.src6);
      this.src6 = next;
    }
    this.src4[s] = this.v6Count;
    return 16 * this.v6Count++;
  }

  setPortSet(s: number, ports: readonly number[]): void {
    this.portMode[s] = PORTS_SET;
    this.portStart[s] = this.portPool.length;
    this.portLen[s] = ports.length;
    for (const p of ports) this.portPool.push(p);
  }

  setPortPermutation(s: number, lo: number, modulus: number, start: number): void {
    this.portMode[s] = PORTS_PERMUTATION;
    this.portLo[s] = lo;
    this.portLen[s] = modulus;
    this.portStart[s] = start % modulus;
  }

  private grow(): void {
    const n = Math.max(1024, this.kind.length * 2);
    const g = <T extends Uint8Array | Uint16Array | Uint32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.kind = g(this.kind, (k) => new Uint8Array(k));
    this.src4 = g(this.src4, (k) => new Uint32Array(k));
    this.packets = g(this.packets, (k) => new Uint32Array(k));
    this.sent = g(this.sent, (k) => new Uint32Array(k));
    this.ttl = g(this.ttl, (k) => new Uint8Array(k));
    this.window = g(this.window, (k) => new Uint16Array(k));
    this.sport = g(this.sport, (k) => new Uint16Array(k));
    this.service = g(this.service, (k) => new Uint16Array(k));
    this.variant = g(this.variant, (k) => new Uint8Array(k));
    this.ipId = g(this.ipId, (k) => new Uint16Array(k));
    this.portMode = g(this.portMode, (k) => new Uint8Array(k));
    this.portStart = g(this.portStart, (k) => new Uint32Array(k));
    this.portLen = g(this.portLen, (k) => new Uint32Array(k));
    this.portLo = g(this.portLo, (k) => new Uint16Array(k));
    this.portMask = g(this.portMask, (k) => new Uint16Array(k));
    this.winStart = g(this.winStart, (k) => new Uint16Array(k));
    this.winLen = g(this.winLen, (k) => new Uint16Array(k));
    this.firstTs = g(this.firstTs, (k) => new Float64Array(k));
    this.lastTs = g(this.lastTs, (k) => new Float64Array(k));
  }
}
