import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IdentError, parseIdentLine, takeIdent } from './ident.js';
import { encodeKexInit, hasshServer, hasshServerAlgorithms, parseKexInit, type KexInit } from './kexinit.js';
import { negotiate, parseHostKey, parseKexReply, sshFingerprintSha256, startKex } from './kex.js';
import { MAX_PACKET_LENGTH, decodePacket, encodePacket } from './packet.js';
import { WireError, WireReader, encMpintUnsigned, encNameList, encString } from './wire.js';

const hex = (b: Buffer): string => b.toString('hex');

describe('RFC 4251 §5 encodings', () => {
  it('encodes mpints as in the RFC examples', () => {
    expect(hex(encMpintUnsigned(Buffer.alloc(0)))).toBe('00000000');
    expect(hex(encMpintUnsigned(Buffer.from('09a378f9b2e332a7', 'hex')))).toBe('0000000809a378f9b2e332a7');
    expect(hex(encMpintUnsigned(Buffer.from('80', 'hex')))).toBe('000000020080');
    expect(hex(encMpintUnsigned(Buffer.from('000080', 'hex')))).toBe('000000020080');
  });
  it('encodes and reads name-lists as in the RFC examples', () => {
    expect(hex(encNameList([]))).toBe('00000000');
    expect(hex(encNameList(['zlib']))).toBe('000000047a6c6962');
    expect(hex(encNameList(['zlib', 'none']))).toBe('000000097a6c69622c6e6f6e65');
    expect(new WireReader(Buffer.from('000000097a6c69622c6e6f6e65', 'hex')).nameList()).toEqual(['zlib', 'none']);
    expect(new WireReader(Buffer.from('00000000', 'hex')).nameList()).toEqual([]);
  });
  it('refuses truncated and oversized strings with the offset', () => {
    expect(() => new WireReader(Buffer.from('000000057a6c', 'hex')).string('x')).toThrow(/x length 5 exceeds the 2 bytes left at byte 0/);
    expect(() => new WireReader(Buffer.from('0000', 'hex')).uint32('n')).toThrow(WireError);
    expect(() => new WireReader(Buffer.concat([encString(Buffer.from([0x7a, 0x00]))])).nameList('kex')).toThrow(/non-printable/);
  });
});

describe('binary packet codec', () => {
  it('pads to a multiple of 8 with at least 4 bytes and decodes back', () => {
    for (let n = 0; n < 40; n++) {
      const payload = Buffer.alloc(n, 0x41);
      const pkt = encodePacket(payload);
      expect(pkt.length % 8).toBe(0);
      const pad = pkt.readUInt8(4);
      expect(pad).toBeGreaterThanOrEqual(4);
      expect(pkt.readUInt32BE(0)).toBe(pkt.length - 4);
      const d = decodePacket(pkt);
      expect(d?.used).toBe(pkt.length);
      expect(d?.payload.equals(payload)).toBe(true);
    }
  });
  it('matches a hand-made vector (payload 05 00 00 00 0c, zero padding)', () => {
    const pkt = encodePacket(Buffer.from('050000000c', 'hex'), (n) => Buffer.alloc(n));
    // 4 + 1 + 5 = 10 → 6 bytes of padding → total 16, packet_length 12.
    expect(hex(pkt)).toBe('0000000c06050000000c000000000000');
  });
  it('asks for more bytes on a partial packet and rejects bad lengths', () => {
    const pkt = encodePacket(Buffer.from('hello'));
    expect(decodePacket(pkt.subarray(0, 3))).toBeNull();
    expect(decodePacket(pkt.subarray(0, pkt.length - 1))).toBeNull();
    const big = Buffer.alloc(8);
    big.writeUInt32BE(MAX_PACKET_LENGTH + 1, 0);
    big.writeUInt8(4, 4);
    expect(() => decodePacket(big, 100)).toThrow(/35001 over the 35000-byte bound at byte 100/);
    expect(() => decodePacket(Buffer.from('0000000c0d000000', 'hex'))).toThrow(/malformed packet/);
    expect(() => decodePacket(Buffer.from('0000000c02000000', 'hex'))).toThrow(/malformed packet/);
  });
});

