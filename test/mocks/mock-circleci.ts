import { type RecordingServer, startRecordingServer } from './recording-server';

export interface MockCircleCiJob {
  id: string;
  name: string;
  type: 'build' | 'approval';
  status: string;
  approval_request_id?: string;
}

export interface MockCircleCi extends RecordingServer {
  workflows: Record<string, MockCircleCiJob[]>;
}

/**
 * CircleCI API v2 for what auto-approve uses: `GET /workflow/{id}/job` and
 * `POST /workflow/{id}/approve/{approval_request_id}` (an on-hold approval job becomes `success`).
 * Every call must carry the expected `Circle-Token`, as the real API requires.
 */
export async function startMockCircleCi(
  token: string,
  workflows: Record<string, MockCircleCiJob[]>,
): Promise<MockCircleCi> {
  const server = await startRecordingServer((req, path) => {
    if (req.headers['circle-token'] !== token)
      return { status: 401, body: { message: 'Invalid token provided.' } };
    const list = /^\/workflow\/([^/]+)\/job$/.exec(path);
    if (req.method === 'GET' && list) {
      const jobs = workflows[decodeURIComponent(list[1])];
      return jobs
        ? { status: 200, body: { items: jobs, next_page_token: null } }
        : { status: 404, body: { message: 'Workflow not found' } };
    }
    const approve = /^\/workflow\/([^/]+)\/approve\/([^/]+)$/.exec(path);
    if (req.method === 'POST' && approve) {
      const job = workflows[decodeURIComponent(approve[1])]?.find(
        (j) => j.approval_request_id === decodeURIComponent(approve[2]),
      );
      if (!job || job.status !== 'on_hold')
        return { status: 400, body: { message: 'Invalid approval job state' } };
      job.status = 'success';
      return { status: 202, body: { message: 'Accepted.' } };
    }
    return { status: 404, body: { message: 'Not found' } };
  });
  return Object.assign(server, { workflows });
}
