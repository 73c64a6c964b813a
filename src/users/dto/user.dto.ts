import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';

const ROLES_TEXT = 'Built-in roles (viewer, ops, deployer, admin) or custom roles; held on every app';

/** One role binding: a role, everywhere or only on some apps. */
export class RoleBindingDto {
  @ApiProperty({ description: 'A built-in role (not cicd) or a custom role' })
  @IsString()
  @MaxLength(64)
  role!: string;

  @ApiPropertyOptional({
    description: 'App names or globs (`web-*`) the role holds on; omitted: every app and the gateway',
    type: [String],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(63, { each: true })
  apps?: string[];
}

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

  @ApiPropertyOptional({ description: ROLES_TEXT, type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  roles?: string[];

  @ApiPropertyOptional({
    type: [RoleBindingDto],
    description: 'Instead of roles: bindings, optionally scoped to apps',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => RoleBindingDto)
  bindings?: RoleBindingDto[];
}

/** The same rules as creating a user, without the email: an account's address never changes. */
export class UpdateUserDto extends OmitType(CreateUserDto, ['email'] as const) {}

export class LockUserDto {
  @ApiProperty({ description: 'Shown to admins and recorded in the audit log' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}

export class ListUsersQuery {
  @ApiPropertyOptional({ description: 'Only holders of this role (built-in or custom, scoped or not)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
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
