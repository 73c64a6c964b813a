import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';

/**
 * The CI examples of docs/DEPLOY_APPROVALS.md as scripts a test can run: each example is the fenced
 * block after `<!-- ci-example: <name> -->`, parsed as the CI would parse it, so the doc and the test
 * cannot drift apart.
 */
export interface CiStep {
  name: string;
  script: string;
  /** The job's `env`/`environment`, with CI expressions already replaced. */
  env: Record<string, string>;
}

export interface CiJob {
  name: string;
  steps: CiStep[];
  /** Steps not run by the tests (they install tools from the internet), by name. */
  skipped: string[];
}

const DOC = join(__dirname, '..', '..', 'docs', 'DEPLOY_APPROVALS.md');

export function exampleBlock(name: string, markdown = readFileSync(DOC, 'utf8')): string {
  const marker = `<!-- ci-example: ${name} -->`;
  const at = markdown.indexOf(marker);
  if (at < 0) throw new Error(`docs/DEPLOY_APPROVALS.md has no ${marker}`);
  const block = /```ya?ml\n([\s\S]*?)\n```/.exec(markdown.slice(at));
  if (!block) throw new Error(`no yaml block after ${marker}`);
  return block[1];
}

/** The text of the `## <title>` section, up to the next `## `. */
export function docSection(title: string, markdown = readFileSync(DOC, 'utf8')): string {
  const start = markdown.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`docs/DEPLOY_APPROVALS.md has no section ${title}`);
  const end = markdown.indexOf('\n## ', start + 4);
  return markdown.slice(start, end < 0 ? undefined : end);
}

/** Replaces every `${{ … }}` (GitHub) or `<< … >>` (CircleCI) with its test value; an unknown one fails. */
function substitute(text: string, values: Record<string, string>): string {
  return text.replace(
    /\$\{\{\s*([\w.]+)\s*\}\}|<<\s*([\w.]+)\s*>>/g,
    (_match, github?: string, circle?: string) => {
      const key = (github ?? circle)!;
      if (!(key in values)) throw new Error(`the example uses ${key}, which the test does not provide`);
      return values[key];
    },
  );
}

const isInstall = (name: string) => /^install\b/i.test(name);

interface GithubWorkflow {
  jobs: Record<
    string,
    { env?: Record<string, string>; steps: Array<{ name?: string; uses?: string; run?: string }> }
  >;
}

/** The workflow's jobs with their `run:` steps; `uses:` steps and install steps are skipped. */
export function githubJobs(values: Record<string, string>): CiJob[] {
  const workflow = load(substitute(exampleBlock('github-actions'), values)) as GithubWorkflow;
  return Object.entries(workflow.jobs).map(([name, job]) => {
    const steps: CiStep[] = [];
    const skipped: string[] = [];
    for (const step of job.steps) {
      const label = step.name ?? step.uses ?? '(unnamed)';
      if (step.uses || !step.run || isInstall(label)) skipped.push(label);
      else steps.push({ name: label, script: step.run, env: { ...(job.env ?? {}) } });
    }
    return { name, steps, skipped };
  });
}

type CircleStep = 'checkout' | { run: string | { name?: string; command: string } };

interface CircleConfig {
  jobs: Record<string, { environment?: Record<string, string | number>; steps: CircleStep[] }>;
  workflows: Record<string, { jobs: Array<string | Record<string, { type?: string; requires?: string[] }>> }>;
}

export interface CircleWorkflow {
  /** Jobs in the workflow's order; an approval job has no steps and `approval: true`. */
  jobs: Array<CiJob & { approval: boolean; requires: string[] }>;
}

export function circleWorkflow(values: Record<string, string>): CircleWorkflow {
  const config = load(substitute(exampleBlock('circleci'), values)) as CircleConfig;
  const [workflow] = Object.values(config.workflows);
  return {
    jobs: workflow.jobs.map((entry) => {
      const [name, settings] = typeof entry === 'string' ? [entry, {}] : Object.entries(entry)[0];
      const requires = settings.requires ?? [];
      if (settings.type === 'approval') return { name, steps: [], skipped: [], approval: true, requires };
      const job = config.jobs[name];
      if (!job) throw new Error(`workflow job ${name} is not defined`);
      const env = Object.fromEntries(Object.entries(job.environment ?? {}).map(([k, v]) => [k, String(v)]));
      const steps: CiStep[] = [];
      const skipped: string[] = [];
      for (const step of job.steps) {
        if (step === 'checkout') {
          skipped.push('checkout');
          continue;
        }
        const run = typeof step.run === 'string' ? { name: step.run, command: step.run } : step.run;
        const label = run.name ?? run.command;
        if (isInstall(label)) skipped.push(label);
        else steps.push({ name: label, script: run.command, env });
      }
      return { name, steps, skipped, approval: false, requires };
    }),
  };
}
