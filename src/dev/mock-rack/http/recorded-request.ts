import type { IncomingMessage } from 'node:http';

/** One request that passed authentication and reached a route handler (tests assert on these). */
export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  bodyBytes: number;
  websocket: boolean;
  at: Date;
}

export function recordRequest(
  req: IncomingMessage,
  path: string,
  query: string,
  websocket: boolean,
): RecordedRequest {
  return {
    method: req.method ?? 'GET',
    path,
    query,
    headers: { ...req.headers },
    bodyBytes: 0,
    websocket,
    at: new Date(),
  };
}
