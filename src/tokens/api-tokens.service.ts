import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { AccessChangeSignal } from '../access-events/access-change.signal';
import { AuditRecorder } from '../audit/audit-recorder';
import { apiError } from '../access-control/api-error';
import { AuthFailure } from '../access-control/auth-failure';
import { hashSecret } from '../access-control/credential-secret';
import { isKnownPermission } from '../rbac/permission-catalog';
import { expandPatterns } from '../rbac/permission-match';
import { AbilityFactory } from '../rbac/ability.factory';
import { isRoleName, rolePermissions } from '../rbac/roles';
import { UserEntity } from '../users/user.entity';
import { generateApiToken } from './api-token-format';
import { ApiTokenEntity } from './api-token.entity';

export interface TokenRequest {
  name: string;
  permissions?: string[];
  role?: string;
  expiresInDays?: number;
}

export interface CreatedToken {
  /** Shown once; only its hash is stored. */
  token: string;
  entity: ApiTokenEntity;
}

// last_used_at/ip are for humans reviewing tokens; minute precision is plenty and saves a write per call.
const LAST_USED_INTERVAL_MS = 60_000;

@Injectable()
export class ApiTokensService {
  constructor(
    @InjectRepository(ApiTokenEntity) private readonly tokens: Repository<ApiTokenEntity>,
    private readonly accessChanges: AccessChangeSignal,
    private readonly audit: AuditRecorder,
    private readonly abilities: AbilityFactory,
  ) {}

  /**
   * Creates a token for `owner`. Its permissions must be held by the owner now and by `grantor` (the
   * caller, who may be an admin minting for someone else); the first one missing is named in the error.
   */
  async create(
    owner: UserEntity,
    request: TokenRequest,
    grantor: { email: string; permissions: string[] },
  ): Promise<CreatedToken> {
    const requested = requestedPermissions(request);
    // Permissions the owner holds on some apps only may be given: each request is bounded by scope again.
    const ownerGrants = this.abilities.userGrants(owner);
    const ownerHolds = new Set<string>([
      ...expandPatterns(ownerGrants.permissions),
      ...ownerGrants.scopedGrants.flatMap((grant) => grant.permissions),
    ]);
    const grantorHolds = new Set<string>(expandPatterns(grantor.permissions));
    for (const permission of requested) {
      if (!ownerHolds.has(permission)) {
        throw apiError(
          HttpStatus.FORBIDDEN,
          'permission_not_held',
          `${owner.email} does not hold ${permission}, so a token of theirs cannot have it`,
        );
      }
      if (!grantorHolds.has(permission)) {
        throw apiError(
          HttpStatus.FORBIDDEN,
          'permission_not_held',
          `you do not hold ${permission}, so you cannot grant it`,
        );
      }
    }
    const token = generateApiToken();
    const now = new Date();
    const entity = this.tokens.create({
      tokenHash: hashSecret(token),
      name: request.name.trim(),
      ownerId: owner.id,
      createdBy: grantor.email,
      permissions: requested,
      createdAt: now,
      expiresAt: request.expiresInDays ? new Date(now.getTime() + request.expiresInDays * 86_400_000) : null,
      lastUsedAt: null,
      lastUsedIp: null,
      revokedAt: null,
      revokedBy: null,
    });
    await this.tokens.insert(entity);
    // The event of the call that made it (gateway:token:create, from the API or an operator command)
    // gets which token came to be — never its secret.
    this.audit.annotate({
      tokenId: entity.id,
      tokenName: entity.name,
      owner: owner.email,
      permissions: entity.permissions,
    });
    return { token, entity };
  }

  /** The live token behind a raw `rgw_…` string, or an AuthFailure saying why not. */
  async validate(secret: string, ip: string | undefined): Promise<ApiTokenEntity> {
    const token = await this.tokens.findOne({ where: { tokenHash: hashSecret(secret) } });
    if (!token) throw new AuthFailure('invalid_credentials');
    if (token.revokedAt) throw new AuthFailure('token_revoked', token.ownerId);
    if (token.expiresAt && token.expiresAt.getTime() <= Date.now()) {
      throw new AuthFailure('token_expired', token.ownerId);
    }
    if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() >= LAST_USED_INTERVAL_MS) {
      token.lastUsedAt = new Date();
      token.lastUsedIp = ip ?? null;
      await this.tokens.update(token.id, { lastUsedAt: token.lastUsedAt, lastUsedIp: token.lastUsedIp });
    }
    return token;
  }

  listForOwner(ownerId: string): Promise<ApiTokenEntity[]> {
    return this.tokens.find({ where: { ownerId }, order: { createdAt: 'DESC' } });
  }

  listAll(): Promise<ApiTokenEntity[]> {
    return this.tokens.find({ order: { createdAt: 'DESC' } });
  }

  findById(id: string): Promise<ApiTokenEntity | null> {
    return this.tokens.findOne({ where: { id } });
  }

  /** Soft revocation: the row stays for the record. False when it was already revoked. */
  async revoke(id: string, by: string): Promise<boolean> {
    const result = await this.tokens.update(
      { id, revokedAt: IsNull() },
      { revokedAt: new Date(), revokedBy: by },
    );
    const revoked = (result.affected ?? 0) > 0;
    const token = revoked ? await this.findById(id) : null;
    // Live websockets opened with this token end now, not when their client lets go.
    if (token)
      await this.accessChanges.raise({ kind: 'token_revoked', tokenId: id, userId: token.ownerId, by });
    return revoked;
  }
}

/** The concrete permissions a request asks for: its explicit list, else the role preset's. */
function requestedPermissions(request: TokenRequest): string[] {
  if (!request.permissions?.length) {
    // A role preset is trusted data; it may name scopes (e.g. admin's `auth:*:*`) with no permission yet.
    return expandPatterns(presetFor(request.role));
  }
  const patterns = request.permissions;
  for (const pattern of patterns) {
    if (!isKnownPermission(pattern) && expandPatterns([pattern]).length === 0) {
      throw apiError(HttpStatus.BAD_REQUEST, 'unknown_permission', `unknown permission: ${pattern}`);
    }
  }
  return expandPatterns(patterns);
}

function presetFor(role: string | undefined): string[] {
  if (role === undefined) {
    throw apiError(
      HttpStatus.BAD_REQUEST,
      'permissions_required',
      'permissions required: give a permission list or a role preset',
    );
  }
  if (!isRoleName(role)) {
    throw apiError(
      HttpStatus.BAD_REQUEST,
      'invalid_role',
      `invalid role: ${role} (valid roles: viewer, ops, deployer, cicd, admin)`,
    );
  }
  return rolePermissions(role);
}
