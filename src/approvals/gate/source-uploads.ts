import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { GateUpload } from './gate-upload';
import type { SourceInspection } from './source-manifest-tap';

interface UploadRow {
  id: string;
  object_url: string;
  started_at: Date;
  before_approval: boolean;
  approval_request_id: string | null;
  manifests: SourceInspection['manifests'];
  problem: string | null;
}

/**
 * The source uploads of `deploy_with_approval` tokens (table `deploy_source_uploads`). An upload belongs to
 * the token and app that made it; a build binds it to the request its `git-sha` names. The database trigger
 * keeps every step write-once.
 */
@Injectable()
export class SourceUploads {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Takes the object key for an upload that is about to be forwarded; null when the key was already
   * uploaded under the gate (a second upload would overwrite a source whose manifests were read).
   */
  async reserve(
    manager: EntityManager,
    tokenId: string,
    app: string,
    objectKey: string,
  ): Promise<string | null> {
    const rows = (await manager.query(
      `INSERT INTO deploy_source_uploads (target_token_id, app, object_key) VALUES ($1, $2, $3)
       ON CONFLICT (app, object_key) DO NOTHING RETURNING id`,
      [tokenId, app, objectKey],
    )) as { id: string }[];
    return rows[0]?.id ?? null;
  }

  /** The rack stored the upload at `url`: recorded with what the tarball's manifests say. Throws if it cannot be. */
  async complete(id: string, url: string, inspection: SourceInspection): Promise<void> {
    const [, affected] = (await this.dataSource.query(
      `UPDATE deploy_source_uploads SET object_url = $2, manifests = $3, problem = $4, uploaded_at = now()
        WHERE id = $1 AND object_url IS NULL`,
      [id, url, JSON.stringify(inspection.manifests), inspection.problem ?? null],
    )) as [unknown, number];
    if (affected !== 1) throw new Error(`source upload ${id} is no longer reserved`);
  }

  /** The upload did not happen (the rack refused it, the client left): its key is free again. */
  async release(id: string): Promise<void> {
    await this.dataSource.query('DELETE FROM deploy_source_uploads WHERE id = $1 AND object_url IS NULL', [
      id,
    ]);
  }

  /**
   * The finished upload at `url` made by this token for this app, locked in `manager`'s transaction (after
   * the request's row: always in that order, so racing builds queue instead of deadlocking); null when
   * this token made no such upload.
   */
  async forBuild(
    manager: EntityManager,
    tokenId: string,
    app: string,
    url: string,
    approvalId: string,
  ): Promise<GateUpload | null> {
    const rows = (await manager.query(
      `SELECT u.id, u.object_url, u.started_at, u.approval_request_id, u.manifests, u.problem,
              u.started_at < r.approved_at AS before_approval
         FROM deploy_source_uploads u, deploy_approval_requests r
        WHERE u.object_url = $1 AND u.target_token_id = $2 AND u.app = $3 AND r.id = $4
        FOR UPDATE OF u`,
      [url, tokenId, app, approvalId],
    )) as UploadRow[];
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      objectUrl: row.object_url,
      startedAt: row.started_at,
      startedBeforeApproval: row.before_approval === true,
      approvalRequestId: row.approval_request_id,
      inspection: row.problem
        ? { manifests: row.manifests, problem: row.problem }
        : { manifests: row.manifests },
    };
  }

  /** Binds the upload to the request whose build it became, in the build's transaction. Throws if it cannot. */
  async bind(manager: EntityManager, uploadId: string, approvalId: string): Promise<void> {
    const [, affected] = (await manager.query(
      `UPDATE deploy_source_uploads SET approval_request_id = $2, bound_at = COALESCE(bound_at, now())
        WHERE id = $1 AND (approval_request_id IS NULL OR approval_request_id = $2)`,
      [uploadId, approvalId],
    )) as [unknown, number];
    if (affected !== 1) throw new Error(`source upload ${uploadId} is bound to another deploy request`);
  }

  /**
   * Deletes unbound uploads no build can use any more: no request of their token and app that was approved
   * before they started is still approved, unexpired and unbuilt. Rows a build holds are skipped.
   */
  async deleteUnbuildable(): Promise<number> {
    const [, affected] = (await this.dataSource.query(
      `DELETE FROM deploy_source_uploads WHERE id IN (
         SELECT u.id FROM deploy_source_uploads u
          WHERE u.approval_request_id IS NULL
            -- an upload still under way gets an hour to finish (its client may have vanished without a word)
            AND (u.object_url IS NOT NULL OR u.started_at < now() - interval '1 hour')
            AND NOT EXISTS (
              SELECT 1 FROM deploy_approval_requests r
               WHERE r.target_token_id = u.target_token_id AND r.app = u.app AND r.status = 'approved'
                 AND r.expires_at > now() AND r.build_id IS NULL AND r.approved_at <= u.started_at)
          FOR UPDATE SKIP LOCKED)`,
    )) as [unknown, number];
    return affected;
  }
}