const SAMPLE: Omit<KexInit, 'cookie'> = {
  kex: ['curve25519-sha256', 'ecdh-sha2-nistp256', 'diffie-hellman-group14-sha256'],
  hostKey: ['rsa-sha2-512', 'ssh-ed25519'],
  ciphersC2s: ['aes128-ctr'], ciphersS2c: ['chacha20-poly1305@openssh.com', 'aes256-gcm@openssh.com'],
  macsC2s: ['hmac-sha2-256'], macsS2c: ['umac-64-etm@openssh.com', 'hmac-sha2-256'],
  compressionC2s: ['none'], compressionS2c: ['none', 'zlib@openssh.com'],
  languagesC2s: [], languagesS2c: [], firstKexFollows: false,
};

describe('KEXINIT and hassh-server', () => {
  it('round-trips and hashes kex;ciphers_s2c;macs_s2c;compression_s2c', () => {
    const payload = encodeKexInit({ ...SAMPLE, cookie: Buffer.alloc(16, 7) });
    const k = parseKexInit(payload);
    expect(k).toMatchObject(SAMPLE);
    const byHand = 'curve25519-sha256,ecdh-sha2-nistp256,diffie-hellman-group14-sha256;'
      + 'chacha20-poly1305@openssh.com,aes256-gcm@openssh.com;umac-64-etm@openssh.com,hmac-sha2-256;none,zlib@openssh.com';
    expect(hasshServerAlgorithms(k)).toBe(byHand);
    expect(hasshServer(k)).toBe(createHash('md5').update(byHand, 'latin1').digest('hex'));
    expect(hasshServer(k)).toMatch(/^[0-9a-f]{32}$/);
  });
  it('reads the fields at the right offsets (hand-built bytes)', () => {
    const lists = ['a', 'b', 'c1', 'c2', 'm1', 'm2', 'z1', 'z2', '', ''];
    const bytes = Buffer.concat([Buffer.from([20]), Buffer.alloc(16), ...lists.map((l) => encString(l)), Buffer.from([1, 0, 0, 0, 0])]);
    const k = parseKexInit(bytes);
    expect([k.kex, k.ciphersS2c, k.macsS2c, k.compressionS2c]).toEqual([['a'], ['c2'], ['m2'], ['z2']]);
    expect(k.firstKexFollows).toBe(true);
    expect(() => parseKexInit(bytes.subarray(0, bytes.length - 2))).toThrow(/truncated reserved/);
  });
});

describe('identification line', () => {
  it('splits software and version', () => {
    const id = parseIdentLine('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3');
    expect(id).toMatchObject({ protoVersion: '2.0', softwareVersion: 'OpenSSH_9.2p1', product: 'OpenSSH', version: '9.2p1', comments: 'Debian-2+deb12u3' });
    expect(parseIdentLine('SSH-2.0-dropbear_2022.83')).toMatchObject({ product: 'dropbear', version: '2022.83', comments: '' });
    expect(parseIdentLine('SSH-1.99-Cisco-1.25')).toMatchObject({ protoVersion: '1.99', product: 'Cisco-1.25', version: '' });
  });
  it('accepts lines before it and a bare LF, and waits for the end of line', () => {
    const b = Buffer.from('Welcome\r\nauthorised use only\nSSH-2.0-X_1\nrest');
    const r = takeIdent(b);
    expect(r?.value.line).toBe('SSH-2.0-X_1');
    expect(r?.value.preamble).toEqual(['Welcome', 'authorised use only']);
    expect(b.subarray(r?.used).toString()).toBe('rest');
    expect(takeIdent(Buffer.from('SSH-2.0-Open'))).toBeNull();
  });
  it('lines before it in UTF-8 (RFC 4253 §4.2 says they SHOULD be) are text, also when cut mid-character', () => {
    const b = Buffer.from('Welcome — 監視カメラ NVR, authorised use only\r\nSSH-2.0-dropbear_2019.78\r\n', 'utf8');
    for (let n = 1; n < b.length; n++) expect(takeIdent(b.subarray(0, n))).toBeNull();
    const r = takeIdent(b);
    expect(r?.value).toMatchObject({ product: 'dropbear', version: '2019.78', preamble: ['Welcome — 監視カメラ NVR, authorised use only'] });
    // Not UTF-8 (a TLS record, 0xff bytes): still binary.
    expect(() => takeIdent(Buffer.from([0xff, 0xfe, 0x41, 0x42, 0x0a]))).toThrow(/binary/);
  });
  it('rejects binary, endless text and over-long identification lines', () => {
    expect(() => takeIdent(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x10]))).toThrow(IdentError);
    expect(() => takeIdent(Buffer.from(`${'x'.repeat(100)}\n`.repeat(100)))).toThrow(/no SSH identification/);
    expect(() => takeIdent(Buffer.from(`SSH-2.0-${'a'.repeat(300)}`))).toThrow(/longer than 255/);
  });
});

