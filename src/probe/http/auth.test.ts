import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { basicAuthorization, chooseChallenge, digestAuthorization, digestResponse, isStale, parseChallenges } from './auth.js';

describe('WWW-Authenticate parsing', () => {
  it('several challenges in one value, quoted commas and escapes', () => {
    const cs = parseChallenges('Digest realm="a, b", qop="auth,auth-int", nonce="n\\"1", algorithm=SHA-256, Basic realm="x", Bearer, Negotiate YWJj==');
    expect(cs.map((c) => c.scheme)).toEqual(['digest', 'basic', 'bearer', 'negotiate']);
    expect(cs[0]?.params).toMatchObject({ realm: 'a, b', qop: 'auth,auth-int', nonce: 'n"1', algorithm: 'SHA-256' });
    expect(cs[1]?.params['realm']).toBe('x');
    expect(cs[3]?.token68).toBe('YWJj==');
  });

  it('prefers the strongest Digest we can compute, then Basic; nothing for others', () => {
    expect(chooseChallenge(parseChallenges('Basic realm="r", Digest realm="r", nonce="n"'))?.scheme).toBe('digest');
    expect(chooseChallenge(parseChallenges('Digest realm="r", nonce="n", algorithm=MD5, Digest realm="r", nonce="m", algorithm=SHA-256'))?.params['algorithm']).toBe('SHA-256');
    expect(chooseChallenge(parseChallenges('Digest realm="r", nonce="n", algorithm=SHA-1, Basic realm="r"'))?.scheme).toBe('basic');
    expect(chooseChallenge(parseChallenges('Bearer realm="api"'))).toBeNull();
    expect(chooseChallenge(parseChallenges(''))).toBeNull();
    expect(isStale(parseChallenges('Digest realm="r", nonce="n", stale=TRUE')[0] ?? { scheme: '', params: {} })).toBe(true);
  });

  it('Basic as RFC 7617 §2 shows it', () => {
    expect(basicAuthorization('Aladdin', 'open sesame')).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
  });
});

describe('Digest response vectors', () => {
  it('RFC 2617 §3.5 (MD5, qop=auth)', () => {
    const challenge = parseChallenges('Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"')[0];
    if (challenge === undefined) throw new Error('no challenge');
    const r = digestResponse({ challenge, username: 'Mufasa', password: 'Circle Of Life', method: 'GET', uri: '/dir/index.html', nc: 1, cnonce: '0a4f113b' });
    expect(r.response).toBe('6629fae49393a05397450978507c4ef1');
    expect(r.nc).toBe('00000001');
    const header = digestAuthorization({ challenge, username: 'Mufasa', password: 'Circle Of Life', method: 'GET', uri: '/dir/index.html', nc: 1, cnonce: '0a4f113b' });
    expect(header).toBe('Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", response="6629fae49393a05397450978507c4ef1", qop=auth, nc=00000001, cnonce="0a4f113b", opaque="5ccc069c403ebaf9f0171e9517f40e41"');
    expect(header).not.toContain('Circle');
  });

  it('RFC 7616 §3.9.1 (SHA-256 and MD5, qop=auth)', () => {
    const nonce = '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v';
    const opaque = 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS';
    const cnonce = 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';
    const cs = parseChallenges(`Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="${nonce}", opaque="${opaque}", Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="${nonce}", opaque="${opaque}"`);
    const input = { username: 'Mufasa', password: 'Circle of Life', method: 'GET', uri: '/dir/index.html', nc: 1, cnonce };
    const sha = chooseChallenge(cs);
    expect(sha?.params['algorithm']).toBe('SHA-256');
    if (sha === null || cs[1] === undefined) throw new Error('no challenge');
    expect(digestResponse({ ...input, challenge: sha }).response).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
    expect(digestResponse({ ...input, challenge: cs[1] }).response).toBe('8ca523f5e9506fed4657c9700eebdbec');
  });

  it('userhash (RFC 7616 §3.9.2 as corrected by erratum 4897), -sess and no qop are computed', () => {
    // §3.9.2: username "J\u00e4s\u00f8n Doe", realm "api@example.org", SHA-512-256, userhash=true. The RFC's printed
    // hashes are wrong (erratum 4897); the erratum's userhash is checked, the response only for its form.
    const c = parseChallenges('Digest realm="api@example.org", qop="auth", algorithm=SHA-512-256, nonce="5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK", opaque="HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS", charset=UTF-8, userhash=true')[0];
    if (c === undefined) throw new Error('no challenge');
    const r = digestResponse({ challenge: c, username: 'J\u00e4s\u00f8n Doe', password: 'Secret, or not?', method: 'GET', uri: '/doe.json', nc: 1, cnonce: 'NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v' });
    expect(r.username).toBe('793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b');
    expect(r.response).toMatch(/^[0-9a-f]{64}$/);
    const sess = parseChallenges('Digest realm="r", nonce="n", qop=auth, algorithm=MD5-sess')[0];
    if (sess === undefined) throw new Error('no challenge');
    const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
    const ha1 = md5(`${md5('u:r:p')}:n:c`);
    expect(digestResponse({ challenge: sess, username: 'u', password: 'p', method: 'GET', uri: '/', nc: 2, cnonce: 'c' }).response)
      .toBe(md5(`${ha1}:n:00000002:c:auth:${md5('GET:/')}`));
    const legacy = parseChallenges('Digest realm="r", nonce="n"')[0];
    if (legacy === undefined) throw new Error('no challenge');
    const l = digestResponse({ challenge: legacy, username: 'u', password: 'p', method: 'GET', uri: '/', nc: 1, cnonce: 'c' });
    expect(l.qop).toBeUndefined();
    expect(l.response).toBe(md5(`${md5('u:r:p')}:n:${md5('GET:/')}`));
  });
});
