import { Badge, Button, Card, EmptyState, Skeleton, Stack, Tabs } from '@mantine/core';
import { IconAlertTriangle, IconCalendarTime, IconCircleCheck, IconFileText, IconPencil } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { ErrorPanel } from '../../components/ErrorPanel';
import { PageHeader } from '../../components/PageHeader';
import { VirtualList } from '../../components/VirtualList';
import { useChannelList } from '../../hooks/useChannelList';
import { AttentionRow } from './AttentionRow';
import { type Filters, NO_FILTERS, PostFilters } from './PostFilters';
import { PostRow } from './PostRow';
import { isQueueTab, QUEUE_TABS, type QueueTab } from './queueTabs';
import { usePostList, useQueueCounts } from './usePostList';
import { usePublishing } from './usePublishingStatus';

const ICONS = { scheduled: IconCalendarTime, drafts: IconFileText, attention: IconAlertTriangle, published: IconCircleCheck } as const;

const EMPTY: Record<QueueTab, { title: string; description: string }> = {
  scheduled: { title: 'Nothing scheduled', description: 'Posts you schedule or add to the queue wait here until they go out.' },
  drafts: { title: 'No drafts', description: 'Posts you save without scheduling them are kept here, on this computer.' },
  attention: { title: 'Nothing needs your attention', description: 'Posts that failed, missed their time or wait for a channel to be reconnected show up here.' },
  published: { title: 'Nothing published yet', description: 'Posts Herald published are listed here with links to them.' },
};

function ListSkeleton() {
  return (
    <Stack gap="sm" aria-hidden data-testid="queue-loading">
      {[0, 1, 2].map((i) => (
        <Skeleton key={i} h={76} />
      ))}
    </Stack>
  );
}

/**
 * The end of a list: a "Load more" button (reachable by keyboard) that
 * also presses itself when it scrolls near the viewport.
 */
function LoadMore({ onLoad, loading }: { onLoad: () => void; loading: boolean }) {
  const ref = useRef<HTMLButtonElement>(null);
  const latest = useRef(onLoad);
  useEffect(() => {
    latest.current = onLoad;
  });
  useEffect(() => {
    const node = ref.current;
    if (!node || typeof IntersectionObserver === 'undefined') {
      return undefined;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          latest.current();
        }
      },
      { rootMargin: '0px 0px 600px 0px' },
    );
    observer.observe(node);
    return () => observer.disconnect();
  }, []);
  return (
    <Button ref={ref} variant="subtle" onClick={onLoad} loading={loading} mx="auto" data-testid="queue-load-more">
      Load more
    </Button>
  );
}

function TabList({ tab, filters, total }: { tab: QueueTab; filters: Filters; total: number | undefined }) {
  const list = usePostList(tab, filters);
  const channels = useChannelList().data ?? [];
  const filtered = filters.text.trim() !== '' || filters.channelIds.length > 0 || filters.teamId !== 0;

  if (list.error) {
    return <ErrorPanel title="Herald could not list the posts" error={list.error} onRetry={list.reload} />;
  }
  if (!list.data) {
    return <ListSkeleton />;
  }
  const count = tab === 'attention' ? list.data.details.length : list.data.posts.length;
  if (count === 0) {
    const Icon = ICONS[tab];
    return (
      <Card py={48} data-testid="queue-empty">
        <EmptyState
          icon={<Icon size={28} stroke={1.6} aria-hidden />}
          title={filtered ? 'No posts match the filters' : EMPTY[tab].title}
          description={filtered ? 'Clear the search or choose other channels.' : EMPTY[tab].description}
          maw={480}
          mx="auto"
        >
          {!filtered && tab !== 'attention' && (
            <EmptyState.Actions>
              <Button component={Link} to="/compose" leftSection={<IconPencil size={16} />} variant="light">
                Write a post
              </Button>
            </EmptyState.Actions>
          )}
        </EmptyState>
      </Card>
    );
  }
  const label = `${QUEUE_TABS.find((t) => t.value === tab)?.label ?? 'Posts'} posts`;
  return (
    <Stack gap="xs">
      {tab === 'attention' ? (
        <VirtualList
          items={list.data.details}
          keyOf={(post) => post.id}
          estimateSize={150}
          label={label}
          total={total}
          busy={list.loading || list.loadingMore}
          testId="queue-list"
          renderItem={(post) => <AttentionRow post={post} channels={channels} onChanged={list.reload} />}
        />
      ) : (
        <VirtualList
          items={list.data.posts}
          keyOf={(post) => post.id}
          estimateSize={72}
          label={label}
          total={total}
          busy={list.loading || list.loadingMore}
          testId="queue-list"
          renderItem={(post) => <PostRow post={post} channels={channels} onChanged={list.reload} />}
        />
      )}
      {list.data.next !== '' && <LoadMore onLoad={list.loadMore} loading={list.loadingMore} />}
    </Stack>
  );
}

const COUNT_OF = { scheduled: 'scheduled', drafts: 'drafts', attention: 'attention', published: 'published' } as const;

/** How many posts a tab lists; Needs attention in red while anything does. */
function TabCount({ tab, count, needs }: { tab: QueueTab; count: number | undefined; needs: number }) {
  const n = count ?? (tab === 'attention' ? needs : undefined);
  if (n === undefined || (tab === 'attention' && n === 0)) {
    return undefined;
  }
  const urgent = tab === 'attention';
  return (
    <Badge
      size="sm"
      variant={urgent ? 'filled' : 'light'}
      color={urgent ? 'red' : 'gray'}
      aria-label={urgent ? `${n} need attention` : `${n} posts`}
      data-testid={`queue-count-${tab}`}
    >
      {n.toLocaleString()}
    </Badge>
  );
}

/** #/queue: scheduled posts, drafts, what needs attention and what went out. */
export function QueueView() {
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  const tab: QueueTab = isQueueTab(requested) ? requested : 'scheduled';
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const channels = useChannelList();
  const needs = usePublishing().status.data?.needsAction ?? 0;
  const counts = useQueueCounts(filters).data;

  return (
    <>
      <PageHeader
        title="Queue"
        description="Every post: what goes out next, drafts, and what needs you."
        actions={
          <Button component={Link} to="/compose" leftSection={<IconPencil size={16} />}>
            New post
          </Button>
        }
      />
      <Stack gap="md">
        <PostFilters value={filters} onChange={setFilters} channels={channels.data ?? []} />
        <Tabs
          value={tab}
          onChange={(value) => {
            if (value) {
              setParams({ tab: value }, { replace: true });
            }
          }}
          keepMounted={false}
        >
          <Tabs.List mb="md">
            {QUEUE_TABS.map(({ value, label }) => {
              const Icon = ICONS[value];
              return (
                <Tabs.Tab
                  key={value}
                  value={value}
                  leftSection={<Icon size={16} stroke={1.7} />}
                  rightSection={<TabCount tab={value} count={counts?.[COUNT_OF[value]]} needs={needs} />}
                  data-testid={`queue-tab-${value}`}
                >
                  {label}
                </Tabs.Tab>
              );
            })}
          </Tabs.List>
          {QUEUE_TABS.map(({ value }) => (
            <Tabs.Panel key={value} value={value}>
              {value === tab && <TabList tab={tab} filters={filters} total={counts?.[COUNT_OF[value]]} />}
            </Tabs.Panel>
          ))}
        </Tabs>
      </Stack>
    </>
  );
}
