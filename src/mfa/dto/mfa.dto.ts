import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';

export class StartTotpDto {
  @ApiPropertyOptional({ example: 'Phone', description: 'Shown in listings; default "Authenticator app"' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  label?: string;
}

export class CodeDto {
  @ApiProperty({
    example: '123456',
    description: 'A 6-digit TOTP code, or a backup code (case and dashes ignored)',
  })
  @IsString()
  @Matches(/^[A-Za-z0-9 -]{6,20}$/, { message: 'code must be a 6-digit code or a backup code' })
  code!: string;
}

export class ConfirmTotpDto extends CodeDto {}

export class VerifyDto {
  @ApiPropertyOptional({ description: 'A TOTP or backup code' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9 -]{6,20}$/, { message: 'code must be a 6-digit code or a backup code' })
  code?: string;

  @ApiPropertyOptional({
    description: 'A WebAuthn assertion (PublicKeyCredential JSON) for an outstanding challenge',
  })
  @IsOptional()
  @IsObject()
  webauthn?: AuthenticationResponseJSON;

  @ApiPropertyOptional({
    description: 'Browser sessions: remember this browser so the next login skips the challenge',
  })
  @IsOptional()
  @IsBoolean()
  trustDevice?: boolean;
}

export class RegisterWebauthnDto {
  @ApiProperty({ description: 'The PublicKeyCredential JSON from navigator.credentials.create()' })
  @IsObject()
  response!: RegistrationResponseJSON;

  @ApiPropertyOptional({ example: 'YubiKey 5' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  label?: string;

  @ApiPropertyOptional({
    description: 'May the CLI use this credential (a roaming key, not a browser passkey)',
  })
  @IsOptional()
  @IsBoolean()
  cliCapable?: boolean;
}

export class UpdateMethodDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  label?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  cliCapable?: boolean;
}

export class AuthenticationOptionsDto {
  @ApiPropertyOptional({ description: 'Only credentials marked cli_capable (for CLI-driven flows)' })
  @IsOptional()
  @IsBoolean()
  cliOnly?: boolean;
}

export class ActionProofDto {
  @ApiProperty({
    description:
      'A WebAuthn assertion (PublicKeyCredential JSON) for a challenge from POST /api/v1/mfa/webauthn/action-options',
  })
  @IsObject({ message: 'webauthn must be the PublicKeyCredential JSON of the assertion' })
  webauthn!: AuthenticationResponseJSON;
}

export class SetPreferredMethodDto {
  @ApiProperty({ description: 'The id of one of your confirmed methods (from GET /api/v1/mfa)' })
  @IsUUID('all', { message: 'methodId must be the id (a UUID) of one of your MFA methods' })
  methodId!: string;
}
