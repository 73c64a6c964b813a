import { basic, execEcho, httpCall, upload, websocketCall, type CallOutcome } from './soak-calls';

export interface SoakTokens {
  /** An admin's convox permissions. */
  load: string;
  /** A viewer's: env changes and exec are refused. */
  viewer: string;
}

export interface KindTally {
  sent: number;
  unexpected: number;
}

export interface WorkloadTally {
  byKind: Record<string, KindTally>;
  /** Calls sent in all (each is one audit call: a request or a websocket session). */
  calls: number;
  unexpected: number;
  /** The first few unexpected outcomes, for the report. */
  samples: string[];
}

interface Stream {
  kind: string;
  everyMs: number;
  /** Parallel loops of this kind. */
  loops: number;
  call(n: number): Promise<CallOutcome>;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const READ_PATHS = [
  '/apps',
  '/apps/myapp',
  '/apps/myapp/releases?limit=5',
  '/apps/myapp/processes',
  '/system',
];

/** The mix: steady reads, and every few seconds each kind of change, stream and refusal. */
function streams(gateway: string, tokens: SoakTokens): Stream[] {
  const proxy = `${gateway}/api/v1/rack-proxy`;
  const ws = proxy.replace(/^http/, 'ws');
  const admin = basic(tokens.load);
  const viewer = basic(tokens.viewer);
  const envBody = (n: number) =>
    new URLSearchParams({
      env: `NODE_ENV=production\nSOAK_COUNTER=${n}\nSOAK_SECRET_TOKEN=s${n}`,
    }).toString();
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  return [
    {
      kind: 'read',
      everyMs: 100,
      loops: 4,
      call: (n) =>
        httpCall(`${proxy}${READ_PATHS[n % READ_PATHS.length]}`, { headers: { authorization: admin } }, 200),
    },
    {
      kind: 'env change',
      everyMs: 3000,
      loops: 1,
      call: (n) =>
        httpCall(
          `${proxy}/apps/myapp/releases`,
          { method: 'POST', headers: { authorization: admin, ...form }, body: envBody(n) },
          200,
        ),
    },
    {
      kind: 'logs websocket',
      everyMs: 2000,
      loops: 1,
      // Alternately a bounded stream read to its EOF and `convox logs -f` left by the client after 1.5 s.
      call: (n) =>
        n % 2 === 0
          ? websocketCall(
              `${ws}/apps/myapp/logs`,
              { authorization: admin, 'Mock-Stream-Bytes': String(256 * 1024) },
              (_t, eof) => eof,
            )
          : websocketCall(
              `${ws}/apps/myapp/logs`,
              { authorization: admin, Follow: 'true', Since: '1m' },
              (t) => t.length > 0,
              {
                closeAfterMs: 1500,
              },
            ),
    },
    {
      kind: 'exec websocket',
      everyMs: 2000,
      loops: 1,
      call: (n) => execEcho(`${ws}/apps/myapp/processes/web/exec`, admin, `soak-${n}`),
    },
    {
      kind: 'upload',
      everyMs: 4000,
      loops: 1,
      call: (n) => upload(`${proxy}/apps/myapp/objects/tmp/soak-${n % 8}.tgz`, admin, 2 * 1024 * 1024),
    },
    {
      kind: 'refused: viewer env change (403)',
      everyMs: 1000,
      loops: 1,
      call: (n) =>
        httpCall(
          `${proxy}/apps/myapp/releases`,
          { method: 'POST', headers: { authorization: viewer, ...form }, body: envBody(n) },
          403,
        ),
    },
    {
      kind: 'refused: viewer exec (403)',
      everyMs: 5000,
      loops: 1,
      call: () =>
        websocketCall(
          `${ws}/apps/myapp/processes/web/exec`,
          { authorization: viewer, Command: 'echo no' },
          (t) => t.includes('permission denied'),
          { closeCodes: [4403], clientCloses: false },
        ),
    },
    {
      kind: 'refused: unknown token (401)',
      everyMs: 2000,
      loops: 1,
      call: (n) =>
        httpCall(`${proxy}/apps`, { headers: { authorization: basic(`rgw_not_a_token_${n}`) } }, 401),
    },
  ];
}

/** Runs every stream of the mix until `deadline` (Date.now() ms); each loop waits for its call before the next. */
export async function runWorkload(
  gateway: string,
  tokens: SoakTokens,
  deadline: number,
): Promise<WorkloadTally> {
  const tally: WorkloadTally = { byKind: {}, calls: 0, unexpected: 0, samples: [] };
  const loops = streams(gateway, tokens).flatMap((stream) =>
    Array.from({ length: stream.loops }, async (_x, loop) => {
      const kind = (tally.byKind[stream.kind] ??= { sent: 0, unexpected: 0 });
      for (let n = loop; Date.now() < deadline; n += stream.loops) {
        const started = Date.now();
        const result = await stream.call(n);
        kind.sent += 1;
        tally.calls += 1;
        if (!result.expected) {
          kind.unexpected += 1;
          tally.unexpected += 1;
          if (tally.samples.length < 10) tally.samples.push(`${stream.kind}: ${result.detail}`);
        }
        await pause(Math.max(0, stream.everyMs - (Date.now() - started)));
      }
    }),
  );
  await Promise.all(loops);
  return tally;
}
