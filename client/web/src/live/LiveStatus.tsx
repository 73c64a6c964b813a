import { Text } from '@mantine/core';
import { useLiveUpdates } from './useLiveUpdates';

/** Keeps the console's data fresh (see useLiveUpdates) and says how: pushed live, or by polling. */
export function LiveStatus() {
  const status = useLiveUpdates();
  return (
    <Text
      size="sm"
      data-testid="live-status"
      title={
        status === 'live' ? 'Changes are pushed as they happen' : 'Reconnecting; pages refresh every 15 s'
      }
    >
      {status === 'live' ? 'Live' : 'Polling'}
    </Text>
  );
}
