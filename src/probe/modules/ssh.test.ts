import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loopbackContext } from '../testing/loopback-context.js';
import { FAKE_KEXINIT, ed25519Blob, fakeSshHandler, kexReply, startFakeServer, x25519Public } from '../ssh/testing/fake-ssh-server.js';
import { encodePacket } from '../ssh/packet.js';
import { encString } from '../ssh/wire.js';
import { sshModule } from './ssh.js';
import { peerFaultCases } from '../testing/peer-faults.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => { for (const c of closers.splice(0)) await c(); });

async function serve(handler: Parameters<typeof startFakeServer>[0]): Promise<number> {
  const s = await startFakeServer(handler);
  closers.push(s.close);
  return s.port;
}

const probe = (port: number, readTimeoutMs = 1000) =>
  sshModule.probe({ ip: '127.0.0.1', port, transport: 'tcp' }, loopbackContext({ readTimeoutMs }));

describe('ssh module against scripted servers', () => {
  peerFaultCases(sshModule);

  it('reads ident, KEXINIT and the host key; fingerprint matches ssh-keygen -lf', async () => {
    const blob = ed25519Blob();
    const port = await serve(fakeSshHandler({ reply: () => kexReply(blob) }));
    const r = await probe(port);
    // The scripted reply carries a dummy signature: fields are filled, the check reports it.
    expect(r.finding.error).toMatch(/does not verify/);
    expect(r.identified).toBe(true);
    expect(r.finding.ssh_ident).toBe('SSH-2.0-FakeSSH_1.0 test');
    expect(r.finding.ssh_kex).toEqual(FAKE_KEXINIT.kex);
    expect(r.finding.ssh_host_key_type).toBe('ssh-ed25519');
    const dir = mkdtempSync(join(tmpdir(), 'sakimori-sshkey-'));
    try {
      writeFileSync(join(dir, 'k.pub'), `ssh-ed25519 ${blob.toString('base64')} test\n`);
      const out = execFileSync('ssh-keygen', ['-lf', join(dir, 'k.pub')]).toString();
      expect(out.split(' ')[1]).toBe(r.finding.ssh_host_key_sha256);
    } finally { rmSync(dir, { recursive: true, force: true }); }
    expect(JSON.parse(r.finding.details ?? '{}')).toMatchObject({ product: 'FakeSSH', version: '1.0', comments: 'test', kex_used: 'curve25519-sha256', host_key_bits: 256 });
  });

  it('checks the signature over the exchange hash: genuine verifies, corrupted is an error', async () => {
    const good = await probe(await serve(fakeSshHandler()));
    expect(good.finding.error).toBe('');
    expect(JSON.parse(good.finding.details ?? '{}')).toMatchObject({ signature_verified: true });
    const bad = await probe(await serve(fakeSshHandler({ badSignature: true })));
    expect(bad.identified).toBe(true);
    expect(bad.finding.status).toBe('error');
    expect(bad.finding.error).toMatch(/does not verify/);
    expect(bad.finding.ssh_host_key_sha256).toMatch(/^SHA256:/);
  });

  it('garbage: not identified, error recorded, no crash', async () => {
    const port = await serve((s) => { s.write(Buffer.from([0x00, 0xff, 0x13, 0x37, 0x80, 0x01, 0x02, 0x03])); });
    const r = await probe(port);
    expect(r.identified).toBe(false);
    expect(r.finding.status).toBe('error');
    expect(r.finding.error).toMatch(/not SSH: binary data/);
    expect(r.finding.banner).toBe('\\x00\\xff\\x137\\x80\\x01\\x02\\x03');
  });

  it('an HTTP server answering our identification is not SSH', async () => {
    const port = await serve((s) => { s.once('data', () => s.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n')); });
    const r = await probe(port);
    expect(r.identified).toBe(false);
    expect(r.finding.banner).toContain('HTTP/1.1 400');
  });

  it('oversized packet: identified as SSH, error names the bound', async () => {
    const port = await serve((s) => {
      const head = Buffer.alloc(5);
      head.writeUInt32BE(1_000_000, 0);
      head.writeUInt8(4, 4);
      s.write(Buffer.concat([Buffer.from('SSH-2.0-Big_1\r\n'), head]));
    });
    const r = await probe(port);
    expect(r.identified).toBe(true);
    expect(r.finding.status).toBe('error');
    expect(r.finding.error).toMatch(/packet_length 1000000 over the 35000-byte bound/);
    expect(r.finding.ssh_ident).toBe('SSH-2.0-Big_1');
  });

  it('endless data is cut at the byte cap', async () => {
    const port = await serve((s) => { s.write('SSH-2.0-Flood_1\r\n'); const chunk = Buffer.alloc(16384, 0x41); for (let i = 0; i < 8; i++) s.write(chunk); });
    const r = await probe(port);
    expect(r.finding.status).toBe('error');
    expect(r.finding.error).toMatch(/over the 35000-byte bound|more than 65536 bytes|malformed/);
  });

  it('malformed KEX reply: wrong key type, trailing bytes, bad point', async () => {
    const rsaBlob = Buffer.concat([encString('ssh-rsa'), encString(Buffer.from([1, 0, 1])), encString(Buffer.alloc(129, 1))]);
    for (const [reply, want] of [
      [kexReply(rsaBlob), /host key of type ssh-rsa for negotiated ssh-ed25519/],
      [kexReply(ed25519Blob(), x25519Public(), Buffer.from([1, 2, 3])), /3 unexpected bytes after the signature/],
      [kexReply(ed25519Blob(), Buffer.alloc(31)), /curve25519 public value of 31 bytes/],
      [kexReply(ed25519Blob(), Buffer.alloc(32)), /curve25519 public value rejected|all zero/],
    ] as const) {
      const port = await serve(fakeSshHandler({ reply: () => reply }));
      const r = await probe(port);
      expect(r.identified).toBe(true);
      expect(r.finding.status).toBe('error');
      expect(r.finding.error).toMatch(want);
      expect(r.finding.ssh_hassh).toMatch(/^[0-9a-f]{32}$/);
      expect(r.finding.ssh_host_key_sha256).toBe('');
    }
  });

  it('server DISCONNECT and SSH-1 only servers are recorded', async () => {
    const disc = Buffer.concat([Buffer.from([1, 0, 0, 0, 2]), encString('go away'), encString('')]);
    const p1 = await serve((s) => { s.write('SSH-2.0-Grumpy\r\n'); s.write(encodePacket(disc)); });
    const r1 = await probe(p1);
    expect(r1.finding.error).toMatch(/DISCONNECT 2 go away/);
    const p2 = await serve((s) => { s.write('SSH-1.5-Old_1\n'); });
    const r2 = await probe(p2);
    expect(r2.identified).toBe(true);
    expect(r2.finding.error).toMatch(/protocol 1.5 only/);
  });

});
