import { Button, Switch } from '@mantine/core';
import { useState } from 'react';
import { useMe } from '../../api/queries';
import { PageTitle } from '../PageTitle';
import { CreateTokenDialog } from './CreateTokenDialog';
import { TokensTable } from './TokensTable';

export function TokensPage() {
  const can = useMe().data?.capabilities.tokens;
  const [creating, setCreating] = useState(false);
  const [all, setAll] = useState(false);
  return (
    <>
      <PageTitle actions={<Button onClick={() => setCreating(true)}>Create token</Button>}>
        API tokens
      </PageTitle>
      {can?.readAll && (
        <Switch
          mb="md"
          label="Show every user's tokens"
          checked={all}
          onChange={(e) => setAll(e.currentTarget.checked)}
        />
      )}
      <TokensTable all={all} />
      <CreateTokenDialog opened={creating} onClose={() => setCreating(false)} />
    </>
  );
}
