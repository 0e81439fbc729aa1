import { Avatar, Badge, Button, Card, EmptyState, Group, Modal, Skeleton, Stack, Table, Text, Title, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconUserSearch } from '@tabler/icons-react';
import { useCallback, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { compareAccounts, type CompareRow, unwatchAccount, type WatchedAccount, watchlist } from '../../api/measure';
import { ErrorPanel } from '../../components/ErrorPanel';
import { ExternalLink } from '../../components/ExternalLink';
import { TimeValue } from '../../components/TimeValue';
import { useLoad } from '../../hooks/useLoad';
import { notifyError, notifySuccess } from '../../lib/notify';
import { SEARCH_PATH } from '../../navigation';
import { useMeasure } from './MeasureLayout';
import { formatAverage, formatCount } from './measureModel';

/** A figure that is not there, with why. */
function Absent({ why }: { why: string }) {
  return (
    <Tooltip label={why}>
      <Text span size="sm" c="dimmed" data-testid="compare-absent" tabIndex={0}>
        <span aria-hidden>—</span>
        <VisuallyHidden component="span">{why}</VisuallyHidden>
      </Text>
    </Tooltip>
  );
}

function figure(v: number | undefined | null, why: string, format: (n: number) => string = formatCount) {
  return v === undefined || v === null ? <Absent why={why} /> : format(v);
}

const signedCount = (n: number) => (n > 0 ? `+${formatCount(n)}` : formatCount(n));

function CompareTable({ rows }: { rows: CompareRow[] }) {
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing="sm" data-testid="compare-table">
        <Table.Caption>Followers at the end of the range, their growth, posts published and engagement per post read, for the range above.</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Account</Table.Th>
            <Table.Th ta="right">Followers</Table.Th>
            <Table.Th ta="right">Growth</Table.Th>
            <Table.Th ta="right">Posts</Table.Th>
            <Table.Th ta="right">Engagement per post</Table.Th>
            <Table.Th>Last read</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={`${r.kind}-${r.id}`} data-testid="compare-row" data-kind={r.kind}>
              <Table.Th scope="row" fw={500}>
                {r.name}
                <Text span size="xs" c="dimmed">
                  {' · '}
                  {r.network}
                </Text>{' '}
                <Badge size="xs" variant="light" color={r.kind === 'channel' ? 'blue' : 'gray'}>
                  {r.kind === 'channel' ? 'Your channel' : 'Watched'}
                </Badge>
              </Table.Th>
              <Table.Td ta="right">{figure(r.followers, 'No follower count read by the end of the range')}</Table.Td>
              <Table.Td ta="right">{figure(r.growth, 'Needs a follower count at the start and the end of the range', signedCount)}</Table.Td>
              <Table.Td ta="right">{formatCount(r.posts)}</Table.Td>
              <Table.Td ta="right">{figure(r.engagementPerPost, r.posts === 0 ? 'No posts in the range' : 'None of its posts read yet', formatAverage)}</Table.Td>
              <Table.Td>
                <TimeValue iso={r.readAt ?? ''} none="Not yet" past />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function countsText(w: WatchedAccount): string {
  const parts: string[] = [];
  if (w.followers !== undefined && w.followers !== null) {
    parts.push(`${formatCount(w.followers)} followers`);
  }
  if (w.following !== undefined && w.following !== null) {
    parts.push(`${formatCount(w.following)} following`);
  }
  if (w.posts !== undefined && w.posts !== null) {
    parts.push(`${formatCount(w.posts)} posts`);
  }
  return parts.length > 0 ? parts.join(' · ') : 'No counts read yet';
}

function UnwatchDialog({ account, onClose, onDone }: { account: WatchedAccount; onClose: () => void; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const stop = async () => {
    setBusy(true);
    try {
      await unwatchAccount(account.id);
      notifySuccess('No longer watched', `Herald stopped watching ${account.handle}.`);
      onDone();
    } catch (err) {
      notifyError(`Herald could not stop watching ${account.handle}`, err);
      setBusy(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title={`Stop watching ${account.handle}?`}>
      <Stack gap="md">
        <Text size="sm">Herald stops reading its public counts and forgets the ones it read. You can watch it again from Search.</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            Keep watching
          </Button>
          <Button color="red" loading={busy} onClick={() => void stop()} data-testid="unwatch-confirm">
            Stop watching
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** #/measure/compare: the range's channels and the watched accounts side by side, and the watchlist. */
export function CompareView() {
  const { range, version } = useMeasure();
  // eslint-disable-next-line react-hooks/exhaustive-deps -- version reloads on purpose
  const loadRows = useCallback(() => compareAccounts(range), [range, version]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- version reloads on purpose
  const loadWatched = useCallback(() => watchlist(), [version]);
  const rows = useLoad(loadRows);
  const watched = useLoad(loadWatched);
  const [stopping, setStopping] = useState<WatchedAccount | undefined>(undefined);
  const heading = useRef<HTMLHeadingElement>(null);

  return (
    <Stack gap="lg" data-testid="measure-compare">
      <Card>
        <Stack gap="sm">
          <Title order={2} size="h5">
            Side by side
          </Title>
          {rows.error && <ErrorPanel title="Herald could not compare the accounts" error={rows.error} onRetry={rows.reload} />}
          {!rows.data && !rows.error && <Skeleton h={160} aria-hidden data-testid="compare-loading" />}
          {rows.data && rows.data.length === 0 && (
            <Text size="sm" c="dimmed">
              No channel in this selection and no watched account.
            </Text>
          )}
          {rows.data && rows.data.length > 0 && <CompareTable rows={rows.data} />}
        </Stack>
      </Card>
      <Stack gap="sm">
        <Title order={2} size="h5" tabIndex={-1} ref={heading}>
          Watchlist
        </Title>
        {watched.error && <ErrorPanel title="Herald could not read the watchlist" error={watched.error} onRetry={watched.reload} />}
        {!watched.data && !watched.error && <Skeleton h={80} aria-hidden />}
        {watched.data && watched.data.length === 0 && (
          <Card py={40} data-testid="watchlist-empty">
            <EmptyState
              icon={<IconUserSearch size={28} stroke={1.6} aria-hidden />}
              title="No watched accounts"
              description="Watch public accounts, a competitor or a partner, to compare their followers and posts with yours. Find them in Search and press Watch."
              maw={520}
              mx="auto"
            >
              <EmptyState.Actions>
                <Button component={Link} to={SEARCH_PATH} variant="light">
                  Go to Search
                </Button>
              </EmptyState.Actions>
            </EmptyState>
          </Card>
        )}
        {watched.data && watched.data.length > 0 && (
          <Stack component="ul" gap="xs" m={0} p={0} style={{ listStyle: 'none' }} aria-label="Watched accounts" data-testid="watchlist">
            {watched.data.map((w) => {
              const name = w.displayName.trim() || w.handle;
              return (
                <Card component="li" key={w.id} withBorder padding="sm" data-testid="watched-account">
                  <Group wrap="nowrap" align="flex-start" gap="md">
                    <Avatar src={w.avatarUrl || null} name={name} color="initials" radius="xl" alt="" aria-hidden />
                    <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
                      <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
                        {name}{' '}
                        <Text span size="sm" c="dimmed">
                          {w.handle}
                        </Text>
                      </Text>
                      <Text size="sm" c="dimmed">
                        {countsText(w)} · read through {w.channelName || 'a removed channel'}
                      </Text>
                      <Group gap={6}>
                        <Text size="sm" c="dimmed">
                          Last read
                        </Text>
                        <TimeValue iso={w.readAt ?? ''} none="Not yet" past />
                      </Group>
                      {w.lastError && (
                        <Text size="sm" c="red" data-testid="watched-error">
                          {w.lastError}
                        </Text>
                      )}
                      {w.profileUrl && (
                        <Text size="sm" span>
                          <ExternalLink href={w.profileUrl} label={`Open profile of ${name}`}>
                            Open profile
                          </ExternalLink>
                        </Text>
                      )}
                    </Stack>
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      onClick={() => {
                        setStopping(w);
                      }}
                      aria-label={`Stop watching ${w.handle}`}
                    >
                      Stop watching
                    </Button>
                  </Group>
                </Card>
              );
            })}
          </Stack>
        )}
      </Stack>
      {stopping && (
        <UnwatchDialog
          account={stopping}
          onClose={() => {
            setStopping(undefined);
          }}
          onDone={() => {
            setStopping(undefined);
            watched.reload();
            rows.reload();
            heading.current?.focus();
          }}
        />
      )}
    </Stack>
  );
}
