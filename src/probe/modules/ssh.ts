/**
 * The SSH module: identification string, KEXINIT algorithms, hassh-server, and one key exchange
 * to learn the host key type and SHA-256 fingerprint (as `ssh-keygen -l` prints it). Software
 * and version from the identification go into `details`; vendor/product come from rules elsewhere.
 */
import type { L7Module, ModuleResult, ProbeContext, ProbeTarget } from '../module.js';
import type { ServiceFinding } from '../../schema/service-observation.js';
import { bannerText } from '../identify/banner-text.js';
import { runSshSession, type SshSessionResult } from '../ssh/session.js';
import { tryConnect } from '../try-connect.js';

export const SSH_DEFAULT_PORTS: readonly number[] = [22, 2222, 22222, 830, 2022, 10022];

export function sshFinding(target: ProbeTarget, r: SshSessionResult): ModuleResult {
  const base: ServiceFinding = { ip: target.ip, port: target.port, transport: target.transport };
  if (r.ident === undefined) {
    return {
      identified: false,
      finding: {
        ...base, status: r.timedOut === true && (r.rawStart?.length ?? 0) === 0 ? 'timeout' : 'error',
        service: 'unknown', banner: bannerText(r.rawStart ?? Buffer.alloc(0)), error: `ssh: ${r.error ?? 'no identification'}`,
      },
    };
  }
  const id = r.ident;
  const k = r.kexInit;
  const details = {
    protocol: id.protoVersion,
    software: id.softwareVersion,
    product: id.product,
    version: id.version,
    comments: id.comments,
    ...(id.preamble.length > 0 ? { preamble: id.preamble.slice(0, 20) } : {}),
    ...(k !== undefined ? {
      kex_algorithms: k.kex,
      host_key_algorithms: k.hostKey,
      ciphers_c2s: k.ciphersC2s, ciphers_s2c: k.ciphersS2c,
      macs_c2s: k.macsC2s, macs_s2c: k.macsS2c,
      compression_c2s: k.compressionC2s, compression_s2c: k.compressionS2c,
      hassh_algorithms: r.hasshAlgorithms,
    } : {}),
    ...(r.negotiated !== undefined ? { kex_used: r.negotiated.kex } : {}),
    ...(r.reply !== undefined ? {
      host_key_blob_type: r.reply.hostKey.blobType,
      host_key_bits: r.reply.hostKey.bits,
      host_key_md5: r.reply.hostKey.md5,
      host_key: r.reply.hostKey.blobBase64,
      signature_algorithm: r.reply.signatureAlgorithm,
      signature_verified: r.signatureVerified ?? false,
    } : {}),
  };
  const banner = [...id.preamble, id.line].join('\n');
  return {
    identified: true,
    finding: {
      ...base,
      service: 'ssh',
      status: r.error === undefined ? 'open' : 'error',
      error: r.error === undefined ? '' : `ssh: ${r.error}`,
      banner: bannerText(Buffer.from(banner, 'latin1')),
      ssh_ident: id.line,
      ssh_hassh: r.hassh ?? '',
      ssh_kex: k?.kex ?? [],
      ssh_host_key_type: r.negotiated !== undefined && r.reply !== undefined ? r.negotiated.hostKeyAlgorithm : '',
      ssh_host_key_sha256: r.reply?.hostKey.sha256 ?? '',
      details: JSON.stringify(details),
    },
  };
}

export const sshModule: L7Module = {
  name: 'ssh',
  defaultPorts: SSH_DEFAULT_PORTS,
  async probe(target: ProbeTarget, ctx: ProbeContext): Promise<ModuleResult> {
    const c = await tryConnect(target, ctx, 'ssh');
    if (!('sock' in c)) {
      return { identified: false, finding: { ip: target.ip, port: target.port, transport: target.transport, service: 'unknown', status: c.status, error: `ssh: connect: ${c.error}` } };
    }
    const r = await runSshSession(c.sock, { readTimeoutMs: ctx.readTimeoutMs, signal: ctx.signal });
    return sshFinding(target, r);
  },
};

export default sshModule;
