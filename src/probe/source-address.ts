/**
 * Our source address towards a target, for the audit log when a connection failed before the
 * socket could report it (a refused connect has no local address any more). Found by connecting
 * a UDP socket — a route lookup in the kernel, no packet is sent — and cached per /24 (IPv4) or
 * /64 (IPv6), which share a route in practice.
 */
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';

export class SourceAddresses {
  private readonly cache = new Map<string, string | null>();
  private readonly pending = new Map<string, Promise<string | null>>();

  private static key(ip: string): string {
    return isIP(ip) === 4 ? ip.slice(0, ip.lastIndexOf('.')) : ip.split(':').slice(0, 4).join(':');
  }

  /** The cached answer, or undefined when not looked up yet. */
  peek(ip: string): string | null | undefined {
    return this.cache.get(SourceAddresses.key(ip));
  }

  lookup(ip: string): Promise<string | null> {
    const k = SourceAddresses.key(ip);
    const hit = this.cache.get(k);
    if (hit !== undefined) return Promise.resolve(hit);
    let p = this.pending.get(k);
    if (!p) {
      p = new Promise<string | null>((resolve) => {
        const fam = isIP(ip);
        if (fam === 0) { resolve(null); return; }
        const s = createSocket(fam === 4 ? 'udp4' : 'udp6');
        const done = (v: string | null): void => {
          try { s.close(); } catch { /* closed */ }
          resolve(v);
        };
        s.once('error', () => done(null));
        // Port 9 (discard): nothing is sent by a UDP connect.
        s.connect(9, ip, () => {
          try { done(s.address().address); } catch { done(null); }
        });
      }).then((v) => {
        this.cache.set(k, v);
        this.pending.delete(k);
        return v;
      });
      this.pending.set(k, p);
    }
    return p;
  }
}
