import type { Principal } from '../../access-control/principal';
import { permissionsForRoles } from '../roles';

/** A human user holding the given roles, as the authentication path would build it. */
export function userWithRoles(roles: string[]): Principal {
  return {
    kind: 'user',
    userId: 'user-1',
    email: 'dev@example.com',
    name: 'Dev',
    roles,
    permissions: permissionsForRoles(roles),
    channel: 'cli',
  };
}

/** An API token with its own permission list, owned by a user holding `ownerRoles`. */
export function tokenOf(ownerRoles: string[], permissions: string[]): Principal {
  return {
    ...userWithRoles(ownerRoles),
    kind: 'token',
    channel: 'api-token',
    permissions,
    tokenId: 'token-1',
    tokenName: 'ci',
  };
}
