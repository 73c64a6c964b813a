import { api, unwrap, type Schemas } from './client';

/*
 * Answers of the roles preview and the access queries: their OpenAPI operations describe no response
 * schema, so the shapes the pages read are declared here; requests stay typed from the document.
 */

export type Role = Schemas['RoleView'];
export type RoleBinding = Schemas['RoleBindingDto'];

/** Where a permission holds: everywhere, on some apps, or not at all. */
export type Reach = 'everywhere' | string[] | null;

export interface PermissionChange {
  permission: string;
  before: Reach;
  after: Reach;
}

export interface PreviewAnswer {
  permissions: { permission: string; routes: string[] }[];
  principals: {
    kind: 'user' | 'token';
    email: string;
    tokenId?: string;
    tokenName?: string;
    gained: PermissionChange[];
    lost: PermissionChange[];
  }[];
}

export interface GrantSource {
  role: string;
  apps?: string[];
}

export interface WhoCanAnswer {
  permission: string;
  app: string | null;
  users: { email: string; name: string; sources: GrantSource[] }[];
  tokens: { id: string; name: string; owner: string; sources: GrantSource[] }[];
}

export interface UserAccessAnswer {
  email: string;
  name: string;
  locked: boolean;
  bindings: RoleBinding[];
  permissions: { permission: string; sources: GrantSource[]; lastUsedAt: string | null }[];
}

export const accessApi = {
  roles: () => unwrap(api.GET('/api/v1/roles')),
  preview: async (body: Schemas['PreviewRoleChangeDto']) =>
    (await unwrap(api.POST('/api/v1/roles/preview', { body }))) as unknown as PreviewAnswer,
  whoCan: async (permission: string, app?: string) =>
    (await unwrap(
      api.GET('/api/v1/access/who-can', { params: { query: { permission, app: app || undefined } } }),
    )) as unknown as WhoCanAnswer,
  userAccess: async (email: string) =>
    (await unwrap(
      api.GET('/api/v1/access/users/{email}', { params: { path: { email } } }),
    )) as unknown as UserAccessAnswer,
};

/** "everywhere", "web, api", or "nowhere": a reach or a grant's scope in words. */
export function reachText(reach: Reach | undefined): string {
  if (reach === 'everywhere' || reach === undefined) return 'everywhere';
  if (reach === null || reach.length === 0) return 'nowhere';
  return `on ${reach.join(', ')}`;
}

export function sourcesText(sources: GrantSource[]): string {
  return sources
    .map((source) => (source.apps?.length ? `${source.role} (${source.apps.join(', ')})` : source.role))
    .join('; ');
}

/** Every concrete permission any role grants: the choices for pickers (admin's grants are the catalog). */
export function catalogOf(roles: Role[] | undefined, held: string[] = []): string[] {
  return [...new Set([...(roles ?? []).flatMap((role) => role.grants), ...held])].sort();
}
