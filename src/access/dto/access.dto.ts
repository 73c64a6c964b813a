import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export class WhoCanQuery {
  @ApiProperty({ description: 'A catalog permission, e.g. convox:env:set' })
  @IsString()
  @MaxLength(100)
  permission!: string;

  @ApiPropertyOptional({
    description: 'Only who can on this app (scoped bindings count when it is in scope)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(63)
  app?: string;
}

export class UserAccessParams {
  @ApiProperty()
  @IsEmail()
  @MaxLength(254)
  email!: string;
}

export class AccessReviewQuery {
  @ApiPropertyOptional({ enum: ['csv', 'json'], description: 'csv (default, streamed) or json' })
  @IsOptional()
  @IsIn(['csv', 'json'])
  format?: 'csv' | 'json';
}
