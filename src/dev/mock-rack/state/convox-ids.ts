import { randomBytes, randomInt } from 'node:crypto';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const POD_SUFFIX = 'bcdfghjklmnpqrstvwxz2456789';

function pick(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** Convox release ids are `R` followed by ten uppercase letters. */
export function newReleaseId(): string {
  return `R${pick(UPPER, 10)}`;
}

/** Convox build ids are `B` followed by ten uppercase letters. */
export function newBuildId(): string {
  return `B${pick(UPPER, 10)}`;
}

/** Kubernetes deployment pods look like `web-6d4f9c7b8-x2k9p` (replica-set hash, then a pod suffix). */
export function newPodName(service: string, replicaSetHash: string): string {
  return `${service}-${replicaSetHash}-${pick(POD_SUFFIX, 5)}`;
}

/** The replica-set hash changes with every rollout (promote, restart, resize). */
export function newReplicaSetHash(): string {
  return randomBytes(5).toString('hex').slice(0, 9);
}

/** `convox run` pods are not part of a replica set, so they carry the service name and one suffix. */
export function newRunPodName(service: string): string {
  return `${service}-run-${pick(POD_SUFFIX, 5)}`;
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}
