import { SetMetadata } from '@nestjs/common';
import type { MfaLevel } from '../rbac/mfa-levels';

export const MFA_LEVEL = 'rgw:mfaLevel';

/** States a route's MFA level where its permission does not (the MFA routes themselves). */
export const RequireMfaLevel = (level: MfaLevel) => SetMetadata(MFA_LEVEL, level);
