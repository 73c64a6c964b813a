import type { EntityManager } from 'typeorm';

/**
 * The end of the chain as seen inside one append transaction (which holds the chain lock): read once
 * from the newest event — or, after retention pruned everything, from the newest checkpoint — then
 * advanced in memory as the batch appends, so each further event costs no extra query.
 */
export class ChainHead {
  private loaded = false;
  private previous: Buffer | null = null;
  private base: string | undefined;

  async current(manager: EntityManager): Promise<{ previous: Buffer | null; base: string | undefined }> {
    if (!this.loaded) await this.load(manager);
    return { previous: this.previous, base: this.base };
  }

  /** Where the chain ends now, if it was read (to be remembered once the transaction commits). */
  known(): { base: string | undefined; previous: Buffer | null } | undefined {
    return this.loaded ? { base: this.base, previous: this.previous } : undefined;
  }

  advance(chainIndex: string, chainValue: Buffer): void {
    this.base = chainIndex;
    this.previous = chainValue;
  }

  private async load(manager: EntityManager): Promise<void> {
    const [head] = (await manager.query(
      'SELECT chain_index::text AS chain_index, chain_value FROM audit_events ORDER BY audit_events.chain_index DESC LIMIT 1',
    )) as { chain_index: string; chain_value: Buffer }[];
    const [checkpoint] = head
      ? []
      : ((await manager.query(
          `SELECT through_index::text AS through_index, chain_value FROM audit_chain_checkpoints
           ORDER BY audit_chain_checkpoints.through_index DESC LIMIT 1`,
        )) as { through_index: string; chain_value: Buffer }[]);
    this.previous = head?.chain_value ?? checkpoint?.chain_value ?? null;
    this.base = head?.chain_index ?? checkpoint?.through_index;
    this.loaded = true;
  }
}
