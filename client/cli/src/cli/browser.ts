import open from 'open';

/**
 * Tries to open a URL in the user's browser; resolves to false when no browser could be started
 * (headless machines, SSH sessions), so the caller can rely on the printed URL instead.
 */
export async function openInBrowser(url: string): Promise<boolean> {
  try {
    const child = await open(url, { wait: false });
    return await new Promise<boolean>((resolve) => {
      child.once('error', () => resolve(false));
      child.once('exit', (code) => resolve(code === 0 || code === null));
      // A launcher that keeps running has evidently started a browser. The timer must hold the process
      // open: `open` unrefs the launcher, so with an unref'd timer too, node found nothing left to wait
      // for and `login` exited 0 right after printing the URL, before the browser finished.
      setTimeout(() => resolve(true), 1500);
    });
  } catch {
    return false;
  }
}
