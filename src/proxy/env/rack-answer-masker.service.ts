import { Injectable } from '@nestjs/common';
import type { Principal } from '../../access-control/principal';
import { AbilityFactory } from '../../rbac/ability.factory';
import type { AuthorizedConvoxRoute } from '../../rbac/convox-authorizer.service';
import { AppEnvKeySettings } from './app-env-key-settings.service';
import { envValueView, maskReleaseEnv } from './release-env-masking';
import type { MaskedAnswer } from './release-env-routes';
import { maskConfigs, maskSystem } from './rack-settings-masking';
import { maskResources } from './resource-masking';

const MASKS: Record<Exclude<MaskedAnswer, 'release'>, (body: unknown) => unknown> = {
  resource: maskResources,
  system: maskSystem,
  config: maskConfigs,
};

/**
 * Applies the caller's view to a parsed release, resource, system or config answer (release env with the
 * app's key lists). `convox:secret:read` sees everything as the rack sent it.
 */
@Injectable()
export class RackAnswerMasker {
  constructor(
    private readonly abilities: AbilityFactory,
    private readonly envKeys: AppEnvKeySettings,
  ) {}

  async mask(
    kind: MaskedAnswer,
    body: unknown,
    principal: Principal,
    authorized: AuthorizedConvoxRoute,
  ): Promise<unknown> {
    const ability = this.abilities.forPrincipalOnApp(principal, authorized.params.app);
    const canReadSecrets = ability.can('convox:secret:read');
    if (kind !== 'release') return canReadSecrets ? body : MASKS[kind](body);
    const view = envValueView(
      { canReadEnv: ability.can('convox:env:read'), canReadSecrets },
      await this.envKeys.classifierFor(authorized.params.app),
    );
    return maskReleaseEnv(body, view);
  }
}
