/**
 * Who is calling, resolved once per request by the authentication path and read by every later
 * guard, interceptor and service. Never built from client-supplied headers.
 */
/** One app-scoped role binding and the concrete permissions it grants there. */
export interface ScopedGrant {
  role: string;
  apps: string[];
  permissions: string[];
}

export type PrincipalKind = 'user' | 'token';

/** How the credential reached us: a browser session, a CLI session, or an API token. */
export type Channel = 'web' | 'cli' | 'api-token';

export interface Principal {
  kind: PrincipalKind;
  /** The human user, or for tokens the token's owner. */
  userId: string;
  email: string;
  name: string;
  /** The user's roles (for tokens: the owner's roles, used only to bound the token's permissions). */
  roles: string[];
  /**
   * Permission patterns this principal holds. For users: the union of their roles' permissions.
   * For tokens: the token's own permission list intersected with what its owner holds now.
   */
  permissions: string[];
  /**
   * Permissions held only on some apps (app-scoped role bindings; for tokens, bounded like `permissions`).
   * They count only on rack routes about an app in scope, never on the gateway's own routes.
   */
  scopedGrants?: ScopedGrant[];
  channel: Channel;
  sessionId?: string;
  tokenId?: string;
  tokenName?: string;
}
