import { CONVOX_ROUTES, type ConvoxRoute } from './convox-routes';
import { MAX_PATH_LENGTH, MAX_QUERY_LENGTH } from './path-safety';
import { PERMISSION_CATALOG } from './permission-catalog';
import { MFA_LEVELS, mfaLevelFor } from './mfa-levels';
import { expandPatterns } from './permission-match';
import { ACCESS_SECTIONS } from './rbac-doc-access';
import { ROLE_NAMES, rolePermissions, ROLES, type RoleName } from './roles';

/** docs/RBAC.md, rendered from the catalog, the roles and the route table (never edited by hand). */
export function renderRbacMarkdown(): string {
  return [
    '# RBAC',
    '',
    '<!-- Generated from src/rbac/ by `npm run docs:generate`. Do not edit by hand. -->',
    '',
    ...SEMANTICS,
    ...ACCESS_SECTIONS,
    ...renderRoles(),
    ...renderMfaLevels(),
    ...renderCatalog(),
    ...renderRoutes(),
  ].join('\n');
}

const SEMANTICS = [
  '## How a rack request is decided',
  '',
  'Every request to `/api/v1/rack-proxy/*` (HTTP or websocket upgrade) goes through the same steps; the first',
  'that fails answers with `{"error":"…"}`, which the convox CLI prints after `ERROR:`.',
  '',
  '1. **Method** — only GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS; a websocket upgrade must be a GET; a',
  '   request carrying `X-HTTP-Method-Override`, `X-Method-Override` or `X-HTTP-Method` is refused.',
  '   → 400 `invalid request: …`',
  '2. **Path safety** — the raw target (never decoded) is checked once and then matched and forwarded',
  '   byte for byte. Refused: any percent-escape in the path (`%2f`, `%2e`, `%5c`, overlong UTF-8 such as',
  '   `%c0%ae`, even `%61`: no Convox name needs one, so an escape can only make our view differ from the',
  "   rack's decoded view), `.`/`..` segments, segments ending in a dot, `//`, backslash, `;`, control",
  `   characters and non-ASCII anywhere, characters outside \`A-Z a-z 0-9 - . _ ~ / : @ + , =\`, paths over`,
  `   ${MAX_PATH_LENGTH} and queries over ${MAX_QUERY_LENGTH} characters, \`#\` and \`%00\` in the query.`,
  '   The query string is not matched and is forwarded untouched. → 400 `invalid path: <reason>`',
  '3. **Route** — the method and path must match a row of the route table below, case-sensitively. A',
  '   websocket upgrade matches only `SOCKET` rows, and a plain GET never does. No row, no forwarding:',
  '   → 403 `route not allowed: <METHOD> <path>`',
  "4. **Permission** — the principal must hold the row's permission (an app-scoped binding counts when the",
  "   route's `:app` is in its scope). → 403 `permission denied: <permission>` (plus the scope, if any)",
  '',
  '### Permissions and patterns',
  '',
  '- A permission is `scope:resource:action`. A pattern grants a permission when both have the same number of',
  '  `:` segments and each pattern segment is `*` or equal: `convox:app:*`, `convox:*:read`, `convox:*:*`.',
  '  A bare `*` grants nothing; unknown strings grant nothing.',
  '- **Not reproduced from the original:** there, the literal `convox:*:*` matched every permission of every',
  '  scope, which is how its admin got gateway powers. Here `convox:*:*` grants `convox:` permissions only;',
  '  admin holds `convox:*:*`, `gateway:*:*`, `auth:*:*` and `security:*:*` explicitly.',
  "- A **user** holds the union of their roles' permissions (app-scoped bindings: see below). An **API token**",
  "  holds its own permission list, intersected with what its owner's roles grant at the time of the request,",
  '  so a token never exceeds its owner and loses what its owner loses.',
  '- `cicd` is a preset for tokens only; it can never be given to a human.',
  "- `GET /racks` and `GET /machines` are the convox CLI's probes before every websocket: any authenticated",
  '  principal may send them and the gateway answers 404 itself, without contacting the rack.',
  '- `POST /apps/:app/releases` needs `convox:release:create`; the proxy then checks `convox:env:set` and',
  '  `convox:secret:set` against the env the body changes.',
  '',
  '### Deliberately not forwarded',
  '',
  "- `/kubernetes/*` — the cluster's Kubernetes API, reachable on the rack with the rack password.",
  '- The v2-era `/apps/:app/environment` routes — they would change env without the release-body checks.',
  "- The original's plain-GET variants of websocket routes (the rack itself serves them only as websockets).",
  '',
  '### Dangerous pass-throughs',
  '',
  'Each has its own permission that no ordinary route shares, so only admin (or a token an admin gives it',
  'to) can use them: `convox:registry:proxy` (`/v2/*`), `convox:proxy:http` (`/custom/http/proxy/*`),',
  '`convox:proxy:connect` (`SOCKET /proxy/:host/:port`), `convox:instance:shell` (`SOCKET',
  '/instances/:id/shell`), `convox:rack:jwt` (`POST /system/jwt/token`, mints rack credentials).',
  '',
];

