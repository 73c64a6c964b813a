import { AppShell, Burger, Button, Center, Group, Loader, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { useEffect } from 'react';
import { goTo } from './navigation';
import { api, unwrap } from '../api/client';
import { useMe } from '../api/queries';
import type { MfaStatus } from '../api/mfa';
import { ErrorNotice } from '../components/QueryState';
import { LiveStatus } from '../live/LiveStatus';
import { MfaDialog } from '../mfa/MfaDialog';
import { MfaGate } from '../mfa/MfaGate';
import { PendingApprovalsBadge } from '../pages/approvals/PendingApprovalsBadge';

/**
 * The signed-in frame: navigation from the server's `navigation` list (the browser never decides by role
 * names), the caller, and sign-out. Without a session it sends the person to sign-in and back here after.
 */
export function Shell() {
  const me = useMe();
  const path = useRouterState({ select: (state) => state.location.pathname });
  const [opened, { toggle }] = useDisclosure();
  const queryClient = useQueryClient();

  if (me.isPending) {
    return (
      <Center h="100vh" role="status">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (me.isError) return <ErrorNotice error={me.error} what="your account" />;
  if (me.data === null) return <SignInRedirect />;

  const signOut = async () => {
    await unwrap(api.POST('/api/v1/auth/logout'));
    queryClient.clear();
    window.location.assign('/app/sign-in?reason=signed-out');
  };

  const mfa = me.data.mfa as MfaStatus | undefined;
  // A CLI step-up page is itself a passkey check (it verifies this session too): one touch, not two.
  const gated = mfa?.required && (!mfa.enrolled || !mfa.verified) && !path.startsWith('/cli-mfa/');
  if (gated) return <MfaGate mfa={mfa} onSignOut={signOut} />;

  return (
    <AppShell
      padding="md"
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            <Title order={1} size="h4">
              rack-gateway
            </Title>
          </Group>
          <Group>
            <LiveStatus />
            <Text size="sm" data-testid="signed-in-as">
              {me.data.name || me.data.email} ({me.data.roles.join(', ') || 'no roles'})
            </Text>
            <Button variant="default" size="xs" onClick={signOut}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Main">
        {me.data.navigation.map((entry) => (
          <NavLink
            key={entry.id}
            href={`/app${entry.path}`}
            onClick={(event) => {
              event.preventDefault();
              goTo(entry.path);
            }}
            label={entry.label}
            rightSection={entry.id === 'approvals' ? <PendingApprovalsBadge /> : undefined}
            active={path === entry.path || path.startsWith(`${entry.path}/`)}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
      <MfaDialog />
    </AppShell>
  );
}

/** No session: to sign-in once (an effect, not a render-time redirect), coming back to this address. */
function SignInRedirect() {
  const navigate = useNavigate();
  useEffect(() => {
    const here = `${window.location.pathname}${window.location.search}`;
    void navigate({ to: '/sign-in', search: { returnTo: here }, replace: true });
  }, [navigate]);
  return null;
}
