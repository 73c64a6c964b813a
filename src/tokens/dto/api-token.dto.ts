import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

export class CreateApiTokenDto {
  @ApiProperty({ example: 'github-actions' })
  @IsString()
  @MinLength(1)
  @MaxLength(150)
  name!: string;

  @ApiPropertyOptional({
    description: 'Permissions or patterns; each must be held by the owner (and by you)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  permissions?: string[];

  @ApiPropertyOptional({ description: 'Preset used when `permissions` is empty, e.g. `cicd`' })
  @IsOptional()
  @IsString()
  role?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 3650 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  expiresInDays?: number;

  @ApiPropertyOptional({ description: "Owner's email when creating for someone else (gateway:token:create)" })
  @IsOptional()
  @IsEmail()
  email?: string;
}

export class ListApiTokensQuery {
  @ApiPropertyOptional({ description: "Every user's tokens (gateway:token:read)" })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  all?: boolean;
}
