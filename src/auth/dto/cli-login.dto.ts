import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CODE_CHALLENGE_PATTERN, CODE_VERIFIER_PATTERN } from '../../access-control/pkce';

export class CliStartDto {
  @ApiProperty({ description: 'base64url(SHA-256(verifier)), 43 characters; the verifier stays in the CLI' })
  @Matches(CODE_CHALLENGE_PATTERN, { message: 'codeChallenge must be 43 base64url characters (S256)' })
  codeChallenge!: string;

  @ApiPropertyOptional({ description: 'Shown on the approval page, e.g. the hostname' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  deviceName?: string;
}

export class CliCompleteDto {
  @ApiProperty()
  @IsString()
  @MaxLength(64)
  loginId!: string;

  @ApiProperty({ description: 'The secret whose S256 hash was sent to /auth/cli/start' })
  @Matches(CODE_VERIFIER_PATTERN, { message: 'codeVerifier must be 43-128 unreserved characters' })
  codeVerifier!: string;
}
