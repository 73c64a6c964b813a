import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';

/**
 * What the stock convox CLI (3.24) sends for `build`, `deploy`, `run --release` and `releases promote`,
 * request by request: Basic `convox:<token>` from RACK_URL, `User-Agent: convox.go/dev`, `Version: dev`,
 * every path ending in `?`, form posts for parameters, options of `run`/`exec` as headers, the source
 * tarball as a raw body with a Content-Length, build logs and exec as websockets. Errors are shown the
 * way the CLI shows them: `ERROR: <the error field of a JSON body, else the body, else the status>` on
 * stderr and exit code 1. (The convox binary itself is not installed on this machine; this replays its
 * wire protocol.)
 */
export interface ConvoxRun {
  code: number;
  stdout: string;
  stderr: string;
}

const EXIT_MARKER = /F1E49A85-0AD7-4AEF-A618-C249C6E6568D:\s*(-?\d+)/;

class ConvoxError extends Error {}

export class ConvoxWire {
  private out = '';

  /** `rackUrl` is RACK_URL without credentials: `http://127.0.0.1:<port>/api/v1/rack-proxy`. */
  constructor(
    private readonly rackUrl: string,
    private readonly token: string,
  ) {}

  /** `convox build --app <app>` in a git checkout at `gitSha`, with `source` as the packed directory. */
  build(app: string, source: Buffer, gitSha: string | undefined, manifest?: string): Promise<ConvoxRun> {
    return this.command(() => this.buildSteps(app, source, gitSha, manifest));
  }

  /** `convox deploy --app <app>`: build, then promote the build's release. */
  deploy(app: string, source: Buffer, gitSha: string): Promise<ConvoxRun> {
    return this.command(async () => {
      const release = await this.buildSteps(app, source, gitSha);
      await this.promoteSteps(app, release);
    });
  }

  /** `convox releases promote <release> --app <app>`. */
  promote(app: string, release: string): Promise<ConvoxRun> {
    return this.command(() => this.promoteSteps(app, release));
  }

  /** `convox run <service> <command> --release <release> --app <app>` (stdin not a terminal). */
  run(app: string, service: string, command: string, release?: string): Promise<ConvoxRun> {
    return this.command(async () => {
      const headers: Record<string, string> = { Command: 'sleep 3600', Height: '24', Width: '80' };
      if (release) headers.Release = release;
      const process = await this.json<{ id: string }>('POST', `/apps/${app}/services/${service}/processes`, {
        headers,
      });
      try {
        for (let running = 0, polls = 0; running < 2 && polls < 50; polls++) {
          const state = await this.json<{ status: string }>('GET', `/apps/${app}/processes/${process.id}`);
          running = state.status === 'running' ? running + 1 : 0;
          if (running < 2) await sleep(50);
        }
        const code = await this.socket(`/apps/${app}/processes/${process.id}/exec`, {
          Command: command,
          Entrypoint: 'true',
          Height: '24',
          Width: '80',
          Tty: 'false',
        });
        if (code !== 0) throw Object.assign(new ConvoxError(''), { exitCode: code });
      } finally {
        await this.call('DELETE', `/apps/${app}/processes/${process.id}`).catch(() => undefined);
      }
    });
  }

  /** `convox exec <pid> <command> --app <app>`. */
  exec(app: string, pid: string, command: string): Promise<ConvoxRun> {
    return this.command(async () => {
      const code = await this.socket(`/apps/${app}/processes/${pid}/exec`, {
        Command: command,
        Tty: 'false',
      });
      if (code !== 0) throw Object.assign(new ConvoxError(''), { exitCode: code });
    });
  }

  /** `convox builds logs <build> --app <app>`. */
  buildLogs(app: string, build: string): Promise<ConvoxRun> {
    return this.command(() => this.socket(`/apps/${app}/builds/${build}/logs`, {}));
  }

  /** `convox ps stop <pid> --app <app>`. */
  stop(app: string, pid: string): Promise<ConvoxRun> {
    return this.command(async () => {
      this.print(`Stopping ${pid}... `);
      await this.call('DELETE', `/apps/${app}/processes/${pid}`);
      this.print('OK\n');
    });
  }

  /** `convox builds import --app <app>` with the exported build on stdin. */
  importBuild(app: string, archive: Buffer): Promise<ConvoxRun> {
    return this.command(async () => {
      const build = await this.json<{ id: string; release?: string }>('POST', `/apps/${app}/builds/import`, {
        body: archive,
        chunked: true,
      });
      this.print(`Build: ${build.id}\n`);
    });
  }

