import type { IncomingMessage } from 'node:http';

/**
 * One request that reached the mock rack (tests assert on these to prove what the gateway forwarded).
 * `matched` is false for paths the rack has no route for (answered 404/405 before authentication).
 */
export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  bodyBytes: number;
  websocket: boolean;
  matched: boolean;
  at: Date;
}

export function recordRequest(
  req: IncomingMessage,
  path: string,
  query: string,
  websocket: boolean,
  matched = true,
): RecordedRequest {
  return {
    method: req.method ?? 'GET',
    path,
    query,
    headers: { ...req.headers },
    bodyBytes: 0,
    websocket,
    matched,
    at: new Date(),
  };
}
