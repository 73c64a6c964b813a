import { execFileSync } from 'node:child_process';

export interface GitFacts {
  commit?: string;
  branch?: string;
}

function git(cwd: string, args: string[]): string | undefined {
  try {
    return (
      execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() ||
      undefined
    );
  } catch {
    return undefined; // not a checkout, or git is not installed
  }
}

/** The checkout's HEAD commit and branch (none when detached), for requests made outside CI. */
export function readLocalGit(cwd: string): GitFacts {
  const branch = git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']);
  return { commit: git(cwd, ['rev-parse', 'HEAD']), branch: branch === 'HEAD' ? undefined : branch };
}
