import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { ApiError, AUTH_REQUIRED_EVENT, authApi, type Me } from './api.js';

/**
 * Who is signed in. `open`: the server needs no sign-in (no users yet, or auth off). When any API
 * call answers AUTH_REQUIRED (first visit, or the session ran out) the console shows the
 * sign-in form instead of the page, and returns to the page after signing in.
 */
export type AuthState =
  | { state: 'checking' }
  | { state: 'open' }
  | { state: 'signed-in'; me: Extract<Me, { open: false }> }
  | { state: 'signed-out'; error?: string };

interface AuthCtx {
  auth: AuthState;
  signIn: (username: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const Ctx = createContext<AuthCtx | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [auth, setAuth] = useState<AuthState>({ state: 'checking' });
  const check = useCallback(async () => {
    try {
      const me = await authApi.me();
      setAuth(me.open ? { state: 'open' } : { state: 'signed-in', me });
    } catch (e) {
      setAuth(e instanceof ApiError && (e.code === 'AUTH_REQUIRED' || e.code === 'AUTH_FAILED') ? { state: 'signed-out' } : { state: 'open' });
    }
  }, []);
  useEffect(() => {
    void check();
    const onRequired = (): void => setAuth({ state: 'signed-out' });
    window.addEventListener(AUTH_REQUIRED_EVENT, onRequired);
    return () => window.removeEventListener(AUTH_REQUIRED_EVENT, onRequired);
  }, [check]);
  const signIn = useCallback(async (username: string, password: string) => {
    try {
      await authApi.login(username, password);
      await check();
    } catch (e) {
      setAuth({ state: 'signed-out', error: e instanceof ApiError ? e.code : 'NETWORK' });
    }
  }, [check]);
  const signOut = useCallback(async () => {
    await authApi.logout().catch(() => undefined);
    setAuth({ state: 'signed-out' });
  }, []);
  return <Ctx.Provider value={{ auth, signIn, signOut }}>{children}</Ctx.Provider>;
}

export function useAuth(): AuthCtx {
  const c = useContext(Ctx);
  if (!c) throw new Error('useAuth outside AuthProvider');
  return c;
}
