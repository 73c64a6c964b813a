const TIMEOUT_MS = 10_000;

/**
 * POSTs a JSON body and fails (so the job is retried) on anything but a 2xx. The error names the status
 * and the host, never the full URL: webhook URLs are credentials and job errors are shown to admins.
 */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<void> {
  const host = new URL(url).host;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'rack-gateway', ...headers },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new Error(`POST to ${host} failed: ${reason}`);
  }
  await response.body?.cancel();
  if (!response.ok) throw new Error(`POST to ${host} answered ${response.status}`);
}
