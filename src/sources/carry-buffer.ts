/**
 * The bytes of a record that straddles chunk boundaries. It grows by doubling (so a large
 * record arriving in tiny chunks costs linear, not quadratic, copying) and is reused for every
 * straddling record of an input.
 */
export class CarryBuffer {
  bytes = new Uint8Array(0);
  length = 0;

  append(src: Uint8Array, from: number, count: number): void {
    if (count <= 0) return;
    const need = this.length + count;
    if (need > this.bytes.length) {
      const grown = new Uint8Array(Math.max(need, this.bytes.length * 2, 4096));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    this.bytes.set(src.subarray(from, from + count), this.length);
    this.length = need;
  }

  /** Drops the first `n` bytes. */
  consume(n: number): void {
    if (n >= this.length) this.length = 0;
    else if (n > 0) {
      this.bytes.copyWithin(0, n, this.length);
      this.length -= n;
    }
  }
}
