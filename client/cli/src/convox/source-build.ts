import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Presets, SingleBar } from 'cli-progress';
import { createSourceArchive } from '../archive/source-archive';
import { readLocalGit } from '../resolve/local-git';
import { CliError } from '../cli/cli-error';
import type { GatewayClient } from '../http/gateway-client';
import { uploadFile, type UploadProgress } from '../http/object-upload';
import { runConvoxSocket } from '../stream/convox-socket';
import type { ConvoxBuild, ConvoxObject } from './convox-types';

const BUILD_TIMEOUT_MS = 60 * 60 * 1000;

export interface SourceBuildOptions {
  description?: string;
  manifest?: string;
  noCache?: boolean;
  log: (line: string) => void;
  output: NodeJS.WritableStream;
}

function progressBar(): UploadProgress {
  const bar = new SingleBar(
    { format: 'Uploading source [{bar}] {percentage}% | {value}/{total} bytes', stream: process.stderr },
    Presets.shades_classic,
  );
  return {
    start: (total) => bar.start(total, 0),
    advance: (sent) => bar.update(sent),
    stop: () => bar.stop(),
  };
}

async function waitForBuild(client: GatewayClient, app: string, id: string): Promise<ConvoxBuild> {
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const build = await client.rack<ConvoxBuild>('GET', `/apps/${app}/builds/${id}`);
    if (build.status === 'complete') return build;
    if (build.status === 'failed')
      throw new CliError(`build ${id} failed${build.reason ? `: ${build.reason}` : ''}`);
    if (build.status !== 'created' && build.status !== 'running') {
      throw new CliError(`unexpected build status: ${build.status ?? '(none)'}`);
    }
    await sleep(1000);
  }
  throw new CliError(`timed out waiting for build ${id}`);
}

/**
 * What `convox build` does: archive the directory (honouring .dockerignore), store it as a rack object,
 * start a build from it, stream its logs, and wait for it to finish. Resolves to the finished build,
 * whose `release` is the release the build created.
 */
export async function buildFromSource(
  client: GatewayClient,
  app: string,
  directory: string,
  options: SourceBuildOptions,
): Promise<ConvoxBuild> {
  options.log('Packaging source...');
  const archive = await createSourceArchive(directory);
  let object: ConvoxObject;
  try {
    const key = `tmp/${randomBytes(15).toString('hex')}.tgz`;
    const body = await uploadFile(client, `/apps/${app}/objects/${key}`, archive.path, progressBar());
    object = JSON.parse(body) as ConvoxObject;
  } catch (error) {
    if (error instanceof SyntaxError)
      throw new CliError('the rack answered the source upload with something other than JSON');
    throw error;
  } finally {
    archive.dispose();
  }
  options.log('Starting build...');
  const build = await client.rack<ConvoxBuild>('POST', `/apps/${app}/builds`, {
    form: {
      url: object.Url,
      description: options.description,
      manifest: options.manifest,
      'no-cache': options.noCache ? 'true' : undefined,
      // Like convox: the checkout's commit, which binds the build to a deploy approval for that commit.
      'git-sha': readLocalGit(directory).commit,
    },
  });
  await runConvoxSocket(client, `/apps/${app}/builds/${build.id}/logs`, { output: options.output });
  const finished = await waitForBuild(client, app, build.id);
  options.log(`Build: ${finished.id}`);
  if (!finished.release) throw new CliError(`build ${finished.id} finished without a release`);
  options.log(`Release: ${finished.release}`);
  return finished;
}
