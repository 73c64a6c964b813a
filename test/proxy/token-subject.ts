import { permissionsForRoles } from '../../src/rbac/roles';
import { ApiTokensService } from '../../src/tokens/api-tokens.service';
import type { UserEntity } from '../../src/users/user.entity';
import { UsersService } from '../../src/users/users.service';
import type { ProxyStack } from './proxy-stack';

export interface TokenSubject {
  user: UserEntity;
  token: string;
  tokenId: string;
}

/**
 * A user of its own with one API token, so one test's revoke, lock or delete never touches another's.
 * The token carries the first role's permissions.
 */
export async function createTokenSubject(
  stack: ProxyStack,
  email: string,
  roles: string[],
): Promise<TokenSubject> {
  const user = await stack.gateway.app.get(UsersService).create({ email, roles });
  const grantor = { email: user.email, permissions: permissionsForRoles(roles) };
  const token = await stack.gateway.app
    .get(ApiTokensService)
    .create(user, { name: 'cli', role: roles[0] }, grantor);
  return { user, token: token.token, tokenId: token.entity.id };
}
