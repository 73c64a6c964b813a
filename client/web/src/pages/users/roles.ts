import type { Schemas } from '../../api/client';

export type HumanRole = Schemas['CreateUserDto']['roles'][number];

/** The roles a person can hold; the type is the API document's enum, so a new role fails to compile here. */
export const HUMAN_ROLES: ReadonlyArray<{ value: HumanRole; label: string }> = [
  { value: 'viewer', label: 'Viewer' },
  { value: 'ops', label: 'Operations' },
  { value: 'deployer', label: 'Deployer' },
  { value: 'admin', label: 'Admin' },
];
