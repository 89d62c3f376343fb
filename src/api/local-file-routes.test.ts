/**
 * The routes that name files on the server's machine (contact imports, darknet ingests) answer the
 * data directory's owner through the socket (peer) and refuse everyone else, a platform admin's
 * full key included: nobody may make the server read its files over TCP.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { tempApp, type TempApp } from './testing/temp-app.js';
import { buildApp } from './app.js';

describe('routes naming local files', () => {
  let tcp: TempApp;
  // The same stores served as on the socket (one chDB per process): its caller is the owner.
  let peer: { dir: string; app: FastifyInstance };
  beforeAll(async () => {
    tcp = await tempApp('local-files');
    peer = { dir: tcp.dir, app: await buildApp(tcp.ctx, { peer: true }) };
  }, 120_000);
  afterAll(async () => {
    await peer.app.close();
    await tcp.dispose();
  });

  it('refuses a platform admin\'s key with admin scope', async () => {
    const csv = join(tcp.dir, 'contacts.csv');
    writeFileSync(csv, 'network,asn,email,name\n192.0.2.0/24,,noc@isp.example,ISP\n');
    const contacts = await tcp.inject({ method: 'POST', url: '/api/v1/contacts/imports', payload: { files: [csv] } });
    expect(contacts.statusCode).toBe(403);
    expect(contacts.json()).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/only the data directory's owner/) });
    const ingest = await tcp.inject({ method: 'POST', url: '/api/v1/ingest/darknet', payload: { files: [csv] } });
    expect(ingest.statusCode).toBe(403);
  });

  it('imports contacts for the socket\'s owner, from absolute paths only', async () => {
    const csv = join(peer.dir, 'contacts.csv');
    writeFileSync(csv, 'network,asn,email,name\n192.0.2.0/24,,noc@isp.example,ISP\n');
    const ok = await peer.app.inject({ method: 'POST', url: '/api/v1/contacts/imports', payload: { files: [csv], source: 'OURS' } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ source: 'OURS', format: 'csv', stored: 1, files: [csv] });
    const rel = await peer.app.inject({ method: 'POST', url: '/api/v1/contacts/imports', payload: { files: ['contacts.csv'] } });
    expect(rel.statusCode).toBe(400);
    expect(rel.json()).toMatchObject({ code: 'BAD_REQUEST', where: { field: 'files' } });
    const found = await peer.app.inject({ method: 'GET', url: '/api/v1/contacts/lookup?what=192.0.2.9' });
    expect(found.json()).toMatchObject({ email: 'noc@isp.example', source: 'OURS' });
  });

  it('answers an ingest in JSON lines ending with the result, a missing file failing in it', async () => {
    const missing = join(peer.dir, 'no-such.pcap');
    const res = await peer.app.inject({ method: 'POST', url: '/api/v1/ingest/darknet', payload: { files: [missing], sensor: 'lab' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = res.body.trim().split('\n').map((l) => JSON.parse(l) as { result?: { files: { file: string; status: string }[] } });
    expect(lines.at(-1)?.result?.files).toEqual([expect.objectContaining({ file: missing, status: 'failed' })]);
  });
});
