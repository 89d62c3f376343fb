/** Who is asking: resolved once per request from a session cookie or an API key. */
export const ROLES = ['platform-admin', 'analyst', 'org-admin', 'org-member'] as const;
export type Role = (typeof ROLES)[number];

/** What an API key may do; sessions get the scopes of their role. */
export const SCOPES = ['read', 'write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface Principal {
  userId: string;
  username: string;
  role: Role;
  /** Set for organisation members and admins: need-to-know restricts them to its constituency. */
  orgId: string | null;
  /** `peer`: the OS user owning the data directory, through the server's Unix socket. */
  via: 'session' | 'api-key' | 'peer';
  scopes: readonly Scope[];
  /** API key only: which key, and when it stops working (null: never). */
  keyId?: string;
  keyExpiresAt?: Date | null;
  /** Session only: the token a state-changing request must echo in `x-csrf-token`. */
  csrfToken?: string;
}

export function scopesOfRole(role: Role): Scope[] {
  return role === 'platform-admin' ? ['read', 'write', 'admin'] : role === 'org-member' ? ['read'] : ['read', 'write'];
}

/** Platform admins and analysts see everything; organisation roles only their constituency. */
export function seesEverything(p: Pick<Principal, 'role'>): boolean {
  return p.role === 'platform-admin' || p.role === 'analyst';
}
