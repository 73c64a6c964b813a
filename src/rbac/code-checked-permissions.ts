import type { Permission } from './permission-catalog';

/**
 * Permissions that no route declares because they are checked in code, inside a route that needs a
 * broader or different permission, with where. test/rbac/admin-routes.e2e-spec.ts counts them as
 * reachable; a permission that is neither here nor on a route is enforced by nothing and fails that test.
 */
export const CODE_CHECKED_PERMISSIONS: Partial<Record<Permission, string>> = {
  'convox:env:read': 'rack answers: env values are masked without it (src/proxy/env)',
  'convox:env:set': 'release bodies and the env API: env changes need it (src/proxy/env)',
  'convox:secret:read': 'rack answers: secret values are masked without it (src/proxy/env)',
  'convox:secret:set': 'release bodies: changes to secret keys need it (src/proxy/env)',
  'convox:deploy:deploy_with_approval':
    'rack proxy: a token holding it instead of the direct permissions may deploy under an approved request (src/approvals)',
  'gateway:token:read': "GET /api/v1/api-tokens?all=true: every user's tokens (src/tokens)",
  'gateway:token:create': 'POST /api/v1/api-tokens for another user (src/tokens)',
  'gateway:token:revoke': "DELETE /api/v1/api-tokens/:id of another user's token (src/tokens)",
  'gateway:session:read': "GET /api/v1/sessions?email=: another user's sessions (src/auth/sessions)",
};
