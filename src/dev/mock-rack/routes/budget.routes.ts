import type { HttpExchange } from '../http/http-exchange';
import type { HttpRoute } from '../http/route-table';
import { RackError } from '../http/rack-error';

const AT_CAP_ACTIONS = ['alert-only', 'block-new-deploys', 'auto-shutdown'];

/** `ack_by` as a form field is deprecated on the rack, which says so in response headers. */
function flagDeprecatedAckBy(ex: HttpExchange): void {
  if (ex.field('ack_by') === undefined) return;
  ex.res.setHeader('Deprecation', 'true');
  ex.res.setHeader('Sunset', 'Wed, 31 Dec 2025 23:59:59 GMT');
  ex.res.setHeader('Link', '<https://docs.convox.com/reference/cli/budget>; rel="deprecation"');
}

function numberField(ex: HttpExchange, name: string): number | undefined {
  const raw = ex.field(name);
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw RackError.badRequest(`invalid ${name}: ${raw}`);
  return value;
}

export const budgetRoutes: HttpRoute[] = [
  {
    method: 'GET',
    pattern: '/apps/{app}/budget',
    handle: (ex) => ex.json(ex.rack.state.requireApp(ex.param('app')).budget),
  },
  {
    method: 'POST',
    pattern: '/apps/{app}/budget',
    handle: (ex) => {
      const record = ex.rack.state.requireApp(ex.param('app'));
      const action = ex.field('at-cap-action');
      if (action !== undefined && !AT_CAP_ACTIONS.includes(action)) {
        throw RackError.badRequest(`at-cap-action must be one of ${AT_CAP_ACTIONS.join(', ')}`);
      }
      const config = { ...(record.budget.config ?? {}) };
      for (const key of ['monthly-cap-usd', 'alert-threshold-percent', 'pricing-adjustment']) {
        const value = numberField(ex, key);
        if (value !== undefined) config[key] = value;
      }
      if (action !== undefined) config['at-cap-action'] = action;
      record.budget.config = config;
      record.budget.state ??= { 'circuit-breaker-tripped': false, 'current-month-spend-usd': 0 };
      flagDeprecatedAckBy(ex);
      ex.ok();
    },
  },
  {
    method: 'DELETE',
    pattern: '/apps/{app}/budget',
    handle: (ex) => {
      if (!ex.role.includes('a')) throw RackError.forbidden('clearing a budget requires admin access');
      const record = ex.rack.state.requireApp(ex.param('app'));
      record.budget = { config: null, state: null };
      ex.ok();
    },
  },
  {
    method: 'POST',
    pattern: '/apps/{app}/budget/reset',
    handle: (ex) => {
      const record = ex.rack.state.requireApp(ex.param('app'));
      if (record.budget.state) record.budget.state['circuit-breaker-tripped'] = false;
      flagDeprecatedAckBy(ex);
      ex.ok();
    },
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/budget/shutdown-state',
    handle: (ex) => {
      const record = ex.rack.state.requireApp(ex.param('app'));
      ex.json({
        app: record.app.name,
        active: false,
        services: [],
        'shutdown-at': null,
        'restored-at': null,
      });
    },
  },
  {
    method: 'POST',
    pattern: '/apps/{app}/budget/simulate-shutdown',
    handle: (ex) => {
      const record = ex.rack.state.requireApp(ex.param('app'));
      ex.json({
        app: record.app.name,
        'dry-run': true,
        services: record.services.map((s) => ({ name: s.name, 'current-count': s.count, 'target-count': 0 })),
      });
    },
  },
  {
    method: 'POST',
    pattern: '/apps/{app}/budget/dismiss-recovery',
    handle: (ex) => {
      const record = ex.rack.state.requireApp(ex.param('app'));
      flagDeprecatedAckBy(ex);
      ex.json({ app: record.app.name, dismissed: true });
    },
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/cost',
    handle: (ex) => {
      const record = ex.rack.state.requireApp(ex.param('app'));
      const services = record.services.map((s) => ({ name: s.name, 'spend-usd': s.count * 12.5 }));
      ex.json({
        app: record.app.name,
        'month-start': new Date(
          Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1),
        ).toISOString(),
        'spend-usd': services.reduce((sum, s) => sum + s['spend-usd'], 0),
        services,
      });
    },
  },
];
