import { ActionIcon, Anchor, Button, Card, EmptyState, Group, Modal, Skeleton, Stack, Text, TextInput, Title, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconGripVertical, IconLayoutDashboard, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { type DragEvent, type KeyboardEvent, useCallback, useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { type AppError, toAppError } from '../../api/errors';
import { type Dashboard, deleteDashboard, listDashboards, moveDashboard, updateDashboard } from '../../api/measure';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useLoad } from '../../hooks/useLoad';
import { notifyError, notifySuccess } from '../../lib/notify';
import { MAX_NAME, typeLabel } from './dashboardModel';
import { useMeasure } from './MeasureLayout';

function widgetsText(d: Dashboard): string {
  const n = d.spec.widgets.length;
  if (n === 0) {
    return 'No widgets yet';
  }
  const kinds = [...new Set(d.spec.widgets.map((w) => typeLabel(w.type).toLowerCase()))];
  return `${n} ${n === 1 ? 'widget' : 'widgets'}: ${kinds.join(', ')}`;
}

/** Renames a dashboard; the server's refusal shows on the field. */
function RenameDialog({ dashboard, onClose, onSaved }: { dashboard: Dashboard; onClose: () => void; onSaved: (d: Dashboard) => void }) {
  const [name, setName] = useState(dashboard.name);
  const [error, setError] = useState<AppError | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const save = async () => {
    setSaving(true);
    try {
      onSaved(await updateDashboard(dashboard.id, name.trim(), dashboard.spec));
    } catch (err) {
      setError(toAppError(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title={`Rename “${dashboard.name}”`}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Stack gap="md">
          <TextInput
            label="Name"
            value={name}
            maxLength={MAX_NAME}
            onChange={(e) => {
              setName(e.currentTarget.value);
            }}
            error={error?.message}
            data-autofocus
            data-testid="dashboard-rename-input"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={saving} disabled={name.trim() === ''} data-testid="dashboard-rename-save">
              Rename
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function DeleteDialog({ dashboard, onClose, onDeleted }: { dashboard: Dashboard; onClose: () => void; onDeleted: () => void }) {
  const [busy, setBusy] = useState(false);
  const remove = async () => {
    setBusy(true);
    try {
      await deleteDashboard(dashboard.id);
      notifySuccess('Dashboard deleted', `“${dashboard.name}” is gone; the figures it showed stay in Herald.`);
      onDeleted();
    } catch (err) {
      notifyError(`Herald could not delete “${dashboard.name}”`, err);
      setBusy(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title={`Delete the dashboard “${dashboard.name}”?`}>
      <Stack gap="md">
        <Text size="sm">
          Its widgets{dashboard.reportEvery ? ' and its scheduled PDF report' : ''} go with it. The metrics it shows stay in Herald.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            Keep it
          </Button>
          <Button color="red" loading={busy} onClick={() => void remove()} data-testid="dashboard-delete-confirm">
            Delete
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/**
 * #/measure/dashboards: the user's own dashboards in their order; drag
 * one (or Alt+↑/↓, or its Move buttons) to put it elsewhere.
 */
export function DashboardsView() {
  const navigate = useNavigate();
  const { version } = useMeasure();
  // eslint-disable-next-line react-hooks/exhaustive-deps -- version reloads on purpose
  const load = useCallback(() => listDashboards(), [version]);
  const list = useLoad(load);
  // The order after a move or a change, until the list is read again.
  const [local, setLocal] = useState<{ from: Dashboard[] | undefined; list: Dashboard[] } | undefined>(undefined);
  const order = local && local.from === list.data ? local.list : list.data;
  const setOrder = (update: (o: Dashboard[]) => Dashboard[]) => {
    setLocal({ from: list.data, list: update(order ?? []) });
  };
  const [renaming, setRenaming] = useState<Dashboard | undefined>(undefined);
  const [deleting, setDeleting] = useState<Dashboard | undefined>(undefined);
  const [announce, setAnnounce] = useState('');
  const [dragged, setDragged] = useState<number | undefined>(undefined);
  const [over, setOver] = useState<number | undefined>(undefined);
  const listRef = useRef<HTMLDivElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const focusAfter = useRef<number | undefined>(undefined);

  useEffect(() => {
    if (focusAfter.current !== undefined) {
      listRef.current?.querySelector<HTMLElement>(`[data-dashboard-id="${focusAfter.current}"] [data-dashboard-link]`)?.focus();
      focusAfter.current = undefined;
    }
  }, [order]);

  const items = order ?? [];

  const move = async (d: Dashboard, to: number, keyboard: boolean) => {
    const from = items.findIndex((x) => x.id === d.id);
    if (from < 0 || to < 0 || to >= items.length || to === from) {
      return;
    }
    try {
      const next = await moveDashboard(d.id, to + 1);
      if (keyboard) {
        focusAfter.current = d.id;
      }
      setOrder(() => next);
      setAnnounce(`“${d.name}” moved to position ${to + 1} of ${next.length}.`);
    } catch (err) {
      notifyError(`Herald could not move “${d.name}”`, err);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLLIElement>, d: Dashboard, i: number) => {
    if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      e.preventDefault();
      void move(d, e.key === 'ArrowUp' ? i - 1 : i + 1, true);
    }
  };

  const onDrop = (e: DragEvent<HTMLLIElement>, i: number) => {
    e.preventDefault();
    const d = items.find((x) => x.id === dragged);
    setDragged(undefined);
    setOver(undefined);
    if (d) {
      void move(d, i, false);
    }
  };

  if (list.error) {
    return <ErrorPanel title="Herald could not list your dashboards" error={list.error} onRetry={list.reload} />;
  }
  if (!order) {
    return (
      <Stack gap="xs" aria-hidden data-testid="dashboards-loading">
        <Skeleton h={56} />
        <Skeleton h={56} />
      </Stack>
    );
  }

  const newButton = (
    <Button
      leftSection={<IconPlus size={16} aria-hidden />}
      onClick={() => void navigate('/measure/dashboards/new')}
      data-testid="dashboard-new"
    >
      New dashboard
    </Button>
  );

  return (
    <Stack gap="md" data-testid="dashboards">
      <Group justify="space-between" align="center">
        <Title order={2} size="h4" tabIndex={-1} ref={heading}>
          Your dashboards
        </Title>
        {items.length > 0 && newButton}
      </Group>
      <VisuallyHidden role="status" aria-live="polite" data-testid="dashboards-announce">
        {announce}
      </VisuallyHidden>
      {items.length === 0 ? (
        <Card py={48} data-testid="dashboards-empty">
          <EmptyState
            icon={<IconLayoutDashboard size={28} stroke={1.6} aria-hidden />}
            title="No dashboards yet"
            description="A dashboard is a page of your own: the figures, charts and post tables you choose, for the channels and days you choose. Export it as a PNG or PDF, or have Herald write it as a PDF every week or month."
            maw={540}
            mx="auto"
          >
            <EmptyState.Actions>{newButton}</EmptyState.Actions>
          </EmptyState>
        </Card>
      ) : (
        <>
          <Text size="sm" c="dimmed" id="dashboards-help">
            Drag a dashboard to reorder, or focus its name and press Alt+↑ or Alt+↓.
          </Text>
          <div ref={listRef}>
            <Stack component="ul" gap="xs" m={0} p={0} style={{ listStyle: 'none' }} aria-label="Your dashboards" data-testid="dashboards-list">
              {items.map((d, i) => (
                <Card
                  component="li"
                  key={d.id}
                  padding="sm"
                  withBorder
                  draggable
                  data-dashboard-id={d.id}
                  data-testid="dashboard-item"
                  data-over={over === i || undefined}
                  style={{
                    opacity: dragged === d.id ? 0.5 : 1,
                    outline: over === i && dragged !== d.id ? '2px dashed var(--mantine-primary-color-filled)' : undefined,
                  }}
                  onDragStart={(e: DragEvent<HTMLLIElement>) => {
                    e.dataTransfer.effectAllowed = 'move';
                    e.dataTransfer.setData('text/plain', String(d.id));
                    setDragged(d.id);
                  }}
                  onDragOver={(e: DragEvent<HTMLLIElement>) => {
                    if (dragged !== undefined) {
                      e.preventDefault();
                      setOver(i);
                    }
                  }}
                  onDragEnd={() => {
                    setDragged(undefined);
                    setOver(undefined);
                  }}
                  onDrop={(e: DragEvent<HTMLLIElement>) => {
                    onDrop(e, i);
                  }}
                  onKeyDown={(e: KeyboardEvent<HTMLLIElement>) => {
                    onKeyDown(e, d, i);
                  }}
                >
                  <Group wrap="nowrap" gap="sm">
                    <IconGripVertical size={18} aria-hidden style={{ cursor: 'grab', color: 'var(--mantine-color-dimmed)', flex: 'none' }} />
                    <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
                      <Anchor component={Link} to={`/measure/dashboards/${d.id}`} fw={600} data-dashboard-link aria-describedby="dashboards-help">
                        {d.name}
                      </Anchor>
                      <Text size="xs" c="dimmed">
                        {widgetsText(d)}
                        {d.reportEvery ? ` · a PDF every ${d.reportEvery}` : ''}
                      </Text>
                    </Stack>
                    <Group gap={4} wrap="nowrap">
                      <Tooltip label="Move up">
                        <ActionIcon variant="subtle" color="gray" disabled={i === 0} onClick={() => void move(d, i - 1, true)} aria-label={`Move “${d.name}” up`}>
                          <IconArrowUp size={16} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip label="Move down">
                        <ActionIcon
                          variant="subtle"
                          color="gray"
                          disabled={i === items.length - 1}
                          onClick={() => void move(d, i + 1, true)}
                          aria-label={`Move “${d.name}” down`}
                        >
                          <IconArrowDown size={16} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip label="Rename">
                        <ActionIcon
                          variant="subtle"
                          color="gray"
                          onClick={() => {
                            setRenaming(d);
                          }}
                          aria-label={`Rename “${d.name}”`}
                        >
                          <IconPencil size={16} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip label="Delete">
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          onClick={() => {
                            setDeleting(d);
                          }}
                          aria-label={`Delete “${d.name}”`}
                          data-testid="dashboard-delete"
                        >
                          <IconTrash size={16} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                    </Group>
                  </Group>
                </Card>
              ))}
            </Stack>
          </div>
        </>
      )}
      {renaming && (
        <RenameDialog
          dashboard={renaming}
          onClose={() => {
            setRenaming(undefined);
          }}
          onSaved={(saved) => {
            setOrder((o) => o.map((x) => (x.id === saved.id ? saved : x)));
            setRenaming(undefined);
            setAnnounce(`Renamed to “${saved.name}”.`);
          }}
        />
      )}
      {deleting && (
        <DeleteDialog
          dashboard={deleting}
          onClose={() => {
            setDeleting(undefined);
          }}
          onDeleted={() => {
            const gone = deleting;
            setDeleting(undefined);
            setOrder((o) => o.filter((x) => x.id !== gone.id));
            heading.current?.focus();
          }}
        />
      )}
    </Stack>
  );
}
