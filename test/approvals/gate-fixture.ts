import { gzipSync } from 'node:zlib';
import { tarArchive } from '../../src/dev/mock-rack/state/tar-archive';
import { SettingsService } from '../../src/settings/settings.service';
import { RackInspector } from '../cli/rack-inspector';
import {
  nextCommit,
  requestBody,
  startApprovalsStack,
  type ApprovalsStack,
  type IssuedToken,
} from './approvals-fixture';
import { ConvoxWire } from './convox-wire';

/** What the gate tests share: the approvals stack, a cicd token's convox, and ways to set up requests. */
export interface GateStack {
  env: ApprovalsStack;
  /** The stock convox CLI's requests with the cicd token (owned by deployer@example.com). */
  convox: ConvoxWire;
  rack: RackInspector;
  /** A pending request of the cicd token for `app` at a fresh commit. */
  requested(app?: string, commit?: string): Promise<{ id: string; commit: string }>;
  /** Requested and approved by admin@example.com. */
  approved(app?: string, commit?: string): Promise<{ id: string; commit: string }>;
  /** A request of `token` (another cicd token) for `app` at a fresh commit, approved by admin@example.com. */
  approvedFor(token: IssuedToken, app: string): Promise<{ id: string; commit: string }>;
  setting(key: string, value: unknown, app?: string): Promise<void>;
  row(id: string): Promise<ApprovalRow>;
  close(): Promise<void>;
}

export interface ApprovalRow {
  status: string;
  object_url: string | null;
  build_id: string | null;
  release_id: string | null;
  process_ids: string[];
  exec_commands: { processId: string; command: string }[];
}

/** The credential the convox CLI sends from RACK_URL (`convox:<token>`). */
export function convoxAuth(secret: string): string {
  return `Basic ${Buffer.from(`convox:${secret}`).toString('base64')}`;
}

/** A gzipped source tarball whose convox.yml gives `web` the image `image` (or a build when undefined). */
export function sourceWith(image?: string, extra: Record<string, string> = {}): Buffer {
  const web = image ? `    image: ${image}\n` : '    build: .\n';
  return gzipSync(
    tarArchive({ 'convox.yml': `services:\n  web:\n${web}    port: 3000\n`, 'app.js': 'ok', ...extra }),
  );
}

/** What `convox run --release R web bin/migrate` needs approved: the `sleep 3600` it starts, then the command. */
export const MIGRATE = ['sleep 3600', 'bin/migrate'];

export async function startGateStack(
  options: { env?: Record<string, string>; myappCommands?: string[] } = {},
): Promise<GateStack> {
  const approvals = await startApprovalsStack(options.env);
  const settings = approvals.stack.gateway.app.get(SettingsService);
  if (options.myappCommands)
    await settings.set('deploy.approved_commands', options.myappCommands, 'admin@example.com', 'myapp');
  const requested = async (app = 'myapp', commit = nextCommit(), token = approvals.ci) => {
    const created = await approvals.call(
      token.secret,
      'POST',
      '/deploy-approval-requests',
      requestBody(commit, { app }),
    );
    if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
    return { id: created.body.id as string, commit };
  };
  const approve = async (pending: Promise<{ id: string; commit: string }>) => {
    const request = await pending;
    const approved = await approvals.call(
      approvals.sessions.admin,
      'POST',
      `/deploy-approval-requests/${request.id}/approve`,
      { notes: 'ok' },
    );
    if (approved.status !== 200)
      throw new Error(`approve: ${approved.status} ${JSON.stringify(approved.body)}`);
    return request;
  };
  return {
    env: approvals,
    convox: new ConvoxWire(approvals.stack.proxyUrl, approvals.ci.secret),
    rack: new RackInspector(approvals.stack.rack),
    requested,
    approved: (app, commit) => approve(requested(app, commit)),
    approvedFor: (token, app) => approve(requested(app, undefined, token)),
    setting: async (key, value, app) => {
      await settings.set(key, value, 'admin@example.com', app);
    },
    row: async (id) => {
      const result = await approvals.db.query<ApprovalRow>(
        'SELECT status, object_url, build_id, release_id, process_ids, exec_commands FROM deploy_approval_requests WHERE id = $1',
        [id],
      );
      return result.rows[0];
    },
    close: () => approvals.close(),
  };
}
