import { Alert } from '@mantine/core';

/** The server's reason for a refused action, shown next to the form that asked. */
export function ActionError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <Alert color="red" role="alert" title="The gateway refused this">
      {error instanceof Error ? error.message : String(error)}
    </Alert>
  );
}
