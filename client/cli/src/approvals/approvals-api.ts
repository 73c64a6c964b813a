import { CliError } from '../cli/cli-error';
import { API_PREFIX, type GatewayClient, type Params, type RawResponse } from '../http/gateway-client';
import { approvalFailureMessage } from './approval-refusals';
import {
  APPROVALS_PATH,
  approvalPath,
  type ApprovalConflict,
  type ApprovalRequest,
  type ApprovalRequestPage,
} from './approval-request';

export interface CreateApprovalBody {
  app: string;
  gitCommit: string;
  gitBranch?: string;
  message: string;
  ciMetadata?: Record<string, unknown>;
  targetTokenId?: string;
  prUrl?: string;
  ciUrl?: string;
}

export type DecisionAction = 'approve' | 'reject' | 'extend' | 'cancel';

/** One poll while waiting: the request, or a passing failure (network, 5xx) worth another try. */
export type PollResult = { request: ApprovalRequest } | { transient: string };

function parse<T>(response: RawResponse): T {
  return JSON.parse(response.body) as T;
}

/** `/api/v1/deploy-approval-requests` for the CLI, every refusal turned into the gateway's own sentence. */
export class ApprovalsApi {
  constructor(private readonly client: GatewayClient) {}

  /** A new request, or (409) the open one that already exists for this token, app and commit. */
  async create(body: CreateApprovalBody): Promise<{ created: boolean; request: ApprovalRequest }> {
    const response = await this.send('POST', APPROVALS_PATH, { json: body });
    if (response.status === 409) {
      const conflict = parse<ApprovalConflict>(response);
      if (conflict.id) {
        return {
          created: false,
          request:
            conflict.request ?? ({ ...body, id: conflict.id, status: conflict.status } as ApprovalRequest),
        };
      }
    }
    return { created: true, request: this.expectOk<ApprovalRequest>(response) };
  }

  async get(id: string): Promise<ApprovalRequest> {
    return this.expectOk(await this.send('GET', approvalPath(id)));
  }

  async list(query: Params): Promise<ApprovalRequestPage> {
    return this.expectOk(await this.send('GET', APPROVALS_PATH, { query }));
  }

  async decide(id: string, action: DecisionAction, notes?: string): Promise<ApprovalRequest> {
    return this.expectOk(await this.send('POST', approvalPath(id, action), { json: notes ? { notes } : {} }));
  }

  /** Like get, but a dropped connection or a gateway restart (5xx) does not end a long wait. */
  async poll(id: string): Promise<PollResult> {
    let response: RawResponse;
    try {
      response = await this.send('GET', approvalPath(id));
    } catch (error) {
      return { transient: (error as Error).message };
    }
    if (response.status >= 500) return { transient: `gateway answered HTTP ${response.status}` };
    return { request: this.expectOk(response) };
  }

  private send(method: string, path: string, options?: Parameters<GatewayClient['send']>[2]) {
    return this.client.send(method, `${API_PREFIX}${path}`, options);
  }

  private expectOk<T>(response: RawResponse): T {
    if (response.status >= 400) {
      throw new CliError(approvalFailureMessage(response.status, response.body, this.client.target));
    }
    return parse<T>(response);
  }
}
