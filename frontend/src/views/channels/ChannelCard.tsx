import { Alert, Badge, Button, Card, DataList, Group, Loader, Stack, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconBellRinging, IconPlugConnectedX, IconRefresh } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { ChannelView, NetworkInfo } from '../../api/types';
import { CopyValueButton } from '../../components/CopyValueButton';
import { TimeValue } from '../../components/TimeValue';
import { formatDate, formatDateTime, parseTime } from '../../lib/format';
import { ChannelActions, type ChannelAction } from './ChannelActions';
import { ChannelAvatar, NetworkIcon } from './ChannelAvatar';
import { ChannelStatusBadge } from './ChannelStatusBadge';
import { channelName, checkClassText, formatHandle, renewsItself } from './channelText';

interface ChannelCardProps {
  channel: ChannelView;
  network: NetworkInfo | undefined;
  checking: boolean;
  onAction: (action: ChannelAction) => void;
  /** Reconnect in one click (the sign-in starts at once). */
  onReconnect: () => void;
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel c="dimmed">{label}</DataList.ItemLabel>
      <DataList.ItemValue>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}

function SignInExpiry({ channel, network }: { channel: ChannelView; network: NetworkInfo | undefined }) {
  const expires = parseTime(channel.tokenExpiresAt);
  if (!expires) {
    return (
      <Text size="sm" data-testid="channel-expiry" data-expires="">
        Does not expire
      </Text>
    );
  }
  const when = (
    <time dateTime={channel.tokenExpiresAt} title={formatDateTime(expires)}>
      {formatDate(expires)}
    </time>
  );
  return (
    <Text size="sm" data-testid="channel-expiry" data-expires={channel.tokenExpiresAt}>
      {renewsItself(network) ? <>Renews automatically until {when}</> : <>Expires {when}: sign in again before then</>}
    </Text>
  );
}

/**
 * Who disconnected the channel and why, in one line: always Herald, either
 * because the network refused its access or because this computer has no
 * saved sign-in for it.
 */
export function disconnectedTitle(channel: Pick<ChannelView, 'networkName' | 'signInMissing'>): string {
  if (channel.signInMissing) {
    return 'Herald disconnected this channel because it has no saved sign-in for it on this computer';
  }
  return `Herald disconnected this channel because ${channel.networkName} no longer accepts its access`;
}

/** One channel: who it is, whether it works, and what to do when it does not. */
export function ChannelCard({ channel, network, checking, onAction, onReconnect }: ChannelCardProps) {
  const name = channelName(channel);
  const handle = formatHandle(channel.handle);
  const disconnected = channel.status === 'disconnected';
  const attention = channel.status === 'attention';
  return (
    <Card
      component="article"
      aria-label={`${name}, ${channel.networkName}`}
      data-testid="channel-row"
      data-channel-id={channel.id}
      data-remote-id={channel.remoteId}
      data-network={channel.network}
      data-status={channel.status}
      data-reminder-due={channel.reminderDue}
      style={disconnected ? { borderColor: 'var(--mantine-color-red-filled)' } : undefined}
    >
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Group gap="md" wrap="nowrap" style={{ minWidth: 0 }}>
            <ChannelAvatar src={channel.avatarUrl} name={name} size={44} />
            <div style={{ minWidth: 0 }}>
              <Group gap="xs" wrap="wrap">
                <Text fw={650} fz="md" data-testid="channel-name">
                  {name}
                </Text>
                <ChannelStatusBadge status={channel.status} />
                {channel.reminderDue && (
                  <Tooltip label={channel.reminderReason || 'Sign in again to keep this connection reliable.'} multiline w={280}>
                    <Badge color="orange" variant="light" tt="none" leftSection={<IconBellRinging size={13} aria-hidden />} data-testid="channel-reminder">
                      Refresh recommended
                    </Badge>
                  </Tooltip>
                )}
                {checking && (
                  <Group gap={4} role="status" aria-label={`Checking ${name}`}>
                    <Loader size={12} />
                    <Text size="xs" c="dimmed">
                      Checking…
                    </Text>
                  </Group>
                )}
              </Group>
              <Text size="sm" c="dimmed" truncate>
                <NetworkIcon network={channel.network} size={13} /> {handle} · {channel.networkName}
                {channel.instance && network?.needsInstance ? ` (${channel.instance})` : ''}
              </Text>
            </div>
          </Group>
          <ChannelActions channel={channel} checking={checking} onAction={onAction} />
        </Group>

        {disconnected && (
          <Alert
            color="red"
            variant="light"
            icon={<IconPlugConnectedX size={20} />}
            title={disconnectedTitle(channel)}
            data-testid="channel-disconnected"
          >
            <Stack gap="xs">
              <Text size="sm">{channel.statusReason || `${channel.networkName} no longer accepts Herald's sign-in.`}</Text>
              <Text size="sm">Nothing was deleted: sign in again and its posts, history and teams stay as they are.</Text>
              {channel.statusChangedAt && (
                <Group gap={6}>
                  <Text size="sm" c="dimmed">
                    Disconnected
                  </Text>
                  <TimeValue iso={channel.statusChangedAt} />
                </Group>
              )}
              <Group>
                <Button color="red" leftSection={<IconRefresh size={16} />} onClick={onReconnect} data-testid="channel-reconnect">
                  Sign in again
                </Button>
              </Group>
            </Stack>
          </Alert>
        )}

        {attention && (
          <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={20} />} title="This channel needs attention" data-testid="channel-attention">
            <Stack gap="xs">
              <Text size="sm">{channel.statusReason || 'The last check found a problem.'}</Text>
              <Group>
                <Button size="xs" variant="filled" color="yellow" onClick={() => onAction('refresh')}>
                  Refresh connection
                </Button>
              </Group>
            </Stack>
          </Alert>
        )}

        {channel.reminderDue && !disconnected && !attention && channel.reminderReason && (
          <Text size="sm" c="orange" data-testid="channel-reminder-reason">
            {channel.reminderReason}
          </Text>
        )}

        <DataList labelWidth={130} gap="xs" size="sm">
          <Row label="Channel ID">
            <Group gap={6} wrap="nowrap">
              <Text ff="monospace" fz="13px" style={{ overflowWrap: 'anywhere' }} data-testid="channel-remote-id">
                {channel.remoteId}
              </Text>
              <CopyValueButton value={channel.remoteId} label={`Copy the channel ID of ${name}`} />
            </Group>
          </Row>
          <Row label="Teams">
            {channel.teams.length > 0 ? (
              <Group gap={6} data-testid="channel-teams">
                {channel.teams.map((team) => (
                  <Badge key={team.id} variant="outline" color="indigo" tt="none" radius="sm">
                    {team.name}
                  </Badge>
                ))}
              </Group>
            ) : (
              <Text size="sm" c="dimmed" data-testid="channel-teams">
                No team
              </Text>
            )}
          </Row>
          <Row label="Sign-in">
            <SignInExpiry channel={channel} network={network} />
          </Row>
          <Row label="Last checked">
            <Stack gap={2} data-testid="channel-checked" data-problem={channel.lastCheckClass}>
              <TimeValue iso={channel.checkedAt} none="Not checked yet" />
              {channel.lastCheckClass && (
                <Text size="sm" c={channel.lastCheckClass === 'auth_dead' ? 'red' : 'orange'}>
                  {checkClassText(channel.lastCheckClass)}
                  {channel.lastCheckMessage ? `: ${channel.lastCheckMessage}` : ''}
                </Text>
              )}
            </Stack>
          </Row>
        </DataList>
      </Stack>
    </Card>
  );
}
