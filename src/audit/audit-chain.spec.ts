import { chainValueOf, ChainedPart, outcomeMacOf, OutcomePart } from './audit-chain';

const part = (overrides: Partial<ChainedPart> = {}): ChainedPart => ({
  chainIndex: '0',
  id: '00000000-0000-4000-8000-000000000000',
  occurredAt: '2025-01-01T00:00:00.000001Z',
  requestId: 'r',
  actorType: 'user',
  actorEmail: 'a@example.com',
  actorUserId: 'u',
  tokenId: '',
  tokenName: '',
  channel: 'web',
  clientIp: '127.0.0.1',
  userAgent: 'ua',
  rack: 'rack',
  action: 'convox:app:list',
  resourceType: '',
  resourceName: '',
  app: '',
  method: 'GET',
  path: '/apps',
  decision: 'allow',
  rule: '',
  details: '{}',
  ...overrides,
});

describe('audit chain encoding', () => {
  it('is not fooled by moving text across a field boundary', () => {
    const a = chainValueOf('k', null, part({ actorEmail: 'ab', actorUserId: 'c' }));
    const b = chainValueOf('k', null, part({ actorEmail: 'a', actorUserId: 'bc' }));
    expect(a.equals(b)).toBe(false);
  });

  it('links each value to the previous one and to the key', () => {
    const genesis = chainValueOf('k', null, part());
    expect(chainValueOf('k', genesis, part()).equals(genesis)).toBe(false);
    expect(chainValueOf('other', null, part()).equals(genesis)).toBe(false);
    expect(chainValueOf('k', null, part()).equals(genesis)).toBe(true);
  });

  it('binds the outcome to its event', () => {
    const outcome: OutcomePart = {
      status: 200,
      result: 'success',
      latencyMs: 5,
      bytesIn: '0',
      bytesOut: '10',
      outcomeDetails: null,
      completedAt: '2025-01-01T00:00:00.000002Z',
      eventCount: 1,
      lastAt: '2025-01-01T00:00:00.000002Z',
    };
    const mac = outcomeMacOf('k', Buffer.alloc(32, 1), outcome);
    expect(outcomeMacOf('k', Buffer.alloc(32, 2), outcome).equals(mac)).toBe(false);
    expect(outcomeMacOf('k', Buffer.alloc(32, 1), { ...outcome, status: 500 }).equals(mac)).toBe(false);
  });
});
