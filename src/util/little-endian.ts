/**
 * Typed arrays use the machine's byte order. Code that hands their bytes over as they are
 * (ClickHouse Native blocks) or reads bytes as words (the packet batch's address slots) calls
 * this once at load: x86 and ARM are little-endian, a big-endian machine gets a clear error.
 */
export function requireLittleEndian(what: string): void {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error(`${what} needs a little-endian machine`);
}
