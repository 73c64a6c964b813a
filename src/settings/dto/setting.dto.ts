import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsString, Matches, MaxLength } from 'class-validator';
import { APP_NAME } from '../settings-registry';

export class WriteSettingDto {
  @ApiProperty({
    description:
      'The new value, in the setting\'s JSON form: a boolean, a number, a duration text such as "15m", a string, a list of strings, or an object (see GET for each setting\'s rule)',
    example: '15m',
  })
  @IsDefined({ message: 'value is required (the body is {"value": ...})' })
  value!: unknown;
}

export class GlobalSettingParams {
  @ApiProperty({ example: 'proxy.allow_destructive_actions' })
  @IsString()
  @MaxLength(200)
  key!: string;
}

export class AppParams {
  @ApiProperty({ example: 'web' })
  @Matches(APP_NAME, {
    message:
      'app must be a Convox app name: lower-case letters, digits and dashes, starting with a letter, at most 63 characters',
  })
  app!: string;
}

export class AppSettingParams extends AppParams {
  @ApiProperty({ example: 'env.app_secret_keys' })
  @IsString()
  @MaxLength(200)
  key!: string;
}
