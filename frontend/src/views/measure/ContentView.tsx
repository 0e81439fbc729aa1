import { Anchor, Badge, Button, Card, Group, Skeleton, Stack, Switch, Table, Text, TextInput, Tooltip, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconArrowsSort, IconSearch, IconSortAscending, IconSortDescending } from '@tabler/icons-react';
import { type KeyboardEvent, useCallback, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { type ContentItem, type MetricInfo, measureContent } from '../../api/measure';
import { ErrorPanel } from '../../components/ErrorPanel';
import { ExternalLink } from '../../components/ExternalLink';
import { useLoad } from '../../hooks/useLoad';
import { formatDateTime } from '../../time/format';
import { CurveDrawer } from './CurveDrawer';
import { BLOCK_ATTR, ExportMenu } from './ExportMenu';
import { useMeasure } from './MeasureLayout';
import { ariaSort, DEFAULT_SORT, formatCount, nextSort, showingText, type SortState } from './measureModel';

export const PAGE_SIZE = 50;
const SEARCH_DEBOUNCE_MS = 300;

/** True when the network of a row gives the metric at all. */
function provides(column: MetricInfo, network: string): boolean {
  return column.networks.includes(network);
}

function Absent({ why }: { why: string }) {
  return (
    <Tooltip label={why}>
      <Text span size="sm" c="dimmed" data-testid="measure-absent">
        <span aria-hidden>—</span>
        <VisuallyHidden component="span">{why}</VisuallyHidden>
      </Text>
    </Tooltip>
  );
}

function MetricCell({ row, column }: { row: ContentItem; column: MetricInfo }) {
  const value = row.metrics[column.key];
  if (value === undefined || value === null) {
    let why = 'Not provided by this network';
    if (provides(column, row.network)) {
      // Read, and still absent: the server does not count it (GoToSocial
      // and Mastodon before 4.5 give no quote count).
      why = row.readAt ? 'Not given by the server for this post' : 'Not read yet';
    }
    return <Absent why={why} />;
  }
  return <>{formatCount(value)}</>;
}

function SortHeader({ label, column, sort, onSort, align }: { label: string; column: string; sort: SortState; onSort: (key: string) => void; align?: 'right' }) {
  const state = ariaSort(sort, column);
  const Icon = state === 'none' ? IconArrowsSort : state === 'descending' ? IconSortDescending : IconSortAscending;
  return (
    <Table.Th aria-sort={state} ta={align} data-testid={`measure-sort-${column}`}>
      <UnstyledButton
        onClick={() => {
          onSort(column);
        }}
        fw={600}
        fz="sm"
        style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}
      >
        {label}
        <Icon size={14} aria-hidden style={{ opacity: state === 'none' ? 0.5 : 1 }} />
      </UnstyledButton>
    </Table.Th>
  );
}

/** Arrow keys between the rows of the table: the focus goes to the row above or below. */
function moveRowFocus(e: KeyboardEvent<HTMLTableRowElement>) {
  if (e.target !== e.currentTarget) {
    return;
  }
  const next = e.key === 'ArrowDown' ? e.currentTarget.nextElementSibling : e.key === 'ArrowUp' ? e.currentTarget.previousElementSibling : null;
  if (next instanceof HTMLElement) {
    e.preventDefault();
    next.focus();
  }
}

