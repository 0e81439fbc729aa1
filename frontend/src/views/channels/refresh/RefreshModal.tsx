import { Alert, Button, Group, List, Modal, PasswordInput, Stack, Text, TextInput, ThemeIcon } from '@mantine/core';
import { IconCircleCheck, IconKey } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { finishConnect, loginWithPassword, startRefresh } from '../../../api/channels';
import { type AppError, toAppError } from '../../../api/errors';
import type { ChannelView, NetworkInfo, Snapshot } from '../../../api/types';
import { LinkifiedText } from '../../../components/ExternalLink';
import { useConnectSession } from '../../../hooks/useConnectSession';
import { notifySuccess } from '../../../lib/notify';
import { ChannelAvatar } from '../ChannelAvatar';
import { channelLabel, channelName, formatHandle } from '../channelText';
import { SignInProblem, SignInProgress } from '../SignInProgress';

interface RefreshModalProps {
  channel: ChannelView;
  network: NetworkInfo | undefined;
  /** Start the browser sign-in at once (Reconnect), rather than after the explanation. */
  autoStart?: boolean;
  onClose: () => void;
  /** Called after the connection was replaced. */
  onRefreshed: () => void;
}

function Explanation({ channel }: { channel: ChannelView }) {
  const disconnected = channel.status === 'disconnected';
  return (
    <Stack gap="xs">
      <Group gap="sm" wrap="nowrap">
        <ChannelAvatar src={channel.avatarUrl} name={channelName(channel)} size={36} />
        <div>
          <Text fw={600}>{channelName(channel)}</Text>
          <Text size="sm" c="dimmed">
            {formatHandle(channel.handle)} · {channel.networkName}
          </Text>
        </div>
      </Group>
      <Text size="sm">
        {disconnected
          ? `${channel.networkName} no longer accepts Herald's sign-in for this channel. Sign in again to reconnect it.`
          : `Herald signs in to ${channel.networkName} again and replaces this channel's sign-in in place.`}{' '}
        Nothing is deleted: the channel keeps its id, posts, metrics and teams.
      </Text>
    </Stack>
  );
}

function Problem({ error }: { error: AppError }) {
  return (
    <Alert color="red" variant="light" title="The connection was not updated" data-testid="refresh-problem" data-code={error.code}>
      <Text size="sm">{error.message}</Text>
      {error.hint && (
        <Text size="sm" fw={500} mt={4}>
          {error.hint}
        </Text>
      )}
    </Alert>
  );
}

/**
 * Refresh connection / Reconnect for one channel: the same sign-in as
 * adding it, then FinishConnect with just this channel, which replaces its
 * sign-in in place. Closing the dialog cancels a sign-in in progress.
 */
