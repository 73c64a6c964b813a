import type { Permission } from './permission-catalog';

/**
 * Every Convox rack API route the gateway forwards, and the permission each one needs. This table is the
 * allow-list: a request that matches no row is refused (403) and never reaches the rack. docs/RBAC.md is
 * generated from it.
 *
 * Patterns: `:name` is one non-empty path segment; `:name.tgz` a segment ending in that literal suffix;
 * `*name` the non-empty rest of the path, slashes included (object keys, registry hosts). Matching is
 * case-sensitive and ignores the query string (the convox CLI appends `?` to every URL).
 *
 * Methods: `SOCKET` rows match only websocket upgrade requests (a plain GET to the same path is not that
 * route); `ANY` expands to every plain HTTP method. Not listed on purpose:
 * - `/kubernetes/*`: the cluster's Kubernetes API behind the rack password. Denied outright.
 * - the v2-era `/apps/:app/environment` routes: they would change env without the release-body checks.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
export type ConvoxRouteMethod = HttpMethod | 'SOCKET' | 'ANY';

/**
 * request: plain request/response · download/upload: streamed body · websocket: SOCKET stream ·
 * passthrough: the rack relays to something else (registry, cluster) · probe: the CLI's pre-websocket
 * `GET /racks|/machines`, allowed to any authenticated principal and answered 404 by the gateway itself.
 */
export type ConvoxRouteKind = 'request' | 'download' | 'upload' | 'websocket' | 'passthrough' | 'probe';

/** What the request is about, for audit: the resource type and the path parameter naming it. */
export interface ConvoxRouteResource {
  readonly type: string;
  readonly param: string;
}

export interface ConvoxRoute {
  readonly method: ConvoxRouteMethod;
  readonly pattern: string;
  /** null only for probes, which any authenticated principal may call. */
  readonly permission: Permission | null;
  readonly kind: ConvoxRouteKind;
  /** Whether the request can change rack or app state (exec, shells and tunnels count: they can do anything). */
  readonly mutating: boolean;
  readonly resource?: ConvoxRouteResource;
  readonly description: string;
}

const route = (
  method: ConvoxRouteMethod,
  pattern: string,
  permission: Permission | null,
  kind: ConvoxRouteKind,
  mutating: boolean,
  resource: ConvoxRouteResource | undefined,
  description: string,
): ConvoxRoute => ({
  method,
  pattern,
  permission,
  kind,
  mutating,
  description,
  ...(resource ? { resource } : {}),
});

const res = (type: string, param: string): ConvoxRouteResource => ({ type, param });
const APP = res('app', 'app');
const SERVICE = res('service', 'service');
const PROCESS = res('process', 'pid');
const BUILD = res('build', 'id');
const RELEASE = res('release', 'id');
const OBJECT = res('object', 'key');
const CONFIG = res('config', 'name');
const RESOURCE = res('resource', 'name');
const CERT = res('certificate', 'id');
const INSTANCE = res('instance', 'id');
const REGISTRY = res('registry', 'server');
const NONE = undefined;
const RW = true;
const RO = false;

