import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ManifestServices } from './image-patterns';

/** The manifests of the source uploaded under one deploy approval (migration 1796173058900). */
@Entity('deploy_approval_sources')
export class DeployApprovalSourceEntity {
  @PrimaryColumn('uuid', { name: 'approval_request_id' }) approvalRequestId!: string;
  @Column('text', { name: 'object_url' }) objectUrl!: string;
  /** Manifest path in the archive → service → image (null: built from source). */
  @Column('jsonb') manifests!: Record<string, ManifestServices>;
  @Column('text', { nullable: true }) problem!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
