import {
  loginAs,
  onlyEventOf,
  sameOrigin,
  startFullStack,
  type BrowserLogin,
  type FullStack,
} from './full-stack-fixture';

interface FailedChange {
  name: string;
  method: string;
  path: string;
  body?: unknown;
  status: number;
  error: string;
  /** The subject as it stood before the refused call (null: there was none). */
  before: Record<string, unknown> | null;
}

/** Admin changes the gateway refuses: still one event, with the state found before, and no `after`. */
const FAILED_CHANGES: FailedChange[] = [
  {
    name: 'updating a user who does not exist',
    method: 'PATCH',
    path: '/users/nobody@example.com',
    body: { roles: ['ops'] },
    status: 404,
    error: 'user_not_found',
    before: null,
  },
  {
    name: 'creating a user who exists',
    method: 'POST',
    path: '/users',
    body: { email: 'viewer@example.com', roles: ['admin'] },
    status: 409,
    error: 'user_exists',
    before: { email: 'viewer@example.com', roles: ['viewer'], locked: false },
  },
  {
    name: 'creating a user from a malformed body',
    method: 'POST',
    path: '/users',
    body: { email: { $ne: '' }, roles: 'admin' },
    status: 400,
    error: 'bad_request',
    before: null,
  },
  {
    name: 'revoking a token id that is not a uuid',
    method: 'DELETE',
    path: '/api-tokens/not-a-uuid',
    status: 404,
    error: 'token_not_found',
    before: null,
  },
  {
    name: 'revoking a session id that is not a uuid',
    method: 'DELETE',
    path: '/sessions/1%27%3B--',
    status: 404,
    error: 'session_not_found',
    before: null,
  },
];

describe('refused admin changes record the state found before and no after', () => {
  let stack: FullStack;
  let admin: BrowserLogin;

  beforeAll(async () => {
    stack = await startFullStack();
    admin = await loginAs(stack, 'admin@example.com');
  });
  afterAll(() => stack?.close());

  it.each(FAILED_CHANGES)('records $name once, with a clear $status', async (change) => {
    const page = await admin.browser.request(`${stack.url}/api/v1${change.path}`, {
      method: change.method,
      headers: sameOrigin(stack, admin),
      body: change.body === undefined ? undefined : JSON.stringify(change.body),
    });
    expect(page.status).toBe(change.status);
    expect(JSON.parse(page.body)).toMatchObject({ error: change.error });
    const event = await onlyEventOf(stack, page.headers.get('x-request-id') ?? '');
    expect(event).toMatchObject({ status: change.status, actor_email: 'admin@example.com' });
    const { before } = JSON.parse(event.details) as { before?: unknown };
    if (change.before === null) expect(before).toBeNull();
    else expect(before).toMatchObject(change.before);
    expect(JSON.parse(event.outcome_details ?? '{}')).not.toHaveProperty('after');
  });
});
