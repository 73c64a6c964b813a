const TIMEOUT_MS = 15_000;

/** A provider's API answered something other than what the caller could use. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * One JSON call to a provider's API. Errors name the provider, method, path and status, never the token
 * or the response body (which may echo the request), because job errors are shown to admins.
 */
export async function providerJson<T>(
  provider: string,
  method: 'GET' | 'POST',
  base: string,
  path: string,
  headers: Record<string, string>,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${base.replace(/\/+$/, '')}${path}`, {
      method,
      headers: { accept: 'application/json', 'user-agent': 'rack-gateway', ...headers },
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new ProviderError(`${provider} ${method} ${path} failed: ${reason}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ProviderError(`${provider} ${method} ${path} answered ${response.status}`, response.status);
  }
  return (await response.json()) as T;
}
