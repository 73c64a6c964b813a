import { NumberInput, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { rack } from '../../api/client';
import type { RackService } from '../../api/convox';
import { FormDialog } from '../../components/FormDialog';

/**
 * `convox scale` from the browser: the count, CPU and memory of one service, sent as the form the CLI sends
 * (`PUT /apps/{app}/services/{service}`) through the proxy, so RBAC, step-up and the audit are the same.
 * Only changed fields are sent: an unchanged one must not resize the service by accident.
 */
export function ScaleServiceDialog({
  app,
  service,
  onClose,
}: {
  app: string;
  service: RackService | null;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [count, setCount] = useState<number | string>('');
  const [cpu, setCpu] = useState<number | string>('');
  const [memory, setMemory] = useState<number | string>('');
  useEffect(() => {
    setCount(service?.count ?? '');
    setCpu(service?.cpu ?? '');
    setMemory(service?.memory ?? '');
  }, [service]);

  const scale = useMutation({
    mutationFn: (target: RackService) => {
      const form = new URLSearchParams();
      const changed = (value: number | string, was: number) => value !== '' && Number(value) !== was;
      if (changed(count, target.count)) form.set('count', String(count));
      if (changed(cpu, target.cpu)) form.set('cpu', String(cpu));
      if (changed(memory, target.memory)) form.set('memory', String(memory));
      return rack<string>(`/apps/${encodeURIComponent(app)}/services/${encodeURIComponent(target.name)}`, {
        method: 'PUT',
        body: form,
      });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({
        queryKey: ['rack', `/apps/${encodeURIComponent(app)}/services`],
      });
      onClose();
    },
  });

  return (
    <FormDialog
      title={`Scale ${service?.name ?? ''}`}
      opened={service !== null}
      onClose={onClose}
      onSubmit={() => service && scale.mutate(service)}
      submitLabel="Scale"
      pending={scale.isPending}
      error={scale.error}
    >
      <Text size="sm">The rack rolls the service to the new size; the change is in the audit log.</Text>
      <NumberInput
        label="Count"
        min={0}
        max={1000}
        allowDecimal={false}
        value={count}
        onChange={setCount}
        data-autofocus
      />
      <NumberInput
        label="CPU (millicores)"
        min={0}
        max={64000}
        allowDecimal={false}
        value={cpu}
        onChange={setCpu}
      />
      <NumberInput
        label="Memory (MB)"
        min={0}
        max={262144}
        allowDecimal={false}
        value={memory}
        onChange={setMemory}
      />
    </FormDialog>
  );
}
