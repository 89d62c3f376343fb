import { bytes } from './frames.js';

/**
 * Classic pcap bytes from frames: either byte order, µs or ns timestamps. `ts` is in seconds;
 * `sec`/`frac` (frac in µs or ns as the file says) give exact values instead. `modified` writes
 * the modified ("Kuznetzov") format: magic 0xa1b2cd34 and 24-byte record headers (ifindex,
 * protocol, packet type, padding after the usual 16 bytes), as libpcap's pcap_sf_patched_pkthdr.
 * `version` and `swapLengths` write the header version and the old order of the two lengths.
 */
export function pcapFile(frames: { ts: number; frame: Uint8Array; orig?: number; sec?: number; frac?: number }[], o: { linkType: number; bigEndian?: boolean; nano?: boolean; snaplen?: number; modified?: boolean; version?: [number, number]; swapLengths?: boolean }): Uint8Array {
  const le = !o.bigEndian;
  const u32 = (v: number): number[] => {
    const b = [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255];
    return le ? b : b.reverse();
  };
  const u16 = (v: number): number[] => (le ? [v & 255, v >>> 8] : [v >>> 8, v & 255]);
  const magic = o.modified ? 0xa1b2cd34 : o.nano ? 0xa1b23c4d : 0xa1b2c3d4;
  const [major, minor] = o.version ?? [2, 4];
  const header = bytes(u32(magic), u16(major), u16(minor), u32(0), u32(0), u32(o.snaplen ?? 65535), u32(o.linkType));
  const extra = o.modified ? [...u32(3), ...u16(0x0800), 0, 0] : [];
  const recs = frames.map((f) => {
    const sec = f.sec ?? Math.floor(f.ts);
    const frac = f.frac ?? (o.nano ? Math.round((f.ts - sec) * 1e9) : Math.round((f.ts - sec) * 1e6));
    const lengths = [...u32(f.frame.length), ...u32(f.orig ?? f.frame.length)];
    // Files before version 2.3 (and DG/UX's 543.0) have the original length first.
    return bytes(u32(sec), u32(frac), o.swapLengths ? [...lengths.slice(4), ...lengths.slice(0, 4)] : lengths, extra, f.frame);
  });
  return bytes(header, ...recs);
}

/** pcapng blocks (draft-ietf-opsawg-pcapng), in either byte order. */
export class PcapngBuilder {
  private readonly parts: Uint8Array[] = [];
  constructor(private readonly le = true) {}

  private u32(v: number): number[] {
    const b = [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255];
    return this.le ? b : b.reverse();
  }
  private u16(v: number): number[] {
    return this.le ? [v & 255, v >>> 8] : [v >>> 8, v & 255];
  }
  private option(code: number, value: number[]): number[] {
    const pad = (4 - (value.length % 4)) % 4;
    return [...this.u16(code), ...this.u16(value.length), ...value, ...Array(pad).fill(0)];
  }
  block(type: number, body: Uint8Array | number[]): this {
    const pad = (4 - (body.length % 4)) % 4;
    const total = 12 + body.length + pad;
    this.parts.push(bytes(this.u32(type), this.u32(total), body, Array(pad).fill(0), this.u32(total)));
    return this;
  }
  shb(): this {
    return this.block(0x0a0d0d0a, [...this.u32(0x1a2b3c4d), ...this.u16(1), ...this.u16(0), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
      ...this.option(4, [...Buffer.from('sakimori-test')]), ...this.option(0, [])]);
  }
  /** An IDB; `name` (if_name) of odd length exercises the padding of options to 32 bits. */
  idb(linkType: number, o: { snaplen?: number; tsresol?: number; tsoffset?: number; name?: string; description?: string } = {}): this {
    const opts: number[] = [];
    if (o.name) opts.push(...this.option(2, [...Buffer.from(o.name)]));
    if (o.description) opts.push(...this.option(3, [...Buffer.from(o.description)]));
    if (o.tsresol !== undefined) opts.push(...this.option(9, [o.tsresol]));
    if (o.tsoffset !== undefined) opts.push(...this.option(14, this.le ? [...this.u32(o.tsoffset), ...this.u32(0)] : [...this.u32(0), ...this.u32(o.tsoffset)]));
    if (opts.length) opts.push(...this.option(0, []));
    return this.block(1, [...this.u16(linkType), 0, 0, ...this.u32(o.snaplen ?? 0), ...opts]);
  }
  /** ts in interface units as a (hi, lo) pair computed from a bigint. */
  epb(iface: number, units: bigint, frame: Uint8Array, o: { orig?: number; comment?: string } = {}): this {
    const hi = Number(units >> 32n);
    const lo = Number(units & 0xffffffffn);
    const pad = (4 - (frame.length % 4)) % 4;
    const opts = o.comment ? [...this.option(1, [...Buffer.from(o.comment)]), ...this.option(0, [])] : [];
    return this.block(6, [...this.u32(iface), ...this.u32(hi), ...this.u32(lo), ...this.u32(frame.length), ...this.u32(o.orig ?? frame.length), ...frame, ...Array(pad).fill(0), ...opts]);
  }
  spb(frame: Uint8Array): this {
    return this.block(3, [...this.u32(frame.length), ...frame]);
  }
  opb(iface: number, units: bigint, frame: Uint8Array): this {
    const hi = Number(units >> 32n);
    const lo = Number(units & 0xffffffffn);
    return this.block(2, [...this.u16(iface), ...this.u16(0), ...this.u32(hi), ...this.u32(lo), ...this.u32(frame.length), ...this.u32(frame.length), ...frame]);
  }
  /** Name Resolution Block: one IPv4 record and nrb_record_end. */
  nrb(): this {
    const rec = [192, 0, 2, 1, ...Buffer.from('host.example\0')];
    const pad = (4 - (rec.length % 4)) % 4;
    return this.block(4, [...this.u16(1), ...this.u16(rec.length), ...rec, ...Array(pad).fill(0), ...this.u16(0), ...this.u16(0)]);
  }
  /** Interface Statistics Block with an isb_ifrecv option. */
  isb(iface: number): this {
    return this.block(5, [...this.u32(iface), ...this.u32(0), ...this.u32(0), ...this.option(4, [...this.u32(7), ...this.u32(0)]), ...this.option(0, [])]);
  }
  /** Decryption Secrets Block (TLS key log), body of odd length. */
  dsb(): this {
    const secrets = [...Buffer.from('CLIENT_RANDOM 00 11\n')];
    return this.block(10, [...this.u32(0x544c534b), ...this.u32(secrets.length), ...secrets]);
  }
  build(): Uint8Array {
    return bytes(...this.parts);
  }
}
