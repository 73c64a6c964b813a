import type { CDPSession, Page } from 'playwright-core';

/** A page's software authenticator and the DevTools session that drives it. */
export interface VirtualAuthenticator {
  authenticatorId: string;
  cdp: CDPSession;
}

/**
 * Gives this page a software authenticator through the DevTools protocol (WebAuthn domain): a platform
 * passkey with user verification that answers without a touch. Its credentials live as long as the page.
 */
export async function addVirtualAuthenticator(page: Page): Promise<VirtualAuthenticator> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { authenticatorId, cdp };
}

/**
 * The same person's passkeys in another browser profile (a second context), as a synced passkey would be:
 * `to`'s credentials are replaced by `from`'s, private keys and signature counters included. Sync back
 * after use: the gateway refuses a counter that does not advance (the mark of a cloned authenticator).
 */
export async function syncPasskeys(from: VirtualAuthenticator, to: VirtualAuthenticator): Promise<number> {
  const { credentials } = await from.cdp.send('WebAuthn.getCredentials', {
    authenticatorId: from.authenticatorId,
  });
  await to.cdp.send('WebAuthn.clearCredentials', { authenticatorId: to.authenticatorId });
  for (const credential of credentials) {
    await to.cdp.send('WebAuthn.addCredential', { authenticatorId: to.authenticatorId, credential });
  }
  return credentials.length;
}
