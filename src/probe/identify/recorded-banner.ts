/**
 * Identification of what another scanner recorded (an imported banner), by the classifier the
 * survey uses on what a server says first (first-bytes.ts): the service when the scanner named
 * none, and the SSH identification line of an SSH banner, which the fingerprint rules read.
 */
import type { ServiceFinding } from '../../schema/service-observation.js';
import { bannerBytes } from './banner-text.js';
import { classifyFirstBytes } from './first-bytes.js';

/** Sets `service` (when empty or unknown) and `ssh_ident` (when missing) from `banner`; nothing else. */
export function identifyRecordedBanner(f: ServiceFinding): void {
  const banner = f.banner;
  if (!banner) return;
  let bytes: Buffer | undefined;
  if (!f.service || f.service === 'unknown') {
    bytes = bannerBytes(banner);
    const service = classifyFirstBytes(bytes)[0];
    if (service !== undefined) f.service = service;
  }
  if (f.service === 'ssh' && !f.ssh_ident) {
    bytes ??= bannerBytes(banner);
    // Lines before the identification are allowed (RFC 4253 §4.2).
    const m = /(?:^|\n)(SSH-\d[^\r\n]{0,250})/.exec(bytes.subarray(0, 8192).toString('latin1'));
    if (m?.[1] !== undefined) f.ssh_ident = m[1];
  }
}
