// Live updates over graphql-ws (`/graphql/ws`). One connection for the whole app, opened
// on the first subscription; it reconnects by itself (with a fresh token) after a lost
// connection or an expired token, and the screens re-read what changed meanwhile.
import { createClient, type Client } from 'graphql-ws';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';

import type { TypedDocumentString } from '../gql/graphql';
import { freshSession, getSession, subscribe as onSession } from './session';

let client: Client | null = null;
// Subscriptions mounted: the app wants a connection only while there is one.
let active = 0;
// The connection closed while subscriptions wanted it (not the lazy close after the last).
let lost = false;
let online = true;
const listeners = new Set<() => void>();
const connectedListeners = new Set<() => void>();

/** Online unless the connection was lost while a subscription wants it. */
function update() {
  const now = !lost || active === 0;
  if (now !== online) {
    online = now;
    listeners.forEach((l) => l());
  }
}

function setConnected(value: boolean) {
  lost = !value && active > 0;
  update();
}

/** Runs `listener` each time the live connection opens (first time and after a loss). */
export function onConnect(listener: () => void): () => void {
  connectedListeners.add(listener);
  return () => connectedListeners.delete(listener);
}

function live(): Client {
  client ??= createClient({
    url: `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/graphql/ws`,
    lazy: true,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    // 0.5 s, 1 s, 2 s, then every 3 s: a server that comes back (a restart, an update) is
    // found within 3 s. An intranet app has few clients, so the attempts cost little.
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(3_000, 500 * 2 ** retries))),
    connectionParams: async () => {
      const session = await freshSession();
      return session ? { Authorization: `Bearer ${session.accessToken}` } : {};
    },
    on: {
      // On every connection, the first included: whatever changed between a screen's read
      // and its subscriptions' start (or while the connection was lost) was not pushed, so
      // screens re-read.
      connected: () => {
        setConnected(true);
        connectedListeners.forEach((l) => l());
      },
      closed: () => setConnected(false),
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

/** Whether live updates flow: false while a subscription waits for a lost connection. */
export function useConnected(): boolean {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => online,
  );
}

/** Runs `onData` for each result of a subscription while the component is mounted. A
 * `finite` subscription (one that ends by itself, as a verification does) is not started
 * again when the server completes it. */
export function useSubscription<R, V>(
  document: TypedDocumentString<R, V>,
  variables: V,
  onData: (data: R) => void,
  enabled = true,
  finite = false,
): void {
  const handler = useRef(onData);
  handler.current = onData;
  const key = JSON.stringify(variables);
  // A subscription the server ended (with an error, or completed, as a server shutting
  // down completes its subscriptions) is started again a second later, and screens re-read
  // what they may have missed. A completed subscription is not retried by the client
  // library, and with none left it would stay closed, offline for good.
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (!enabled) return undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    // Set when the screen lets go: the library then completes the subscription too.
    let disposed = false;
    const again = () => {
      if (disposed) return;
      retry = setTimeout(() => {
        setAttempt((n) => n + 1);
        connectedListeners.forEach((l) => l());
      }, 1_000);
    };
    active += 1;
    update();
    const unsubscribe = live().subscribe<R>(
      { query: document.toString(), variables: JSON.parse(key) as Record<string, unknown> },
      {
        next: (result) => {
          if (result.data) handler.current(result.data);
        },
        error: again,
        complete: () => {
          if (!finite) again();
        },
      },
    );
    return () => {
      disposed = true;
      clearTimeout(retry);
      unsubscribe();
      active -= 1;
      update();
    };
  }, [document, key, enabled, finite, attempt]);
}
