import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, remotePolicy, TAXII_MEDIA_TYPE, type RemoteAccess } from './remote.js';

/** A loopback TAXII remote whose discovery names the API root `apiRoot()` says. */
let server: Server;
let base: string;
let apiRoot = (): string => `${base}/api/`;
const hosts: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hosts.push(req.headers.host ?? '');
    res.setHeader('content-type', TAXII_MEDIA_TYPE);
    if (req.url === '/taxii2/') res.end(JSON.stringify({ title: 't', api_roots: [apiRoot()], default: apiRoot() }));
    else if (req.url === '/api/') res.end(JSON.stringify({ title: 'root', versions: [TAXII_MEDIA_TYPE], max_content_length: 1000 }));
    else res.writeHead(404).end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const none = (allow: readonly string[], resolve?: (h: string) => Promise<{ address: string; family: number }[]>): RemoteAccess => ({
  auth: { kind: 'none' }, policy: resolve ? { ...remotePolicy(allow), resolve } : remotePolicy(allow),
});

describe('the TAXII client connects only where the outbound policy lets it (as webhooks)', () => {
  it('refuses a loopback remote unless share.remoteAllow allows the range', async () => {
    await expect(connect(`${base}/taxii2/`, none([]))).rejects.toThrow(/refused by policy: 127\.0\.0\.1 is a loopback address; a platform admin can allow a range with share\.remoteAllow/);
    const r = await connect(`${base}/taxii2/`, none(['127.0.0.1/32']));
    expect(r.apiRoot).toBe(`${base}/api/`);
    expect(r.maxContentLength).toBe(1000);
  });

  it('checks the API root the discovery answer names: an allowed remote cannot lead to the metadata service', async () => {
    apiRoot = () => 'http://169.254.169.254/latest/';
    try {
      await expect(connect(`${base}/taxii2/`, none(['127.0.0.1/32', '169.254.0.0/16']))).rejects.toThrow(/169\.254\.169\.254 is a cloud metadata address/);
    } finally {
      apiRoot = () => `${base}/api/`;
    }
  });

  it('refuses a name that resolves inside, and connects to the checked address when allowed (no second lookup)', async () => {
    const port = new URL(base).port;
    const toLoopback = async (): Promise<{ address: string; family: number }[]> => [{ address: '127.0.0.1', family: 4 }];
    await expect(connect(`http://taxii.example:${port}/api/`, none([], toLoopback))).rejects.toThrow(/taxii\.example resolves to a loopback address/);
    hosts.length = 0;
    const r = await connect(`http://taxii.example:${port}/api/`, none(['127.0.0.1/32'], toLoopback));
    expect(r.apiRoot).toBe(`http://taxii.example:${port}/api/`);
    expect(hosts, 'the name went in Host, the connection to the checked address').toEqual([`taxii.example:${port}`]);
  });

  it('refuses what is not http(s)', async () => {
    await expect(connect('file:///etc/passwd', none(['127.0.0.1/32']))).rejects.toThrow(/refused by policy: not an http or https URL/);
  });
});