  private async buildSteps(app: string, source: Buffer, gitSha?: string, manifest?: string): Promise<string> {
    await this.json('GET', '/system');
    this.print('Packaging source... OK\nUploading source... ');
    const object = await this.json<{ Url: string }>(
      'POST',
      `/apps/${app}/objects/tmp/${randomBytes(15).toString('hex')}.tgz`,
      { body: source },
    );
    this.print('OK\nStarting build... ');
    const form: Record<string, string> = { url: object.Url, description: 'build from ci' };
    if (gitSha !== undefined) form['git-sha'] = gitSha;
    if (manifest) form.manifest = manifest;
    const build = await this.json<{ id: string }>('POST', `/apps/${app}/builds`, { form });
    this.print('OK\n');
    await this.socket(`/apps/${app}/builds/${build.id}/logs`, {});
    let finished: { id: string; status: string; release?: string } | undefined;
    for (let polls = 0; polls < 200; polls++) {
      finished = await this.json<{ id: string; status: string; release?: string }>(
        'GET',
        `/apps/${app}/builds/${build.id}`,
      );
      if (finished.status === 'complete' || finished.status === 'failed') break;
      await sleep(50);
    }
    if (finished?.status !== 'complete') throw new ConvoxError(`build failed`);
    this.print(`Build:   ${finished.id}\nRelease: ${finished.release ?? ''}\n`);
    return finished.release ?? '';
  }

  private async promoteSteps(app: string, release: string): Promise<void> {
    await this.waitRunning(app);
    this.print(`Promoting ${release}... `);
    await this.call('POST', `/apps/${app}/releases/${release}/promote`, { form: { force: 'false' } });
    const current = await this.waitRunning(app);
    if (current.release !== release) throw new ConvoxError('rollback');
    this.print('OK\n');
  }

  private async waitRunning(app: string): Promise<{ status: string; release: string }> {
    for (let polls = 0; polls < 200; polls++) {
      const current = await this.json<{ status: string; release: string }>('GET', `/apps/${app}`);
      if (current.status === 'running') return current;
      await sleep(50);
    }
    throw new ConvoxError(`app ${app} did not become running`);
  }

  private async command(steps: () => Promise<unknown>): Promise<ConvoxRun> {
    this.out = '';
    try {
      await steps();
      return { code: 0, stdout: this.out, stderr: '' };
    } catch (error) {
      const exitCode = (error as { exitCode?: number }).exitCode;
      if (exitCode !== undefined) return { code: exitCode, stdout: this.out, stderr: '' };
      if (!(error instanceof ConvoxError)) throw error;
      return { code: 1, stdout: this.out, stderr: `ERROR: ${error.message}\n` };
    }
  }

  private print(text: string): void {
    this.out += text;
  }

  private authorization(): string {
    return `Basic ${Buffer.from(`convox:${this.token}`).toString('base64')}`;
  }

  private async call(
    method: string,
    path: string,
    options: {
      form?: Record<string, string>;
      body?: Buffer;
      headers?: Record<string, string>;
      chunked?: boolean;
    } = {},
  ): Promise<string> {
    const headers: Record<string, string> = {
      'User-Agent': 'convox.go/dev',
      Accept: '*/*',
      Authorization: this.authorization(),
      Version: 'dev',
      'Content-Type': options.form ? 'application/x-www-form-urlencoded' : 'application/octet-stream',
      ...options.headers,
    };
    let body: RequestInit['body'];
    if (options.form) body = new URLSearchParams(options.form).toString();
    else if (options.body && options.chunked) body = new Blob([options.body]).stream();
    else if (options.body) body = options.body;
    const response = await fetch(`${this.rackUrl}${path}?`, {
      method,
      headers,
      body,
      ...(options.chunked ? { duplex: 'half' } : {}),
    } as RequestInit);
    const text = await response.text();
    if (response.status >= 400) {
      let message = text.trim() || `response status ${response.status}`;
      try {
        const parsed = JSON.parse(text) as { error?: unknown };
        if (typeof parsed.error === 'string') message = parsed.error;
      } catch {
        // not JSON: the CLI prints the body as it is
      }
      throw new ConvoxError(message);
    }
    return text;
  }

  private async json<T = unknown>(
    method: string,
    path: string,
    options: Parameters<ConvoxWire['call']>[2] = {},
  ): Promise<T> {
    return JSON.parse(await this.call(method, path, options)) as T;
  }

  /** A websocket session to its end: text frames are printed, the exit marker read. */
  private socket(path: string, headers: Record<string, string>): Promise<number> {
    const url = `${this.rackUrl.replace(/^http/, 'ws')}${path}`;
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, {
        headers: {
          Authorization: this.authorization(),
          Version: 'dev',
          'User-Agent': 'convox.go/dev',
          ...headers,
        },
        perMessageDeflate: false,
      });
      let code = 0;
      socket.on('open', () => socket.send(Buffer.alloc(0), { binary: true }));
      socket.on('message', (data: Buffer, isBinary) => {
        // An empty binary frame is the rack's end-of-stream: the CLI stops reading there.
        if (isBinary) {
          socket.close(1000);
          return resolve(code);
        }
        const text = data.toString('utf8');
        const marker = EXIT_MARKER.exec(text);
        if (marker) code = Number(marker[1]);
        else this.print(text);
      });
      socket.on('unexpected-response', () => reject(new ConvoxError('websocket: bad handshake')));
      socket.on('error', (error) => reject(new ConvoxError(error.message)));
      socket.on('close', () => resolve(code));
    });
  }
}
