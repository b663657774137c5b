/**
 * The signed-in principal. The bearer token lives in sessionStorage (this tab only, gone when it
 * closes), never in a URL; the claims are decoded for display only, the API verifies the token.
 */
export interface Session {
  token: string;
  sub: string;
  tid: string;
  roles: string[];
  exp?: number;
}

const KEY = 'dap.session';
let current: Session | null = load();
const listeners = new Set<() => void>();

function load(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

/** Reads the claims of a JWT; throws when it is not one. */
export function decodeToken(token: string): Session {
  const part = token.trim().split('.')[1];
  if (!part) throw new Error('not a JSON Web Token (expected three dot-separated parts)');
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
  const claims = JSON.parse(json) as { sub?: string; tid?: string; roles?: string[] | string; exp?: number };
  if (!claims.sub || !claims.tid) throw new Error('the token has no sub or tid claim');
  const roles = Array.isArray(claims.roles) ? claims.roles : (claims.roles ?? '').split(' ').filter(Boolean);
  return { token: token.trim(), sub: claims.sub, tid: claims.tid, roles, exp: claims.exp };
}

export const getSession = () => current;

export function setSession(session: Session | null): void {
  current = session;
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
  for (const listener of listeners) listener();
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const isPartner = (s: Session | null) =>
  !!s && (s.roles.includes('partner.admin') || s.roles.includes('partner.agent'));
export const isPartnerAdmin = (s: Session | null) => !!s && s.roles.includes('partner.admin');
export const isClientAdmin = (s: Session | null) => !!s && s.roles.includes('client.admin');
