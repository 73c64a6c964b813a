import { csvCell } from '../../audit/audit-csv';
import type { DeploymentReportRow } from './deployment-report.dto';

const COLUMNS: readonly (keyof DeploymentReportRow)[] = [
  'promotedAt',
  'app',
  'releaseId',
  'buildId',
  'gitCommit',
  'promotedBy',
  'promotedByKind',
  'promotedByToken',
  'result',
  'status',
  'approvalRequestId',
  'approvalStatus',
  'requester',
  'requesterToken',
  'approver',
  'approvedAt',
  'approvalExpiresAt',
  'deployedAt',
  'exceptions',
  'auditEventId',
];

/** The report as CSV (RFC 4180, formula-safe cells); exceptions are joined with `;`. */
export function deploymentReportCsv(rows: DeploymentReportRow[]): string {
  const lines = rows.map((row) =>
    COLUMNS.map((column) => csvCell(column === 'exceptions' ? row.exceptions.join(';') : row[column])).join(
      ',',
    ),
  );
  return [COLUMNS.join(','), ...lines].join('\n') + '\n';
}