/** #/measure/content: the range's posts with their latest counts, sorted by any of them; a row opens its curve. */
export function ContentView() {
  const { range, version, channels, subtitle } = useMeasure();
  const root = useRef<HTMLDivElement>(null);
  const [sort, setSort] = useState<SortState>(DEFAULT_SORT);
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const [replies, setReplies] = useState(false);
  const [open, setOpen] = useState<ContentItem | undefined>(undefined);
  // A new question starts at the first page.
  const question = JSON.stringify([range, sort, debounced, replies]);
  const [paging, setPaging] = useState({ question, offset: 0 });
  const offset = paging.question === question ? paging.offset : 0;
  const setOffset = (next: number) => {
    setPaging({ question, offset: next });
  };

  const load = useCallback(
    () => measureContent({ ...range, search: debounced, replies, sort: sort.sort, desc: sort.desc, offset, limit: PAGE_SIZE }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- version reloads on purpose
    [range, debounced, replies, sort, offset, version],
  );
  const page = useLoad(load);
  const data = page.data;
  const onSort = (key: string) => {
    setSort((s) => nextSort(s, key));
  };
  const networkName = (row: ContentItem) => channels.find((c) => c.id === row.channelId)?.networkName ?? row.network;

  return (
    <Stack gap="md" data-testid="measure-content" ref={root}>
      <Group gap="md" align="flex-end" wrap="wrap">
        <TextInput
          label="Search"
          placeholder="Words in the post"
          leftSection={<IconSearch size={15} aria-hidden />}
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
          }}
          w={280}
          data-testid="measure-search"
        />
        <Switch
          label="Include replies"
          checked={replies}
          onChange={(e) => {
            setReplies(e.currentTarget.checked);
          }}
          mb={6}
          data-testid="measure-replies"
        />
        <Group ml="auto" mb={4}>
          <ExportMenu
            target={root}
            title="Content performance"
            subtitle={subtitle}
            csv={[{ label: 'CSV: every post of the range', export: { kind: 'content', query: { ...range, search: debounced, replies, sort: sort.sort, desc: sort.desc, offset: 0, limit: 0 } } }]}
          />
        </Group>
      </Group>
      {page.error && <ErrorPanel title="Herald could not list the posts" error={page.error} onRetry={page.reload} />}
      {!data && !page.error && (
        <Stack gap="xs" aria-hidden data-testid="measure-content-loading">
          <Skeleton h={40} />
          <Skeleton h={200} />
        </Stack>
      )}
      {data && (
        <Card padding={0} {...{ [BLOCK_ATTR]: '' }}>
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover data-testid="measure-content-table" aria-busy={page.loading}>
              <Table.Caption>
                {showingText(offset, data.rows.length, data.total)}. Select a post to see how it grew.
              </Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <SortHeader label="Post" column="published" sort={sort} onSort={onSort} />
                  {data.columns.map((c) => (
                    <SortHeader key={c.key} label={c.label} column={c.key} sort={sort} onSort={onSort} align="right" />
                  ))}
                  <SortHeader label="Engagement" column="engagement" sort={sort} onSort={onSort} align="right" />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.rows.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={data.columns.length + 2}>
                      <Text size="sm" c="dimmed" ta="center" py="md" data-testid="measure-content-empty">
                        {debounced ? 'No post in this range has these words.' : 'No posts in this range.'}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
                {data.rows.map((row) => (
                  <Table.Tr
                    key={row.id}
                    tabIndex={0}
                    aria-label={`${row.excerpt || 'A post without text'}, ${row.channelName}: open its curve`}
                    style={{ cursor: 'pointer' }}
                    data-testid="measure-content-row"
                    data-content-id={row.id}
                    onClick={() => {
                      setOpen(row);
                    }}
                    onKeyDown={(e) => {
                      if (e.target === e.currentTarget && (e.key === 'Enter' || e.key === ' ')) {
                        e.preventDefault();
                        setOpen(row);
                        return;
                      }
                      moveRowFocus(e);
                    }}
                  >
                    <Table.Td maw={420}>
                      <Text size="sm" lineClamp={2}>
                        {row.excerpt || 'A post without text'}
                      </Text>
                      <Group gap={8} mt={2} wrap="wrap">
                        <Text size="xs" c="dimmed">
                          {row.channelName} · {networkName(row)} · <time dateTime={row.publishedAt}>{formatDateTime(new Date(row.publishedAt), { zone: range.timeZone })}</time>
                        </Text>
                        {row.reply && (
                          <Badge size="xs" variant="light" color="gray">
                            Reply
                          </Badge>
                        )}
                        {row.deleted && (
                          <Badge size="xs" variant="light" color="red" data-testid="measure-deleted">
                            Deleted
                          </Badge>
                        )}
                      </Group>
                      <Group
                        gap="md"
                        mt={2}
                        onClick={(e) => {
                          e.stopPropagation();
                        }}
                        onKeyDown={(e) => {
                          e.stopPropagation();
                        }}
                      >
                        {row.url && !row.deleted && (
                          <Text size="xs" span>
                            <ExternalLink href={row.url}>View on {networkName(row)}</ExternalLink>
                          </Text>
                        )}
                        {row.postId ? (
                          <Anchor component={Link} to={`/posts/${row.postId}`} size="xs" data-testid="measure-open-in-herald">
                            Open in Herald
                          </Anchor>
                        ) : null}
                      </Group>
                    </Table.Td>
                    {data.columns.map((c) => (
                      <Table.Td key={c.key} ta="right">
                        <MetricCell row={row} column={c} />
                      </Table.Td>
                    ))}
                    <Table.Td ta="right" fw={600}>
                      {row.engagement === undefined || row.engagement === null ? <Absent why="Not read yet" /> : formatCount(row.engagement)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      {data && data.total > 0 && (
        <Group justify="space-between" data-testid="measure-paging">
          <Text size="sm" c="dimmed" role="status">
            {showingText(offset, data.rows.length, data.total)}
          </Text>
          <Group gap="xs">
            <Button
              size="xs"
              variant="default"
              disabled={offset === 0}
              onClick={() => {
                setOffset(Math.max(0, offset - PAGE_SIZE));
              }}
            >
              Previous {PAGE_SIZE}
            </Button>
            <Button
              size="xs"
              variant="default"
              disabled={offset + data.rows.length >= data.total}
              onClick={() => {
                setOffset(offset + PAGE_SIZE);
              }}
            >
              Next {PAGE_SIZE}
            </Button>
          </Group>
        </Group>
      )}
      <CurveDrawer
        item={open}
        columns={data?.columns ?? []}
        zone={range.timeZone}
        onClose={() => {
          setOpen(undefined);
        }}
      />
    </Stack>
  );
}