describe('host key blobs', () => {
  it('fingerprints as ssh-keygen (unpadded base64 SHA-256) and sizes RSA keys', () => {
    const n = Buffer.concat([Buffer.from([0x00, 0xc0]), Buffer.alloc(255, 1)]); // 2048-bit modulus
    const blob = Buffer.concat([encString('ssh-rsa'), encString(Buffer.from([1, 0, 1])), encString(n)]);
    const info = parseHostKey(blob);
    expect(info.blobType).toBe('ssh-rsa');
    expect(info.bits).toBe(2048);
    const b64 = createHash('sha256').update(blob).digest('base64');
    expect(info.sha256).toBe(`SHA256:${b64.replace(/=+$/, '')}`);
    expect(sshFingerprintSha256(blob)).not.toContain('=');
    expect(info.md5).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
  });
});

/** Fixed-seed PRNG (mulberry32) so failures repeat. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('fuzz: corrupted identification + KEXINIT never crash', () => {
  it('only ever throws our own parse errors', () => {
    const good = Buffer.concat([Buffer.from('SSH-2.0-OpenSSH_9.2p1\r\n'), encodePacket(encodeKexInit(SAMPLE))]);
    const rand = rng(20261122);
    for (let i = 0; i < 3000; i++) {
      const b = Buffer.from(good);
      const flips = 1 + Math.floor(rand() * 6);
      for (let j = 0; j < flips; j++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
      const cut = b.subarray(0, Math.floor(rand() * (b.length + 1)));
      try {
        const id = takeIdent(cut);
        if (id === null) continue;
        const p = decodePacket(cut.subarray(id.used), id.used);
        if (p === null) continue;
        parseKexInit(p.payload);
      } catch (e) {
        expect(e instanceof WireError || e instanceof IdentError, String(e)).toBe(true);
      }
    }
  });
});

describe('fuzz: corrupted KEX replies never crash', () => {
  it('only throws Errors with a message, never hangs', () => {
    const server = parseKexInit(encodeKexInit(SAMPLE));
    const n = negotiate(server);
    if ('error' in n) throw new Error(n.error);
    const state = startKex(n.kex);
    const key = Buffer.concat([encString('ssh-ed25519'), encString(Buffer.alloc(32, 5))]);
    const good = Buffer.concat([Buffer.from([31]), encString(key), encString(startKex('curve25519-sha256').initPayload.subarray(5)),
      encString(Buffer.concat([encString('ssh-ed25519'), encString(Buffer.alloc(64, 1))]))]);
    expect(parseKexReply(good, state, { kex: n.kex, hostKeyAlgorithm: 'ssh-ed25519' }).hostKey.blobType).toBe('ssh-ed25519');
    const rand = rng(4253);
    for (let i = 0; i < 2000; i++) {
      const b = Buffer.from(good);
      for (let j = 0; j < 1 + Math.floor(rand() * 4); j++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
      try {
        parseKexReply(b.subarray(0, Math.floor(rand() * (b.length + 1))), state, { kex: n.kex, hostKeyAlgorithm: 'ssh-ed25519' });
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
        expect((e as Error).message.length).toBeGreaterThan(0);
      }
    }
  });
});
