import { Anchor, Avatar, Button, Card, EmptyState, Group, Loader, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconCheck, IconCopy, IconEye, IconSearch, IconUserSearch } from '@tabler/icons-react';
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { copyText } from '../../api/app';
import { type AppError, toAppError } from '../../api/errors';
import { type PublicProfile, watchAccount, watchlist } from '../../api/measure';
import { MAX_SEARCH_QUERY, type ProfileView, type SearchChannel, searchAccounts } from '../../api/search';
import { ErrorPanel } from '../../components/ErrorPanel';
import { ExternalLink } from '../../components/ExternalLink';
import { PageHeader } from '../../components/PageHeader';
import { useLoad } from '../../hooks/useLoad';
import { useSearchableChannels } from '../../hooks/useSearchableChannels';
import { formatCount } from '../../lib/format';
import { notifyError, notifySuccess } from '../../lib/notify';
import { CHANNELS_PATH, SEARCH_PATH, VIEWS } from '../../navigation';
import { NetworkIcon } from '../channels/ChannelAvatar';

const DESCRIPTION = VIEWS.find((v) => v.path === SEARCH_PATH)?.description ?? '';

/** One search: what was asked, through which channel, and how it ended. */
interface Outcome {
  query: string;
  channel: SearchChannel;
  results?: ProfileView[];
  error?: AppError;
}

function channelOption(c: SearchChannel) {
  return {
    value: String(c.channelId),
    label: c.available ? `${c.channelName} (${c.networkName})` : `${c.channelName} (${c.networkName}, disconnected)`,
    disabled: !c.available,
  };
}

/** The public counts the network gave, in words; absent ones are left out. */
function countsText(p: ProfileView): string {
  const parts: string[] = [];
  if (p.followers !== undefined) {
    parts.push(formatCount(p.followers, { one: 'follower', other: 'followers' }));
  }
  if (p.following !== undefined) {
    parts.push(`${formatCount(p.following)} following`);
  }
  if (p.posts !== undefined) {
    parts.push(formatCount(p.posts, { one: 'post', other: 'posts' }));
  }
  return parts.join(' · ');
}

/** Who a watched account is: the channel it is read through and its id on the network. */
const watchKey = (channelId: number, remoteId: string) => `${channelId}:${remoteId}`;

/** The search result as the network.Profile the watchlist stores. */
export function profileOf(p: ProfileView): PublicProfile {
  return {
    remoteId: p.remoteId,
    handle: p.handle,
    mention: p.mention,
    displayName: p.displayName,
    bio: p.bio,
    avatarUrl: p.avatarUrl,
    profileUrl: p.profileUrl,
    followers: p.followers,
    following: p.following,
    posts: p.posts,
  };
}

