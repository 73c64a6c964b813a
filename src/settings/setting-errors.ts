import { HttpException, HttpStatus } from '@nestjs/common';
import type { SettingDefinition } from './setting-definition';

const refuse = (status: HttpStatus, error: string, message: string) =>
  new HttpException({ error, message }, status);

export function unknownSetting(key: string): HttpException {
  return refuse(HttpStatus.NOT_FOUND, 'unknown_setting', `no setting is named ${JSON.stringify(key)}`);
}

export function wrongScope(definition: SettingDefinition): HttpException {
  const where =
    definition.scope === 'app'
      ? `per app: use /api/v1/apps/<app>/settings/${definition.key}`
      : `global: use /api/v1/settings/${definition.key}`;
  return refuse(HttpStatus.BAD_REQUEST, 'wrong_setting_scope', `${definition.key} is ${where}`);
}

/** Names the key and the rule; the rejected value is echoed only when the setting is not sensitive. */
export function invalidValue(definition: SettingDefinition, value: unknown): HttpException {
  const got = definition.sensitive ? '' : ` (got ${JSON.stringify(value)?.slice(0, 200)})`;
  return refuse(
    HttpStatus.BAD_REQUEST,
    'invalid_setting_value',
    `${definition.key} must be ${definition.type.rule}${got}`,
  );
}
