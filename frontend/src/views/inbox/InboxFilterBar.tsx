import { Chip, Group, Kbd, SegmentedControl, Switch, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import type { RefObject } from 'react';
import type { ChannelView } from '../../api/types';
import { ChannelFilter } from '../../components/ChannelFilter';
import { KIND_OPTIONS } from './inboxText';
import type { InboxFilters } from './useInbox';

interface InboxFilterBarProps {
  value: InboxFilters;
  onChange: (filters: InboxFilters) => void;
  channels: ChannelView[];
  searchInput: RefObject<HTMLInputElement | null>;
}

/** Status, search, channels, kinds and unread: what the list shows. */
export function InboxFilterBar({ value, onChange, channels, searchInput }: InboxFilterBarProps) {
  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <SegmentedControl
        aria-label="Status"
        data={[
          { value: 'open', label: 'Open' },
          { value: 'done', label: 'Done' },
          { value: 'archived', label: 'Archived' },
        ]}
        value={value.status}
        onChange={(status) => {
          onChange({ ...value, status: status });
        }}
        data-testid="inbox-status"
      />
      <TextInput
        ref={searchInput}
        aria-label="Search the inbox"
        placeholder="Search words, names, handles"
        leftSection={<IconSearch size={15} />}
        rightSection={<Kbd size="xs">/</Kbd>}
        rightSectionPointerEvents="none"
        value={value.text}
        onChange={(event) => {
          onChange({ ...value, text: event.currentTarget.value });
        }}
        w={280}
        data-testid="inbox-search"
      />
      <ChannelFilter
        channels={channels}
        value={value.channelIds}
        onChange={(channelIds) => {
          onChange({ ...value, channelIds });
        }}
        width={260}
        testId="inbox-channels"
      />
      <Chip.Group
        multiple
        value={value.kinds}
        onChange={(kinds) => {
          onChange({ ...value, kinds: kinds });
        }}
      >
        <Group gap={6} role="group" aria-label="Kinds">
          {KIND_OPTIONS.map((k) => (
            <Chip key={k.value} value={k.value} size="sm" variant="outline">
              {k.label}
            </Chip>
          ))}
        </Group>
      </Chip.Group>
      <Switch
        label="Unread only"
        checked={value.unreadOnly}
        onChange={(event) => {
          onChange({ ...value, unreadOnly: event.currentTarget.checked });
        }}
        data-testid="inbox-unread-only"
      />
    </Group>
  );
}
