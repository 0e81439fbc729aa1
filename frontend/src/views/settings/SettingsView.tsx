import { Tabs } from '@mantine/core';
import { IconAdjustments, IconClockHour9, IconInbox, IconStethoscope, IconUsersGroup } from '@tabler/icons-react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { PageHeader } from '../../components/PageHeader';

const TABS = [
  { value: 'general', label: 'General', icon: IconAdjustments },
  { value: 'teams', label: 'Teams', icon: IconUsersGroup },
  { value: 'queue', label: 'Queue', icon: IconClockHour9 },
  { value: 'inbox', label: 'Inbox', icon: IconInbox },
  { value: 'diagnostics', label: 'Diagnostics', icon: IconStethoscope },
] as const;

/** Settings, one tab per route: #/settings/<tab>. */
export function SettingsView() {
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const active = pathname.split('/')[2] ?? 'general';
  return (
    <>
      <PageHeader title="Settings" description="How Herald is set up on this computer." />
      <Tabs
        value={active}
        onChange={(value) => {
          if (value) {
            void navigate(`/settings/${value}`);
          }
        }}
        keepMounted={false}
      >
        <Tabs.List mb="lg">
          {TABS.map(({ value, label, icon: Icon }) => (
            <Tabs.Tab key={value} value={value} leftSection={<Icon size={16} stroke={1.7} />}>
              {label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {TABS.map(({ value }) => (
          <Tabs.Panel key={value} value={value}>
            {value === active && <Outlet />}
          </Tabs.Panel>
        ))}
      </Tabs>
    </>
  );
}
