import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Interaction, InteractionResult, Provider } from 'oidc-provider';
import { PAGE_CONTENT_SECURITY_POLICY, renderMessagePage, renderUserPicker } from './interaction-pages';
import { INTERACTION_PATH_PREFIX } from './provider-configuration';
import { findTestUserByEmail, TEST_USERS, type TestUser } from './test-users';

const MAX_FORM_BYTES = 16 * 1024;

/** A request the interaction pages refuse, with the text shown to the person. */
class InteractionRequestError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Answers `/interaction/<uid>` (the account picker), `/interaction/<uid>/login` (a picked account) and
 * `/interaction/<uid>/abort` (Cancel). Returns false for any other path so the caller hands it to oidc-provider.
 *
 * `login_hint=<email>` on the authorization request skips the picker: tests and scripts sign in as a known
 * test user with plain HTTP requests. Consent is always granted, as a Workspace admin would for an internal app.
 */
export async function handleInteractionRequest(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const pathname = new URL(req.url ?? '/', 'http://mock-oauth.invalid').pathname;
  if (!pathname.startsWith(INTERACTION_PATH_PREFIX)) return false;
  const [uid, action, ...rest] = pathname.slice(INTERACTION_PATH_PREFIX.length).split('/');
  try {
    if (!uid || rest.length > 0) throw new InteractionRequestError(404, 'Not found', 'No such page.');
    await dispatch(provider, req, res, uid, action);
  } catch (error) {
    sendInteractionError(res, error);
  }
  return true;
}

async function dispatch(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  uid: string,
  action: string | undefined,
): Promise<void> {
  const route = `${req.method ?? 'GET'} ${action ?? ''}`;
  if (route !== 'GET ' && route !== 'POST login' && route !== 'POST abort') {
    throw new InteractionRequestError(405, 'Not allowed', `${req.method} is not accepted here.`);
  }
  const interaction = await provider.interactionDetails(req, res);
  // The interaction cookie is scoped to this uid's path, so a mismatch means a stale or forged link.
  if (interaction.uid !== uid) {
    throw new InteractionRequestError(
      400,
      'Sign-in expired',
      'This sign-in page is out of date; start again.',
    );
  }
  if (route === 'POST abort') {
    await provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'The user cancelled the sign-in.' },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  if (route === 'POST login') {
    const email = (await readForm(req)).get('email') ?? '';
    await finishAs(provider, req, res, interaction, requireTestUser(email, 'The form'));
    return;
  }
  const loginHint = interaction.params.login_hint;
  if (typeof loginHint === 'string' && loginHint !== '') {
    await finishAs(provider, req, res, interaction, requireTestUser(loginHint, 'login_hint'));
    return;
  }
  const clientId = String(interaction.params.client_id ?? '');
  sendHtml(res, 200, renderUserPicker({ interactionUid: interaction.uid, clientId, users: TEST_USERS }));
}

function requireTestUser(email: string, source: string): TestUser {
  const testUser = findTestUserByEmail(email);
  if (!testUser) {
    throw new InteractionRequestError(
      400,
      'Unknown account',
      `${source} names "${email}", which is not one of the mock's test users.`,
    );
  }
  return testUser;
}

/** Signs the person in and grants exactly the scopes the client asked for, so no consent screen follows. */
async function finishAs(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  interaction: Interaction,
  testUser: TestUser,
): Promise<void> {
  const grant = new provider.Grant({
    accountId: testUser.sub,
    clientId: String(interaction.params.client_id),
  });
  grant.addOIDCScope(String(interaction.params.scope ?? 'openid'));
  const grantId = await grant.save();
  const result: InteractionResult = {
    login: { accountId: testUser.sub },
    consent: { grantId },
    // Resolves a requested prompt=select_account: picking the account is what it asks for.
    select_account: {},
  };
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const contentType = req.headers['content-type'] ?? '';
  if (!contentType.startsWith('application/x-www-form-urlencoded')) {
    throw new InteractionRequestError(415, 'Bad form', 'Send the form as application/x-www-form-urlencoded.');
  }
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > MAX_FORM_BYTES)
      throw new InteractionRequestError(413, 'Bad form', 'The form is too large.');
  }
  return new URLSearchParams(body);
}

function sendInteractionError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof InteractionRequestError) {
    sendHtml(res, error.status, renderMessagePage(error.title, error.message));
    return;
  }
  // oidc-provider's own errors (expired or missing interaction) carry an OAuth error code and a status.
  const providerError = error as { error?: unknown; error_description?: unknown; status?: unknown };
  if (typeof providerError.error === 'string' && typeof providerError.status === 'number') {
    const description =
      typeof providerError.error_description === 'string' ? providerError.error_description : '';
    const status = providerError.status >= 400 && providerError.status < 500 ? providerError.status : 400;
    sendHtml(res, status, renderMessagePage('Sign-in expired', `${providerError.error}: ${description}`));
    return;
  }
  process.stderr.write(
    `mock-oauth interaction failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  sendHtml(res, 500, renderMessagePage('Mock login failed', 'Unexpected error; see the mock-oauth log.'));
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Security-Policy', PAGE_CONTENT_SECURITY_POLICY);
  res.setHeader('Cache-Control', 'no-store');
  res.end(html);
}
