import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { csvCell } from '../audit/audit-csv';
import { AccessDirectory, type UserAccess } from './access-directory';
import { MfaStatusSource, type MfaStatus } from '../mfa/mfa-status-source';
import { sourceText, type SourcedPermissions } from './permission-sources';

/** A permission not used for this long is listed as "granted but unused" (the quarterly review's question). */
export const UNUSED_AFTER_DAYS = 90;

/** One line of the access review: a user or a token. */
export interface AccessReviewRow {
  kind: 'user' | 'token';
  email: string;
  name: string;
  tokenId: string | null;
  tokenName: string | null;
  bindings: string[];
  locked: boolean;
  mfa: MfaStatus;
  lastLoginAt: string | null;
  lastUsedAt: string | null;
  permissions: string[];
  unusedPermissions: string[];
}

const COLUMNS: readonly (keyof AccessReviewRow)[] = [
  'kind',
  'email',
  'name',
  'tokenId',
  'tokenName',
  'bindings',
  'locked',
  'mfa',
  'lastLoginAt',
  'lastUsedAt',
  'permissions',
  'unusedPermissions',
];

interface UseRow {
  actor_email: string;
  token_id: string;
  action: string;
}

/**
 * The quarterly access review (SOC 2 CC6.2/CC6.3) as one file: every user and live token, what they hold
 * and through which binding, MFA, last login and use, and what they hold but have not used for
 * UNUSED_AFTER_DAYS days. Uses are read in one query over the window; rows are produced one by one so
 * the CSV is streamed.
 */
@Injectable()
export class AccessReviewService {
  constructor(
    private readonly directory: AccessDirectory,
    private readonly dataSource: DataSource,
    private readonly mfa: MfaStatusSource,
  ) {}

  async *rows(): AsyncGenerator<AccessReviewRow> {
    const users = await this.directory.users();
    const tokens = await this.directory.tokens(users.filter((user) => !user.locked));
    const mfa = await this.mfa.statusOf(users.map((user) => user.id));
    const uses = (await this.dataSource.query(
      `SELECT DISTINCT actor_email, token_id, action FROM audit_events
       WHERE occurred_at >= now() - make_interval(days => $1) AND decision = 'allow' AND actor_email <> ''`,
      [UNUSED_AFTER_DAYS],
    )) as UseRow[];
    const usedBy = new Set(uses.map((use) => `${use.actor_email}\n${use.action}`));
    const usedByToken = new Set(
      uses.filter((use) => use.token_id).map((use) => `${use.token_id}\n${use.action}`),
    );

    for (const user of users) {
      yield {
        kind: 'user',
        email: user.email,
        name: user.name,
        tokenId: null,
        tokenName: null,
        bindings: user.bindings.map((binding) => sourceText(binding)),
        locked: user.locked,
        mfa: mfa.get(user.id) ?? 'unknown',
        lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
        lastUsedAt: user.lastSeenAt?.toISOString() ?? null,
        ...held(user.permissions, (p) => usedBy.has(`${user.email}\n${p}`)),
      };
    }
    for (const token of tokens) {
      yield {
        kind: 'token',
        email: token.owner.email,
        name: token.owner.name,
        tokenId: token.id,
        tokenName: token.name,
        bindings: bindingsOfOwner(token.owner),
        locked: false,
        // A token is a bearer secret: no second factor applies to its use.
        mfa: 'not_applicable',
        lastLoginAt: null,
        lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
        ...held(token.permissions, (p) => usedByToken.has(`${token.id}\n${p}`)),
      };
    }
  }
}

function held(permissions: SourcedPermissions, used: (permission: string) => boolean) {
  const list = [...permissions.keys()];
  return { permissions: list, unusedPermissions: list.filter((p) => !used(p)) };
}

function bindingsOfOwner(owner: UserAccess): string[] {
  return owner.bindings.map((binding) => sourceText(binding));
}

export function accessReviewCsvHeader(): string {
  return `${COLUMNS.join(',')}\n`;
}

/** Lists become space-separated cells (permission names and bindings contain no spaces but `on`). */
export function accessReviewCsvLine(row: AccessReviewRow): string {
  return `${COLUMNS.map((column) => {
    const value = row[column];
    return csvCell(Array.isArray(value) ? value.join('; ') : value);
  }).join(',')}\n`;
}
