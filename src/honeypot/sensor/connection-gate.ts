/** Admission of connections, shared by the telnet and HTTP listeners: at most so many at once, and so many from one address. */
export class ConnectionGate {
  private readonly perAddress = new Map<string, number>();
  open = 0;
  refused = 0;

  constructor(private readonly max: number, private readonly maxPerAddress: number) {}

  /** True when the connection may stay; then `release` must be called once when it ends. */
  admit(address: string): boolean {
    const n = this.perAddress.get(address) ?? 0;
    if (this.open >= this.max || n >= this.maxPerAddress) { this.refused++; return false; }
    this.perAddress.set(address, n + 1);
    this.open++;
    return true;
  }

  release(address: string): void {
    const n = this.perAddress.get(address) ?? 0;
    if (n <= 1) this.perAddress.delete(address);
    else this.perAddress.set(address, n - 1);
    this.open--;
  }
}
