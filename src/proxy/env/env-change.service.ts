import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { AccessRefusal } from '../../access-control/access-refusal';
import type { Principal } from '../../access-control/principal';
import type { AuthorizedConvoxRoute } from '../../rbac/convox-authorizer.service';
import { AbilityFactory } from '../../rbac/ability.factory';
import { BodyTooLargeError, readBoundedBody } from '../http/bounded-body';
import { AppEnvKeySettings } from './app-env-key-settings.service';
import { planEnvChange } from './env-change-plan';
import { formatEnvText, parseEnvText } from './env-text';
import { RackEnvReader } from './rack-env-reader.service';
import { createsRelease } from './release-env-routes';

/** An env form is a few KB; this bounds what the gateway holds in memory for one. */
export const ENV_FORM_LIMIT = 1024 * 1024;

const FORM_TYPE = 'application/x-www-form-urlencoded';

/** What a release POST becomes: the body to forward and the env keys it changes (names only). */
export interface ReleaseEnvChange {
  rackBody: Buffer;
  keys?: { envAdded: string[]; envChanged: string[]; envRemoved: string[] };
}

/**
 * One concern: env changes arriving as `POST /apps/:app/releases` with the whole env in the `env` form
 * field. Reads that small form, diffs it against the rack's current env, enforces protected keys,
 * `convox:env:set` and `convox:secret:set`, and returns a re-encoded body with the real values in place of
 * masked ones. Undefined for every other request (its body is piped untouched).
 */
@Injectable()
export class EnvChangeService {
  constructor(
    private readonly abilities: AbilityFactory,
    private readonly settings: AppEnvKeySettings,
    private readonly reader: RackEnvReader,
  ) {}

  async planRelease(
    req: IncomingMessage,
    principal: Principal,
    authorized: AuthorizedConvoxRoute,
    requestId: string,
  ): Promise<ReleaseEnvChange | undefined> {
    if (!createsRelease(authorized.route)) return undefined;

    // The rack reads form fields from the query string too: env must come in the body we inspect.
    const query = new URLSearchParams(authorized.query);
    if (query.has('env')) throw invalid('invalid request: env must be sent in the form body');
    const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const raw = await readForm(req);
    if (raw.length > 0 && contentType !== FORM_TYPE) {
      throw new AccessRefusal('unsupported-media-type', {
        error: `invalid request: a release must be created with a ${FORM_TYPE} body`,
      });
    }
    const form = new URLSearchParams(raw.toString('utf8'));
    const posted = form.getAll('env');
    if (posted.length > 1) throw invalid('invalid request: more than one env field');
    if (posted.length === 0) return { rackBody: raw };

    const app = authorized.params.app;
    const ability = this.abilities.forPrincipalOnApp(principal, app);
    const parent = form.get('parent-release') ?? query.get('parent-release') ?? undefined;
    const [classifier, current] = await Promise.all([
      this.settings.classifierFor(app),
      this.reader.currentEnv(app, parent || undefined, principal, requestId),
    ]);
    const plan = planEnvChange(current, parseEnvText(posted[0]), classifier, {
      canSetEnv: ability.can('convox:env:set'),
      canSetSecrets: ability.can('convox:secret:set'),
    });
    form.set('env', formatEnvText(plan.env));
    return {
      rackBody: Buffer.from(form.toString(), 'utf8'),
      keys: { envAdded: plan.added, envChanged: plan.changed, envRemoved: plan.removed },
    };
  }
}

async function readForm(req: IncomingMessage): Promise<Buffer> {
  try {
    return await readBoundedBody(req, ENV_FORM_LIMIT);
  } catch (error) {
    if (error instanceof BodyTooLargeError)
      throw new AccessRefusal('payload-too-large', { error: 'request body too large for a release' });
    throw error;
  }
}

function invalid(error: string): AccessRefusal {
  return new AccessRefusal('invalid-request', { error });
}
