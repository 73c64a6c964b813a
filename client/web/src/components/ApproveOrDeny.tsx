import { Alert, Button, Group, Text, Title } from '@mantine/core';
import { useEffect, useRef, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { ErrorNotice } from './QueryState';

export type ApproveOrDenyChoice = 'approve' | 'deny';

/**
 * The two answers to a request a terminal made of this browser (a CLI login, a CLI step-up): both locked
 * while one is on its way, the pending one showing it. `approveLabel` undefined: only Deny is offered.
 */
export function ApproveOrDenyButtons({
  approveLabel,
  deciding,
  onDecide,
}: {
  approveLabel?: string;
  deciding: ApproveOrDenyChoice | undefined;
  onDecide: (choice: ApproveOrDenyChoice) => void;
}) {
  return (
    <Group>
      {approveLabel !== undefined && (
        <Button
          loading={deciding === 'approve'}
          disabled={deciding !== undefined}
          onClick={() => onDecide('approve')}
        >
          {approveLabel}
        </Button>
      )}
      <Button
        variant="outline"
        color="red.9"
        loading={deciding === 'deny'}
        disabled={deciding !== undefined}
        onClick={() => onDecide('deny')}
      >
        Deny
      </Button>
    </Group>
  );
}

/** The outcome, focused so a keyboard or screen-reader user hears it at once. */
export function ApproveOrDenyResult({
  approved,
  title,
  text,
}: {
  approved: boolean;
  title: string;
  text: string;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <Alert color={approved ? 'green' : 'gray'} role="status">
      <Title order={3} size="h4" ref={heading} tabIndex={-1} mb="xs">
        {title}
      </Title>
      <Text>{text}</Text>
    </Alert>
  );
}

/**
 * Why the request a link names cannot be decided (any more): the server's refusal code titled by `titles`,
 * its reason, and `hint` (what to do instead). Other errors are shown as a failed load of `what`.
 */
export function ApproveOrDenyUnavailable({
  error,
  titles,
  what,
  hint,
}: {
  error: Error;
  titles: Readonly<Record<string, string>>;
  what: string;
  hint: ReactNode;
}) {
  const title = error instanceof ApiError ? titles[error.code] : undefined;
  if (!title) return <ErrorNotice error={error} what={what} />;
  return (
    <Alert color="yellow" title={title} role="alert">
      <Text size="sm">{error.message}</Text>
      <Text size="sm" mt="xs">
        {hint}
      </Text>
    </Alert>
  );
}
