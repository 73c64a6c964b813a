import { Table, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';

/** A column: its header ('' for an unlabelled action column) and how a row fills its cell. */
export type Column<T> = [header: string, cell: (row: T) => ReactNode];

/** The console's list tables: a labelled table, one row per item, columns as data. */
export function DataTable<T>({
  rows,
  columns,
  rowKey,
  label,
  striped = true,
}: {
  rows: T[];
  columns: Array<Column<T>>;
  rowKey: (row: T) => string;
  label: string;
  striped?: boolean;
}) {
  return (
    <Table striped={striped} highlightOnHover aria-label={label}>
      <Table.Thead>
        <Table.Tr>
          {columns.map(([header], index) => (
            <Table.Th key={header || `action-${index}`}>
              {header || <VisuallyHidden>Actions</VisuallyHidden>}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={rowKey(row)}>
            {columns.map(([header, cell], index) => (
              <Table.Td key={header || `action-${index}`}>{cell(row)}</Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
