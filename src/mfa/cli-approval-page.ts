/** The page a passkey-only person sees when the CLI asks for a step-up; the script does the WebAuthn call. */
export function renderCliApprovalPage(approvalId: string, email: string): string {
  const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Approve the CLI</title></head>
<body>
<h1>Approve a rack-gateway CLI action</h1>
<p>Your CLI (${escape(email)}) asks for a fresh multi-factor verification. Approve only if you just ran a command.</p>
<button id="approve" data-approval="${escape(approvalId)}">Approve with my passkey</button>
<p id="result" role="status"></p>
<script src="/api/v1/mfa/cli-approvals/approval.js"></script>
</body></html>`;
}

/** Served as a file (the CSP allows scripts from 'self' only): asks for options, signs, posts the assertion. */
export const CLI_APPROVAL_SCRIPT = `(() => {
  const button = document.getElementById('approve');
  const result = document.getElementById('result');
  const csrf = (document.cookie.match(/(?:^|; )rgw_csrf=([^;]+)/) || [])[1] || '';
  const b64urlToBytes = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  const bytesToB64url = (b) => btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  const post = (path, body) => fetch(path, { method: 'POST', credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) }, body: JSON.stringify(body) });
  button.addEventListener('click', async () => {
    try {
      const options = await (await post('/api/v1/mfa/webauthn/authentication-options', {})).json();
      const credential = await navigator.credentials.get({ publicKey: { ...options,
        challenge: b64urlToBytes(options.challenge),
        allowCredentials: (options.allowCredentials || []).map((c) => ({ ...c, id: b64urlToBytes(c.id) })) } });
      const r = credential.response;
      const webauthn = { id: credential.id, rawId: bytesToB64url(credential.rawId), type: credential.type,
        clientExtensionResults: credential.getClientExtensionResults(),
        response: { clientDataJSON: bytesToB64url(r.clientDataJSON), authenticatorData: bytesToB64url(r.authenticatorData),
          signature: bytesToB64url(r.signature), userHandle: r.userHandle ? bytesToB64url(r.userHandle) : undefined } };
      const answer = await post('/api/v1/mfa/cli-approvals/' + button.dataset.approval + '/approve', { webauthn });
      result.textContent = answer.ok ? 'Approved. You can close this tab and return to the terminal.' : 'Not approved: ' + (await answer.json()).message;
    } catch (error) {
      result.textContent = 'Not approved: ' + error;
    }
  });
})();
`;
