import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'rgw:isPublic';

/**
 * Marks a route as reachable without credentials. Every other route needs an authenticated principal
 * (the global guard is closed by default), so this decorator is the only way to open one.
 */
export const Public = () => SetMetadata(IS_PUBLIC, true);
