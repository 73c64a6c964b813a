import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { AbilityFactory } from '../../rbac/ability.factory';
import { BodyTooLargeError, readBoundedBody } from '../http/bounded-body';
import { proxyRequestId } from '../http/proxy-request-id';
import type { ProxiedRequest } from '../rack-proxy-request';
import { AppEnvKeySettings } from './app-env-key-settings.service';
import { planEnvChange } from './env-change-plan';
import { formatEnvText, parseEnvText } from './env-text';
import { RackEnvReader } from './rack-env-reader.service';
import { createsRelease } from './release-env-routes';

/** An env form is a few KB; this bounds what the gateway holds in memory for one. */
export const ENV_FORM_LIMIT = 1024 * 1024;

const FORM_TYPE = 'application/x-www-form-urlencoded';
const bad = (error: string, status = HttpStatus.BAD_REQUEST) => new HttpException({ error }, status);

/**
 * One concern: env changes arriving as `POST /apps/:app/releases` with the whole env in the `env` form
 * field. Reads that small form, diffs it against the rack's current env, enforces protected keys,
 * `convox:env:set` and `convox:secret:set`, and hands the proxy a re-encoded body with the real values
 * in place of masked ones. The changed key names go to `req.auditDetails`. Every other request passes.
 */
@Injectable()
export class EnvChangeGuard implements CanActivate {
  constructor(
    private readonly abilities: AbilityFactory,
    private readonly settings: AppEnvKeySettings,
    private readonly reader: RackEnvReader,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<ProxiedRequest>();
    const authorized = req.convoxRoute;
    if (!authorized || !req.principal || !createsRelease(authorized.route)) return true;

    // The rack reads form fields from the query string too: env must come in the body we inspect.
    const query = new URLSearchParams(authorized.query);
    if (query.has('env')) throw bad('invalid request: env must be sent in the form body');
    const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const raw = await this.readForm(req);
    if (raw.length > 0 && contentType !== FORM_TYPE) {
      throw bad(
        `invalid request: a release must be created with a ${FORM_TYPE} body`,
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      );
    }
    const form = new URLSearchParams(raw.toString('utf8'));
    const posted = form.getAll('env');
    if (posted.length > 1) throw bad('invalid request: more than one env field');
    if (posted.length === 0) {
      req.rackBody = raw;
      return true;
    }

    const app = authorized.params.app;
    const ability = this.abilities.forPrincipalOnApp(req.principal, app);
    const parent = form.get('parent-release') ?? query.get('parent-release') ?? undefined;
    const [classifier, current] = await Promise.all([
      this.settings.classifierFor(app),
      this.reader.currentEnv(app, parent || undefined, req.principal, proxyRequestId(req)),
    ]);
    const plan = planEnvChange(current, parseEnvText(posted[0]), classifier, {
      canSetEnv: ability.can('convox:env:set'),
      canSetSecrets: ability.can('convox:secret:set'),
    });
    form.set('env', formatEnvText(plan.env));
    req.rackBody = Buffer.from(form.toString(), 'utf8');
    req.auditDetails = {
      ...req.auditDetails,
      envAdded: plan.added,
      envChanged: plan.changed,
      envRemoved: plan.removed,
    };
    return true;
  }

  private async readForm(req: ProxiedRequest): Promise<Buffer> {
    try {
      return await readBoundedBody(req, ENV_FORM_LIMIT);
    } catch (error) {
      if (error instanceof BodyTooLargeError)
        throw bad('request body too large for a release', HttpStatus.PAYLOAD_TOO_LARGE);
      throw error;
    }
  }
}
