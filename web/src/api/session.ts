// Who is signed in. The access token lives in memory only; the refresh token is an
// HttpOnly cookie for /auth that scripts cannot read, so a reload signs in again through
// /auth/refresh. Each refresh token works once, so refreshes are single-flight: two at
// once would present the same token twice, which the server treats as a stolen copy.
import { ApiError } from './errors';

export type Role = 'street_admin' | 'community_staff' | 'grid_worker' | 'auditor';

export interface Session {
  accessToken: string;
  login: string;
  role: Role;
  communities: string[];
  /** When the access token expires (ms since the epoch). */
  expiresAt: number;
}

/** Why the last session ended, when it did not end by signing out. */
export type EndReason = 'ACCOUNT_SUSPENDED' | 'ACCOUNT_CLOSED' | 'EXPIRED' | null;

let current: Session | null = null;
let ended: EndReason = null;
const listeners = new Set<() => void>();

function set(session: Session | null, reason: EndReason = null) {
  current = session;
  ended = session ? null : reason;
  listeners.forEach((l) => l());
}

export function getSession(): Session | null {
  return current;
}

export function endReason(): EndReason {
  return ended;
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

interface TokenJson {
  accessToken: string;
  expiresIn: number;
  login: string;
  role: Role;
  communities: string[];
}

async function post(path: string, body?: unknown): Promise<Response> {
  try {
    return await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError('the server cannot be reached', 'NETWORK');
  }
}

async function refusal(response: Response): Promise<ApiError> {
  const json = (await response.json().catch(() => ({}))) as {
    error?: string;
    code?: string;
    retryAfterSeconds?: number;
  };
  return new ApiError(
    json.error ?? response.statusText,
    json.code ?? (response.status === 401 ? 'UNAUTHENTICATED' : 'INTERNAL'),
    undefined,
    undefined,
    json.retryAfterSeconds,
  );
}

async function accept(response: Response): Promise<Session> {
  const json = (await response.json()) as TokenJson;
  const session: Session = {
    accessToken: json.accessToken,
    login: json.login,
    role: json.role,
    communities: json.communities,
    expiresAt: Date.now() + json.expiresIn * 1000,
  };
  set(session);
  return session;
}

/** Signs in; `change-required` when the password is a one-time one. */
export async function signIn(
  login: string,
  password: string,
): Promise<{ kind: 'ok'; session: Session } | { kind: 'change-required' }> {
  const response = await post('/auth/login', { login, password });
  if (response.ok) return { kind: 'ok', session: await accept(response) };
  const error = await refusal(response);
  if (error.code === 'PASSWORD_CHANGE_REQUIRED') return { kind: 'change-required' };
  throw error;
}

/** Sets a new password (with the current one) and signs in. */
export async function changePassword(
  login: string,
  password: string,
  newPassword: string,
): Promise<Session> {
  const response = await post('/auth/password', { login, password, newPassword });
  if (response.ok) return accept(response);
  throw await refusal(response);
}

let refreshing: Promise<Session | null> | null = null;

/** A new access token from the refresh cookie, or null (and signed out) if there is none. */
export function refresh(): Promise<Session | null> {
  refreshing ??= (async () => {
    try {
      const response = await post('/auth/refresh');
      if (response.ok) return await accept(response);
      if (response.status === 401) set(null, current ? 'EXPIRED' : null);
      return null;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** The session with an access token good for at least 30 s more (refreshed if needed). */
export async function freshSession(): Promise<Session | null> {
  const session = getSession();
  if (session && session.expiresAt - Date.now() >= 30_000) return session;
  return refresh();
}

/** Ends the session here and on the server. */
export async function signOut(): Promise<void> {
  try {
    await post('/auth/logout');
  } finally {
    set(null);
  }
}

/** Ends the session because the server refused the account. */
export function refused(reason: EndReason): void {
  set(null, reason);
}
