import { Alert, Button, Code, CopyButton, Group, Stack } from '@mantine/core';

/** Fresh backup codes: shown this once (the gateway keeps only keyed hashes). */
export function BackupCodesList({ codes, onDone }: { codes: string[]; onDone(): void }) {
  return (
    <Stack>
      <Alert color="yellow" title="Save these backup codes now">
        Each code works once, in place of a code from your authenticator. They are not shown again; new ones
        replace all of these.
      </Alert>
      <Code block data-testid="backup-codes" aria-label="Backup codes">
        {codes.join('\n')}
      </Code>
      <Group justify="flex-end">
        <CopyButton value={codes.join('\n')}>
          {({ copied, copy }) => (
            <Button variant="default" onClick={copy}>
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
        <Button onClick={onDone}>I have saved them</Button>
      </Group>
    </Stack>
  );
}
