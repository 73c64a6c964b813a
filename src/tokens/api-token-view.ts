import type { ApiTokenEntity } from './api-token.entity';

export interface ApiTokenView {
  id: string;
  name: string;
  owner: string;
  permissions: string[];
  createdAt: string;
  createdBy: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}

export function toApiTokenView(token: ApiTokenEntity, ownerEmail: string): ApiTokenView {
  return {
    id: token.id,
    name: token.name,
    owner: ownerEmail,
    permissions: token.permissions,
    createdAt: token.createdAt.toISOString(),
    createdBy: token.createdBy,
    expiresAt: token.expiresAt?.toISOString() ?? null,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: token.lastUsedIp,
    revokedAt: token.revokedAt?.toISOString() ?? null,
    revokedBy: token.revokedBy,
  };
}
