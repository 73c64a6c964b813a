import type { TestUser } from './test-users';

/** Everything these pages print comes through here, including values that look harmless (client ids, uids). */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `
  body { font-family: system-ui, sans-serif; background: #f4f5f7; margin: 0; padding: 40px 16px; }
  main { max-width: 420px; margin: 0 auto; background: #fff; border-radius: 8px; padding: 24px;
         box-shadow: 0 1px 3px rgba(0,0,0,.15); }
  h1 { font-size: 1.25rem; margin-top: 0; }
  .note { color: #555; font-size: .9rem; }
  form { margin: 8px 0; }
  button { width: 100%; text-align: left; padding: 10px 12px; border: 1px solid #ccd; border-radius: 6px;
           background: #fff; cursor: pointer; font-size: .95rem; }
  button:hover { background: #eef3ff; }
  .email { color: #555; font-size: .85rem; display: block; }
  .cancel { text-align: center; color: #a00; }
`;

/** Our pages load nothing and run no script; the header keeps it that way. */
export const PAGE_CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

function page(title: string, bodyHtml: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body><main>
${bodyHtml}
</main></body>
</html>
`;
}

export interface UserPickerPage {
  interactionUid: string;
  clientId: string;
  users: readonly TestUser[];
}

/** The stand-in for Google's account chooser: one button per test user, plus a way to cancel. */
export function renderUserPicker({ interactionUid, clientId, users }: UserPickerPage): string {
  const base = `/interaction/${encodeURIComponent(interactionUid)}`;
  const buttons = users
    .map((testUser) => {
      const facts = [
        testUser.hostedDomain ? `hd ${testUser.hostedDomain}` : 'no hd',
        testUser.emailVerified ? 'verified' : 'NOT verified',
      ].join(', ');
      return `<form method="post" action="${escapeHtml(base)}/login">
<input type="hidden" name="email" value="${escapeHtml(testUser.email)}">
<button type="submit">${escapeHtml(testUser.name)}<span class="email">${escapeHtml(testUser.email)} (${escapeHtml(facts)})</span></button>
</form>`;
    })
    .join('\n');
  return page(
    'Choose an account',
    `<h1>Choose an account</h1>
<p class="note">Mock Google login for <strong>${escapeHtml(clientId)}</strong>. No password: pick who to be.</p>
${buttons}
<form method="post" action="${escapeHtml(base)}/abort">
<button type="submit" class="cancel">Cancel</button>
</form>`,
  );
}

export function renderMessagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`);
}

/**
 * The end-session confirmation. `providerFormHtml` is the hidden form oidc-provider generates (it carries
 * the anti-forgery value), so it is inserted as is; the buttons submit it.
 */
export function renderLogoutConfirmation(host: string, providerFormHtml: string): string {
  return page(
    'Sign out',
    `<h1>Sign out of the mock Google login at ${escapeHtml(host)}?</h1>
${providerFormHtml}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>`,
  );
}
