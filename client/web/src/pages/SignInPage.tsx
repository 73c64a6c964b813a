import { Alert, Button, Center, Paper, Stack, Text, Title } from '@mantine/core';
import { getRouteApi } from '@tanstack/react-router';
import { signInUrl } from '../api/client';

const route = getRouteApi('/sign-in');

/** Only same-console paths may be a return target (never another origin). */
function consolePath(returnTo: string | undefined): string {
  if (!returnTo || !returnTo.startsWith('/') || returnTo.startsWith('//') || returnTo.startsWith('/\\')) {
    return '/app/';
  }
  return returnTo.startsWith('/app/') ? returnTo : `/app${returnTo}`;
}

export function SignInPage() {
  const { returnTo, reason } = route.useSearch();
  return (
    <Center mih="100vh" component="main">
      <Paper withBorder shadow="sm" p="xl" w={380}>
        <Stack>
          <Title order={1} size="h3">
            Sign in to rack-gateway
          </Title>
          {reason === 'signed-out' && (
            <Alert color="green" role="status">
              You are signed out.
            </Alert>
          )}
          {reason === 'expired' && (
            <Alert color="yellow" role="status">
              Your session ended. Sign in again to continue where you were.
            </Alert>
          )}
          <Text size="sm">Use your Google account. Your administrator decides what you may see and do.</Text>
          <Button component="a" href={signInUrl(consolePath(returnTo))} size="md">
            Sign in with Google
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
