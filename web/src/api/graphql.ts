// GraphQL over HTTP with the session's token, and read-your-writes: every query waits (with
// `atLeastPosition`) until the read models hold the latest position this client seen.
import type { TypedDocumentString } from '../gql/graphql';
import { ApiError, fromGraphQL } from './errors';
import { freshSession, getSession, refresh, refused } from './session';

let lastSeen = 0;

/** The highest log position this client knows of: its own writes and the changes it was told of. */
export function seenPosition(): number {
  return lastSeen;
}

/** Records a position (a mutation's, or a live change's) so that later reads include it. */
export function seen(position: number): void {
  lastSeen = Math.max(lastSeen, position);
}

async function send(query: string, variables: unknown, token: string | undefined) {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError('the server cannot be reached', 'NETWORK');
  }
  const body = (await response.json().catch(() => null)) as {
    data?: unknown;
    errors?: { message?: unknown; extensions?: { code?: unknown } }[];
  } | null;
  if (!body) throw new ApiError(response.statusText, response.status >= 500 ? 'UNAVAILABLE' : 'INTERNAL');
  return body;
}

/** Runs a query or mutation; throws {@link ApiError} on any error. */
export async function request<R, V>(document: TypedDocumentString<R, V>, variables?: V): Promise<R> {
  let session = getSession() ? await freshSession() : null;
  let body = await send(document.toString(), variables ?? {}, session?.accessToken);
  const first = body.errors?.[0];
  if (first?.extensions?.code === 'UNAUTHENTICATED') {
    const error = fromGraphQL(body.errors ?? []);
    if (error.reason === 'ACCOUNT_SUSPENDED' || error.reason === 'ACCOUNT_CLOSED') {
      refused(error.reason);
      throw error;
    }
    session = await refresh();
    if (!session) throw error;
    body = await send(document.toString(), variables ?? {}, session.accessToken);
  }
  if (body.errors?.length) {
    const error = fromGraphQL(body.errors);
    if (error.reason === 'ACCOUNT_SUSPENDED' || error.reason === 'ACCOUNT_CLOSED') refused(error.reason);
    throw error;
  }
  return body.data as R;
}

/** Runs a query at least as new as the last position this client saw. */
export function read<R, V extends { atLeastPosition?: number | null }>(
  document: TypedDocumentString<R, V>,
  variables: Omit<V, 'atLeastPosition'>,
): Promise<R> {
  const at = seenPosition();
  return request(document, { ...variables, ...(at > 0 ? { atLeastPosition: at } : {}) } as V);
}
