import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { ApiError, AUTH_REQUIRED_EVENT, authApi, type Me } from './api.js';

/**
 * Who is signed in. Nothing is served anonymously: until a sign-in (the form, or the one-time
 * link `serve` prints) the console shows the sign-in form; when any API call answers
 * AUTH_REQUIRED (the session ran out) it shows the form again and returns to the page after.
 */
export type AuthState =
  | { state: 'checking' }
  | { state: 'signed-in'; me: Me }
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
      setAuth({ state: 'signed-in', me });
    } catch (e) {
      setAuth({ state: 'signed-out', ...(e instanceof ApiError && (e.code === 'AUTH_REQUIRED' || e.code === 'AUTH_FAILED') ? {} : { error: 'NETWORK' }) });
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
