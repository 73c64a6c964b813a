import { Badge, Table, Text } from '@mantine/core';
import { reachText, type PermissionChange, type PreviewAnswer } from '../../api/access';

function changeText(change: PermissionChange): string {
  return `${change.permission} (${reachText(change.before)} → ${reachText(change.after)})`;
}

/** Who gains and who loses what if a proposed role or binding change is saved. */
export function PreviewTable({ preview }: { preview: PreviewAnswer }) {
  if (preview.principals.length === 0) {
    return (
      <Text role="status" data-testid="preview-none">
        Nobody gains or loses anything with this change.
      </Text>
    );
  }
  return (
    <Table striped aria-label="change preview" data-testid="preview">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Who</Table.Th>
          <Table.Th>Gains</Table.Th>
          <Table.Th>Loses</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {preview.principals.map((who) => (
          <Table.Tr key={`${who.kind}:${who.email}:${who.tokenId ?? ''}`}>
            <Table.Td>
              {who.kind === 'token' ? (
                <>
                  <Badge variant="outline" mr="xs">
                    token
                  </Badge>
                  {who.tokenName} ({who.email})
                </>
              ) : (
                who.email
              )}
            </Table.Td>
            <Table.Td>{who.gained.map(changeText).join(', ') || '—'}</Table.Td>
            <Table.Td>{who.lost.map(changeText).join(', ') || '—'}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
