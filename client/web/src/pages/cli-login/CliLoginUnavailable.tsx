import { ApproveOrDenyUnavailable } from '../../components/ApproveOrDeny';

/** What the server's refusal codes mean to the person holding the link. */
const TITLES: Record<string, string> = {
  no_login_id: 'Not a CLI login link',
  bad_request: 'Not a CLI login link',
  cli_login_not_found: 'Login link not found',
  cli_login_expired: 'Login link expired',
  cli_login_decided: 'Already decided',
  login_closed: 'CLI login closed',
};

/** Why this CLI login cannot be approved (any more), with the server's reason and what to do. */
export function CliLoginUnavailable({ error }: { error: Error }) {
  return (
    <ApproveOrDenyUnavailable
      error={error}
      titles={TITLES}
      what="the CLI login"
      hint={
        <>
          Run <code>rack-gateway login</code> in your terminal again for a new link.
        </>
      }
    />
  );
}
