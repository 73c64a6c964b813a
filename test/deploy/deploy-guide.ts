import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const REPO_ROOT = join(__dirname, '..', '..');
const TABLE_START = '<!-- deploy-variables:';
const TABLE_END = '<!-- end of deploy-variables -->';

/** One row of docs/DEPLOY.md's variable table. */
export interface GuideVariable {
  name: string;
  /** The Value column without backticks: a literal (`production`) or a placeholder (`<rack password>`). */
  value: string;
  /** The "Set by" column: `image`, `convox.yml`, `convox env set` or a resource. */
  setBy: string;
}

/** What the production-boot test takes from docs/DEPLOY.md and the Dockerfile, so they cannot drift apart. */
export interface DeployGuide {
  variables: GuideVariable[];
  convoxYml: string;
  /** `environment:` entries of the web service: name, and the default after `=` if any. */
  convoxEnvironment: { name: string; value?: string }[];
  /** The arguments after `node` of the guide's operator command that creates a token. */
  createTokenCommand: string[];
  /** `ENV` of the Dockerfile's runtime stage. */
  imageEnvironment: Record<string, string>;
}

const cell = (text: string): string => text.trim().replace(/^`|`$/g, '');

export function readDeployGuide(): DeployGuide {
  const guide = readFileSync(join(REPO_ROOT, 'docs', 'DEPLOY.md'), 'utf8');
  const start = guide.indexOf(TABLE_START);
  const end = guide.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error('docs/DEPLOY.md has no deploy-variables table');
  const variables = guide
    .slice(start, end)
    .split('\n')
    .filter((line) => /^\|\s*`[A-Z0-9_]+`/.test(line))
    .map((line) => {
      const [name, value, setBy] = line.split('|').slice(1).map(cell);
      return { name, value, setBy };
    });

  const convoxYml = /## convox\.yml[\s\S]*?```yaml\n([\s\S]*?)```/.exec(guide)?.[1];
  if (!convoxYml) throw new Error('docs/DEPLOY.md has no convox.yml block');
  const environmentBlock = /\n {4}environment:\n((?: {6}- .*\n)+)/.exec(convoxYml)?.[1] ?? '';
  const convoxEnvironment = [...environmentBlock.matchAll(/- ([A-Z0-9_]+)(?:=(.*))?/g)].map((match) => ({
    name: match[1],
    value: match[2],
  }));

  const command =
    /`convox run web -a rack-gateway -- node (dist\/src\/manage\/manage\.cli\.js create-token [^`]+)`/.exec(
      guide,
    )?.[1];
  if (!command) throw new Error('docs/DEPLOY.md shows no create-token operator command');

  const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
  const runtimeStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const envLine = /\nENV (.+)\n/.exec(runtimeStage)?.[1] ?? '';
  const imageEnvironment = Object.fromEntries(
    envLine.split(/\s+/).map((pair) => pair.split('=') as [string, string]),
  );

  return {
    variables,
    convoxYml,
    convoxEnvironment,
    createTokenCommand: command.split(/\s+/),
    imageEnvironment,
  };
}
