import { Alert, Center, Loader, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiError } from '../api/client';

/** Loading, error and empty states in one place, so every page shows them the same way. */
export function QueryState<T>({
  query,
  label,
  isEmpty,
  empty,
  children,
}: {
  query: UseQueryResult<T>;
  label: string;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) {
    return (
      <Center py="xl" role="status" aria-live="polite">
        <Loader size="sm" aria-hidden />
        <Text ml="sm">Loading {label}…</Text>
      </Center>
    );
  }
  if (query.isError) return <ErrorNotice error={query.error} what={label} />;
  if (isEmpty?.(query.data)) {
    return (
      <Text c="gray.7" py="lg" role="status">
        {empty ?? `No ${label} yet.`}
      </Text>
    );
  }
  return <>{children(query.data)}</>;
}

export function ErrorNotice({ error, what }: { error: unknown; what: string }) {
  const refused = error instanceof ApiError && error.status === 403;
  return (
    <Alert color="red" title={refused ? `You may not see ${what}` : `Could not load ${what}`} role="alert">
      {error instanceof Error ? error.message : String(error)}
    </Alert>
  );
}

export function formatTime(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString();
}
