import { Injectable } from '@nestjs/common';
import {
  AuditSnapshot,
  AuditSnapshotTarget,
  AuditState,
  stringField,
} from '../access-control/audit-snapshot';
import { RoleDirectory } from '../rbac/role-directory.service';

/** A custom role as the audit trail records it around a change: its name, description and patterns. */
@Injectable()
export class RoleAuditSnapshot extends AuditSnapshot {
  constructor(private readonly roles: RoleDirectory) {
    super();
  }

  snapshot(target: AuditSnapshotTarget): Promise<AuditState | null> {
    const name = target.params.name ?? stringField(target.body, 'name');
    const role = name ? this.roles.customRole(name) : undefined;
    return Promise.resolve(
      role ? { name: role.name, description: role.description, permissions: role.permissions } : null,
    );
  }
}
