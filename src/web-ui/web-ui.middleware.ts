import type { NextFunction, Request, Response } from 'express';
import { static as serveStatic } from 'express';
import { randomBytes } from 'node:crypto';
import { consoleCsp } from './content-security-policy';
import { IndexPage } from './web-ui-files';

export const WEB_UI_PREFIX = '/app';

/** Vite puts content-hashed files here: their bytes never change under a name, so caches keep them. */
const HASHED_ASSETS = /^\/assets\//;

/**
 * Serves the built console under /app/: hashed assets cached for a year (`immutable`), everything else
 * revalidated, and index.html — for `/app/` and every client-side route (any path that is not a built
 * file, outside /assets/) — never stored, with a fresh CSP nonce per response. Mounted at /app, so
 * `req.path` is relative to it.
 */
export function webUiHandler(distDir: string | undefined) {
  if (!distDir) return notBuilt;
  const index = new IndexPage(distDir);
  const files = serveStatic(distDir, {
    index: false,
    redirect: false,
    fallthrough: true,
    setHeaders: (res, _path) => {
      const url = (res.req as Request).path;
      res.setHeader(
        'Cache-Control',
        HASHED_ASSETS.test(url) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path === '/') return sendIndex(index, res);
    // A built file if there is one; a missing asset stays a 404; anything else is a client-side route.
    files(req, res, () => (HASHED_ASSETS.test(req.path) ? next() : sendIndex(index, res)));
  };
}

function sendIndex(index: IndexPage, res: Response): void {
  const nonce = randomBytes(18).toString('base64');
  res.setHeader('Content-Security-Policy', consoleCsp(nonce));
  res.setHeader('Cache-Control', 'no-store');
  res.type('html').send(index.render(nonce));
}

function notBuilt(req: Request, res: Response): void {
  res.status(503).json({
    error: 'web_ui_not_built',
    message: 'the web console is not built: run `npm run build -w client/web`',
  });
}

/** `/` and `/app` lead to the console; the admin API and the rack proxy keep their own paths. */
export function consoleRedirects(req: Request, res: Response, next: NextFunction): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return next();
  if (req.path === '/' || req.path === WEB_UI_PREFIX) return res.redirect(302, `${WEB_UI_PREFIX}/`);
  next();
}
