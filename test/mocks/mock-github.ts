import { type RecordingServer, startRecordingServer } from './recording-server';

export interface MockGitHub extends RecordingServer {
  /** Branch name → its commits, oldest first (the last is the head). */
  branches: Record<string, string[]>;
  /** While true every call answers 503. */
  failing: boolean;
}

/**
 * GitHub's compare API for one repository, `GET /repos/{owner}/{repo}/compare/{base}...{head}`, computed
 * from a table of branches: `identical` at the head, `behind` for an older commit of the branch,
 * `diverged` for a commit of another branch, 404 for an unknown branch or commit.
 */
export async function startMockGitHub(repo: string, branches: Record<string, string[]>): Promise<MockGitHub> {
  // The route reads the returned object, so a test can change `branches` or `failing` at any time.
  const state = { branches, failing: false } as MockGitHub;
  const server = await startRecordingServer((_req, path) => {
    if (state.failing) return { status: 503, body: { message: 'Service Unavailable' } };
    const match = /^\/repos\/([^/]+)\/([^/]+)\/compare\/(.+)\.\.\.([^/?]+)$/.exec(path);
    if (!match || `${decodeURIComponent(match[1])}/${decodeURIComponent(match[2])}` !== repo)
      return { status: 404, body: { message: 'Not Found' } };
    const base = decodeURIComponent(match[3]);
    const head = decodeURIComponent(match[4]);
    const history = state.branches[base];
    const known = Object.values(state.branches).some((commits) => commits.includes(head));
    if (!history || !known) return { status: 404, body: { message: 'Not Found' } };
    const status =
      history[history.length - 1] === head ? 'identical' : history.includes(head) ? 'behind' : 'diverged';
    return { status: 200, body: { status, ahead_by: 0, behind_by: 0 } };
  });
  return Object.assign(state, server);
}
