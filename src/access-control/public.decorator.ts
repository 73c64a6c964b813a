import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';

export const IS_PUBLIC = 'rgw:isPublic';

/**
 * Marks a route as reachable without credentials. Every other route needs an authenticated principal
 * (the global guard is closed by default), so this decorator is the only way to open one. In the OpenAPI
 * document it states the empty security requirement (`security: [{}]`): no credentials needed.
 */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiSecurity({}));
