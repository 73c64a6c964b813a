import type { LoginRefusal } from './google/id-token-verifier';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)} · rack-gateway</title></head>`,
    `<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`,
  ].join('\n');
}

const REFUSALS: Record<LoginRefusal, { title: string; text: (email?: string) => string }> = {
  unknown_user: {
    title: 'Not registered',
    text: (email) =>
      `The Google account ${email ?? ''} has no access to this gateway. Ask an administrator to add you; accounts are never created automatically.`,
  },
  wrong_domain: {
    title: 'Account not allowed',
    text: (email) =>
      `The Google account ${email ?? ''} is not part of the organisation this gateway serves. Sign in with your work account.`,
  },
  email_unverified: {
    title: 'Email not verified',
    text: (email) => `Google has not verified the address ${email ?? ''}, so it cannot be used to sign in.`,
  },
  user_locked: {
    title: 'Account locked',
    text: () => 'Your account is locked. Ask an administrator to unlock it.',
  },
  invalid_state: {
    title: 'Login link expired',
    text: () =>
      'This sign-in response is expired, was already used, or did not start here. Start the login again.',
  },
  nonce_mismatch: {
    title: 'Login failed',
    text: () => 'The sign-in response did not belong to this login. Start the login again.',
  },
  invalid_id_token: {
    title: 'Login failed',
    text: () => 'The identity provider sent an identity token that could not be verified.',
  },
  provider_error: {
    title: 'Login failed',
    text: () =>
      'The sign-in was cancelled or the identity provider reported an error. Start the login again.',
  },
};

export function renderLoginRefusal(reason: LoginRefusal, email?: string): string {
  const refusal = REFUSALS[reason];
  return page(
    refusal.title,
    `<p>${escapeHtml(refusal.text(email))}</p><p><a href="/api/v1/auth/web/login">Try again</a></p>`,
  );
}
