import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';

const HUMAN_ROLES = ['viewer', 'ops', 'deployer', 'admin'];

export class CreateUserDto {
  @ApiProperty()
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiProperty({ enum: HUMAN_ROLES, isArray: true })
  @IsArray()
  @ArrayMaxSize(4)
  @IsString({ each: true })
  roles!: string[];
}

export class UpdateUserDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ enum: HUMAN_ROLES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(4)
  @IsString({ each: true })
  roles?: string[];
}

export class LockUserDto {
  @ApiProperty({ description: 'Shown to admins and recorded in the audit log' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}

export class ListUsersQuery {
  @ApiPropertyOptional({ enum: [...HUMAN_ROLES] })
  @IsOptional()
  @IsIn(HUMAN_ROLES)
  role?: string;

  @ApiPropertyOptional({ description: 'Substring of email or name' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  locked?: boolean;
}
