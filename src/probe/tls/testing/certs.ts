/**
 * Throw-away certificates for tests, made with the openssl CLI in a temporary directory:
 * self-signed (with subject and SANs chosen by the test), expired self-signed (openssl ca with
 * explicit dates), and a leaf signed by a test CA.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCert {
  readonly dir: string;
  readonly keyPath: string;
  readonly certPath: string;
  readonly key: Buffer;
  readonly cert: Buffer;
  /** The chain to serve after the leaf (PEM), if any. */
  readonly chain?: Buffer;
  remove(): void;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function result(dir: string, extra: { chain?: Buffer } = {}): TestCert {
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  return { dir, keyPath, certPath, key: readFileSync(keyPath), cert: readFileSync(certPath), ...extra, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function selfSigned(subj = '/CN=test.example', san = 'DNS:test.example,IP:127.0.0.1'): TestCert {
  const dir = mkdtempSync(join(tmpdir(), 'sakimori-cert-'));
  openssl(['req', '-x509', ...EC, '-days', '30', '-utf8', '-subj', subj, '-addext', `subjectAltName=${san}`, '-keyout', 'key.pem', '-out', 'cert.pem'], dir);
  return result(dir);
}

export function expiredSelfSigned(): TestCert {
  const dir = mkdtempSync(join(tmpdir(), 'sakimori-cert-'));
  writeFileSync(join(dir, 'ca.cnf'), '[ca]\ndefault_ca = d\n[d]\ndatabase = ./index.txt\nnew_certs_dir = .\nserial = ./serial\ndefault_md = sha256\npolicy = p\n[p]\ncommonName = supplied\n');
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '01\n');
  openssl(['req', '-new', ...EC, '-subj', '/CN=old.example', '-keyout', 'key.pem', '-out', 'req.csr'], dir);
  openssl(['ca', '-batch', '-config', 'ca.cnf', '-selfsign', '-keyfile', 'key.pem', '-in', 'req.csr', '-startdate', '20200101000000Z', '-enddate', '20200201000000Z', '-out', 'cert.pem'], dir);
  return result(dir);
}

/** A leaf for CN=leaf.example signed by a test CA (CN=Sakimori Test CA); the chain holds the CA. */
export function caSigned(): TestCert {
  const dir = mkdtempSync(join(tmpdir(), 'sakimori-cert-'));
  openssl(['req', '-x509', ...EC, '-days', '30', '-subj', '/O=Sakimori Test/CN=Sakimori Test CA', '-keyout', 'ca.key', '-out', 'ca.pem'], dir);
  openssl(['req', '-new', ...EC, '-subj', '/CN=leaf.example', '-keyout', 'key.pem', '-out', 'leaf.csr'], dir);
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=DNS:leaf.example\n');
  openssl(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '30', '-extfile', 'ext.cnf', '-out', 'cert.pem'], dir);
  return result(dir, { chain: readFileSync(join(dir, 'ca.pem')) });
}

/** `openssl x509 -noout -fingerprint -sha256` as lower-case hex without colons. */
export function opensslFingerprint(certPath: string): string {
  const out = execFileSync('openssl', ['x509', '-in', certPath, '-noout', '-fingerprint', '-sha256']).toString();
  return (/=([0-9A-F:]+)/.exec(out)?.[1] ?? '').replace(/:/g, '').toLowerCase();
}

/** `openssl x509 -noout -subject -nameopt RFC2253,-esc_msb` without the "subject=" prefix. */
export function opensslSubject(certPath: string, which: 'subject' | 'issuer' = 'subject'): string {
  return execFileSync('openssl', ['x509', '-in', certPath, '-noout', `-${which}`, '-nameopt', 'RFC2253,-esc_msb']).toString().trim().replace(/^(subject|issuer)=/, '');
}
