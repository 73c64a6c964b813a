import { Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { accessApi, catalogOf } from '../../api/access';
import { useMe } from '../../api/queries';
import { PageTitle } from '../PageTitle';
import { EffectivePermissions } from './EffectivePermissions';
import { WhoCan } from './WhoCan';

/** Access questions for reviewers: who can, what one person can, and the full review export. */
export function AccessPage() {
  const me = useMe().data;
  const roles = useQuery({ queryKey: ['roles'], queryFn: () => accessApi.roles() });
  const [email, setEmail] = useState('');
  const [shown, setShown] = useState<string | undefined>();
  return (
    <>
      <PageTitle>Access</PageTitle>
      <Stack gap="xl">
        <section aria-labelledby="access-review">
          <Title order={3} id="access-review" mb="xs">
            Access review
          </Title>
          <Text size="sm" mb="xs">
            Every user and token with their roles, scopes and permissions, and when each was last used.
          </Text>
          <Group>
            <Button component="a" href="/api/v1/reports/access-review?format=csv" download>
              Download CSV
            </Button>
            <Button component="a" variant="default" href="/api/v1/reports/access-review?format=json" download>
              Download JSON
            </Button>
          </Group>
        </section>
        <WhoCan catalog={catalogOf(roles.data, me?.permissions)} />
        <section aria-labelledby="user-access">
          <Title order={3} id="user-access" mb="xs">
            What a person can do
          </Title>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (email.trim()) setShown(email.trim());
            }}
          >
            <Group align="flex-end" mb="md">
              <TextInput
                label="Email"
                type="email"
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
                w={320}
              />
              <Button type="submit">Show</Button>
            </Group>
          </form>
          {shown && <EffectivePermissions email={shown} />}
        </section>
      </Stack>
    </>
  );
}
