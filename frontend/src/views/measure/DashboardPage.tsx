import {
  ActionIcon,
  Alert,
  Anchor,
  Button,
  Card,
  EmptyState,
  Group,
  SegmentedControl,
  Select,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { IconArrowLeft, IconArrowRight, IconCalendar, IconCalendarRepeat, IconChevronLeft, IconLayoutDashboard, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { type AppError, toAppError } from '../../api/errors';
import {
  bestTimes,
  createDashboard,
  type Dashboard,
  type DashboardSpec,
  listDashboards,
  metricCatalogue,
  measureOverview,
  updateDashboard,
  type Widget,
} from '../../api/measure';
import { ChannelFilter } from '../../components/ChannelFilter';
import { ErrorPanel } from '../../components/ErrorPanel';
import { TimeValue } from '../../components/TimeValue';
import { useLoad } from '../../hooks/useLoad';
import { computerZone } from '../../time/zones';
import classes from './Dashboard.module.css';
import { ReportDialog, WidgetDialog } from './DashboardDialogs';
import { cleanSpec, emptySpec, MAX_NAME, MAX_WIDGETS, moveItem, newWidgetId, SPEC_RANGES, type SpecRange, specDays, specRange, typeLabel, widgetScope, widgetTitle } from './dashboardModel';
import { WidgetBody } from './DashboardWidget';
import { BLOCK_ATTR, type CsvChoice, ExportMenu } from './ExportMenu';
import { oldestRead, rangeSubtitle, selectedStatus, useMeasure } from './MeasureLayout';
import { todayIn } from './measureModel';

const CHANNEL_WIDGETS = new Set(['kpi', 'timeseries', 'bar']);

interface Draft {
  name: string;
  spec: DashboardSpec;
}

/** Where the dashboard reads from: its channels or team, and its days. */
function SpecForm({ draft, onChange, error }: { draft: Draft; onChange: (d: Draft) => void; error: AppError | undefined }) {
  const { channels, teams } = useMeasure();
  const zone = computerZone();
  const spec = draft.spec;
  const set = (patch: Partial<DashboardSpec>) => {
    onChange({ ...draft, spec: { ...spec, ...patch } });
  };
  const days = specDays(spec, zone);
  return (
    <Card withBorder data-testid="dashboard-form">
      <Stack gap="sm">
        <Group gap="sm" align="flex-end" wrap="wrap">
          <TextInput
            label="Name"
            value={draft.name}
            maxLength={MAX_NAME}
            onChange={(e) => {
              onChange({ ...draft, name: e.currentTarget.value });
            }}
            w={260}
            data-autofocus
            data-testid="dashboard-name"
          />
          <ChannelFilter
            label="Channels"
            channels={channels}
            value={spec.channelIds}
            onChange={(ids) => {
              set(ids.length > 0 ? { channelIds: ids, teamId: 0 } : { channelIds: ids });
            }}
            width={260}
            testId="dashboard-channels"
          />
          {teams.length > 0 && (
            <Select
              label="Team"
              placeholder="Any team"
              data={teams.map((t) => ({ value: String(t.id), label: t.name }))}
              value={spec.teamId ? String(spec.teamId) : null}
              onChange={(value) => {
                set(value ? { teamId: Number(value), channelIds: [] } : { teamId: 0 });
              }}
              clearable
              w={180}
              comboboxProps={{ withinPortal: false }}
            />
          )}
        </Group>
        <Group gap="sm" align="flex-end" wrap="wrap">
          <Stack gap={4}>
            <Text size="sm" fw={500} id="dashboard-days-label">
              Days
            </Text>
            <SegmentedControl
              aria-labelledby="dashboard-days-label"
              data={SPEC_RANGES.map((r) => ({ value: r.value, label: r.label }))}
              value={spec.range}
              onChange={(value) => {
                const r = value as SpecRange;
                set(r === 'custom' ? { range: r, from: days.from, to: days.to } : { range: r });
              }}
              data-testid="dashboard-range"
            />
          </Stack>
          {spec.range === 'custom' && (
            <DatePickerInput
              type="range"
              label="From – to"
              value={[days.from, days.to]}
              onChange={([from, to]) => {
                if (from && to) {
                  set({ from, to });
                }
              }}
              maxDate={todayIn(zone)}
              valueFormat="D MMM YYYY"
              leftSection={<IconCalendar size={15} aria-hidden />}
              allowSingleDateInRange
              w={260}
              popoverProps={{ withinPortal: false }}
            />
          )}
        </Group>
        {error && (
          <Alert color="red" variant="light" role="alert" title="Herald did not save the dashboard" data-testid="dashboard-save-error">
            {error.message}
            {error.hint ? ` ${error.hint}` : ''}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}

/**
 * #/measure/dashboards/:id (and /new): one of the user's dashboards, its
 * widgets read for its own channels and days; Edit changes them, Export
 * saves it, and a schedule writes it as a PDF every week or month.
 */
export function DashboardPage() {
  const { id = 'new' } = useParams();
  const isNew = id === 'new';
  const navigate = useNavigate();
  const { version, status, channels, teams } = useMeasure();
  const [zone] = useState(computerZone);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- version reloads on purpose
  const loadList = useCallback(() => (isNew ? Promise.resolve([] as Dashboard[]) : listDashboards()), [isNew, version]);
  const list = useLoad(loadList);
  const catalogue = useLoad(metricCatalogue);
  // The dashboard as last saved here, until the list is read again.
  const [local, setLocal] = useState<{ from: Dashboard[] | undefined; value: Dashboard } | undefined>(undefined);
  const [draft, setDraft] = useState<Draft | undefined>(isNew ? { name: '', spec: emptySpec() } : undefined);
  const [error, setError] = useState<AppError | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const [adding, setAdding] = useState(false);
  const [scheduling, setScheduling] = useState(false);
  const grid = useRef<HTMLDivElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const focusWidget = useRef<string | undefined>(undefined);

  const saved = local && local.from === list.data ? local.value : list.data?.find((d) => String(d.id) === id);
  const setSaved = (value: Dashboard) => {
    setLocal({ from: list.data, value });
  };

  const editing = draft !== undefined;
  const spec = draft?.spec ?? saved?.spec;
  const name = draft?.name ?? saved?.name ?? '';
  const specKey = spec ? JSON.stringify([spec.channelIds, spec.teamId, spec.range, spec.from, spec.to]) : '';
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the key is the spec's range
  const range = useMemo(() => (spec ? specRange(spec, zone) : undefined), [specKey, zone]);
  const widgets = useMemo(() => spec?.widgets ?? [], [spec]);
  const needOverview = widgets.some((w) => CHANNEL_WIDGETS.has(w.type));
  const needBest = widgets.some((w) => w.type === 'heatmap');
  const loadOverview = useCallback(
    () => (range && needOverview ? measureOverview(range) : Promise.resolve(undefined)),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- version reloads on purpose
    [range, needOverview, version],
  );
  const loadBest = useCallback(
    () => (range && needBest ? bestTimes(range) : Promise.resolve(undefined)),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- version reloads on purpose
    [range, needBest, version],
  );
  const overview = useLoad(loadOverview);
  const best = useLoad(loadBest);

  useEffect(() => {
    if (focusWidget.current) {
      grid.current?.querySelector<HTMLElement>(`[data-widget-id="${focusWidget.current}"] h3`)?.focus();
      focusWidget.current = undefined;
    }
  }, [widgets]);

  if (list.error) {
    return <ErrorPanel title="Herald could not read your dashboards" error={list.error} onRetry={list.reload} />;
  }
  if (!isNew && (!list.data || (list.loading && !saved))) {
    return (
      <Stack gap="xs" aria-hidden data-testid="dashboard-loading">
        <Skeleton h={48} />
        <Skeleton h={220} />
      </Stack>
    );
  }
  if (!spec || !range) {
    return (
      <Card py={40} data-testid="dashboard-missing">
        <EmptyState icon={<IconLayoutDashboard size={28} stroke={1.6} aria-hidden />} title="This dashboard no longer exists" maw={480} mx="auto">
          <EmptyState.Actions>
            <Button component={Link} to="/measure/dashboards" variant="light">
              Back to your dashboards
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </Card>
    );
  }

  const cat = catalogue.data ?? [];
  const setWidgets = (next: Widget[]) => {
    if (draft) {
      setDraft({ ...draft, spec: { ...draft.spec, widgets: next } });
    }
  };

  const startEditing = () => {
    if (saved) {
      setDraft({ name: saved.name, spec: saved.spec });
      setError(undefined);
    }
  };

  const cancel = () => {
    setDraft(undefined);
    setError(undefined);
    if (isNew) {
      void navigate('/measure/dashboards');
    } else {
      requestAnimationFrame(() => heading.current?.focus());
    }
  };

  const save = async () => {
    if (!draft) {
      return;
    }
    setSaving(true);
    setError(undefined);
    try {
      const out = isNew ? await createDashboard(draft.name.trim(), cleanSpec(draft.spec)) : await updateDashboard(Number(id), draft.name.trim(), cleanSpec(draft.spec));
      setSaved(out);
      setDraft(undefined);
      if (isNew) {
        void navigate(`/measure/dashboards/${out.id}`, { replace: true });
      }
      list.reload();
      requestAnimationFrame(() => heading.current?.focus());
    } catch (err) {
      setError(toAppError(err));
    } finally {
      setSaving(false);
    }
  };

  const lastSync = overview.data?.lastSync || oldestRead(selectedStatus(status, channels, spec).filter((s) => s.measurable));
  const subtitle = rangeSubtitle(range, channels, teams);
  const contentQuery = (sort: string) => ({ ...range, search: '', replies: false, sort, desc: true, offset: 0, limit: 0 });
  const csv: CsvChoice[] = [];
  if (needOverview) {
    csv.push({ label: 'CSV: channel days and KPIs', export: { kind: 'overview', query: contentQuery('published') } });
  }
  const postWidget = widgets.find((w) => w.type === 'table' || w.type === 'top_posts');
  if (postWidget) {
    csv.push({ label: 'CSV: every post of the range', export: { kind: 'content', query: contentQuery(postWidget.metric) } });
  }
  if (needBest) {
    csv.push({ label: 'CSV: best times', export: { kind: 'best_times', query: contentQuery('published') } });
  }

  return (
    <Stack gap="md" data-testid="dashboard-page">
      <Anchor component={Link} to="/measure/dashboards" size="sm">
        <IconChevronLeft size={14} aria-hidden style={{ verticalAlign: '-2px' }} /> Your dashboards
      </Anchor>
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Stack gap={2}>
          <Title order={2} size="h3" tabIndex={-1} ref={heading} data-testid="dashboard-title">
            {name.trim() || 'New dashboard'}
          </Title>
          <Text size="sm" c="dimmed" data-testid="dashboard-subtitle">
            {subtitle}
          </Text>
          <Group gap={6}>
            <Text size="sm" c="dimmed">
              Last synced
            </Text>
            <TimeValue iso={lastSync ?? ''} none="Not yet" past />
          </Group>
          {saved?.reportNextAt && !editing && (
            <Group gap={6} data-testid="dashboard-next-report">
              <Text size="sm" c="dimmed">
                Next report:
              </Text>
              <TimeValue iso={saved.reportNextAt} />
            </Group>
          )}
        </Stack>
        {editing ? (
          <Group gap="xs">
            <Button variant="default" onClick={cancel}>
              Cancel
            </Button>
            <Button onClick={() => void save()} loading={saving} disabled={draft.name.trim() === ''} data-testid="dashboard-save">
              {isNew ? 'Create dashboard' : 'Save'}
            </Button>
          </Group>
        ) : (
          <Group gap="xs">
            <Button variant="default" size="xs" leftSection={<IconPencil size={14} aria-hidden />} onClick={startEditing} data-testid="dashboard-edit">
              Edit
            </Button>
            <ExportMenu target={grid} title={name} subtitle={subtitle} csv={csv} disabled={widgets.length === 0} />
            <Button
              variant="default"
              size="xs"
              leftSection={<IconCalendarRepeat size={14} aria-hidden />}
              onClick={() => {
                setScheduling(true);
              }}
              data-testid="dashboard-schedule"
            >
              Scheduled report
            </Button>
          </Group>
        )}
      </Group>
      {editing && <SpecForm draft={draft} onChange={setDraft} error={error} />}
      {editing && (
        <Group gap="sm">
          <Button
            ref={addButton}
            variant="light"
            leftSection={<IconPlus size={16} aria-hidden />}
            disabled={widgets.length >= MAX_WIDGETS}
            onClick={() => {
              setAdding(true);
            }}
            data-testid="widget-add"
          >
            Add a widget
          </Button>
          <Text size="sm" c="dimmed">
            {widgets.length} of at most {MAX_WIDGETS} widgets
          </Text>
        </Group>
      )}
      {widgets.length === 0 ? (
        <Card py={40} data-testid="dashboard-no-widgets">
          <EmptyState
            icon={<IconLayoutDashboard size={28} stroke={1.6} aria-hidden />}
            title="No widgets yet"
            description="Add key figures, charts of the days, tables of posts or the best-times heatmap."
            maw={480}
            mx="auto"
          >
            {!editing && (
              <EmptyState.Actions>
                <Button variant="light" onClick={startEditing}>
                  Edit the dashboard
                </Button>
              </EmptyState.Actions>
            )}
          </EmptyState>
        </Card>
      ) : (
        <div className={classes.grid} ref={grid} data-testid="dashboard-grid">
          {widgets.map((w, i) => {
            const title = widgetTitle(w, cat);
            return (
              <Card
                key={w.id}
                component="section"
                className={classes.widget}
                data-size={w.size}
                data-widget-id={w.id}
                data-widget-type={w.type}
                aria-labelledby={`widget-${w.id}-title`}
                data-testid="dashboard-widget"
                {...{ [BLOCK_ATTR]: '' }}
              >
                <Stack gap="xs">
                  <Group justify="space-between" wrap="nowrap" align="flex-start">
                    <Stack gap={0}>
                      <Title order={3} size="h5" id={`widget-${w.id}-title`} tabIndex={-1}>
                        {title}
                      </Title>
                      <Text size="xs" c="dimmed" data-testid="widget-scope">
                        {widgetScope(w.type)}
                      </Text>
                    </Stack>
                    {editing && (
                      <Group gap={2} wrap="nowrap">
                        <Tooltip label="Move earlier">
                          <ActionIcon variant="subtle" color="gray" disabled={i === 0} onClick={() => setWidgets(moveItem(widgets, i, i - 1))} aria-label={`Move “${title}” earlier`}>
                            <IconArrowLeft size={16} aria-hidden />
                          </ActionIcon>
                        </Tooltip>
                        <Tooltip label="Move later">
                          <ActionIcon
                            variant="subtle"
                            color="gray"
                            disabled={i === widgets.length - 1}
                            onClick={() => setWidgets(moveItem(widgets, i, i + 1))}
                            aria-label={`Move “${title}” later`}
                          >
                            <IconArrowRight size={16} aria-hidden />
                          </ActionIcon>
                        </Tooltip>
                        <Tooltip label="Remove">
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            onClick={() => {
                              setWidgets(widgets.filter((x) => x.id !== w.id));
                              addButton.current?.focus();
                            }}
                            aria-label={`Remove “${title}” (${typeLabel(w.type).toLowerCase()})`}
                          >
                            <IconTrash size={16} aria-hidden />
                          </ActionIcon>
                        </Tooltip>
                      </Group>
                    )}
                  </Group>
                  <WidgetBody widget={w} range={range} version={version} catalogue={cat} overview={overview} best={best} />
                </Stack>
              </Card>
            );
          })}
        </div>
      )}
      {adding && (
        <WidgetDialog
          catalogue={cat}
          onClose={() => {
            setAdding(false);
          }}
          onAdd={(w) => {
            const added = { ...w, id: newWidgetId(widgets) };
            focusWidget.current = added.id;
            setWidgets([...widgets, added]);
            setAdding(false);
          }}
        />
      )}
      {scheduling && saved && (
        <ReportDialog
          dashboard={saved}
          onClose={() => {
            setScheduling(false);
          }}
          onSaved={(d) => {
            setSaved(d);
            setScheduling(false);
            list.reload();
          }}
        />
      )}
    </Stack>
  );
}
