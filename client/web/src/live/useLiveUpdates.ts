import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { csrfToken } from '../api/client';

/** The queries each hint topic makes stale (the page then refetches through the API). */
const TOPIC_QUERIES: Record<string, string[][]> = {
  audit: [['audit']],
  users: [['users'], ['access']],
  tokens: [['tokens']],
  sessions: [['sessions']],
  settings: [['settings']],
  roles: [['roles'], ['access']],
  mfa: [['me'], ['trusted-devices']],
  approvals: [['approvals'], ['me']],
};

/** How often shown pages refetch while the socket is down. */
export const POLL_MS = 15_000;
const MAX_RETRY_MS = 30_000;

function refresh(queryClient: QueryClient, topics: string[]): void {
  for (const topic of topics) {
    for (const queryKey of TOPIC_QUERIES[topic] ?? []) void queryClient.invalidateQueries({ queryKey });
  }
}

export type LiveStatus = 'live' | 'polling';

/**
 * Listens for "something changed" hints on the gateway's websocket and refetches what they concern. While
 * the socket is down (or refused) the shown pages poll instead, and it reconnects with a growing pause;
 * after a reconnection everything is refetched once, for what changed meanwhile (not after the first
 * connection: the page has just loaded its data).
 */
export function useLiveUpdates(): LiveStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('polling');
  useEffect(() => {
    let socket: WebSocket | undefined;
    let stopped = false;
    let retryMs = 1000;
    // Set once a connection dropped: what changed while it was down is fetched when it is back.
    let missed = false;
    let reconnect: ReturnType<typeof setTimeout> | undefined;
    let poll: ReturnType<typeof setInterval> | undefined;
    const everything = Object.keys(TOPIC_QUERIES);
    const startPolling = () => {
      poll ??= setInterval(() => refresh(queryClient, everything), POLL_MS);
    };
    const stopPolling = () => {
      clearInterval(poll);
      poll = undefined;
    };
    const connect = () => {
      const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
      socket = new WebSocket(
        `${scheme}://${window.location.host}/api/v1/live-updates?csrf=${encodeURIComponent(csrfToken())}`,
      );
      socket.onmessage = (event) => {
        const message = JSON.parse(String(event.data)) as { type: string; topics?: string[] };
        if (message.type === 'ready') {
          retryMs = 1000;
          stopPolling();
          setStatus('live');
          if (missed) refresh(queryClient, everything);
          missed = false;
        } else if (message.type === 'changed') {
          refresh(queryClient, message.topics ?? []);
        }
      };
      socket.onclose = () => {
        socket = undefined;
        if (stopped) return;
        missed = true;
        setStatus('polling');
        startPolling();
        reconnect = setTimeout(connect, retryMs);
        retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
      };
    };
    startPolling();
    connect();
    return () => {
      stopped = true;
      clearTimeout(reconnect);
      stopPolling();
      socket?.close();
    };
  }, [queryClient]);
  return status;
}
