import type { ReplicaTokens } from './replicas-gateway';

const basic = (secret: string) => `Basic ${Buffer.from(`convox:${secret}`).toString('base64')}`;
const GIVE_UP_MS = 5000;

export interface RevocationTiming {
  /** ms from the revoke's answer on replica A to the first refusal of the token on replica B. */
  delaysMs: number[];
  /** Probes B still served 5 s after the revoke (should be none). */
  notHonoured: number;
  /** Requests sent while measuring (polls and revokes): each is an audit event too. */
  requests: number;
}

/**
 * For each probe token: B serves it (so any cache B keeps holds it), then the token revokes itself
 * through A's admin API, while B is asked back to back with the same token. The delay is from A's answer
 * (the revoke is committed) to B's first 401.
 */
export async function timeRevocations(
  a: string,
  b: string,
  probes: ReplicaTokens['probes'],
): Promise<RevocationTiming> {
  const result: RevocationTiming = { delaysMs: [], notHonoured: 0, requests: 0 };
  for (const probe of probes) {
    const onB = async () => {
      result.requests += 1;
      const res = await fetch(`${b}/api/v1/rack-proxy/apps`, {
        headers: { authorization: basic(probe.token) },
      });
      await res.arrayBuffer();
      return res.status;
    };
    if ((await onB()) !== 200) throw new Error('replica B refused a probe token before it was revoked');
    let refusedAt: number | undefined;
    let stop = false;
    const polling = (async () => {
      const until = Date.now() + GIVE_UP_MS;
      while (!stop && Date.now() < until) {
        if ((await onB()) === 401) {
          refusedAt = performance.now();
          return;
        }
      }
    })();
    result.requests += 1;
    const revoke = await fetch(`${a}/api/v1/api-tokens/${probe.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${probe.token}` },
    });
    const committedAt = performance.now();
    if (revoke.status >= 300)
      throw new Error(`revoke on replica A answered ${revoke.status}: ${await revoke.text()}`);
    await polling;
    stop = true;
    if (refusedAt === undefined) result.notHonoured += 1;
    else result.delaysMs.push(Math.max(0, refusedAt - committedAt));
  }
  return result;
}
