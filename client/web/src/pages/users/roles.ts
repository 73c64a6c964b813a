import type { Schemas } from '../../api/client';

/** A role name as the API takes it (built-in or custom; custom roles are managed elsewhere). */
export type HumanRole = NonNullable<Schemas['CreateUserDto']['roles']>[number];

/** The built-in roles a person can hold (cicd is for tokens only). */
export const HUMAN_ROLES: ReadonlyArray<{ value: HumanRole; label: string }> = [
  { value: 'viewer', label: 'Viewer' },
  { value: 'ops', label: 'Operations' },
  { value: 'deployer', label: 'Deployer' },
  { value: 'admin', label: 'Admin' },
];
