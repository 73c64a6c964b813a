import { Alert, Button, Group, Text, Title } from '@mantine/core';
import { useEffect, useRef } from 'react';

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
