import type { DataSource } from 'typeorm';
import { chainValueOf, checkpointMacOf, sameMac } from './audit-chain';
import { chainedPartOf } from './audit-chain-verifier';
import { AUDIT_EVENT_COLUMNS, type AuditEventRow } from './audit-event-view';

/** Thrown before anything is written when the configured audit key is not the one the chain was built with. */
export class AuditKeyMismatchError extends Error {
  constructor() {
    super(
      'AUDIT_HMAC_SECRET does not match the audit chain in this database (its newest entry was signed with another key); refusing to write audit events',
    );
    this.name = 'AuditKeyMismatchError';
  }
}

/**
 * Checks the key against the newest link of the chain only (one or two rows), so a command run with a
 * made-up or stale key refuses at once instead of appending events that `audit:verify` would later report
 * as tampering. An empty chain accepts any key: the first event fixes it.
 */
export async function assertAuditKeyMatchesChain(dataSource: DataSource, key: string): Promise<void> {
  const [head] = (await dataSource.query(
    `SELECT ${AUDIT_EVENT_COLUMNS} FROM audit_events ORDER BY chain_index DESC LIMIT 1`,
  )) as AuditEventRow[];
  if (!head) {
    const [checkpoint] = (await dataSource.query(
      `SELECT through_index::text AS through_index, chain_value, pruned_count::text AS pruned_count, mac
       FROM audit_chain_checkpoints ORDER BY through_index DESC LIMIT 1`,
    )) as { through_index: string; chain_value: Buffer; pruned_count: string; mac: Buffer }[];
    const expected =
      checkpoint &&
      checkpointMacOf(key, checkpoint.through_index, checkpoint.chain_value, checkpoint.pruned_count);
    if (checkpoint && !sameMac(checkpoint.mac, expected as Buffer)) throw new AuditKeyMismatchError();
    return;
  }
  const previous = await chainValueBefore(dataSource, BigInt(head.chain_index));
  if (previous === undefined) return; // a gap below the head: audit:verify reports it, this check cannot tell.
  if (!sameMac(head.chain_value, chainValueOf(key, previous, chainedPartOf(head))))
    throw new AuditKeyMismatchError();
}

/** The chain value the head was linked to: the event before it, or the checkpoint retention left; null at genesis. */
async function chainValueBefore(
  dataSource: DataSource,
  headIndex: bigint,
): Promise<Buffer | null | undefined> {
  if (headIndex === 0n) return null;
  const before = String(headIndex - 1n);
  const [event] = (await dataSource.query('SELECT chain_value FROM audit_events WHERE chain_index = $1', [
    before,
  ])) as {
    chain_value: Buffer;
  }[];
  if (event) return event.chain_value;
  const [checkpoint] = (await dataSource.query(
    'SELECT chain_value FROM audit_chain_checkpoints WHERE through_index = $1',
    [before],
  )) as { chain_value: Buffer }[];
  return checkpoint?.chain_value;
}
