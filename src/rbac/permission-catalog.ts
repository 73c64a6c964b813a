/**
 * Every permission that exists, with what it allows. A permission is `scope:resource:action`.
 *
 * `convox:` permissions guard the rack API (most come from the route table in convox-routes.ts; a few are
 * checked in code, e.g. the env/secret checks on a release's body). `gateway:` permissions guard the
 * gateway's own admin API. Names of permissions that the original Go rack-gateway had are kept so its
 * users feel at home; the routes it did not cover got new names in the same style.
 *
 * Wildcard patterns (`convox:app:*`) are not listed here: they are expanded against this list
 * (permission-match.ts), so a pattern only ever grants permissions that are written down below.
 */
export interface PermissionDefinition {
  readonly name: string;
  readonly description: string;
}

export const PERMISSION_CATALOG = [
  // Apps
  { name: 'convox:app:list', description: 'List apps' },
  { name: 'convox:app:read', description: 'Read an app, its services and its metrics' },
  { name: 'convox:app:create', description: 'Create an app' },
  { name: 'convox:app:update', description: 'Change app parameters, lock/unlock an app, scale a service' },
  { name: 'convox:app:delete', description: 'Delete an app' },
  { name: 'convox:app:restart', description: 'Restart an app (legacy route)' },
  { name: 'convox:app:cancel', description: 'Cancel an app update that is in progress' },
  {
    name: 'convox:app:diagnose',
    description: 'Run the diagnostics report (pod states, events, recent logs)',
  },
  // Builds, releases and the object store they are built from
  { name: 'convox:build:list', description: 'List builds' },
  { name: 'convox:build:read', description: 'Read a build' },
  { name: 'convox:build:create', description: 'Start a build, import a build, relay an image into a build' },
  { name: 'convox:build:update', description: 'Update a build record (status, manifest, release)' },
  { name: 'convox:build:export', description: 'Download a build artifact (.tgz)' },
  { name: 'convox:release:list', description: 'List releases (env masked by the proxy)' },
  { name: 'convox:release:read', description: 'Read a release or a service manifest' },
  { name: 'convox:release:create', description: 'Create a release (this is how env changes are made)' },
  { name: 'convox:release:promote', description: 'Promote (deploy) a release' },
  { name: 'convox:object:list', description: 'List object keys of an app' },
  { name: 'convox:object:read', description: 'Download an object or check that it exists' },
  { name: 'convox:object:create', description: 'Upload an object (source tarballs for builds)' },
  { name: 'convox:object:delete', description: 'Delete an object' },
  // Environment and secrets (checked in code on release bodies and the gateway env API)
  { name: 'convox:env:read', description: 'See non-secret environment values' },
  { name: 'convox:env:set', description: 'Add, change or remove environment variables' },
  {
    name: 'convox:secret:read',
    description: 'See credentials unmasked: secret env values, resource and rack parameters, app configs',
  },
  { name: 'convox:secret:set', description: 'Add, change or remove secret environment variables' },
  {
    name: 'convox:deploy:deploy_with_approval',
    description:
      'Build, run and promote one release of an app through the rack proxy while an approved deploy request for it is open',
  },
  { name: 'convox:config:list', description: 'List app configs' },
  { name: 'convox:config:read', description: 'Read an app config value' },
  { name: 'convox:config:set', description: 'Set an app config value' },
  // Processes and files inside them
  { name: 'convox:process:list', description: 'List processes' },
  { name: 'convox:process:read', description: 'Read a process' },
  { name: 'convox:process:start', description: 'Run a one-off process or restart a service' },
  { name: 'convox:process:exec', description: 'Execute a command in a running process' },
  { name: 'convox:process:terminate', description: 'Stop a process' },
  { name: 'convox:file:read', description: 'Download files from a process' },
  { name: 'convox:file:write', description: 'Upload files into a process' },
  { name: 'convox:file:delete', description: 'Delete files in a process' },
  { name: 'convox:log:read', description: 'Stream app, service, process, build and rack logs' },
  { name: 'convox:service:autoscale', description: 'Change autoscaling: scale override and triggers' },
  { name: 'convox:balancer:list', description: "List an app's load balancers" },
  // Cost controls
  { name: 'convox:budget:read', description: "Read an app's budget, shutdown state and cost" },
  { name: 'convox:budget:set', description: "Set an app's budget" },
  { name: 'convox:budget:clear', description: "Clear an app's budget" },
  { name: 'convox:budget:reset', description: "Reset an app's budget breaker" },
  { name: 'convox:budget:simulate', description: 'Dry-run a budget shutdown' },
  { name: 'convox:budget:dismiss', description: 'Dismiss a budget recovery notice' },
  // Resources (databases, caches) — their objects carry connection URLs with credentials
  {
    name: 'convox:resource:list',
    description: 'List resources and resource types (URLs include credentials)',
  },
  { name: 'convox:resource:read', description: 'Read a resource (its URL includes credentials)' },
  { name: 'convox:resource:create', description: 'Create a rack resource' },
  { name: 'convox:resource:update', description: 'Update a rack resource' },
  { name: 'convox:resource:delete', description: 'Delete a rack resource' },
  { name: 'convox:resource:link', description: 'Link a rack resource to an app or unlink it' },
  { name: 'convox:resource:export', description: "Download a resource's data" },
  { name: 'convox:resource:import', description: "Replace a resource's data with an upload" },
  { name: 'convox:resource:console', description: 'Open an interactive console on a resource' },
  // Certificates
  { name: 'convox:cert:list', description: 'List certificates (metadata only)' },
  { name: 'convox:cert:import', description: 'Import a certificate and its private key' },
  { name: 'convox:cert:generate', description: 'Generate a certificate' },
  { name: 'convox:cert:renew', description: 'Renew a certificate' },
  { name: 'convox:cert:delete', description: 'Delete a certificate' },
  { name: 'convox:cert:attach', description: 'Attach a certificate to a service port' },
  { name: 'convox:letsencrypt:read', description: "Read the Let's Encrypt DNS solver config" },
  { name: 'convox:letsencrypt:update', description: "Change the Let's Encrypt DNS solver config" },
  // Registries
  { name: 'convox:registry:list', description: 'List private registries (may include credentials)' },
  { name: 'convox:registry:add', description: 'Add a private registry' },
  { name: 'convox:registry:remove', description: 'Remove a private registry' },
  { name: 'convox:registry:proxy', description: "Use the rack's Docker registry (/v2) pass-through" },
  // Instances and the rack
  { name: 'convox:instance:list', description: 'List instances (nodes)' },
  { name: 'convox:instance:read', description: 'Read an instance (legacy route)' },
  { name: 'convox:instance:terminate', description: 'Terminate an instance' },
  { name: 'convox:instance:shell', description: 'Open a shell on an instance (node)' },
  { name: 'convox:instance:keyroll', description: "Roll the instances' SSH key" },
  { name: 'convox:instance:cleanup', description: 'Clean up Karpenter nodes' },
  { name: 'convox:rack:read', description: 'Read rack info, capacity, metrics, processes, releases' },
  { name: 'convox:rack:update', description: 'Change rack parameters, version or scale' },
  { name: 'convox:rack:jwt', description: 'Mint a rack JWT (rack credentials)' },
  { name: 'convox:rack:jwt_rotate', description: "Rotate the rack's JWT signing key" },
  { name: 'convox:event:create', description: 'Emit a rack event (audit/webhook)' },
  { name: 'convox:proxy:connect', description: 'Open a raw TCP tunnel into the cluster' },
  { name: 'convox:proxy:http', description: 'Send HTTP requests into the cluster' },
  // The gateway itself
  { name: 'gateway:user:read', description: 'List and read users' },
  { name: 'gateway:user:create', description: 'Create users' },
  { name: 'gateway:user:update', description: 'Rename users and change their roles' },
  { name: 'gateway:user:delete', description: 'Delete users' },
  { name: 'gateway:user:lock', description: 'Lock and unlock users' },
  { name: 'gateway:token:read', description: "List every user's API tokens" },
  { name: 'gateway:token:create', description: 'Create API tokens for others' },
  { name: 'gateway:token:revoke', description: 'Revoke any API token' },
  { name: 'gateway:session:read', description: "List any user's sessions" },
  { name: 'gateway:session:revoke', description: "Revoke any user's sessions" },
  { name: 'gateway:audit:read', description: 'Query and export the audit log' },
  { name: 'gateway:role:read', description: 'Read the roles, built-in and custom' },
  { name: 'gateway:role:create', description: 'Create custom roles' },
  { name: 'gateway:role:update', description: 'Change custom roles' },
  { name: 'gateway:role:delete', description: 'Delete custom roles that nobody holds' },
  {
    name: 'gateway:access:read',
    description: 'Ask who can do what, read effective permissions and the access review report',
  },
  {
    name: 'gateway:deploy_approval:read',
    description: 'List and read the deploy approval requests one created or whose target token one owns',
  },
  {
    name: 'gateway:deploy_approval:create',
    description: 'Request a deploy approval (for oneself as a token, or for a token one owns) and cancel it',
  },
  {
    name: 'gateway:deploy_approval:approve',
    description: 'Read every deploy approval request; approve, reject or extend one (people only, fresh MFA)',
  },
  { name: 'gateway:settings:read', description: 'Read runtime settings, global and per app' },
  { name: 'gateway:settings:update', description: 'Change or reset runtime settings, global and per app' },
] as const satisfies readonly PermissionDefinition[];

/** A concrete permission from the catalog; the compiler rejects a misspelt one. */
export type Permission = (typeof PERMISSION_CATALOG)[number]['name'];

export const ALL_PERMISSIONS: readonly Permission[] = PERMISSION_CATALOG.map((entry) => entry.name);

const KNOWN = new Set<string>(ALL_PERMISSIONS);

export function isKnownPermission(value: string): value is Permission {
  return KNOWN.has(value);
}
