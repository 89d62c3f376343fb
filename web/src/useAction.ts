import { useState } from 'react';

/**
 * A change made from a page: runs it, then bumps `version` (pages put it in their load keys so
 * the lists reload); a failure is kept in `error` for the page to show. `act` resolves to
 * whether the change went through.
 */
export function useAction(): { act: (fn: () => Promise<unknown>) => Promise<boolean>; error: Error | null; version: number; reload: () => void } {
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<Error | null>(null);
  const act = async (fn: () => Promise<unknown>): Promise<boolean> => {
    setError(null);
    try {
      await fn();
      setVersion((v) => v + 1);
      return true;
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
      return false;
    }
  };
  return { act, error, version, reload: () => setVersion((v) => v + 1) };
}
