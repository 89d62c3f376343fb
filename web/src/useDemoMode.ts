import { useEffect, useState } from 'react';
import { demoApi } from './api.js';
import { useAuth } from './auth.js';

/**
 * Whether the server runs as `sakimori demo` (its outbox is then worth a page). Asked once per
 * sign-in, and only by platform admins: the outbox is theirs, anybody else would get a 403.
 */
export function useDemoMode(): boolean {
  const { auth } = useAuth();
  const admin = auth.state === 'signed-in' && auth.me.user.role === 'platform-admin' && auth.me.scopes.includes('admin');
  const user = auth.state === 'signed-in' ? auth.me.user.username : '';
  const [demo, setDemo] = useState(false);
  useEffect(() => {
    if (!admin) {
      setDemo(false);
      return;
    }
    const ctl = new AbortController();
    demoApi.outbox(1, ctl.signal).then((o) => setDemo(o.demo), () => setDemo(false));
    return () => ctl.abort();
  }, [admin, user]);
  return demo;
}
