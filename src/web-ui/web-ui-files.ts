import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Vite writes this placeholder into every script, style and link tag (`html.cspNonce`); we swap it. */
export const NONCE_PLACEHOLDER = 'RGW_CSP_NONCE';

/**
 * Where the built console lives: the nearest `client/web/dist` above this file (the repository in
 * development and tests, /app in the Docker image). Undefined when it has not been built.
 */
export function findWebUiDist(from: string = __dirname): string | undefined {
  for (let dir = from; dirname(dir) !== dir; dir = dirname(dir)) {
    const dist = join(dir, 'client', 'web', 'dist');
    if (existsSync(join(dist, 'index.html'))) return dist;
  }
  return undefined;
}

/**
 * index.html split at the nonce placeholder, so each response only joins the parts. Read again when the
 * file changes (a rebuild while the gateway runs points it at new asset names).
 */
export class IndexPage {
  private readonly file: string;
  private parts: string[] = [];
  private readAtMs = -1;

  constructor(distDir: string) {
    this.file = join(distDir, 'index.html');
  }

  render(nonce: string): string {
    const changedAtMs = statSync(this.file).mtimeMs;
    if (changedAtMs !== this.readAtMs) {
      this.parts = readFileSync(this.file, 'utf8').split(NONCE_PLACEHOLDER);
      this.readAtMs = changedAtMs;
    }
    return this.parts.join(nonce);
  }
}
