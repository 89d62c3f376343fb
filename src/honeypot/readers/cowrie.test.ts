/**
 * The Cowrie reader on the real day in ../shared/data/honeypot (every line stored or counted),
 * and on vectors written from Cowrie's own event reference (docs/OUTPUT.rst) and emitters for
 * the events that day does not have.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { sharedData } from '../../../test/fixtures/shared-data.js';
import { CowrieReader } from './cowrie.js';
import { kinds, readText } from './testing/read-text.js';

const NOW = Date.UTC(2026, 11, 1);
const line = (o: Record<string, unknown>): string => JSON.stringify({ timestamp: '2026-11-30T10:00:00.000001Z', sensor: 's1', session: 'abc123', src_ip: '203.0.113.9', ...o });

describe('CowrieReader on a real Cowrie day', () => {
  const text = readFileSync(sharedData('honeypot/cowrie.json.2018-05-06'), 'utf8');
  const reader = new CowrieReader(NOW);
  const { rows, lines } = readText(reader, text);
  const skipped = Object.values(reader.counts.skipped).reduce((a, n) => a + n, 0);

  it('accounts for every line: stored or counted by reason', () => {
    expect(lines).toBe(211);
    expect(rows.length + skipped).toBe(211);
    expect(reader.counts.skipped).toEqual({ 'ignored:cowrie.log.open': 2, 'merged:cowrie.command.failed': 1 });
    expect(reader.counts.anomalies).toEqual({});
  });

  it('has the day\'s figures: 64 sessions, 2+2 logins, 4 commands (one failed: its outcome folded into the line), 2 tty logs', () => {
    expect(kinds(rows)).toEqual({ 'session.connect': 64, 'session.close': 64, 'client.version': 62, 'client.fingerprint': 8, login: 4, command: 4, tty: 2 });
    expect(new Set(rows.map((r) => r.session)).size).toBe(64);
    const logins = rows.filter((r) => r.kind === 'login');
    expect(logins.map((r) => [r.username, r.password, r.success])).toEqual([['root', 'password', 1], ['root', 'password', 1], ['miner', 'miner', 0], ['', '', 0]]);
    const commands = rows.filter((r) => r.kind === 'command');
    expect(commands.map((r) => [r.input, r.success])).toEqual([['ls', undefined], ['find /', 0], ['ls /', undefined], ['uname -a', undefined]]);
    const tty = rows.filter((r) => r.kind === 'tty');
    expect(tty.map((r) => [r.size, Math.round((r.duration ?? 0) * 1000)])).toEqual([[656, 14725], [458, 3696]]);
  });

  it('maps the connection, the SSH client and its algorithms', () => {
    const [connect, version, close] = rows;
    expect(connect).toMatchObject({ ts: '2018-05-06T17:44:05.866769Z', honeypot: 'cowrie', sensor: '920497a79896', session: '173332e506ca', kind: 'session.connect', proto: 'ssh', src: '88.223.26.58', src_port: 52577, dst: '172.17.0.3', dst_port: 2222 });
    expect(version).toMatchObject({ kind: 'client.version', client: 'SSH-2.0-OpenSSH_7.7', proto: 'ssh' });
    expect(JSON.parse(version?.detail ?? '{}').kexAlgs[0]).toBe('curve25519-sha256@libssh.org');
    expect(close).toMatchObject({ kind: 'session.close', duration: 0.07313299179077148 });
  });
});

describe('CowrieReader on the events of Cowrie\'s reference', () => {
  it('maps kex (HASSH), downloads and their failure, uploads, proxy requests and data, tty with a hash', () => {
    const sha = 'a'.repeat(64);
    const text = [
      line({ eventid: 'cowrie.session.connect', src_port: 40000, dst_ip: '192.0.2.1', dst_port: 22, protocol: 'ssh' }),
      line({ eventid: 'cowrie.client.kex', hassh: '92674389fa1e47a27ddd8d9b63ecd42b', hasshAlgorithms: 'curve25519-sha256;aes128-ctr;hmac-sha2-256;none', kexAlgs: ['curve25519-sha256'], keyAlgs: [], encCS: [], macCS: [], compCS: [], langCS: [] }),
      line({ eventid: 'cowrie.session.file_download', url: 'http://Evil.EXAMPLE:8080/bins/x.arm7', outfile: `var/lib/cowrie/downloads/${sha}`, shasum: sha.toUpperCase(), destfile: '/tmp/x', duplicate: false }),
      line({ eventid: 'cowrie.session.file_download.failed', url: '198.51.100.7/m.sh', error: 'Connection refused' }),
      line({ eventid: 'cowrie.session.file_upload', filename: 'x', outfile: sha, shasum: sha, url: '/root/x', destfile: '/root/x' }),
      line({ eventid: 'cowrie.direct-tcpip.request', dst_ip: '2001:db8::5', dst_port: 443, orig_ip: '127.0.0.1', orig_port: 0 }),
      line({ eventid: 'cowrie.direct-tcpip.data', dst_ip: 'smtp.example.com', dst_port: 25, data: "b'EHLO x\\r\\n'", id: 1 }),
      line({ eventid: 'cowrie.log.closed', ttylog: `var/lib/cowrie/tty/${sha}`, size: 100, shasum: sha, duplicate: true, duration_ms: 2500 }),
      line({ eventid: 'cowrie.command.success', input: 'busybox ECCHI' }),
      line({ eventid: 'cowrie.client.fingerprint', username: 'root', fingerprint: 'aa:bb', key: 'AAAA', type: 'ssh-rsa' }),
      line({ eventid: 'cowrie.session.closed', duration_ms: 12000 }),
    ].join('\n');
    const reader = new CowrieReader(NOW);
    const { rows } = readText(reader, text);
    expect(rows.map((r) => r.kind)).toEqual(['session.connect', 'client.fingerprint', 'download', 'download', 'upload', 'proxy', 'proxy', 'tty', 'command', 'client.fingerprint', 'session.close']);
    expect(rows[1]).toMatchObject({ fingerprint: '92674389fa1e47a27ddd8d9b63ecd42b', proto: 'ssh' });
    expect(JSON.parse(rows[1]?.detail ?? '{}')).toMatchObject({ what: 'kex', hasshAlgorithms: 'curve25519-sha256;aes128-ctr;hmac-sha2-256;none' });
    expect(rows[2]).toMatchObject({ url: 'http://Evil.EXAMPLE:8080/bins/x.arm7', url_host: 'evil.example', sha256: sha, success: 1 });
    expect(rows[3]).toMatchObject({ url: '198.51.100.7/m.sh', url_host: '198.51.100.7', success: 0 });
    expect(rows[4]?.url).toBeUndefined();
    expect(rows[4]).toMatchObject({ sha256: sha });
    expect(rows[5]).toMatchObject({ target: '[2001:db8::5]:443' });
    expect(rows[5]?.dst).toBeUndefined();
    expect(rows[6]).toMatchObject({ target: 'smtp.example.com:25' });
    expect(rows[7]).toMatchObject({ sha256: sha, size: 100, duration: 2.5 });
    expect(rows[8]).toMatchObject({ input: 'busybox ECCHI', success: 1 });
    expect(rows[9]).toMatchObject({ username: 'root', fingerprint: 'aa:bb' });
    expect(rows[10]).toMatchObject({ duration: 12 });
    expect(reader.counts.anomalies).toEqual({});
  });

  it('counts the honeypot\'s own events as ignored and ids Cowrie never emits as unknown, storing neither', () => {
    const reader = new CowrieReader(NOW);
    const { rows } = readText(reader, [
      line({ eventid: 'cowrie.virustotal.scanfile', sha256: 'x' }),
      line({ eventid: 'cowrie.session.params', arch: 'linux-x64-lsb' }),
      line({ eventid: 'cowrie.bogus.thing' }),
      line({ eventid: 'cowrie.bogus.thing' }),
      JSON.stringify({ message: 'no id' }),
    ].join('\n'));
    expect(rows).toEqual([]);
    expect(reader.counts.skipped).toEqual({ 'ignored:cowrie.virustotal.scanfile': 1, 'ignored:cowrie.session.params': 1, 'unknown-event:cowrie.bogus.thing': 2, 'eventid-missing': 1 });
    expect(reader.counts.firstLine).toMatchObject({ 'unknown-event:cowrie.bogus.thing': 3, 'eventid-missing': 5 });
  });

  it('counts bad input by reason with its first line and keeps the rest: broken JSON, bad addresses, bad times, clocks that jump, sessions never closed', () => {
    const reader = new CowrieReader(NOW);
    const { rows } = readText(reader, [
      line({ eventid: 'cowrie.session.connect', session: 's1' }),
      '{"eventid": "cowrie.login.failed", "username": "ro',
      line({ eventid: 'cowrie.login.failed', session: 's1', src_ip: '999.1.1.1' }),
      line({ eventid: 'cowrie.login.failed', session: 's1', timestamp: 'yesterday' }),
      line({ eventid: 'cowrie.login.failed', session: 's1', timestamp: '2026-11-30T09:55:00Z', username: 'a', password: 'b' }),
      line({ eventid: 'cowrie.command.input', session: 's1', timestamp: '2031-01-01T00:00:00Z', input: 'x' }),
      line({ eventid: 'cowrie.command.input', session: 's1', timestamp: '1999-01-01T00:00:00Z', input: 'y' }),
      line({ eventid: 'cowrie.session.connect', session: 's2' }),
      line({ eventid: 'cowrie.session.closed', session: 's2', duration: 1 }),
      '[1,2]',
    ].join('\n'));
    expect(rows.map((r) => r.kind)).toEqual(['session.connect', 'login', 'command', 'command', 'session.connect', 'session.close']);
    expect(reader.counts.skipped).toEqual({ 'json-invalid': 1, 'src-invalid': 1, 'timestamp-invalid': 1, 'json-not-object': 1 });
    expect(reader.counts.anomalies).toEqual({ 'clock-backwards': 2, 'clock-future': 1, 'clock-past': 1, 'session-without-close': 1 });
    expect(reader.counts.firstLine).toMatchObject({ 'json-invalid': 2, 'src-invalid': 3, 'timestamp-invalid': 4, 'clock-backwards': 5, 'clock-future': 6, 'clock-past': 7, 'session-without-close': 1, 'json-not-object': 10 });
  });
});
