import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { RoleBindingDto } from '../../users/dto/user.dto';

export const ROLE_NAME = /^[a-z][a-z0-9_-]{1,39}$/;
const PERMISSIONS_TEXT =
  'Catalog permissions or wildcard patterns (`convox:app:*`); each must grant something';

export class RoleNameParams {
  @ApiProperty()
  @IsString()
  @MaxLength(64)
  name!: string;
}

export class CreateRoleDto {
  @ApiProperty({ description: 'Lower-case letters, digits, - and _; not a built-in role name' })
  @IsString()
  @Matches(ROLE_NAME, {
    message: 'name must be 2-40 lower-case letters, digits, - or _, starting with a letter',
  })
  name!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiProperty({ type: [String], description: PERMISSIONS_TEXT })
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  permissions!: string[];
}

export class UpdateRoleDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ type: [String], description: PERMISSIONS_TEXT })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  permissions?: string[];
}

export class RoleView {
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ description: 'Built-in roles are read-only' }) builtIn!: boolean;
  @ApiProperty({ description: 'false for cicd, a preset for API tokens only' }) humanAssignable!: boolean;
  @ApiProperty({ type: [String], description: 'Patterns as defined' }) permissions!: string[];
  @ApiProperty({ type: [String], description: 'The concrete catalog permissions they grant' })
  grants!: string[];
}

/** A proposed change to check before saving: a role's new permissions, or a user's new bindings. */
export class PreviewRoleChangeDto {
  @ApiPropertyOptional({ description: 'A role to define or redefine (with permissions), e.g. a custom role' })
  @IsOptional()
  @IsString()
  @Matches(ROLE_NAME)
  role?: string;

  @ApiPropertyOptional({
    type: [String],
    description: `The role's proposed permissions. ${PERMISSIONS_TEXT}`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  permissions?: string[];

  @ApiPropertyOptional({ description: 'A user whose bindings would change' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  user?: string;

  @ApiPropertyOptional({ type: [RoleBindingDto], description: "The user's proposed bindings" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => RoleBindingDto)
  bindings?: RoleBindingDto[];
}
