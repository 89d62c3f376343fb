import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../util/seeded-random.js';
import { decodeEntities, decodeHtml, titleOf } from './html.js';
import { parseHttpResponse, type HttpResponse } from './response.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

function done(buf: Buffer | string, eof = true, cut = false): HttpResponse {
  const p = parseHttpResponse(typeof buf === 'string' ? b(buf) : buf, eof, { cut });
  if (p.kind !== 'response') throw new Error(`expected a response, got ${JSON.stringify(p)}`);
  return p.response;
}

describe('HTTP response parser', () => {
  it('content-length body; lower-case names; repeated headers joined; bytes after the body noted', () => {
    const r = done('HTTP/1.1 200 OK\r\nServer: lighttpd\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\nContent-Length: 5\r\n\r\nhelloXX');
    expect(r).toMatchObject({ version: 'HTTP/1.1', status: 200, reason: 'OK', framing: 'content-length', complete: true });
    expect(r.body.toString()).toBe('hello');
    expect(r.headers).toMatchObject({ server: 'lighttpd', 'set-cookie': 'a=1, b=2', 'content-length': '5' });
    expect(r.problems).toEqual(['2 byte(s) after the Content-Length body']);
    expect(parseHttpResponse(b('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel'), false).kind).toBe('more');
  });

  it('chunked with extensions and trailers; incomplete chunked waits, then is cut', () => {
    const text = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-Trailer: 1\r\n\r\n';
    const r = done(text);
    expect(r.framing).toBe('chunked');
    expect(r.body.toString()).toBe('Wikipedia in\r\n\r\nchunks.');
    expect(r.complete).toBe(true);
    for (let cut = 50; cut < text.length - 1; cut += 7) {
      expect(parseHttpResponse(b(text.slice(0, cut)), false).kind).toBe('more');
      // At eof a cut before the last chunk is incomplete; one inside the trailers is forgiven.
      expect(done(text.slice(0, cut)).complete).toBe(cut >= text.indexOf('0\r\nX-Trailer') + 3);
    }
    const bad = done('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\nzz\r\nxx');
    expect(bad.complete).toBe(false);
    expect(bad.body.toString()).toBe('Wiki');
    expect(bad.problems.join()).toMatch(/bad chunk size "zz"/);
  });

  it('no length: read to close; cut on our side is incomplete', () => {
    expect(parseHttpResponse(b('HTTP/1.0 200 OK\r\n\r\nabc'), false).kind).toBe('more');
    const r = done('HTTP/1.0 200 OK\r\n\r\nabc');
    expect(r).toMatchObject({ framing: 'close', complete: true });
    expect(r.body.toString()).toBe('abc');
    expect(done('HTTP/1.0 200 OK\r\n\r\nabc', true, true).complete).toBe(false);
  });

  it('truncated: headers cut, body cut', () => {
    const h = done('HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm="x"\r\nServ');
    expect(h).toMatchObject({ status: 401, complete: false, headers: { 'www-authenticate': 'Basic realm="x"' } });
    expect(h.problems).toContain('header section not terminated');
    const body = done('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc');
    expect(body.complete).toBe(false);
    expect(body.problems).toContain('body cut at 3 of 10 bytes');
  });

  it('garbage and silence are not HTTP; a prefix waits', () => {
    expect(parseHttpResponse(b('SSH-2.0-x\r\n'), false)).toEqual({ kind: 'not-http', error: 'response does not start with "HTTP/"' });
    expect(parseHttpResponse(Buffer.from([0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46]), false).kind).toBe('not-http');
    expect(parseHttpResponse(b('HTT'), false).kind).toBe('more');
    expect(parseHttpResponse(b(''), true)).toEqual({ kind: 'not-http', error: 'no response' });
  });

  it('odd but HTTP: bare LF, no reason, 100-continue first, obs-fold, bad header lines, 204 without body', () => {
    const r = done('\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 302\nLocation: /x\nX-Long: a\n  b\nthis is not a header\nContent-Length: 0\n\n');
    expect(r).toMatchObject({ status: 302, reason: '', interim: [100], headers: { location: '/x', 'x-long': 'a b' } });
    expect(r.problems).toContain('1 malformed header line(s) skipped');
    expect(done('HTTP/1.1 204 No Content\r\nContent-Length: 99\r\n\r\n').complete).toBe(true);
    expect(done('HTTP/1.1 OK\r\n\r\n').status).toBe(0);
  });

  it('huge header section: bounded count, kept lines, problem noted', () => {
    const lines = Array.from({ length: 500 }, (_, i) => `X-H${i}: ${'v'.repeat(100)}`).join('\r\n');
    const r = done(`HTTP/1.1 200 OK\r\n${lines}`, true, true);
    expect(r.headerLines.length).toBe(200);
    expect(r.problems.join()).toMatch(/over the 200-line bound/);
  });

  it('fuzz: random, truncated and mutated bytes never throw and never ask for more at eof', () => {
    const rnd = seededRandom(20240607);
    const seeds = [
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc',
      'HTTP/1.0 401 X\r\nWWW-Authenticate: Digest realm="a", nonce="b"\r\n\r\n',
    ].map(b);
    for (let i = 0; i < 5000; i++) {
      const seed = seeds[i % seeds.length] ?? Buffer.alloc(0);
      let buf: Buffer;
      const mode = i % 3;
      if (mode === 0) buf = Buffer.from(Array.from({ length: Math.floor(rnd() * 200) }, () => Math.floor(rnd() * 256)));
      else if (mode === 1) buf = seed.subarray(0, Math.floor(rnd() * (seed.length + 1)));
      else {
        buf = Buffer.from(seed);
        for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++) buf[Math.floor(rnd() * buf.length)] = Math.floor(rnd() * 256);
      }
      const eofOutcome = parseHttpResponse(buf, true);
      expect(eofOutcome.kind).not.toBe('more');
      parseHttpResponse(buf, false);
      parseHttpResponse(buf, true, { cut: true, headOnly: rnd() < 0.5 });
    }
  });
});

