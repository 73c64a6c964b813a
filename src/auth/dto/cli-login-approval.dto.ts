import { ApiProperty } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';

export const CLI_LOGIN_DECISIONS = ['approve', 'deny'] as const;
export type CliLoginDecision = (typeof CLI_LOGIN_DECISIONS)[number];

export class CliLoginParams {
  @ApiProperty({ format: 'uuid', description: 'The `loginId` of the link the CLI printed' })
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
    message: 'loginId must be a CLI login id (a UUID) from the link the CLI printed',
  })
  loginId!: string;
}

export class CliLoginDecisionDto {
  @ApiProperty({ enum: CLI_LOGIN_DECISIONS, description: 'What the signed-in person decided' })
  @IsIn(CLI_LOGIN_DECISIONS, { message: 'decision must be approve or deny' })
  decision!: CliLoginDecision;
}

/** What the console's approval page shows, so the person can tell their own login from someone else's. */
export class CliLoginView {
  @ApiProperty({ format: 'uuid' }) loginId!: string;

  @ApiProperty({ type: String, nullable: true, description: 'The name the CLI gave, e.g. its hostname' })
  deviceName!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The address that started the login' })
  requesterIp!: string | null;

  @ApiProperty({ example: 'ABCD-EFGH', description: 'The code the CLI printed; the person compares the two' })
  userCode!: string;

  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}

export class CliLoginDecisionView {
  @ApiProperty({ format: 'uuid' }) loginId!: string;

  @ApiProperty({ enum: ['approved', 'denied'] }) status!: 'approved' | 'denied';
}
