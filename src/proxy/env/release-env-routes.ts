import type { ConvoxRoute } from '../../rbac/convox-routes';

/**
 * Which answers the proxy reads whole to mask: release JSON (its `env`), resource JSON, the rack's own
 * `System` (its parameters) and app configs.
 */
export type MaskedAnswer = 'release' | 'resource' | 'system' | 'config';

const MASKED_ANSWERS = new Map<string, MaskedAnswer>([
  ['GET /apps/:app/releases', 'release'],
  ['GET /apps/:app/releases/:id', 'release'],
  ['POST /apps/:app/releases', 'release'],
  ['GET /apps/:app/resources', 'resource'],
  ['GET /apps/:app/resources/:name', 'resource'],
  ['GET /resources', 'resource'],
  ['POST /resources', 'resource'],
  ['GET /resources/:name', 'resource'],
  ['PUT /resources/:name', 'resource'],
  ['POST /resources/:name/links', 'resource'],
  ['DELETE /resources/:name/links/:app', 'resource'],
  ['GET /system', 'system'],
  ['GET /apps/:app/configs', 'config'],
  ['GET /apps/:app/configs/:name', 'config'],
]);

export function maskedAnswerOf(route: ConvoxRoute): MaskedAnswer | undefined {
  return MASKED_ANSWERS.get(`${route.method} ${route.pattern}`);
}

/** `POST /apps/:app/releases`: how `convox env set/unset/edit` change env on a v3 rack. */
export function createsRelease(route: ConvoxRoute): boolean {
  return route.method === 'POST' && route.pattern === '/apps/:app/releases';
}
