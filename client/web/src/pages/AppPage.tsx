import { Tabs } from '@mantine/core';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useMe } from '../api/queries';
import { AppEnv } from './apps/AppEnv';
import { AppBuilds, AppProcesses, AppReleases, AppServices } from './apps/AppLists';
import { PageTitle } from './PageTitle';
import { SettingsTable } from './SettingsPage';

const route = getRouteApi('/shell/apps/$app');

/** One app: a tab per rack resource the caller may list (the rack still refuses what they may not). */
export function AppPage() {
  const { app } = route.useParams();
  const { tab } = route.useSearch();
  const navigate = useNavigate();
  const capabilities = useMe().data?.capabilities;
  const rackCan = capabilities?.rack;
  const tabs = [
    { id: 'services', label: 'Services', shown: rackCan?.readApps },
    { id: 'processes', label: 'Processes', shown: rackCan?.listProcesses },
    { id: 'builds', label: 'Builds', shown: rackCan?.listBuilds },
    { id: 'releases', label: 'Releases', shown: rackCan?.listReleases },
    { id: 'env', label: 'Environment', shown: rackCan?.readEnv },
    { id: 'settings', label: 'Settings', shown: capabilities?.settings.read },
  ].filter((entry) => entry.shown);
  const active = tabs.some((entry) => entry.id === tab) ? tab! : (tabs[0]?.id ?? 'services');
  return (
    <>
      <PageTitle>App {app}</PageTitle>
      <Tabs
        value={active}
        onChange={(value) =>
          navigate({ to: '/apps/$app', params: { app }, search: { tab: value ?? undefined } })
        }
        keepMounted={false}
      >
        <Tabs.List>
          {tabs.map((entry) => (
            <Tabs.Tab key={entry.id} value={entry.id}>
              {entry.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="services" pt="md">
          <AppServices app={app} />
        </Tabs.Panel>
        <Tabs.Panel value="processes" pt="md">
          <AppProcesses app={app} />
        </Tabs.Panel>
        <Tabs.Panel value="builds" pt="md">
          <AppBuilds app={app} />
        </Tabs.Panel>
        <Tabs.Panel value="releases" pt="md">
          <AppReleases app={app} />
        </Tabs.Panel>
        <Tabs.Panel value="env" pt="md">
          <AppEnv app={app} />
        </Tabs.Panel>
        <Tabs.Panel value="settings" pt="md">
          <SettingsTable app={app} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
