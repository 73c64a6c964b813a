/**
 * Close codes the gateway itself sends on a proxied websocket. Refusals and revocations use the private
 * range as 4000 + the HTTP status the same decision gets on a plain request (4401: the credential does
 * not hold, 4403: the permission is missing, 4429: too many failed attempts), so a client can map them
 * back; a lost rack is 1011 (internal error), see RACK_LOST in frame-bridge.ts.
 */
export function closeCodeForStatus(status: number): number {
  return status >= 400 && status <= 599 ? 4000 + status : 1008;
}

/** The credential behind a live session stopped holding (revoked, expired, user locked or deleted). */
export const CREDENTIAL_ENDED = closeCodeForStatus(401);

/** The credential still holds, but no longer grants the permission the session was opened with. */
export const PERMISSION_REVOKED = closeCodeForStatus(403);
