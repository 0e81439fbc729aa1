import { Alert, Button, Card, Group, Skeleton, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { checkChannel, listNetworks } from '../../api/channels';
import type { ChannelView } from '../../api/types';
import { ErrorPanel } from '../../components/ErrorPanel';
import { PageHeader } from '../../components/PageHeader';
import { needsAction, useChannelList } from '../../hooks/useChannelList';
import { useLoad } from '../../hooks/useLoad';
import { notifyError, notifySuccess } from '../../lib/notify';
import { AddChannelsModal } from './add/AddChannelsModal';
import type { ChannelAction } from './ChannelActions';
import { ChannelCard } from './ChannelCard';
import { ChannelsEmpty } from './ChannelsEmpty';
import { channelLabel, checkClassText, sortChannels } from './channelText';
import { EditTeamsModal } from './EditTeamsModal';
import { RefreshModal } from './refresh/RefreshModal';
import { RemoveChannelModal } from './RemoveChannelModal';
import { TimelineDrawer } from './TimelineDrawer';

type Dialog = { kind: 'refresh' | 'timeline' | 'teams' | 'remove'; channelId: number };

/** The query parameter that opens the reconnect dialog of a channel: /channels?reconnect=12. */
export const RECONNECT_PARAM = 'reconnect';

function ListSkeleton() {
  return (
    <Stack gap="md" aria-hidden data-testid="channels-loading">
      {[0, 1].map((i) => (
        <Card key={i}>
          <Group gap="md" wrap="nowrap">
            <Skeleton h={44} w={44} circle />
            <Stack gap={8} style={{ flex: 1 }}>
              <Skeleton h={14} w="35%" />
              <Skeleton h={12} w="55%" />
            </Stack>
          </Group>
        </Card>
      ))}
    </Stack>
  );
}

/** Channels: the accounts Herald publishes to, whether each still works, and how to fix it. */
export function ChannelsView() {
  const channels = useChannelList();
  const networks = useLoad(listNetworks);
  const [adding, setAdding] = useState(false);
  // The button that opened Add channels gets the focus back when it closes.
  const addButton = useRef<HTMLButtonElement>(null);
  const addOpener = useRef<HTMLElement | null>(null);
  const openAdd = (opener: HTMLElement) => {
    addOpener.current = opener;
    setAdding(true);
  };
  const closeAdd = () => {
    setAdding(false);
    window.setTimeout(() => {
      // After connecting, the empty page's button may be gone: the header's stays.
      const opener = addOpener.current?.isConnected ? addOpener.current : addButton.current;
      opener?.focus();
    }, 0);
  };
  const [dialog, setDialog] = useState<Dialog | undefined>(undefined);
  const [checking, setChecking] = useState<number[]>([]);
  const [params, setParams] = useSearchParams();

  const list = useMemo(() => (channels.data ? sortChannels(channels.data) : undefined), [channels.data]);
  const byId = (id: number) => list?.find((channel) => channel.id === id);
  const networkOf = (channel: ChannelView) => networks.data?.find((network) => network.id === channel.network);

  // Reconnect lives in the address, so a desktop notification's Reconnect
  // (app:navigate to /channels?reconnect=12) and the button work alike.
  const reconnectParam = params.get(RECONNECT_PARAM);
  const reconnectId = reconnectParam ? Number(reconnectParam) : undefined;
  const reconnecting = reconnectId !== undefined ? byId(reconnectId) : undefined;
  const reconnectMissing = reconnectId !== undefined && list !== undefined && !reconnecting;
  const clearReconnect = () => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.delete(RECONNECT_PARAM);
        return next;
      },
      { replace: true },
    );
  };
  const reconnect = (channel: ChannelView) => {
    setParams({ [RECONNECT_PARAM]: String(channel.id) });
  };

  const check = async (channel: ChannelView) => {
    setChecking((ids) => [...ids, channel.id]);
    // A notification has no avatar or icon beside it: the handle tells same-named channels apart.
    const name = channelLabel(channel);
    try {
      const result = await checkChannel(channel.id);
      if (result.ok) {
        notifySuccess(`${name} works`, `${channel.networkName} accepted Herald's sign-in just now.`);
      } else {
        notifications.show({
          color: result.class === 'auth_dead' ? 'red' : 'yellow',
          title: `${name}: ${checkClassText(result.class)}`,
          message: result.message || 'The check found a problem.',
          autoClose: false,
        });
      }
      channels.reload();
    } catch (err) {
      notifyError(`Herald could not check ${name}`, err);
    } finally {
      setChecking((ids) => ids.filter((id) => id !== channel.id));
    }
  };

  const act = (channel: ChannelView, action: ChannelAction) => {
    if (action === 'check') {
      void check(channel);
      return;
    }
    if (action === 'refresh' && channel.status === 'disconnected') {
      reconnect(channel);
      return;
    }
    setDialog({ kind: action, channelId: channel.id });
  };

  const open = dialog ? byId(dialog.channelId) : undefined;
  const closeDialog = () => {
    setDialog(undefined);
  };
  const attention = list?.filter(needsAction).length ?? 0;

  return (
    <>
      <PageHeader
        title="Channels"
        description="The social accounts Herald publishes to."
        actions={
          <Button
            ref={addButton}
            leftSection={<IconPlus size={16} />}
            onClick={(event) => {
              openAdd(event.currentTarget);
            }}
            data-testid="add-channels-button"
          >
            Add channels
          </Button>
        }
      />

      {reconnectMissing && (
        <Alert color="yellow" variant="light" title="That channel is no longer in Herald" withCloseButton onClose={clearReconnect} mb="md">
          <Text size="sm">It was removed after the notification was shown. Add it again with Add channels.</Text>
        </Alert>
      )}

      {channels.error && !list && (
        <ErrorPanel title="Herald could not load your channels" error={channels.error} onRetry={channels.reload} />
      )}
      {!list && !channels.error && <ListSkeleton />}
      {list && list.length === 0 && (
        <ChannelsEmpty
          networks={networks}
          onAdd={openAdd}
        />
      )}
      {list && list.length > 0 && (
        <Stack gap="md">
          <Text size="sm" c="dimmed" data-testid="channels-summary">
            {list.length} {list.length === 1 ? 'channel' : 'channels'}
            {attention > 0 ? ` · ${attention} ${attention === 1 ? 'needs' : 'need'} action` : ' · all working'}
          </Text>
          <Stack gap="md" data-testid="channel-list">
            {list.map((channel) => (
              <ChannelCard
                key={channel.id}
                channel={channel}
                network={networkOf(channel)}
                checking={checking.includes(channel.id)}
                onAction={(action) => {
                  act(channel, action);
                }}
                onReconnect={() => {
                  reconnect(channel);
                }}
              />
            ))}
          </Stack>
        </Stack>
      )}

      {adding && (
        <AddChannelsModal
          networks={networks}
          onClose={closeAdd}
          onConnected={channels.reload}
        />
      )}
      {reconnecting && (
        <RefreshModal
          key={`reconnect-${reconnecting.id}`}
          channel={reconnecting}
          network={networkOf(reconnecting)}
          autoStart
          onClose={clearReconnect}
          onRefreshed={channels.reload}
        />
      )}
      {open && dialog?.kind === 'refresh' && (
        <RefreshModal key={`refresh-${open.id}`} channel={open} network={networkOf(open)} onClose={closeDialog} onRefreshed={channels.reload} />
      )}
      {open && dialog?.kind === 'timeline' && <TimelineDrawer channel={open} onClose={closeDialog} />}
      {open && dialog?.kind === 'teams' && <EditTeamsModal channel={open} onClose={closeDialog} onSaved={channels.reload} />}
      {open && dialog?.kind === 'remove' && <RemoveChannelModal channel={open} onClose={closeDialog} onRemoved={channels.reload} />}
    </>
  );
}