/** One account found: who it is, what it says about itself, and what to do with it. */
function ProfileCard({ profile, watching, onWatched }: { profile: ProfileView; watching: boolean; onWatched: (key: string) => void }) {
  const [adding, setAdding] = useState(false);
  const name = profile.displayName.trim() || profile.handle;
  const counts = countsText(profile);
  const copy = () => {
    copyText(profile.mention).then(
      () => {
        notifySuccess('Mention copied', `${profile.mention} is on the clipboard.`);
      },
      (err: unknown) => {
        notifyError('Could not copy', err);
      },
    );
  };
  const watch = () => {
    setAdding(true);
    watchAccount(profile.channelId, profileOf(profile)).then(
      (w) => {
        setAdding(false);
        onWatched(watchKey(w.channelId, w.remoteId));
        notifySuccess('Watching', `Herald reads the public counts of ${profile.handle} from now on; compare them in Measure → Compare.`);
      },
      (err: unknown) => {
        setAdding(false);
        notifyError(`Herald could not watch ${profile.handle}`, err);
      },
    );
  };
  return (
    <Card component="li" withBorder padding="md" data-testid="profile-card">
      <Group align="flex-start" wrap="nowrap" gap="md">
        <Avatar src={profile.avatarUrl || null} name={name} color="initials" size={48} radius="xl" alt="" aria-hidden />
        <Stack gap={4} style={{ minWidth: 0, flex: 1 }}>
          <Title order={3} fz="md" style={{ overflowWrap: 'anywhere' }}>
            {name}
          </Title>
          <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
            {profile.handle}
          </Text>
          {profile.bio.trim() !== '' && (
            <Text size="sm" lineClamp={3} dir="auto" data-testid="profile-bio">
              {profile.bio}
            </Text>
          )}
          {counts !== '' && (
            <Text size="sm" c="dimmed" data-testid="profile-counts">
              {counts}
            </Text>
          )}
          <Group gap="md" mt={4}>
            {profile.profileUrl && (
              <Text size="sm" span>
                <ExternalLink href={profile.profileUrl} label={`Open profile of ${name}`}>
                  Open profile
                </ExternalLink>
              </Text>
            )}
            <Button
              size="compact-sm"
              variant="light"
              leftSection={<IconCopy size={14} aria-hidden />}
              onClick={copy}
              aria-label={`Copy mention ${profile.mention}`}
            >
              Copy mention
            </Button>
            {watching ? (
              <Group gap="xs">
                <Button size="compact-sm" variant="light" color="teal" leftSection={<IconCheck size={14} aria-hidden />} disabled data-testid="profile-watching">
                  Watching
                </Button>
                <Anchor component={Link} to="/measure/compare" size="sm">
                  Compare
                </Anchor>
              </Group>
            ) : (
              <Button
                size="compact-sm"
                variant="light"
                leftSection={<IconEye size={14} aria-hidden />}
                loading={adding}
                onClick={watch}
                aria-label={`Watch ${profile.handle}`}
                data-testid="profile-watch"
              >
                Watch
              </Button>
            )}
          </Group>
        </Stack>
      </Group>
    </Card>
  );
}

