import { describe, expect, it } from 'vitest';
import { cachedPrincipal, forgetPrincipals } from './principal-cache.js';
import type { Principal } from './principal.js';

const alice: Principal = { userId: 'u1', username: 'alice', role: 'analyst', orgId: null, via: 'api-key', scopes: ['read'], keyId: 'k1', keyExpiresAt: null };

describe('principal cache', () => {
  it('looks a credential up once for a burst, and again after forgetting or a second', async () => {
    forgetPrincipals();
    let loads = 0;
    const load = async (): Promise<Principal> => { loads++; await new Promise((r) => setTimeout(r, 20)); return alice; };
    const burst = await Promise.all(Array.from({ length: 200 }, () => cachedPrincipal('key', 'sk_a', load, 1_000)));
    expect(burst.every((p) => p === alice)).toBe(true);
    expect(loads).toBe(1);
    await cachedPrincipal('session', 'sk_a', load, 1_000); // another kind, another entry
    expect(loads).toBe(2);
    forgetPrincipals();
    await cachedPrincipal('key', 'sk_a', load, 1_000);
    expect(loads).toBe(3);
    await cachedPrincipal('key', 'sk_a', load, 2_001);
    expect(loads).toBe(4);
  });

  it('never answers for a key past its expiry, nor remembers a failed lookup', async () => {
    forgetPrincipals();
    const gone = { ...alice, keyExpiresAt: new Date(Date.now() - 1) };
    await cachedPrincipal('key', 'sk_b', async () => gone, Date.now());
    expect(await cachedPrincipal('key', 'sk_b', async () => gone, Date.now())).toBeUndefined();
    let loads = 0;
    const failing = async (): Promise<Principal> => { loads++; throw new Error('store down'); };
    await expect(cachedPrincipal('key', 'sk_c', failing)).rejects.toThrow('store down');
    await new Promise((r) => setTimeout(r, 0));
    await expect(cachedPrincipal('key', 'sk_c', failing)).rejects.toThrow('store down');
    expect(loads).toBe(2);
  });
});
