import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../util/seeded-random.js';
import { authChallenges, decodeResponse, encodeOptions, header, headers } from './message.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

/** RFC 2326 §10.1's OPTIONS example response. */
const RFC_OPTIONS = 'RTSP/1.0 200 OK\r\nCSeq: 59\r\nPublic: DESCRIBE, SETUP, TEARDOWN, PLAY, PAUSE\r\n\r\n';

describe('OPTIONS request', () => {
  it('request line, CSeq and User-Agent, empty line (RFC 2326 §10.1)', () => {
    expect(encodeOptions('192.0.2.7', 554, 1).toString('latin1')).toBe('OPTIONS rtsp://192.0.2.7:554/ RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: Sakimori-Survey/1.0\r\n\r\n');
    expect(encodeOptions('2001:db8::1', 8554, 2, 'x').toString('latin1')).toBe('OPTIONS rtsp://[2001:db8::1]:8554/ RTSP/1.0\r\nCSeq: 2\r\nUser-Agent: x\r\n\r\n');
  });
});

describe('response head', () => {
  it('the RFC example', () => {
    const r = decodeResponse(b(`${RFC_OPTIONS}trailing`));
    expect(r.kind).toBe('response');
    if (r.kind !== 'response') return;
    expect(r.used).toBe(RFC_OPTIONS.length);
    expect(r.response).toMatchObject({ version: 'RTSP/1.0', status: 200, reason: 'OK', statusLine: 'RTSP/1.0 200 OK' });
    expect(header(r.response, 'cseq')).toBe('59');
    expect(header(r.response, 'PUBLIC')).toBe('DESCRIBE, SETUP, TEARDOWN, PLAY, PAUSE');
  });

  it('bare LF line ends, folded headers, several challenges, realm quoted or not', () => {
    const wire = 'RTSP/1.0 401 Unauthorized\nCSeq: 1\nWWW-Authenticate: Digest realm="IP Camera(C6496)",\n nonce="abc", stale="FALSE"\nWWW-Authenticate: Basic realm=Cam\nServer: Hipcam RealServer/V1.0\n\n';
    const r = decodeResponse(b(wire));
    if (r.kind !== 'response') throw new Error(r.kind);
    expect(r.used).toBe(wire.length);
    expect(headers(r.response, 'www-authenticate')).toEqual(['Digest realm="IP Camera(C6496)", nonce="abc", stale="FALSE"', 'Basic realm=Cam']);
    expect(authChallenges(r.response)).toEqual([{ scheme: 'Digest', realm: 'IP Camera(C6496)' }, { scheme: 'Basic', realm: 'Cam' }]);
  });

  it('several challenges in one header (RFC 7235 §4.1), a realm with a comma, escaped quotes, a challenge-like realm', () => {
    const wire = 'RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\n'
      + 'WWW-Authenticate: Digest realm="Cam, Lobby", qop="auth,auth-int", nonce="n1", algorithm=MD5-sess, Basic realm="say \\"hi\\""\r\n'
      + 'WWW-Authenticate: Basic realm="x realm=\\"y\\""\r\n\r\n';
    const r = decodeResponse(b(wire));
    if (r.kind !== 'response') throw new Error(r.kind);
    expect(authChallenges(r.response)).toEqual([{ scheme: 'Digest', realm: 'Cam, Lobby' }, { scheme: 'Basic', realm: 'say "hi"' }, { scheme: 'Basic', realm: 'x realm="y"' }]);
  });

  it('every proper prefix is incomplete', () => {
    for (let i = 0; i < RFC_OPTIONS.length; i++) expect(decodeResponse(b(RFC_OPTIONS.slice(0, i))).kind, String(i)).toBe('incomplete');
  });

  it('not RTSP: refused from the first bytes', () => {
    for (const s of ['HTTP/1.1 200 OK\r\n\r\n', 'SSH-2.0-x', '\x00\x01', 'RTSX']) expect(decodeResponse(b(s)).kind, s).toBe('malformed');
    expect(decodeResponse(b('RTSP/1.0 abc\r\n'))).toMatchObject({ kind: 'malformed', reason: expect.stringMatching(/status line/) });
    expect(decodeResponse(b('RTSP/1.0 200 OK\r\nServer: x'))).toEqual({ kind: 'incomplete' });
  });

  it('a head over the bound is refused', () => {
    const long = `RTSP/1.0 200 OK\r\nX: ${'a'.repeat(20_000)}`;
    expect(decodeResponse(b(long))).toMatchObject({ kind: 'malformed', reason: expect.stringMatching(/over 16384 bytes/) });
  });

  it('fuzz: never throws, never claims more than it has', () => {
    const rand = seededRandom(554);
    const alphabet = b('RTSP/1.0 200OK\r\n:WWW-Authenticate realm="');
    for (let i = 0; i < 20_000; i++) {
      const n = Math.floor(rand() * 80);
      const buf = Buffer.alloc(n);
      for (let j = 0; j < n; j++) buf[j] = rand() < 0.85 ? (alphabet[Math.floor(rand() * alphabet.length)] ?? 0) : Math.floor(rand() * 256);
      if (rand() < 0.5) b('RTSP/1.0 ').copy(buf);
      const r = decodeResponse(buf);
      if (r.kind === 'response') {
        expect(r.used).toBeLessThanOrEqual(n);
        authChallenges(r.response);
      }
    }
  });
});
