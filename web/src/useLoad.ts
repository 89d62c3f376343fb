import { useCallback, useEffect, useState } from 'react';

export type Load<T> =
  | { state: 'loading' }
  | { state: 'done'; data: T }
  | { state: 'error'; error: Error };

/**
 * Loads data for the current key; a newer key aborts and wins over a slower older request.
 * `reload` asks again for the same key (the retry button of an error).
 */
export function useLoad<T>(key: string, fn: (signal: AbortSignal) => Promise<T>): Load<T> & { reload: () => void } {
  const [s, setS] = useState<{ key: string; load: Load<T> }>({ key, load: { state: 'loading' } });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const ctl = new AbortController();
    setS({ key, load: { state: 'loading' } });
    fn(ctl.signal).then(
      (data) => { if (!ctl.signal.aborted) setS({ key, load: { state: 'done', data } }); },
      (error: unknown) => {
        if (!ctl.signal.aborted) setS({ key, load: { state: 'error', error: error instanceof Error ? error : new Error(String(error)) } });
      },
    );
    return () => ctl.abort();
    // `fn` is recreated on every render; the key says when the request changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, attempt]);
  const reload = useCallback(() => setAttempt((a) => a + 1), []);
  // Until the effect for a new key has run, report loading rather than the previous key's data.
  const load: Load<T> = s.key === key ? s.load : { state: 'loading' };
  return { ...load, reload };
}
