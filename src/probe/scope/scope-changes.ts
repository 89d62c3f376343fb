/**
 * In-process notice that scopes or exclusions changed in the state store, so that running
 * surveys of this process re-read them at once instead of at their next poll. Surveys in other
 * processes (a shared PostgreSQL) still see the change by polling (live-guard.ts).
 */
type Listener = () => void;

const listeners = new Set<Listener>();

/** Call after the change is committed: a listener re-reads the store. */
export function notifyScopeChange(): void {
  for (const l of [...listeners]) {
    try {
      l();
    } catch {
      // A listener's failure is its own (it polls anyway); the writer's change stands.
    }
  }
}

/** Returns the function that unsubscribes. */
export function onScopeChange(l: Listener): () => void {
  listeners.add(l);
  return () => { listeners.delete(l); };
}
