// Live updates over graphql-ws (`/graphql/ws`). One connection for the whole app, opened
// on the first subscription; it reconnects by itself (with a fresh token) after a lost
// connection or an expired token, and the screens re-read what changed meanwhile.
import { createClient, type Client } from 'graphql-ws';
import { useEffect, useRef, useSyncExternalStore } from 'react';

import type { TypedDocumentString } from '../gql/graphql';
import { getSession, refresh, subscribe as onSession } from './session';

let client: Client | null = null;
let connected = true;
const listeners = new Set<() => void>();
const reconnected = new Set<() => void>();

function setConnected(value: boolean) {
  const changed = connected !== value;
  connected = value;
  if (changed) listeners.forEach((l) => l());
}

/** Runs `listener` each time the live connection opens (first time and after a loss). */
export function onReconnect(listener: () => void): () => void {
  reconnected.add(listener);
  return () => reconnected.delete(listener);
}

function live(): Client {
  client ??= createClient({
    url: `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/graphql/ws`,
    lazy: true,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    // 0.5 s, 1 s, 2 s … up to 10 s between attempts.
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 500 * 2 ** retries))),
    connectionParams: async () => {
      let session = getSession();
      if (!session || session.expiresAt - Date.now() < 30_000) session = await refresh();
      return session ? { Authorization: `Bearer ${session.accessToken}` } : {};
    },
    on: {
      // On every connection, the first included: whatever changed between a screen's read
      // and its subscriptions' start (or while the connection was lost) was not pushed, so
      // screens re-read.
      connected: () => {
        setConnected(true);
        reconnected.forEach((l) => l());
      },
      // 1000: closed on purpose (the last subscription ended); anything else is a loss.
      closed: (event) => setConnected((event as CloseEvent | undefined)?.code === 1000),
    },
  });
  return client;
}

// A signed-out app keeps no connection.
onSession(() => {
  if (!getSession() && client) {
    void client.dispose();
    client = null;
  }
});

/** Whether the live connection is up (true before any subscription opened it). */
export function useConnected(): boolean {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => connected,
  );
}

/** Runs `onData` for each result of a subscription while the component is mounted. */
export function useSubscription<R, V>(
  document: TypedDocumentString<R, V>,
  variables: V,
  onData: (data: R) => void,
  enabled = true,
): void {
  const handler = useRef(onData);
  handler.current = onData;
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (!enabled) return undefined;
    const unsubscribe = live().subscribe<R>(
      { query: document.toString(), variables: JSON.parse(key) as Record<string, unknown> },
      {
        next: (result) => {
          if (result.data) handler.current(result.data);
        },
        error: () => setConnected(false),
        complete: () => {},
      },
    );
    return unsubscribe;
  }, [document, key, enabled]);
}
