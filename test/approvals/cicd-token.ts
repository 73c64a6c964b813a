import type { INestApplication } from '@nestjs/common';
import { expandPatterns } from '../../src/rbac/permission-match';
import { permissionsForRoles, rolePermissions } from '../../src/rbac/roles';
import { ApiTokensService } from '../../src/tokens/api-tokens.service';
import { UsersService } from '../../src/users/users.service';

/** A `cicd` API token owned by `ownerEmail`, issued as the admin API would; answers its secret. */
export async function issueCicdToken(
  app: INestApplication,
  ownerEmail: string,
  name: string,
): Promise<string> {
  const owner = await app.get(UsersService).getByEmail(ownerEmail);
  const created = await app
    .get(ApiTokensService)
    .create(
      owner,
      { name, permissions: expandPatterns(rolePermissions('cicd')) },
      { email: owner.email, permissions: permissionsForRoles(owner.roles) },
    );
  return created.token;
}