// prettier-ignore
export const CONVOX_ROUTES: readonly ConvoxRoute[] = [
  // method    pattern                                                 permission                          kind           mutating resource   description
  // Apps
  route('GET',    '/apps',                                            'convox:app:list',                  'request',     RO, NONE,     'List apps'),
  route('POST',   '/apps',                                            'convox:app:create',                'request',     RW, NONE,     'Create an app'),
  route('GET',    '/apps/:app',                                       'convox:app:read',                  'request',     RO, APP,      'Get an app'),
  route('PUT',    '/apps/:app',                                       'convox:app:update',                'request',     RW, APP,      'Lock/unlock an app, set app parameters'),
  route('DELETE', '/apps/:app',                                       'convox:app:delete',                'request',     RW, APP,      'Delete an app'),
  route('POST',   '/apps/:app/cancel',                                'convox:app:cancel',                'request',     RW, APP,      'Cancel an app update'),
  route('POST',   '/apps/:app/restart',                               'convox:app:restart',               'request',     RW, APP,      'Restart an app (legacy; v3 racks answer 404)'),
  route('GET',    '/apps/:app/diagnose',                              'convox:app:diagnose',              'request',     RO, APP,      'Diagnostics report'),
  route('GET',    '/apps/:app/manifest/services/:service',            'convox:release:read',              'request',     RO, SERVICE,  'One service from the active manifest'),
  route('GET',    '/apps/:app/metrics',                               'convox:app:read',                  'request',     RO, APP,      'App metrics'),
  route('GET',    '/apps/:app/metrics-by-service',                    'convox:app:read',                  'request',     RO, APP,      'App metrics per service'),
  route('SOCKET', '/apps/:app/logs',                                  'convox:log:read',                  'websocket',   RO, APP,      'App logs'),
  route('GET',    '/apps/:app/configs',                               'convox:config:list',               'request',     RO, APP,      'List app configs'),
  route('GET',    '/apps/:app/configs/:name',                         'convox:config:read',               'request',     RO, CONFIG,   'Get an app config'),
  route('PUT',    '/apps/:app/configs/:name',                         'convox:config:set',                'request',     RW, CONFIG,   'Set an app config'),
  route('GET',    '/apps/:app/balancers',                             'convox:balancer:list',             'request',     RO, APP,      'List load balancers'),
  // Budget and cost
  route('GET',    '/apps/:app/budget',                                'convox:budget:read',               'request',     RO, APP,      'Budget config and state'),
  route('POST',   '/apps/:app/budget',                                'convox:budget:set',                'request',     RW, APP,      'Set the budget'),
  route('DELETE', '/apps/:app/budget',                                'convox:budget:clear',              'request',     RW, APP,      'Clear the budget'),
  route('POST',   '/apps/:app/budget/reset',                          'convox:budget:reset',              'request',     RW, APP,      'Reset the budget breaker'),
  route('GET',    '/apps/:app/budget/shutdown-state',                 'convox:budget:read',               'request',     RO, APP,      'Budget auto-shutdown state'),
  route('POST',   '/apps/:app/budget/simulate-shutdown',              'convox:budget:simulate',           'request',     RO, APP,      'Dry-run a budget shutdown'),
  route('POST',   '/apps/:app/budget/dismiss-recovery',               'convox:budget:dismiss',            'request',     RW, APP,      'Dismiss the recovery notice'),
  route('GET',    '/apps/:app/cost',                                  'convox:budget:read',               'request',     RO, APP,      'Month-to-date cost'),
  // Builds
  route('GET',    '/apps/:app/builds',                                'convox:build:list',                'request',     RO, APP,      'List builds'),
  route('POST',   '/apps/:app/builds',                                'convox:build:create',              'request',     RW, APP,      'Start a build from an uploaded object'),
  route('POST',   '/apps/:app/builds/import',                         'convox:build:create',              'upload',      RW, APP,      'Import an exported build'),
  route('GET',    '/apps/:app/builds/:id.tgz',                        'convox:build:export',              'download',    RO, BUILD,    'Export a build artifact'),
  route('GET',    '/apps/:app/builds/:id',                            'convox:build:read',                'request',     RO, BUILD,    'Get a build'),
  route('PUT',    '/apps/:app/builds/:id',                            'convox:build:update',              'request',     RW, BUILD,    'Update a build record'),
  route('POST',   '/apps/:app/builds/:id/image',                      'convox:build:create',              'request',     RW, BUILD,    'Relay an external image into a build'),
  route('SOCKET', '/apps/:app/builds/:id/logs',                       'convox:log:read',                  'websocket',   RO, BUILD,    'Build logs'),
  // Objects
  route('GET',    '/apps/:app/objects',                               'convox:object:list',               'request',     RO, APP,      'List object keys'),
  route('POST',   '/apps/:app/objects/*key',                          'convox:object:create',             'upload',      RW, OBJECT,   'Upload an object'),
  route('GET',    '/apps/:app/objects/*key',                          'convox:object:read',               'download',    RO, OBJECT,   'Download an object'),
  route('HEAD',   '/apps/:app/objects/*key',                          'convox:object:read',               'request',     RO, OBJECT,   'Check that an object exists'),
  route('DELETE', '/apps/:app/objects/*key',                          'convox:object:delete',             'request',     RW, OBJECT,   'Delete an object'),
  // Processes and files
  route('GET',    '/apps/:app/processes',                             'convox:process:list',              'request',     RO, APP,      'List processes'),
  route('GET',    '/apps/:app/processes/:pid',                        'convox:process:read',              'request',     RO, PROCESS,  'Get a process'),
  route('DELETE', '/apps/:app/processes/:pid',                        'convox:process:terminate',         'request',     RW, PROCESS,  'Stop a process'),
  route('SOCKET', '/apps/:app/processes/:pid/exec',                   'convox:process:exec',              'websocket',   RW, PROCESS,  'Exec in a process'),
  route('SOCKET', '/apps/:app/processes/:pid/logs',                   'convox:log:read',                  'websocket',   RO, PROCESS,  'Process logs'),
  route('GET',    '/apps/:app/processes/:pid/files',                  'convox:file:read',                 'download',    RO, PROCESS,  'Download files from a process'),
  route('POST',   '/apps/:app/processes/:pid/files',                  'convox:file:write',                'upload',      RW, PROCESS,  'Upload files into a process'),
  route('DELETE', '/apps/:app/processes/:pid/files',                  'convox:file:delete',               'request',     RW, PROCESS,  'Delete files in a process'),
  route('POST',   '/apps/:app/services/:service/processes',           'convox:process:start',             'request',     RW, SERVICE,  'Run a one-off process'),
  // Releases (env lives in a release; the proxy checks env:set / secret:set on the body)
  route('GET',    '/apps/:app/releases',                              'convox:release:list',              'request',     RO, APP,      'List releases'),
  route('POST',   '/apps/:app/releases',                              'convox:release:create',            'request',     RW, APP,      'Create a release (env set/unset)'),
  route('GET',    '/apps/:app/releases/:id',                          'convox:release:read',              'request',     RO, RELEASE,  'Get a release'),
  route('POST',   '/apps/:app/releases/:id/promote',                  'convox:release:promote',           'request',     RW, RELEASE,  'Promote a release'),
  // Services
  route('GET',    '/apps/:app/services',                              'convox:app:read',                  'request',     RO, APP,      'List services'),
  route('PUT',    '/apps/:app/services/:service',                     'convox:app:update',                'request',     RW, SERVICE,  'Scale or resize a service'),
  route('POST',   '/apps/:app/services/:service/restart',             'convox:process:start',             'request',     RW, SERVICE,  'Restart a service'),
  route('GET',    '/apps/:app/services/:service/metrics',             'convox:app:read',                  'request',     RO, SERVICE,  'Service metrics'),
  route('SOCKET', '/apps/:app/services/:service/logs',                'convox:log:read',                  'websocket',   RO, SERVICE,  'Service logs'),
  route('POST',   '/apps/:app/services/:service/scale-override',      'convox:service:autoscale',         'request',     RW, SERVICE,  'Toggle the scale override'),
  route('POST',   '/apps/:app/services/:service/triggers/enable',     'convox:service:autoscale',         'request',     RW, SERVICE,  'Enable autoscale triggers'),
  route('POST',   '/apps/:app/services/:service/triggers/disable',    'convox:service:autoscale',         'request',     RW, SERVICE,  'Disable autoscale triggers'),
  route('POST',   '/apps/:app/services/:service/triggers/threshold',  'convox:service:autoscale',         'request',     RW, SERVICE,  'Set an autoscale threshold'),
  // App resources
  route('GET',    '/apps/:app/resources',                             'convox:resource:list',             'request',     RO, APP,      'List app resources'),
  route('GET',    '/apps/:app/resources/:name',                       'convox:resource:read',             'request',     RO, RESOURCE, 'Get an app resource'),
  route('GET',    '/apps/:app/resources/:name/data',                  'convox:resource:export',           'download',    RO, RESOURCE, 'Export resource data'),
  route('PUT',    '/apps/:app/resources/:name/data',                  'convox:resource:import',           'upload',      RW, RESOURCE, 'Import resource data'),
  route('SOCKET', '/apps/:app/resources/:name/console',               'convox:resource:console',          'websocket',   RW, RESOURCE, 'Resource console'),
  // Rack resources
  route('GET',    '/resources',                                       'convox:resource:list',             'request',     RO, NONE,     'List rack resources'),
  route('OPTIONS','/resources',                                       'convox:resource:list',             'request',     RO, NONE,     'List resource types'),
  route('POST',   '/resources',                                       'convox:resource:create',           'request',     RW, NONE,     'Create a rack resource'),
  route('GET',    '/resources/:name',                                 'convox:resource:read',             'request',     RO, RESOURCE, 'Get a rack resource'),
  route('PUT',    '/resources/:name',                                 'convox:resource:update',           'request',     RW, RESOURCE, 'Update a rack resource'),
  route('DELETE', '/resources/:name',                                 'convox:resource:delete',           'request',     RW, RESOURCE, 'Delete a rack resource'),
  route('POST',   '/resources/:name/links',                           'convox:resource:link',             'request',     RW, RESOURCE, 'Link a resource to an app'),
  route('DELETE', '/resources/:name/links/:app',                      'convox:resource:link',             'request',     RW, RESOURCE, 'Unlink a resource from an app'),
  // Certificates
  route('GET',    '/certificates',                                    'convox:cert:list',                 'request',     RO, NONE,     'List certificates'),
  route('POST',   '/certificates',                                    'convox:cert:import',               'request',     RW, NONE,     'Import a certificate'),
  route('POST',   '/certificates/generate',                           'convox:cert:generate',             'request',     RW, NONE,     'Generate a certificate'),
  route('DELETE', '/certificates/:id',                                'convox:cert:delete',               'request',     RW, CERT,     'Delete a certificate'),
  route('POST',   '/certificates/:id/renew',                          'convox:cert:renew',                'request',     RW, CERT,     'Renew a certificate'),
  route('PUT',    '/apps/:app/ssl/:service/:port',                    'convox:cert:attach',               'request',     RW, SERVICE,  'Attach a certificate to a service port'),
  route('GET',    '/letsencrypt/config',                              'convox:letsencrypt:read',          'request',     RO, NONE,     'Let\'s Encrypt solver config'),
  route('PUT',    '/letsencrypt/config',                              'convox:letsencrypt:update',        'request',     RW, NONE,     'Apply Let\'s Encrypt solver config'),
  // Instances
  route('GET',    '/instances',                                       'convox:instance:list',             'request',     RO, NONE,     'List instances'),
  route('GET',    '/instances/:id',                                   'convox:instance:read',             'request',     RO, INSTANCE, 'Get an instance (legacy; v3 racks answer 404)'),
  route('DELETE', '/instances/:id',                                   'convox:instance:terminate',        'request',     RW, INSTANCE, 'Terminate an instance'),
  route('POST',   '/instances/keyroll',                               'convox:instance:keyroll',          'request',     RW, NONE,     'Roll the instance SSH key'),
  route('SOCKET', '/instances/:id/shell',                             'convox:instance:shell',            'websocket',   RW, INSTANCE, 'Shell on an instance'),
  // Registries
  route('GET',    '/registries',                                      'convox:registry:list',             'request',     RO, NONE,     'List registries'),
  route('POST',   '/registries',                                      'convox:registry:add',              'request',     RW, NONE,     'Add a registry'),
  route('DELETE', '/registries/*server',                              'convox:registry:remove',           'request',     RW, REGISTRY, 'Remove a registry'),
  route('ANY',    '/v2/*path',                                        'convox:registry:proxy',            'passthrough', RW, NONE,     'Docker registry v2 pass-through'),
  // System (rack)
  route('GET',    '/system',                                          'convox:rack:read',                 'request',     RO, NONE,     'Rack info'),
  route('PUT',    '/system',                                          'convox:rack:update',               'request',     RW, NONE,     'Update rack params, version or scale'),
  route('SOCKET', '/system/logs',                                     'convox:log:read',                  'websocket',   RO, NONE,     'Rack logs'),
  route('GET',    '/system/metrics',                                  'convox:rack:read',                 'request',     RO, NONE,     'Rack metrics'),
  route('GET',    '/system/processes',                                'convox:rack:read',                 'request',     RO, NONE,     'Rack processes'),
  route('GET',    '/system/releases',                                 'convox:rack:read',                 'request',     RO, NONE,     'Rack version history'),
  route('GET',    '/system/capacity',                                 'convox:rack:read',                 'request',     RO, NONE,     'Cluster capacity'),
  route('PUT',    '/system/jwt/rotate',                               'convox:rack:jwt_rotate',           'request',     RW, NONE,     'Rotate the rack JWT key'),
  route('POST',   '/system/jwt/token',                                'convox:rack:jwt',                  'request',     RW, NONE,     'Mint a rack JWT'),
  route('POST',   '/system/karpenter/cleanup',                        'convox:instance:cleanup',          'request',     RW, NONE,     'Clean up Karpenter nodes'),
  route('POST',   '/events',                                          'convox:event:create',              'request',     RW, NONE,     'Emit a rack event'),
  // Network tunnels into the cluster
  route('SOCKET', '/proxy/:host/:port',                               'convox:proxy:connect',             'websocket',   RW, NONE,     'TCP tunnel to an in-cluster host'),
  route('ANY',    '/custom/http/proxy/*path',                         'convox:proxy:http',                'passthrough', RW, NONE,     'HTTP into an in-cluster service'),
  // Misc and the CLI's probes
  route('GET',    '/auth',                                            'convox:rack:read',                 'request',     RO, NONE,     'Authenticated ping'),
  route('GET',    '/check',                                           'convox:rack:read',                 'request',     RO, NONE,     'Health check'),
  route('GET',    '/racks',                                           null,                               'probe',       RO, NONE,     'CLI probe before websockets (404 locally)'),
  route('GET',    '/machines',                                        null,                               'probe',       RO, NONE,     'CLI probe before websockets (404 locally)'),
];
