/**
 * main.ts prints this followed by the issuer once it accepts requests; spawn.ts waits for it. Kept in its own
 * file so spawn.ts can share it without loading oidc-provider.
 */
export const READY_LINE_PREFIX = 'mock-oauth listening ';
