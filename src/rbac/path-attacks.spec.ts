import { statusOf } from '../access-control/access-decision';
import { AbilityFactory } from './ability.factory';
import { ConvoxAuthorizerService } from './convox-authorizer.service';
import { expandPatterns } from './permission-match';
import { rolePermissions } from './roles';
import { PATH_ATTACKS } from './testing/path-attacks';
import { userWithRoles } from './testing/test-principals';

const authorizer = new ConvoxAuthorizerService(new AbilityFactory());
const viewer = userWithRoles(['viewer']);
const admin = userWithRoles(['admin']);
const viewerHolds = new Set<string>(expandPatterns(rolePermissions('viewer')));

describe('path attacks against the rack proxy', () => {
  it('tries at least 40 encodings and tricks', () => {
    expect(PATH_ATTACKS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(PATH_ATTACKS.map((attack) => [attack.name, attack] as const))(
    '%s: refused, or confined to a route the viewer holds',
    (_name, attack) => {
      const decision = authorizer.authorize(
        viewer,
        attack.method,
        attack.target,
        attack.headers ?? {},
        !!attack.websocket,
      );
      if (attack.expect === 'allowed') {
        expect(decision.allowed).toBe(true);
        if (!decision.allowed) return;
        expect(decision.permission === null || viewerHolds.has(decision.permission)).toBe(true);
        expect(`${decision.path}?${decision.query}`).toBe(
          attack.target.includes('?') ? attack.target : `${attack.target}?`,
        );
        return;
      }
      // The status the client gets is the one its decision code maps to.
      expect(decision.allowed ? 'allowed' : statusOf(decision.code)).toBe(attack.expect);
    },
  );

  // Even for admin, no trick reaches something outside the table (the Kubernetes API above all).
  it.each(PATH_ATTACKS.map((attack) => [attack.name, attack] as const))(
    'gives admin nothing outside the table for %s',
    (_name, attack) => {
      const decision = authorizer.authorize(
        admin,
        attack.method,
        attack.target,
        attack.headers ?? {},
        !!attack.websocket,
      );
      if (!decision.allowed) return expect(['invalid-request', 'unknown-route']).toContain(decision.code);
      expect(decision.path.startsWith('/kubernetes')).toBe(false);
      expect(attack.target.startsWith(decision.path)).toBe(true);
    },
  );
});
