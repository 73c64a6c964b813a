import type { GatewayTarget } from '../resolve/rack-resolution';
import { approvalFailureMessage } from './approval-refusals';

const session: GatewayTarget = { rackName: 'prod', url: 'https://g', tokenSource: 'session' };
const token: GatewayTarget = { rackName: 'prod', url: 'https://g', tokenSource: 'environment' };
const body = (error: string, message: string) => JSON.stringify({ error, message });

describe('approvalFailureMessage', () => {
  it('tells a token holder trying to approve to unset RACK_GATEWAY_API_TOKEN', () => {
    const text = approvalFailureMessage(
      403,
      body('approval_needs_a_person', 'API tokens cannot approve'),
      token,
    );
    expect(text).toBe(
      'API tokens cannot approve (RACK_GATEWAY_API_TOKEN is set: unset it and use your own login (rack-gateway login) to decide)',
    );
    expect(
      approvalFailureMessage(403, body('approval_needs_a_person', 'API tokens cannot approve'), session),
    ).toBe('API tokens cannot approve');
  });

  it("shows the four-eyes and expiry refusals in the gateway's words, not as 'permission denied'", () => {
    expect(
      approvalFailureMessage(
        403,
        body('self_approval_refused', 'you requested it: someone else must approve it'),
        session,
      ),
    ).toBe('you requested it: someone else must approve it');
    expect(
      approvalFailureMessage(409, body('approval_request_expired', 'request X expired at T'), session),
    ).toBe('request X expired at T (run rack-gateway deploy-approval request again for a new one)');
  });

  it('names the flag a person must add when requesting', () => {
    expect(
      approvalFailureMessage(400, body('target_token_required', 'targetTokenId is required'), session),
    ).toMatch(/pass --target-token-id <id>/);
  });

  it('falls back to the usual gateway error text for other refusals', () => {
    expect(
      approvalFailureMessage(
        403,
        body('forbidden', 'permission denied: gateway:deploy_approval:approve'),
        session,
      ),
    ).toBe('permission denied: gateway:deploy_approval:approve');
    expect(approvalFailureMessage(401, '', session)).toBe('session expired, run: rack-gateway login prod');
  });
});