describe('HTML title and character sets', () => {
  const sjis = Buffer.from([0x83, 0x8d, 0x83, 0x4f, 0x83, 0x43, 0x83, 0x93]); // ログイン
  it('Shift_JIS from the header, EUC-JP from <meta>, UTF-8 by default', () => {
    const page = Buffer.concat([b('<html><head><title>  '), sjis, b(' &amp;\n &#x30C6;&#12473;&#x30c8; </title>')]);
    const d = decodeHtml(page, 'text/html; charset=Shift_JIS');
    expect(d).toMatchObject({ charset: 'shift_jis', from: 'header' });
    expect(titleOf(d.text)).toBe('ログイン & テスト');
    const euc = Buffer.concat([b('<meta http-equiv="Content-Type" content="text/html; charset=EUC-JP"><title>'), Buffer.from([0xc6, 0xfc, 0xcb, 0xdc]), b('</title>')]);
    expect(titleOf(decodeHtml(euc, 'text/html').text)).toBe('日本');
    expect(decodeHtml(b('<meta charset="x-sjis">'), undefined).charset).toBe('shift_jis');
    expect(decodeHtml(Buffer.from('<title>日本</title>'), undefined)).toMatchObject({ charset: 'utf-8', from: 'default' });
    expect(decodeHtml(Buffer.from([0x3c, 0xe9]), 'text/html; charset=bogus').charset).toBe('windows-1252');
  });

  it('entities, whitespace, no title, unclosed title', () => {
    expect(decodeEntities('a&lt;b&gt;&quot;&#39;&nbsp;&bogus;&#0;')).toBe('a<b>"\'\u00a0&bogus;\ufffd');
    expect(titleOf('<TITLE lang=en>\n Router\t Login \n</TITLE >')).toBe('Router Login');
    expect(titleOf('<html>no title</html>')).toBe('');
    expect(titleOf('<title>cut')).toBe('cut');
  });
});
