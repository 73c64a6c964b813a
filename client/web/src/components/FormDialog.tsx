import { Button, Group, Modal, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { ActionError } from './ActionError';

/**
 * Every form the console opens in a dialog has the same frame: the server's refusal on top, the fields, then
 * Cancel and the action. Submitting with Enter works because the action is the form's submit button.
 */
export function FormDialog({
  title,
  opened,
  onClose,
  onSubmit,
  submitLabel,
  pending,
  error,
  danger = false,
  children,
}: {
  title: string;
  opened: boolean;
  onClose: () => void;
  onSubmit: () => void;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  danger?: boolean;
  children: ReactNode;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={title}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
      >
        <Stack>
          <ActionError error={error} />
          {children}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={pending} color={danger ? 'red.9' : undefined}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
