import { HttpStatus, Injectable } from '@nestjs/common';
import { AuditRecorder } from '../audit/audit-recorder';
import { apiError } from '../access-control/api-error';
import type { Principal } from '../access-control/principal';
import { AbilityFactory } from '../rbac/ability.factory';
import { UsersService } from '../users/users.service';
import { ApiTokenView, toApiTokenView } from './api-token-view';
import { ApiTokenEntity } from './api-token.entity';
import { ApiTokensService, TokenRequest } from './api-tokens.service';

/** The API's token rules: your own tokens freely, anyone's with gateway:token:*; a token never mints tokens. */
@Injectable()
export class ApiTokenAdminService {
  constructor(
    private readonly tokens: ApiTokensService,
    private readonly users: UsersService,
    private readonly abilities: AbilityFactory,
    private readonly audit: AuditRecorder,
  ) {}

  async list(principal: Principal, all: boolean): Promise<ApiTokenView[]> {
    if (all) this.require(principal, 'gateway:token:read');
    const tokens = all ? await this.tokens.listAll() : await this.tokens.listForOwner(principal.userId);
    return this.views(tokens);
  }

  async create(principal: Principal, request: TokenRequest & { email?: string }) {
    if (principal.kind !== 'user') {
      throw apiError(
        HttpStatus.FORBIDDEN,
        'user_session_required',
        'API tokens are created from a user session',
      );
    }
    const forOther = request.email !== undefined && request.email.toLowerCase() !== principal.email;
    if (forOther) this.require(principal, 'gateway:token:create');
    const owner = await this.users.getByEmail(forOther ? request.email! : principal.email);
    const { token, entity } = await this.tokens.create(owner, request, {
      email: principal.email,
      permissions: principal.permissions,
    });
    return { ...toApiTokenView(entity, owner.email), token };
  }

  async revoke(principal: Principal, id: string): Promise<void> {
    const token = /^[0-9a-f-]{36}$/i.test(id) ? await this.tokens.findById(id) : null;
    if (!token) throw apiError(HttpStatus.NOT_FOUND, 'token_not_found', `no API token ${id}`);
    if (token.ownerId !== principal.userId) this.require(principal, 'gateway:token:revoke');
    await this.tokens.revoke(token.id, principal.email);
    this.audit.annotate({ tokenName: token.name, ownerId: token.ownerId });
  }

  private async views(tokens: ApiTokenEntity[]): Promise<ApiTokenView[]> {
    const emails = new Map<string, string>();
    for (const ownerId of new Set(tokens.map((t) => t.ownerId))) {
      emails.set(ownerId, (await this.users.findById(ownerId))?.email ?? 'deleted');
    }
    return tokens.map((t) => toApiTokenView(t, emails.get(t.ownerId) ?? 'deleted'));
  }

  private require(principal: Principal, permission: string): void {
    if (!this.abilities.forPrincipal(principal).can(permission)) {
      throw apiError(HttpStatus.FORBIDDEN, 'forbidden', `permission denied: ${permission}`);
    }
  }
}
