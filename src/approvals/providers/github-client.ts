import { providerJson } from './provider-http';

/** Where `head` stands relative to `base` (GitHub's compare API). */
export type CompareStatus = 'identical' | 'behind' | 'ahead' | 'diverged';

/** GitHub REST API: the one call commit verification needs. */
export class GitHubClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** `GET /repos/{owner}/{repo}/compare/{base}...{head}` → its status. */
  async compare(repo: string, base: string, head: string): Promise<CompareStatus> {
    const [owner, name] = repo.split('/');
    const body: { status: CompareStatus } = await providerJson(
      'GitHub',
      'GET',
      this.baseUrl,
      `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/compare/${encodeURIComponent(base)}...${encodeURIComponent(head)}`,
      {
        'x-github-api-version': '2022-11-28',
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
    );
    return body.status;
  }
}
