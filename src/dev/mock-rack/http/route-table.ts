import type { HttpExchange } from './http-exchange';
import type { SocketSession } from '../streams/socket-session';

export interface HttpRoute {
  method: string;
  /** Gorilla-style: `{name}` matches one segment, `{name:.*}` the rest of the path. */
  pattern: string;
  handle(exchange: HttpExchange): unknown;
  /** The handler reads the body itself (uploads); otherwise it is read up front, to 10 MiB. */
  streamsBody?: boolean;
}

export interface SocketRoute {
  pattern: string;
  handle(session: SocketSession): Promise<void>;
  /** Exec-like sockets need the `w` role even though the upgrade is a GET (reported in-band). */
  writeAccess?: boolean;
}

interface Compiled<R> {
  route: R;
  regex: RegExp;
  names: string[];
}

export interface RouteMatch<R> {
  route: R;
  params: Record<string, string>;
}

function compile<R extends { pattern: string }>(route: R): Compiled<R> {
  const names: string[] = [];
  let source = '';
  for (const part of route.pattern.split(/(\{[^}]+\})/)) {
    const variable = /^\{([^:}]+)(?::(.*))?\}$/.exec(part);
    if (!variable) {
      source += part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      continue;
    }
    names.push(variable[1]);
    source += `(${variable[2] ?? '[^/]+'})`;
  }
  return { route, regex: new RegExp(`^${source}$`), names };
}

function paramsOf(compiled: Compiled<unknown>, match: RegExpExecArray): Record<string, string> {
  const params: Record<string, string> = {};
  compiled.names.forEach((name, index) => (params[name] = match[index + 1]));
  return params;
}

/**
 * Routes are tried in registration order, like gorilla mux: the first route whose path and method both
 * match wins; a path that matched only with other methods is a 405.
 */
export class RouteTable {
  private readonly http: Compiled<HttpRoute>[];
  private readonly sockets: Compiled<SocketRoute>[];

  constructor(http: HttpRoute[], sockets: SocketRoute[]) {
    this.http = http.map(compile);
    this.sockets = sockets.map(compile);
  }

  matchHttp(method: string, path: string): RouteMatch<HttpRoute> | 'method-not-allowed' | undefined {
    let pathMatched = false;
    for (const compiled of this.http) {
      const match = compiled.regex.exec(path);
      if (!match) continue;
      if (compiled.route.method !== method) {
        pathMatched = true;
        continue;
      }
      return { route: compiled.route, params: paramsOf(compiled, match) };
    }
    return pathMatched ? 'method-not-allowed' : undefined;
  }

  matchSocket(path: string): RouteMatch<SocketRoute> | undefined {
    for (const compiled of this.sockets) {
      const match = compiled.regex.exec(path);
      if (match) return { route: compiled.route, params: paramsOf(compiled, match) };
    }
    return undefined;
  }
}
