import { Anchor, Stack, Text, Title } from '@mantine/core';

export function NotFoundPage() {
  return (
    <Stack p="xl" component="main">
      <Title order={1}>Page not found</Title>
      <Text>There is no console page at this address.</Text>
      <Anchor href="/app/">Go to the start page</Anchor>
    </Stack>
  );
}
