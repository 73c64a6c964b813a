import { Badge } from '@mantine/core';
import { statusColor } from '../../api/approvals';

/** A request's status; outline so the text keeps AA contrast on white. */
export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge
      variant="outline"
      color={statusColor(status)}
      data-testid="approval-status"
      // Never shortened to "PENDI…" by a narrow table cell.
      styles={{ root: { flexShrink: 0, maxWidth: 'none' }, label: { overflow: 'visible' } }}
    >
      {status}
    </Badge>
  );
}
