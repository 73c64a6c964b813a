import { Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { rack } from '../../api/client';
import { FormDialog } from '../../components/FormDialog';

/** `convox releases promote` from the browser, confirmed first: a promote is a deploy. */
export function PromoteReleaseDialog({
  app,
  release,
  onClose,
}: {
  app: string;
  release: string | null;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const appPath = `/apps/${encodeURIComponent(app)}`;
  const promote = useMutation({
    mutationFn: (id: string) =>
      rack<string>(`${appPath}/releases/${encodeURIComponent(id)}/promote`, { method: 'POST' }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['rack', appPath] });
      await queryClient.invalidateQueries({ queryKey: ['rack', `${appPath}/releases`] });
      onClose();
    },
  });
  return (
    <FormDialog
      title={`Promote ${release ?? ''}?`}
      opened={release !== null}
      onClose={onClose}
      onSubmit={() => release && promote.mutate(release)}
      submitLabel="Promote"
      pending={promote.isPending}
      error={promote.error}
    >
      <Text size="sm">
        The rack rolls every service of {app} to this release. The promote is recorded in the audit log and
        listed in the deployments report.
      </Text>
    </FormDialog>
  );
}
