import { CONVOX_ROUTES, type ConvoxRoute, type HttpMethod } from './convox-routes';

export interface ConvoxRouteMatch {
  route: ConvoxRoute;
  /** Path parameters by name, exactly as they appear in the path (never decoded). */
  params: Record<string, string>;
}

const PLAIN_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** One node of a per-method segment trie. Specificity: literal, then `:param.suffix`, then `:param`, then `*tail`. */
export interface TrieNode {
  route?: ConvoxRoute;
  literals: Map<string, TrieNode>;
  params: { name: string; suffix: string; node: TrieNode }[];
  tail?: { name: string; route: ConvoxRoute };
}

const newNode = (): TrieNode => ({ literals: new Map(), params: [] });

function insert(root: TrieNode, route: ConvoxRoute): void {
  const segments = route.pattern.split('/').slice(1);
  let node = root;
  for (const [index, segment] of segments.entries()) {
    if (segment.startsWith('*')) {
      if (index !== segments.length - 1) throw new Error(`tail must be last: ${route.pattern}`);
      if (node.tail) throw new Error(`duplicate route: ${route.method} ${route.pattern}`);
      node.tail = { name: segment.slice(1), route };
      return;
    }
    if (segment.startsWith(':')) {
      const dot = segment.indexOf('.');
      const name = dot === -1 ? segment.slice(1) : segment.slice(1, dot);
      const suffix = dot === -1 ? '' : segment.slice(dot);
      let param = node.params.find((p) => p.suffix === suffix);
      if (param && param.name !== name) throw new Error(`ambiguous parameter in ${route.pattern}`);
      if (!param) {
        param = { name, suffix, node: newNode() };
        node.params.push(param);
        // Longer suffixes first, so `:id.tgz` wins over `:id` as on the rack.
        node.params.sort((a, b) => b.suffix.length - a.suffix.length);
      }
      node = param.node;
      continue;
    }
    let next = node.literals.get(segment);
    if (!next) node.literals.set(segment, (next = newNode()));
    node = next;
  }
  if (node.route) throw new Error(`duplicate route: ${route.method} ${route.pattern}`);
  node.route = route;
}

/** Depth-first with backtracking, so `/certificates/generate/renew` still finds `/certificates/:id/renew`. */
function find(
  node: TrieNode,
  segments: string[],
  index: number,
  params: Record<string, string>,
): ConvoxRoute | null {
  if (index === segments.length) return node.route ?? null;
  const segment = segments[index];
  if (segment === '') return null;
  const literal = node.literals.get(segment);
  if (literal) {
    const found = find(literal, segments, index + 1, params);
    if (found) return found;
  }
  for (const param of node.params) {
    if (segment.length <= param.suffix.length || !segment.endsWith(param.suffix)) continue;
    const found = find(param.node, segments, index + 1, params);
    if (found) {
      params[param.name] = segment.slice(0, segment.length - param.suffix.length);
      return found;
    }
  }
  const rest = segments.slice(index);
  if (node.tail && rest.every((part) => part !== '')) {
    params[node.tail.name] = rest.join('/');
    return node.tail.route;
  }
  return null;
}

/** Built once from the table: one trie per method, websocket routes under `SOCKET`. */
export type CompiledRoutes = ReadonlyMap<string, TrieNode>;

export function compileRoutes(routes: readonly ConvoxRoute[]): CompiledRoutes {
  const tries = new Map<string, TrieNode>();
  const trieFor = (method: string): TrieNode => {
    let trie = tries.get(method);
    if (!trie) tries.set(method, (trie = newNode()));
    return trie;
  };
  for (const route of routes) {
    if (!route.pattern.startsWith('/')) throw new Error(`pattern must start with /: ${route.pattern}`);
    const methods = route.method === 'ANY' ? PLAIN_METHODS : [route.method];
    methods.forEach((method) => insert(trieFor(method), route));
  }
  return tries;
}

const COMPILED = compileRoutes(CONVOX_ROUTES);

/**
 * Finds the route for a request. A websocket upgrade is looked up only among `SOCKET` routes and must be a
 * GET; a plain request never matches a `SOCKET` route. The query string, if the caller left one on, is ignored.
 */
export function matchConvoxRoute(
  method: string,
  path: string,
  isWebsocket: boolean,
  tries: CompiledRoutes = COMPILED,
): ConvoxRouteMatch | null {
  if (isWebsocket && method !== 'GET') return null;
  const trie = tries.get(isWebsocket ? 'SOCKET' : method);
  if (!trie || method === 'SOCKET' || method === 'ANY') return null;
  const pathOnly = path.split('?')[0];
  if (!pathOnly.startsWith('/')) return null;
  const params: Record<string, string> = {};
  const route = find(trie, pathOnly.split('/').slice(1), 0, params);
  return route ? { route, params } : null;
}
