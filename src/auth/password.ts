/**
 * Password hashing with scrypt (RFC 7914) from node:crypto: N=2^15, r=8, p=1, 16-byte salt,
 * 32-byte key, stored as `scrypt$N$r$p$salt$hash` (base64) so the cost can be raised later and
 * old hashes still verify. Comparison in constant time.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (pw: string, salt: Buffer, len: number, o: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) => scryptCb(pw, salt, len, o, (e, k) => (e ? reject(e) : resolve(k))));

const N = 2 ** 15;
const R = 8;
const P = 1;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFKC'), salt, 32, { N, r: R, p: P, maxmem: 128 * N * R * 2 });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (!(n >= 2 && n <= 2 ** 20 && r >= 1 && r <= 32 && p >= 1 && p <= 16)) return false;
  const salt = Buffer.from(parts[4] as string, 'base64');
  const want = Buffer.from(parts[5] as string, 'base64');
  const got = await scrypt(password.normalize('NFKC'), salt, want.length, { N: n, r, p, maxmem: 128 * n * r * 2 });
  return got.length === want.length && timingSafeEqual(got, want);
}

/** Minimum rules for a local password: long enough, not the username. */
export function passwordProblem(password: string, username: string): string | undefined {
  if (password.length < 12) return 'at least 12 characters';
  if (password.toLowerCase().includes(username.toLowerCase())) return 'must not contain the username';
  return undefined;
}
