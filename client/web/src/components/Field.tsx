import { Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** One labelled value of a detail card; an absent value reads as a dash. */
export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="sm" fw={700}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children ?? '—'}
      </Text>
    </div>
  );
}
