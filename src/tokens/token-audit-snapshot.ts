import { Injectable } from '@nestjs/common';
import {
  AuditSnapshot,
  AuditSnapshotTarget,
  AuditState,
  isoOrNull,
  stringField,
  uuidOrUndefined,
} from '../access-control/audit-snapshot';
import { UsersService } from '../users/users.service';
import { ApiTokensService } from './api-tokens.service';

/**
 * An API token as the audit trail records it around a change: which token, whose, what it may do, and
 * whether it is revoked. Never its secret or hash. Before a creation there is no id yet (null); after it
 * the id comes from the handler's answer.
 */
@Injectable()
export class TokenAuditSnapshot extends AuditSnapshot {
  constructor(
    private readonly tokens: ApiTokensService,
    private readonly users: UsersService,
  ) {
    super();
  }

  async snapshot(target: AuditSnapshotTarget): Promise<AuditState | null> {
    const id = uuidOrUndefined(target.params.id ?? stringField(target.result, 'id'));
    const token = id ? await this.tokens.findById(id) : null;
    if (!token) return null;
    const owner = await this.users.findById(token.ownerId);
    return {
      tokenId: token.id,
      tokenName: token.name,
      owner: owner?.email ?? null,
      permissions: token.permissions,
      createdBy: token.createdBy,
      expiresAt: isoOrNull(token.expiresAt),
      revokedAt: isoOrNull(token.revokedAt),
      revokedBy: token.revokedBy,
    };
  }
}
