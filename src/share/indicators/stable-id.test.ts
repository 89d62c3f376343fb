import { describe, expect, it } from 'vitest';
import { stableId, uuidV5 } from './stable-id.js';

describe('UUIDv5 ids', () => {
  it('reproduces RFC 9562 appendix A.4 (DNS namespace, www.example.com)', () => {
    const dns = Buffer.from('6ba7b8109dad11d180b400c04fd430c8', 'hex');
    expect(uuidV5('www.example.com', dns)).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('gives the same id for the same hub, type and key, another for another', () => {
    const a = stableId('indicator', 'identity--1', '192.0.2.1');
    expect(a).toBe(stableId('indicator', 'identity--1', '192.0.2.1'));
    expect(a).toMatch(/^indicator--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(stableId('indicator', 'identity--2', '192.0.2.1')).not.toBe(a);
    expect(stableId('indicator', 'identity--1', '192.0.2.2')).not.toBe(a);
  });
});
