import { Injectable, OnModuleInit } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { IS_AUTHENTICATED } from '../authenticated.decorator';
import { IS_PUBLIC } from '../public.decorator';
import { REQUIRED_PERMISSION } from '../require-permission.decorator';
import { isKnownPermission } from '../../rbac/permission-catalog';

/**
 * Controller routes that declare none of @Public, @Authenticated or @RequirePermission, and routes whose
 * @RequirePermission names a permission the catalog does not know (a typo would deny everyone).
 */
export function undeclaredRoutes(
  controllers: { name: string; prototype: object; target: object }[],
  scanner: MetadataScanner,
  reflector: Reflector,
): string[] {
  const missing: string[] = [];
  for (const controller of controllers) {
    for (const method of scanner.getAllMethodNames(controller.prototype)) {
      const handler = (controller.prototype as Record<string, unknown>)[method];
      if (typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined)
        continue;
      const targets = [handler, controller.target] as [() => unknown, object];
      const declared = [IS_PUBLIC, IS_AUTHENTICATED, REQUIRED_PERMISSION].some(
        (key) => reflector.getAllAndOverride(key, targets as never) !== undefined,
      );
      const permission = reflector.getAllAndOverride<string | undefined>(
        REQUIRED_PERMISSION,
        targets as never,
      );
      if (!declared) missing.push(`${controller.name}.${method}`);
      else if (permission !== undefined && !isKnownPermission(permission))
        missing.push(`${controller.name}.${method} (unknown permission ${permission})`);
    }
  }
  return missing;
}

/**
 * Refuses to start the gateway when any controller route says nothing about who may call it. The guards
 * would deny such a route anyway; failing at boot makes the omission impossible to ship unnoticed.
 */
@Injectable()
export class RouteDeclarationCheck implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const controllers = this.discovery
      .getControllers()
      .filter((wrapper) => wrapper.metatype && wrapper.instance)
      .map((wrapper) => ({
        name: wrapper.name,
        prototype: Object.getPrototypeOf(wrapper.instance) as object,
        target: wrapper.metatype as object,
      }));
    const missing = undeclaredRoutes(controllers, this.scanner, this.reflector);
    if (missing.length > 0) {
      throw new Error(
        `routes without an access declaration (@Public, @Authenticated or @RequirePermission): ${missing.join(', ')}`,
      );
    }
  }
}
