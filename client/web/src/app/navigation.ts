import { router } from './router';

/**
 * Opens a console path given as data (the server's navigation entries), which the typed `<Link>` cannot
 * take. Paths are relative to /app.
 */
export function goTo(path: string, options: { replace?: boolean } = {}): void {
  const href = `/app${path}`;
  if (options.replace) router.history.replace(href);
  else router.history.push(href);
}