const ROLE_LETTER: Record<RoleName, string> = { viewer: 'V', ops: 'O', deployer: 'D', cicd: 'C', admin: 'A' };
const HELD = new Map(
  ROLE_NAMES.map((role) => [role, new Set<string>(expandPatterns(rolePermissions(role)))]),
);

function rolesHolding(route: ConvoxRoute): string {
  if (route.permission === null) return 'anyone authenticated';
  return ROLE_NAMES.filter((role) => HELD.get(role)!.has(route.permission!))
    .map((role) => ROLE_LETTER[role])
    .join('');
}

function renderRoles(): string[] {
  const lines = [
    '## Roles',
    '',
    '| role | label | humans | inherits | own patterns | permissions | description |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const role of ROLE_NAMES) {
    const def = ROLES[role];
    const own = def.permissions.map((p) => `\`${p}\``).join(', ');
    const count = HELD.get(role)!.size;
    lines.push(
      `| ${role} | ${def.label} | ${def.humanAssignable ? 'yes' : 'no (tokens only)'} | ${def.inherits ?? '—'} | ${own} | ${count} | ${def.description} |`,
    );
  }
  lines.push(
    '',
    '### What we added to the original presets, and why',
    '',
    "The original's role contents are kept exactly. For the routes it did not cover, roles got only the",
    'read/list permissions that are plainly safe for them (and deployers the approval-gated deploy',
    'permission, so they can mint cicd tokens); everything else new is admin-only.',
    '',
  );
  for (const role of ROLE_NAMES) {
    for (const addition of ROLES[role].additions) {
      lines.push(`- ${role}: \`${addition.permission}\` — ${addition.reason}`);
    }
  }
  lines.push(
    '- Not given to viewer: resources (their URLs carry database credentials), registries (they may carry',
    '  registry passwords), app configs (environment-like values), object downloads (source tarballs).',
    '',
  );
  return lines;
}

function renderMfaLevels(): string[] {
  const byLevel = (level: string) =>
    Object.entries(MFA_LEVELS)
      .filter(([, l]) => l === level)
      .map(([p]) => `\`${p}\``)
      .join(', ');
  return [
    '## MFA level of each permission',
    '',
    'Kept as data in `src/rbac/mfa-levels.ts` and shown in the MFA column of the catalog below. They apply to',
    'people (browser and CLI sessions) whenever MFA applies to them (docs/AUTHENTICATION.md); API tokens are',
    'never asked for a second factor and can never perform an `always` action.',
    '',
    '- `none` — reads: a session that completed its login verification is enough.',
    '- `step_up` — a verification within the step-up window (setting `mfa.step_up_window`, 10 minutes by',
    '  default). Without one: 401 `mfa_required`, header `X-MFA-Required: step_up`.',
    '- `always` — a verification carried by this very request (inline code, `X-MFA-Code`, or a single-use',
    '  passkey proof in `X-MFA-Proof`), whatever the window says; each is accepted once. Without one: 401',
    '  `mfa_required`, header `X-MFA-Required: always`.',
    '',
    `**always:** ${byLevel('always')}`,
    '',
    'A write missing from the table counts as `step_up`, and a unit test fails until it is listed.',
    '',
  ];
}

function renderCatalog(): string[] {
  const lines = [
    '## Permission catalog',
    '',
    `| permission | description | MFA | ${ROLE_NAMES.join(' | ')} |`,
    `|---|---|---|${ROLE_NAMES.map(() => ':-:').join('|')}|`,
  ];
  for (const { name, description } of PERMISSION_CATALOG) {
    const marks = ROLE_NAMES.map((role) => (HELD.get(role)!.has(name) ? '✓' : ''));
    lines.push(`| \`${name}\` | ${description} | ${mfaLevelFor(name)} | ${marks.join(' | ')} |`);
  }
  return [...lines, ''];
}

function renderRoutes(): string[] {
  const lines = [
    '## Route table',
    '',
    'Roles: V viewer, O ops, D deployer, C cicd, A admin. `SOCKET` = websocket upgrade; `ANY` = every plain',
    'method. `:x` is one path segment, `*x` the rest of the path.',
    '',
    '| method | path | permission | kind | mutating | roles | description |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const route of CONVOX_ROUTES) {
    const permission = route.permission ? `\`${route.permission}\`` : '—';
    lines.push(
      `| ${route.method} | \`${route.pattern}\` | ${permission} | ${route.kind} | ${route.mutating ? 'yes' : 'no'} | ${rolesHolding(route)} | ${route.description} |`,
    );
  }
  return [...lines, ''];
}
