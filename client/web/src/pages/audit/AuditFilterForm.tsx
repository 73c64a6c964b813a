import { Button, Group, Select, SimpleGrid, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { type AuditFilters, toIso, toLocalInput } from './audit-filters';

/** The search form; it edits a draft and hands the filters over on Search (Enter works in every field). */
export function AuditFilterForm({
  value,
  onSearch,
}: {
  value: AuditFilters;
  onSearch: (filters: AuditFilters) => void;
}) {
  const [draft, setDraft] = useState({
    ...value,
    from: toLocalInput(value.from),
    to: toLocalInput(value.to),
  });
  useEffect(
    () => setDraft({ ...value, from: toLocalInput(value.from), to: toLocalInput(value.to) }),
    [value],
  );
  const text = (key: 'actor' | 'action' | 'app' | 'q' | 'from' | 'to') => ({
    value: draft[key] ?? '',
    onChange: (event: React.ChangeEvent<HTMLInputElement>) =>
      setDraft({ ...draft, [key]: event.currentTarget.value }),
  });
  return (
    <form
      aria-label="Audit search"
      onSubmit={(event) => {
        event.preventDefault();
        onSearch({ ...draft, from: toIso(draft.from ?? ''), to: toIso(draft.to ?? '') } as AuditFilters);
      }}
    >
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} mb="sm">
        <TextInput label="From" type="datetime-local" {...text('from')} />
        <TextInput label="To" type="datetime-local" {...text('to')} />
        <TextInput label="Actor (email)" {...text('actor')} />
        <TextInput label="Action (prefix)" placeholder="convox:env:" {...text('action')} />
        <TextInput label="App" {...text('app')} />
        <Select
          label="Decision"
          clearable
          data={['allow', 'deny', 'error']}
          value={draft.decision ?? null}
          onChange={(decision) =>
            setDraft({ ...draft, decision: (decision ?? undefined) as AuditFilters['decision'] })
          }
        />
        <Select
          label="Status"
          clearable
          data={['2xx', '3xx', '4xx', '5xx']}
          value={draft.statusClass ?? null}
          onChange={(status) =>
            setDraft({ ...draft, statusClass: (status ?? undefined) as AuditFilters['statusClass'] })
          }
        />
        <TextInput label="Path contains" {...text('q')} />
      </SimpleGrid>
      <Group>
        <Button type="submit">Search</Button>
        <Button variant="default" onClick={() => onSearch({})}>
          Clear
        </Button>
      </Group>
    </form>
  );
}