export function RefreshModal({ channel, network, autoStart = false, onClose, onRefreshed }: RefreshModalProps) {
  const password = channel.auth === 'app_password';
  const session = useConnectSession();
  const [started, setStarted] = useState(autoStart && !password);
  const [startError, setStartError] = useState<AppError | undefined>(undefined);
  const [finishing, setFinishing] = useState(false);
  const [finishError, setFinishError] = useState<AppError | undefined>(undefined);
  const [secret, setSecret] = useState('');
  const [secretError, setSecretError] = useState<string | undefined>(undefined);
  const autoStarted = useRef(false);
  const { track } = session;

  const reconnect = channel.status === 'disconnected';
  const done = (what: string) => {
    notifySuccess(
      reconnect ? 'Channel reconnected' : 'Connection refreshed',
      `${what} is connected again; its id, posts, metrics and teams are unchanged.`,
    );
    onRefreshed();
    onClose();
  };

  const finish = async (snap: Snapshot) => {
    setFinishing(true);
    setFinishError(undefined);
    try {
      const result = await finishConnect(snap.id, [channel.remoteId], []);
      session.reset();
      const ref = result.refreshed?.[0] ?? result.connected?.[0];
      done(ref ? channelLabel(ref) : channelLabel(channel));
    } catch (err) {
      setFinishError(toAppError(err));
    } finally {
      setFinishing(false);
    }
  };

  const begin = () => {
    setStartError(undefined);
    setFinishError(undefined);
    session.reset();
    setStarted(true);
    startRefresh(channel.id).then(track, (err: unknown) => {
      setStarted(false);
      setStartError(toAppError(err));
    });
  };

  // Reconnect (the button, or a desktop notification) opens the browser at once.
  useEffect(() => {
    if (!autoStart || password || autoStarted.current) {
      return;
    }
    autoStarted.current = true;
    startRefresh(channel.id).then(track, (err: unknown) => {
      setStarted(false);
      setStartError(toAppError(err));
    });
  }, [autoStart, password, channel.id, track]);

  const loginAgain = async () => {
    const typed = secret;
    setSecret('');
    setSecretError(undefined);
    setStartError(undefined);
    setFinishError(undefined);
    setFinishing(true);
    let snap: Snapshot;
    try {
      snap = await loginWithPassword(channel.network, channel.instance, channel.handle, typed, channel.id);
    } catch (err) {
      const error = toAppError(err);
      if (error.field === 'password' || error.field === 'secret') {
        setSecretError(error.message);
      } else {
        setStartError(error);
      }
      setFinishing(false);
      return;
    }
    if (snap.stage !== 'ready') {
      const e = snap.error;
      if (e && (e.field === 'password' || e.field === 'secret')) {
        setSecretError(e.message);
      } else {
        setStartError(
          toAppError(e ?? { code: snap.stage, message: 'The sign-in did not finish.', hint: 'Try again.' }),
        );
      }
      setFinishing(false);
      return;
    }
    session.track(snap);
    await finish(snap);
  };

  const snap = session.snapshot;
  const title = `${reconnect ? 'Reconnect' : 'Refresh connection'}: ${channelName(channel)}`;
  const secretLabel = network?.secretLabel || 'App password';
  const signedInAs = snap?.existing.find((account) => account.channelId === channel.id) ?? snap?.existing[0];

  let body;
  if (password) {
    body = (
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void loginAgain();
        }}
        noValidate
      >
        <Stack gap="md">
          <Explanation channel={channel} />
          {network?.connectHelp && (
            <Alert variant="light" color="indigo" icon={<IconKey size={18} />} title="Why an app password?">
              <Text size="sm">
                <LinkifiedText text={network.connectHelp} />
              </Text>
            </Alert>
          )}
          <TextInput label={network?.identifierLabel || 'Handle'} value={channel.handle} readOnly variant="filled" data-testid="refresh-identifier" />
          <PasswordInput
            label={secretLabel}
            description="Make a new one if you revoked the old one; Herald keeps it only in your system keyring."
            value={secret}
            onChange={(event) => {
              setSecret(event.currentTarget.value);
              setSecretError(undefined);
            }}
            error={secretError}
            required
            autoComplete="off"
            data-autofocus
            data-testid="refresh-secret"
          />
          {startError && <Problem error={startError} />}
          {finishError && <Problem error={finishError} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={finishing} data-testid="refresh-update">
              Update connection
            </Button>
          </Group>
        </Stack>
      </form>
    );
  } else if (!started) {
    body = (
      <Stack gap="md">
        <Explanation channel={channel} />
        <Text size="sm">Your browser opens {channel.networkName}&apos;s sign-in page. Sign in as {formatHandle(channel.handle)} and allow Herald.</Text>
        {startError && <Problem error={startError} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={begin} data-autofocus data-testid="refresh-start">
            Continue to sign in
          </Button>
        </Group>
      </Stack>
    );
  } else if (snap && (snap.stage === 'failed' || snap.stage === 'cancelled')) {
    body = (
      <Stack gap="md">
        <SignInProblem error={snap.error} stage={snap.stage} onRetry={begin} onClose={onClose} />
      </Stack>
    );
  } else if (snap?.stage === 'ready') {
    body = (
      <Stack gap="md">
        <Group gap="sm" wrap="nowrap" data-testid="refresh-signed-in-as" data-handle={signedInAs?.handle ?? ''}>
          <ThemeIcon color="teal" radius="xl" size={28} aria-hidden>
            <IconCircleCheck size={18} />
          </ThemeIcon>
          <Text fw={600}>Signed in as {formatHandle(signedInAs?.handle ?? channel.handle)}</Text>
        </Group>
        <List size="sm" spacing={4}>
          <List.Item>Herald replaces this channel&apos;s sign-in with the new one.</List.Item>
          <List.Item>The channel keeps its id, posts, metrics and teams.</List.Item>
        </List>
        {finishError && <Problem error={finishError} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => void finish(snap)} loading={finishing} data-autofocus data-testid="refresh-update">
            Update connection
          </Button>
        </Group>
      </Stack>
    );
  } else {
    body = (
      <Stack gap="md">
        <Explanation channel={channel} />
        <SignInProgress
          snapshot={snap}
          networkName={channel.networkName}
          onCancel={() => {
            session.cancel();
            setStarted(false);
          }}
        />
      </Stack>
    );
  }

  return (
    <Modal opened onClose={onClose} title={title} size="lg" centered closeOnClickOutside={false} data-testid="refresh-modal" data-channel-id={channel.id}>
      {body}
    </Modal>
  );
}
