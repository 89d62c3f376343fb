/**
 * An API key of a platform admin, created in a data directory that no process holds, for the
 * benchmarks that talk to `sakimori serve` (every /api/v1 route needs a principal).
 */
export async function adminApiKey(dataDir: string): Promise<string> {
  const { openStores } = await import('../src/store/open-stores.js');
  const { createUser } = await import('../src/auth/users.js');
  const { createApiKey } = await import('../src/auth/api-keys.js');
  const stores = await openStores({ dataDir });
  try {
    // Opened only to add the key: a store just ingested keeps its parts unmerged for the benchmark.
    await stores.events.exec('SYSTEM STOP MERGES');
    const [user] = await stores.state.query<{ id: string }>('SELECT id FROM users WHERE username = $1', ['bench-admin']);
    if (!user) await createUser(stores.state, { username: 'bench-admin', password: 'bench password long enough', role: 'platform-admin' });
    return (await createApiKey(stores.state, 'bench-admin', `bench ${Date.now()}`, ['read'])).key;
  } finally {
    await stores.close();
  }
}
