import { CliError } from '../cli/cli-error';
import { API_PREFIX, type GatewayClient, type Params } from './gateway-client';
import { networkFailureMessage } from './gateway-errors';

/**
 * A report from the admin API copied to `output` as it arrives (never held whole in memory), with the
 * same single MFA retry as every other call.
 */
export async function downloadTo(
  client: GatewayClient,
  path: string,
  query: Params,
  output: NodeJS.WritableStream,
): Promise<Headers> {
  const fetchOnce = async () => {
    try {
      return await fetch(client.url(`${API_PREFIX}${path}`, query), { headers: client.authHeaders() });
    } catch (error) {
      throw new CliError(networkFailureMessage(client.target.url, error));
    }
  };
  let response = await fetchOnce();
  if (
    response.status >= 400 &&
    (await client.answerMfa(response.headers.get('x-mfa-required') ?? undefined))
  ) {
    await response.body?.cancel();
    response = await fetchOnce();
  }
  if (response.status >= 400 || !response.body) throw client.failure(response.status, await response.text());
  for await (const chunk of response.body) {
    if (!output.write(chunk)) await new Promise((resolve) => output.once('drain', resolve));
  }
  return response.headers;
}
