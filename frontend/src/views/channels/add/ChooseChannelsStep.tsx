import { Alert, Badge, Button, Checkbox, Group, Stack, Tabs, Text } from '@mantine/core';
import { IconBan, IconHelpCircle } from '@tabler/icons-react';
import { useState } from 'react';
import type { AccountView, Snapshot } from '../../../api/types';
import { ChannelAvatar } from '../ChannelAvatar';
import { channelName, formatHandle } from '../channelText';

type Tab = 'new' | 'existing' | 'unavailable';

function firstTab(snapshot: Snapshot): Tab {
  if (snapshot.new.length > 0) {
    return 'new';
  }
  if (snapshot.existing.length > 0) {
    return 'existing';
  }
  return 'unavailable';
}

function AccountLine({ account, note }: { account: AccountView; note?: string | undefined }) {
  const name = channelName(account);
  return (
    <Group gap="sm" wrap="nowrap" style={{ flex: 1, minWidth: 0 }}>
      <ChannelAvatar src={account.avatarUrl} name={name} size={36} />
      <div style={{ minWidth: 0 }}>
        <Text fw={600} size="sm" truncate>
          {name}
        </Text>
        <Text size="xs" c="dimmed" truncate>
          {formatHandle(account.handle)}
          {account.kind && account.kind !== 'account' ? ` · ${account.kind}` : ''}
        </Text>
        {note && (
          <Text size="xs" mt={2}>
            {note}
          </Text>
        )}
      </div>
    </Group>
  );
}

function existingNote(account: AccountView): string {
  return account.removed
    ? 'You removed it earlier: it will be restored with its posts and history.'
    : 'Already in Herald: selecting it refreshes its connection in place.';
}

interface SelectableProps {
  accounts: AccountView[];
  selected: string[];
  onToggle: (remoteId: string) => void;
  note?: (account: AccountView) => string | undefined;
  empty: string;
}

function SelectableAccounts({ accounts, selected, onToggle, note, empty }: SelectableProps) {
  if (accounts.length === 0) {
    return (
      <Text size="sm" c="dimmed" py="md">
        {empty}
      </Text>
    );
  }
  return (
    <Stack gap="xs">
      {accounts.map((account) => {
        const checked = selected.includes(account.remoteId);
        return (
          <Checkbox.Card
            key={account.remoteId}
            checked={checked}
            onClick={() => {
              onToggle(account.remoteId);
            }}
            radius="md"
            p="sm"
            aria-label={`${channelName(account)} (${formatHandle(account.handle)})`}
            data-testid="account-option"
            data-remote-id={account.remoteId}
            data-handle={account.handle}
          >
            <Group wrap="nowrap" gap="md">
              <Checkbox.Indicator />
              <AccountLine account={account} note={note?.(account)} />
              {account.removed && (
                <Badge variant="light" color="gray" size="sm">
                  Removed earlier
                </Badge>
              )}
            </Group>
          </Checkbox.Card>
        );
      })}
    </Stack>
  );
}

interface ChooseChannelsStepProps {
  snapshot: Snapshot;
  selected: string[];
  onSelectedChange: (remoteIds: string[]) => void;
  onStartOver: () => void;
  onNext: () => void;
  /** Finish is running (when only channels already in Herald are selected). */
  finishing?: boolean;
}

/** Step 4: which of the channels this sign-in can see to connect or refresh. */
export function ChooseChannelsStep({
  snapshot,
  selected,
  onSelectedChange,
  onStartOver,
  onNext,
  finishing = false,
}: ChooseChannelsStepProps) {
  const [tab, setTab] = useState<Tab>(() => firstTab(snapshot));
  const toggle = (remoteId: string) => {
    onSelectedChange(selected.includes(remoteId) ? selected.filter((id) => id !== remoteId) : [...selected, remoteId]);
  };
  const newIds = new Set(snapshot.new.map((account) => account.remoteId));
  const anyNew = selected.some((id) => newIds.has(id));

  return (
    <Stack gap="md">
      <Text size="sm">
        Signed in to {snapshot.networkName}
        {snapshot.instance ? ` (${snapshot.instance})` : ''}. Select the channels Herald should publish to.
      </Text>
      <Tabs
        value={tab}
        onChange={(value) => {
          if (value === 'new' || value === 'existing' || value === 'unavailable') {
            setTab(value);
          }
        }}
      >
        <Tabs.List>
          <Tabs.Tab value="new" data-testid="tab-new">
            New ({snapshot.new.length})
          </Tabs.Tab>
          <Tabs.Tab value="existing" data-testid="tab-existing">
            Already in Herald ({snapshot.existing.length})
          </Tabs.Tab>
          <Tabs.Tab value="unavailable" data-testid="tab-unavailable">
            Can&apos;t connect ({snapshot.unavailable.length})
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="new" pt="md">
          <SelectableAccounts
            accounts={snapshot.new}
            selected={selected}
            onToggle={toggle}
            empty="No channels you haven't connected yet."
          />
        </Tabs.Panel>
        <Tabs.Panel value="existing" pt="md">
          <SelectableAccounts
            accounts={snapshot.existing}
            selected={selected}
            onToggle={toggle}
            note={existingNote}
            empty="None of these channels is in Herald yet."
          />
        </Tabs.Panel>
        <Tabs.Panel value="unavailable" pt="md">
          {snapshot.unavailable.length === 0 ? (
            <Text size="sm" c="dimmed" py="md">
              Every channel this sign-in can see can be connected.
            </Text>
          ) : (
            <Stack gap="xs">
              {snapshot.unavailable.map((account) => (
                <Group
                  key={account.remoteId}
                  wrap="nowrap"
                  gap="md"
                  p="sm"
                  style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 'var(--mantine-radius-md)' }}
                  data-testid="account-unavailable"
                >
                  <IconBan size={18} stroke={1.7} color="var(--mantine-color-dimmed)" aria-hidden />
                  <AccountLine account={account} note={account.reason || 'Herald cannot publish to this channel.'} />
                </Group>
              ))}
            </Stack>
          )}
        </Tabs.Panel>
      </Tabs>

      {snapshot.notListedHelp && (
        <Alert variant="light" color="gray" icon={<IconHelpCircle size={18} />} title="Why is my channel not listed?" data-testid="not-listed-help">
          <Text size="sm">{snapshot.notListedHelp}</Text>
        </Alert>
      )}

      <Group justify="space-between">
        <Button variant="default" onClick={onStartOver}>
          Start over
        </Button>
        <Group gap="sm">
          <Text size="sm" c="dimmed" aria-live="polite">
            {selected.length === 0 ? 'Select at least one channel.' : `${selected.length} selected`}
          </Text>
          <Button onClick={onNext} disabled={selected.length === 0} loading={finishing} data-testid="choose-next">
            {anyNew ? 'Next: teams' : 'Finish'}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}
