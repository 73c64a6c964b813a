import { Stack, Text } from '@mantine/core';
import type { MfaStatus } from '../../api/mfa';
import { useMe } from '../../api/queries';
import { formatTime } from '../../components/QueryState';
import { PageTitle } from '../PageTitle';
import { BackupCodesSection } from './BackupCodesSection';
import { MfaMethodsSection } from './MfaMethodsSection';
import { TrustedDevicesSection } from './TrustedDevicesSection';

/** Account security: the caller's own second factors, backup codes and trusted browsers. */
export function SecurityPage() {
  const mfa = useMe().data?.mfa as MfaStatus | undefined;
  return (
    <>
      <PageTitle>Account security</PageTitle>
      {!mfa ? (
        <Text role="status">Second factors are for people signed in with a session.</Text>
      ) : (
        <Stack gap="xl">
          {mfa.stepUpExpiresAt && (
            <Text size="sm" data-testid="step-up-until">
              Verified for risky actions until {formatTime(mfa.stepUpExpiresAt)}.
            </Text>
          )}
          <MfaMethodsSection mfa={mfa} />
          <BackupCodesSection mfa={mfa} />
          <TrustedDevicesSection />
        </Stack>
      )}
    </>
  );
}
