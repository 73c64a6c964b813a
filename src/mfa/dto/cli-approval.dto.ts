import { ApiProperty } from '@nestjs/swagger';
import { IsObject, IsString, Matches } from 'class-validator';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';

export class StartCliApprovalDto {
  @ApiProperty({ description: 'base64url SHA-256 of a verifier only the CLI holds (43 characters)' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'codeChallenge must be 43 base64url characters' })
  codeChallenge!: string;
}

export class CompleteCliApprovalDto {
  @ApiProperty({ description: 'The verifier whose SHA-256 the CLI sent when it started the approval' })
  @IsString()
  @Matches(/^[A-Za-z0-9._~-]{43,128}$/, { message: 'codeVerifier must be 43-128 unreserved characters' })
  codeVerifier!: string;
}

export class CliApprovalParams {
  @ApiProperty({ format: 'uuid', description: 'The approval id from the link the CLI opened' })
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
    message: 'id must be a CLI approval id (a UUID) from the link the CLI opened',
  })
  id!: string;
}

export class ApproveCliApprovalDto {
  @ApiProperty({
    description:
      'A WebAuthn assertion (PublicKeyCredential JSON) for a challenge from /api/v1/mfa/webauthn/authentication-options',
  })
  @IsObject({ message: 'webauthn must be the passkey assertion (an object)' })
  webauthn!: AuthenticationResponseJSON;
}

export class CliApprovalStarted {
  @ApiProperty({ format: 'uuid' }) id!: string;

  @ApiProperty({ description: 'The console page where the person approves (the CLI opens it)' })
  browserUrl!: string;

  @ApiProperty({ format: 'date-time' }) expiresAt!: string;

  @ApiProperty({ example: 2 }) pollIntervalSeconds!: number;
}

/** The CLI session that asked, so the person can tell their own terminal from someone else's. */
export class CliApprovalSessionView {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The name the CLI gave at login, e.g. its hostname',
  })
  deviceName!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The address the CLI logged in from' })
  ipAddress!: string | null;

  @ApiProperty({ format: 'date-time', description: 'When that CLI session logged in' })
  signedInAt!: string;
}

/** What the console's approval page shows before the person decides. */
export class CliApprovalView {
  @ApiProperty({ format: 'uuid' }) id!: string;

  @ApiProperty({ enum: ['pending'] }) status!: 'pending';

  @ApiProperty({ description: 'The person the CLI session belongs to (always the caller)' })
  email!: string;

  @ApiProperty({ type: CliApprovalSessionView }) cliSession!: CliApprovalSessionView;

  @ApiProperty({ format: 'date-time', description: 'When the CLI asked' }) requestedAt!: string;

  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}

export class CliApprovalDecisionView {
  @ApiProperty({ format: 'uuid' }) id!: string;

  @ApiProperty({ enum: ['approved', 'denied'] }) status!: 'approved' | 'denied';
}
