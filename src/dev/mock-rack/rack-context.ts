import type { RackJwt } from './http/rack-jwt';
import type { ObjectStore } from './state/object-store';
import type { RackState } from './state/rack-state';

/** What every route handler can reach: the rack's data, its object store and its JWT signer. */
export interface RackContext {
  state: RackState;
  objects: ObjectStore;
  jwt: RackJwt;
}
