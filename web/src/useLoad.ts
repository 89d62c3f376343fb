import { useEffect, useState } from 'react';

export type Load<T> = { state: 'loading' } | { state: 'done'; data: T } | { state: 'error'; error: Error };

/** Loads data for the current key; a newer key wins over a slower older answer. */
export function useLoad<T>(key: string, fn: () => Promise<T>): Load<T> {
  const [s, setS] = useState<Load<T>>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    setS({ state: 'loading' });
    fn().then(
      (data) => { if (live) setS({ state: 'done', data }); },
      (error: unknown) => { if (live) setS({ state: 'error', error: error instanceof Error ? error : new Error(String(error)) }); },
    );
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return s;
}
