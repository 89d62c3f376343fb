import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseText } from './testing/parse-text.js';
import { ed25519Blob, zgrab2Banner, zgrab2Failure, zgrab2Http, zgrab2Imaps, zgrab2Ssh, zgrab2TlsLog } from './testing/samples.js';

describe('ZGrab2', () => {
  it('maps the http module: status, headers (names back to dashes), title, body hash, Server, WWW-Authenticate', () => {
    const { rows, collector } = parseText('zgrab2', `${zgrab2Http('192.0.2.1', { status: 401 })}\n`);
    expect(collector.problems).toEqual([]);
    expect(rows).toHaveLength(1);
    const r = rows[0];
    expect(r).toMatchObject({
      ip: '192.0.2.1', port: 80, transport: 'tcp', service: 'http', source: 'zgrab2', status: 'open', http_status: 401, http_title: 'Router Login',
      http_server: 'lighttpd/1.4.59', http_www_authenticate: 'Basic realm="admin"', login_prompt: 1, banner: 'HTTP/1.1 401 OK',
      time: Date.parse('2023-11-14T22:13:20.123Z'),
    });
    expect(r?.http_headers).toEqual({ server: 'lighttpd/1.4.59', 'content-type': 'text/html', 'www-authenticate': 'Basic realm="admin"', 'x-frame-options': 'DENY' });
    const body = '<html><head><title>Router Login</title></head><body>hi</body></html>';
    expect(r?.http_body_sha256).toBe(createHash('sha256').update(body).digest('hex'));
  });

  it('maps https (tls_log of the request) and the tls module; http and tls on one port become one row', () => {
    const tls = JSON.stringify({ ip: '2001:db8::443', data: { tls: { status: 'success', protocol: 'tls', port: 443, result: zgrab2TlsLog(), timestamp: '2023-11-14T22:13:20Z' } } });
    const http = zgrab2Http('2001:db8::443', { port: 443, title: 'NAS' });
    const { rows } = parseText('zgrab2', `${tls}\n${http}\n${zgrab2Http('192.0.2.8', { tls: true, port: 8443 })}\n`);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      ip: '2001:db8::443', port: 443, service: 'tls', http_title: 'NAS', http_status: 200,
      tls_version: 'TLSv1.2', tls_cipher: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', tls_subject: 'CN=router.example, O=Example', tls_issuer: 'CN=router.example, O=Example',
      tls_fingerprint_sha256: 'ab'.repeat(32), tls_not_before: '2023-01-01T00:00:00Z', tls_not_after: '2033-01-01T00:00:00Z',
      tls_sans: ['router.example', 'www.router.example', '192.0.2.1'], tls_self_signed: 1, tls_chain_length: 1,
    });
    expect(rows[1]).toMatchObject({ ip: '192.0.2.8', port: 8443, service: 'https', tls_version: 'TLSv1.2' });
  });

  it('maps ssh: identification, kex list, HASSH, host key type and OpenSSH fingerprint', () => {
    const { rows } = parseText('zgrab2', zgrab2Ssh('192.0.2.22', 2222));
    const hassh = createHash('md5').update('curve25519-sha256,diffie-hellman-group14-sha256;chacha20-poly1305@openssh.com,aes256-gcm@openssh.com;hmac-sha2-256;none,zlib@openssh.com').digest('hex');
    expect(rows[0]).toMatchObject({
      port: 2222, service: 'ssh', ssh_ident: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3', ssh_kex: ['curve25519-sha256', 'diffie-hellman-group14-sha256'],
      ssh_hassh: hassh, ssh_host_key_type: 'ssh-ed25519', ssh_host_key_sha256: ed25519Blob(7).sha256, time: Date.parse('2023-11-14T22:13:20Z'),
    });
    expect(JSON.parse(rows[0]?.details ?? '{}')).toMatchObject({ zgrab2: { ssh: { software: 'OpenSSH_9.2p1', host_key_algorithms: ['ssh-ed25519', 'rsa-sha2-512'] } } });
  });

  it('maps telnet, ftp and banner results; the port comes from the result, --port or the module default', () => {
    const noPort = JSON.stringify({ ip: '192.0.2.31', data: { ftp: { status: 'success', protocol: 'ftp', result: { banner: '220 ProFTPD Server\r\n' } } } });
    const text = [zgrab2Banner('192.0.2.30', 'telnet', 2323, '\ufffd\ufffd\x18BusyBox on router\r\nlogin: '), noPort, zgrab2Banner('192.0.2.32', 'banner', 9999, 'hello\n')].join('\n');
    const { rows } = parseText('zgrab2', text);
    expect(rows.map((r) => [r.ip, r.port, r.service, r.banner, r.login_prompt])).toEqual([
      // Go writes bytes that are not UTF-8 (telnet IAC 0xff …) as U+FFFD; controls are escaped.
      ['192.0.2.30', 2323, 'telnet', '\ufffd\ufffd\\x18BusyBox on router\\r\\nlogin: ', 1],
      ['192.0.2.31', 21, 'ftp', '220 ProFTPD Server\\r\\n', 0],
      ['192.0.2.32', 9999, 'unknown', 'hello\\n', 0],
    ]);
    expect(parseText('zgrab2', noPort, { port: 2121 }).rows[0]?.port).toBe(2121);
  });

  it('keeps an open port whose protocol failed, skips timeouts and refused connections', () => {
    const mk = (status: string, error?: string): string => JSON.stringify({ ip: '192.0.2.40', data: { http: { status, protocol: 'http', port: 80, error, timestamp: '2023-11-14T22:13:20Z' } } });
    const { rows, collector } = parseText('zgrab2', [mk('protocol-error', 'malformed HTTP response'), mk('connection-timeout'), mk('connection-refused')].join('\n'));
    expect(rows.map((r) => [r.status, r.service, r.error])).toEqual([['open', 'unknown', 'http: protocol-error: malformed HTTP response']]);
    expect(collector.skipped).toEqual({ 'zgrab2 connection-timeout': 1, 'closed port': 1 });
  });

  it('reads every status of status.go: a TCP connection made is an open port, a failed dial or a scanner panic is not', () => {
    // TryGetScanStatus: dial errors → connection-timeout; read/write errors and EOF (the connection
    // was made) → io-timeout; connection-closed, handshake-error and post-tls-application-error
    // come after the connection too. A panic in a scanner is recorded as unknown-error "panic: …".
    const mk = (n: number, status: string, module = 'http', error?: string): string =>
      JSON.stringify({ ip: `192.0.2.${n}`, data: { [module]: { status, protocol: module, port: module === 'ntp' ? 123 : 6379, ...(error ? { error } : {}), timestamp: '2023-11-14T22:13:20Z' } } });
    const text = [
      mk(1, 'io-timeout', 'redis', 'read tcp 198.51.100.7:40000->192.0.2.1:6379: i/o timeout'),
      mk(2, 'connection-closed', 'redis'),
      mk(3, 'handshake-error', 'redis', 'remote error: tls: handshake failure'),
      mk(4, 'post-tls-application-error', 'redis'),
      mk(5, 'connection-timeout', 'redis', 'dial tcp 192.0.2.5:6379: i/o timeout'),
      mk(6, 'unknown-error', 'redis', 'panic: runtime error: index out of range [3] with length 3'),
      mk(7, 'blocklisted-target', 'redis'),
      mk(8, 'io-timeout', 'ntp', 'read udp 198.51.100.7:40000->192.0.2.8:123: i/o timeout'),
      mk(9, 'invalid-inputs', 'redis'),
    ].join('\n');
    const { rows, collector } = parseText('zgrab2', text);
    expect(collector.problems).toEqual([]);
    expect(rows.map((r) => [r.ip, r.status, r.transport, r.error])).toEqual([
      ['192.0.2.1', 'open', 'tcp', 'redis: io-timeout: read tcp 198.51.100.7:40000->192.0.2.1:6379: i/o timeout'],
      ['192.0.2.2', 'open', 'tcp', 'redis: connection-closed'],
      ['192.0.2.3', 'open', 'tcp', 'redis: handshake-error: remote error: tls: handshake failure'],
      ['192.0.2.4', 'open', 'tcp', 'redis: post-tls-application-error'],
    ]);
    expect(collector.skipped).toEqual({
      'zgrab2 connection-timeout': 1, 'zgrab2 unknown-error (scanner panic)': 1, 'zgrab2 blocklisted-target': 1, 'zgrab2 io-timeout (udp: no answer)': 1, 'zgrab2 invalid-inputs': 1,
    });
  });

  it('decides reachability from the status and the error: dial failures recorded as unknown-error are not open ports (http, imap over TLS)', () => {
    // As the modules write them (modules/http/scanner.go, ftp, mqtt, pptp: "error opening connection
    // to target", amqp091, fox, memcached: "unable to dial target", ntp, oracle: "could not connect to
    // target"); TryGetScanStatus calls every dial error connection-timeout, a refused one too.
    const text = [
      zgrab2Http('192.0.2.70', { status: 200, title: 'Router' }),
      zgrab2Failure('192.0.2.71', 'http', 'unknown-error', 'unable to dial target (192.0.2.71:80) with L4 Dialer: dial tcp 192.0.2.71:80: i/o timeout'),
      zgrab2Failure('192.0.2.72', 'http', 'connection-timeout', 'dial tcp 192.0.2.72:80: i/o timeout'),
      zgrab2Failure('192.0.2.73', 'http', 'unknown-error', 'unable to dial target (192.0.2.73:80) with L4 Dialer: dial tcp 192.0.2.73:80: connect: connection refused'),
      zgrab2Failure('192.0.2.74', 'http', 'connection-timeout', 'dial tcp 192.0.2.74:80: connect: connection refused'),
      zgrab2Failure('192.0.2.75', 'http', 'unknown-error', 'error populating response body after 0 bytes: read tcp 198.51.100.7:40000->192.0.2.75:80: read: connection reset by peer'),
      zgrab2Failure('192.0.2.76', 'http', 'application-error', 'stopped after 0 redirects'),
      zgrab2Imaps('192.0.2.80'),
      zgrab2Failure('192.0.2.81', 'imap', 'unknown-error', 'error opening connection to target 192.0.2.81:993: dial tcp 192.0.2.81:993: connect: no route to host'),
      zgrab2Failure('192.0.2.82', 'imap', 'io-timeout', 'EOF', { tls: zgrab2TlsLog() }),
      zgrab2Failure('192.0.2.83', 'imap', 'unknown-error', 'could not connect to target 192.0.2.83:993: dial tcp 192.0.2.83:993: connect: network is unreachable'),
      zgrab2Failure('192.0.2.84', 'imap', 'handshake-error', 'failed to dial target 192.0.2.84:993: dial context failed: context deadline exceeded'),
      zgrab2Failure('192.0.2.85', 'imap', 'unknown-error', 'remote error: tls: handshake failure'),
    ].join('\n');
    const { rows, collector } = parseText('zgrab2', text);
    expect(collector.problems).toEqual([]);
    expect(rows.map((r) => [r.ip, r.port, r.status, r.service])).toEqual([
      ['192.0.2.70', 80, 'open', 'http'],
      ['192.0.2.75', 80, 'open', 'unknown'],
      ['192.0.2.76', 80, 'open', 'unknown'],
      // imaps: TLS and no STARTTLS in the result, so 993 rather than imap's 143.
      ['192.0.2.80', 993, 'open', 'imap'],
      ['192.0.2.82', 993, 'open', 'imap'],
      ['192.0.2.85', 143, 'open', 'unknown'],
    ]);
    expect(rows[3]).toMatchObject({ banner: expect.stringMatching(/^\* OK \[CAPABILITY IMAP4rev1/), tls_version: 'TLSv1.2' });
    expect(collector.skipped).toEqual({
      'zgrab2 unknown-error (target not reached: the dial failed)': 3, 'zgrab2 connection-timeout': 1, 'zgrab2 handshake-error (target not reached: the dial failed)': 1, 'closed port': 2,
    });
    // --include-closed keeps the refused ones as closed.
    const closed = parseText('zgrab2', text, { includeClosed: true }).rows.filter((r) => r.status === 'closed').map((r) => r.ip);
    expect(closed).toEqual(['192.0.2.73', '192.0.2.74']);
  });

  it('skips grabs that carry no results (a domain that did not resolve, no scan for the tag) without calling them malformed', () => {
    const text = ['{"domain":"gone.example","error":"could not resolve domain gone.example: lookup gone.example: no such host"}', '{"ip":"192.0.2.50"}', '{"ip":"192.0.2.51","port":8080,"domain":"a.example"}'].join('\n');
    const { rows, collector } = parseText('zgrab2', text);
    expect(rows).toEqual([]);
    expect(collector.problems).toEqual([]);
    expect(collector.records).toBe(3);
    expect(collector.skipped).toEqual({ 'grab error': 1, 'grab without results': 2 });
  });

  it('keeps what the target itself answered when redirects were followed to another host or port', () => {
    // --max-redirects: `response` is the last response, `redirect_response_chain` the ones before it.
    const resp = (code: number, scheme: string, host: string, title: string, server: string): Record<string, unknown> => ({
      status_line: `${code} X`, status_code: code, protocol: 'HTTP/1.1', headers: { server: [server] },
      body: `<title>${title}</title>`, request: { url: { scheme, host, path: '/' }, method: 'GET' },
    });
    const grab = (ip: string, final: Record<string, unknown>, chain: Record<string, unknown>[]): string =>
      JSON.stringify({ ip, data: { http: { status: 'success', protocol: 'http', port: 80, result: { response: final, redirect_response_chain: chain }, timestamp: '2023-11-14T22:13:20Z' } } });
    const away = grab('192.0.2.60', resp(200, 'https', 'www.example.com', 'Example Corp', 'nginx'), [resp(301, 'http', '192.0.2.60', 'Moved', 'mini_httpd/1.19')]);
    const otherPort = grab('192.0.2.61', resp(200, 'https', '192.0.2.61', 'Secure', 'nginx'), [resp(302, 'http', '192.0.2.61', '', 'lighttpd')]);
    const same = grab('192.0.2.62', resp(200, 'http', '192.0.2.62:80', 'Router Login', 'lighttpd'), [resp(302, 'http', '192.0.2.62', '', 'lighttpd')]);
    const { rows } = parseText('zgrab2', [away, otherPort, same].join('\n'));
    expect(rows.map((r) => [r.ip, r.http_status, r.http_title, r.http_server])).toEqual([
      ['192.0.2.60', 301, 'Moved', 'mini_httpd/1.19'],
      ['192.0.2.61', 302, '', 'lighttpd'],
      ['192.0.2.62', 200, 'Router Login', 'lighttpd'],
    ]);
    expect(JSON.parse(rows[0]?.details ?? '{}')).toMatchObject({ zgrab2: { http: { redirected_to: 'https://www.example.com/' } } });
  });

  it('reports malformed lines with their numbers and keeps the rest', () => {
    const text = [zgrab2Banner('192.0.2.1', 'ftp', 21, '220'), '{"ip": "192.0.2.2", "data": {"ftp": ', '{"domain": "example.com", "data": {}}', '[1,2]', JSON.stringify({ ip: '192.0.2.3', data: { ftp: { status: 'success', port: 70000 } } }), zgrab2Banner('192.0.2.4', 'ftp', 21, '220')].join('\n');
    const { rows, collector } = parseText('zgrab2', text);
    expect(rows.map((r) => r.ip)).toEqual(['192.0.2.1', '192.0.2.4']);
    expect(collector.problems.map((p) => p.line)).toEqual([2, 3, 4, 5]);
    expect(collector.problems[0]?.message).toMatch(/^not JSON/);
    expect(collector.problems[1]?.message).toMatch(/^no ip \(domain "example.com"\)/);
    expect(collector.problems[3]?.message).toMatch(/port is not a port number: 70000/);
  });
});
