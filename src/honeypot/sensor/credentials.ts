/**
 * Which credential pairs the sensor's telnet login accepts. The default is the dictionary the
 * Mirai source (2016) carries in its scanner, which its descendants still try: accepting these
 * is what makes a bot believe it found a device and go on to push its loader.
 */
import { readFile } from 'node:fs/promises';
import { SakimoriError } from '../../errors.js';

export const MIRAI_CREDENTIALS: readonly (readonly [string, string])[] = [
  ['root', 'xc3511'], ['root', 'vizxv'], ['root', 'admin'], ['admin', 'admin'], ['root', '888888'],
  ['root', 'xmhdipc'], ['root', 'default'], ['root', 'juantech'], ['root', '123456'], ['root', '54321'],
  ['support', 'support'], ['root', ''], ['admin', 'password'], ['root', 'root'], ['root', '12345'],
  ['user', 'user'], ['admin', ''], ['root', 'pass'], ['admin', 'admin1234'], ['root', '1111'],
  ['admin', 'smcadmin'], ['admin', '1111'], ['root', '666666'], ['root', 'password'], ['root', '1234'],
  ['root', 'klv123'], ['Administrator', 'admin'], ['service', 'service'], ['supervisor', 'supervisor'],
  ['guest', 'guest'], ['guest', '12345'], ['admin1', 'password'], ['administrator', '1234'],
  ['666666', '666666'], ['888888', '888888'], ['ubnt', 'ubnt'], ['root', 'klv1234'], ['root', 'Zte521'],
  ['root', 'hi3518'], ['root', 'jvbzd'], ['root', 'anko'], ['root', 'zlxx.'], ['root', '7ujMko0vizxv'],
  ['root', '7ujMko0admin'], ['root', 'system'], ['root', 'ikwb'], ['root', 'dreambox'], ['root', 'user'],
  ['root', 'realtek'], ['root', '00000000'], ['admin', '1111111'], ['admin', '1234'], ['admin', '12345'],
  ['admin', '54321'], ['admin', '123456'], ['admin', '7ujMko0admin'], ['admin', 'pass'], ['admin', 'meinsm'],
  ['tech', 'tech'], ['mother', 'fucker'],
];

export type CredentialSet = ReadonlySet<string>;

const key = (user: string, pass: string): string => `${user}\u0000${pass}`;

export function credentialSet(pairs: readonly (readonly [string, string])[]): CredentialSet {
  return new Set(pairs.map(([u, p]) => key(u, p)));
}

export function accepts(set: CredentialSet, user: string, pass: string): boolean {
  return set.has(key(user, pass));
}

/**
 * A credentials file: one `user:password` pair a line (the password may be empty or contain
 * colons; `#` starts a comment line). A line without a colon is an error naming the line.
 */
export function parseCredentials(text: string, file: string): [string, string][] {
  const pairs: [string, string][] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '' || line.startsWith('#')) return;
    const at = line.indexOf(':');
    if (at <= 0) throw new SakimoriError('CREDENTIALS_INVALID', `line ${i + 1}: expected user:password`, { file, line: i + 1 });
    pairs.push([line.slice(0, at), line.slice(at + 1)]);
  });
  if (pairs.length === 0) throw new SakimoriError('CREDENTIALS_INVALID', 'no user:password pair in the file', { file });
  return pairs;
}

export async function loadCredentials(file: string): Promise<[string, string][]> {
  return parseCredentials(await readFile(file, 'utf8'), file);
}
