/**
 * Rejecting some valid logins, as devices and honeypots do: a device that lets in the first
 * dictionary pair a bot tries looks like a honeypot (Cowrie's AuthRandom accepts only after a few
 * tries for the same reason), and bots retry anyway. The first valid login from a client address
 * is answered "Login incorrect" for `fraction` of addresses; its next valid login (in the same
 * session or a later one) gets in. Which addresses is decided by a hash of the address and a
 * seed (random per run by default), so a run is reproducible under a fixed seed.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface ValidLoginRejection {
  /** Share of client addresses whose first valid login is refused, 0 to 1. */
  readonly fraction: number;
  /** Decides which addresses; default random per sensor run. */
  readonly seed?: string;
  /** Addresses remembered (the oldest forgotten first); a forgotten one may be refused once more. */
  readonly maxAddresses?: number;
}

export const DEFAULT_REJECT_VALID_FRACTION = 0.5;

export class FirstValidLogins {
  /** Addresses whose first valid login has been seen (refused or not). */
  private readonly seen = new Set<string>();
  private readonly seed: string;
  private readonly max: number;
  rejected = 0;

  constructor(private readonly opts: ValidLoginRejection) {
    if (!(opts.fraction >= 0 && opts.fraction <= 1)) throw new RangeError(`fraction must be between 0 and 1, got ${opts.fraction}`);
    this.seed = opts.seed ?? randomBytes(8).toString('hex');
    this.max = opts.maxAddresses ?? 100_000;
  }

  /** Called for a login whose pair is valid: whether to refuse it. */
  refuses(src: string): boolean {
    if (this.opts.fraction === 0 || this.seen.has(src)) return false;
    this.seen.add(src);
    if (this.seen.size > this.max) this.seen.delete(this.seen.values().next().value as string);
    const refuse = this.opts.fraction === 1 || unit(this.seed, src) < this.opts.fraction;
    if (refuse) this.rejected++;
    return refuse;
  }
}

/** The address's place in [0, 1) under the seed. */
export function unit(seed: string, src: string): number {
  return createHash('sha256').update(seed).update('\u0000').update(src).digest().readUInt32BE(0) / 2 ** 32;
}
