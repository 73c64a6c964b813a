import { providerJson } from './provider-http';

/** A job of a CircleCI workflow as API v2 lists it (the fields we use). */
export interface CircleCiJob {
  name: string;
  type: string;
  status: string;
  /** For `type: approval` jobs: the id the approve call takes. */
  approval_request_id?: string;
}

const segment = (value: string) => encodeURIComponent(value);

/** CircleCI API v2: list a workflow's jobs, approve an approval job. */
export class CircleCiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async workflowJobs(workflowId: string): Promise<CircleCiJob[]> {
    const jobs: CircleCiJob[] = [];
    let pageToken: string | null = null;
    // A workflow has few jobs; the page limit only guards against a server that never stops paging.
    for (let page = 0; page < 20; page += 1) {
      const query: string = pageToken ? `?page-token=${encodeURIComponent(pageToken)}` : '';
      const body: { items: CircleCiJob[]; next_page_token: string | null } = await providerJson(
        'CircleCI',
        'GET',
        this.baseUrl,
        `/workflow/${segment(workflowId)}/job${query}`,
        this.headers(),
      );
      jobs.push(...body.items);
      pageToken = body.next_page_token;
      if (!pageToken) break;
    }
    return jobs;
  }

  async approve(workflowId: string, approvalRequestId: string): Promise<void> {
    await providerJson(
      'CircleCI',
      'POST',
      this.baseUrl,
      `/workflow/${segment(workflowId)}/approve/${segment(approvalRequestId)}`,
      this.headers(),
    );
  }

  private headers(): Record<string, string> {
    return { 'Circle-Token': this.token };
  }
}
