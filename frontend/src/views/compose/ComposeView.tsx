import { Alert, Button, Card, EmptyState, Group, Skeleton, Stack } from '@mantine/core';
import { IconBroadcast, IconLock } from '@tabler/icons-react';
import { useCallback, useMemo } from 'react';
import { Link, useParams } from 'react-router-dom';
import { listNetworks } from '../../api/channels';
import { getPost, type PostView } from '../../api/posts';
import { ErrorPanel } from '../../components/ErrorPanel';
import { PageHeader } from '../../components/PageHeader';
import { useChannelList } from '../../hooks/useChannelList';
import { useLoad } from '../../hooks/useLoad';
import { postAbilities } from '../posts/PostActions';
import { defaultWhen, describeWhen, type When } from '../posts/WhenFields';
import { computerZone } from '../../time/zones';
import { Composer } from './Composer';
import { capsLookup, emptyComposer, fromPost } from './composerState';

function ComposerSkeleton() {
  return (
    <Stack gap="lg" aria-hidden data-testid="compose-loading">
      <Skeleton h={110} />
      <Skeleton h={260} />
      <Skeleton h={140} />
    </Stack>
  );
}

/** The time a saved post is scheduled for, if it is still ahead; a fresh default otherwise. */
function whenOf(post: PostView | undefined): When {
  const zone = post?.timeZone || computerZone();
  const now = new Date();
  if (post?.localTime) {
    const kept = { date: post.localTime.slice(0, 10), time: post.localTime.slice(11, 16), zone };
    if (describeWhen(kept, now)?.problem === undefined) {
      return kept;
    }
  }
  return defaultWhen(now, zone);
}

/** #/compose (a new post) and #/compose/:postId (edit a saved one). */
export function ComposeView() {
  const { postId } = useParams();
  const id = postId ? Number(postId) : 0;
  const channels = useChannelList();
  const networks = useLoad(listNetworks);
  const loadPost = useCallback(() => (id > 0 ? getPost(id) : Promise.resolve(undefined)), [id]);
  const post = useLoad(loadPost);

  const ready = channels.data && networks.data && !post.loading;
  const initial = useMemo(() => {
    if (!ready || !channels.data || !networks.data) {
      return undefined;
    }
    const capsOf = capsLookup(channels.data, networks.data);
    return post.data ? fromPost(post.data, capsOf) : emptyComposer();
    // The composer starts from what was loaded once; later channel changes do not reset it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready, post.data]);

  const title = id > 0 ? 'Edit post' : 'Compose';
  const description = 'Write a post once and tailor it to each channel.';
  const error = channels.error ?? networks.error ?? post.error;
  const retry = () => {
    channels.reload();
    networks.reload();
    post.reload();
  };

  let body;
  if (error) {
    body = <ErrorPanel title={id > 0 ? 'Herald could not open this post' : 'Herald could not load your channels'} error={error} onRetry={retry} />;
  } else if (!initial || !channels.data || !networks.data) {
    body = <ComposerSkeleton />;
  } else if (channels.data.length === 0) {
    body = (
      <Card py={48}>
        <EmptyState
          icon={<IconBroadcast size={30} stroke={1.6} aria-hidden />}
          title="Connect a channel first"
          description="Herald publishes to the social accounts you connect. Connect one, then come back to write your post."
          maw={480}
          mx="auto"
        >
          <EmptyState.Actions>
            <Button component={Link} to="/channels">
              Go to Channels
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </Card>
    );
  } else if (post.data && !postAbilities(post.data).edit) {
    body = (
      <Alert color="gray" variant="light" icon={<IconLock size={18} />} title="This post can no longer be edited" data-testid="compose-locked">
        <Stack gap="sm">
          <span>It was published, or is being published right now, so its text is fixed. Open the post to see where it went.</span>
          <Group>
            <Button size="xs" component={Link} to={`/posts/${id}`}>
              Open the post
            </Button>
          </Group>
        </Stack>
      </Alert>
    );
  } else {
    body = (
      <Composer
        key={id}
        initial={initial}
        initialWhen={whenOf(post.data)}
        channels={channels.data}
        networks={networks.data}
        scheduled={post.data !== undefined && post.data.status !== 'draft'}
      />
    );
  }

  return (
    <>
      <PageHeader title={title} description={description} />
      {body}
    </>
  );
}