/** Finds public accounts on a connected network, through one of the user's channels. */
export function SearchView() {
  const channels = useSearchableChannels();
  const [picked, setPicked] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [pending, setPending] = useState<{ query: string; channel: SearchChannel } | undefined>(undefined);
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined);
  const asked = useRef(0);
  const summary = useRef<HTMLHeadingElement>(null);
  const watched = useLoad(watchlist);
  const [added, setAdded] = useState<string[]>([]);
  // A watchlist that cannot be read leaves every Watch button as it is.
  const watching = useMemo(() => new Set([...(watched.data ?? []).map((w) => watchKey(w.channelId, w.remoteId)), ...added]), [watched.data, added]);

  const list = channels.data ?? [];
  const firstAvailable = list.find((c) => c.available);
  const channel = list.find((c) => String(c.channelId) === picked && c.available) ?? firstAvailable;

  // Once a search has ended, its summary takes the focus, so the result is read out and Tab reaches the accounts.
  useEffect(() => {
    if (outcome) {
      summary.current?.focus();
    }
  }, [outcome]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const q = query.trim();
    if (!channel || q === '') {
      return;
    }
    const n = ++asked.current;
    setPending({ query: q, channel });
    searchAccounts(channel.channelId, q, false).then(
      (results) => {
        if (n === asked.current) {
          setPending(undefined);
          setOutcome({ query: q, channel, results });
        }
      },
      (err: unknown) => {
        if (n === asked.current) {
          setPending(undefined);
          setOutcome({ query: q, channel, error: toAppError(err) });
        }
      },
    );
  };

  if (channels.error) {
    return (
      <>
        <PageHeader title="Search" description={DESCRIPTION} />
        <ErrorPanel error={channels.error} title="Herald could not list the channels that can search" onRetry={channels.reload} />
      </>
    );
  }
  if (!channels.data) {
    return (
      <>
        <PageHeader title="Search" description={DESCRIPTION} />
        <Group gap="sm" role="status" aria-live="polite">
          <Loader size="sm" aria-hidden />
          <Text size="sm">Loading the channels that can search…</Text>
        </Group>
      </>
    );
  }
  if (!firstAvailable) {
    const disconnected = list.length > 0;
    return (
      <>
        <PageHeader title="Search" description={DESCRIPTION} />
        <Card py={48} data-testid="search-empty">
          <EmptyState
            icon={<IconUserSearch size={30} stroke={1.6} aria-hidden />}
            title={disconnected ? 'Your searching channels are disconnected' : 'No channel can search yet'}
            description={
              disconnected
                ? 'Searching accounts goes through a connected Mastodon or Bluesky channel. Reconnect one in Channels to search again.'
                : 'Searching accounts goes through one of your channels on Mastodon or Bluesky. Connect one in Channels to search here.'
            }
            maw={560}
            mx="auto"
          >
            <EmptyState.Actions>
              <Button component={Link} to={CHANNELS_PATH} variant="light">
                Go to Channels
              </Button>
            </EmptyState.Actions>
          </EmptyState>
        </Card>
      </>
    );
  }

  const fieldError = outcome?.error?.field === 'query' ? outcome.error.message : undefined;

  return (
    <>
      <PageHeader title="Search" description={DESCRIPTION} />
      <Stack gap="lg">
        <Card component="form" role="search" aria-label="Search accounts" onSubmit={submit} data-testid="search-form">
          <Group align="flex-end" gap="md" wrap="wrap">
            <Select
              label="Search through"
              description="The channel whose network is searched, signed in as it."
              data={list.map(channelOption)}
              value={channel ? String(channel.channelId) : null}
              onChange={setPicked}
              allowDeselect={false}
              comboboxProps={{ withinPortal: false }}
              leftSection={channel ? <NetworkIcon network={channel.network} size={16} /> : undefined}
              w={300}
              data-testid="search-channel"
            />
            <TextInput
              label="Name or handle"
              description={`Up to ${MAX_SEARCH_QUERY} characters; Enter searches.`}
              placeholder={channel?.network === 'bluesky' ? 'e.g. alice.bsky.social' : 'e.g. alice or @alice@example.social'}
              value={query}
              onChange={(event) => {
                setQuery(event.currentTarget.value);
              }}
              maxLength={MAX_SEARCH_QUERY}
              error={fieldError}
              style={{ flex: 1, minWidth: 240 }}
              data-testid="search-query"
            />
            <Button
              type="submit"
              leftSection={<IconSearch size={16} aria-hidden />}
              loading={pending !== undefined}
              disabled={query.trim() === ''}
            >
              Search
            </Button>
          </Group>
        </Card>

        <section aria-label="Results" data-testid="search-results">
          {pending && (
            <Group gap="sm" role="status" aria-live="polite" data-testid="search-loading">
              <Loader size="sm" aria-hidden />
              <Text size="sm">
                Searching {pending.channel.networkName} for “{pending.query}”…
              </Text>
            </Group>
          )}
          {!pending && outcome?.error && (
            <Stack gap="sm">
              <Title order={2} fz="lg" tabIndex={-1} ref={summary}>
                The search for “{outcome.query}” failed
              </Title>
              <ErrorPanel error={outcome.error} title={`${outcome.channel.networkName} could not search`} />
            </Stack>
          )}
          {!pending && outcome?.results && (
            <Stack gap="sm">
              <Title order={2} fz="lg" tabIndex={-1} ref={summary} data-testid="search-summary">
                {outcome.results.length === 0
                  ? `No accounts match “${outcome.query}” on ${outcome.channel.networkName}`
                  : `${formatCount(outcome.results.length, { one: 'account', other: 'accounts' })} on ${outcome.channel.networkName} for “${outcome.query}”`}
              </Title>
              {outcome.results.length === 0 ? (
                <Text size="sm" c="dimmed">
                  Try part of the name, or the whole handle
                  {outcome.channel.network === 'mastodon' ? ' with its server, like @alice@example.social' : ''}.
                </Text>
              ) : (
                <Stack
                  component="ul"
                  gap="sm"
                  m={0}
                  p={0}
                  style={{ listStyle: 'none' }}
                  aria-label={`Accounts found for “${outcome.query}”`}
                >
                  {outcome.results.map((p) => (
                    <ProfileCard
                      key={p.remoteId || p.handle}
                      profile={p}
                      watching={watching.has(watchKey(p.channelId, p.remoteId))}
                      onWatched={(key) => {
                        setAdded((a) => [...a, key]);
                      }}
                    />
                  ))}
                </Stack>
              )}
            </Stack>
          )}
        </section>
      </Stack>
    </>
  );
}
