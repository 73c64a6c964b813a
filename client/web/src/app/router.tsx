import type { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, createRouter, Outlet } from '@tanstack/react-router';
import { useEffect } from 'react';
import { goTo } from './navigation';
import { useMe } from '../api/queries';
import { AccessPage } from '../pages/access/AccessPage';
import { AppPage } from '../pages/AppPage';
import { AppsPage } from '../pages/AppsPage';
import { ApprovalPage } from '../pages/approvals/ApprovalPage';
import { ApprovalsPage } from '../pages/approvals/ApprovalsPage';
import { AuditPage } from '../pages/audit/AuditPage';
import { CliLoginPage } from '../pages/cli-login/CliLoginPage';
import { CliMfaPage } from '../pages/cli-mfa/CliMfaPage';
import { NotFoundPage } from '../pages/NotFoundPage';
import { RackPage } from '../pages/RackPage';
import { RolesPage } from '../pages/roles/RolesPage';
import { SecurityPage } from '../pages/security/SecurityPage';
import { SessionsPage } from '../pages/SessionsPage';
import { SettingsPage } from '../pages/SettingsPage';
import { SignInPage } from '../pages/SignInPage';
import { TokensPage } from '../pages/tokens/TokensPage';
import { UserPage } from '../pages/users/UserPage';
import { UsersPage } from '../pages/users/UsersPage';
import { Shell } from './Shell';

const rootRoute = createRootRouteWithContext<{ queryClient: QueryClient }>()({
  component: Outlet,
  notFoundComponent: NotFoundPage,
});

const signIn = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: (
    search: Record<string, unknown>,
  ): { returnTo?: string; reason?: 'expired' | 'signed-out' } => ({
    returnTo: typeof search.returnTo === 'string' ? search.returnTo : undefined,
    reason: search.reason === 'expired' || search.reason === 'signed-out' ? search.reason : undefined,
  }),
  component: SignInPage,
});

const shell = createRoute({ getParentRoute: () => rootRoute, id: 'shell', component: Shell });

/** `/app/` opens the first page the server offers this caller. */
function Home() {
  const me = useMe();
  useEffect(() => goTo(me.data?.navigation[0]?.path ?? '/sessions', { replace: true }), [me.data]);
  return null;
}

const home = createRoute({ getParentRoute: () => shell, path: '/', component: Home });
const rack = createRoute({ getParentRoute: () => shell, path: '/rack', component: RackPage });
const apps = createRoute({ getParentRoute: () => shell, path: '/apps', component: AppsPage });
const app = createRoute({
  getParentRoute: () => shell,
  path: '/apps/$app',
  validateSearch: (search: Record<string, unknown>) => ({
    tab: typeof search.tab === 'string' ? search.tab : undefined,
  }),
  component: AppPage,
});
const approvals = createRoute({
  getParentRoute: () => shell,
  path: '/approvals',
  validateSearch: (search: Record<string, unknown>): Record<string, string | undefined> =>
    Object.fromEntries(
      ['status', 'app', 'branch', 'gitCommit'].map((key) => [
        key,
        typeof search[key] === 'string' && search[key] !== '' ? (search[key] as string) : undefined,
      ]),
    ),
  component: ApprovalsPage,
});
const approval = createRoute({
  getParentRoute: () => shell,
  path: '/approvals/$id',
  component: ApprovalPage,
});
const users = createRoute({ getParentRoute: () => shell, path: '/users', component: UsersPage });
const user = createRoute({ getParentRoute: () => shell, path: '/users/$email', component: UserPage });
const tokens = createRoute({ getParentRoute: () => shell, path: '/tokens', component: TokensPage });
const settings = createRoute({ getParentRoute: () => shell, path: '/settings', component: SettingsPage });
const sessions = createRoute({ getParentRoute: () => shell, path: '/sessions', component: SessionsPage });
const roles = createRoute({ getParentRoute: () => shell, path: '/roles', component: RolesPage });
const access = createRoute({ getParentRoute: () => shell, path: '/access', component: AccessPage });
const security = createRoute({
  getParentRoute: () => shell,
  path: '/account/security',
  component: SecurityPage,
});
// The page the CLI's login link lands on (`/api/v1/auth/cli/authorize` redirects here).
const cliLogin = createRoute({
  getParentRoute: () => shell,
  path: '/cli-login',
  validateSearch: (search: Record<string, unknown>): { loginId?: string } => ({
    loginId: typeof search.loginId === 'string' && search.loginId !== '' ? search.loginId : undefined,
  }),
  component: CliLoginPage,
});
// The page a CLI opens for a passkey step-up (`/api/v1/mfa/cli-approvals/:id` redirects here).
const cliMfa = createRoute({ getParentRoute: () => shell, path: '/cli-mfa/$id', component: CliMfaPage });
const audit = createRoute({
  getParentRoute: () => shell,
  path: '/audit',
  validateSearch: (search: Record<string, unknown>): Record<string, string | undefined> =>
    Object.fromEntries(
      ['from', 'to', 'actor', 'action', 'app', 'decision', 'statusClass', 'q'].map((key) => [
        key,
        typeof search[key] === 'string' && search[key] !== '' ? (search[key] as string) : undefined,
      ]),
    ),
  component: AuditPage,
});

const routeTree = rootRoute.addChildren([
  signIn,
  shell.addChildren([
    home,
    rack,
    apps,
    app,
    approvals,
    approval,
    users,
    user,
    roles,
    access,
    tokens,
    sessions,
    security,
    audit,
    settings,
    cliLogin,
    cliMfa,
  ]),
]);

export const router = createRouter({
  routeTree,
  basepath: '/app',
  context: { queryClient: undefined as unknown as QueryClient },
  defaultPreload: false,
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
